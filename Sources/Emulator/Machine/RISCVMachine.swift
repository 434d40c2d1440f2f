import Profiles

/// A RISC-V machine: harts built from their profiles, RAM, the bus with the platform's devices
/// (ACLINT, PLIC, UARTs, the test finisher) and the firmware model. One run is one thread.
public final class RISCVMachine: MachineBase, DeviceHost {
    public private(set) var cores: [RISCVCore] = []
    public internal(set) var platform: RISCVPlatform?

    /// Harts holding an LR reservation: stores consult them only while this is non-zero.
    var openReservations = 0

    public init(spec: MachineDescription) throws {
        try super.init(spec: spec, entryStride: RISCVCore.entryStride, granuleShift: 1)
        for (i, slot) in spec.cores.enumerated() {
            cores.append(RISCVCore(index: i, slot: slot, machine: self, ram: ram))
        }
        // The mask ROM holds the reset vector and fw_dynamic_info: memory, not a device model.
        var devices = spec
        devices.devices.removeAll { $0.kind == "mrom" }
        platform = try RISCVPlatformDevices.build(machine: devices, host: self)
        for (region, device) in platform?.mmio ?? [] { bus.map(device, at: region) }
        for rom in spec.devices where rom.kind == "mrom" {
            for region in rom.regions { bus.map(RAMDevice(region: region), at: region) }
        }
    }

    /// Watched stores come through `observeStore`: keep it called (as an open reservation
    /// would).
    public override func watchWrites(_ words: [(address: UInt64, size: Int)]) {
        if watchedWords.isEmpty && !words.isEmpty { openReservations += 1 }
        super.watchWrites(words)
    }

    override func attendAllCores() {
        for core in cores { core.attention = true }
    }

    override func coreClock(_ cpu: Int) -> (UInt64, UInt64) {
        guard cpu >= 0 && cpu < cores.count else { return (0, 0) }
        return (cores[cpu].time, cores[cpu].pc)
    }

    /// A store while some hart holds a reservation: other harts' reservations on the same
    /// 8-byte granule are lost (unprivileged spec §8.2: a store by another hart to the reserved
    /// set invalidates the reservation).
    func observeStore(_ address: UInt64, size: Int, by hart: Int) {
        if !watchedWords.isEmpty { noteWatchedStore(address, size: size, by: hart) }
        let first = address & ~7, last = (address &+ UInt64(size) &- 1) & ~7
        for core in cores where core.index != hart && core.reservationValid {
            let tag = core.reservation & ~7
            if tag == first || tag == last { core.clearReservation() }
        }
    }

    func noteBusError(address: UInt64, write: Bool, cpu: Int, pc: UInt64, fetch: Bool = false) {
        guard shouldNoteBusError() else { return }
        let what = fetch ? "instruction fetch from" : (write ? "write to" : "read from")
        report(Finding(kind: .busError, cores: [cpu],
                       summary: "hart \(cpu): \(what) 0x\(String(address, radix: 16, uppercase: true)) at \(symbolize(pc)): no RAM or device there (access fault)",
                       pc: pc, mode: cores[cpu].modeName, instructionCount: cores[cpu].instructionsRetired))
    }

    /// The platform timer's mtime as hart `cpu` reads it (virtual time when there is none).
    func mtime(cpu: Int) -> UInt64 {
        platform?.aclint?.mtime(cpu: cpu) ?? cores[cpu].time
    }

    /// Sstc: look at hart `cpu` again when mtime reaches `value`.
    func requestTimerEvent(cpu: Int, atMtime value: UInt64) {
        let now = mtime(cpu: cpu)
        guard value > now else { return }   // already due: mip shows STIP on the next read
        requestTimerEvent(cpu: cpu, at: cores[cpu].time &+ (value - now))
    }

    // MARK: DeviceHost

    public func setInterruptLines(cpu: Int, irq: Bool, fiq: Bool) {}

    public func setInterruptLine(cpu: Int, line: Int, level: Bool) {
        guard cpu >= 0 && cpu < cores.count, line >= 0 && line < 64 else { return }
        let core = cores[cpu]
        let bit: UInt64 = 1 << UInt64(line)
        if UInt64(line) == RVInterrupt.SSI {
            // ACLINT SSWI sets SSIP; software clears it.
            if level { core.csr.mipSoftware |= bit }
        } else if level {
            core.mipLines |= bit
        } else {
            core.mipLines &= ~bit
        }
        core.attention = true
    }

    public func virtualTime(cpu: Int) -> UInt64 {
        guard cpu >= 0 && cpu < cores.count else { return 0 }
        return cores[cpu].time
    }
}

extension RISCVMachine: ScheduledMachine {
    var scheduledCores: [RISCVCore] { cores }

    func fireTimerEvent(cpu: Int) {
        platform?.aclint?.timerEvent(cpu: cpu)
        fireDelayedIPIs(cpu: cpu)
        sbiTimerEvent(cores[cpu])
        // Sstc: STIP is computed from stimecmp on every read of mip; look again now.
        let core = cores[cpu]
        core.attention = true
        if core.stimecmpEnabled && core.csr.stimecmp != .max { requestTimerEvent(cpu: cpu, atMtime: core.csr.stimecmp) }
    }

    public func run<P: SchedulePolicy>(maxInstructions: UInt64, policy: inout P, monitor: RunMonitor?) -> RunOutcome {
        schedule(maxInstructions: maxInstructions, policy: &policy, monitor: monitor)
    }
}

extension RISCVCore: ScheduledCore {
    public var resumeAddress: UInt64 { nextPC }

    func wakeIfPossible() {
        if runState == .waitForInterrupt && hasWakeUpInterrupt {
            hsmSuspended = false
            runState = .running
            attention = true
            if machine.observed { machine.emit(.wake, cpu: index) }
        }
    }
}
