/// Which core runs next and for how long. One thread runs the whole machine; a policy only
/// chooses the interleaving, so the same policy and inputs always give the same run.
public protocol SchedulePolicy {
    /// The next slice: a core that can run (from `runnable`, never empty) and how many
    /// instructions it may retire before the scheduler looks again.
    mutating func nextSlice(runnable: [Int]) -> (core: Int, instructions: UInt64)
}

/// Round-robin in fixed quanta of retired instructions, in CPU order.
public struct RoundRobin: SchedulePolicy {
    public let quantum: UInt64
    private var last = -1

    public init(quantum: UInt64) {
        self.quantum = max(quantum, 1)
    }

    public mutating func nextSlice(runnable: [Int]) -> (core: Int, instructions: UInt64) {
        let next = runnable.first { $0 > last } ?? runnable[0]
        last = next
        return (next, quantum)
    }
}

/// Watches a run from the scheduler (a hang and deadlock checker): asked at quantum boundaries,
/// at least `interval` instructions apart, whether the run must stop; told how the run ended.
public protocol RunMonitor: AnyObject {
    var interval: UInt64 { get }
    /// True stops the run with outcome `.hang` (the monitor has reported why).
    func check(totalInstructions: UInt64) -> Bool
    /// The run ended (for a hang or an exhausted budget: the moment to diagnose it).
    func finish(_ outcome: RunOutcome)
}

/// How a run ended.
public enum RunOutcome: Equatable, Sendable {
    /// The guest asked the platform to stop (semihosting exit, SYS_CFGCTRL, PSCI SYSTEM_OFF).
    case exited(code: Int, reason: String)
    /// The guest asked for a reset; hetboot does not reboot.
    case reset(reason: String)
    /// The instruction budget ran out with cores still running.
    case budgetExhausted
    /// Every core is asleep, off or parked, and nothing can wake any of them.
    case hang
    /// A core did something hetboot does not support yet (the finding says what).
    case notSupported

    /// The documented exit codes: 0 pass, 1 guest failure, 3 hang, 4 budget, 5 not supported.
    public var exitCode: Int32 {
        switch self {
        case .exited(let code, _): return code == 0 ? 0 : 1
        case .reset: return 0
        case .budgetExhausted: return 4
        case .hang: return 3
        case .notSupported: return 5
        }
    }
}

/// What the scheduler needs of a core, whatever its architecture.
protocol ScheduledCore: AnyObject {
    var index: Int { get }
    var runState: CoreRunState { get }
    var time: UInt64 { get set }
    var instructionsRetired: UInt64 { get }
    /// Where the core will execute next (for reports).
    var resumeAddress: UInt64 { get }
    func run(budget: UInt64) -> UInt64
    /// Wake the core if its architecture's wake-up condition holds (WFI/WFE, a parked core's
    /// release).
    func wakeIfPossible()
    /// Stop the core for good: an injected fault.
    func stall(_ fault: FaultInjection, detail: String)
}

/// What the scheduler needs of a machine.
protocol ScheduledMachine: AnyObject {
    associatedtype Core: ScheduledCore
    var scheduledCores: [Core] { get }
    var timerDeadline: [UInt64] { get set }
    var stopRequested: Bool { get }
    var exitCode: Int? { get }
    var stopReason: String? { get }
    var symbolize: (UInt64) -> String { get }
    var injections: [FaultInjection] { get }
    var injectedStallAfter: [UInt64] { get }
    func fireTimerEvent(cpu: Int)
    func report(_ finding: Finding)
}

extension ScheduledMachine {
    /// Run the booted machine until it stops, hangs or retires `maxInstructions` in total.
    func schedule<P: SchedulePolicy>(maxInstructions: UInt64, policy: inout P, monitor: RunMonitor?) -> RunOutcome {
        let outcome = scheduleCores(maxInstructions: maxInstructions, policy: &policy, monitor: monitor)
        monitor?.finish(outcome)
        return outcome
    }

