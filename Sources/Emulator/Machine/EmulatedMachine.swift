import Images
import Profiles

/// What the command line does with a machine, whatever its architecture.
public protocol EmulatedMachine: AnyObject {
    var consoleSink: ((UInt8, String, Int) -> Void)? { get set }
    /// Check the image against the machine, load it, and start the cores as the boot protocol
    /// says.
    func load(_ image: LoadedImage) throws
    func run<P: SchedulePolicy>(maxInstructions: UInt64, policy: inout P, monitor: RunMonitor?) -> RunOutcome
    func result(image: String, outcome: RunOutcome) -> RunResult
    func attach(_ sink: EventSink)
    func inject(_ faults: [FaultInjection]) throws
}

extension EmulatedMachine {
    /// Run with nothing watching but the sinks.
    public func run<P: SchedulePolicy>(maxInstructions: UInt64, policy: inout P) -> RunOutcome {
        run(maxInstructions: maxInstructions, policy: &policy, monitor: nil)
    }
}

extension ARMMachine: EmulatedMachine {}
extension RISCVMachine: EmulatedMachine {}

/// Build the machine a description asks for.
public func makeMachine(_ spec: MachineDescription) throws -> EmulatedMachine {
    switch spec.architecture {
    case .armv7a: return try ARMMachine(spec: spec)
    case .rv64: return try RISCVMachine(spec: spec)
    }
}
