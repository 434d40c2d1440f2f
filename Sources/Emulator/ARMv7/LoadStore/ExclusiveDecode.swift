/// Synchronization primitives decoding (A5.2.10; A8.8.75–78 LDREX*, A8.8.212–215 STREX*,
/// A8.8.32 CLREX, A8.8.229 SWP/SWPB), group `ARMGroup.exclusive`.
///
/// Fields of a decoded instruction in this group:
/// - `op`: an `ExclusiveOp`;
/// - LDREX*: `rd` = Rt, `rn` = Rn;
/// - STREX*: `rd` = Rd (the status register), `rn` = Rn, `rm` = Rt;
/// - SWP/SWPB: `rd` = Rt (gets the old memory value), `rn` = Rn, `rm` = Rt2 (stored).
///
/// The (1)/(0) "should be" bits of these encodings are fixed as QEMU's decoder fixes them;
/// an encoding with them otherwise is left unclaimed (UNDEFINED), as in QEMU. The ARMv8
/// acquire/release forms (bits [9:8] ≠ 11) do not exist in ARMv7 and are UNDEFINED.
enum ExclusiveOp: UInt8 {
    case ldrex, ldrexd, ldrexb, ldrexh
    case strex, strexd, strexb, strexh
    case clrex
    case swp, swpb
}

extension ARMDecoder {
    static let exclusiveEncodings: [ARMEncoding] = [
        // Bits [22:21]: 00 word, 01 doubleword, 10 byte, 11 halfword.
        ARMEncoding("LDREX", "cccc 0001 1001 nnnn tttt 1111 1001 1111") { loadExclusive($0, .ldrex) },
        ARMEncoding("LDREXD", "cccc 0001 1011 nnnn tttt 1111 1001 1111") { loadExclusive($0, .ldrexd) },
        ARMEncoding("LDREXB", "cccc 0001 1101 nnnn tttt 1111 1001 1111") { loadExclusive($0, .ldrexb) },
        ARMEncoding("LDREXH", "cccc 0001 1111 nnnn tttt 1111 1001 1111") { loadExclusive($0, .ldrexh) },
        ARMEncoding("STREX", "cccc 0001 1000 nnnn dddd 1111 1001 tttt") { storeExclusive($0, .strex) },
        ARMEncoding("STREXD", "cccc 0001 1010 nnnn dddd 1111 1001 tttt") { storeExclusive($0, .strexd) },
        ARMEncoding("STREXB", "cccc 0001 1100 nnnn dddd 1111 1001 tttt") { storeExclusive($0, .strexb) },
        ARMEncoding("STREXH", "cccc 0001 1110 nnnn dddd 1111 1001 tttt") { storeExclusive($0, .strexh) },
        ARMEncoding("CLREX", "1111 0101 0111 1111 1111 0000 0001 1111") { w in
            ARMInstruction(group: .exclusive, op: ExclusiveOp.clrex.rawValue, raw: w)
        },
        ARMEncoding("SWP", "cccc 0001 0000 nnnn tttt 0000 1001 mmmm") { swap($0, .swp) },
        ARMEncoding("SWPB", "cccc 0001 0100 nnnn tttt 0000 1001 mmmm") { swap($0, .swpb) },
    ]

    /// UNPREDICTABLE register choices UNDEF, as QEMU's `op_ldrex`/`trans_LDREXD_a32` decide:
    /// Rn = PC, Rt = PC, and for LDREXD an odd Rt or Rt = 14 (Rt2 would be the PC).
    private static func loadExclusive(_ w: UInt32, _ op: ExclusiveOp) -> ARMInstruction? {
        guard w >> 28 != 0xF else { return nil }
        let n = ARMInstruction.reg(w, 16), t = ARMInstruction.reg(w, 12)
        if n == 15 || t == 15 || (op == .ldrexd && (t & 1 != 0 || t == 14)) {
            return ARMInstruction(group: .undefined, raw: w)
        }
        return ARMInstruction(group: .exclusive, op: op.rawValue, raw: w, rd: t, rn: n)
    }

    /// As QEMU's `op_strex`/`trans_STREXD_a32`: Rd, Rn or Rt = PC, Rd = Rn, Rd = Rt, and for
    /// STREXD an odd Rt, Rt = 14 or Rd = Rt2 UNDEF.
    private static func storeExclusive(_ w: UInt32, _ op: ExclusiveOp) -> ARMInstruction? {
        guard w >> 28 != 0xF else { return nil }
        let n = ARMInstruction.reg(w, 16), d = ARMInstruction.reg(w, 12), t = ARMInstruction.reg(w, 0)
        if d == 15 || n == 15 || t == 15 || d == n || d == t
            || (op == .strexd && (t & 1 != 0 || t == 14 || d == t &+ 1)) {
            return ARMInstruction(group: .undefined, raw: w)
        }
        return ARMInstruction(group: .exclusive, op: op.rawValue, raw: w, rd: d, rn: n, rm: t)
    }

    /// SWP/SWPB: the UNPREDICTABLE register choices (any of them the PC, Rn = Rt, Rn = Rt2)
    /// execute as QEMU's `op_swp` does them: no check.
    private static func swap(_ w: UInt32, _ op: ExclusiveOp) -> ARMInstruction? {
        guard w >> 28 != 0xF else { return nil }
        return ARMInstruction(group: .exclusive, op: op.rawValue, raw: w, rd: ARMInstruction.reg(w, 12),
                              rn: ARMInstruction.reg(w, 16), rm: ARMInstruction.reg(w, 0))
    }
}
