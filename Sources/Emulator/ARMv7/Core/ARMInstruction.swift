/// A decoded A32 instruction, as cached per RAM word. Decoding happens once per address
/// (until the word is written); execution switches on `group`, then on the group's own `op`.
///
/// The field meanings are the group's to choose (see each group's decode file); the common
/// convention is the encoding's own: `rd`, `rn`, `rm`, `rs` register numbers, `shiftType`
/// and `shiftAmount` for the shifter operand, `imm` for an immediate (already expanded:
/// rotated, sign-extended or scaled), `flags` for single-bit fields such as S, P, U, W.
/// An all-zero entry (`group == .undecoded`) means "not decoded yet".
public struct ARMInstruction: Equatable {
    // Storage: three machine words instead of twelve separate fields, so that loading an
    // entry from the decoded-page cache and passing it to a group's `exec…` function costs
    // three moves rather than a dozen byte loads packed into registers (measured with
    // callgrind on the ARM bench: the packing was a third of the interpreter loop).
    //   fields: group [7:0], op [15:8], cond [23:16], rd [31:24], rn [39:32], rm [47:40],
    //           rs [55:48], shiftType [63:56]
    //   extra:  shiftAmount [7:0], flags [15:8], imm [63:32]
    @usableFromInline var fields: UInt64
    @usableFromInline var extra: UInt64
    /// The instruction word, for syndromes, findings and slow paths.
    public var raw: UInt32

    public var group: ARMGroup {
        // Only `init` and this setter write the byte, always from an ARMGroup, so the cast
        // is safe; the bound check keeps it so even for a corrupted entry.
        @inline(__always) get {
            let v = UInt8(truncatingIfNeeded: fields)
            return v <= ARMGroup.unimplemented.rawValue ? unsafeBitCast(v, to: ARMGroup.self) : .undefined
        }
        @inline(__always) set { fields = (fields & ~0xFF) | UInt64(newValue.rawValue) }
    }
    public var op: UInt8 {
        @inline(__always) get { Self.byte(fields, 8) }
        @inline(__always) set { Self.setByte(&fields, 8, newValue) }
    }
    /// Condition field [31:28]; 14 = always. Unconditional (1111) encodings use 14 too.
    public var cond: UInt8 {
        @inline(__always) get { Self.byte(fields, 16) }
        @inline(__always) set { Self.setByte(&fields, 16, newValue) }
    }
    public var rd: UInt8 {
        @inline(__always) get { Self.byte(fields, 24) }
        @inline(__always) set { Self.setByte(&fields, 24, newValue) }
    }
    public var rn: UInt8 {
        @inline(__always) get { Self.byte(fields, 32) }
        @inline(__always) set { Self.setByte(&fields, 32, newValue) }
    }
    public var rm: UInt8 {
        @inline(__always) get { Self.byte(fields, 40) }
        @inline(__always) set { Self.setByte(&fields, 40, newValue) }
    }
    public var rs: UInt8 {
        @inline(__always) get { Self.byte(fields, 48) }
        @inline(__always) set { Self.setByte(&fields, 48, newValue) }
    }
    public var shiftType: UInt8 {
        @inline(__always) get { Self.byte(fields, 56) }
        @inline(__always) set { Self.setByte(&fields, 56, newValue) }
    }
    public var shiftAmount: UInt8 {
        @inline(__always) get { Self.byte(extra, 0) }
        @inline(__always) set { Self.setByte(&extra, 0, newValue) }
    }
    public var flags: UInt8 {
        @inline(__always) get { Self.byte(extra, 8) }
        @inline(__always) set { Self.setByte(&extra, 8, newValue) }
    }
    public var imm: UInt32 {
        @inline(__always) get { UInt32(truncatingIfNeeded: extra >> 32) }
        @inline(__always) set { extra = (extra & 0xFFFF_FFFF) | UInt64(newValue) << 32 }
    }

    public init(group: ARMGroup, op: UInt8 = 0, raw: UInt32, rd: UInt8 = 0, rn: UInt8 = 0, rm: UInt8 = 0,
                rs: UInt8 = 0, shiftType: UInt8 = 0, shiftAmount: UInt8 = 0, flags: UInt8 = 0, imm: UInt32 = 0) {
        let c = UInt8(truncatingIfNeeded: raw >> 28)
        let cond: UInt8 = c == 0xF ? 14 : c
        fields = UInt64(group.rawValue) | UInt64(op) << 8 | UInt64(cond) << 16 | UInt64(rd) << 24
            | UInt64(rn) << 32 | UInt64(rm) << 40 | UInt64(rs) << 48 | UInt64(shiftType) << 56
        extra = UInt64(shiftAmount) | UInt64(flags) << 8 | UInt64(imm) << 32
        self.raw = raw
    }

    @inline(__always) private static func byte(_ word: UInt64, _ shift: UInt64) -> UInt8 {
        UInt8(truncatingIfNeeded: word >> shift)
    }
    @inline(__always) private static func setByte(_ word: inout UInt64, _ shift: UInt64, _ value: UInt8) {
        word = (word & ~(0xFF << shift)) | UInt64(value) << shift
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
    /// finding the first time. (Keep it last: `ARMInstruction.group` bounds its raw value by
    /// this case.)
    case unimplemented
}
