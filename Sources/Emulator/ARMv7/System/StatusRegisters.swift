/// MRS, MSR (register, immediate, banked), CPS, SETEND (A8.8.108–114, B9.3.8–B9.3.13).
enum StatusOp: UInt8 {
    case mrsCPSR, mrsSPSR, msrCPSR, msrSPSR, mrsBanked, msrBanked, cps, setend
}

extension ARMDecoder {
    static let statusEncodings: [ARMEncoding] = [
        ARMEncoding("MRS", "cccc 0001 0r00 1111 dddd 0000 0000 0000") { w in
            ARMInstruction(group: .status, op: (ARMInstruction.bit(w, 22) ? StatusOp.mrsSPSR : .mrsCPSR).rawValue,
                           raw: w, rd: ARMInstruction.reg(w, 12))
        },
        ARMEncoding("MRS (banked)", "cccc 0001 0r00 mmmm dddd 001m 0000 0000") { w in
            ARMInstruction(group: .status, op: StatusOp.mrsBanked.rawValue, raw: w, rd: ARMInstruction.reg(w, 12),
                           flags: ARMInstruction.bit(w, 22) ? 1 : 0, imm: bankedSYSm(w))
        },
        ARMEncoding("MSR (register)", "cccc 0001 0r10 kkkk 1111 0000 0000 nnnn") { w in
            let mask = ARMInstruction.bits(w, 19, 16)
            return ARMInstruction(group: .status, op: (ARMInstruction.bit(w, 22) ? StatusOp.msrSPSR : .msrCPSR).rawValue,
                                  raw: w, rn: ARMInstruction.reg(w, 0), flags: UInt8(mask), imm: 0)
        },
        ARMEncoding("MSR (banked)", "cccc 0001 0r10 mmmm 1111 001m 0000 nnnn") { w in
            ARMInstruction(group: .status, op: StatusOp.msrBanked.rawValue, raw: w, rn: ARMInstruction.reg(w, 0),
                           flags: ARMInstruction.bit(w, 22) ? 1 : 0, imm: bankedSYSm(w))
        },
        // MSR (immediate); mask 0000 with R = 0 is the hint space (more specific, decoded there).
        ARMEncoding("MSR (immediate)", "cccc 0011 0r10 kkkk 1111 iiii iiii iiii") { w in
            let mask = ARMInstruction.bits(w, 19, 16)
            if mask == 0 { return nil }
            let rot = ARMInstruction.bits(w, 11, 8) * 2
            let imm8 = w & 0xFF
            let value = rot == 0 ? imm8 : (imm8 >> rot) | (imm8 << (32 - rot))
            return ARMInstruction(group: .status, op: (ARMInstruction.bit(w, 22) ? StatusOp.msrSPSR : .msrCPSR).rawValue,
                                  raw: w, rn: 0xFF, flags: UInt8(mask), imm: value)
        },
        ARMEncoding("CPS", "1111 0001 0000 iiM0 0000 000a if0m mmmm") { w in
            ARMInstruction(group: .status, op: StatusOp.cps.rawValue, raw: w)
        },
        ARMEncoding("SETEND", "1111 0001 0000 0001 0000 00e0 0000 0000") { w in
            ARMInstruction(group: .status, op: StatusOp.setend.rawValue, raw: w, flags: ARMInstruction.bit(w, 9) ? 1 : 0)
        },
    ]

    /// SYSm = m:M1 of the banked-register forms (B9.2.3).
    static func bankedSYSm(_ w: UInt32) -> UInt32 {
        (ARMInstruction.bit(w, 8) ? 0x10 : 0) | ARMInstruction.bits(w, 19, 16)
    }
}

