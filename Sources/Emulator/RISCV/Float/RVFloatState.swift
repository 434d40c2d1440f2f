/// The F/D state of a hart: f0–f31 (`RISCVCore.f`, 64 bits each), fcsr (`csr.fcsr`: frm [7:5],
/// fflags [4:0], unprivileged spec §11.2) and its CSR views fflags 0x001, frm 0x002, fcsr 0x003,
/// guarded by mstatus.FS (privileged spec §3.1.6.6).
///
/// The two FS rules live in exactly one place each: `floatEnabled` (FS = Off makes every F/D
/// instruction and the F/D CSRs illegal) and `markFloatDirty` (anything that changes an f
/// register or fcsr sets FS = Dirty; mstatus.SD follows, `mstatusWithSD`). With the H
/// extension, VS/VU-mode also needs vsstatus.FS on and dirties it too.
extension RISCVCore {
    // MARK: mstatus.FS

    /// Whether F/D instructions and CSRs may be used now: the hart has F and mstatus.FS is not
    /// Off (§3.1.6.6) — and, in VS/VU-mode, vsstatus.FS is not Off either (§8.2.11).
    @inline(__always)
    var floatEnabled: Bool {
        hasFloat && csr.mstatus & MSTATUS.FS != 0 && (!virtualized || csr.vsstatus & MSTATUS.FS != 0)
    }

    /// FS = Dirty: the F/D state has changed (§3.1.6.6). Called for every write of an f
    /// register or fcsr, after `floatEnabled` allowed it. In VS/VU-mode both mstatus.FS and
    /// vsstatus.FS become Dirty (§8.2.11).
    @inline(__always)
    func markFloatDirty() {
        csr.mstatus |= MSTATUS.FS
        if virtualized { csr.vsstatus |= MSTATUS.FS }
    }

    // MARK: fcsr

    /// The dynamic rounding mode (§11.2).
    var frm: UInt64 { (csr.fcsr >> 5) & 7 }

    /// Accrue exception flags into fflags (they stay set until software clears them). Raising a
    /// flag changes fcsr, so FS becomes Dirty (§3.1.6.6; Spike does the same). QEMU 7.2 leaves FS
    /// as it was when an instruction only raises flags (FEQ on a signaling NaN …).
    @inline(__always)
    func accrueFloatFlags(_ flags: UInt32) {
        guard flags != 0 else { return }
        csr.fcsr |= UInt64(flags & 0x1F)
        markFloatDirty()
    }

    /// fflags, frm and fcsr: nil (illegal instruction) without F or with FS = Off.
    func floatCSRRead(_ n: UInt16) -> UInt64? {
        guard floatEnabled else { return nil }
        switch n {
        case 0x001: return csr.fcsr & 0x1F
        case 0x002: return frm
        default: return csr.fcsr & 0xFF
        }
    }

    /// frm holds any 3-bit value (an invalid one makes dynamic-rounding instructions illegal
    /// when they execute, §11.2); fcsr bits 31:8 are reserved and read zero.
    func floatCSRWrite(_ n: UInt16, _ v: UInt64) -> Bool {
        guard floatEnabled else { return false }
        switch n {
        case 0x001: csr.fcsr = (csr.fcsr & ~0x1F) | (v & 0x1F)
        case 0x002: csr.fcsr = (csr.fcsr & 0x1F) | ((v & 7) << 5)
        default: csr.fcsr = v & 0xFF
        }
        markFloatDirty()
        return true
    }

    // MARK: NaN boxing (§12.2)

    /// The single held in f[r]: its low 32 bits when the upper 32 are all ones, else the
    /// canonical NaN (an improperly boxed value reads as the canonical NaN).
    @inline(__always)
    func readSingle(_ r: UInt8) -> UInt64 {
        let v = f[Int(r)]
        return v >> 32 == 0xFFFF_FFFF ? v & 0xFFFF_FFFF : RVFloatBits.canonicalNaN32
    }

    /// f[r] as an operand of the given format.
    @inline(__always)
    func readFloat(_ r: UInt8, double: Bool) -> UInt64 {
        double ? f[Int(r)] : readSingle(r)
    }

    /// Write a result of the given format to f[r] (a single NaN-boxed) and mark FS Dirty.
    @inline(__always)
    func writeFloat(_ r: UInt8, _ v: UInt64, double: Bool) {
        f[Int(r)] = double ? v : 0xFFFF_FFFF_0000_0000 | (v & 0xFFFF_FFFF)
        markFloatDirty()
    }
}

/// Bit-level facts of binary32/binary64 that the RISC-V-specific instructions (sign injection,
/// min/max, compares, classify) need; the arithmetic is in CRVFloat.
enum RVFloatBits {
    static let canonicalNaN32: UInt64 = 0x7FC0_0000
    static let canonicalNaN64: UInt64 = 0x7FF8_0000_0000_0000

    @inline(__always) static func signBit(double: Bool) -> UInt64 { double ? 1 << 63 : 1 << 31 }
    @inline(__always) static func canonicalNaN(double: Bool) -> UInt64 { double ? canonicalNaN64 : canonicalNaN32 }

    static func isNaN(_ v: UInt64, double: Bool) -> Bool {
        double ? Double(bitPattern: v).isNaN : Float(bitPattern: UInt32(truncatingIfNeeded: v)).isNaN
    }

    /// A signaling NaN: the most significant fraction bit clear (IEEE 754-2008 §6.2.1).
    static func isSignalingNaN(_ v: UInt64, double: Bool) -> Bool {
        isNaN(v, double: double) && v & (double ? 1 << 51 : 1 << 22) == 0
    }

    /// The value as a host Double (exact for singles); only for non-NaN values.
    @inline(__always) static func value(_ v: UInt64, double: Bool) -> Double {
        double ? Double(bitPattern: v) : Double(Float(bitPattern: UInt32(truncatingIfNeeded: v)))
    }

    @inline(__always) static func isNegative(_ v: UInt64, double: Bool) -> Bool { v & signBit(double: double) != 0 }

    /// FCLASS (§11.9, table 11.5): one bit of ten.
    static func classify(_ v: UInt64, double: Bool) -> UInt64 {
        let negative = isNegative(v, double: double)
        if isNaN(v, double: double) { return isSignalingNaN(v, double: double) ? 1 << 8 : 1 << 9 }
        let x = value(v, double: double)
        let subnormal = double ? Double(bitPattern: v).isSubnormal : Float(bitPattern: UInt32(truncatingIfNeeded: v)).isSubnormal
        let bit: UInt64
        if x.isInfinite { bit = negative ? 0 : 7 }
        else if x == 0 { bit = negative ? 3 : 4 }
        else if subnormal { bit = negative ? 2 : 5 }
        else { bit = negative ? 1 : 6 }
        return 1 << bit
    }
}
