/// Coprocessor instructions (A5.6): MCR/MRC and MCRR/MRRC to CP15 (system control) and CP14
/// (debug); CP10/CP11 are VFP/Advanced SIMD, not modelled; everything else is UNDEFINED.
enum CoprocessorOp: UInt8 {
    case mcr, mrc, mcrr, mrrc
}

extension ARMDecoder {
    static let coprocessorEncodings: [ARMEncoding] = [
        ARMEncoding("MCR/MRC", "cccc 1110 oooL nnnn tttt pppp ooo1 mmmm") { w in
            let cp = ARMInstruction.bits(w, 11, 8)
            if cp == 10 || cp == 11 { return ARMInstruction(group: .unimplemented, raw: w) }
            if w >> 28 == 0xF || (cp != 14 && cp != 15) { return nil }
            return ARMInstruction(group: .coprocessor, op: (ARMInstruction.bit(w, 20) ? CoprocessorOp.mrc : .mcr).rawValue,
                                  raw: w, rd: ARMInstruction.reg(w, 12), rn: ARMInstruction.reg(w, 16),
                                  rm: ARMInstruction.reg(w, 0), shiftType: UInt8(ARMInstruction.bits(w, 23, 21)),
                                  shiftAmount: UInt8(ARMInstruction.bits(w, 7, 5)), imm: cp)
        },
        ARMEncoding("MCRR/MRRC", "cccc 1100 010L ssss tttt pppp oooo mmmm") { w in
            let cp = ARMInstruction.bits(w, 11, 8)
            if cp == 10 || cp == 11 { return ARMInstruction(group: .unimplemented, raw: w) }
            if w >> 28 == 0xF || (cp != 14 && cp != 15) { return nil }
            return ARMInstruction(group: .coprocessor, op: (ARMInstruction.bit(w, 20) ? CoprocessorOp.mrrc : .mcrr).rawValue,
                                  raw: w, rd: ARMInstruction.reg(w, 12), rn: ARMInstruction.reg(w, 16),
                                  rm: ARMInstruction.reg(w, 0), shiftType: UInt8(ARMInstruction.bits(w, 7, 4)), imm: cp)
        },
        // VFP/Advanced SIMD data processing and loads/stores (CDP/LDC/STC to CP10/CP11) and the
        // unconditional Advanced SIMD spaces.
        ARMEncoding("VFP data processing", "cccc 1110 xxxx xxxx xxxx 101x xxx0 xxxx") { w in
            w >> 28 == 0xF ? nil : ARMInstruction(group: .unimplemented, raw: w)
        },
        ARMEncoding("VFP load/store", "cccc 110x xxxx xxxx xxxx 101x xxxx xxxx") { w in
            w >> 28 == 0xF ? nil : ARMInstruction(group: .unimplemented, raw: w)
        },
        ARMEncoding("Advanced SIMD data processing", "1111 001x xxxx xxxx xxxx xxxx xxxx xxxx") { w in
            ARMInstruction(group: .unimplemented, raw: w)
        },
        ARMEncoding("Advanced SIMD load/store", "1111 0100 xxx0 xxxx xxxx xxxx xxxx xxxx") { w in
            ARMInstruction(group: .unimplemented, raw: w)
        },
    ]
}

extension ARMCore {
    func execCoprocessor(_ d: ARMInstruction) {
        let cp = UInt8(truncatingIfNeeded: d.imm)
        switch CoprocessorOp(rawValue: d.op) {
        case .mrc?:
            if trapCoprocessorToHyp(d, cp: cp, twoWord: false, read: true) { return }
            let key = CP15Key(coproc: cp, opc1: d.shiftType, crn: d.rn, crm: d.rm, opc2: d.shiftAmount)
            guard let v = coprocessorRead(key) else { return undefinedCoprocessorAccess(key, write: false) }
            let value = UInt32(truncatingIfNeeded: v)
            if d.rd == 15 {
                // MRC to APSR_nzcv (A8.8.108): the top four bits become the flags.
                flagN = value & (1 << 31) != 0
                flagZ = value & (1 << 30) != 0
                flagC = value & (1 << 29) != 0
                flagV = value & (1 << 28) != 0
            } else {
                r[Int(d.rd)] = value
            }
        case .mcr?:
            if trapCoprocessorToHyp(d, cp: cp, twoWord: false, read: false) { return }
            let key = CP15Key(coproc: cp, opc1: d.shiftType, crn: d.rn, crm: d.rm, opc2: d.shiftAmount)
            writeSystemRegister(key, UInt64(r[Int(d.rd)]))
        case .mrrc?:
            if trapCoprocessorToHyp(d, cp: cp, twoWord: true, read: true) { return }
            let key = CP15Key.mcrr(d.shiftType, d.rm, coproc: cp)
            guard d.rd != 15, d.rn != 15, d.rd != d.rn, let v = coprocessorRead(key) else {
                return undefinedCoprocessorAccess(key, write: false)
            }
            r[Int(d.rd)] = UInt32(truncatingIfNeeded: v)
            r[Int(d.rn)] = UInt32(truncatingIfNeeded: v >> 32)
        case .mcrr?:
            if trapCoprocessorToHyp(d, cp: cp, twoWord: true, read: false) { return }
            let key = CP15Key.mcrr(d.shiftType, d.rm, coproc: cp)
            writeSystemRegister(key, UInt64(r[Int(d.rd)]) | UInt64(r[Int(d.rn)]) << 32)
        case nil:
            takeUndefined()
        }
    }

    /// MCR/MCRR after the Hyp trap checks; observed, the write is reported (and may stall the
    /// core, by an injected fault, before it happens).
    private func writeSystemRegister(_ key: CP15Key, _ value: UInt64) {
        guard machine.observed else {
            if !coprocessorWrite(key, value) { undefinedCoprocessorAccess(key, write: true) }
            return
        }
        if noteSystemRegisterWrite(key, value) { return }
        let old = coprocessorRead(key)
        if !coprocessorWrite(key, value) { return undefinedCoprocessorAccess(key, write: true) }
        noteSystemRegisterWritten(key, old: old, written: value)
    }

    /// An access to a register the core does not have, or may not reach from this mode.
    private func undefinedCoprocessorAccess(_ key: CP15Key, write: Bool) {
        machine.noteUndefinedRegister(cpu: index, pc: currentPC, register: key.description, write: write, mode: mode.name)
        takeUndefined()
    }
}
