/// Traps to the hypervisor (ARM ARM DDI 0406C.d B1.14): HCR.TWI/TWE, the CP15 trap groups
/// (TID0–TID3, TAC, TIDCP, TSW, TPC, TPU, TTLB, TVM), HSTR and HCPTR. Each applies only in
/// Non-secure PL1 and PL0 (B1.14.1); the exception is a Hyp Trap taken at HVBAR + 0x14 with
/// ELR_hyp = the trapped instruction and the syndrome of B3.13.6. A trapped instruction has no
/// other effect (a trapped MRC does not write Rt).
extension HCR {
    static let VA: UInt32 = 1 << 8
    static let TWI: UInt32 = 1 << 13
    static let TWE: UInt32 = 1 << 14
    static let TID0: UInt32 = 1 << 15
    static let TID1: UInt32 = 1 << 16
    static let TID2: UInt32 = 1 << 17
    static let TID3: UInt32 = 1 << 18
    static let TIDCP: UInt32 = 1 << 20
    static let TAC: UInt32 = 1 << 21
    static let TSW: UInt32 = 1 << 22
    static let TPC: UInt32 = 1 << 23
    static let TPU: UInt32 = 1 << 24
    static let TTLB: UInt32 = 1 << 25
    static let TVM: UInt32 = 1 << 26
}

/// HCPTR (B4.1.?): TCPn traps CPn accesses, TTA trace-register accesses.
enum HCPTR {
    static let TTA: UInt32 = 1 << 20
}

extension ARMCore {
    /// Hyp traps apply to Non-secure PL1 and PL0 (B1.14.1).
    @inline(__always)
    var hypTrapsApply: Bool { features.virtualization && !isSecure && mode != .hyp }

    /// Take a Hyp Trap exception for the current instruction (B1.14.1): HVBAR + 0x14,
    /// ELR_hyp = the trapped instruction.
    func takeHypTrap(_ ec: HSRClass, _ iss: UInt32) {
        enterHyp(vector: .hypTrap, preferredReturn: currentPC, hsr: hsr(ec, iss))
    }

    /// ISS[24:20] for a trapped conditional instruction (B3.13.6 "ISS encoding for … "): CV = 1
    /// and COND = the instruction's condition field. In A32 the field is always valid; an
    /// unconditional instruction reports 0xE (AL), as QEMU does.
    @inline(__always)
    func trapCondition(_ raw: UInt32) -> UInt32 {
        (1 << 24) | ((raw >> 28) & 0xF) << 20
    }

    // MARK: WFI / WFE (B1.14.9)

    /// HCR.TWI/TWE: a WFI/WFE in Non-secure PL1/PL0 that would suspend the core is trapped.
    /// Returns true when the trap was taken. ISS: CV, COND, TI (1 = WFE).
    func trapWaitToHyp(wfe: Bool, raw: UInt32) -> Bool {
        guard hypTrapsApply, cp15.hcr & (wfe ? HCR.TWE : HCR.TWI) != 0 else { return false }
        takeHypTrap(.wfiWfe, trapCondition(raw) | (wfe ? 1 : 0))
        return true
    }

    // MARK: MCR / MRC / MCRR / MRRC to CP14 and CP15

    /// Whether an MCR/MRC (`twoWord` false) or MCRR/MRRC (`twoWord` true: `crm` is the
    /// register's CRm, `opc1` its opc1) to `cp` from Non-secure PL1/PL0 is trapped to Hyp by
    /// HCR or HSTR (B1.14.2 … B1.14.8, B1.14.12). A PL0 access is trapped only when PL0 may
    /// make it at all; otherwise it stays UNDEFINED (B1.14.1 "exception priority").
    func coprocessorAccessTrapped(cp: UInt8, opc1: UInt8, crn: UInt8, crm: UInt8, opc2: UInt8,
                                  read: Bool, twoWord: Bool) -> Bool {
        let hcr = cp15.hcr
        let hstr = UInt32(truncatingIfNeeded: cp15.stored["HSTR"] ?? 0)
        if cp == 14 {
            // TID0: JIDR (MRC p14, 7, c0, c0, 0) reads.
            return !twoWord && read && hcr & HCR.TID0 != 0 && opc1 == 7 && crn == 0 && crm == 0 && opc2 == 0
        }
        guard cp == 15 else { return false }
        if physicalTimerTrapped(opc1: opc1, crn: crn, crm: crm, twoWord: twoWord) { return true }
        if twoWord {
            // HSTR.Tn traps MCRR/MRRC whose CRm is n (B1.14.12); TVM the 64-bit TTBR0/TTBR1.
            if crm != 4 && crm != 14 && hstr & (1 << UInt32(crm)) != 0 { return true }
            return !read && hcr & HCR.TVM != 0 && crm == 2 && opc1 <= 1
        }
        if crn != 4 && crn != 14 && hstr & (1 << UInt32(crn)) != 0 { return true }
        let bit = trapGroupBit(opc1: opc1, crn: crn, crm: crm, opc2: opc2, read: read)
        return bit != 0 && hcr & bit != 0
    }

