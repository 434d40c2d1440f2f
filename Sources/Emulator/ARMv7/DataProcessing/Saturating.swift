/// Saturating arithmetic (ARM ARM A2.2.1 `SignedSatQ`/`UnsignedSatQ`): QADD, QSUB, QDADD,
/// QDSUB (A8.8.125–A8.8.135), SSAT/USAT and SSAT16/USAT16 (A8.8.152/153, A8.8.242/243).
/// Each sets the sticky Q flag when it saturates and never clears it.

/// `SignedSatQ(x, n)` for n in 1…32: the value clamped to an n-bit signed range (as a
/// 32-bit pattern) and whether clamping happened.
@inline(__always)
func signedSaturate(_ x: Int64, bits n: UInt32) -> (UInt32, Bool) {
    let maximum = (Int64(1) &<< Int64(n &- 1)) &- 1
    let minimum = -maximum &- 1
    if x > maximum { return (UInt32(truncatingIfNeeded: maximum), true) }
    if x < minimum { return (UInt32(truncatingIfNeeded: minimum), true) }
    return (UInt32(truncatingIfNeeded: x), false)
}

/// `UnsignedSatQ(x, n)` for n in 0…32.
@inline(__always)
func unsignedSaturate(_ x: Int64, bits n: UInt32) -> (UInt32, Bool) {
    let maximum = (Int64(1) &<< Int64(n)) &- 1
    if x > maximum { return (UInt32(truncatingIfNeeded: maximum), true) }
    if x < 0 { return (0, true) }
    return (UInt32(truncatingIfNeeded: x), false)
}

extension ARMCore {
    /// QADD Rd, Rm, Rn = sat(Rm + Rn); QSUB = sat(Rm − Rn); QDADD/QDSUB first saturate 2 × Rn
    /// (setting Q if that saturates), then add it to / subtract it from Rm.
    func execSaturatingAddSubtract(_ d: ARMInstruction, _ op: MediaOp) {
        let m = Int64(Int32(bitPattern: r[Int(d.rm)]))
        var n = Int64(Int32(bitPattern: r[Int(d.rn)]))
        var saturated = false
        if op == .qdadd || op == .qdsub {
            let (doubled, sat) = signedSaturate(n &* 2, bits: 32)
            n = Int64(Int32(bitPattern: doubled))
            saturated = sat
        }
        let (result, sat) = signedSaturate(op == .qadd || op == .qdadd ? m &+ n : m &- n, bits: 32)
        r[Int(d.rd)] = result
        if saturated || sat { flagQ = true }
    }

    /// SSAT/USAT: saturate Rn shifted (LSL #0–31 or ASR #1–32) to `imm` bits.
    func execSaturate(_ d: ARMInstruction, signed: Bool) {
        let operand = Int64(Int32(bitPattern: immShiftedValue(r[Int(d.rn)], d.shiftType, d.shiftAmount)))
        let (result, sat) = signed ? signedSaturate(operand, bits: d.imm) : unsignedSaturate(operand, bits: d.imm)
        r[Int(d.rd)] = result
        if sat { flagQ = true }
    }

    /// SSAT16/USAT16: each signed halfword of Rn saturated to `imm` bits.
    func execSaturate16(_ d: ARMInstruction, signed: Bool) {
        let v = r[Int(d.rn)]
        let low = Int64(Int16(truncatingIfNeeded: v)), high = Int64(Int16(truncatingIfNeeded: v >> 16))
        let (l, satLow) = signed ? signedSaturate(low, bits: d.imm) : unsignedSaturate(low, bits: d.imm)
        let (h, satHigh) = signed ? signedSaturate(high, bits: d.imm) : unsignedSaturate(high, bits: d.imm)
        r[Int(d.rd)] = (h << 16) | (l & 0xFFFF)
        if satLow || satHigh { flagQ = true }
    }
}
