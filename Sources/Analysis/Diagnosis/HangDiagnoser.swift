import Emulator

/// Turns a hang into a diagnosis (DESIGN "The cross-call engine", principle 6). As an event
/// sink it follows the guest's cross-calls — IPIs sent, pending, taken — and keeps each core's
/// last events; as the scheduler's monitor it looks at the machine every `interval`
/// instructions and stops the run when no core can make progress:
///
/// - a running core *spins* when its register state repeats (same PC, same registers, same
///   flags): it went round a loop in which every load returned what it returned before. It is
///   first suspected when its state at a check equals its state at an earlier check, then
///   stepped instruction by instruction until the state repeats (the loop: its PCs and loads);
/// - a sleeping core (WFI/WFE) with no armed timer, and an off, parked or stalled core, cannot
///   wake by itself;
/// - when every core is in one of those states and no timer is armed, nothing can change any
///   more: the run stops and the finding names who waits for whom (`WaitForGraph`).
public final class HangDiagnoser: EventSink, RunMonitor {
    public let interval: UInt64
    /// How many events of each core a finding quotes.
    public let recentCount: Int
    let machine: InspectableMachine
    var recent: [[MachineEvent]]
    /// Events in the order they arrived: each core stamps events with its own virtual time, so
    /// events of different cores are ordered by arrival.
    var arrivals = 0
    /// Per source core: the last IPI it sent to each target (and when it arrived).
    var lastIPISent: [[Int: MachineEvent]]
    var lastIPISentArrival: [[Int: Int]]
    var lastIPITakenArrival: [Int]
    var lastIPIDroppedArrival: [Int]
    /// Per core: the last IPI it took, and whether its handler has returned since: the
    /// exception nesting depth is counted (entries +1, returns −1) and the handler is done when
    /// the depth drops below the depth at which it acknowledged the IPI.
    var lastIPITaken: [MachineEvent?]
    var ipiHandlerOpen: [Bool]
    /// Per core: the last IPI to it that an injected fault dropped.
    var lastIPIDropped: [MachineEvent?]
    var exceptionDepth: [Int]
    var ipiDepth: [Int]
    /// Per core: the last exception entry, system-register write, injected fault, and the
    /// last event that masked interrupts (an exception entry or a CPSR/sstatus/mstatus write).
    var lastException: [MachineEvent?]
    /// Per core: the first of the latest run of identical exception entries (the fault that
    /// started a recursion) and how many entries the run has.
    var exceptionStreakStart: [MachineEvent?]
    var exceptionStreakLength: [Int]
    /// The exception taken just before the streak began, when the streak's first entry
    /// followed it at once (its vector fetch faulted): the fault that started the recursion.
    var exceptionBeforeStreak: [MachineEvent?]
    var lastRegisterWrite: [MachineEvent?]
    var lastInjected: [MachineEvent?]
    var lastMasking: [MachineEvent?]
    var lastMaskingWrite: [MachineEvent?]
    /// Per core: the state fingerprints seen at recent checks (a repeat makes it a suspect).
    var fingerprints: [[UInt64]]
    /// Set once a finding about the hang was reported.
    public private(set) var diagnosed = false
    /// The words the spinning cores of the reported finding read: watched in a replay of the
    /// run (`watchWrites`), they give the core that last wrote each.
    public private(set) var spinLoads: [(address: UInt64, size: Int)] = []

    /// Steps a suspect may take to show its loop.
    static let maxLoopSteps = 4096