extension ARMCore {
    func execStatus(_ d: ARMInstruction) {
        switch StatusOp(rawValue: d.op) {
        case .mrsCPSR?:
            // In User mode only the APSR is visible; the rest reads as in the ARM ARM's MRS
            // (A8.8.109): we return the CPSR with the execution-state bits masked.
            writeRegister(d.rd, mode == .usr ? cpsr & 0xF80F_0000 : cpsr & ~0x0100_0020)
        case .mrsSPSR?:
            guard mode != .usr && mode != .sys else { return takeUndefined() }
            r[Int(d.rd)] = spsr
        case .msrCPSR?:
            let value = d.rn == 0xFF ? d.imm : r[Int(d.rn)]
            writeCPSRByInstruction(value, byteMask: UInt32(d.flags))
        case .msrSPSR?:
            guard mode != .usr && mode != .sys else { return takeUndefined() }
            let value = d.rn == 0xFF ? d.imm : r[Int(d.rn)]
            var m: UInt32 = 0
            for i in 0..<4 where d.flags & (1 << i) != 0 { m |= 0xFF << UInt32(8 * i) }
            spsr = (spsr & ~m) | (value & m)
        case .mrsBanked?:
            guard let v = readBanked(sysm: d.imm, spsr: d.flags != 0) else { return takeUndefined() }
            r[Int(d.rd)] = v
        case .msrBanked?:
            if !writeBanked(sysm: d.imm, spsr: d.flags != 0, r[Int(d.rn)]) { takeUndefined() }
        case .cps?:
            changeProcessorState(d.raw)
        case .setend?:
            cpsrE = d.flags != 0
        case nil:
            takeUndefined()
        }
    }

    /// CPSRWriteByInstr() (B1.3.3 pseudocode), with the UNPREDICTABLE mode changes ignored as
    /// QEMU does.
    func writeCPSRByInstruction(_ value: UInt32, byteMask: UInt32) {
        let old = machine.observed ? cpsr : 0, oldMode = mode
        defer { if machine.observed && byteMask & 3 != 0 { noteCPSRWrite(old: old, oldMode: oldMode) } }
        let privileged = mode != .usr
        let secure = isSecure
        if byteMask & 8 != 0 { setFlags(fromPSR: value) }
        if byteMask & 4 != 0 { flagGE = (value >> 16) & 0xF }
        if byteMask & 2 != 0 {
            cpsrE = value & (1 << 9) != 0
            if privileged && (secure || cp15.scr & SCR.AW != 0 || features.virtualization) {
                cpsrA = value & (1 << 8) != 0
            }
        }
        if byteMask & 1 != 0 && privileged {
            cpsrI = value & (1 << 7) != 0
            let nmfi = cp15.sctlr(secure: secure) & (1 << 27) != 0
            if (!nmfi || value & (1 << 6) == 0) && (secure || cp15.scr & SCR.FW != 0 || features.virtualization) {
                cpsrF = value & (1 << 6) != 0
            }
            if let target = ARMMode(rawValue: value & 0x1F), modeChangeAllowed(to: target) {
                switchMode(to: target)
            }
        }
        attention = true
    }

    /// The mode changes CPSRWriteByInstr() and CPS may make (B1.3.3).
    func modeChangeAllowed(to target: ARMMode) -> Bool {
        if target == mode { return true }
        let secure = isSecure
        switch target {
        case .mon: if !secure || !features.security { return false }
        case .hyp: if !features.virtualization || !cp15.scrNS || !secure { return false }
        case .fiq: if !secure && cp15.stored["NSACR"].map({ $0 & (1 << 19) != 0 }) == true { return false }
        default: break
        }
        // Leaving Hyp mode is only possible through an exception return.
        return mode != .hyp
    }

    /// CPS (B9.3.2): change A/I/F and optionally the mode; a NOP in User mode.
    private func changeProcessorState(_ w: UInt32) {
        guard mode != .usr else { return }
        let old = machine.observed ? cpsr : 0, oldMode = mode
        defer { if machine.observed { noteCPSRWrite(old: old, oldMode: oldMode) } }
        let imod = ARMInstruction.bits(w, 19, 18)
        let changeMode = ARMInstruction.bit(w, 17)
        if imod & 2 != 0 {
            let set = imod == 3
            if ARMInstruction.bit(w, 8) { cpsrA = set }
            if ARMInstruction.bit(w, 7) { cpsrI = set }
            if ARMInstruction.bit(w, 6) && (set || cp15.sctlr(secure: isSecure) & (1 << 27) == 0) { cpsrF = set }
        }
        if changeMode, let target = ARMMode(rawValue: w & 0x1F), modeChangeAllowed(to: target) {
            switchMode(to: target)
        }
        attention = true
    }

