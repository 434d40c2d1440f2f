import Emulator

/// Who waits for whom when no core can make progress, and the finding that says so. A
/// spinning core waits for the cores it last sent IPIs to: for an IPI still pending, the
/// target cannot take it (its masks, its interrupt controller, or its own state); for one it
/// took, the target never finished the call (it is stalled, spinning, asleep or off). A core
/// that loops in an exception vector is a recursive exception, named with the fault that
/// started it and the register write just before.
struct WaitForGraph {
    let diagnoser: HangDiagnoser
    let states: [CoreState]
    var machine: InspectableMachine { diagnoser.machine }
    var cores: [InspectableCore] { machine.inspectableCores }

    func sym(_ a: UInt64) -> String { machine.symbolize(a) }

    func finding() -> Finding {
        if let f = recursiveException() { return f }
        var lines: [String] = []
        var involved: [Int] = []
        var visited = Set<Int>()
        var headline: String?
        // Start from the cores that spin after sending IPIs (the cross-call initiators), then
        // the other spinners, then everything else.
        let order = cores.indices.sorted { rank($0) < rank($1) }
        var chainCores: [Int]?
        for c in order where !visited.contains(c) {
            let h = follow(c, depth: 0, lines: &lines, visited: &visited, involved: &involved)
            if headline == nil { headline = h }
            // The finding's cores are the first chain's; the others are listed after it.
            if chainCores == nil, case .spinning = states[c] { chainCores = involved }
        }
        if let chainCores { involved = chainCores }
        // Cores waiting for each other is a deadlock; cores that merely stopped (asleep,
        // stalled, off) with nobody waiting on them is a hang.
        let anySpinning = states.contains { if case .spinning = $0 { return true }; return false }
        let kind: Finding.Kind = anySpinning ? .deadlock : .hang
        let first = involved.first ?? 0
        let core = cores[first]
        // A spinning core is named by its loop's first address (where it is inside the loop
        // depends on when the loop was found).
        var pc = core.resumeAddress
        if case .spinning(let loop) = states[first], let start = loop.pcs.min() { pc = start }
        var f = Finding(kind: kind, cores: involved, summary: headline ?? "no core can make progress",
                        pc: pc, mode: core.modeName, instructionCount: since(first),
                        symbol: sym(pc), trigger: trigger(for: involved))
        f.chain = lines
        f.recentEvents = recentEvents(involved)
        f.injected = machine.injections.map(\.text)
        return f
    }

    private func rank(_ c: Int) -> Int {
        if case .spinning = states[c] { return diagnoser.lastIPISent[c].isEmpty ? 1 : 0 }
        if case .stalled = states[c] { return 2 }
        return 3
    }

    /// The instruction count from which the core is known to be stuck: its last event, or when
    /// its loop was found.
    func since(_ c: Int) -> UInt64 {
        if let last = diagnoser.recent[c].last { return last.time }
        if case .spinning(let loop) = states[c] { return loop.observedAt }
        return cores[c].time
    }

