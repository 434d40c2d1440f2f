/// What an ARM core reports to the machine's event sinks, and how an injected fault stops it.
/// Called only while the machine is observed (`machine.observed`), from cold paths.
extension ARMCore {
    func emit(_ kind: MachineEvent.Kind) {
        machine.emit(kind, cpu: index)
    }

    /// An exception entry, reported after the core is at the vector: the syndrome registers
    /// the handler will read (HSR and the fault address registers for Hyp; DFSR/DFAR or
    /// IFSR/IFAR for an abort to a PL1 mode).
    @inline(never)
    func noteExceptionEntry(_ vector: Vector, from: ARMMode, fromSecure: Bool, hsrValue: UInt32? = nil) {
        var name: String
        var syndrome: [SyndromeValue] = []
        switch vector {
        case .reset: name = "reset"
        case .undefined: name = "undefined instruction"
        case .supervisorCall: name = mode == .mon ? "SMC" : (mode == .hyp ? "HVC/SVC in Hyp" : "SVC")
        case .prefetchAbort: name = "prefetch abort"
        case .dataAbort: name = "data abort"
        case .hypTrap: name = "Hyp trap"
        case .irq: name = "IRQ"
        case .fiq: name = "FIQ"
        }
        if let hsr = hsrValue {
            let ec = hsr >> 26
            if vector != .irq && vector != .fiq {
                name = ARMCore.hsrClassName(ec) ?? name
                syndrome.append(SyndromeValue("HSR", UInt64(hsr)))
                switch ec {
                case 0x20, 0x21: syndrome.append(SyndromeValue("HIFAR", UInt64(cp15.hifar)))
                case 0x24, 0x25: syndrome.append(SyndromeValue("HDFAR", UInt64(cp15.hdfar)))
                default: break
                }
                if ec == 0x20 || ec == 0x24 { syndrome.append(SyndromeValue("HPFAR", UInt64(cp15.hpfar))) }
            }
        } else if vector == .dataAbort {
            syndrome = [SyndromeValue("DFSR", UInt64(cp15.dfsr(secure: fromSecure))), SyndromeValue("DFAR", UInt64(cp15.dfar(secure: fromSecure)))]
        } else if vector == .prefetchAbort {
            syndrome = [SyndromeValue("IFSR", UInt64(cp15.ifsr(secure: fromSecure))), SyndromeValue("IFAR", UInt64(cp15.ifar(secure: fromSecure)))]
        }
        emit(.exceptionTaken(ExceptionEntry(name: name, fromMode: from.name, toMode: mode.name,
                                            vector: UInt64(nextPC), syndrome: syndrome)))
    }

    /// HSR.EC names (B3.13.6, table B3-21).
    static func hsrClassName(_ ec: UInt32) -> String? {
        switch ec {
        case 0x00: "undefined instruction"
        case 0x01: "WFI/WFE trap"
        case 0x03: "MCR/MRC CP15 trap"
        case 0x04: "MCRR/MRRC CP15 trap"
        case 0x05: "MCR/MRC CP14 trap"
        case 0x07: "HCPTR trap"
        case 0x0C: "MRRC CP14 trap"
        case 0x11: "SVC in Hyp"
        case 0x12: "HVC"
        case 0x13: "SMC trap"
        case 0x20: "prefetch abort from a guest"
        case 0x21: "prefetch abort in Hyp"
        case 0x24: "data abort from a guest"
        case 0x25: "data abort in Hyp"
        default: nil
        }
    }

    /// A CP15 write about to happen: reported, and stopped when an injected fault says so.
    /// Returns true when the core stalled (the write is not performed).
    @inline(never)
    func noteSystemRegisterWrite(_ key: CP15Key, _ value: UInt64) -> Bool {
        let name = CP15Register.table[key]?.name ?? key.description
        if let fault = machine.injectedStall(cpu: index, register: name, new: value) {
            stall(fault, detail: "writing \(name) = 0x\(String(value, radix: 16, uppercase: true))")
            return true
        }
        return false
    }

    /// After a CP15 write: the value as the register now reads.
    @inline(never)
    func noteSystemRegisterWritten(_ key: CP15Key, old: UInt64?, written: UInt64) {
        guard let reg = CP15Register.table[key] else { return }
        if case .noop = reg.kind {
            emit(.systemRegisterWrite(register: reg.name, old: 0, new: written))
            return
        }
        emit(.systemRegisterWrite(register: reg.name, old: old ?? 0, new: coprocessorRead(key) ?? written))
    }

    /// CPSR changed by MSR or CPS: reported when its mode or mask bits (M, T, F, I, A)
    /// changed — the diagnosis names the write that masked interrupts.
    @inline(never)
    func noteCPSRWrite(old: UInt32, oldMode: ARMMode) {
        let new = cpsr
        if new & 0x1FF != old & 0x1FF {
            emit(.systemRegisterWrite(register: "CPSR", old: UInt64(old), new: UInt64(new)))
        }
        if mode != oldMode { emit(.modeChange(from: oldMode.name, to: mode.name)) }
    }

    /// Stop the core where it is, by an injected fault: the instruction does not complete.
    func stall(_ fault: FaultInjection, detail: String) {
        nextPC = currentPC
        runState = .stalled
        attention = true
        emit(.injectedFault("\(fault.text): \(detail)"))
    }
}
