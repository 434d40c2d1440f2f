/// The C extension (unprivileged spec chapter 16, "C" Standard Extension; the RVC opcode map of
/// §16.8 for RV64C). Every 16-bit instruction is the short form of a 32-bit one, so decoding
/// builds that 32-bit word and hands it to the 32-bit decoder: the result is exactly what the
/// 32-bit instruction decodes to (same group, op and fields), with `length` 2 — execution, and
/// the link value of c.jalr (pc + 2), come for free — and `raw` the 16 bits, which is what
/// mtval shows on an illegal-instruction trap (QEMU does the same).
///
/// Reserved code points are illegal: the all-zero halfword and c.addi4spn with nzuimm = 0,
/// c.addi16sp and c.lui with nzimm = 0, c.addiw/c.lwsp/c.ldsp with rd = x0, c.jr with rs1 = x0,
/// quadrant 0's funct3 = 100 and the 100 1 11 … 10/11 … 01 rows (Zcb's, not implemented).
/// HINTs (§16.7: c.nop with nzimm ≠ 0, c.addi with imm = 0, c.addi/c.li/c.lui/c.slli/c.mv/c.add
/// with rd = x0, c.slli/c.srli/c.srai with shamt = 0) execute as their base instruction, whose
/// only effect is a write to x0 or a register to itself. RV64 has no c.jal: that code point is
/// c.addiw. c.fld/c.fsd/c.fldsp/c.fsdsp decode to the `.float` group like FLD/FSD.
/// QEMU 7.2's insn16.decode draws the same reserved set.
struct RVCompressedForm {
    let name: String
    /// The 16-bit pattern, most significant bit first (see `InstructionEncoding`).
    let pattern: String
    /// The equivalent 32-bit instruction word, or nil for a reserved code point of the form.
    let expand: (UInt32) -> UInt32?

    init(_ name: String, _ pattern: String, _ expand: @escaping (UInt32) -> UInt32?) {
        self.name = name
        self.pattern = pattern
        self.expand = expand
    }
}

extension RVDecoder {
    private typealias W = RVBaseWord
    private typealias F = RVCField

