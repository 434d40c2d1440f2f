/// Attaching sinks, injecting faults, and the calls through which cores and devices report
/// events and ask whether an injected fault applies. Everything here runs on cold paths, and
/// only while `observed` is set.
extension MachineBase {
    public final func attach(_ sink: EventSink) {
        sinks.append(sink)
        observed = true
    }

    /// Arm `faults` for the run; call before `run`. A fault naming a core the machine does not
    /// have is refused.
    public final func inject(_ faults: [FaultInjection]) throws {
        for fault in faults {
            guard fault.cpu >= 0 && fault.cpu < coreCount else {
                throw MachineError(file: spec.file, message: "--inject '\(fault.text)': machine \(spec.name) has no CPU \(fault.cpu) (it has CPUs 0-\(coreCount - 1))")
            }
            injections.append(fault)
            switch fault.action {
            case .stallAfter(let n): injectedStallAfter[fault.cpu] = min(injectedStallAfter[fault.cpu], n)
            case .stallAt(let address):
                stallPoints.insert(address)
                hasStallPoints = true
                ram.invalidateAllDecoded()
            case .holdInReset: coresHeldInReset.insert(fault.cpu)
            default: break
            }
        }
        observed = observed || !faults.isEmpty
    }

    /// Deliver an event made on core `cpu` (its time and PC stamp it) to every sink.
    public final func emit(_ kind: MachineEvent.Kind, cpu: Int) {
        guard !sinks.isEmpty else { return }
        let (time, pc) = coreClock(cpu)
        let event = MachineEvent(core: cpu, time: time, pc: pc, kind: kind)
        for sink in sinks { sink.record(event) }
    }

    /// The injection that stalls core `cpu` when it writes `new` to `register`, if any.
    final func injectedStall(cpu: Int, register: String, new: UInt64) -> FaultInjection? {
        injections.first { $0.cpu == cpu && $0.stallsWrite(register: register, new: new) }
    }

    /// An IPI from `source` to `target`: reported, and checked against the injections: an
    /// injected drop never calls `deliver`, an injected delay calls it when the target's time
    /// has advanced by the delay.
    public final func deliverIPI(source: Int, target: Int, interrupt: Int, via: String, deliver: @escaping () -> Void) {
        guard observed else { return deliver() }
        emit(.ipiSent(target: target, interrupt: interrupt, via: via), cpu: source)
        for fault in injections where fault.cpu == target {
            switch fault.action {
            case .dropIPIs:
                emit(.ipiInjected(source: source, interrupt: interrupt, action: "dropped (injected: \(fault.text))"), cpu: target)
                return
            case .delayIPIs(let n):
                emit(.ipiInjected(source: source, interrupt: interrupt, action: "delayed by \(n) instructions (injected: \(fault.text))"), cpu: target)
                let at = coreClock(target).0 &+ n
                delayedIPIs.append((target, at, { [unowned self] in
                    self.emit(.ipiPending(source: source, interrupt: interrupt), cpu: target)
                    deliver()
                }))
                requestTimerEvent(cpu: target, at: at)
                return
            default:
                continue
            }
        }
        emit(.ipiPending(source: source, interrupt: interrupt), cpu: target)
        deliver()
    }

    /// Deliver the delayed IPIs of core `cpu` that are due; look again for the others.
    final func fireDelayedIPIs(cpu: Int) {
        guard !delayedIPIs.isEmpty else { return }
        let now = coreClock(cpu).0
        let due = delayedIPIs.filter { $0.target == cpu && $0.at <= now }
        delayedIPIs.removeAll { $0.target == cpu && $0.at <= now }
        for ipi in due { ipi.deliver() }
        if let next = delayedIPIs.filter({ $0.target == cpu }).map(\.at).min() { requestTimerEvent(cpu: cpu, at: next) }
    }

    /// Whether core `cpu` must stay in reset when something starts it; an injected
    /// `hold-in-reset` is reported each time it holds.
    final func holdsInReset(_ cpu: Int) -> Bool {
        guard coresHeldInReset.contains(cpu) else { return false }
        if let fault = injections.first(where: { $0.cpu == cpu && $0.action == .holdInReset }) {
            emit(.injectedFault("\(fault.text): held in reset, not started"), cpu: cpu)
        }
        return true
    }
}
