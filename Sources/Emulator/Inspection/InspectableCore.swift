/// What a checker may ask of a core, whatever its architecture: where it is, whether it can
/// take an interrupt, what its next instruction reads — and to step it one instruction at a
/// time, which is how a checker tells a spin from progress. Off the hot path: nothing here is
/// used while the scheduler runs quanta.
public protocol InspectableCore: AnyObject {
    var index: Int { get }
    var profileName: String { get }
    var runState: CoreRunState { get }
    var time: UInt64 { get }
    var instructionsRetired: UInt64 { get }
    /// The address of the next instruction.
    var resumeAddress: UInt64 { get }
    /// ARM mode ("HYP", "SVC") or RISC-V privilege ("S", "M", "VS").
    var modeName: String { get }
    /// What a user calls the core in a sentence: "CPU 2 (Cortex-A7)", "hart 1 (rv64gch)".
    var displayName: String { get }
    /// Run exactly one instruction (or take one pending interrupt). False when the core cannot
    /// run (asleep, off, stalled).
    func step() -> Bool
    /// A hash of the architectural state a program can observe in its registers: the general
    /// registers, the PC, flags, mode and the interrupt masks. Equal at the same PC twice means
    /// the core went round a loop in which nothing it loaded changed.
    var stateFingerprint: UInt64 { get }
    /// The address (and size) the next instruction loads from, if it is a load.
    func nextLoad() -> (address: UInt64, size: Int)?
    /// Read guest memory the way the core would see it (untranslated: physical), for reports.
    func peek(_ address: UInt64, size: Int) -> UInt64?
    /// Why the core does not take the inter-processor interrupt `interrupt` (SGI ID, `mip`
    /// bit): masks, controller state. Empty when it would take it now.
    func ipiBlockers(interrupt: Int) -> [String]
    /// The exception-vector slot `address` falls in for the core's current mode, named as the
    /// manual names it ("HVBAR+0x0C (prefetch abort)"), or nil.
    func vectorSlot(at address: UInt64) -> String?
    /// Whether the IPI `interrupt` is pending on this core.
    func isIPIPending(interrupt: Int) -> Bool
    /// Whether an interrupt is pending that the core would take right now.
    var hasTakeableInterrupt: Bool { get }
}

/// What a checker may ask of a machine.
public protocol InspectableMachine: AnyObject {
    var inspectableCores: [InspectableCore] { get }
    var symbolize: (UInt64) -> String { get }
    /// Whether a time-based device will look at core `cpu` again (a timer is armed).
    func hasPendingTimer(cpu: Int) -> Bool
    var injections: [FaultInjection] { get }
    func report(_ finding: Finding)
    /// Writes to watched words (`watchWrites`): whether any word is watched, and the last write.
    var watchesWrites: Bool { get }
    func lastWrite(to address: UInt64) -> WriteRecord?
}

extension ARMMachine: InspectableMachine {
    public var inspectableCores: [InspectableCore] { cores }
}

extension RISCVMachine: InspectableMachine {
    public var inspectableCores: [InspectableCore] { cores }
}

extension MachineBase {
    public var watchesWrites: Bool { !watchedWords.isEmpty }
    public func lastWrite(to address: UInt64) -> WriteRecord? { lastWrites[address] }

    public func hasPendingTimer(cpu: Int) -> Bool {
        cpu >= 0 && cpu < timerDeadline.count && timerDeadline[cpu] != .max
    }
}
