import Profiles

/// The ARM Generic Timer (ARM ARM DDI 0406C, chapter B8), as the CP15 registers of each core:
/// the system counter, and per core a physical (CNTP_*), a virtual (CNTV_*) and a Hyp
/// (CNTHP_*) timer. The core decodes MRC/MCR/MRRC/MCRR and checks which PL may access which
/// register (CNTKCTL/CNTHCTL hold the controls); this class models the values and drives the
/// timers' interrupt outputs into the GIC.
///
/// Time: the counter is the core's virtual time (`DeviceHost.virtualTime(cpu:)`, one tick per
/// retired instruction plus time asleep). CNTFRQ is only the value software reads, reset from
/// the device's `cntfrq` property (default 24 MHz, the Versatile Express reference clock).
///
/// Interrupts: `spec.interrupts` lists the PPIs in the Linux device-tree order — secure
/// physical (29), non-secure physical (30), virtual (27), Hyp (26). The model has ONE physical
/// timer (CNTP_* is not banked by security state): it drives the non-secure physical PPI (30)
/// only, as QEMU wires its single physical timer on a board without EL3. The secure physical
/// PPI is never asserted. CNTV_* drives the virtual PPI, CNTHP_* the Hyp PPI. Each output is
/// ENABLE && ISTATUS && !IMASK (B8.1.5), level-sensitive.
public final class GenericTimer {
    public enum Register: Sendable, Equatable, CaseIterable {
        case cntfrq, cntpct, cntvct, cntkctl
        case cntpTval, cntpCtl, cntpCval
        case cntvTval, cntvCtl, cntvCval
        case cnthctl, cnthpTval, cnthpCtl, cnthpCval
        case cntvoff
    }

    /// The interrupt IDs this timer drives / would drive.
    public struct Interrupts: Sendable, Equatable {
        public var securePhysical: Int
        public var nonSecurePhysical: Int
        public var virtual: Int
        public var hyp: Int
    }

    /// The three timers of a core; raw values index the per-timer arrays (`cpu * 3 + timer`).
    enum Timer: Int {
        case physical = 0, virtual = 1, hyp = 2

        /// Every timer, as a stored constant (iterating it allocates nothing).
        static let all: [Timer] = [.physical, .virtual, .hyp]
    }

    public let name: String
    public let cpuCount: Int
    public let interrupts: Interrupts
    public static let defaultInterrupts = [29, 30, 27, 26]
    public static let defaultFrequency: UInt64 = 24_000_000

    let gic: GICv2
    unowned let host: DeviceHost

    var frequency: [UInt32]
    var kernelControl: [UInt32]
    var hypControl: [UInt32]
    var virtualOffset: [UInt64]
    /// CNTx_CTL.ENABLE [0] and IMASK [1] per timer; ISTATUS [2] is computed on read.
    var control: [UInt32]
    var compareValue: [UInt64]
    /// The level last driven into the GIC per timer.
    var outputLevel: [Bool]

    /// CNTx_CTL bits.
    static let ctlEnable: UInt32 = 1 << 0
    static let ctlIMask: UInt32 = 1 << 1
    static let ctlIStatus: UInt32 = 1 << 2
    /// CNTKCTL: PL0PCTEN, PL0VCTEN, EVNTEN, EVNTDIR, EVNTI[7:4], PL0VTEN, PL0PTEN (B4.1.26).
    static let cntkctlMask: UInt32 = 0x3FF
    /// CNTHCTL: PL1PCTEN, PL1PCEN, EVNTEN, EVNTDIR, EVNTI[7:4] (B4.1.27).
    static let cnthctlMask: UInt32 = 0xFF