    /// CNTHCTL (B4.1.27, B8.1.?): with PL1PCTEN = 0, Non-secure PL1/PL0 accesses to CNTPCT
    /// (MRRC p15, 0, c14) trap to Hyp; with PL1PCEN = 0, accesses to the physical timer CNTP_CTL,
    /// CNTP_TVAL (c14, c2) and CNTP_CVAL (MCRR p15, 2, c14). The virtual counter and timer are
    /// never trapped. A PL0 access CNTKCTL forbids stays UNDEFINED (checked by the caller).
    private func physicalTimerTrapped(opc1: UInt8, crn: UInt8, crm: UInt8, twoWord: Bool) -> Bool {
        guard features.genericTimer, let timer = machine.platform?.timer else { return false }
        let register: GenericTimer.Register
        switch (twoWord, opc1, crn, crm) {
        case (true, 0, _, 14): register = .cntpct
        case (true, 2, _, 14): register = .cntpCval
        case (false, 0, 14, 2): register = .cntpCtl
        default: return false
        }
        let cnthctl = timer.read(.cnthctl, cpu: index)
        let enabled = register == .cntpct ? cnthctl & 1 != 0 : cnthctl & 2 != 0
        if enabled { return false }
        return mode != .usr || timerAccessAllowed(register)
    }

    /// The HCR bit whose trap group holds this MCR/MRC encoding, or 0.
    private func trapGroupBit(opc1: UInt8, crn: UInt8, crm: UInt8, opc2: UInt8, read: Bool) -> UInt32 {
        switch (opc1, crn, crm, opc2) {
        // TID1 (B1.14.3): TCMTR, TLBTR, REVIDR, AIDR.
        case (0, 0, 0, 2), (0, 0, 0, 3), (0, 0, 0, 6), (1, 0, 0, 7):
            return read ? HCR.TID1 : 0
        // TID2 (B1.14.3): CTR, CCSIDR, CLIDR reads; CSSELR reads and writes.
        case (0, 0, 0, 1), (1, 0, 0, 0), (1, 0, 0, 1):
            return read ? HCR.TID2 : 0
        case (2, 0, 0, 0):
            return HCR.TID2
        // TID3 (B1.14.3): the CPUID scheme, c0 with CRm 1–7 (ID_PFR0 … ID_ISAR5 and reserved).
        case (0, 0, 1...7, _):
            return read ? HCR.TID3 : 0
        // TAC (B1.14.4): ACTLR.
        case (0, 1, 0, 1):
            return HCR.TAC
        // TSW, TPC, TPU (B1.14.6): data cache by set/way; to the point of coherency; to the
        // point of unification (instruction cache and DCCMVAU).
        case (0, 7, 6, 2), (0, 7, 10, 2), (0, 7, 14, 2):
            return read ? 0 : HCR.TSW
        case (0, 7, 6, 1), (0, 7, 10, 1), (0, 7, 14, 1):
            return read ? 0 : HCR.TPC
        case (0, 7, 1, 0), (0, 7, 5, 0), (0, 7, 5, 1), (0, 7, 11, 1):
            return read ? 0 : HCR.TPU
        // TTLB (B1.14.7): every PL1 TLB maintenance operation.
        case (0, 8, _, _):
            return read ? 0 : HCR.TTLB
        // TVM (B1.14.8): writes to the memory-control registers.
        case (0, 1, 0, 0), (0, 2, 0, 0), (0, 2, 0, 1), (0, 2, 0, 2), (0, 3, 0, 0),
             (0, 5, 0, 0), (0, 5, 0, 1), (0, 5, 1, 0), (0, 5, 1, 1), (0, 6, 0, 0), (0, 6, 0, 2),
             (0, 10, 2, 0), (0, 10, 2, 1), (0, 10, 3, 0), (0, 10, 3, 1), (0, 13, 0, 1):
            return read ? 0 : HCR.TVM
        // TIDCP (B1.14.5): the IMPLEMENTATION DEFINED lockdown, DMA and TCM encodings
        // (c9 CRm 0–2 and 5–8, c10 CRm 0, 1, 4, 8, c11 CRm 0–8 and 15) and all of c15.
        case (_, 9, 0...2, _), (_, 9, 5...8, _), (_, 10, 0, _), (_, 10, 1, _), (_, 10, 4, _), (_, 10, 8, _),
             (_, 11, 0...8, _), (_, 11, 15, _), (_, 15, _, _):
            return HCR.TIDCP
        default:
            return 0
        }
    }