    /// Describe core `c` and what it waits for; returns the headline when `c` starts a chain.
    @discardableResult
    func follow(_ c: Int, depth: Int, lines: inout [String], visited: inout Set<Int>, involved: inout [Int]) -> String? {
        guard !visited.contains(c) else {
            lines.append(indent(depth) + "→ back to \(cores[c].displayName): the chain is a cycle")
            return nil
        }
        visited.insert(c)
        involved.append(c)
        let core = cores[c]
        lines.append(indent(depth) + state(c))
        guard case .spinning = states[c] else { return depth == 0 ? state(c) : nil }
        // The cross-calls still open: IPIs still pending, or taken by a handler that has not
        // returned, or sent to a core that cannot run.
        let targets = diagnoser.lastIPISent[c].sorted { $0.key < $1.key }.filter { target, sent in
            guard target < cores.count, case .ipiSent(_, let interrupt, _) = sent.kind else { return false }
            let sentAt = diagnoser.lastIPISentArrival[c][target] ?? 0
            if cores[target].isIPIPending(interrupt: interrupt) { return true }
            if diagnoser.lastIPIDroppedArrival[target] > sentAt { return true }
            if diagnoser.lastIPITakenArrival[target] > sentAt, diagnoser.ipiHandlerOpen[target] { return true }
            switch states[target] {
            case .stalled, .offline: return diagnoser.lastIPITakenArrival[target] < sentAt
            default: return false
            }
        }
        var waited: [Int] = []
        var pendingIPI: [Int: [String]] = [:]
        var droppedIPI: [Int: String] = [:]
        for (target, sent) in targets where target != c && target < cores.count {
            guard case .ipiSent(_, let interrupt, let via) = sent.kind else { continue }
            let t = cores[target]
            var link = indent(depth + 1) + "waits for \(t.displayName): IPI \(interrupt) sent through \(via) at \(sym(sent.pc)) (instruction \(sent.time))"
            if t.isIPIPending(interrupt: interrupt) {
                let blockers = blockers(target, interrupt: interrupt)
                link += " is still pending; \(t.displayName) cannot take it: " + blockers.joined(separator: "; ")
                pendingIPI[target] = self.blockers(target, interrupt: interrupt, since: false)
            } else if let dropped = diagnoser.lastIPIDropped[target], diagnoser.lastIPIDroppedArrival[target] > (diagnoser.lastIPISentArrival[c][target] ?? 0),
                      case .ipiInjected(_, _, let action) = dropped.kind {
                link += " was \(action)"
                droppedIPI[target] = action
            } else if let taken = diagnoser.lastIPITaken[target], diagnoser.lastIPITakenArrival[target] > (diagnoser.lastIPISentArrival[c][target] ?? 0) {
                link += "; it took the IPI at \(sym(taken.pc)) (instruction \(taken.time)) and its handler never returned"
            } else {
                link += "; it never took it"
            }
            lines.append(link)
            waited.append(target)
            follow(target, depth: depth + 2, lines: &lines, visited: &visited, involved: &involved)
        }
        guard depth == 0 else { return nil }
        if waited.isEmpty {
            return "\(core.displayName) spins at \(sym(loopStart(c))) waiting for memory no other core can change: " + otherStates(except: c)
        }
        // One clause per group of targets in the same state: "harts 1-3 spin at
        // multi_cpu_stop+0x64 with the IPI pending: sstatus.SIE = 0 …".
        var clauses: [(phrase: String, cores: [Int])] = []
        for t in waited {
            var phrase: String
            switch states[t] {
            case .stalled(let e):
                phrase = "stopped at \(sym(cores[t].resumeAddress))" + (e.map { " (\(injectedText($0)))" } ?? "")
            case .spinning:
                phrase = "spin at \(sym(loopStart(t)))"
            case .asleep(let how):
                phrase = "sleep in \(how)"
            case .offline(let how):
                phrase = "is \(how)"
            case .running:
                phrase = "runs"
            }
            if let pending = pendingIPI[t] {
                phrase += " with the IPI pending: " + pending.joined(separator: "; ")
            } else if let lost = droppedIPI[t] {
                phrase += "; the IPI was \(lost)"
            }
            if let i = clauses.firstIndex(where: { $0.phrase == phrase }) {
                clauses[i].cores.append(t)
            } else {
                clauses.append((phrase, [t]))
            }
        }
        var headline = "\(core.displayName) waits in the cross-call to \(list(waited))"
        for clause in clauses {
            let verb = clause.cores.count == 1 ? singular(clause.phrase) : clause.phrase
            headline += "; \(list(clause.cores)) \(verb)"
        }
        return headline
    }

    /// "spin at" → "spins at" for one core ("stopped", "is" stay).
    func singular(_ phrase: String) -> String {
        for (plural, one) in [("spin at", "spins at"), ("sleep in", "sleeps in"), ("runs", "runs")] where phrase.hasPrefix(plural) {
            return one + phrase.dropFirst(plural.count)
        }
        return phrase
    }

    func loopStart(_ c: Int) -> UInt64 {
        if case .spinning(let loop) = states[c], let start = loop.pcs.min() { return start }
        return cores[c].resumeAddress
    }

    /// Why `target` cannot take the IPI; `since` adds the event that masked it (the chain has
    /// it, the one-line summary groups cores without it).
    func blockers(_ target: Int, interrupt: Int, since: Bool = true) -> [String] {
        let reasons0 = cores[target].ipiBlockers(interrupt: interrupt)
        var reasons = reasons0.map { r in
            // CPSR.I is set by exception entry too; SIE/MIE only by a write here.
            let masking = r.contains("CPSR.I") ? diagnoser.lastMasking[target]
                : (r.contains("SIE = 0") || r.contains("MIE = 0") ? diagnoser.lastMaskingWrite[target] : nil)
            guard let m = masking else { return r }
            return since ? r + " since instruction \(m.time) (\(describe(m.kind, symbolize: sym)) at \(sym(m.pc)))"
                : r + " since \(sym(m.pc))"
        }
        switch states[target] {
        case .stalled: reasons.append("it is stalled")
        case .offline(let how): reasons.append("it is \(how)")
        default: break
        }
        return reasons.isEmpty ? ["nothing masks it, yet it was not taken"] : reasons
    }

