/// Execution of the multiplies (ARM ARM A8.8: MUL … SMMLS). In ARMv7 MULS and the long
/// multiplies with S set N and Z only; C and V are unchanged (A8.8.114 and relatives). The Q
/// flag records overflow of the accumulations that the ARM ARM checks (SMLA<x><y>,
/// SMLAW<y>, SMLAD, SMLSD, SMUAD): the result is computed exactly and compared with its low
/// 32 bits.
extension ARMCore {
    func execMultiply(_ d: ARMInstruction) {
        guard let op = MultiplyOp.decoded(d.op) else { takeUndefined(); return }
        let r = self.r
        let n = r[Int(d.rn)], m = r[Int(d.rm)]
        let rd = Int(d.rd)
        switch op {
        case .mul: r[rd] = n &* m
        case .muls:
            let result = n &* m
            r[rd] = result
            setNZ(result)
        case .mla: r[rd] = n &* m &+ r[Int(d.rs)]
        case .mlas:
            let result = n &* m &+ r[Int(d.rs)]
            r[rd] = result
            setNZ(result)
        case .mls: r[rd] = r[Int(d.rs)] &- n &* m

        case .umull: writeLong(d, UInt64(n) &* UInt64(m), setFlags: false)
        case .umulls: writeLong(d, UInt64(n) &* UInt64(m), setFlags: true)
        case .umlal: writeLong(d, UInt64(n) &* UInt64(m) &+ readLong(d), setFlags: false)
        case .umlals: writeLong(d, UInt64(n) &* UInt64(m) &+ readLong(d), setFlags: true)
        case .smull: writeLong(d, signedProduct(n, m), setFlags: false)
        case .smulls: writeLong(d, signedProduct(n, m), setFlags: true)
        case .smlal: writeLong(d, signedProduct(n, m) &+ readLong(d), setFlags: false)
        case .smlals: writeLong(d, signedProduct(n, m) &+ readLong(d), setFlags: true)
        case .umaal:
            // (2^32−1)² + 2·(2^32−1) = 2^64 − 1: the sum cannot wrap.
            writeLong(d, UInt64(n) &* UInt64(m) &+ UInt64(r[Int(d.rs)]) &+ UInt64(r[rd]), setFlags: false)

        // MARK: Halfword multiplies (A8.8.176 SMLA<x><y>, A8.8.179 SMLAW<y>, …)
        case .smulxy:
            let product = halfword(n, top: d.flags & MultiplyFlags.nTop != 0) &* halfword(m, top: d.flags & MultiplyFlags.mTop != 0)
            r[rd] = UInt32(truncatingIfNeeded: product)
        case .smlaxy:
            let product = halfword(n, top: d.flags & MultiplyFlags.nTop != 0) &* halfword(m, top: d.flags & MultiplyFlags.mTop != 0)
            r[rd] = accumulateCheckingQ(product &+ signed(r[Int(d.rs)]))
        case .smulwy:
            let product = signed(n) &* halfword(m, top: d.flags & MultiplyFlags.mTop != 0)
            r[rd] = UInt32(truncatingIfNeeded: product >> 16)
        case .smlawy:
            // result<47:16> of Rn × Rm.half + (Ra << 16): the low 16 bits of Ra << 16 are zero,
            // so that is (Rn × Rm.half) >> 16 + Ra.
            let product = signed(n) &* halfword(m, top: d.flags & MultiplyFlags.mTop != 0)
            r[rd] = accumulateCheckingQ((product >> 16) &+ signed(r[Int(d.rs)]))
        case .smlalxy:
            let product = halfword(n, top: d.flags & MultiplyFlags.nTop != 0) &* halfword(m, top: d.flags & MultiplyFlags.mTop != 0)
            writeLong(d, UInt64(bitPattern: product) &+ readLong(d), setFlags: false)

        // MARK: Dual multiplies (A8.8.177 SMLAD, A8.8.190 SMUAD, …)
        case .smlad:
            let (p1, p2) = dualProducts(n, m, d)
            r[rd] = accumulateCheckingQ(p1 &+ p2 &+ signed(r[Int(d.rs)]))
        case .smuad:
            let (p1, p2) = dualProducts(n, m, d)
            r[rd] = accumulateCheckingQ(p1 &+ p2)
        case .smlsd:
            let (p1, p2) = dualProducts(n, m, d)
            r[rd] = accumulateCheckingQ(p1 &- p2 &+ signed(r[Int(d.rs)]))
        case .smusd:
            // |p1 − p2| < 2^31: cannot overflow, and the ARM ARM does not touch Q.
            let (p1, p2) = dualProducts(n, m, d)
            r[rd] = UInt32(truncatingIfNeeded: p1 &- p2)
        case .smlald:
            let (p1, p2) = dualProducts(n, m, d)
            writeLong(d, UInt64(bitPattern: p1 &+ p2) &+ readLong(d), setFlags: false)
        case .smlsld:
            let (p1, p2) = dualProducts(n, m, d)
            writeLong(d, UInt64(bitPattern: p1 &- p2) &+ readLong(d), setFlags: false)

        // MARK: Most significant word (A8.8.185 SMMLA, A8.8.186 SMMLS, A8.8.187 SMMUL)
        // Only bits 63:32 are kept, so arithmetic modulo 2^64 gives the ARM ARM's result.
        case .smmla:
            let sum = (UInt64(r[Int(d.rs)]) << 32) &+ UInt64(bitPattern: signed(n) &* signed(m))
            r[rd] = mostSignificantWord(sum, d)
        case .smmul:
            r[rd] = mostSignificantWord(UInt64(bitPattern: signed(n) &* signed(m)), d)
        case .smmls:
            let difference = (UInt64(r[Int(d.rs)]) << 32) &- UInt64(bitPattern: signed(n) &* signed(m))
            r[rd] = mostSignificantWord(difference, d)
        }
    }

