import Profiles

/// What a run produced, for reports: the outcome, each core's final state, the findings, and a
/// hash that proves two runs identical.
public struct RunResult: Sendable {
    public struct CoreSummary: Sendable {
        public var index: Int
        public var profile: String
        public var midr: UInt32
        public var mpidr: UInt32
        public var mode: String
        public var security: String
        public var pc: UInt32
        public var pcSymbol: String
        public var instructions: UInt64
        public var state: String
    }

    public var machine: String
    public var image: String
    public var outcome: RunOutcome
    public var cores: [CoreSummary]
    public var findings: [Finding]
    public var console: [UInt8]
    public var totalInstructions: UInt64
    /// FNV-1a over the console output and every core's final registers, CPSR, mode, PC and
    /// instruction count: equal hashes mean the two runs ended in the same state.
    public var stateHash: UInt64
}

extension ARMMachine {
    /// Summarise the machine after `run`.
    public func result(image: String, outcome: RunOutcome) -> RunResult {
        var hash = FNV1a()
        hash.add(consoleBytes)
        let summaries = cores.map { core -> RunResult.CoreSummary in
            for i in 0..<15 { hash.add(core.r[i]) }
            hash.add(core.nextPC)
            hash.add(core.cpsr)
            hash.add(core.instructionsRetired)
            let state: String
            switch core.runState {
            case .running: state = "running"
            case .waitForInterrupt: state = "sleeping (WFI)"
            case .waitForEvent: state = "sleeping (WFE)"
            case .off: state = "off"
            case .pen: state = "parked (boot monitor pen)"
            case .halted: state = "halted"
            }
            return RunResult.CoreSummary(
                index: core.index, profile: core.profile.name, midr: core.midr,
                mpidr: UInt32(truncatingIfNeeded: core.slot.mpidr), mode: core.mode.name,
                security: core.isSecure ? "secure" : "non-secure", pc: core.nextPC,
                pcSymbol: symbolize(UInt64(core.nextPC)), instructions: core.instructionsRetired, state: state)
        }
        return RunResult(machine: spec.name, image: image, outcome: outcome, cores: summaries, findings: findings,
                         console: consoleBytes, totalInstructions: cores.reduce(0) { $0 &+ $1.instructionsRetired },
                         stateHash: hash.value)
    }
}

/// 64-bit FNV-1a: small, stable across platforms and Swift versions (unlike `Hasher`).
struct FNV1a {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325
    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    mutating func add(_ bytes: [UInt8]) { for b in bytes { add(b) } }
    mutating func add(_ v: UInt32) { for i in 0..<4 { add(UInt8(truncatingIfNeeded: v >> UInt32(8 * i))) } }
    mutating func add(_ v: UInt64) { for i in 0..<8 { add(UInt8(truncatingIfNeeded: v >> UInt64(8 * i))) } }
}
