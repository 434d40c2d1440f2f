/// Packing and extension (ARM ARM A8.8.125 PKHBT/PKHTB; A8.8.219–A8.8.226 SXTAB … SXTH;
/// A8.8.271–A8.8.278 UXTAB … UXTH). The extend instructions rotate Rm right by 0, 8, 16 or
/// 24 first (see `execMedia`); `signExtend8`/`signExtend16` are the core's (BitOperations.swift).
extension ARMCore {
    /// PKHBT: bottom half from Rn, top half from Rm LSL #n (n = 0–31).
    @inline(__always)
    func packBottomTop(_ n: UInt32, _ m: UInt32, _ shift: UInt8) -> UInt32 {
        (n & 0xFFFF) | ((m &<< UInt32(shift)) & 0xFFFF_0000)
    }

    /// PKHTB: top half from Rn, bottom half from Rm ASR #n (n = 1–32; #32 fills with the sign,
    /// the same as #31 for the bits kept).
    @inline(__always)
    func packTopBottom(_ n: UInt32, _ m: UInt32, _ shift: UInt8) -> UInt32 {
        let shifted = UInt32(bitPattern: Int32(bitPattern: m) &>> Int32(min(shift, 31)))
        return (n & 0xFFFF_0000) | (shifted & 0xFFFF)
    }

    /// SXTB16: bytes 0 and 2 sign-extended into the two halfwords.
    @inline(__always)
    func signExtendBytes16(_ v: UInt32) -> UInt32 {
        (signExtend8(v) & 0xFFFF) | (signExtend8(v >> 16) << 16)
    }

    /// The two halfword additions of SXTAB16/UXTAB16 (each modulo 2^16).
    @inline(__always)
    func addHalfwords(_ a: UInt32, _ b: UInt32) -> UInt32 {
        ((a &+ b) & 0xFFFF) | (((a >> 16) &+ (b >> 16)) << 16)
    }
}
