/// The operand arithmetic shared by the data-processing, saturating and packing instructions:
/// the barrel shifter (ARM ARM A8.4.3 `Shift_C`), the modified immediate constant (A5.2.4
/// `ARMExpandImm_C`) and the adder (A2.2.1 `AddWithCarry`).
///
/// Shift types as the decoders store them in `ARMInstruction.shiftType`: the encoding's own
/// `type` field (0 LSL, 1 LSR, 2 ASR, 3 ROR) with `ROR #0` turned into RRX, and the immediate
/// amounts already decoded by `DecodeImmShift` (LSR/ASR #0 mean #32).
enum ShiftKind {
    static let lsl: UInt8 = 0
    static let lsr: UInt8 = 1
    static let asr: UInt8 = 2
    static let ror: UInt8 = 3
    static let rrx: UInt8 = 4

    /// `DecodeImmShift(type, imm5)` (A8.4.3): the stored (shiftType, shiftAmount).
    static func decodeImmShift(type: UInt32, imm5: UInt32) -> (UInt8, UInt8) {
        switch type & 3 {
        case 0: return (lsl, UInt8(truncatingIfNeeded: imm5 & 31))
        case 1: return (lsr, imm5 == 0 ? 32 : UInt8(truncatingIfNeeded: imm5 & 31))
        case 2: return (asr, imm5 == 0 ? 32 : UInt8(truncatingIfNeeded: imm5 & 31))
        default: return imm5 == 0 ? (rrx, 1) : (ror, UInt8(truncatingIfNeeded: imm5 & 31))
        }
    }
}

/// `ARMExpandImm_C(imm12, carry_in)` (A5.2.4): the rotated constant, and whether the rotation
/// decides the shifter carry (rotation ≠ 0: carry = bit 31 of the constant) or leaves C alone.
@inline(__always)
func armExpandImm(_ imm12: UInt32) -> (value: UInt32, carryChanges: Bool, carry: Bool) {
    let rotation = ((imm12 >> 8) & 0xF) &* 2
    let imm8 = imm12 & 0xFF
    let value = (imm8 &>> rotation) | (imm8 &<< ((32 &- rotation) & 31))
    // With rotation 0 the second term is imm8 << 0 = imm8 as well: the OR is harmless.
    return rotation == 0 ? (value, false, false) : (value, true, value >> 31 != 0)
}

/// `AddWithCarry(x, y, carry_in)` (A2.2.1): the 32-bit sum, its unsigned carry out and its
/// signed overflow.
@inline(__always)
func addWithCarry(_ x: UInt32, _ y: UInt32, _ carryIn: Bool) -> (result: UInt32, carry: Bool, overflow: Bool) {
    let wide = UInt64(x) &+ UInt64(y) &+ (carryIn ? 1 : 0)
    let result = UInt32(truncatingIfNeeded: wide)
    // Overflow: x and y have the same sign and the result's sign differs from it.
    let overflow = ((x ^ result) & (y ^ result)) >> 31 != 0
    return (result, wide >> 32 != 0, overflow)
}

@inline(__always)
func rotateRight(_ v: UInt32, _ n: UInt32) -> UInt32 {
    // `&>>`/`&<<` mask the amount to 0–31, so n = 0 (and 32) give v unchanged.
    (v &>> n) | (v &<< (32 &- n))
}

extension ARMCore {
    /// The value of an immediate-shifted register operand when the carry out is not needed
    /// (`Shift(R[m], type, amount, APSR.C)`): amounts as `ShiftKind.decodeImmShift` stores them.
    @inline(__always)
    func immShiftedValue(_ v: UInt32, _ type: UInt8, _ amount: UInt8) -> UInt32 {
        let n = UInt32(amount)
        switch type {
        case ShiftKind.lsl: return v &<< n
        case ShiftKind.lsr: return n >= 32 ? 0 : v &>> n
        case ShiftKind.asr: return UInt32(bitPattern: Int32(bitPattern: v) &>> min(n, 31))
        case ShiftKind.ror: return rotateRight(v, n)
        default: return (flagC ? 0x8000_0000 : 0) | (v >> 1)
        }
    }

    /// `Shift_C(R[m], type, amount, APSR.C)` for an immediate shift (A8.4.3): value and carry
    /// out. LSL #0 leaves the carry as it is.
    @inline(__always)
    func immShiftedValueCarry(_ v: UInt32, _ type: UInt8, _ amount: UInt8) -> (UInt32, Bool) {
        let n = UInt32(amount)
        switch type {
        case ShiftKind.lsl:
            if n == 0 { return (v, flagC) }
            return (v &<< n, (v &>> (32 &- n)) & 1 != 0)
        case ShiftKind.lsr:
            // n is 1–32: bit n−1 is the last one shifted out.
            return (n >= 32 ? 0 : v &>> n, (v &>> (n &- 1)) & 1 != 0)
        case ShiftKind.asr:
            let s = Int32(bitPattern: v)
            return (UInt32(bitPattern: s &>> min(n, 31)), (v &>> (n &- 1)) & 1 != 0)
        case ShiftKind.ror:
            let result = rotateRight(v, n)
            return (result, result >> 31 != 0)
        default:
            return ((flagC ? 0x8000_0000 : 0) | (v >> 1), v & 1 != 0)
        }
    }

    /// `Shift_C(R[m], type, UInt(R[s]<7:0>), APSR.C)` for a register-controlled shift (A8.4.3):
    /// the amount is 0–255; 0 leaves value and carry alone, LSL/LSR by 32 shift the last bit
    /// into C, larger amounts clear value and carry (ASR fills with the sign), and ROR works
    /// modulo 32 with C = bit 31 of the result even when the rotation is a multiple of 32.
    @inline(__always)
    func registerShiftedValueCarry(_ v: UInt32, _ type: UInt8, _ amount: UInt32) -> (UInt32, Bool) {
        let n = amount & 0xFF
        if n == 0 { return (v, flagC) }
        switch type {
        case ShiftKind.lsl:
            if n < 32 { return (v &<< n, (v &>> (32 &- n)) & 1 != 0) }
            return (0, n == 32 ? v & 1 != 0 : false)
        case ShiftKind.lsr:
            if n < 32 { return (v &>> n, (v &>> (n &- 1)) & 1 != 0) }
            return (0, n == 32 ? v >> 31 != 0 : false)
        case ShiftKind.asr:
            let s = Int32(bitPattern: v)
            if n < 32 { return (UInt32(bitPattern: s &>> n), (v &>> (n &- 1)) & 1 != 0) }
            return (UInt32(bitPattern: s &>> 31), v >> 31 != 0)
        default:
            let result = rotateRight(v, n & 31)
            return (result, result >> 31 != 0)
        }
    }

    @inline(__always)
    func setNZ(_ result: UInt32) {
        flagN = result >> 31 != 0
        flagZ = result == 0
    }

    @inline(__always)
    func setNZCV(_ result: UInt32, _ carry: Bool, _ overflow: Bool) {
        flagN = result >> 31 != 0
        flagZ = result == 0
        flagC = carry
        flagV = overflow
    }
}
