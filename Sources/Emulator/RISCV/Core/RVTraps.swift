/// Traps (privileged spec §3.1.6.1, §3.1.15–§3.1.21, §4.1, and §8.4 / §8.6 for the hypervisor
/// extension): exceptions and interrupts go to M-mode unless delegated by medeleg/mideleg to
/// HS-mode (S-mode on a hart without H) and the hart is not in M-mode; from V = 1, what
/// hedeleg/hideleg delegate further goes to VS-mode.
enum RVException: UInt64 {
    case instructionMisaligned = 0, instructionAccessFault = 1, illegalInstruction = 2, breakpoint = 3
    case loadMisaligned = 4, loadAccessFault = 5, storeMisaligned = 6, storeAccessFault = 7
    case ecallFromU = 8, ecallFromS = 9, ecallFromVS = 10, ecallFromM = 11
    case instructionPageFault = 12, loadPageFault = 13, storePageFault = 15
    case instructionGuestPageFault = 20, loadGuestPageFault = 21, virtualInstruction = 22, storeGuestPageFault = 23

    /// Exceptions whose tval is the faulting (virtual) address: from V = 1, or for an
    /// HLV/HSV, that address is a guest virtual address and the trap sets GVA (§8.2.1).
    static func tvalIsAddress(_ cause: UInt64) -> Bool {
        switch cause {
        case 0, 1, 3, 4, 5, 6, 7, 12, 13, 15, 20, 21, 23: return true
        default: return false
        }
    }

    /// Exceptions of loads, stores and AMOs.
    static func isDataAccess(_ cause: UInt64) -> Bool {
        switch cause {
        case 4, 5, 6, 7, 13, 15, 21, 23: return true
        default: return false
        }
    }
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

    /// The virtual-instruction exception (§8.6.1), tval = the instruction bits as for an
    /// illegal instruction (QEMU 7.2 writes env->bins for both).
    func virtualInstruction(_ d: RVInstruction) {
        takeException(.virtualInstruction, tval: UInt64(d.raw))
    }

