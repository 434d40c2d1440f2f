/// Single load/store decoding: A5.3 "Load/store word and unsigned byte" and A5.2.8 "Extra
/// load/store instructions" (ARM ARM DDI 0406C), group `ARMGroup.loadStore`.
///
/// Fields of a decoded instruction in this group:
/// - `op`: a `LoadStoreOp`;
/// - `rd` = Rt, `rn` = Rn, `rm` = Rm (register offset only);
/// - `shiftType` / `shiftAmount`: the register offset's shift after `DecodeImmShift` (A8.4.1):
///   type 0 LSL, 1 LSR, 2 ASR with amount 1…32, 3 ROR with amount 1…31, 4 RRX;
/// - `imm`: the immediate offset, already negated when U = 0, so the offset address is
///   `R[n] &+ imm`;
/// - `flags`: `LoadStoreFlags`.
///
/// The PLD/PLDW/PLI hints (`1111 01…`) belong to the hint group: every pattern here refuses
/// cond = 1111, so the unconditional space stays with the encodings that own it.
enum LoadStoreOp: UInt8 {
    case ldr, ldrb, ldrh, ldrsb, ldrsh, ldrd
    case str, strb, strh, strd
    /// The unprivileged forms (P = 0, W = 1): post-indexed, access as if at PL0.
    case ldrt, ldrbt, ldrht, ldrsbt, ldrsht
    case strt, strbt, strht
}

enum LoadStoreFlags {
    /// The offset is a (shifted) register, not `imm`.
    static let registerOffset: UInt8 = 1 << 0
    /// U = 1: a register offset is added (an immediate carries its sign in `imm`).
    static let add: UInt8 = 1 << 1
    /// P = 1: the access uses the offset address; P = 0: the base (post-indexed).
    static let preIndex: UInt8 = 1 << 2
    /// The offset address is written back to Rn (P = 0, or W = 1).
    static let writeback: UInt8 = 1 << 3
}

extension ARMDecoder {
    static let loadStoreEncodings: [ARMEncoding] = [
        // A5.3, immediate offset (A = 0). P = 0, W = 1 selects the T form.
        ARMEncoding("STR (immediate)", "cccc 010p u0w0 nnnn tttt iiii iiii iiii") { wordByteImmediate($0, .str, .strt) },
        ARMEncoding("LDR (immediate)", "cccc 010p u0w1 nnnn tttt iiii iiii iiii") { wordByteImmediate($0, .ldr, .ldrt) },
        ARMEncoding("STRB (immediate)", "cccc 010p u1w0 nnnn tttt iiii iiii iiii") { wordByteImmediate($0, .strb, .strbt) },
        ARMEncoding("LDRB (immediate)", "cccc 010p u1w1 nnnn tttt iiii iiii iiii") { wordByteImmediate($0, .ldrb, .ldrbt) },
        // A5.3, register offset (A = 1, B = 0; B = 1 is the media space).
        ARMEncoding("STR (register)", "cccc 011p u0w0 nnnn tttt iiii itt0 mmmm") { wordByteRegister($0, .str, .strt) },
        ARMEncoding("LDR (register)", "cccc 011p u0w1 nnnn tttt iiii itt0 mmmm") { wordByteRegister($0, .ldr, .ldrt) },
        ARMEncoding("STRB (register)", "cccc 011p u1w0 nnnn tttt iiii itt0 mmmm") { wordByteRegister($0, .strb, .strbt) },
        ARMEncoding("LDRB (register)", "cccc 011p u1w1 nnnn tttt iiii itt0 mmmm") { wordByteRegister($0, .ldrb, .ldrbt) },

        // A5.2.8, immediate offset (bit 22 = 1): imm8 = imm4H:imm4L.
        ARMEncoding("STRH (immediate)", "cccc 000p u1w0 nnnn tttt iiii 1011 iiii") { extraImmediate($0, .strh, .strht) },
        ARMEncoding("LDRH (immediate)", "cccc 000p u1w1 nnnn tttt iiii 1011 iiii") { extraImmediate($0, .ldrh, .ldrht) },
        ARMEncoding("LDRD (immediate)", "cccc 000p u1w0 nnnn tttt iiii 1101 iiii") { extraImmediate($0, .ldrd, nil) },
        ARMEncoding("LDRSB (immediate)", "cccc 000p u1w1 nnnn tttt iiii 1101 iiii") { extraImmediate($0, .ldrsb, .ldrsbt) },
        ARMEncoding("STRD (immediate)", "cccc 000p u1w0 nnnn tttt iiii 1111 iiii") { extraImmediate($0, .strd, nil) },
        ARMEncoding("LDRSH (immediate)", "cccc 000p u1w1 nnnn tttt iiii 1111 iiii") { extraImmediate($0, .ldrsh, .ldrsht) },
        // A5.2.8, register offset (bit 22 = 0). Bits [11:8] are (0)(0)(0)(0) in the ARM ARM;
        // QEMU's decoder requires them to be zero (anything else is UNDEFINED there), and so do we.
        ARMEncoding("STRH (register)", "cccc 000p u0w0 nnnn tttt 0000 1011 mmmm") { extraRegister($0, .strh, .strht) },
        ARMEncoding("LDRH (register)", "cccc 000p u0w1 nnnn tttt 0000 1011 mmmm") { extraRegister($0, .ldrh, .ldrht) },
        ARMEncoding("LDRD (register)", "cccc 000p u0w0 nnnn tttt 0000 1101 mmmm") { extraRegister($0, .ldrd, nil) },
        ARMEncoding("LDRSB (register)", "cccc 000p u0w1 nnnn tttt 0000 1101 mmmm") { extraRegister($0, .ldrsb, .ldrsbt) },
        ARMEncoding("STRD (register)", "cccc 000p u0w0 nnnn tttt 0000 1111 mmmm") { extraRegister($0, .strd, nil) },
        ARMEncoding("LDRSH (register)", "cccc 000p u0w1 nnnn tttt 0000 1111 mmmm") { extraRegister($0, .ldrsh, .ldrsht) },
    ]

