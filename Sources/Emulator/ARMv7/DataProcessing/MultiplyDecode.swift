/// Decoding of the multiplies (group `.multiply`): the multiply and multiply-accumulate space
/// (ARM ARM A5.2.5), the halfword multiplies (A5.2.7) and the media space's signed
/// multiplies (A5.4.4). The divides of A5.4.4 are in `MediaDecode.swift`.
///
/// Fields: `rd` = Rd or RdHi (bits 19:16), `rs` = Ra or RdLo (bits 15:12), `rm` (11:8),
/// `rn` (3:0); `flags` = `MultiplyFlags`. A PC operand is UNPREDICTABLE everywhere here, and
/// so is RdHi = RdLo: hetboot makes both UNDEFINED. Like QEMU, the should-be-zero Ra field
/// of MUL, SMULW<y> and SMUL<x><y> is a fixed 0000 (other values: UNDEFINED).
enum MultiplyOp: UInt8, CaseIterable {
    case mul, muls, mla, mlas, mls
    case umull, umulls, umlal, umlals, smull, smulls, smlal, smlals, umaal
    /// Halfword multiplies: operand halves from `flags`.
    case smlaxy, smlawy, smulwy, smlalxy, smulxy
    /// Dual 16-bit multiplies (X: `flags.exchange`) and most-significant-word multiplies
    /// (R: `flags.round`).
    case smlad, smuad, smlsd, smusd, smlald, smlsld
    case smmla, smmul, smmls
}

extension MultiplyOp {
    /// `ARMInstruction.op` as a `MultiplyOp` by a checked bit cast (see `DataProcessingOp.decoded`).
    @inline(__always)
    static func decoded(_ op: UInt8) -> MultiplyOp? {
        op <= MultiplyOp.smmls.rawValue ? unsafeBitCast(op, to: MultiplyOp.self) : nil
    }
}

/// `ARMInstruction.flags` of a multiply: instruction bits 5 and 6, whose meaning depends on
/// the instruction (A8.8: SMLA<x><y> N = bit 5, M = bit 6; SMLAW<y> M = bit 6; SMLAD X = bit 5;
/// SMMLA R = bit 5).
enum MultiplyFlags {
    /// SMLA<x><y>, SMUL<x><y>, SMLAL<x><y>: Rn's top half (x = T).
    static let nTop: UInt8 = 1 << 0
    /// Rm's top half (y = T), including SMLAW<y>/SMULW<y>.
    static let mTop: UInt8 = 1 << 1
    /// SMLAD/SMUAD/SMLSD/SMUSD/SMLALD/SMLSLD with X: Rm's halves swapped.
    static let exchange: UInt8 = 1 << 0
    /// SMMLA/SMMUL/SMMLS with R: rounded.
    static let round: UInt8 = 1 << 0
}