    /// - Parameters:
    ///   - spec: `interrupts` = [secure phys, NS phys, virt, hyp] PPIs (default 29, 30, 27, 26
    ///     when the list is not four long; `ARMPlatformDevices` rejects a malformed list);
    ///     property `cntfrq` = CNTFRQ reset value.
    public init(spec: DeviceSpec, cpuCount: Int, gic: GICv2, host: DeviceHost) {
        name = spec.name
        self.gic = gic
        self.host = host
        let cpus = max(cpuCount, 0)
        self.cpuCount = cpus
        let ids = spec.interrupts.count == 4 ? spec.interrupts : GenericTimer.defaultInterrupts
        interrupts = Interrupts(securePhysical: ids[0], nonSecurePhysical: ids[1], virtual: ids[2], hyp: ids[3])
        let frequencyReset = UInt32(truncatingIfNeeded: spec.property("cntfrq") ?? GenericTimer.defaultFrequency)
        frequency = [UInt32](repeating: frequencyReset, count: cpus)
        // CNTKCTL, CNTHCTL, CNTVOFF, CVALs reset UNKNOWN in the ARM ARM; zero as in QEMU.
        kernelControl = [UInt32](repeating: 0, count: cpus)
        hypControl = [UInt32](repeating: 0, count: cpus)
        virtualOffset = [UInt64](repeating: 0, count: cpus)
        control = [UInt32](repeating: 0, count: cpus * 3)
        compareValue = [UInt64](repeating: 0, count: cpus * 3)
        outputLevel = [Bool](repeating: false, count: cpus * 3)
    }

    // MARK: Register access

    /// The value of `reg` on core `cpu`. 32-bit registers return their value zero-extended;
    /// TVAL returns the low 32 bits of CVAL − counter (a signed 32-bit quantity).
    public func read(_ reg: Register, cpu: Int) -> UInt64 {
        guard cpu >= 0, cpu < cpuCount else { return 0 }
        switch reg {
        case .cntfrq: return UInt64(frequency[cpu])
        case .cntpct: return host.virtualTime(cpu: cpu)
        case .cntvct: return host.virtualTime(cpu: cpu) &- virtualOffset[cpu]
        case .cntkctl: return UInt64(kernelControl[cpu])
        case .cnthctl: return UInt64(hypControl[cpu])
        case .cntvoff: return virtualOffset[cpu]
        case .cntpTval: return timerValue(.physical, cpu: cpu)
        case .cntvTval: return timerValue(.virtual, cpu: cpu)
        case .cnthpTval: return timerValue(.hyp, cpu: cpu)
        case .cntpCtl: return timerControl(.physical, cpu: cpu)
        case .cntvCtl: return timerControl(.virtual, cpu: cpu)
        case .cnthpCtl: return timerControl(.hyp, cpu: cpu)
        case .cntpCval: return compareValue[cpu * 3 + Timer.physical.rawValue]
        case .cntvCval: return compareValue[cpu * 3 + Timer.virtual.rawValue]
        case .cnthpCval: return compareValue[cpu * 3 + Timer.hyp.rawValue]
        }
    }

    /// Write `value` to `reg` on core `cpu` (32-bit registers take the low 32 bits). Writes to
    /// the read-only counters are ignored.
    public func write(_ reg: Register, value: UInt64, cpu: Int) {
        guard cpu >= 0, cpu < cpuCount else { return }
        let low = UInt32(truncatingIfNeeded: value)
        switch reg {
        case .cntfrq: frequency[cpu] = low; return
        case .cntpct, .cntvct: return
        case .cntkctl: kernelControl[cpu] = low & GenericTimer.cntkctlMask; return
        case .cnthctl: hypControl[cpu] = low & GenericTimer.cnthctlMask; return
        case .cntvoff: virtualOffset[cpu] = value
        case .cntpTval: setTimerValue(.physical, low, cpu: cpu)
        case .cntvTval: setTimerValue(.virtual, low, cpu: cpu)
        case .cnthpTval: setTimerValue(.hyp, low, cpu: cpu)
        case .cntpCtl: control[cpu * 3 + Timer.physical.rawValue] = low & 3
        case .cntvCtl: control[cpu * 3 + Timer.virtual.rawValue] = low & 3
        case .cnthpCtl: control[cpu * 3 + Timer.hyp.rawValue] = low & 3
        case .cntpCval: compareValue[cpu * 3 + Timer.physical.rawValue] = value
        case .cntvCval: compareValue[cpu * 3 + Timer.virtual.rawValue] = value
        case .cnthpCval: compareValue[cpu * 3 + Timer.hyp.rawValue] = value
        }
        evaluate(cpu: cpu, schedule: true)
    }

