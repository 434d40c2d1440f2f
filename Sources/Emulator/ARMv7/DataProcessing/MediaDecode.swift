/// Decoding of group `.media`: the media space (ARM ARM A5.4: parallel add/subtract,
/// packing, unpacking, saturation, reversal, USAD8, bit-field, divide) and, from the
/// miscellaneous space (A5.2.12), CLZ and the saturating QADD family (A5.2.6).
///
/// UNPREDICTABLE register choices (a PC operand; BFI/BFC with msb < lsb; SBFX/UBFX with
/// lsb + width > 32) are UNDEFINED, as QEMU does for the bit-field cases. Like QEMU's
/// `a32.decode`, the should-be-one/zero fields (the 1111 of REV, the 00 of SXTAB) are fixed
/// bits. The permanently UNDEFINED `cccc 0111 1111 xxxx xxxx xxxx 1111 xxxx` (UDF) is left to
/// the exception group. Every closure refuses cond = 1111 (the unconditional space, A5.7).
enum MediaOp: UInt8, CaseIterable {
    /// rd, rn, rm.
    case qadd, qsub, qdadd, qdsub
    /// rd, rn; imm = saturate-to bit count; shiftType LSL/ASR and shiftAmount (ASR #32 = 32).
    case ssat, usat
    /// rd, rn; imm = saturate-to bit count.
    case ssat16, usat16
    /// rd, rn, rm; flags = `ParallelPrefix`, shiftType = `ParallelOperation`.
    case parallelAddSub
    /// rd, rn, rm (USADA8: Ra in rs).
    case sel, usad8, usada8
    /// rd, rn, rm; shiftAmount = LSL amount (PKHBT) or ASR amount 1–32 (PKHTB).
    case pkhbt, pkhtb
    /// rd, rm, shiftAmount = rotation 0/8/16/24 (the accumulating forms add Rn).
    case sxtb, sxth, sxtb16, uxtb, uxth, uxtb16
    case sxtab, sxtah, sxtab16, uxtab, uxtah, uxtab16
    /// rd, rm.
    case rev, rev16, revsh, rbit, clz
    /// rd (and rn for BFI); imm = the field mask, shiftAmount = lsb.
    case bfc, bfi
    /// rd, rn; SBFX: shiftAmount = 31 − msb (left), imm = 32 − width (arithmetic right);
    /// UBFX: shiftAmount = lsb, imm = the width mask.
    case sbfx, ubfx
    /// rd (19:16), rn (3:0), rm (11:8).
    case sdiv, udiv
}

extension MediaOp {
    /// `ARMInstruction.op` as a `MediaOp` by a checked bit cast (see `DataProcessingOp.decoded`).
    @inline(__always)
    static func decoded(_ op: UInt8) -> MediaOp? {
        op <= MediaOp.udiv.rawValue ? unsafeBitCast(op, to: MediaOp.self) : nil
    }
}

/// The parallel add/subtract prefixes (A5.4.1/A5.4.2), in `ARMInstruction.flags`.
enum ParallelPrefix {
    static let signed: UInt8 = 0, saturating: UInt8 = 1, halving: UInt8 = 2
    static let unsigned: UInt8 = 3, unsignedSaturating: UInt8 = 4, unsignedHalving: UInt8 = 5
}

/// The parallel add/subtract operations, in `ARMInstruction.shiftType`: the encoding's op2
/// (bits 7:5) with 111 (SUB8) renumbered to 5.
enum ParallelOperation {
    static let add16: UInt8 = 0, asx: UInt8 = 1, sax: UInt8 = 2, sub16: UInt8 = 3, add8: UInt8 = 4, sub8: UInt8 = 5
}

