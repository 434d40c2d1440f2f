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
        /// Cores wait for each other (spinning on memory, waiting for IPIs) and none of them can
        /// make progress: the wait-for chain says who waits for whom and why.
        case deadlock
        /// A core re-enters an exception vector without progress (or loops in one), after the
        /// fault that started it.
        case recursiveException = "recursive-exception"
    }

    /// The last events of one core, formatted, oldest first.
    public struct CoreEvents: Equatable, Sendable {
        public var core: Int
        public var events: [String]
        public init(core: Int, events: [String]) {
            self.core = core
            self.events = events
        }
    }

    public var kind: Kind
    public var cores: [Int]
    public var summary: String
    public var pc: UInt64?
    public var mode: String?
    public var instructionCount: UInt64?
    /// `symbol+offset` of `pc`.
    public var symbol: String?
    /// The event that set it off (a fault, the IPI that was never taken, an injected stall).
    public var trigger: String?
    /// The explanation, one line per link: for a deadlock the wait-for chain.
    public var chain: [String] = []
    /// The last events of each core involved.
    public var recentEvents: [CoreEvents] = []
    /// The faults injected into the run (`--inject`), as given.
    public var injected: [String] = []

    public init(kind: Kind, cores: [Int], summary: String, pc: UInt64? = nil, mode: String? = nil,
                instructionCount: UInt64? = nil, symbol: String? = nil, trigger: String? = nil) {
        self.kind = kind
        self.cores = cores
        self.summary = summary
        self.pc = pc
        self.mode = mode
        self.instructionCount = instructionCount
        self.symbol = symbol
        self.trigger = trigger
    }
}
