import CRVFloat

/// F and D semantics (unprivileged spec chapters 11–12). Rounded arithmetic and conversions go
/// to CRVFloat (bit-exact in all five rounding modes, canonical NaN results, exact flags); sign
/// injection, min/max, compares, classify and moves are bit operations here. Results that are
/// NaN are the canonical NaN, except sign injection and the moves, which move bits (§11.3).
extension RISCVCore {
    @inline(never)
    func execFloat(_ d: RVInstruction) {
        let double = d.flags & RVFloatOp.double != 0
        // Illegal without F (or D for a D instruction: FCVT.S.D is one though its format is S)
        // and with mstatus.FS = Off (§3.1.6.6).
        guard floatEnabled, let op = RVFloatOp(rawValue: d.op), hasDouble || !(double || op == .convert) else {
            return illegalInstruction(d)
        }
        let fmt = double ? UInt32(RVF_D) : UInt32(RVF_S)
        switch op {
        case .load:
            guard let v = load(x[Int(d.rs1)] &+ d.imm, size: double ? 8 : 4) else { return }
            writeFloat(d.rd, v, double: double)
            return
        case .store:
            // A narrower store moves the low bits whatever the boxing (§12.2).
            store(x[Int(d.rs1)] &+ d.imm, size: double ? 8 : 4, f[Int(d.rs2)])
            return
        case .moveToInteger:
            // FMV.X.W: the low 32 bits, sign-extended; FMV.X.D: all 64 (§11.8, §12.5).
            let v = f[Int(d.rs1)]
            x[Int(d.rd)] = double ? v : RVWord.signExtend(v)
            return
        case .moveFromInteger:
            writeFloat(d.rd, x[Int(d.rs1)], double: double)
            return
        case .sgnj, .sgnjn, .sgnjx:
            let sign = RVFloatBits.signBit(double: double)
            let a = readFloat(d.rs1, double: double), b = readFloat(d.rs2, double: double)
            let s: UInt64
            switch op {
            case .sgnj: s = b & sign
            case .sgnjn: s = ~b & sign
            default: s = (a ^ b) & sign
            }
            writeFloat(d.rd, (a & ~sign) | s, double: double)
            return
        case .min, .max:
            var flags: UInt32 = 0
            let r = minMax(readFloat(d.rs1, double: double), readFloat(d.rs2, double: double), double: double,
                           max: op == .max, flags: &flags)
            accrueFloatFlags(flags)
            writeFloat(d.rd, r, double: double)
            return
        case .eq, .lt, .le:
            var flags: UInt32 = 0
            x[Int(d.rd)] = compare(op, readFloat(d.rs1, double: double), readFloat(d.rs2, double: double),
                                   double: double, flags: &flags) ? 1 : 0
            accrueFloatFlags(flags)
            return
        case .classify:
            x[Int(d.rd)] = RVFloatBits.classify(readFloat(d.rs1, double: double), double: double)
            return
        default:
            break
        }

        // Everything below rounds: rm 7 takes frm, and frm 5–7 is illegal (§11.2).
        let rm = d.flags & 7 == RVFloatOp.dynamicRounding ? UInt32(frm) : UInt32(d.flags & 7)
        guard rm <= RVF_RMM else { return illegalInstruction(d) }
        var flags: UInt32 = 0
        let a = readFloat(d.rs1, double: double)
        let result: UInt64
        switch op {
        case .add: result = rvf_add(fmt, a, readFloat(d.rs2, double: double), rm, &flags)
        case .sub: result = rvf_sub(fmt, a, readFloat(d.rs2, double: double), rm, &flags)
        case .mul: result = rvf_mul(fmt, a, readFloat(d.rs2, double: double), rm, &flags)
        case .div: result = rvf_div(fmt, a, readFloat(d.rs2, double: double), rm, &flags)
        case .sqrt: result = rvf_sqrt(fmt, a, rm, &flags)
        case .madd, .msub, .nmsub, .nmadd:
            // FMSUB: a×b − c; FNMSUB: −(a×b) + c; FNMADD: −(a×b) − c (§11.6).
            let negateProduct: Int32 = op == .nmsub || op == .nmadd ? 1 : 0
            let negateAddend: Int32 = op == .msub || op == .nmadd ? 1 : 0
            result = rvf_fma(fmt, a, readFloat(d.rs2, double: double), readFloat(d.rs3, double: double),
                             negateProduct, negateAddend, rm, &flags)
        case .convert:
            // Format S: FCVT.S.D (rounds); format D: FCVT.D.S (exact).
            result = double ? rvf_s_to_d(readSingle(d.rs1), &flags) : rvf_d_to_s(f[Int(d.rs1)], rm, &flags)
        case .fromW, .fromWU, .fromL, .fromLU:
            let v = x[Int(d.rs1)]
            let value: UInt64
            switch op {
            case .fromW: value = RVWord.signExtend(v)
            case .fromWU: value = v & 0xFFFF_FFFF
            default: value = v
            }
            result = rvf_from_int(fmt, value, op == .fromW || op == .fromL ? 1 : 0, rm, &flags)
        case .toW, .toWU, .toL, .toLU:
            let bits: UInt32 = op == .toW || op == .toWU ? 32 : 64
            x[Int(d.rd)] = rvf_to_int(fmt, a, bits, op == .toW || op == .toL ? 1 : 0, rm, &flags)
            accrueFloatFlags(flags)
            return
        default:
            return illegalInstruction(d)
        }
        accrueFloatFlags(flags)
        writeFloat(d.rd, result, double: double)
    }

    /// FMIN/FMAX (§11.6, IEEE 754-2019 minimumNumber/maximumNumber): −0 < +0; one NaN gives
    /// the other operand, two give the canonical NaN; a signaling NaN raises NV either way.
    private func minMax(_ a: UInt64, _ b: UInt64, double: Bool, max: Bool, flags: inout UInt32) -> UInt64 {
        if RVFloatBits.isSignalingNaN(a, double: double) || RVFloatBits.isSignalingNaN(b, double: double) {
            flags |= UInt32(RVF_NV)
        }
        let aNaN = RVFloatBits.isNaN(a, double: double), bNaN = RVFloatBits.isNaN(b, double: double)
        if aNaN && bNaN { return RVFloatBits.canonicalNaN(double: double) }
        if aNaN { return b }
        if bNaN { return a }
        let x = RVFloatBits.value(a, double: double), y = RVFloatBits.value(b, double: double)
        let aLess = x < y || (x == y && RVFloatBits.isNegative(a, double: double) && !RVFloatBits.isNegative(b, double: double))
        return aLess != max ? a : b
    }

    /// FEQ is a quiet comparison (NV only for a signaling NaN); FLT and FLE signal (NV for any
    /// NaN). A comparison with a NaN is false (§11.8).
    private func compare(_ op: RVFloatOp, _ a: UInt64, _ b: UInt64, double: Bool, flags: inout UInt32) -> Bool {
        let aNaN = RVFloatBits.isNaN(a, double: double), bNaN = RVFloatBits.isNaN(b, double: double)
        if aNaN || bNaN {
            let signaling = RVFloatBits.isSignalingNaN(a, double: double) || RVFloatBits.isSignalingNaN(b, double: double)
            if op != .eq || signaling { flags |= UInt32(RVF_NV) }
            return false
        }
        let x = RVFloatBits.value(a, double: double), y = RVFloatBits.value(b, double: double)
        switch op {
        case .eq: return x == y
        case .lt: return x < y
        default: return x <= y
        }
    }
}