extension ARMDecoder {
    static let mediaEncodings: [ARMEncoding] = parallelAddSubEncodings + [
        // A5.2.6 saturating addition and subtraction (miscellaneous space).
        ARMEncoding("QADD", "cccc 0001 0000 nnnn dddd 0000 0101 mmmm") { w in decodeMediaNDM(w, .qadd) },
        ARMEncoding("QSUB", "cccc 0001 0010 nnnn dddd 0000 0101 mmmm") { w in decodeMediaNDM(w, .qsub) },
        ARMEncoding("QDADD", "cccc 0001 0100 nnnn dddd 0000 0101 mmmm") { w in decodeMediaNDM(w, .qdadd) },
        ARMEncoding("QDSUB", "cccc 0001 0110 nnnn dddd 0000 0101 mmmm") { w in decodeMediaNDM(w, .qdsub) },
        ARMEncoding("CLZ", "cccc 0001 0110 1111 dddd 1111 0001 mmmm") { w in decodeMediaDM(w, .clz) },

        // A5.4.3 packing, unpacking, saturation and reversal.
        ARMEncoding("PKH", "cccc 0110 1000 nnnn dddd iiii it01 mmmm", decodePack),
        ARMEncoding("SEL", "cccc 0110 1000 nnnn dddd 1111 1011 mmmm") { w in decodeMediaNDM(w, .sel) },
        ARMEncoding("SSAT", "cccc 0110 101s ssss dddd iiii ih01 nnnn") { w in decodeSaturate(w, signed: true) },
        ARMEncoding("USAT", "cccc 0110 111s ssss dddd iiii ih01 nnnn") { w in decodeSaturate(w, signed: false) },
        ARMEncoding("SSAT16", "cccc 0110 1010 ssss dddd 1111 0011 nnnn") { w in decodeSaturate16(w, signed: true) },
        ARMEncoding("USAT16", "cccc 0110 1110 ssss dddd 1111 0011 nnnn") { w in decodeSaturate16(w, signed: false) },
        ARMEncoding("SXTAB16", "cccc 0110 1000 nnnn dddd rr00 0111 mmmm") { w in decodeExtend(w, .sxtab16) },
        ARMEncoding("SXTB16", "cccc 0110 1000 1111 dddd rr00 0111 mmmm") { w in decodeExtend(w, .sxtb16) },
        ARMEncoding("SXTAB", "cccc 0110 1010 nnnn dddd rr00 0111 mmmm") { w in decodeExtend(w, .sxtab) },
        ARMEncoding("SXTB", "cccc 0110 1010 1111 dddd rr00 0111 mmmm") { w in decodeExtend(w, .sxtb) },
        ARMEncoding("SXTAH", "cccc 0110 1011 nnnn dddd rr00 0111 mmmm") { w in decodeExtend(w, .sxtah) },
        ARMEncoding("SXTH", "cccc 0110 1011 1111 dddd rr00 0111 mmmm") { w in decodeExtend(w, .sxth) },
        ARMEncoding("UXTAB16", "cccc 0110 1100 nnnn dddd rr00 0111 mmmm") { w in decodeExtend(w, .uxtab16) },
        ARMEncoding("UXTB16", "cccc 0110 1100 1111 dddd rr00 0111 mmmm") { w in decodeExtend(w, .uxtb16) },
        ARMEncoding("UXTAB", "cccc 0110 1110 nnnn dddd rr00 0111 mmmm") { w in decodeExtend(w, .uxtab) },
        ARMEncoding("UXTB", "cccc 0110 1110 1111 dddd rr00 0111 mmmm") { w in decodeExtend(w, .uxtb) },
        ARMEncoding("UXTAH", "cccc 0110 1111 nnnn dddd rr00 0111 mmmm") { w in decodeExtend(w, .uxtah) },
        ARMEncoding("UXTH", "cccc 0110 1111 1111 dddd rr00 0111 mmmm") { w in decodeExtend(w, .uxth) },
        ARMEncoding("REV", "cccc 0110 1011 1111 dddd 1111 0011 mmmm") { w in decodeMediaDM(w, .rev) },
        ARMEncoding("REV16", "cccc 0110 1011 1111 dddd 1111 1011 mmmm") { w in decodeMediaDM(w, .rev16) },
        ARMEncoding("RBIT", "cccc 0110 1111 1111 dddd 1111 0011 mmmm") { w in decodeMediaDM(w, .rbit) },
        ARMEncoding("REVSH", "cccc 0110 1111 1111 dddd 1111 1011 mmmm") { w in decodeMediaDM(w, .revsh) },

        // A5.4 (op1 = 10xxx …): divide, sum of absolute differences, bit-field.
        ARMEncoding("SDIV", "cccc 0111 0001 dddd 1111 mmmm 0001 nnnn") { w in decodeDivide(w, .sdiv) },
        ARMEncoding("UDIV", "cccc 0111 0011 dddd 1111 mmmm 0001 nnnn") { w in decodeDivide(w, .udiv) },
        ARMEncoding("USADA8", "cccc 0111 1000 dddd aaaa mmmm 0001 nnnn") { w in decodeSumOfDifferences(w) },
        ARMEncoding("USAD8", "cccc 0111 1000 dddd 1111 mmmm 0001 nnnn") { w in decodeSumOfDifferences(w) },
        ARMEncoding("SBFX", "cccc 0111 101w wwww dddd llll l101 nnnn") { w in decodeBitFieldExtract(w, signed: true) },
        ARMEncoding("UBFX", "cccc 0111 111w wwww dddd llll l101 nnnn") { w in decodeBitFieldExtract(w, signed: false) },
        ARMEncoding("BFI", "cccc 0111 110m mmmm dddd llll l001 nnnn", decodeBitFieldInsert),
        ARMEncoding("BFC", "cccc 0111 110m mmmm dddd llll l001 1111", decodeBitFieldInsert),
    ]

