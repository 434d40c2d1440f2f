import Profiles

/// An ARM machine: cores built from their profiles, RAM, the bus with the platform's devices,
/// and the firmware model that enters the cores. One run is one thread; everything here is
/// driven by the scheduler.
public final class ARMMachine: MachineBase, DeviceHost {
    public private(set) var cores: [ARMCore] = []
    /// The platform's devices (GIC, timer, system registers …), once wired.
    public internal(set) var platform: ARMPlatform?
    /// Where the generated device tree was placed, for a machine that has one (ImageLoading).
    public internal(set) var deviceTreeAddress: UInt64?

    /// How many cores hold an open exclusive-monitor tag: stores consult the global monitor
    /// only while this is non-zero.
    var openExclusiveTags = 0
    private var unimplementedReported = Set<Int>()
    private var undefinedRegistersReported = 0

    public init(spec: MachineDescription) throws {
        if let region = spec.ram.first, region.end > 0x1_0000_0000 {
            throw MachineError(file: spec.file, message: "RAM \(region.name) ends above 4 GiB, beyond what an ARMv7 core reaches without LPAE translation")
        }
        try super.init(spec: spec, entryStride: ARMCore.entryStride, granuleShift: 2)
        symbolize = { "0x" + hex32(UInt32(truncatingIfNeeded: $0)) }
        for (i, slot) in spec.cores.enumerated() {
            cores.append(ARMCore(index: i, slot: slot, machine: self, ram: ram))
        }
        platform = try ARMPlatformDevices.build(machine: spec, host: self)
        for (region, device) in platform?.mmio ?? [] { bus.map(device, at: region) }
    }

    /// Watched stores come through `observeStore`: keep it called (as an open exclusive tag
    /// would).
    public override func watchWrites(_ words: [(address: UInt64, size: Int)]) {
        if watchedWords.isEmpty && !words.isEmpty { openExclusiveTags += 1 }
        super.watchWrites(words)
    }

    override func attendAllCores() {
        for core in cores { core.attention = true }
    }

    override func coreClock(_ cpu: Int) -> (UInt64, UInt64) {
        guard cpu >= 0 && cpu < cores.count else { return (0, 0) }
        return (cores[cpu].time, UInt64(cores[cpu].currentPC))
    }

    /// PERIPHBASE as CBAR reports it (A15/A7 TRM): the machine's `periphbase` property of its
    /// GIC, or the 32 KiB-aligned base below the distributor.
    public var peripheralBase: UInt32 {
        guard let gic = spec.device(kind: "gic-v2") else { return 0 }
        if let p = gic.property("periphbase") { return UInt32(truncatingIfNeeded: p) }
        let gicd = gic.regions.first { $0.name == "gicd" } ?? gic.regions.first
        return UInt32(truncatingIfNeeded: gicd?.base ?? 0) & 0xFFFF_8000
    }

    // MARK: Bookkeeping the cores report

    /// A store to RAM while some core holds an exclusive tag: the global monitor clears the
    /// tags of the other cores in the same reservation granule (A3.4.2).
    func observeStore(_ address: UInt32, size: Int, by cpu: Int) {
        if !watchedWords.isEmpty { noteWatchedStore(UInt64(address), size: size, by: cpu) }
        for core in cores where core.index != cpu && core.exclusiveOpen {
            let mask = core.exclusiveGranuleMask
            let first = address & mask, last = (address &+ UInt32(size) &- 1) & mask
            let tag = core.exclusiveTag & mask
            if tag == first || tag == last {
                // Clearing a global monitor is a WFE wake-up event (B1.8.13).
                core.clearExclusive()
                core.eventRegister = true
                if core.runState == .waitForEvent { core.runState = .running }
            }
        }
    }

    /// An access nothing answered. The guest takes the abort; the run notes the first few so a
    /// user sees why a handler ran.
    func noteBusError(address: UInt64, write: Bool, cpu: Int, pc: UInt32, fetch: Bool = false) {
        guard shouldNoteBusError() else { return }
        let what = fetch ? "instruction fetch from" : (write ? "write to" : "read from")
        report(Finding(kind: .busError, cores: [cpu],
                       summary: "CPU \(cpu): \(what) 0x\(hex32(UInt32(truncatingIfNeeded: address))) at \(symbolize(UInt64(pc))): no RAM or device there (external abort)",
                       pc: UInt64(pc), mode: cores[cpu].mode.name, instructionCount: cores[cpu].instructionsRetired))
    }

    /// A coprocessor register the core does not have (or may not reach from that mode): the
    /// guest takes the Undefined Instruction exception; the first few are noted for the user.
    func noteUndefinedRegister(cpu: Int, pc: UInt32, register: String, write: Bool, mode: String) {
        undefinedRegistersReported += 1
        guard undefinedRegistersReported <= 8 else { return }
        report(Finding(kind: .undefinedRegister, cores: [cpu],
                       summary: "CPU \(cpu): \(write ? "MCR to" : "MRC from") \(register) in \(mode) mode at \(symbolize(UInt64(pc))): no such register or not accessible from this mode (UNDEFINED)",
                       pc: UInt64(pc), mode: mode, instructionCount: cores[cpu].instructionsRetired))
    }

    func noteUnimplemented(cpu: Int, pc: UInt32, word: UInt32) {
        guard unimplementedReported.insert(cpu).inserted else { return }
        report(Finding(kind: .unimplementedInstruction, cores: [cpu],
                       summary: "CPU \(cpu): VFP/Advanced SIMD instruction 0x\(hex32(word)) at \(symbolize(UInt64(pc))) is not implemented; taken as UNDEFINED",
                       pc: UInt64(pc), mode: cores[cpu].mode.name, instructionCount: cores[cpu].instructionsRetired))
    }

    // MARK: DeviceHost

    public func setInterruptLines(cpu: Int, irq: Bool, fiq: Bool) {
        guard cpu >= 0 && cpu < cores.count else { return }
        let core = cores[cpu]
        if core.irqLine != irq || core.fiqLine != fiq {
            core.irqLine = irq
            core.fiqLine = fiq
            core.attention = true
        }
    }

    public func setVirtualInterruptLines(cpu: Int, irq: Bool, fiq: Bool) {
        guard cpu >= 0 && cpu < cores.count else { return }
        let core = cores[cpu]
        if core.virtualIRQLine != irq || core.virtualFIQLine != fiq {
            core.virtualIRQLine = irq
            core.virtualFIQLine = fiq
            core.attention = true
        }
    }

    public func setInterruptLine(cpu: Int, line: Int, level: Bool) {
        guard cpu >= 0 && cpu < cores.count, line == 0 || line == 1 else { return }
        let core = cores[cpu]
        setInterruptLines(cpu: cpu, irq: line == 0 ? level : core.irqLine, fiq: line == 1 ? level : core.fiqLine)
    }

    public func virtualTime(cpu: Int) -> UInt64 {
        guard cpu >= 0 && cpu < cores.count else { return 0 }
        return cores[cpu].time
    }
}
