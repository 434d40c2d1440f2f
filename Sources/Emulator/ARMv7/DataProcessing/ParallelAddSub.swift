/// SIMD within a register: the parallel additions and subtractions (ARM ARM A5.4.1/A5.4.2,
/// e.g. A8.8.159 SADD16, A8.8.235 UADD8), SEL (A8.8.144) and USAD8/USADA8 (A8.8.253/254).
///
/// Every lane is computed exactly (17 or 9 significant bits, in an Int32), then the prefix
/// decides what is kept: S/U the low bits and GE (signed: result ≥ 0; unsigned additions:
/// carry out, unsigned subtractions: no borrow), Q/UQ the saturated value, SH/UH the value
/// halved. Only S and U write GE.
extension ARMCore {
    func execParallelAddSubtract(_ d: ARMInstruction) {
        let a = r[Int(d.rn)], b = r[Int(d.rm)]
        let prefix = d.flags
        let isSigned = prefix < ParallelPrefix.unsigned
        var result: UInt32 = 0
        var ge: UInt32 = 0
        switch d.shiftType {
        case ParallelOperation.add8, ParallelOperation.sub8:
            let add = d.shiftType == ParallelOperation.add8
            for i: UInt32 in 0..<4 {
                let x = lane(a, i &* 8, width: 8, signed: isSigned), y = lane(b, i &* 8, width: 8, signed: isSigned)
                let (bits, g) = finishLane(add ? x &+ y : x &- y, width: 8, prefix: prefix, addition: add)
                result |= bits << (i &* 8)
                if g { ge |= 1 << i }
            }
        default:
            let a0 = lane(a, 0, width: 16, signed: isSigned), a1 = lane(a, 16, width: 16, signed: isSigned)
            let b0 = lane(b, 0, width: 16, signed: isSigned), b1 = lane(b, 16, width: 16, signed: isSigned)
            let low: Int32, high: Int32, lowAdds: Bool, highAdds: Bool
            switch d.shiftType {
            case ParallelOperation.add16: (low, high, lowAdds, highAdds) = (a0 &+ b0, a1 &+ b1, true, true)
            case ParallelOperation.asx: (low, high, lowAdds, highAdds) = (a0 &- b1, a1 &+ b0, false, true)
            case ParallelOperation.sax: (low, high, lowAdds, highAdds) = (a0 &+ b1, a1 &- b0, true, false)
            default: (low, high, lowAdds, highAdds) = (a0 &- b0, a1 &- b1, false, false)
            }
            let (l, gLow) = finishLane(low, width: 16, prefix: prefix, addition: lowAdds)
            let (h, gHigh) = finishLane(high, width: 16, prefix: prefix, addition: highAdds)
            result = (h << 16) | l
            ge = (gLow ? 0b0011 : 0) | (gHigh ? 0b1100 : 0)
        }
        r[Int(d.rd)] = result
        if prefix == ParallelPrefix.signed || prefix == ParallelPrefix.unsigned { flagGE = ge }
    }

    /// The lane of `width` bits at `shift`, sign- or zero-extended.
    @inline(__always)
    private func lane(_ v: UInt32, _ shift: UInt32, width: UInt32, signed: Bool) -> Int32 {
        let bits = (v &>> shift) & ((1 << width) &- 1)
        if signed {
            let s = 32 &- width
            return Int32(bitPattern: bits &<< s) &>> Int32(s)
        }
        return Int32(bitPattern: bits)
    }

    /// The lane's result bits (`width` wide) and its GE bit.
    @inline(__always)
    private func finishLane(_ v: Int32, width: UInt32, prefix: UInt8, addition: Bool) -> (UInt32, Bool) {
        let mask: UInt32 = (1 << width) &- 1
        switch prefix {
        case ParallelPrefix.signed:
            return (UInt32(bitPattern: v) & mask, v >= 0)
        case ParallelPrefix.unsigned:
            return (UInt32(bitPattern: v) & mask, addition ? v >= Int32(1 << width) : v >= 0)
        case ParallelPrefix.saturating:
            let (s, _) = signedSaturate(Int64(v), bits: width)
            return (s & mask, false)
        case ParallelPrefix.unsignedSaturating:
            let (s, _) = unsignedSaturate(Int64(v), bits: width)
            return (s & mask, false)
        default:
            // SH/UH: the exact sum or difference halved (arithmetic shift: the signed lanes
            // keep their sign, the unsigned ones are never negative after an addition and
            // are truncated to the lane after a subtraction, as the ARM ARM's diff<16:1>).
            return (UInt32(bitPattern: v &>> 1) & mask, false)
        }
    }

    /// SEL: each byte from Rn where its GE bit is set, else from Rm.
    @inline(__always)
    func select(_ n: UInt32, _ m: UInt32) -> UInt32 {
        var mask: UInt32 = 0
        if flagGE & 1 != 0 { mask |= 0x0000_00FF }
        if flagGE & 2 != 0 { mask |= 0x0000_FF00 }
        if flagGE & 4 != 0 { mask |= 0x00FF_0000 }
        if flagGE & 8 != 0 { mask |= 0xFF00_0000 }
        return (n & mask) | (m & ~mask)
    }

    /// USAD8: Σ |Rn.byte[i] − Rm.byte[i]|.
    @inline(__always)
    func sumOfAbsoluteDifferences(_ n: UInt32, _ m: UInt32) -> UInt32 {
        var sum: UInt32 = 0
        for shift: UInt32 in stride(from: 0, to: 32, by: 8) {
            let x = (n &>> shift) & 0xFF, y = (m &>> shift) & 0xFF
            sum &+= x > y ? x &- y : y &- x
        }
        return sum
    }
}
