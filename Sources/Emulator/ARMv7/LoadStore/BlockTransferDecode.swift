/// LDM/STM decoding (A5.5 "Branch, branch with link, and block data transfer"; A8.8.58 ff.,
/// B9.3.5–7 for the `^` forms), group `ARMGroup.loadStoreMultiple`.
///
/// Fields of a decoded instruction in this group:
/// - `op`: a `BlockTransferOp`;
/// - `rn` = Rn; `imm` = the register list (bits [15:0]);
/// - `rd` = the number of registers in the list;
/// - `rm` = the lowest address's offset from Rn, as an `Int8` bit pattern
///   (IA 0, IB +4, DA 4 − 4n, DB −4n);
/// - `rs` = the writeback delta, as an `Int8` bit pattern (±4n);
/// - `flags`: `BlockTransferFlags`.
///
/// cond = 1111 is SRS/RFE (the exception group) or UNDEFINED: never claimed here.
enum BlockTransferOp: UInt8 {
    /// LDM / POP.
    case ldm
    /// STM / PUSH.
    case stm
    /// LDM (User registers): `ldm rn, {…}^` without the PC.
    case ldmUser
    /// STM (User registers): `stm rn, {…}^`.
    case stmUser
    /// LDM (exception return): `ldm rn{!}, {…, pc}^`.
    case ldmExceptionReturn
}

enum BlockTransferFlags {
    static let writeback: UInt8 = 1 << 0
}

extension ARMDecoder {
    static let loadStoreMultipleEncodings: [ARMEncoding] = [
        ARMEncoding("STM", "cccc 100p u0w0 nnnn rrrr rrrr rrrr rrrr") { blockTransfer($0, .stm) },
        ARMEncoding("LDM", "cccc 100p u0w1 nnnn rrrr rrrr rrrr rrrr") { blockTransfer($0, .ldm) },
        ARMEncoding("STM (User registers)", "cccc 100p u1w0 nnnn rrrr rrrr rrrr rrrr") { blockTransfer($0, .stmUser) },
        ARMEncoding("LDM (User registers / exception return)", "cccc 100p u1w1 nnnn rrrr rrrr rrrr rrrr") { w in
            blockTransfer(w, w & 0x8000 != 0 ? .ldmExceptionReturn : .ldmUser)
        },
    ]

    /// UNPREDICTABLE encodings become UNDEFINED, as QEMU decides them (`op_stm`, `do_ldm`,
    /// `trans_LDM_a32`): an empty list, Rn = PC, LDM with writeback and Rn in the list (ARMv7),
    /// LDM (User registers) with writeback. STM with writeback and Rn in the list is executed
    /// (the original Rn is stored, wherever it sits in the list); STM (User registers) with
    /// W = 1 is executed with writeback to the current mode's Rn, as QEMU does.
    private static func blockTransfer(_ w: UInt32, _ op: BlockTransferOp) -> ARMInstruction? {
        guard w >> 28 != 0xF else { return nil }
        let list = w & 0xFFFF
        let n = ARMInstruction.reg(w, 16)
        let wback = ARMInstruction.bit(w, 21)
        let baseInList = list & (1 << UInt32(n)) != 0
        if list == 0 || n == 15 { return ARMInstruction(group: .undefined, raw: w) }
        if (op == .ldm || op == .ldmExceptionReturn) && wback && baseInList { return ARMInstruction(group: .undefined, raw: w) }
        if op == .ldmUser && wback { return ARMInstruction(group: .undefined, raw: w) }

        let count = Int8(list.nonzeroBitCount)
        let increment = ARMInstruction.bit(w, 23), before = ARMInstruction.bit(w, 24)
        let start: Int8
        switch (increment, before) {
        case (true, false): start = 0                // IA
        case (true, true): start = 4                 // IB
        case (false, false): start = 4 - 4 * count   // DA
        case (false, true): start = -4 * count       // DB
        }
        let delta: Int8 = increment ? 4 * count : -4 * count
        return ARMInstruction(group: .loadStoreMultiple, op: op.rawValue, raw: w, rd: UInt8(count), rn: n,
                              rm: UInt8(bitPattern: start), rs: UInt8(bitPattern: delta),
                              flags: wback ? BlockTransferFlags.writeback : 0, imm: list)
    }
}
