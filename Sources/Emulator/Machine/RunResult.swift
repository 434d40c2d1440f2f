import Profiles

/// What a run produced, for reports: the outcome, each core's final state, the findings, and a
/// hash that proves two runs identical.
public struct RunResult: Sendable {
    public struct CoreSummary: Sendable {
        public var index: Int
        public var profile: String
        /// The identification register (ARM MIDR, RISC-V misa as letters) and the core's
        /// place in the machine (ARM MPIDR, RISC-V mhartid), formatted for reports.
        public var identity: String
        public var affinity: String
        public var mode: String
        /// ARM's security state; nil where the architecture has none (RISC-V).
        public var security: String?
        public var pc: UInt64
        public var pcSymbol: String
        public var instructions: UInt64
        public var state: String
    }

    /// Column names for `identity` and `affinity` ("MIDR"/"MPIDR", "misa"/"mhartid").
    public var identityName: String
    public var affinityName: String
    public var machine: String
    public var image: String
    public var outcome: RunOutcome
    public var cores: [CoreSummary]
    public var findings: [Finding]
    /// The faults injected into the run (`--inject`), as given: every report lists them.
    public var injected: [String]
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
            return RunResult.CoreSummary(
                index: core.index, profile: core.profile.name, identity: hex32String(core.midr),
                affinity: hex32String(UInt32(truncatingIfNeeded: core.slot.mpidr)), mode: core.mode.name,
                security: core.isSecure ? "secure" : "non-secure", pc: UInt64(core.nextPC),
                pcSymbol: symbolize(UInt64(core.nextPC)), instructions: core.instructionsRetired, state: stateName(core.runState))
        }
        return RunResult(identityName: "MIDR", affinityName: "MPIDR",
                         machine: spec.name, image: image, outcome: outcome, cores: summaries, findings: findings,
                         injected: injections.map(\.text),
                         console: consoleBytes, totalInstructions: cores.reduce(0) { $0 &+ $1.instructionsRetired },
                         stateHash: hash.value)
    }
}

extension RISCVMachine {
    /// Summarise the machine after `run`.
    public func result(image: String, outcome: RunOutcome) -> RunResult {
        var hash = FNV1a()
        hash.add(consoleBytes)
        let summaries = cores.map { core -> RunResult.CoreSummary in
            for i in 0..<32 { hash.add(core.x[i]) }
            for i in 0..<32 { hash.add(core.f[i]) }
            hash.add(core.nextPC)
            hash.add(UInt64(core.privilege.rawValue))
            hash.add(core.instructionsRetired)
            return RunResult.CoreSummary(
                index: core.index, profile: core.profile.name, identity: misaString(core.csr.misa),
                affinity: String(core.slot.mpidr), mode: core.modeName, security: nil, pc: core.nextPC,
                pcSymbol: symbolize(core.nextPC), instructions: core.instructionsRetired, state: stateName(core.runState))
        }
        return RunResult(identityName: "misa", affinityName: "hart",
                         machine: spec.name, image: image, outcome: outcome, cores: summaries, findings: findings,
                         injected: injections.map(\.text),
                         console: consoleBytes, totalInstructions: cores.reduce(0) { $0 &+ $1.instructionsRetired },
                         stateHash: hash.value)
    }
}

/// misa as "RV64" plus its extension letters (A–Z for bits 0–25).
func misaString(_ misa: UInt64) -> String {
    let width = misa >> 62 == 2 ? "RV64" : misa >> 62 == 1 ? "RV32" : "RV?"
    let letters = (0..<26).filter { misa & (1 << UInt64($0)) != 0 }.map { Character(UnicodeScalar(UInt8(65 + $0))) }
    return width + String(letters)
}

func hex32String(_ v: UInt32) -> String { "0x" + hex32(v) }

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
