/// The operations of `RVGroup.integer` (`RVInstruction.op`): the RV64I computational
/// instructions (unprivileged spec §2.4 and §5.2). The decoder picks one operation per
/// instruction and pre-computes its immediate, so execution is a single switch to one line.
///
/// Fields: `rd`, `rs1`, `rs2`; `imm` = the sign-extended I or U immediate, or the shift amount
/// (already within 0–63, or 0–31 for the W forms).
enum RVIntegerOp: UInt8, CaseIterable {
    /// x[rd] = imm: LUI, and ADDI from x0 (the `li` idiom).
    case li
    /// x[rd] = x[rs1]: ADDI with immediate 0 (the `mv` idiom).
    case mv
    case auipc
    // OP-IMM.
    case addi, slti, sltiu, xori, ori, andi, slli, srli, srai
    // OP.
    case add, sub, sll, slt, sltu, xor, srl, sra, or, and
    // OP-IMM-32 and OP-32: 32-bit results, sign-extended.
    case addiw, slliw, srliw, sraiw
    case addw, subw, sllw, srlw, sraw
}

extension RVIntegerOp {
    /// The operation an `RVInstruction.op` holds, or nil for a value no decoder produces.
    /// Raw values are the declaration order, which is also the enum's tag: a range check and
    /// a bit cast are the whole conversion (the synthesized `init(rawValue:)` can stay a call
    /// on the hot path). `RVIntegerDecodeTests` checks the correspondence for every case.
    @inline(__always)
    static func decoded(_ op: UInt8) -> RVIntegerOp? {
        op <= RVIntegerOp.sraw.rawValue ? unsafeBitCast(op, to: RVIntegerOp.self) : nil
    }
}