    public init(machine: InspectableMachine, interval: UInt64 = 200_000, recentCount: Int = 8) {
        self.machine = machine
        self.interval = interval
        self.recentCount = recentCount
        let n = machine.inspectableCores.count
        recent = Array(repeating: [], count: n)
        lastIPISent = Array(repeating: [:], count: n)
        lastIPISentArrival = Array(repeating: [:], count: n)
        lastIPITakenArrival = Array(repeating: -1, count: n)
        lastIPIDroppedArrival = Array(repeating: -1, count: n)
        lastIPITaken = Array(repeating: nil, count: n)
        ipiHandlerOpen = Array(repeating: false, count: n)
        lastIPIDropped = Array(repeating: nil, count: n)
        exceptionDepth = Array(repeating: 0, count: n)
        ipiDepth = Array(repeating: 0, count: n)
        lastException = Array(repeating: nil, count: n)
        exceptionStreakStart = Array(repeating: nil, count: n)
        exceptionStreakLength = Array(repeating: 0, count: n)
        exceptionBeforeStreak = Array(repeating: nil, count: n)
        lastRegisterWrite = Array(repeating: nil, count: n)
        lastInjected = Array(repeating: nil, count: n)
        lastMasking = Array(repeating: nil, count: n)
        lastMaskingWrite = Array(repeating: nil, count: n)
        fingerprints = Array(repeating: [], count: n)
    }

    // MARK: EventSink

    public func record(_ event: MachineEvent) {
        let c = event.core
        guard c >= 0 && c < recent.count else { return }
        arrivals += 1
        switch event.kind {
        case .consoleByte:
            return   // the console is in the report already; keep the ring for what explains a hang
        case .mmio(let device, _, _, _, _) where device.hasPrefix("uart") || device.hasPrefix("pl011"):
            return
        case .firmwareCall(_, let function, _, _) where function.hasPrefix("legacyPutchar") || function.hasPrefix("dbcn"):
            return   // console output through the firmware
        case .ipiSent(let target, _, _):
            lastIPISent[c][target] = event
            lastIPISentArrival[c][target] = arrivals
        case .ipiTaken:
            lastIPITaken[c] = event
            lastIPITakenArrival[c] = arrivals
            // Acknowledged outside any exception (a boot pen polling GICC_IAR): done at once.
            ipiHandlerOpen[c] = exceptionDepth[c] > 0
            ipiDepth[c] = exceptionDepth[c]
        case .exceptionTaken(let entry):
            if let previous = recent[c].last, case .exceptionTaken(let p) = previous.kind, p == entry {
                exceptionStreakLength[c] += 1
            } else {
                if let previous = recent[c].last, case .exceptionTaken = previous.kind, event.time &- previous.time <= 1 {
                    exceptionBeforeStreak[c] = previous
                } else {
                    exceptionBeforeStreak[c] = nil
                }
                exceptionStreakStart[c] = event
                exceptionStreakLength[c] = 1
            }
            lastException[c] = event
            lastMasking[c] = event
            exceptionDepth[c] += 1
        case .exceptionReturn:
            exceptionDepth[c] = max(exceptionDepth[c] - 1, 0)
            if exceptionDepth[c] < ipiDepth[c] { ipiHandlerOpen[c] = false }
        case .systemRegisterWrite(let register, let old, let new):
            lastRegisterWrite[c] = event
            if masksInterrupts(register: register, old: old, new: new) {
                lastMasking[c] = event
                lastMaskingWrite[c] = event
            }
        case .injectedFault:
            lastInjected[c] = event
        case .ipiInjected:
            lastIPIDropped[c] = event
            lastIPIDroppedArrival[c] = arrivals
        default:
            break
        }
        recent[c].append(event)
        if recent[c].count > recentCount { recent[c].removeFirst(recent[c].count - recentCount) }
    }

    /// CPSR.I set, sstatus/mstatus SIE or MIE cleared.
    func masksInterrupts(register: String, old: UInt64, new: UInt64) -> Bool {
        switch register {
        case "CPSR": return old & 0x80 == 0 && new & 0x80 != 0
        case "sstatus", "mstatus": return (old & ~new) & 0xA != 0
        default: return false
        }
    }

    // MARK: RunMonitor

    public func check(totalInstructions: UInt64) -> Bool {
        guard !diagnosed, let states = blockedStates() else { return false }
        report(states)
        return true
    }