    /// A5.4.1/A5.4.2: six prefixes (op1 = bits 22:20 with U = bit 22) × six operations
    /// (op2 = bits 7:5); op1 x00 and op2 101/110 are UNDEFINED and have no pattern.
    static let parallelAddSubEncodings: [ARMEncoding] = {
        let prefixes: [(name: String, bits: String, prefix: UInt8)] = [
            ("S", "001", ParallelPrefix.signed), ("Q", "010", ParallelPrefix.saturating),
            ("SH", "011", ParallelPrefix.halving), ("U", "101", ParallelPrefix.unsigned),
            ("UQ", "110", ParallelPrefix.unsignedSaturating), ("UH", "111", ParallelPrefix.unsignedHalving),
        ]
        let operations: [(name: String, bits: String, operation: UInt8)] = [
            ("ADD16", "000", ParallelOperation.add16), ("ASX", "001", ParallelOperation.asx),
            ("SAX", "010", ParallelOperation.sax), ("SUB16", "011", ParallelOperation.sub16),
            ("ADD8", "100", ParallelOperation.add8), ("SUB8", "111", ParallelOperation.sub8),
        ]
        var list: [ARMEncoding] = []
        for p in prefixes {
            for o in operations {
                let prefix = p.prefix, operation = o.operation
                list.append(ARMEncoding(p.name + o.name, "cccc 0110 0\(p.bits) nnnn dddd 1111 \(o.bits)1 mmmm") { w in
                    guard var d = decodeMediaNDM(w, .parallelAddSub) else { return nil }
                    if d.group == .media {
                        d.flags = prefix
                        d.shiftType = operation
                    }
                    return d
                })
            }
        }
        return list
    }()

    @inline(__always)
    private static func isPC(_ w: UInt32, _ lo: Int) -> Bool { (w >> UInt32(lo)) & 0xF == 0xF }

    @inline(__always)
    private static func undefined(_ w: UInt32) -> ARMInstruction { ARMInstruction(group: .undefined, raw: w) }

