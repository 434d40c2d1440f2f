/// The M extension (unprivileged spec chapter 7), RV64 forms included. Division never traps
/// (§7.2, table 7.1): by zero the quotient is all ones and the remainder the dividend; the
/// signed overflow (most negative / −1) gives the dividend and remainder 0. Both are handled
/// before Swift's `/` and `%`, which would trap on them. On a hart whose misa lacks M every
/// one of these is illegal, as in QEMU 7.2 (target/riscv/insn_trans/trans_rvm.c.inc requires
/// M; its multiplies also accept Zmmul, which hetboot's profiles do not describe).
enum RVMultiplyOp: UInt8, CaseIterable {
    case mul, mulh, mulhsu, mulhu, div, divu, rem, remu
    case mulw, divw, divuw, remw, remuw
}

extension RVMultiplyOp {
    /// The operation an `RVInstruction.op` holds, or nil (raw value = declaration order, as
    /// `RVIntegerOp.decoded`).
    @inline(__always)
    static func decoded(_ op: UInt8) -> RVMultiplyOp? {
        op <= RVMultiplyOp.remuw.rawValue ? unsafeBitCast(op, to: RVMultiplyOp.self) : nil
    }
}

extension RVDecoder {
    /// funct7 = 0000001 under OP and OP-32; OP-32 funct3 001–011 are reserved: illegal.
    static let multiplyEncodings: [RVEncoding] = [
        RVEncoding("mul", "0000001 sssss nnnnn 000 ddddd 0110011") { w in multiply(.mul, w) },
        RVEncoding("mulh", "0000001 sssss nnnnn 001 ddddd 0110011") { w in multiply(.mulh, w) },
        RVEncoding("mulhsu", "0000001 sssss nnnnn 010 ddddd 0110011") { w in multiply(.mulhsu, w) },
        RVEncoding("mulhu", "0000001 sssss nnnnn 011 ddddd 0110011") { w in multiply(.mulhu, w) },
        RVEncoding("div", "0000001 sssss nnnnn 100 ddddd 0110011") { w in multiply(.div, w) },
        RVEncoding("divu", "0000001 sssss nnnnn 101 ddddd 0110011") { w in multiply(.divu, w) },
        RVEncoding("rem", "0000001 sssss nnnnn 110 ddddd 0110011") { w in multiply(.rem, w) },
        RVEncoding("remu", "0000001 sssss nnnnn 111 ddddd 0110011") { w in multiply(.remu, w) },
        RVEncoding("mulw", "0000001 sssss nnnnn 000 ddddd 0111011") { w in multiply(.mulw, w) },
        RVEncoding("divw", "0000001 sssss nnnnn 100 ddddd 0111011") { w in multiply(.divw, w) },
        RVEncoding("divuw", "0000001 sssss nnnnn 101 ddddd 0111011") { w in multiply(.divuw, w) },
        RVEncoding("remw", "0000001 sssss nnnnn 110 ddddd 0111011") { w in multiply(.remw, w) },
        RVEncoding("remuw", "0000001 sssss nnnnn 111 ddddd 0111011") { w in multiply(.remuw, w) },
    ]

    private static func multiply(_ op: RVMultiplyOp, _ w: UInt32) -> RVInstruction {
        RVInstruction(group: .multiply, op: op.rawValue, raw: w, rd: RVInstruction.rd(w),
                      rs1: RVInstruction.rs1(w), rs2: RVInstruction.rs2(w))
    }
}

extension RISCVCore {
    /// misa bit 12 ('M'). misa cannot be written (RVCSRAccess.swift), and RV64Rules keeps it
    /// equal to the profile's extension list.
    static let misaM: UInt64 = 1 << 12

    func execMultiply(_ d: RVInstruction) {
        guard csr.misa & RISCVCore.misaM != 0, let op = RVMultiplyOp.decoded(d.op) else {
            return illegalInstruction(d)
        }
        let a = x[Int(d.rs1)]
        let b = x[Int(d.rs2)]
        let r: UInt64
        switch op {
        case .mul: r = a &* b
        case .mulh: r = UInt64(bitPattern: Int64(bitPattern: a).multipliedFullWidth(by: Int64(bitPattern: b)).high)
        case .mulhsu:
            // signed(a) = unsigned(a) − 2^64 when a < 0, so the product's high half is the
            // unsigned one minus b.
            let high = a.multipliedFullWidth(by: b).high
            r = Int64(bitPattern: a) < 0 ? high &- b : high
        case .mulhu: r = a.multipliedFullWidth(by: b).high
        case .div:
            let n = Int64(bitPattern: a), m = Int64(bitPattern: b)
            // m = −1 is negation, which wraps for the most negative n as the spec wants.
            r = m == 0 ? UInt64.max : m == -1 ? 0 &- a : UInt64(bitPattern: n / m)
        case .divu: r = b == 0 ? UInt64.max : a / b
        case .rem:
            let n = Int64(bitPattern: a), m = Int64(bitPattern: b)
            r = m == 0 ? a : m == -1 ? 0 : UInt64(bitPattern: n % m)
        case .remu: r = b == 0 ? a : a % b

        case .mulw: r = RVWord.signExtend(a &* b)
        case .divw:
            let n = Int32(truncatingIfNeeded: a), m = Int32(truncatingIfNeeded: b)
            r = m == 0 ? UInt64.max : m == -1 ? RVWord.signExtend(0 &- n) : RVWord.signExtend(n / m)
        case .divuw:
            let n = UInt32(truncatingIfNeeded: a), m = UInt32(truncatingIfNeeded: b)
            r = m == 0 ? UInt64.max : RVWord.signExtend(n / m)
        case .remw:
            let n = Int32(truncatingIfNeeded: a), m = Int32(truncatingIfNeeded: b)
            r = m == 0 ? RVWord.signExtend(a) : m == -1 ? 0 : RVWord.signExtend(n % m)
        case .remuw:
            let n = UInt32(truncatingIfNeeded: a), m = UInt32(truncatingIfNeeded: b)
            r = m == 0 ? RVWord.signExtend(a) : RVWord.signExtend(n % m)
        }
        x[Int(d.rd)] = r
    }
}