    private func trap(cause: UInt64, interrupt: Bool, tval: UInt64, epc: UInt64) {
        let fromMode = machine.observed ? modeName : ""
        defer { if machine.observed { noteTrap(cause: cause, interrupt: interrupt, tval: tval, fromMode: fromMode) } }
        let guestPhysical = trapGuestPhysical, instruction = trapInstruction
        trapGuestPhysical = 0
        trapInstruction = 0
        let fromV = virtualized
        // GVA: tval is a guest virtual address — from V = 1, for an HLV/HSV, and for a data
        // access M-mode makes with MPRV = 1 and MPV = 1 (translated as V = 1).
        let guestData = privilege == .machine && mmu.dataVirtual && RVException.isDataAccess(cause)
        let gva = !interrupt && (fromV || hypervisorAccess || guestData) && RVException.tvalIsAddress(cause)
        let causeValue = cause | (interrupt ? 1 << 63 : 0)
        var toSupervisor = false, toVS = false
        if privilege != .machine && hasSupervisor && ((interrupt ? csr.mideleg : csr.medeleg) >> cause) & 1 != 0 {
            toSupervisor = true
            toVS = fromV && ((interrupt ? csr.hideleg : csr.hedeleg) >> cause) & 1 != 0
        }
        if toVS {
            // A VS interrupt appears to the guest as the S interrupt one below it (§8.4.2:
            // VSSI 2 → 1, VSTI 6 → 5, VSEI 10 → 9).
            let vsCause = interrupt ? cause &- 1 : cause
            csr.vscause = vsCause | (interrupt ? 1 << 63 : 0)
            csr.vsepc = epc
            csr.vstval = tval
            var s = csr.vsstatus
            s = (s & ~MSTATUS.SPP) | (privilege == .supervisor ? MSTATUS.SPP : 0)
            s = (s & ~MSTATUS.SPIE) | (s & MSTATUS.SIE != 0 ? MSTATUS.SPIE : 0)
            s &= ~MSTATUS.SIE
            csr.vsstatus = s
            privilege = .supervisor
            nextPC = vector(csr.vstvec, cause: vsCause, interrupt: interrupt)
        } else if toSupervisor {
            csr.scause = causeValue
            csr.sepc = epc
            csr.stval = tval
            if hasHypervisor {
                // §8.6.4: hstatus.SPV = the V of the trap, SPVP = the privilege when V was 1,
                // GVA whether stval holds a guest virtual address; htval/htinst.
                var h = csr.hstatus
                h = (h & ~HSTATUS.SPV) | (fromV ? HSTATUS.SPV : 0)
                if fromV { h = (h & ~HSTATUS.SPVP) | (privilege == .supervisor ? HSTATUS.SPVP : 0) }
                h = (h & ~HSTATUS.GVA) | (gva ? HSTATUS.GVA : 0)
                csr.hstatus = h
                csr.htval = guestPhysical
                csr.htinst = instruction
            }
            var s = csr.mstatus
            s = (s & ~MSTATUS.SPP) | (privilege == .supervisor ? MSTATUS.SPP : 0)
            s = (s & ~MSTATUS.SPIE) | (s & MSTATUS.SIE != 0 ? MSTATUS.SPIE : 0)
            s &= ~MSTATUS.SIE
            csr.mstatus = s
            privilege = .supervisor
            virtualized = false
            nextPC = vector(csr.stvec, cause: cause, interrupt: interrupt)
        } else {
            csr.mcause = causeValue
            csr.mepc = epc
            csr.mtval = tval
            var s = csr.mstatus
            if hasHypervisor {
                s = (s & ~MSTATUS.MPV) | (fromV ? MSTATUS.MPV : 0)
                s = (s & ~MSTATUS.GVA) | (gva ? MSTATUS.GVA : 0)
                csr.mtval2 = guestPhysical
                csr.mtinst = instruction
            }
            s = (s & ~MSTATUS.MPP) | (UInt64(privilege.rawValue) << MSTATUS.MPPShift)
            s = (s & ~MSTATUS.MPIE) | (s & MSTATUS.MIE != 0 ? MSTATUS.MPIE : 0)
            s &= ~MSTATUS.MIE
            csr.mstatus = s
            privilege = .machine
            virtualized = false
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

    /// Priority within one destination (§3.1.9, §8.4.3): MEI, MSI, MTI, SEI, SSI, STI, SGEI,
    /// VSEI, VSSI, VSTI.
    private static let interruptPriority: [UInt64] = [
        RVInterrupt.MEI, RVInterrupt.MSI, RVInterrupt.MTI, RVInterrupt.SEI, RVInterrupt.SSI, RVInterrupt.STI,
        RVInterrupt.SGEI, RVInterrupt.VSEI, RVInterrupt.VSSI, RVInterrupt.VSTI,
    ]

    private static func highestPriority(_ set: UInt64) -> UInt64? {
        for i in interruptPriority where (set >> i) & 1 != 0 { return i }
        return nil
    }

    /// The highest-priority pending and enabled interrupt, if any. Interrupts destined for a
    /// more privileged mode come first (§3.1.9): M, then HS (S), then VS. M-level ones are
    /// enabled below M or with MIE; HS-level ones below HS (in U, VS, VU) or in HS with SIE;
    /// VS-level ones (hideleg) only while V = 1: in VU, or in VS with vsstatus.SIE (§8.4.3).
    var pendingInterrupt: UInt64? {
        let pending = mip & csr.mie
        guard pending != 0 else { return nil }
        let status = csr.mstatus
        if privilege != .machine || status & MSTATUS.MIE != 0, let i = RISCVCore.highestPriority(pending & ~csr.mideleg) {
            return i
        }
        guard privilege != .machine else { return nil }
        let vsLevel = csr.mideleg & csr.hideleg
        if virtualized || privilege == .user || status & MSTATUS.SIE != 0,
           let i = RISCVCore.highestPriority(pending & csr.mideleg & ~vsLevel) {
            return i
        }
        if virtualized && (privilege == .user || csr.vsstatus & MSTATUS.SIE != 0),
           let i = RISCVCore.highestPriority(pending & vsLevel) {
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

    /// MRET (§3.3.2): to MPP, and with H to V = MPV when MPP is not M (§8.6.4).
    func machineReturn() {
        var s = csr.mstatus
        let mpp = RVPrivilege(rawValue: UInt8((s & MSTATUS.MPP) >> MSTATUS.MPPShift)) ?? .user
        let mpv = mpp != .machine && s & MSTATUS.MPV != 0
        s = (s & ~MSTATUS.MIE) | (s & MSTATUS.MPIE != 0 ? MSTATUS.MIE : 0)
        s |= MSTATUS.MPIE
        s = (s & ~MSTATUS.MPP) | (hasUser ? 0 : 3 << MSTATUS.MPPShift)
        s &= ~MSTATUS.MPV
        if mpp != .machine { s &= ~MSTATUS.MPRV }
        csr.mstatus = s
        privilege = mpp
        virtualized = mpv
        nextPC = csr.mepc & (hasCompressed ? ~1 : ~3)
        attention = true
        if machine.observed { machine.emit(.exceptionReturn(mode: modeName, address: nextPC), cpu: index) }
    }

    /// SRET (§3.3.2). In HS-mode it returns to V = hstatus.SPV (§8.6.4); in VS-mode it uses
    /// the VS registers and stays in V = 1.
    func supervisorReturn() {
        if virtualized {
            var s = csr.vsstatus
            let spp: RVPrivilege = s & MSTATUS.SPP != 0 ? .supervisor : .user
            s = (s & ~MSTATUS.SIE) | (s & MSTATUS.SPIE != 0 ? MSTATUS.SIE : 0)
            s |= MSTATUS.SPIE
            s &= ~MSTATUS.SPP
            csr.vsstatus = s
            privilege = spp
            nextPC = csr.vsepc & (hasCompressed ? ~1 : ~3)
            attention = true
            if machine.observed { machine.emit(.exceptionReturn(mode: modeName, address: nextPC), cpu: index) }
            return
        }
        var s = csr.mstatus
        let spp: RVPrivilege = s & MSTATUS.SPP != 0 ? .supervisor : .user
        s = (s & ~MSTATUS.SIE) | (s & MSTATUS.SPIE != 0 ? MSTATUS.SIE : 0)
        s |= MSTATUS.SPIE
        s &= ~MSTATUS.SPP
        s &= ~MSTATUS.MPRV
        csr.mstatus = s
        let spv = hasHypervisor && csr.hstatus & HSTATUS.SPV != 0
        csr.hstatus &= ~HSTATUS.SPV
        privilege = spp
        virtualized = spv
        nextPC = csr.sepc & (hasCompressed ? ~1 : ~3)
        attention = true
        if machine.observed { machine.emit(.exceptionReturn(mode: modeName, address: nextPC), cpu: index) }
    }
}
