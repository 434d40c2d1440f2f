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
        @inline(__always) get { fields.byte(at: 8) }
        @inline(__always) set { fields.setByte(at: 8, to: newValue) }
    }
    /// Condition field [31:28]; 14 = always. Unconditional (1111) encodings use 14 too.
    public var cond: UInt8 {
        @inline(__always) get { fields.byte(at: 16) }
        @inline(__always) set { fields.setByte(at: 16, to: newValue) }
    }
    public var rd: UInt8 {
        @inline(__always) get { fields.byte(at: 24) }
        @inline(__always) set { fields.setByte(at: 24, to: newValue) }
    }
    public var rn: UInt8 {
        @inline(__always) get { fields.byte(at: 32) }
        @inline(__always) set { fields.setByte(at: 32, to: newValue) }
    }
    public var rm: UInt8 {
        @inline(__always) get { fields.byte(at: 40) }
        @inline(__always) set { fields.setByte(at: 40, to: newValue) }
    }
    public var rs: UInt8 {
        @inline(__always) get { fields.byte(at: 48) }
        @inline(__always) set { fields.setByte(at: 48, to: newValue) }
    }
    public var shiftType: UInt8 {
        @inline(__always) get { fields.byte(at: 56) }
        @inline(__always) set { fields.setByte(at: 56, to: newValue) }
    }
    public var shiftAmount: UInt8 {
        @inline(__always) get { extra.byte(at: 0) }
        @inline(__always) set { extra.setByte(at: 0, to: newValue) }
    }
    public var flags: UInt8 {
        @inline(__always) get { extra.byte(at: 8) }
        @inline(__always) set { extra.setByte(at: 8, to: newValue) }
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
    /// An instruction at an address an injected fault stops a core at (`stall-at`): the
    /// decoder marks it so only when such a fault exists; `raw` is the real instruction.
    case stallPoint
    /// An UNDEFINED encoding: take the Undefined Instruction exception.
    case undefined
    /// A defined encoding hetboot does not execute (VFP/Advanced SIMD): UNDEFINED, with a
    /// finding the first time. (Keep it last: `ARMInstruction.group` bounds its raw value by
    /// this case.)
    case unimplemented
}
