/// The RV64I computational encodings (unprivileged spec §2.4, §5.2; chapter 24's opcode map):
/// LUI, AUIPC, OP-IMM, OP, OP-IMM-32, OP-32. Everything else under these major opcodes is
/// reserved or belongs to an extension hetboot does not implement (Zba, Zbb, Zbs, Zbkb …):
/// no pattern claims it, so it decodes as illegal — QEMU 7.2 without those extensions does
/// the same (target/riscv/insn32.decode).
extension RVDecoder {
    static let integerEncodings: [RVEncoding] = [
        RVEncoding("lui", "iiiiiiiiiiiiiiiiiiii ddddd 0110111") { w in
            integer(.li, w, imm: RVInstruction.immU(w))
        },
        RVEncoding("auipc", "iiiiiiiiiiiiiiiiiiii ddddd 0010111") { w in
            integer(.auipc, w, imm: RVInstruction.immU(w))
        },

        // OP-IMM. ADDI carries the `li` and `mv` idioms (and `nop`, a write to x0).
        RVEncoding("addi", "iiiiiiiiiiii nnnnn 000 ddddd 0010011") { w in
            let imm = RVInstruction.immI(w)
            if RVInstruction.rs1(w) == 0 { return integer(.li, w, rs1: 0, imm: imm) }
            if imm == 0 { return integer(.mv, w) }
            return integer(.addi, w, imm: imm)
        },
        RVEncoding("slti", "iiiiiiiiiiii nnnnn 010 ddddd 0010011") { w in integer(.slti, w, imm: RVInstruction.immI(w)) },
        RVEncoding("sltiu", "iiiiiiiiiiii nnnnn 011 ddddd 0010011") { w in integer(.sltiu, w, imm: RVInstruction.immI(w)) },
        RVEncoding("xori", "iiiiiiiiiiii nnnnn 100 ddddd 0010011") { w in integer(.xori, w, imm: RVInstruction.immI(w)) },
        RVEncoding("ori", "iiiiiiiiiiii nnnnn 110 ddddd 0010011") { w in integer(.ori, w, imm: RVInstruction.immI(w)) },
        RVEncoding("andi", "iiiiiiiiiiii nnnnn 111 ddddd 0010011") { w in integer(.andi, w, imm: RVInstruction.immI(w)) },
        // RV64 shifts by immediate: shamt is 6 bits (25:20); the rest of imm[11:6] is the
        // funct6, 000000 or (SRAI) 010000 — other values are Zbb/Zbs or reserved (§5.2).
        RVEncoding("slli", "000000 hhhhhh nnnnn 001 ddddd 0010011") { w in integer(.slli, w, imm: shamt6(w)) },
        RVEncoding("srli", "000000 hhhhhh nnnnn 101 ddddd 0010011") { w in integer(.srli, w, imm: shamt6(w)) },
        RVEncoding("srai", "010000 hhhhhh nnnnn 101 ddddd 0010011") { w in integer(.srai, w, imm: shamt6(w)) },

        // OP.
        RVEncoding("add", "0000000 sssss nnnnn 000 ddddd 0110011") { w in integer(.add, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("sub", "0100000 sssss nnnnn 000 ddddd 0110011") { w in integer(.sub, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("sll", "0000000 sssss nnnnn 001 ddddd 0110011") { w in integer(.sll, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("slt", "0000000 sssss nnnnn 010 ddddd 0110011") { w in integer(.slt, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("sltu", "0000000 sssss nnnnn 011 ddddd 0110011") { w in integer(.sltu, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("xor", "0000000 sssss nnnnn 100 ddddd 0110011") { w in integer(.xor, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("srl", "0000000 sssss nnnnn 101 ddddd 0110011") { w in integer(.srl, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("sra", "0100000 sssss nnnnn 101 ddddd 0110011") { w in integer(.sra, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("or", "0000000 sssss nnnnn 110 ddddd 0110011") { w in integer(.or, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("and", "0000000 sssss nnnnn 111 ddddd 0110011") { w in integer(.and, w, rs2: RVInstruction.rs2(w)) },

        // OP-IMM-32. The W shifts take a 5-bit shamt: imm[5] = 1 is reserved (§5.2), and so is
        // any other funct7.
        RVEncoding("addiw", "iiiiiiiiiiii nnnnn 000 ddddd 0011011") { w in integer(.addiw, w, imm: RVInstruction.immI(w)) },
        RVEncoding("slliw", "0000000 hhhhh nnnnn 001 ddddd 0011011") { w in integer(.slliw, w, imm: shamt5(w)) },
        RVEncoding("srliw", "0000000 hhhhh nnnnn 101 ddddd 0011011") { w in integer(.srliw, w, imm: shamt5(w)) },
        RVEncoding("sraiw", "0100000 hhhhh nnnnn 101 ddddd 0011011") { w in integer(.sraiw, w, imm: shamt5(w)) },

        // OP-32.
        RVEncoding("addw", "0000000 sssss nnnnn 000 ddddd 0111011") { w in integer(.addw, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("subw", "0100000 sssss nnnnn 000 ddddd 0111011") { w in integer(.subw, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("sllw", "0000000 sssss nnnnn 001 ddddd 0111011") { w in integer(.sllw, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("srlw", "0000000 sssss nnnnn 101 ddddd 0111011") { w in integer(.srlw, w, rs2: RVInstruction.rs2(w)) },
        RVEncoding("sraw", "0100000 sssss nnnnn 101 ddddd 0111011") { w in integer(.sraw, w, rs2: RVInstruction.rs2(w)) },
    ]

    private static func integer(_ op: RVIntegerOp, _ w: UInt32, rs1: UInt8? = nil, rs2: UInt8 = 0,
                                imm: UInt64 = 0) -> RVInstruction {
        RVInstruction(group: .integer, op: op.rawValue, raw: w, rd: RVInstruction.rd(w),
                      rs1: rs1 ?? RVInstruction.rs1(w), rs2: rs2, imm: imm)
    }

    private static func shamt6(_ w: UInt32) -> UInt64 { UInt64(RVInstruction.bits(w, 25, 20)) }
    private static func shamt5(_ w: UInt32) -> UInt64 { UInt64(RVInstruction.bits(w, 24, 20)) }
}