    private func scheduleCores<P: SchedulePolicy>(maxInstructions: UInt64, policy: inout P, monitor: RunMonitor?) -> RunOutcome {
        let cores = scheduledCores
        var total: UInt64 = 0
        var nextCheck = monitor.map { max($0.interval, 1) } ?? .max
        while true {
            if let outcome = stopOutcome() { return outcome }
            if total >= maxInstructions { return .budgetExhausted }
            if total >= nextCheck, let monitor {
                if monitor.check(totalInstructions: total) { return .hang }
                nextCheck = total &+ max(monitor.interval, 1)
            }
            for core in cores { core.wakeIfPossible() }
            let runnable = cores.filter { $0.runState == .running }.map(\.index)
            if runnable.isEmpty {
                // Nothing runs: skip virtual time to the next device deadline, if there is one.
                guard let next = timerDeadline.min(), next != .max else {
                    if monitor == nil { reportHang() }
                    return .hang
                }
                for core in cores where core.time < next { core.time = next }
                fireDueTimers()
                for core in cores { core.wakeIfPossible() }
                if !cores.contains(where: { $0.runState == .running }) && timerDeadline.min() == .max {
                    if monitor == nil { reportHang() }
                    return .hang
                }
                continue
            }
            let (i, quantum) = policy.nextSlice(runnable: runnable)
            let core = cores[i]
            var slice = min(quantum, maxInstructions - total)
            let deadline = timerDeadline[i]
            if deadline > core.time { slice = min(slice, deadline - core.time) } else { slice = min(slice, 1) }
            let stallAfter = injectedStallAfter[i]
            if stallAfter != .max {
                // An injected stall-after: run exactly up to that instruction count.
                guard core.instructionsRetired < stallAfter else {
                    stallInjected(core, after: stallAfter)
                    continue
                }
                slice = min(slice, stallAfter - core.instructionsRetired)
            }
            total &+= core.run(budget: slice)
            if stallAfter != .max && core.instructionsRetired >= stallAfter && core.runState == .running {
                stallInjected(core, after: stallAfter)
            }
            // Cores that are not running keep up with the one that just ran.
            let now = core.time
            for other in cores where other.runState != .running && other.time < now { other.time = now }
            fireDueTimers()
        }
    }

    private func stallInjected(_ core: Core, after count: UInt64) {
        guard let fault = injections.first(where: {
            if case .stallAfter(let n) = $0.action { return $0.cpu == core.index && n == count }
            return false
        }) else { return }
        core.stall(fault, detail: "after \(count) instructions")
    }

    private func stopOutcome() -> RunOutcome? {
        if scheduledCores.contains(where: { $0.runState == .halted }) { return .notSupported }
        guard stopRequested else { return nil }
        if let code = exitCode { return .exited(code: code, reason: stopReason ?? "exit") }
        return .reset(reason: stopReason ?? "reset")
    }

    private func fireDueTimers() {
        for core in scheduledCores where timerDeadline[core.index] <= core.time {
            timerDeadline[core.index] = .max
            fireTimerEvent(cpu: core.index)
        }
    }

    private func reportHang() {
        let states = scheduledCores.map { "CPU \($0.index) \(stateName($0.runState)) at \(symbolize($0.resumeAddress))" }
        report(Finding(kind: .hang, cores: scheduledCores.map(\.index),
                       summary: "no core can make progress: " + states.joined(separator: "; ")))
    }
}

/// How reports name a core's state.
func stateName(_ s: CoreRunState) -> String {
    switch s {
    case .running: "running"
    case .waitForInterrupt: "sleeping in WFI"
    case .waitForEvent: "sleeping in WFE"
    case .off: "off"
    case .pen: "parked in the boot monitor's pen"
    case .halted: "halted"
    case .stalled: "stalled by an injected fault"
    }
}

extension ARMMachine: ScheduledMachine {
    var scheduledCores: [ARMCore] { cores }

    func fireTimerEvent(cpu: Int) {
        platform?.timer?.timerEvent(cpu: cpu)
        fireDelayedIPIs(cpu: cpu)
    }

    /// Run the booted machine until it stops, hangs or retires `maxInstructions` in total.
    public func run<P: SchedulePolicy>(maxInstructions: UInt64, policy: inout P, monitor: RunMonitor?) -> RunOutcome {
        schedule(maxInstructions: maxInstructions, policy: &policy, monitor: monitor)
    }
}

extension ARMCore: ScheduledCore {
    public var resumeAddress: UInt64 { UInt64(nextPC) }

    /// WFI wakes on any signalled interrupt, WFE on an event or an unmasked interrupt
    /// (B1.8.13); a core in the boot monitor's pen on an interrupt with SYS_FLAGS set.
    func wakeIfPossible() {
        switch runState {
        case .waitForInterrupt:
            if irqLine || fiqLine || virtualInterruptWakes {
                runState = .running
                attention = true
                if machine.observed { emit(.wake) }
            }
        case .waitForEvent:
            if eventRegister || hasUnmaskedInterrupt {
                eventRegister = false
                runState = .running
                attention = true
                if machine.observed { emit(.wake) }
            }
        case .pen:
            _ = machine.releaseFromPen(self)
        case .running, .off, .halted, .stalled:
            break
        }
    }
}
