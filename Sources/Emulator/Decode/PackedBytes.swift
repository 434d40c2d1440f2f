/// Byte fields packed into a machine word, for the decoded-instruction entries
/// (ARMInstruction, RVInstruction): one load brings all of them, each field is a shift away.
extension UInt64 {
    /// The byte at bit `shift` (a multiple of 8).
    @inline(__always) func byte(at shift: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: self >> shift) }

    /// Replace the byte at bit `shift` (a multiple of 8).
    @inline(__always) mutating func setByte(at shift: UInt64, to value: UInt8) {
        self = (self & ~(0xFF << shift)) | UInt64(value) << shift
    }
}
