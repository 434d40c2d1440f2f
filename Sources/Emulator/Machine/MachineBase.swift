import Profiles

/// What every machine has, whatever its cores: the description it was built from, RAM, the
/// bus, the console, the findings, how the guest asked the run to stop, and when each core's
/// time-based devices next need a look. `ARMMachine` and `RISCVMachine` add their cores,
/// platform devices and firmware.
public class MachineBase {
    public let spec: MachineDescription
    public let ram: PhysicalMemory
    public final let bus = Bus()

    /// `symbol+offset` for an address, from the loaded image's symbol table.
    public final var symbolize: (UInt64) -> String = { "0x" + String($0, radix: 16, uppercase: true) }
    /// Called for every console byte as it is written (streaming output).
    public final var consoleSink: ((UInt8, String, Int) -> Void)?
    public final private(set) var consoleBytes: [UInt8] = []
    /// Findings in the order they happened.
    public final private(set) var findings: [Finding] = []
    /// Set when the guest asked the platform to stop (exit or reset).
    public final internal(set) var stopRequested = false
    public final internal(set) var exitCode: Int?
    public final internal(set) var stopReason: String?
    /// Earliest virtual time at which each core's time-based devices need a look.
    final var timerDeadline: [UInt64]

    /// Event sinks (Events/). Cores and devices build events and consult injected faults only
    /// while `observed` is set: with nothing attached, each cold path pays one load and compare.
    public final internal(set) var sinks: [EventSink] = []
    /// The faults injected into this run (`--inject`), in the order given.
    public final internal(set) var injections: [FaultInjection] = []
    public final internal(set) var observed = false
    /// Words whose writers are recorded (`watchWrites`), by physical address: their size.
    final var watchedWords: [UInt64: Int] = [:]
    /// The last store to each watched word.
    public final private(set) var lastWrites: [UInt64: WriteRecord] = [:]
    /// IPIs an injected `delay-ipi` holds back: delivered when their target's time reaches `at`.
    final var delayedIPIs: [(target: Int, at: UInt64, deliver: () -> Void)] = []
    /// Per core: the instruction count at which an injected `stall-after` stops it.
    final var injectedStallAfter: [UInt64]
    /// Addresses an injected `stall-at` stops a core at: the decoder marks the instructions
    /// there (StallPoints.swift), so the interpreter loop pays nothing for them.
    final var stallPoints: Set<UInt64> = []
    final var hasStallPoints = false
    /// Cores that are never started: boot, PSCI CPU_ON, the boot pen and SBI HSM leave them
    /// off (an injected `hold-in-reset`, or a host-driven run on chosen cores only).
    public final var coresHeldInReset: Set<Int> = []
    /// The core that boots the image, when a host-driven run chooses it (`check` runs its probe
    /// on each core in turn as the boot core); nil: the machine's own (CPU 0, or the lowest hart
    /// with S-mode under the built-in SBI).
    public final var bootCPU: Int?
    private var busErrorsNoted = 0

    /// The first RAM region is the main RAM (instructions are fetched from it, served inline);
    /// the others become data memory on the bus.
    init(spec: MachineDescription, entryStride: Int, granuleShift: Int) throws {
        guard let region = spec.ram.first else {
            throw MachineError(file: spec.file, message: "machine \(spec.name) has no RAM")
        }
        self.spec = spec
        ram = PhysicalMemory(base: region.base, size: region.size, entryStride: entryStride, granuleShift: granuleShift)
        timerDeadline = Array(repeating: .max, count: spec.cores.count)
        injectedStallAfter = Array(repeating: .max, count: spec.cores.count)
        bus.observer = self
        for region in spec.ram.dropFirst() { bus.map(RAMDevice(region: region), at: region) }
    }

    public final func report(_ finding: Finding) {
        findings.append(finding)
    }

    /// Whether an access nothing answered should still be noted (the first eight are).
    final func shouldNoteBusError() -> Bool {
        busErrorsNoted += 1
        return busErrorsNoted <= 8
    }

    /// Make every core look at the machine state before its next instruction.
    func attendAllCores() {}

    /// Record who writes `words` (physical addresses) from now on. The stores reach the
    /// machine through the path exclusive monitors already use, which the subclasses open.
    public func watchWrites(_ words: [(address: UInt64, size: Int)]) {
        for w in words { watchedWords[w.address] = max(w.size, 1) }
    }

    final func noteWatchedStore(_ address: UInt64, size: Int, by cpu: Int) {
        for (word, length) in watchedWords where address < word &+ UInt64(length) && word < address &+ UInt64(size) {
            let (time, pc) = coreClock(cpu)
            lastWrites[word] = WriteRecord(cpu: cpu, pc: pc, time: time)
        }
    }

    /// Core `cpu`'s virtual time and the address of the instruction it is executing (events).
    func coreClock(_ cpu: Int) -> (UInt64, UInt64) { (0, 0) }

    // MARK: The DeviceHost requirements every machine shares

    public var coreCount: Int { spec.cores.count }

    public final func requestTimerEvent(cpu: Int, at time: UInt64) {
        guard cpu >= 0 && cpu < timerDeadline.count else { return }
        timerDeadline[cpu] = min(timerDeadline[cpu], time)
    }

    public final func requestExit(code: Int, reason: String) {
        guard !stopRequested else { return }
        stopRequested = true
        exitCode = code
        stopReason = reason
        attendAllCores()
    }

    public final func requestReset(reason: String) {
        guard !stopRequested else { return }
        stopRequested = true
        stopReason = reason
        attendAllCores()
    }

    public final func consoleOutput(_ byte: UInt8, device: String, cpu: Int) {
        consoleBytes.append(byte)
        consoleSink?(byte, device, cpu)
        if observed { emit(.consoleByte(byte), cpu: cpu) }
    }
}

/// A store to a watched word: which core, where, when (its virtual time).
public struct WriteRecord: Sendable, Equatable {
    public var cpu: Int
    public var pc: UInt64
    public var time: UInt64
}

/// A machine that cannot be built as described.
public struct MachineError: Error, CustomStringConvertible {
    public var file: String
    public var message: String
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }
    public var description: String { "\(file): \(message)" }
}
