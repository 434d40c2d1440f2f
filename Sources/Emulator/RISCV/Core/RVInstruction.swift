/// A decoded RISC-V instruction (16-bit compressed ones are expanded to the 32-bit operation
/// they stand for), as cached per 2-byte granule of RAM. Execution switches on `group`, then on
/// the group's own `op`. An all-zero entry (`group == .undecoded`) means "not decoded yet".
///
/// Register fields hold the architectural numbers, except that a destination of x0 is decoded
/// as 32: `x[32]` is a sink nobody reads, so execution never tests for x0.
public struct RVInstruction: Equatable {
    // Storage: two machine words and the raw bits instead of ten separate fields, so that
    // loading an entry and passing it to a group's `exec…` function costs three moves (as
    // ARMInstruction; measured with callgrind on the bench).
    //   fields: group [7:0], op [15:8], rd [23:16], rs1 [31:24], rs2 [39:32], rs3 [47:40],
    //           length [55:48], flags [63:56]
    @usableFromInline var fields: UInt64
    /// The immediate, sign-extended to 64 bits (or a CSR number).
    public var imm: UInt64
    /// The instruction bits as fetched (16 or 32), for `mtval` on an illegal instruction.
    public var raw: UInt32

    public var group: RVGroup {
        // Only `init` and this setter write the byte, always from an RVGroup.
        @inline(__always) get {
            let v = UInt8(truncatingIfNeeded: fields)
            return v <= RVGroup.illegal.rawValue ? unsafeBitCast(v, to: RVGroup.self) : .illegal
        }
        @inline(__always) set { fields = (fields & ~0xFF) | UInt64(newValue.rawValue) }
    }
    public var op: UInt8 {
        @inline(__always) get { fields.byte(at: 8) }
        @inline(__always) set { fields.setByte(at: 8, to: newValue) }
    }
    public var rd: UInt8 {
        @inline(__always) get { fields.byte(at: 16) }
        @inline(__always) set { fields.setByte(at: 16, to: newValue) }
    }
    public var rs1: UInt8 {
        @inline(__always) get { fields.byte(at: 24) }
        @inline(__always) set { fields.setByte(at: 24, to: newValue) }
    }
    public var rs2: UInt8 {
        @inline(__always) get { fields.byte(at: 32) }
        @inline(__always) set { fields.setByte(at: 32, to: newValue) }
    }
    public var rs3: UInt8 {
        @inline(__always) get { fields.byte(at: 40) }
        @inline(__always) set { fields.setByte(at: 40, to: newValue) }
    }
    /// 2 (compressed) or 4.
    public var length: UInt8 {
        @inline(__always) get { fields.byte(at: 48) }
        @inline(__always) set { fields.setByte(at: 48, to: newValue) }
    }
    /// Rounding mode, acquire/release bits, or other small fields a group needs.
    public var flags: UInt8 {
        @inline(__always) get { fields.byte(at: 56) }
        @inline(__always) set { fields.setByte(at: 56, to: newValue) }
    }

    public init(group: RVGroup, op: UInt8 = 0, raw: UInt32, length: UInt8 = 4, rd: UInt8 = 0, rs1: UInt8 = 0,
                rs2: UInt8 = 0, rs3: UInt8 = 0, flags: UInt8 = 0, imm: UInt64 = 0) {
        let rd: UInt8 = rd == 0 ? 32 : rd
        fields = UInt64(group.rawValue) | UInt64(op) << 8 | UInt64(rd) << 16 | UInt64(rs1) << 24
            | UInt64(rs2) << 32 | UInt64(rs3) << 40 | UInt64(length) << 48 | UInt64(flags) << 56
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
    /// An instruction at an address an injected fault stops a hart at (`stall-at`); `raw` and
    /// `length` are the real instruction's.
    case stallPoint
    /// Illegal: take the illegal-instruction exception. (Keep it last: `RVInstruction.group`
    /// bounds its raw value by this case.)
    case illegal
}

/// A RISC-V encoding.
public typealias RVEncoding = InstructionEncoding<RVInstruction>
