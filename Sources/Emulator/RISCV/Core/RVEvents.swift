/// What a hart reports to the machine's event sinks, and how an injected fault stops it.
/// Called only while the machine is observed, from cold paths.
extension RISCVCore {
    /// Trap names (privileged spec §3.1.15, table 3.6; §8.6.1 for the H causes).
    static func causeName(_ cause: UInt64, interrupt: Bool) -> String {
        if interrupt {
            switch cause {
            case 1: return "supervisor software interrupt"
            case 2: return "virtual supervisor software interrupt"
            case 3: return "machine software interrupt"
            case 5: return "supervisor timer interrupt"
            case 6: return "virtual supervisor timer interrupt"
            case 7: return "machine timer interrupt"
            case 9: return "supervisor external interrupt"
            case 10: return "virtual supervisor external interrupt"
            case 11: return "machine external interrupt"
            case 12: return "supervisor guest external interrupt"
            default: return "interrupt \(cause)"
            }
        }
        switch RVException(rawValue: cause) {
        case .instructionMisaligned?: return "instruction address misaligned"
        case .instructionAccessFault?: return "instruction access fault"
        case .illegalInstruction?: return "illegal instruction"
        case .breakpoint?: return "breakpoint"
        case .loadMisaligned?: return "load address misaligned"
        case .loadAccessFault?: return "load access fault"
        case .storeMisaligned?: return "store/AMO address misaligned"
        case .storeAccessFault?: return "store/AMO access fault"
        case .ecallFromU?: return "ecall from U-mode"
        case .ecallFromS?: return "ecall from S-mode"
        case .ecallFromVS?: return "ecall from VS-mode"
        case .ecallFromM?: return "ecall from M-mode"
        case .instructionPageFault?: return "instruction page fault"
        case .loadPageFault?: return "load page fault"
        case .storePageFault?: return "store/AMO page fault"
        case .instructionGuestPageFault?: return "instruction guest-page fault"
        case .loadGuestPageFault?: return "load guest-page fault"
        case .virtualInstruction?: return "virtual instruction"
        case .storeGuestPageFault?: return "store/AMO guest-page fault"
        case nil: return "exception \(cause)"
        }
    }

    /// A trap, reported after the hart is at the handler, with the cause/tval registers of the
    /// mode that took it.
    func noteTrap(cause: UInt64, interrupt: Bool, tval: UInt64, fromMode: String) {
        let prefix: String
        let causeRegister: UInt64
        switch (privilege, virtualized) {
        case (.machine, _): prefix = "m"; causeRegister = csr.mcause
        case (_, true): prefix = "vs"; causeRegister = csr.vscause
        default: prefix = "s"; causeRegister = csr.scause
        }
        let entry = ExceptionEntry(name: RISCVCore.causeName(cause, interrupt: interrupt), fromMode: fromMode,
                                   toMode: modeName, vector: nextPC,
                                   syndrome: [SyndromeValue(prefix + "cause", causeRegister), SyndromeValue(prefix + "tval", tval)])
        machine.emit(.exceptionTaken(entry), cpu: index)
        if interrupt && (cause == 1 || cause == 3) {
            machine.emit(.ipiTaken(source: nil, interrupt: Int(cause)), cpu: index)
        }
    }

    /// A CSR write about to happen; true when an injected fault stalled the hart instead.
    func noteCSRWrite(_ number: UInt16, _ value: UInt64) -> Bool {
        let name = RVCSRNames.name(number)
        guard let fault = machine.injectedStall(cpu: index, register: name, new: value) else { return false }
        stall(fault, detail: "writing \(name) = 0x\(String(value, radix: 16, uppercase: true))")
        return true
    }

    /// Stop the hart where it is, by an injected fault: the instruction does not complete.
    func stall(_ fault: FaultInjection, detail: String) {
        nextPC = pc
        runState = .stalled
        attention = true
        machine.emit(.injectedFault("\(fault.text): \(detail)"), cpu: index)
    }
}
