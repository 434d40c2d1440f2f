/// A decoded RISC-V instruction (16-bit compressed ones are expanded to the 32-bit operation
/// they stand for), as cached per 2-byte granule of RAM. Execution switches on `group`, then on
/// the group's own `op`. An all-zero entry (`group == .undecoded`) means "not decoded yet".
///
/// Register fields hold the architectural numbers, except that a destination of x0 is decoded
/// as 32: `x[32]` is a sink nobody reads, so execution never tests for x0.
public struct RVInstruction: Equatable {
    public var group: RVGroup
    public var op: UInt8
    public var rd: UInt8
    public var rs1: UInt8
    public var rs2: UInt8
    public var rs3: UInt8
    /// 2 (compressed) or 4.
    public var length: UInt8
    /// Rounding mode, acquire/release bits, or other small fields a group needs.
    public var flags: UInt8
    /// The immediate, sign-extended to 64 bits (or a CSR number).
    public var imm: UInt64
    /// The instruction bits as fetched (16 or 32), for `mtval` on an illegal instruction.
    public var raw: UInt32

    public init(group: RVGroup, op: UInt8 = 0, raw: UInt32, length: UInt8 = 4, rd: UInt8 = 0, rs1: UInt8 = 0,
                rs2: UInt8 = 0, rs3: UInt8 = 0, flags: UInt8 = 0, imm: UInt64 = 0) {
        self.group = group
        self.op = op
        self.rd = rd == 0 ? 32 : rd
        self.rs1 = rs1
        self.rs2 = rs2
        self.rs3 = rs3
        self.length = length
        self.flags = flags
        self.imm = imm
        self.raw = raw
    }

    // Field helpers for decoders (RISC-V unprivileged spec, chapter 2.2–2.3).
    @inline(__always) public static func bits(_ w: UInt32, _ hi: Int, _ lo: Int) -> UInt32 {
        (w >> UInt32(lo)) & ((1 << UInt32(hi - lo + 1)) - 1)
    }
    @inline(__always) public static func rd(_ w: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: (w >> 7) & 0x1F) }
    @inline(__always) public static func rs1(_ w: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: (w >> 15) & 0x1F) }
    @inline(__always) public static func rs2(_ w: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: (w >> 20) & 0x1F) }
    @inline(__always) public static func rs3(_ w: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: (w >> 27) & 0x1F) }
    /// Sign-extend the low `bits` bits of `v` to 64.
    @inline(__always) public static func sext(_ v: UInt32, _ bits: Int) -> UInt64 {
        let shift = UInt32(32 - bits)
        return UInt64(bitPattern: Int64(Int32(bitPattern: v << shift) >> Int32(shift)))
    }
    @inline(__always) public static func immI(_ w: UInt32) -> UInt64 { sext(w >> 20, 12) }
    @inline(__always) public static func immS(_ w: UInt32) -> UInt64 { sext(((w >> 25) << 5) | ((w >> 7) & 0x1F), 12) }
    @inline(__always) public static func immB(_ w: UInt32) -> UInt64 {
        let v = ((w >> 31) & 1) << 12 | ((w >> 7) & 1) << 11 | ((w >> 25) & 0x3F) << 5 | ((w >> 8) & 0xF) << 1
        return sext(v, 13)
    }
    @inline(__always) public static func immU(_ w: UInt32) -> UInt64 { sext(w & 0xFFFF_F000, 32) }
    @inline(__always) public static func immJ(_ w: UInt32) -> UInt64 {
        let v = ((w >> 31) & 1) << 20 | ((w >> 12) & 0xFF) << 12 | ((w >> 20) & 1) << 11 | ((w >> 21) & 0x3FF) << 1
        return sext(v, 21)
    }
}

/// Instruction classes, each with its decode table and semantics in its own files.
public enum RVGroup: UInt8 {
    case undecoded = 0
    /// RV64I computational: OP, OP-IMM, OP-32, OP-IMM-32, LUI, AUIPC.
    case integer
    /// Loads and stores (RV64I).
    case loadStore
    /// Branches, JAL, JALR.
    case branch
    /// RV64M.
    case multiply
    /// RV64A: LR/SC and AMOs.
    case atomic
    /// Zicsr: CSRRW … CSRRCI.
    case csr
    /// ECALL, EBREAK, MRET, SRET, WFI, FENCE, FENCE.I, SFENCE.VMA.
    case system
    /// F and D and their loads/stores (RISCV/Float/).
    case float
    /// Illegal: take the illegal-instruction exception.
    case illegal
}

/// A RISC-V encoding.
public typealias RVEncoding = InstructionEncoding<RVInstruction>
