/// A device register window on the bus. Accesses reach a device only through the slow path
/// (RAM is served inline), so a protocol call per access is affordable here.
///
/// `offset` is relative to the window's base. `size` is 1, 2, 4 or 8 bytes; a device that does
/// not accept an access width or offset answers `nil` / `false`, which the bus turns into the
/// architecture's external abort (ARM) or access fault (RISC-V). `cpu` is the logical index of
/// the accessing core: banked registers (GIC SGI/PPI state, the CPU interface) use it.
public protocol MMIODevice: AnyObject {
    /// The device's name in reports ("gicd", "uart0").
    var name: String { get }
    func read(offset: UInt64, size: Int, cpu: Int) -> UInt64?
    func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool
}

/// What devices see of the machine: the interrupt wires into the cores, virtual time, and the
/// requests a device can make of the whole machine (power off, reset).
public protocol DeviceHost: AnyObject {
    /// Drive core `cpu`'s IRQ and FIQ inputs (ARM; level-sensitive: the value stays until
    /// changed).
    func setInterruptLines(cpu: Int, irq: Bool, fiq: Bool)
    /// Drive core `cpu`'s virtual IRQ and FIQ inputs (ARM with the Virtualization Extensions:
    /// the GIC's virtual CPU interface signals through them; level-sensitive).
    func setVirtualInterruptLines(cpu: Int, irq: Bool, fiq: Bool)
    /// Drive one interrupt input of core `cpu`, numbered as its architecture numbers them:
    /// ARM 0 = IRQ, 1 = FIQ; RISC-V the `mip` bit — 3 MSIP, 7 MTIP, 11 MEIP, 9 SEIP, 5 STIP are
    /// levels the device holds; 1 SSIP (ACLINT SSWI) is a set request: `level: true` sets the
    /// bit, software clears it.
    func setInterruptLine(cpu: Int, line: Int, level: Bool)
    /// The virtual time of core `cpu`: instructions it retired plus time it spent asleep.
    func virtualTime(cpu: Int) -> UInt64
    /// Ask the scheduler to call `timerEvent(cpu:)` on the device host no later than
    /// `time` on core `cpu` (time-based devices re-evaluate their outputs then).
    func requestTimerEvent(cpu: Int, at time: UInt64)
    /// The guest asked the platform to stop (system-register shutdown, PSCI SYSTEM_OFF,
    /// semihosting exit): the run ends with this exit code.
    func requestExit(code: Int, reason: String)
    /// The guest asked for a reset (CFGCTRL reboot, PSCI SYSTEM_RESET): the run ends; hetboot
    /// reports it (a reboot is not re-run).
    func requestReset(reason: String)
    /// A byte the guest wrote to a console (UART or semihosting), attributed to core `cpu`.
    func consoleOutput(_ byte: UInt8, device: String, cpu: Int)
    /// Number of cores in the machine.
    var coreCount: Int { get }
    /// Whether event sinks or injected faults watch the run (Events/): devices report events
    /// only then.
    var observed: Bool { get }
    /// Report an event that happened on core `cpu`'s behalf.
    func emit(_ kind: MachineEvent.Kind, cpu: Int)
    /// An IPI from `source` to `target`: `deliver` makes it pending — now, later (an injected
    /// delay) or never (an injected drop).
    func deliverIPI(source: Int, target: Int, interrupt: Int, via: String, deliver: @escaping () -> Void)
}

extension DeviceHost {
    /// A machine whose cores have no virtual interrupt inputs ignores them.
    public func setVirtualInterruptLines(cpu: Int, irq: Bool, fiq: Bool) {}
}