    /// The machine calls this when a deadline requested through `requestTimerEvent` is
    /// reached: outputs are re-evaluated and the next deadline requested.
    public func timerEvent(cpu: Int) {
        guard cpu >= 0, cpu < cpuCount else { return }
        evaluate(cpu: cpu, schedule: true)
    }

    // MARK: Timer semantics

    func count(_ timer: Timer, cpu: Int, now: UInt64) -> UInt64 {
        timer == .virtual ? now &- virtualOffset[cpu] : now
    }

    /// ISTATUS: the timer condition CVAL ≤ counter, unsigned 64-bit (B8.1.5). Reported only
    /// while the timer is enabled, as in QEMU (the ARM ARM leaves it UNKNOWN otherwise).
    func conditionMet(_ timer: Timer, cpu: Int, now: UInt64) -> Bool {
        let i = cpu * 3 + timer.rawValue
        return control[i] & GenericTimer.ctlEnable != 0 && count(timer, cpu: cpu, now: now) >= compareValue[i]
    }

    func timerControl(_ timer: Timer, cpu: Int) -> UInt64 {
        evaluate(cpu: cpu, schedule: false)
        let now = host.virtualTime(cpu: cpu)
        let status = conditionMet(timer, cpu: cpu, now: now) ? GenericTimer.ctlIStatus : 0
        return UInt64(control[cpu * 3 + timer.rawValue] | status)
    }

    /// TVAL reads CVAL − counter, truncated to 32 bits (B8.1.5: a signed down-counter view).
    func timerValue(_ timer: Timer, cpu: Int) -> UInt64 {
        let now = host.virtualTime(cpu: cpu)
        let i = cpu * 3 + timer.rawValue
        return UInt64(UInt32(truncatingIfNeeded: compareValue[i] &- count(timer, cpu: cpu, now: now)))
    }

    /// A TVAL write sets CVAL = counter + SignExtend(TVAL), wrapping.
    func setTimerValue(_ timer: Timer, _ value: UInt32, cpu: Int) {
        let now = host.virtualTime(cpu: cpu)
        let delta = UInt64(bitPattern: Int64(Int32(bitPattern: value)))
        compareValue[cpu * 3 + timer.rawValue] = count(timer, cpu: cpu, now: now) &+ delta
    }

    func ppi(_ timer: Timer) -> Int {
        switch timer {
        case .physical: return interrupts.nonSecurePhysical
        case .virtual: return interrupts.virtual
        case .hyp: return interrupts.hyp
        }
    }

    /// Drive each timer's output to ENABLE && ISTATUS && !IMASK; with `schedule`, ask the host
    /// for an event at the earliest time an unmasked, enabled timer will fire.
    func evaluate(cpu: Int, schedule: Bool) {
        let now = host.virtualTime(cpu: cpu)
        var earliest: UInt64?
        for timer in Timer.all {
            let i = cpu * 3 + timer.rawValue
            let met = conditionMet(timer, cpu: cpu, now: now)
            let masked = control[i] & GenericTimer.ctlIMask != 0
            let level = met && !masked
            if level != outputLevel[i] {
                outputLevel[i] = level
                gic.setPPI(cpu: cpu, id: ppi(timer), level: level)
            }
            if schedule && !met && !masked && control[i] & GenericTimer.ctlEnable != 0 {
                // The counter reaches CVAL after CVAL − count more ticks of virtual time.
                let remaining = compareValue[i] &- count(timer, cpu: cpu, now: now)
                let (deadline, overflow) = now.addingReportingOverflow(remaining)
                if !overflow { earliest = min(earliest ?? deadline, deadline) }
            }
        }
        if let deadline = earliest {
            host.requestTimerEvent(cpu: cpu, at: deadline)
        }
    }
}
