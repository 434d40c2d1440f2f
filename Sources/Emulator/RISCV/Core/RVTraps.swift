/// Traps (privileged spec §3.1.6.1, §3.1.15–§3.1.21, §4.1): exceptions and interrupts go to
/// M-mode unless delegated by medeleg/mideleg to S-mode and the hart is not in M-mode.
enum RVException: UInt64 {
    case instructionMisaligned = 0, instructionAccessFault = 1, illegalInstruction = 2, breakpoint = 3
    case loadMisaligned = 4, loadAccessFault = 5, storeMisaligned = 6, storeAccessFault = 7
    case ecallFromU = 8, ecallFromS = 9, ecallFromM = 11
    case instructionPageFault = 12, loadPageFault = 13, storePageFault = 15
}

extension RISCVCore {
    /// Take a synchronous exception for the instruction at `pc`.
    func takeException(_ e: RVException, tval: UInt64) {
        trap(cause: e.rawValue, interrupt: false, tval: tval, epc: pc)
    }

    /// The illegal-instruction exception; mtval gets the instruction bits (QEMU does).
    func illegalInstruction(_ d: RVInstruction) {
        takeException(.illegalInstruction, tval: UInt64(d.raw))
    }

    private func trap(cause: UInt64, interrupt: Bool, tval: UInt64, epc: UInt64) {
        let delegated = privilege != .machine && hasSupervisor
            && ((interrupt ? csr.mideleg : csr.medeleg) >> cause) & 1 != 0
        let causeValue = cause | (interrupt ? 1 << 63 : 0)
        if delegated {
            csr.scause = causeValue
            csr.sepc = epc
            csr.stval = tval
            var s = csr.mstatus
            s = (s & ~MSTATUS.SPP) | (privilege == .supervisor ? MSTATUS.SPP : 0)
            s = (s & ~MSTATUS.SPIE) | (s & MSTATUS.SIE != 0 ? MSTATUS.SPIE : 0)
            s &= ~MSTATUS.SIE
            csr.mstatus = s
            privilege = .supervisor
            nextPC = vector(csr.stvec, cause: cause, interrupt: interrupt)
        } else {
            csr.mcause = causeValue
            csr.mepc = epc
            csr.mtval = tval
            var s = csr.mstatus
            s = (s & ~MSTATUS.MPP) | (UInt64(privilege.rawValue) << MSTATUS.MPPShift)
            s = (s & ~MSTATUS.MPIE) | (s & MSTATUS.MIE != 0 ? MSTATUS.MPIE : 0)
            s &= ~MSTATUS.MIE
            csr.mstatus = s
            privilege = .machine
            nextPC = vector(csr.mtvec, cause: cause, interrupt: interrupt)
        }
        clearReservation()
        attention = true
    }

    /// BASE, or BASE + 4 × cause for interrupts in vectored mode.
    private func vector(_ tvec: UInt64, cause: UInt64, interrupt: Bool) -> UInt64 {
        let base = tvec & ~3
        return tvec & 3 == 1 && interrupt ? base &+ 4 &* cause : base
    }

    /// The highest-priority pending and enabled interrupt, if any (§3.1.9: MEI, MSI, MTI, SEI,
    /// SSI, STI).
    var pendingInterrupt: UInt64? {
        let pending = mip & csr.mie
        guard pending != 0 else { return nil }
        let mEnabled = privilege != .machine || csr.mstatus & MSTATUS.MIE != 0
        let sEnabled = privilege == .user || (privilege == .supervisor && csr.mstatus & MSTATUS.SIE != 0)
        var take = pending & ~csr.mideleg & (mEnabled ? ~0 : 0)
        if privilege != .machine { take |= pending & csr.mideleg & (sEnabled ? ~0 : 0) }
        guard take != 0 else { return nil }
        for i in [RVInterrupt.MEI, RVInterrupt.MSI, RVInterrupt.MTI, RVInterrupt.SEI, RVInterrupt.SSI, RVInterrupt.STI]
        where (take >> i) & 1 != 0 {
            return i
        }
        return nil
    }

    /// Take a pending interrupt between instructions; `nextPC` is the instruction to return to.
    @discardableResult
    func takePendingInterrupt() -> Bool {
        guard let cause = pendingInterrupt else { return false }
        trap(cause: cause, interrupt: true, tval: 0, epc: nextPC)
        return true
    }

    /// MRET (§3.3.2).
    func machineReturn() {
        var s = csr.mstatus
        let mpp = RVPrivilege(rawValue: UInt8((s & MSTATUS.MPP) >> MSTATUS.MPPShift)) ?? .user
        s = (s & ~MSTATUS.MIE) | (s & MSTATUS.MPIE != 0 ? MSTATUS.MIE : 0)
        s |= MSTATUS.MPIE
        s = (s & ~MSTATUS.MPP) | (hasUser ? 0 : 3 << MSTATUS.MPPShift)
        if mpp != .machine { s &= ~MSTATUS.MPRV }
        csr.mstatus = s
        privilege = mpp
        nextPC = csr.mepc & (hasCompressed ? ~1 : ~3)
        attention = true
    }

    /// SRET (§3.3.2).
    func supervisorReturn() {
        var s = csr.mstatus
        let spp: RVPrivilege = s & MSTATUS.SPP != 0 ? .supervisor : .user
        s = (s & ~MSTATUS.SIE) | (s & MSTATUS.SPIE != 0 ? MSTATUS.SIE : 0)
        s |= MSTATUS.SPIE
        s &= ~MSTATUS.SPP
        s &= ~MSTATUS.MPRV
        csr.mstatus = s
        privilege = spp
        nextPC = csr.sepc & (hasCompressed ? ~1 : ~3)
        attention = true
    }
}