    /// The register a banked MRS/MSR names (B9.2.3, table B9-2): (mode, register number),
    /// register 16 meaning ELR_hyp and 17 the SPSR.
    private func bankedTarget(sysm: UInt32, spsr: Bool) -> (ARMMode, Int)? {
        if spsr {
            switch sysm {
            case 0b01110: return (.fiq, 17)
            case 0b10000: return (.irq, 17)
            case 0b10010: return (.svc, 17)
            case 0b10100: return (.abt, 17)
            case 0b10110: return (.und, 17)
            case 0b11100: return (.mon, 17)
            case 0b11110: return (.hyp, 17)
            default: return nil
            }
        }
        switch sysm {
        case 0b00000...0b00110: return (.usr, 8 + Int(sysm))
        case 0b01000...0b01110: return (.fiq, 8 + Int(sysm - 0b01000))
        case 0b10000: return (.irq, 14)
        case 0b10001: return (.irq, 13)
        case 0b10010: return (.svc, 14)
        case 0b10011: return (.svc, 13)
        case 0b10100: return (.abt, 14)
        case 0b10101: return (.abt, 13)
        case 0b10110: return (.und, 14)
        case 0b10111: return (.und, 13)
        case 0b11100: return (.mon, 14)
        case 0b11101: return (.mon, 13)
        case 0b11110: return (.hyp, 16)
        case 0b11111: return (.hyp, 13)
        default: return nil
        }
    }

    /// Whether the current mode may reach that banked register (B9.3.9 restrictions; the
    /// UNPREDICTABLE cases are UNDEFINED, as in QEMU). MRS and MSR (banked) exist only with
    /// the Virtualization Extensions (B9.3.9, B9.3.10): without them the encodings are
    /// UNDEFINED, as QEMU 7.2's translate.c (msr_banked_access_decode) makes them on a core
    /// without EL2, e.g. `-M virt` with virtualization off.
    private func bankedAccessAllowed(_ target: ARMMode, _ n: Int) -> Bool {
        guard features.virtualization, mode != .usr else { return false }
        if target == .mon && (!features.security || !isSecure || mode == .mon) { return false }
        if target == .hyp {
            guard features.virtualization else { return false }
            // ELR_hyp and SPSR_hyp from Hyp or Monitor; SP_hyp from Monitor only.
            if n == 13 { return mode == .mon }
            return mode == .hyp || mode == .mon
        }
        // A mode's own registers through the banked form are UNPREDICTABLE: R8–R12_usr are
        // only "banked" from FIQ mode, R8–R12_fiq only from the others.
        if target == mode || (target == .usr && mode == .sys) { return false }
        if (8...12).contains(n) && (target == .fiq) == (mode == .fiq) { return false }
        return true
    }

    private func readBanked(sysm: UInt32, spsr: Bool) -> UInt32? {
        guard let (m, n) = bankedTarget(sysm: sysm, spsr: spsr), bankedAccessAllowed(m, n) else { return nil }
        switch n {
        case 16: return elrHyp
        case 17: return bankedSPSR[m.bank]
        default: return bankedRegister(n, mode: m)
        }
    }

    private func writeBanked(sysm: UInt32, spsr: Bool, _ value: UInt32) -> Bool {
        guard let (m, n) = bankedTarget(sysm: sysm, spsr: spsr), bankedAccessAllowed(m, n) else { return false }
        switch n {
        case 16: elrHyp = value
        case 17: bankedSPSR[m.bank] = value
        default: setBankedRegister(n, mode: m, value)
        }
        return true
    }
}