    // MARK: Field extraction

    /// P, U, W → flags and the operation (the T form when P = 0 and W = 1). Returns nil op when
    /// the T form does not exist (LDRD/STRD with P = 0, W = 1).
    private static func indexing(_ w: UInt32, _ op: LoadStoreOp, _ unprivileged: LoadStoreOp?) -> (LoadStoreOp?, UInt8) {
        let p = ARMInstruction.bit(w, 24), u = ARMInstruction.bit(w, 23), wbit = ARMInstruction.bit(w, 21)
        var flags: UInt8 = u ? LoadStoreFlags.add : 0
        if p {
            flags |= LoadStoreFlags.preIndex
            if wbit { flags |= LoadStoreFlags.writeback }
            return (op, flags)
        }
        // Post-indexed always writes back; with W = 1 it is the unprivileged (T) form.
        flags |= LoadStoreFlags.writeback
        return (wbit ? unprivileged : op, flags)
    }

    /// `DecodeImmShift` (A8.4.1) with RRX as type 4.
    private static func immediateShift(_ type: UInt32, _ imm5: UInt32) -> (type: UInt8, amount: UInt8) {
        let a = UInt8(truncatingIfNeeded: imm5)
        switch type {
        case 0: return (0, a)
        case 1: return (1, a == 0 ? 32 : a)
        case 2: return (2, a == 0 ? 32 : a)
        default: return a == 0 ? (4, 1) : (3, a)
        }
    }

    private static func wordByteImmediate(_ w: UInt32, _ op: LoadStoreOp, _ t: LoadStoreOp) -> ARMInstruction? {
        guard w >> 28 != 0xF else { return nil }
        let (decoded, flags) = indexing(w, op, t)
        guard let o = decoded else { return nil }
        let imm12 = ARMInstruction.bits(w, 11, 0)
        return ARMInstruction(group: .loadStore, op: o.rawValue, raw: w, rd: ARMInstruction.reg(w, 12),
                              rn: ARMInstruction.reg(w, 16), flags: flags,
                              imm: flags & LoadStoreFlags.add != 0 ? imm12 : 0 &- imm12)
    }

    private static func wordByteRegister(_ w: UInt32, _ op: LoadStoreOp, _ t: LoadStoreOp) -> ARMInstruction? {
        guard w >> 28 != 0xF else { return nil }
        let (decoded, flags) = indexing(w, op, t)
        guard let o = decoded else { return nil }
        let shift = immediateShift(ARMInstruction.bits(w, 6, 5), ARMInstruction.bits(w, 11, 7))
        return ARMInstruction(group: .loadStore, op: o.rawValue, raw: w, rd: ARMInstruction.reg(w, 12),
                              rn: ARMInstruction.reg(w, 16), rm: ARMInstruction.reg(w, 0),
                              shiftType: shift.type, shiftAmount: shift.amount,
                              flags: flags | LoadStoreFlags.registerOffset)
    }

    /// LDRD/STRD with an odd Rt: UNPREDICTABLE in the ARM ARM (A8.8.72, A8.8.210); QEMU UNDEFs
    /// (`trans_LDRD_rr`, `trans_LDRD_ri_a32` …), and so do we. P = 0, W = 1 has no T form for
    /// them: QEMU's decoder does not claim it, so it is UNDEFINED too.
    private static func extraImmediate(_ w: UInt32, _ op: LoadStoreOp, _ t: LoadStoreOp?) -> ARMInstruction? {
        guard w >> 28 != 0xF else { return nil }
        let (decoded, flags) = indexing(w, op, t)
        let rt = ARMInstruction.reg(w, 12)
        guard let o = decoded, !((o == .ldrd || o == .strd) && rt & 1 != 0) else {
            return ARMInstruction(group: .undefined, raw: w)
        }
        let imm8 = ARMInstruction.bits(w, 11, 8) << 4 | ARMInstruction.bits(w, 3, 0)
        return ARMInstruction(group: .loadStore, op: o.rawValue, raw: w, rd: rt, rn: ARMInstruction.reg(w, 16),
                              flags: flags, imm: flags & LoadStoreFlags.add != 0 ? imm8 : 0 &- imm8)
    }

    private static func extraRegister(_ w: UInt32, _ op: LoadStoreOp, _ t: LoadStoreOp?) -> ARMInstruction? {
        guard w >> 28 != 0xF else { return nil }
        let (decoded, flags) = indexing(w, op, t)
        let rt = ARMInstruction.reg(w, 12)
        guard let o = decoded, !((o == .ldrd || o == .strd) && rt & 1 != 0) else {
            return ARMInstruction(group: .undefined, raw: w)
        }
        return ARMInstruction(group: .loadStore, op: o.rawValue, raw: w, rd: rt, rn: ARMInstruction.reg(w, 16),
                              rm: ARMInstruction.reg(w, 0), flags: flags | LoadStoreFlags.registerOffset)
    }
}
