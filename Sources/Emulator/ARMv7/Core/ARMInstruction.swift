/// A decoded A32 instruction, as cached per RAM word. Decoding happens once per address
/// (until the word is written); execution switches on `group`, then on the group's own `op`.
///
/// The field meanings are the group's to choose (see each group's decode file); the common
/// convention is the encoding's own: `rd`, `rn`, `rm`, `rs` register numbers, `shiftType`
/// and `shiftAmount` for the shifter operand, `imm` for an immediate (already expanded:
/// rotated, sign-extended or scaled), `flags` for single-bit fields such as S, P, U, W.
/// An all-zero entry (`group == .undecoded`) means "not decoded yet".
public struct ARMInstruction: Equatable {
    public var group: ARMGroup
    public var op: UInt8
    /// Condition field [31:28]; 14 = always. Unconditional (1111) encodings use 14 too.
    public var cond: UInt8
    public var rd: UInt8
    public var rn: UInt8
    public var rm: UInt8
    public var rs: UInt8
    public var shiftType: UInt8
    public var shiftAmount: UInt8
    public var flags: UInt8
    public var imm: UInt32
    /// The instruction word, for syndromes, findings and slow paths.
    public var raw: UInt32

    public init(group: ARMGroup, op: UInt8 = 0, raw: UInt32, rd: UInt8 = 0, rn: UInt8 = 0, rm: UInt8 = 0,
                rs: UInt8 = 0, shiftType: UInt8 = 0, shiftAmount: UInt8 = 0, flags: UInt8 = 0, imm: UInt32 = 0) {
        self.group = group
        self.op = op
        let c = UInt8(truncatingIfNeeded: raw >> 28)
        self.cond = c == 0xF ? 14 : c
        self.rd = rd
        self.rn = rn
        self.rm = rm
        self.rs = rs
        self.shiftType = shiftType
        self.shiftAmount = shiftAmount
        self.flags = flags
        self.imm = imm
        self.raw = raw
    }

    // Bit-field helpers for decoders.
    @inline(__always) public static func bits(_ w: UInt32, _ hi: Int, _ lo: Int) -> UInt32 {
        (w >> UInt32(lo)) & ((1 << UInt32(hi - lo + 1)) - 1)
    }
    @inline(__always) public static func bit(_ w: UInt32, _ n: Int) -> Bool { (w >> UInt32(n)) & 1 != 0 }
    @inline(__always) public static func reg(_ w: UInt32, _ lo: Int) -> UInt8 { UInt8(truncatingIfNeeded: (w >> UInt32(lo)) & 0xF) }
}

/// Instruction classes, each with its decode table and semantics in its own files.
public enum ARMGroup: UInt8 {
    /// Not decoded yet (zeroed cache entry).
    case undecoded = 0
    /// AND … MVN, MOVW/MOVT, in immediate / register / register-shifted-register forms.
    case dataProcessing
    /// MUL … UMAAL, SMUL<x><y> …, SMLAD …, SMMUL …
    case multiply
    /// SSAT/USAT, QADD…, parallel add/subtract, SEL, USAD8, packing, extension, bit-field,
    /// reverse, CLZ, SDIV/UDIV.
    case media
    /// LDR/STR/LDRB/STRB/LDRH/STRH/LDRSB/LDRSH/LDRD/STRD and their T forms.
    case loadStore
    /// LDM/STM (all forms, user bank, exception return), PUSH/POP.
    case loadStoreMultiple
    /// LDREX/STREX (B/H/D), CLREX, SWP/SWPB.
    case exclusive
    /// B, BL, BLX (immediate and register), BX, BXJ.
    case branch
    /// MRS/MSR (incl. banked), CPS, SETEND.
    case status
    /// SVC, HVC, SMC, BKPT, UDF, ERET, SRS, RFE.
    case exception
    /// MCR/MRC/MCRR/MRRC to CP15 and CP14; LDC/STC/CDP.
    case coprocessor
    /// NOP, YIELD, WFE, WFI, SEV, DBG, DMB/DSB/ISB, PLD/PLI.
    case hint
    /// An UNDEFINED encoding: take the Undefined Instruction exception.
    case undefined
    /// A defined encoding hetboot does not execute (VFP/Advanced SIMD): UNDEFINED, with a
    /// finding the first time.
    case unimplemented
}