    /// One line for core `c`'s state.
    func state(_ c: Int) -> String {
        let core = cores[c]
        let at = "at \(sym(loopStart(c))) in \(core.modeName) mode"
        switch states[c] {
        case .spinning(let loop):
            var s = "\(core.displayName) spins \(at) since instruction \(since(c)) (loop of \(loop.pcs.count) instruction\(loop.pcs.count == 1 ? "" : "s")"
            if let lo = loop.pcs.min(), let hi = loop.pcs.max(), lo != hi { s += ", \(sym(lo))…\(sym(hi))" }
            s += ")"
            for l in loop.loads {
                s += "; reads \(hex(l.address)) (\(sym(l.address)))" + (l.value.map { " = \(hex($0))" } ?? "")
                s += ", unchanged"
                if machine.watchesWrites {
                    if let w = machine.lastWrite(to: l.address), w.cpu >= 0 && w.cpu < cores.count {
                        s += ", last written by \(cores[w.cpu].displayName) at \(sym(w.pc)) (instruction \(w.time))"
                    } else {
                        s += ", written by no core since the run began"
                    }
                }
            }
            return s
        case .stalled(let e):
            return "\(core.displayName) stalled \(at)" + (e.map { ": \(injectedText($0))" } ?? "")
        case .asleep(let how):
            let wake = core.hasTakeableInterrupt ? "" : ": no interrupt is pending and no timer is armed"
            return "\(core.displayName) sleeps in \(how) \(at)\(wake)"
        case .offline(let how):
            return "\(core.displayName) is \(how)"
        case .running:
            return "\(core.displayName) runs \(at)"
        }
    }

    func injectedText(_ e: MachineEvent) -> String {
        if case .injectedFault(let what) = e.kind { return "injected fault \(what)" }
        return describe(e.kind, symbolize: sym)
    }

    func otherStates(except c: Int) -> String {
        let others = cores.indices.filter { $0 != c }.map { state($0) }
        return others.isEmpty ? "it is the only core" : others.joined(separator: "; ")
    }

    func list(_ cs: [Int]) -> String {
        guard cs.count > 1 else { return cs.first.map { cores[$0].displayName } ?? "" }
        let word = cores[cs[0]].displayName.split(separator: " ").first.map(String.init) ?? "CPU"
        return word + "s " + CPUList(cs).description
    }

    func trigger(for involved: [Int]) -> String? {
        for c in involved {
            if let e = diagnoser.lastInjected[c] { return "CPU/hart \(c) @\(e.time): " + injectedText(e) }
        }
        for c in involved {
            if let e = diagnoser.lastIPISent[c].values.max(by: { $0.time < $1.time }) {
                return describe(e, symbolize: sym)
            }
        }
        return nil
    }

    func recentEvents(_ involved: [Int]) -> [Finding.CoreEvents] {
        involved.map { c in Finding.CoreEvents(core: c, events: diagnoser.recent[c].map { describe($0, symbolize: sym) }) }
    }

    func indent(_ depth: Int) -> String { String(repeating: "  ", count: depth) }

    // MARK: Recursive exceptions

    /// " (HSR 0x86000007: EC 0x21, HIFAR 0x8000400C)".
    func syndromeText(_ x: ExceptionEntry) -> String {
        guard !x.syndrome.isEmpty else { return "" }
        return " (" + x.syndrome.map { s in
            s.register == "HSR" ? "HSR \(hex(s.value)): EC \(hex(s.value >> 26))" : "\(s.register) \(hex(s.value))"
        }.joined(separator: ", ") + ")"
    }

    /// A spinning core whose loop runs in an exception vector: the exception that brought it
    /// there, and the system-register write before it.
    func recursiveException() -> Finding? {
        for (c, s) in states.enumerated() {
            guard case .spinning(let loop) = s else { continue }
            let core = cores[c]
            guard let slot = loop.pcs.lazy.compactMap({ core.vectorSlot(at: $0) }).first else { continue }
            var summary = "\(core.displayName) in \(core.modeName) mode"
            var trigger: String?
            let streak = diagnoser.exceptionStreakStart[c] ?? diagnoser.lastException[c]
            let started = diagnoser.exceptionBeforeStreak[c] ?? streak
            if let e = started, case .exceptionTaken(let x) = e.kind {
                summary += ": \(x.name) taken" + syndromeText(x) + " at \(sym(e.pc)) (instruction \(e.time))"
                trigger = describe(e, symbolize: sym)
                if let w = diagnoser.lastRegisterWrite[c], w.time <= e.time,
                   case .systemRegisterWrite(let register, let old, let new) = w.kind {
                    let change = SystemRegisterFields.describeChange(register: register, old: old, new: new)
                    summary += " right after \(register) was written at \(sym(w.pc))" + (change.isEmpty ? "" : " (\(change))")
                }
                let repeats = diagnoser.exceptionStreakLength[c]
                if let s = streak, s != e, case .exceptionTaken(let y) = s.kind {
                    summary += "; the handler's first fetch faulted too: \(y.name)" + syndromeText(y) + " taken \(repeats) times since"
                } else if repeats > 1 {
                    summary += "; taken again \(repeats - 1) times since, each vector fetch faulting"
                }
            }
            summary += "; now looping at \(sym(core.resumeAddress)) = \(slot)"
            var f = Finding(kind: .recursiveException, cores: [c], summary: summary, pc: core.resumeAddress,
                            mode: core.modeName,
                            instructionCount: (diagnoser.exceptionBeforeStreak[c] ?? diagnoser.exceptionStreakStart[c])?.time ?? loop.observedAt,
                            symbol: sym(core.resumeAddress), trigger: trigger)
            f.chain = [state(c)]
            f.recentEvents = recentEvents([c])
            f.injected = machine.injections.map(\.text)
            return f
        }
        return nil
    }
}
