/// The 32-bit words of RV64's W instructions (unprivileged spec §5.2–5.3, §7.1): they compute on
/// the low 32 bits of their operands and write the 32-bit result sign-extended to 64 bits.
enum RVWord {
    /// Bits 31:0 of `v`, sign-extended to 64.
    @inline(__always)
    static func signExtend(_ v: UInt64) -> UInt64 {
        UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v)))
    }

    /// A 32-bit result, sign-extended to 64.
    @inline(__always)
    static func signExtend(_ v: UInt32) -> UInt64 {
        UInt64(bitPattern: Int64(Int32(bitPattern: v)))
    }

    /// A signed 32-bit result, sign-extended to 64.
    @inline(__always)
    static func signExtend(_ v: Int32) -> UInt64 {
        UInt64(bitPattern: Int64(v))
    }
}
