/// Control transfer (unprivileged spec §2.5): JAL, JALR and the conditional branches. Targets go
/// through `jump(to:)`, which raises instruction-address-misaligned (cause 0, tval = target)
/// when a taken target is not IALIGN-aligned (2 bytes with C, 4 without); a branch not taken
/// never faults. JAL/JALR must not write the link register when the jump faults (§2.5: the
/// exception is reported on the jump itself).
enum RVBranchOp: UInt8, CaseIterable {
    case jal, jalr
    case beq, bne, blt, bge, bltu, bgeu
}

extension RVBranchOp {
    /// The operation an `RVInstruction.op` holds, or nil (raw value = declaration order, as
    /// `RVIntegerOp.decoded`).
    @inline(__always)
    static func decoded(_ op: UInt8) -> RVBranchOp? {
        op <= RVBranchOp.bgeu.rawValue ? unsafeBitCast(op, to: RVBranchOp.self) : nil
    }
}

extension RVDecoder {
    /// BRANCH funct3 010/011 and JALR funct3 ≠ 000 are reserved: illegal.
    static let branchEncodings: [RVEncoding] = [
        RVEncoding("jal", "iiiiiiiiiiiiiiiiiiii ddddd 1101111") { w in
            RVInstruction(group: .branch, op: RVBranchOp.jal.rawValue, raw: w, rd: RVInstruction.rd(w), imm: RVInstruction.immJ(w))
        },
        RVEncoding("jalr", "iiiiiiiiiiii nnnnn 000 ddddd 1100111") { w in
            RVInstruction(group: .branch, op: RVBranchOp.jalr.rawValue, raw: w, rd: RVInstruction.rd(w),
                          rs1: RVInstruction.rs1(w), imm: RVInstruction.immI(w))
        },
        RVEncoding("beq", "iiiiiii sssss nnnnn 000 iiiii 1100011") { w in branch(.beq, w) },
        RVEncoding("bne", "iiiiiii sssss nnnnn 001 iiiii 1100011") { w in branch(.bne, w) },
        RVEncoding("blt", "iiiiiii sssss nnnnn 100 iiiii 1100011") { w in branch(.blt, w) },
        RVEncoding("bge", "iiiiiii sssss nnnnn 101 iiiii 1100011") { w in branch(.bge, w) },
        RVEncoding("bltu", "iiiiiii sssss nnnnn 110 iiiii 1100011") { w in branch(.bltu, w) },
        RVEncoding("bgeu", "iiiiiii sssss nnnnn 111 iiiii 1100011") { w in branch(.bgeu, w) },
    ]

    private static func branch(_ op: RVBranchOp, _ w: UInt32) -> RVInstruction {
        RVInstruction(group: .branch, op: op.rawValue, raw: w, rs1: RVInstruction.rs1(w),
                      rs2: RVInstruction.rs2(w), imm: RVInstruction.immB(w))
    }
}

extension RISCVCore {
    func execBranch(_ d: RVInstruction) {
        guard let op = RVBranchOp.decoded(d.op) else { return illegalInstruction(d) }
        let a = x[Int(d.rs1)]
        let b = x[Int(d.rs2)]
        switch op {
        case .jal: jumpAndLink(to: pc &+ d.imm, rd: d.rd)
        // The target is computed from rs1 before rd is written (rd may equal rs1).
        case .jalr: jumpAndLink(to: (a &+ d.imm) & ~1, rd: d.rd)
        case .beq: if a == b { jump(to: pc &+ d.imm) }
        case .bne: if a != b { jump(to: pc &+ d.imm) }
        case .blt: if Int64(bitPattern: a) < Int64(bitPattern: b) { jump(to: pc &+ d.imm) }
        case .bge: if Int64(bitPattern: a) >= Int64(bitPattern: b) { jump(to: pc &+ d.imm) }
        case .bltu: if a < b { jump(to: pc &+ d.imm) }
        case .bgeu: if a >= b { jump(to: pc &+ d.imm) }
        }
    }

    /// JAL/JALR: rd = the address of the next instruction, unless the jump faults. When it
    /// faults `nextPC` is the trap vector, a 4-byte aligned base, so it can never equal the
    /// misaligned target: `nextPC == target` says exactly "the jump happened".
    @inline(__always)
    private func jumpAndLink(to target: UInt64, rd: UInt8) {
        let link = nextPC
        jump(to: target)
        if nextPC == target { x[Int(rd)] = link }
    }
}