    // MARK: Helpers

    @inline(__always)
    private func signed(_ v: UInt32) -> Int64 { Int64(Int32(bitPattern: v)) }

    /// SInt of the bottom or top halfword.
    @inline(__always)
    private func halfword(_ v: UInt32, top: Bool) -> Int64 {
        Int64(Int16(truncatingIfNeeded: top ? v >> 16 : v))
    }

    @inline(__always)
    private func signedProduct(_ n: UInt32, _ m: UInt32) -> UInt64 {
        UInt64(bitPattern: signed(n) &* signed(m))
    }

    /// RdHi:RdLo (`rd`:`rs`).
    @inline(__always)
    private func readLong(_ d: ARMInstruction) -> UInt64 {
        UInt64(r[Int(d.rd)]) << 32 | UInt64(r[Int(d.rs)])
    }

    @inline(__always)
    private func writeLong(_ d: ARMInstruction, _ value: UInt64, setFlags: Bool) {
        r[Int(d.rs)] = UInt32(truncatingIfNeeded: value)
        r[Int(d.rd)] = UInt32(truncatingIfNeeded: value >> 32)
        if setFlags {
            flagN = value >> 63 != 0
            flagZ = value == 0
        }
    }

    /// The low 32 bits of an exactly computed sum; Q ← 1 when they do not represent it.
    @inline(__always)
    private func accumulateCheckingQ(_ exact: Int64) -> UInt32 {
        let result = Int32(truncatingIfNeeded: exact)
        if Int64(result) != exact { flagQ = true }
        return UInt32(bitPattern: result)
    }

    /// The two 16 × 16 products of the dual multiplies: bottom × bottom and top × top, with
    /// Rm's halves swapped first when X is set.
    @inline(__always)
    private func dualProducts(_ n: UInt32, _ m: UInt32, _ d: ARMInstruction) -> (Int64, Int64) {
        let operand2 = d.flags & MultiplyFlags.exchange != 0 ? rotateRight(m, 16) : m
        return (halfword(n, top: false) &* halfword(operand2, top: false),
                halfword(n, top: true) &* halfword(operand2, top: true))
    }

    /// Bits 63:32, after adding 0x80000000 when R (round) is set.
    @inline(__always)
    private func mostSignificantWord(_ value: UInt64, _ d: ARMInstruction) -> UInt32 {
        let rounded = d.flags & MultiplyFlags.round != 0 ? value &+ 0x8000_0000 : value
        return UInt32(truncatingIfNeeded: rounded >> 32)
    }
}
