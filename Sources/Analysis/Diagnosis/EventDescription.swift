import Emulator

/// One event as a line in a finding: `@TIME symbol+off: what happened`.
func describe(_ e: MachineEvent, symbolize: (UInt64) -> String) -> String {
    "@\(e.time) \(symbolize(e.pc)): " + describe(e.kind, symbolize: symbolize)
}

func describe(_ kind: MachineEvent.Kind, symbolize: (UInt64) -> String) -> String {
    switch kind {
    case .exceptionTaken(let x):
        let syndrome = x.syndrome.map { "\($0.register)=\(hex($0.value))" }.joined(separator: " ")
        return "\(x.name) taken, \(x.fromMode) → \(x.toMode), vector \(symbolize(x.vector))" + (syndrome.isEmpty ? "" : " (\(syndrome))")
    case .exceptionReturn(let mode, let address):
        return "exception return to \(mode) at \(symbolize(address))"
    case .modeChange(let from, let to):
        return "mode \(from) → \(to)"
    case .systemRegisterWrite(let register, let old, let new):
        let change = SystemRegisterFields.describeChange(register: register, old: old, new: new)
        return "\(register) \(hex(old)) → \(hex(new))" + (change.isEmpty ? "" : " (\(change))")
    case .ipiSent(let target, let interrupt, let via):
        return "IPI \(interrupt) sent to \(target) through \(via)"
    case .ipiPending(let source, let interrupt):
        return "IPI \(interrupt) from \(source) pending"
    case .ipiTaken(let source, let interrupt):
        return "IPI \(interrupt) taken" + (source.map { " (from \($0))" } ?? "")
    case .ipiInjected(let source, let interrupt, let action):
        return "IPI \(interrupt) from \(source) \(action)"
    case .sleep(let how):
        return "sleeps in \(how)"
    case .wake:
        return "wakes up"
    case .consoleByte(let b):
        return "console byte 0x\(String(b, radix: 16))"
    case .mmio(let device, let address, let size, let value, let write):
        return "\(write ? "writes" : "reads") \(device) \(hex(address)) (\(size) bytes) \(write ? "←" : "=") \(hex(value))"
    case .firmwareCall(let interface, let function, let arguments, let result):
        return "\(interface) \(function)(\(arguments.map(hex).joined(separator: ", "))) → \(result)"
    case .injectedFault(let what):
        return "injected fault: \(what)"
    }
}

func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16, uppercase: true) }
