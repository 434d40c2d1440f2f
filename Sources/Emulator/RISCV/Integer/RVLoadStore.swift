/// RV64I loads and stores (unprivileged spec §2.6, §5.3): address = x[rs1] + the sign-extended
/// 12-bit offset. LB/LH/LW sign-extend, LBU/LHU/LWU zero-extend. Alignment and access faults are
/// `load`/`store`'s business (RVMemory.swift): when they fail the exception has been taken and
/// rd keeps its value. LOAD funct3 111 and STORE funct3 1xx are reserved: illegal.
enum RVLoadStoreOp: UInt8, CaseIterable {
    case lb, lh, lw, ld, lbu, lhu, lwu
    case sb, sh, sw, sd
}

extension RVLoadStoreOp {
    /// The operation an `RVInstruction.op` holds, or nil (raw value = declaration order, as
    /// `RVIntegerOp.decoded`).
    @inline(__always)
    static func decoded(_ op: UInt8) -> RVLoadStoreOp? {
        op <= RVLoadStoreOp.sd.rawValue ? unsafeBitCast(op, to: RVLoadStoreOp.self) : nil
    }
}

extension RVDecoder {
    static let loadStoreEncodings: [RVEncoding] = [
        RVEncoding("lb", "iiiiiiiiiiii nnnnn 000 ddddd 0000011") { w in load(.lb, w) },
        RVEncoding("lh", "iiiiiiiiiiii nnnnn 001 ddddd 0000011") { w in load(.lh, w) },
        RVEncoding("lw", "iiiiiiiiiiii nnnnn 010 ddddd 0000011") { w in load(.lw, w) },
        RVEncoding("ld", "iiiiiiiiiiii nnnnn 011 ddddd 0000011") { w in load(.ld, w) },
        RVEncoding("lbu", "iiiiiiiiiiii nnnnn 100 ddddd 0000011") { w in load(.lbu, w) },
        RVEncoding("lhu", "iiiiiiiiiiii nnnnn 101 ddddd 0000011") { w in load(.lhu, w) },
        RVEncoding("lwu", "iiiiiiiiiiii nnnnn 110 ddddd 0000011") { w in load(.lwu, w) },
        RVEncoding("sb", "iiiiiii sssss nnnnn 000 iiiii 0100011") { w in store(.sb, w) },
        RVEncoding("sh", "iiiiiii sssss nnnnn 001 iiiii 0100011") { w in store(.sh, w) },
        RVEncoding("sw", "iiiiiii sssss nnnnn 010 iiiii 0100011") { w in store(.sw, w) },
        RVEncoding("sd", "iiiiiii sssss nnnnn 011 iiiii 0100011") { w in store(.sd, w) },
    ]

    private static func load(_ op: RVLoadStoreOp, _ w: UInt32) -> RVInstruction {
        RVInstruction(group: .loadStore, op: op.rawValue, raw: w, rd: RVInstruction.rd(w),
                      rs1: RVInstruction.rs1(w), imm: RVInstruction.immI(w))
    }

    private static func store(_ op: RVLoadStoreOp, _ w: UInt32) -> RVInstruction {
        RVInstruction(group: .loadStore, op: op.rawValue, raw: w, rs1: RVInstruction.rs1(w),
                      rs2: RVInstruction.rs2(w), imm: RVInstruction.immS(w))
    }
}

extension RISCVCore {
    func execLoadStore(_ d: RVInstruction) {
        guard let op = RVLoadStoreOp.decoded(d.op) else { return illegalInstruction(d) }
        let address = x[Int(d.rs1)] &+ d.imm
        // `load`/`store` are inlined: a constant size folds their size switch away.
        switch op {
        case .lb:
            guard let v = load(address, size: 1) else { return }
            x[Int(d.rd)] = UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: v)))
        case .lh:
            guard let v = load(address, size: 2) else { return }
            x[Int(d.rd)] = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: v)))
        case .lw:
            guard let v = load(address, size: 4) else { return }
            x[Int(d.rd)] = RVWord.signExtend(v)
        case .ld:
            guard let v = load(address, size: 8) else { return }
            x[Int(d.rd)] = v
        case .lbu:
            guard let v = load(address, size: 1) else { return }
            x[Int(d.rd)] = v
        case .lhu:
            guard let v = load(address, size: 2) else { return }
            x[Int(d.rd)] = v
        case .lwu:
            guard let v = load(address, size: 4) else { return }
            x[Int(d.rd)] = v
        case .sb: store(address, size: 1, x[Int(d.rs2)])
        case .sh: store(address, size: 2, x[Int(d.rs2)])
        case .sw: store(address, size: 4, x[Int(d.rs2)])
        case .sd: store(address, size: 8, x[Int(d.rs2)])
        }
    }
}