    public func finish(_ outcome: RunOutcome) {
        guard !diagnosed else { return }
        switch outcome {
        case .hang:
            // The scheduler found every core asleep or off with no timer armed.
            let states = machine.inspectableCores.map { classifyStopped($0) }
            report(states)
        case .budgetExhausted:
            // Diagnose what is stuck, if everything is: the outcome stays the budget.
            if let states = blockedStates() { report(states) }
        default:
            break
        }
    }

    // MARK: Classification

    /// Every core's state when no core can make progress any more; nil while one can.
    func blockedStates() -> [CoreState]? {
        let cores = machine.inspectableCores
        var everyRunningCoreSuspect = true
        for core in cores where core.runState == .running {
            let fp = core.stateFingerprint
            if !fingerprints[core.index].contains(fp) || core.hasTakeableInterrupt { everyRunningCoreSuspect = false }
            remember(fp, core: core.index)
        }
        guard everyRunningCoreSuspect,
              !cores.contains(where: { $0.runState == .halted || machine.hasPendingTimer(cpu: $0.index) }) else { return nil }
        var states = cores.map { classifyStopped($0) }
        // Every running core is a suspect: step each to find its loop.
        for core in cores where core.runState == .running {
            guard let loop = findLoop(core) else { return nil }
            states[core.index] = .spinning(loop)
        }
        return states
    }

    private func remember(_ fp: UInt64, core: Int) {
        fingerprints[core].append(fp)
        if fingerprints[core].count > 32 { fingerprints[core].removeFirst() }
    }

    func classifyStopped(_ core: InspectableCore) -> CoreState {
        switch core.runState {
        case .stalled: return .stalled(lastInjected[core.index])
        case .waitForInterrupt: return .asleep("WFI")
        case .waitForEvent: return .asleep("WFE")
        case .off: return .offline("off")
        case .pen: return .offline("parked in the boot monitor's pen")
        case .halted: return .offline("halted")
        case .running: return .running
        }
    }

    /// Step `core` until its state repeats; the loop between the two visits.
    func findLoop(_ core: InspectableCore) -> SpinLoop? {
        var seen: [UInt64: Int] = [:]
        var steps: [(pc: UInt64, load: (address: UInt64, size: Int)?)] = []
        let start = core.time
        for i in 0...HangDiagnoser.maxLoopSteps {
            let fp = core.stateFingerprint
            if let first = seen[fp] {
                let body = Array(steps[first..<i])
                var loads: [SpinLoop.Load] = []
                for s in body {
                    guard let l = s.load, !loads.contains(where: { $0.address == l.address }) else { continue }
                    loads.append(SpinLoop.Load(pc: s.pc, address: l.address, size: l.size,
                                               value: core.peek(l.address, size: l.size)))
                }
                let pcs = body.map(\.pc)
                return SpinLoop(pcs: pcs, loads: loads, observedAt: start)
            }
            seen[fp] = i
            guard core.runState == .running, !core.hasTakeableInterrupt else { return nil }
            steps.append((core.resumeAddress, core.nextLoad()))
            guard core.step() else { return nil }
        }
        return nil
    }

    // MARK: Reporting

    func report(_ states: [CoreState]) {
        diagnosed = true
        for case .spinning(let loop) in states {
            for l in loop.loads where !spinLoads.contains(where: { $0.address == l.address }) { spinLoads.append((l.address, l.size)) }
        }
        let graph = WaitForGraph(diagnoser: self, states: states)
        machine.report(graph.finding())
    }
}

/// What a core is doing when the run can no longer progress.
enum CoreState {
    case running
    case spinning(SpinLoop)
    case asleep(String)
    case stalled(MachineEvent?)
    case offline(String)
}

/// A loop a core cannot leave by itself.
struct SpinLoop {
    struct Load {
        var pc: UInt64
        var address: UInt64
        var size: Int
        var value: UInt64?
    }
    /// The PCs of one trip round the loop, in execution order.
    var pcs: [UInt64]
    var loads: [Load]
    /// The core's virtual time when the loop was found.
    var observedAt: UInt64
}