extension ARMDecoder {
    static let multiplyEncodings: [ARMEncoding] = [
        // A5.2.5 (ops 0101 and 0111 are UNDEFINED: no pattern claims them).
        ARMEncoding("MUL", "cccc 0000 000s dddd 0000 mmmm 1001 nnnn") { w in decodeMultiply(w, bit(w, 20) ? .muls : .mul, ra: false) },
        ARMEncoding("MLA", "cccc 0000 001s dddd aaaa mmmm 1001 nnnn") { w in decodeMultiply(w, bit(w, 20) ? .mlas : .mla, ra: true) },
        ARMEncoding("UMAAL", "cccc 0000 0100 hhhh llll mmmm 1001 nnnn") { w in decodeMultiplyLong(w, .umaal) },
        ARMEncoding("MLS", "cccc 0000 0110 dddd aaaa mmmm 1001 nnnn") { w in decodeMultiply(w, .mls, ra: true) },
        ARMEncoding("UMULL", "cccc 0000 100s hhhh llll mmmm 1001 nnnn") { w in decodeMultiplyLong(w, bit(w, 20) ? .umulls : .umull) },
        ARMEncoding("UMLAL", "cccc 0000 101s hhhh llll mmmm 1001 nnnn") { w in decodeMultiplyLong(w, bit(w, 20) ? .umlals : .umlal) },
        ARMEncoding("SMULL", "cccc 0000 110s hhhh llll mmmm 1001 nnnn") { w in decodeMultiplyLong(w, bit(w, 20) ? .smulls : .smull) },
        ARMEncoding("SMLAL", "cccc 0000 111s hhhh llll mmmm 1001 nnnn") { w in decodeMultiplyLong(w, bit(w, 20) ? .smlals : .smlal) },

        // A5.2.7 halfword multiplies (in the miscellaneous space: S = 0, bit 7 = 1, bit 4 = 0).
        ARMEncoding("SMLA<x><y>", "cccc 0001 0000 dddd aaaa mmmm 1yx0 nnnn") { w in decodeMultiply(w, .smlaxy, ra: true) },
        ARMEncoding("SMLAW<y>", "cccc 0001 0010 dddd aaaa mmmm 1y00 nnnn") { w in decodeMultiply(w, .smlawy, ra: true) },
        ARMEncoding("SMULW<y>", "cccc 0001 0010 dddd 0000 mmmm 1y10 nnnn") { w in decodeMultiply(w, .smulwy, ra: false) },
        ARMEncoding("SMLAL<x><y>", "cccc 0001 0100 hhhh llll mmmm 1yx0 nnnn") { w in decodeMultiplyLong(w, .smlalxy) },
        ARMEncoding("SMUL<x><y>", "cccc 0001 0110 dddd 0000 mmmm 1yx0 nnnn") { w in decodeMultiply(w, .smulxy, ra: false) },

        // A5.4.4 signed multiplies; Ra = 1111 selects the non-accumulating form.
        ARMEncoding("SMLAD", "cccc 0111 0000 dddd aaaa mmmm 00x1 nnnn") { w in decodeMultiply(w, .smlad, ra: true) },
        ARMEncoding("SMUAD", "cccc 0111 0000 dddd 1111 mmmm 00x1 nnnn") { w in decodeMultiply(w, .smuad, ra: false) },
        ARMEncoding("SMLSD", "cccc 0111 0000 dddd aaaa mmmm 01x1 nnnn") { w in decodeMultiply(w, .smlsd, ra: true) },
        ARMEncoding("SMUSD", "cccc 0111 0000 dddd 1111 mmmm 01x1 nnnn") { w in decodeMultiply(w, .smusd, ra: false) },
        ARMEncoding("SMLALD", "cccc 0111 0100 hhhh llll mmmm 00x1 nnnn") { w in decodeMultiplyLong(w, .smlald) },
        ARMEncoding("SMLSLD", "cccc 0111 0100 hhhh llll mmmm 01x1 nnnn") { w in decodeMultiplyLong(w, .smlsld) },
        ARMEncoding("SMMLA", "cccc 0111 0101 dddd aaaa mmmm 00r1 nnnn") { w in decodeMultiply(w, .smmla, ra: true) },
        ARMEncoding("SMMUL", "cccc 0111 0101 dddd 1111 mmmm 00r1 nnnn") { w in decodeMultiply(w, .smmul, ra: false) },
        // SMMLS has no non-accumulating form: Ra = PC is UNPREDICTABLE (UNDEFINED here).
        ARMEncoding("SMMLS", "cccc 0111 0101 dddd aaaa mmmm 11r1 nnnn") { w in decodeMultiply(w, .smmls, ra: true) },
    ]

    @inline(__always)
    private static func bit(_ w: UInt32, _ n: Int) -> Bool { ARMInstruction.bit(w, n) }

    /// bits 5 and 6 as `MultiplyFlags`.
    @inline(__always)
    private static func multiplyFlags(_ w: UInt32) -> UInt8 {
        UInt8(truncatingIfNeeded: (w >> 5) & 3)
    }

    /// A 32-bit result: Rd (19:16), Rm (11:8), Rn (3:0), and Ra (15:12) when `ra`.
    static func decodeMultiply(_ w: UInt32, _ op: MultiplyOp, ra: Bool) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        let rd = ARMInstruction.reg(w, 16), rs = ARMInstruction.reg(w, 12)
        let rm = ARMInstruction.reg(w, 8), rn = ARMInstruction.reg(w, 0)
        if rd == 15 || rm == 15 || rn == 15 || (ra && rs == 15) {
            return ARMInstruction(group: .undefined, raw: w)
        }
        return ARMInstruction(group: .multiply, op: op.rawValue, raw: w, rd: rd, rn: rn, rm: rm, rs: rs,
                              flags: multiplyFlags(w))
    }

    /// A 64-bit result: RdHi (19:16) in `rd`, RdLo (15:12) in `rs`.
    static func decodeMultiplyLong(_ w: UInt32, _ op: MultiplyOp) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        let hi = ARMInstruction.reg(w, 16), lo = ARMInstruction.reg(w, 12)
        let rm = ARMInstruction.reg(w, 8), rn = ARMInstruction.reg(w, 0)
        if hi == 15 || lo == 15 || rm == 15 || rn == 15 || hi == lo {
            return ARMInstruction(group: .undefined, raw: w)
        }
        return ARMInstruction(group: .multiply, op: op.rawValue, raw: w, rd: hi, rn: rn, rm: rm, rs: lo,
                              flags: multiplyFlags(w))
    }
}
