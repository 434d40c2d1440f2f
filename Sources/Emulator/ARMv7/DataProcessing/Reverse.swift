/// Byte and bit reversal (ARM ARM A8.8.145 REV, A8.8.146 REV16, A8.8.147 REVSH, A8.8.144
/// RBIT); CLZ (A8.8.33) is `leadingZeroBitCount` in `execMedia`.
extension ARMCore {
    /// REV16: the bytes of each halfword swapped.
    @inline(__always)
    func reverseHalfwordBytes(_ v: UInt32) -> UInt32 {
        ((v & 0x00FF_00FF) << 8) | ((v >> 8) & 0x00FF_00FF)
    }

    /// REVSH: the bottom halfword byte-swapped, then sign-extended.
    @inline(__always)
    func reverseSignedHalfword(_ v: UInt32) -> UInt32 {
        let swapped = UInt16(truncatingIfNeeded: ((v & 0xFF) << 8) | ((v >> 8) & 0xFF))
        return UInt32(bitPattern: Int32(Int16(bitPattern: swapped)))
    }

    /// RBIT: bit 31 − i of the result is bit i of the operand.
    @inline(__always)
    func reverseBits(_ v: UInt32) -> UInt32 {
        var x = v
        x = ((x >> 1) & 0x5555_5555) | ((x & 0x5555_5555) << 1)
        x = ((x >> 2) & 0x3333_3333) | ((x & 0x3333_3333) << 2)
        x = ((x >> 4) & 0x0F0F_0F0F) | ((x & 0x0F0F_0F0F) << 4)
        return x.byteSwapped
    }
}