    /// Rn (19:16), Rd (15:12), Rm (3:0); none may be the PC.
    static func decodeMediaNDM(_ w: UInt32, _ op: MediaOp) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        if isPC(w, 16) || isPC(w, 12) || isPC(w, 0) { return undefined(w) }
        return ARMInstruction(group: .media, op: op.rawValue, raw: w, rd: ARMInstruction.reg(w, 12),
                              rn: ARMInstruction.reg(w, 16), rm: ARMInstruction.reg(w, 0))
    }

    /// Rd (15:12), Rm (3:0); neither may be the PC.
    static func decodeMediaDM(_ w: UInt32, _ op: MediaOp) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        if isPC(w, 12) || isPC(w, 0) { return undefined(w) }
        return ARMInstruction(group: .media, op: op.rawValue, raw: w, rd: ARMInstruction.reg(w, 12), rm: ARMInstruction.reg(w, 0))
    }

    /// PKHBT (tb = 0: Rm LSL #imm) / PKHTB (tb = 1: Rm ASR #imm, #0 meaning #32), A8.8.125.
    static func decodePack(_ w: UInt32) -> ARMInstruction? {
        let top = ARMInstruction.bit(w, 6)
        guard var d = decodeMediaNDM(w, top ? .pkhtb : .pkhbt) else { return nil }
        let imm5 = UInt8(truncatingIfNeeded: ARMInstruction.bits(w, 11, 7))
        d.shiftAmount = top && imm5 == 0 ? 32 : imm5
        return d
    }

    /// SSAT/USAT (A8.8.152, A8.8.242): saturate_to = sat_imm + 1 (SSAT) or sat_imm (USAT);
    /// the operand is Rn LSL #imm5 (sh = 0) or ASR #imm5 (sh = 1, #0 meaning #32).
    static func decodeSaturate(_ w: UInt32, signed: Bool) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        if isPC(w, 12) || isPC(w, 0) { return undefined(w) }
        let satImm = ARMInstruction.bits(w, 20, 16)
        let (type, amount) = ShiftKind.decodeImmShift(type: ARMInstruction.bits(w, 6, 6) << 1, imm5: ARMInstruction.bits(w, 11, 7))
        return ARMInstruction(group: .media, op: (signed ? MediaOp.ssat : .usat).rawValue, raw: w,
                              rd: ARMInstruction.reg(w, 12), rn: ARMInstruction.reg(w, 0),
                              shiftType: type, shiftAmount: amount, imm: signed ? satImm + 1 : satImm)
    }

    /// SSAT16/USAT16 (A8.8.153, A8.8.243): saturate_to = sat_imm + 1 (1–16) or sat_imm (0–15).
    static func decodeSaturate16(_ w: UInt32, signed: Bool) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        if isPC(w, 12) || isPC(w, 0) { return undefined(w) }
        let satImm = ARMInstruction.bits(w, 19, 16)
        return ARMInstruction(group: .media, op: (signed ? MediaOp.ssat16 : .usat16).rawValue, raw: w,
                              rd: ARMInstruction.reg(w, 12), rn: ARMInstruction.reg(w, 0),
                              imm: signed ? satImm + 1 : satImm)
    }

    /// SXTAB … UXTH (A8.8.219–A8.8.226, A8.8.271–A8.8.278): rotation = 8 × bits 11:10.
    static func decodeExtend(_ w: UInt32, _ op: MediaOp) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        if isPC(w, 12) || isPC(w, 0) { return undefined(w) }
        return ARMInstruction(group: .media, op: op.rawValue, raw: w, rd: ARMInstruction.reg(w, 12),
                              rn: ARMInstruction.reg(w, 16), rm: ARMInstruction.reg(w, 0),
                              shiftAmount: UInt8(truncatingIfNeeded: ARMInstruction.bits(w, 11, 10) << 3))
    }

    /// SDIV/UDIV: Rd (19:16), Rm (11:8), Rn (3:0).
    static func decodeDivide(_ w: UInt32, _ op: MediaOp) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        if isPC(w, 16) || isPC(w, 8) || isPC(w, 0) { return undefined(w) }
        return ARMInstruction(group: .media, op: op.rawValue, raw: w, rd: ARMInstruction.reg(w, 16),
                              rn: ARMInstruction.reg(w, 0), rm: ARMInstruction.reg(w, 8))
    }

    /// USAD8/USADA8 (A8.8.253/254): Rd (19:16), Ra (15:12, 1111 = USAD8), Rm (11:8), Rn (3:0).
    static func decodeSumOfDifferences(_ w: UInt32) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        if isPC(w, 16) || isPC(w, 8) || isPC(w, 0) { return undefined(w) }
        let accumulate = !isPC(w, 12)
        return ARMInstruction(group: .media, op: (accumulate ? MediaOp.usada8 : .usad8).rawValue, raw: w,
                              rd: ARMInstruction.reg(w, 16), rn: ARMInstruction.reg(w, 0),
                              rm: ARMInstruction.reg(w, 8), rs: ARMInstruction.reg(w, 12))
    }

    /// SBFX/UBFX (A8.8.164, A8.8.246): lsb (11:7), widthminus1 (20:16), Rd (15:12), Rn (3:0).
    static func decodeBitFieldExtract(_ w: UInt32, signed: Bool) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        let lsb = ARMInstruction.bits(w, 11, 7)
        let width = ARMInstruction.bits(w, 20, 16) + 1
        let msb = lsb + width - 1
        if isPC(w, 12) || isPC(w, 0) || msb > 31 { return undefined(w) }
        let rd = ARMInstruction.reg(w, 12), rn = ARMInstruction.reg(w, 0)
        if signed {
            return ARMInstruction(group: .media, op: MediaOp.sbfx.rawValue, raw: w, rd: rd, rn: rn,
                                  shiftAmount: UInt8(truncatingIfNeeded: 31 - msb), imm: 32 - width)
        }
        let mask: UInt32 = width == 32 ? 0xFFFF_FFFF : (1 << width) - 1
        return ARMInstruction(group: .media, op: MediaOp.ubfx.rawValue, raw: w, rd: rd, rn: rn,
                              shiftAmount: UInt8(truncatingIfNeeded: lsb), imm: mask)
    }

    /// BFI/BFC (A8.8.20, A8.8.21): msb (20:16), lsb (11:7), Rd (15:12), Rn (3:0; 1111 = BFC).
    static func decodeBitFieldInsert(_ w: UInt32) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        let msb = ARMInstruction.bits(w, 20, 16), lsb = ARMInstruction.bits(w, 11, 7)
        if isPC(w, 12) || msb < lsb { return undefined(w) }
        let width = msb - lsb + 1
        let mask: UInt32 = (width == 32 ? 0xFFFF_FFFF : (1 << width) - 1) << lsb
        let clear = isPC(w, 0)
        return ARMInstruction(group: .media, op: (clear ? MediaOp.bfc : .bfi).rawValue, raw: w,
                              rd: ARMInstruction.reg(w, 12), rn: ARMInstruction.reg(w, 0),
                              shiftAmount: UInt8(truncatingIfNeeded: lsb), imm: mask)
    }
}
