/// RV64I computational instructions (unprivileged spec §2.4, §5.2). Shifts by register use the
/// low 6 bits of rs2 (5 for the W forms), which is exactly what Swift's masking shifts
/// (`&<<`, `&>>`) do on 64- and 32-bit operands; the decoder already reduced immediate
/// shift amounts to their field.
extension RISCVCore {
    func execInteger(_ d: RVInstruction) {
        guard let op = RVIntegerOp.decoded(d.op) else { return illegalInstruction(d) }
        let a = x[Int(d.rs1)]
        let b = x[Int(d.rs2)]
        let imm = d.imm
        let r: UInt64
        switch op {
        case .li: r = imm
        case .mv: r = a
        case .auipc: r = pc &+ imm

        case .addi: r = a &+ imm
        case .slti: r = Int64(bitPattern: a) < Int64(bitPattern: imm) ? 1 : 0
        case .sltiu: r = a < imm ? 1 : 0
        case .xori: r = a ^ imm
        case .ori: r = a | imm
        case .andi: r = a & imm
        case .slli: r = a &<< imm
        case .srli: r = a &>> imm
        case .srai: r = UInt64(bitPattern: Int64(bitPattern: a) &>> Int64(bitPattern: imm))

        case .add: r = a &+ b
        case .sub: r = a &- b
        case .sll: r = a &<< b
        case .slt: r = Int64(bitPattern: a) < Int64(bitPattern: b) ? 1 : 0
        case .sltu: r = a < b ? 1 : 0
        case .xor: r = a ^ b
        case .srl: r = a &>> b
        case .sra: r = UInt64(bitPattern: Int64(bitPattern: a) &>> Int64(bitPattern: b))
        case .or: r = a | b
        case .and: r = a & b

        // The low 32 bits of a 64-bit sum, difference or left shift (by < 32) are the 32-bit
        // ones; right shifts must start from the 32-bit word.
        case .addiw: r = RVWord.signExtend(a &+ imm)
        case .slliw: r = RVWord.signExtend(a &<< imm)
        case .srliw: r = RVWord.signExtend(UInt32(truncatingIfNeeded: a) &>> UInt32(truncatingIfNeeded: imm))
        case .sraiw: r = RVWord.signExtend(Int32(truncatingIfNeeded: a) &>> Int32(truncatingIfNeeded: imm))

        case .addw: r = RVWord.signExtend(a &+ b)
        case .subw: r = RVWord.signExtend(a &- b)
        case .sllw: r = RVWord.signExtend(UInt32(truncatingIfNeeded: a) &<< UInt32(truncatingIfNeeded: b))
        case .srlw: r = RVWord.signExtend(UInt32(truncatingIfNeeded: a) &>> UInt32(truncatingIfNeeded: b))
        case .sraw: r = RVWord.signExtend(Int32(truncatingIfNeeded: a) &>> Int32(truncatingIfNeeded: b))
        }
        x[Int(d.rd)] = r
    }
}
