/// Something a run found that the user must hear about, stated as a diagnosis rather than a
/// log line: what happened, on which cores, where, and when (in that core's instructions).
public struct Finding: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// The guest used something hetboot does not implement yet; the core stopped.
        case notSupported = "not-supported"
        /// An access to an address no RAM or device answers (the guest took an abort).
        case busError = "bus-error"
        /// An MRC/MCR to a register the core does not have or may not reach (UNDEFINED).
        case undefinedRegister = "undefined-register"
        /// A VFP/Advanced SIMD instruction, taken as UNDEFINED.
        case unimplementedInstruction = "unimplemented-instruction"
        /// Every core is asleep or off and nothing can wake any of them.
        case hang
    }

    public var kind: Kind
    public var cores: [Int]
    public var summary: String
    public var pc: UInt64?
    public var mode: String?
    public var instructionCount: UInt64?

    public init(kind: Kind, cores: [Int], summary: String, pc: UInt64? = nil, mode: String? = nil,
                instructionCount: UInt64? = nil) {
        self.kind = kind
        self.cores = cores
        self.summary = summary
        self.pc = pc
        self.mode = mode
        self.instructionCount = instructionCount
    }
}
