/// The operations the data-processing decoder picks (`ARMInstruction.op` of group
/// `.dataProcessing`): one per opcode × operand form × S, so execution is a single switch to a
/// line or two. The hot forms require Rd ≠ PC; anything writing the PC, and every
/// register-shifted-register form, goes to one of the `general…` operations.
///
/// Fields: `rd`, `rn`, `rm`, `rs`; `imm` = the expanded immediate (MOVT: already << 16);
/// `shiftType`/`shiftAmount` as `ShiftKind` stores them; `flags` as `DataProcessingFlags`.
enum DataProcessingOp: UInt8, CaseIterable {
    // S = 0, operand 2 = immediate.
    case andImm, eorImm, subImm, rsbImm, addImm, adcImm, sbcImm, rscImm, orrImm, movImm, bicImm, mvnImm
    // S = 0, operand 2 = Rm LSL #0–31 (includes the plain register).
    case andLSL, eorLSL, subLSL, rsbLSL, addLSL, adcLSL, sbcLSL, rscLSL, orrLSL, movLSL, bicLSL, mvnLSL
    // S = 0, operand 2 = Rm LSR/ASR #1–32, ROR #1–31 or RRX.
    case andShift, eorShift, subShift, rsbShift, addShift, adcShift, sbcShift, rscShift
    case orrShift, movShift, bicShift, mvnShift

    // S = 1, arithmetic (flags from AddWithCarry; the shifter carry does not matter).
    case subsImm, rsbsImm, addsImm, adcsImm, sbcsImm, rscsImm, cmpImm, cmnImm
    case subsLSL, rsbsLSL, addsLSL, adcsLSL, sbcsLSL, rscsLSL, cmpLSL, cmnLSL
    case subsShift, rsbsShift, addsShift, adcsShift, sbcsShift, rscsShift, cmpShift, cmnShift

    // S = 1, logical (C from the shifter: the immediate's rotation, or Shift_C).
    case andsImm, eorsImm, tstImm, teqImm, orrsImm, movsImm, bicsImm, mvnsImm
    case andsReg, eorsReg, tstReg, teqReg, orrsReg, movsReg, bicsReg, mvnsReg

    // Any opcode, S from `flags`: writes to the PC (ALUWritePC, or the exception return of
    // `SUBS PC, LR` and relatives) and the register-shifted-register forms.
    case generalImm, generalReg, generalRegShiftedReg

    // MOVW / MOVT (A8.8.102, A8.8.106).
    case movw, movt
}

extension DataProcessingOp {
    /// The operation an `ARMInstruction.op` holds, or nil for a value no decoder produces.
    /// Raw values are the declaration order (0, 1, 2 …), which is also the enum's tag, so a
    /// range check and a bit cast are the whole conversion (the synthesized
    /// `init(rawValue:)` is an 80-way switch the optimizer leaves as a call on the hot path).
    /// `DecodeTableTests` checks the correspondence for every case.
    @inline(__always)
    static func decoded(_ op: UInt8) -> DataProcessingOp? {
        op <= DataProcessingOp.movt.rawValue ? unsafeBitCast(op, to: DataProcessingOp.self) : nil
    }
}

/// `ARMInstruction.flags` of a data-processing instruction.
enum DataProcessingFlags {
    /// The S bit.
    static let s: UInt8 = 1 << 0
    /// The immediate's rotation is not zero: it decides the shifter carry (ARMExpandImm_C).
    static let immCarryChanges: UInt8 = 1 << 1
    /// That carry.
    static let immCarry: UInt8 = 1 << 2
    /// Bits 7:4 hold the ALU opcode (instruction bits 24:21) for the general operations.
    static let opcodeShift: UInt8 = 4
}

/// The ALU opcodes of the data-processing instructions (instruction bits 24:21, A5.2.1).
enum ALUOpcode {
    static let and: UInt8 = 0, eor: UInt8 = 1, sub: UInt8 = 2, rsb: UInt8 = 3
    static let add: UInt8 = 4, adc: UInt8 = 5, sbc: UInt8 = 6, rsc: UInt8 = 7
    static let tst: UInt8 = 8, teq: UInt8 = 9, cmp: UInt8 = 10, cmn: UInt8 = 11
    static let orr: UInt8 = 12, mov: UInt8 = 13, bic: UInt8 = 14, mvn: UInt8 = 15

    static let names = ["AND", "EOR", "SUB", "RSB", "ADD", "ADC", "SBC", "RSC",
                        "TST", "TEQ", "CMP", "CMN", "ORR", "MOV", "BIC", "MVN"]

    /// TST, TEQ, CMP, CMN: no destination, S always 1.
    @inline(__always) static func isTest(_ opcode: UInt8) -> Bool { opcode & 0b1100 == 0b1000 }
    /// AND, EOR, TST, TEQ, ORR, MOV, BIC, MVN: C comes from the shifter, V is unchanged.
    @inline(__always) static func isLogical(_ opcode: UInt8) -> Bool {
        opcode < 2 || opcode == 8 || opcode == 9 || opcode >= 12
    }
}