    /// Check an MCR/MRC/MCRR/MRRC against the Hyp traps and take the trap: true when taken.
    /// HSR EC 0x03/0x05 (MCR/MRC to CP15/CP14) or 0x04/0x0C (MCRR/MRRC), ISS per B3.13.6.
    func trapCoprocessorToHyp(_ d: ARMInstruction, cp: UInt8, twoWord: Bool, read: Bool) -> Bool {
        guard hypTrapsApply else { return false }
        let opc1 = d.shiftType
        let crn = twoWord ? 0 : d.rn
        let opc2 = twoWord ? 0 : d.shiftAmount
        guard coprocessorAccessTrapped(cp: cp, opc1: opc1, crn: crn, crm: d.rm, opc2: opc2, read: read, twoWord: twoWord) else {
            return false
        }
        if mode == .usr && !pl0MayAccess(twoWord ? .mcrr(opc1, d.rm, coproc: cp)
                                                 : CP15Key(coproc: cp, opc1: opc1, crn: crn, crm: d.rm, opc2: opc2), write: !read) {
            return false   // UNDEFINED at PL0 takes priority over the trap
        }
        var iss = trapCondition(d.raw) | UInt32(d.rd & 0xF) << 5 | UInt32(d.rm & 0xF) << 1 | (read ? 1 : 0)
        if twoWord {
            iss |= UInt32(opc1 & 0xF) << 16 | UInt32(d.rn & 0xF) << 10
            takeHypTrap(cp == 14 ? .mrrcCP14 : .mcrrMrrcCP15, iss)
        } else {
            iss |= UInt32(opc2 & 7) << 17 | UInt32(opc1 & 7) << 14 | UInt32(crn & 0xF) << 10
            takeHypTrap(cp == 14 ? .mcrMrcCP14 : .mcrMrcCP15, iss)
        }
        return true
    }

    // MARK: HCPTR (B1.14.11)

    /// CP10/CP11 (VFP, Advanced SIMD) accesses from Non-secure PL1/PL0 that CPACR and NSACR
    /// allow are trapped by HCPTR.TCP10/TCP11: HSR EC 0x07, ISS CV, COND, TA = 0, coproc.
    /// Returns true when the trap was taken (hetboot does not model VFP otherwise).
    func trapCoprocessorAccessToHyp(cp: UInt8, raw: UInt32) -> Bool {
        guard hypTrapsApply, cp == 10 || cp == 11 else { return false }
        let hcptr = UInt32(truncatingIfNeeded: cp15.stored["HCPTR"] ?? 0)
        guard hcptr & (1 << UInt32(cp)) != 0 else { return false }
        // CPACR.cpN: 01 PL1 only, 11 PL1 and PL0; NSACR.cpN: Non-secure access allowed.
        let cpacr = UInt32(truncatingIfNeeded: cp15.stored["CPACR"] ?? 0)
        let field = (cpacr >> (UInt32(cp) * 2)) & 3
        let allowedByCPACR = mode == .usr ? field == 3 : (field == 1 || field == 3)
        let nsacr = UInt32(truncatingIfNeeded: cp15.stored["NSACR"] ?? 0)
        let allowedByNSACR = !features.security || nsacr & (1 << UInt32(cp)) != 0
        guard allowedByCPACR && allowedByNSACR else { return false }
        takeHypTrap(.hcptr, trapCondition(raw) | UInt32(cp))
        return true
    }
}