    /// RV64C, quadrant by quadrant in the order of the spec's tables 16.5–16.7.
    static let compressedForms: [RVCompressedForm] = [
        // Quadrant 0.
        RVCompressedForm("c.addi4spn", "000 iiiiiiii ddd 00") { h in
            let imm = F.addi4spnImmediate(h)
            guard imm != 0 else { return nil }   // also the all-zero halfword
            return W.i(W.opImm, rd: F.rdPrime(h), funct3: 0, rs1: 2, imm: imm)
        },
        RVCompressedForm("c.fld", "001 uuu sss uu ddd 00") { h in
            W.i(W.loadFP, rd: F.rdPrime(h), funct3: 3, rs1: F.rs1Prime(h), imm: F.doubleOffset(h))
        },
        RVCompressedForm("c.lw", "010 uuu sss uu ddd 00") { h in
            W.i(W.load, rd: F.rdPrime(h), funct3: 2, rs1: F.rs1Prime(h), imm: F.wordOffset(h))
        },
        RVCompressedForm("c.ld", "011 uuu sss uu ddd 00") { h in
            W.i(W.load, rd: F.rdPrime(h), funct3: 3, rs1: F.rs1Prime(h), imm: F.doubleOffset(h))
        },
        RVCompressedForm("c.fsd", "101 uuu sss uu ttt 00") { h in
            W.s(W.storeFP, funct3: 3, rs1: F.rs1Prime(h), rs2: F.rdPrime(h), imm: F.doubleOffset(h))
        },
        RVCompressedForm("c.sw", "110 uuu sss uu ttt 00") { h in
            W.s(W.store, funct3: 2, rs1: F.rs1Prime(h), rs2: F.rdPrime(h), imm: F.wordOffset(h))
        },
        RVCompressedForm("c.sd", "111 uuu sss uu ttt 00") { h in
            W.s(W.store, funct3: 3, rs1: F.rs1Prime(h), rs2: F.rdPrime(h), imm: F.doubleOffset(h))
        },

        // Quadrant 1.
        RVCompressedForm("c.nop", "000 i 00000 iiiii 01") { h in
            W.i(W.opImm, rd: 0, funct3: 0, rs1: 0, imm: F.ciImmediate(h))
        },
        RVCompressedForm("c.addi", "000 i ddddd iiiii 01") { h in
            W.i(W.opImm, rd: F.rd(h), funct3: 0, rs1: F.rd(h), imm: F.ciImmediate(h))
        },
        RVCompressedForm("c.addiw", "001 i ddddd iiiii 01") { h in
            guard F.rd(h) != 0 else { return nil }
            return W.i(W.opImm32, rd: F.rd(h), funct3: 0, rs1: F.rd(h), imm: F.ciImmediate(h))
        },
        RVCompressedForm("c.li", "010 i ddddd iiiii 01") { h in
            W.i(W.opImm, rd: F.rd(h), funct3: 0, rs1: 0, imm: F.ciImmediate(h))
        },
        RVCompressedForm("c.addi16sp", "011 i 00010 iiiii 01") { h in
            let imm = F.addi16spImmediate(h)
            guard imm != 0 else { return nil }
            return W.i(W.opImm, rd: 2, funct3: 0, rs1: 2, imm: imm)
        },
        RVCompressedForm("c.lui", "011 i ddddd iiiii 01") { h in
            let imm = F.luiImmediate(h)
            guard imm != 0, F.rd(h) != 2 else { return nil }
            return W.u(W.lui, rd: F.rd(h), imm: imm)
        },
        RVCompressedForm("c.srli", "100 i 00 sss iiiii 01") { h in
            W.i(W.opImm, rd: F.rs1Prime(h), funct3: 5, rs1: F.rs1Prime(h), imm: F.shamt(h))
        },
        RVCompressedForm("c.srai", "100 i 01 sss iiiii 01") { h in
            W.i(W.opImm, rd: F.rs1Prime(h), funct3: 5, rs1: F.rs1Prime(h), imm: 0x400 | F.shamt(h))
        },
        RVCompressedForm("c.andi", "100 i 10 sss iiiii 01") { h in
            W.i(W.opImm, rd: F.rs1Prime(h), funct3: 7, rs1: F.rs1Prime(h), imm: F.ciImmediate(h))
        },
        RVCompressedForm("c.sub", "100 0 11 sss 00 ttt 01") { h in
            W.r(W.op, rd: F.rs1Prime(h), funct3: 0, rs1: F.rs1Prime(h), rs2: F.rdPrime(h), funct7: 0x20)
        },
        RVCompressedForm("c.xor", "100 0 11 sss 01 ttt 01") { h in
            W.r(W.op, rd: F.rs1Prime(h), funct3: 4, rs1: F.rs1Prime(h), rs2: F.rdPrime(h))
        },
        RVCompressedForm("c.or", "100 0 11 sss 10 ttt 01") { h in
            W.r(W.op, rd: F.rs1Prime(h), funct3: 6, rs1: F.rs1Prime(h), rs2: F.rdPrime(h))
        },
        RVCompressedForm("c.and", "100 0 11 sss 11 ttt 01") { h in
            W.r(W.op, rd: F.rs1Prime(h), funct3: 7, rs1: F.rs1Prime(h), rs2: F.rdPrime(h))
        },
        RVCompressedForm("c.subw", "100 1 11 sss 00 ttt 01") { h in
            W.r(W.op32, rd: F.rs1Prime(h), funct3: 0, rs1: F.rs1Prime(h), rs2: F.rdPrime(h), funct7: 0x20)
        },
        RVCompressedForm("c.addw", "100 1 11 sss 01 ttt 01") { h in
            W.r(W.op32, rd: F.rs1Prime(h), funct3: 0, rs1: F.rs1Prime(h), rs2: F.rdPrime(h))
        },
        RVCompressedForm("c.j", "101 iiiiiiiiiii 01") { h in
            W.j(rd: 0, offset: F.jumpOffset(h))
        },
        RVCompressedForm("c.beqz", "110 iii sss iiiii 01") { h in
            W.b(funct3: 0, rs1: F.rs1Prime(h), rs2: 0, offset: F.branchOffset(h))
        },
        RVCompressedForm("c.bnez", "111 iii sss iiiii 01") { h in
            W.b(funct3: 1, rs1: F.rs1Prime(h), rs2: 0, offset: F.branchOffset(h))
        },

        // Quadrant 2.
        RVCompressedForm("c.slli", "000 i ddddd iiiii 10") { h in
            W.i(W.opImm, rd: F.rd(h), funct3: 1, rs1: F.rd(h), imm: F.shamt(h))
        },
        RVCompressedForm("c.fldsp", "001 i ddddd iiiii 10") { h in
            W.i(W.loadFP, rd: F.rd(h), funct3: 3, rs1: 2, imm: F.ldspOffset(h))
        },
        RVCompressedForm("c.lwsp", "010 i ddddd iiiii 10") { h in
            guard F.rd(h) != 0 else { return nil }
            return W.i(W.load, rd: F.rd(h), funct3: 2, rs1: 2, imm: F.lwspOffset(h))
        },
        RVCompressedForm("c.ldsp", "011 i ddddd iiiii 10") { h in
            guard F.rd(h) != 0 else { return nil }
            return W.i(W.load, rd: F.rd(h), funct3: 3, rs1: 2, imm: F.ldspOffset(h))
        },
        RVCompressedForm("c.jr", "100 0 sssss 00000 10") { h in
            guard F.rd(h) != 0 else { return nil }
            return W.i(W.jalr, rd: 0, funct3: 0, rs1: F.rd(h), imm: 0)
        },
        RVCompressedForm("c.mv", "100 0 ddddd ttttt 10") { h in
            guard F.rs2(h) != 0 else { return nil }
            return W.r(W.op, rd: F.rd(h), funct3: 0, rs1: 0, rs2: F.rs2(h))
        },
        RVCompressedForm("c.ebreak", "100 1 00000 00000 10") { _ in W.ebreak },
        RVCompressedForm("c.jalr", "100 1 sssss 00000 10") { h in
            guard F.rd(h) != 0 else { return nil }
            return W.i(W.jalr, rd: 1, funct3: 0, rs1: F.rd(h), imm: 0)
        },
        RVCompressedForm("c.add", "100 1 ddddd ttttt 10") { h in
            guard F.rs2(h) != 0 else { return nil }
            return W.r(W.op, rd: F.rd(h), funct3: 0, rs1: F.rd(h), rs2: F.rs2(h))
        },
        RVCompressedForm("c.fsdsp", "101 uuuuuu ttttt 10") { h in
            W.s(W.storeFP, funct3: 3, rs1: 2, rs2: F.rs2(h), imm: F.sdspOffset(h))
        },
        RVCompressedForm("c.swsp", "110 uuuuuu ttttt 10") { h in
            W.s(W.store, funct3: 2, rs1: 2, rs2: F.rs2(h), imm: F.swspOffset(h))
        },
        RVCompressedForm("c.sdsp", "111 uuuuuu ttttt 10") { h in
            W.s(W.store, funct3: 3, rs1: 2, rs2: F.rs2(h), imm: F.sdspOffset(h))
        },
    ]

    /// The forms as the 16-bit decode table: each decodes to what its 32-bit word decodes to.
    static let compressedEncodings: [RVEncoding] = compressedForms.map { form in
        RVEncoding(form.name, form.pattern) { half in
            guard let word = form.expand(half) else { return nil }
            var d = decode32(word)
            d.length = 2
            d.raw = half
            return d
        }
    }

    /// The forms as a table of expansions, in the decoder's order (most specific first).
    private static let compressedExpansions: [InstructionEncoding<UInt32>] = InstructionEncoding<UInt32>
        .sortedBySpecificity(compressedForms.map { InstructionEncoding<UInt32>($0.name, $0.pattern, $0.expand) })

    /// The 32-bit instruction word a 16-bit instruction stands for, or nil when the halfword
    /// is reserved or illegal (or is not a 16-bit instruction: low bits 11).
    static func expand(_ half: UInt32) -> UInt32? {
        guard half <= 0xFFFF, half & 3 != 3 else { return nil }
        for form in compressedExpansions where form.matches(half) {
            if let word = form.decode(half) { return word }
        }
        return nil
    }
}
