import XCTest
@testable import Emulator
import Profiles

/// F and D on an rv64imafdc hart: results and fflags in every rounding mode (RMM ties
/// included), the five exceptions (underflow with tininess after rounding), NaN boxing and the
/// canonical NaN, fmin/fmax on signed zeros and NaNs, the FCVT saturation table, FCLASS, the FP
/// CSRs, mstatus.FS (Off → illegal instruction, writes → Dirty, SD), reserved rounding modes,
/// and the compressed loads/stores. Expected values are worked out from IEEE 754 and the
/// unprivileged spec, chapters 11–12 (and agree with images/riscv/isa-selftest/gen/fpref.py).
final class RVFloatTests: XCTestCase {
    static let profile = RVHarness.profile(extensions: ["i", "m", "a", "f", "d", "c", "zicsr", "zifencei", "zicntr"])
    private let a0 = 10, a1 = 11, a2 = 12
    private let fa0 = 10, fa1 = 11, fa2 = 12, fa3 = 13
    private let boxed: UInt64 = 0xFFFF_FFFF_0000_0000
    private let data = RVHarness.ramBase + 0x1000

    /// NX, UF, OF, DZ, NV as in fflags.
    private let NX: UInt64 = 1, UF: UInt64 = 2, OF: UInt64 = 4, DZ: UInt64 = 8, NV: UInt64 = 16

    /// Run `source` with mstatus.FS = `fs` (1 = Initial), frm, and registers preset.
    private func run(_ source: String, steps: UInt64, fs: UInt64 = 1, frm: UInt64 = 0, x: [Int: UInt64] = [:],
                     f: [Int: UInt64] = [:], profile: CoreProfile = RVFloatTests.profile) throws -> RISCVCore {
        try RVHarness.exec(source, steps: steps, march: "rv64imafdc", profile: profile) { core in
            core.csr.mstatus = (core.csr.mstatus & ~MSTATUS.FS) | (fs << 13)
            core.csr.fcsr = frm << 5
            for (r, v) in x { core.x[r] = v }
            for (r, v) in f { core.f[r] = v }
        }
    }

    private func fflags(_ core: RISCVCore) -> UInt64 { core.csr.fcsr & 0x1F }

    /// A one-instruction single-precision operation on fa1, fa2 (boxed) into fa0.
    private func single(_ insn: String, _ a: UInt32, _ b: UInt32 = 0, frm: UInt64 = 0) throws -> (UInt64, UInt64) {
        let core = try run(insn, steps: 1, frm: frm, f: [fa1: boxed | UInt64(a), fa2: boxed | UInt64(b)])
        XCTAssertEqual(core.csr.mcause, 0, insn)
        return (core.f[fa0], fflags(core))
    }

    // MARK: Rounding modes

    func testEachRoundingModeOnAnInexactSum() throws {
        // 1 + 1.5·2^-24 lies 3/4 of an ulp above 1; −(that) mirrors it: RDN/RUP depend on the sign.
        let positive: [UInt64] = [0x3F80_0001, 0x3F80_0000, 0x3F80_0000, 0x3F80_0001, 0x3F80_0001]
        let negative: [UInt64] = [0xBF80_0001, 0xBF80_0000, 0xBF80_0001, 0xBF80_0000, 0xBF80_0001]
        for (rm, name) in ["rne", "rtz", "rdn", "rup", "rmm"].enumerated() {
            // Static rounding mode in the instruction.
            var (r, fl) = try single("fadd.s fa0, fa1, fa2, \(name)", 0x3F80_0000, 0x33C0_0000)
            XCTAssertEqual(r, boxed | positive[rm], name)
            XCTAssertEqual(fl, NX, name)
            (r, fl) = try single("fadd.s fa0, fa1, fa2, \(name)", 0xBF80_0000, 0xB3C0_0000)
            XCTAssertEqual(r, boxed | negative[rm], name)
            // Dynamic: frm.
            (r, fl) = try single("fadd.s fa0, fa1, fa2, dyn", 0x3F80_0000, 0x33C0_0000, frm: UInt64(rm))
            XCTAssertEqual(r, boxed | positive[rm], "frm \(name)")
            XCTAssertEqual(fl, NX)
        }
    }

    func testTiesRoundToEvenOrAwayFromZero() throws {
        // 1 + 2^-24: exactly half an ulp above 1 (even neighbour 1.0).
        XCTAssertEqual(try single("fadd.s fa0, fa1, fa2, rne", 0x3F80_0000, 0x3380_0000).0, boxed | 0x3F80_0000)
        XCTAssertEqual(try single("fadd.s fa0, fa1, fa2, rmm", 0x3F80_0000, 0x3380_0000).0, boxed | 0x3F80_0001)
        XCTAssertEqual(try single("fadd.s fa0, fa1, fa2, rmm", 0xBF80_0000, 0xB380_0000).0, boxed | 0xBF80_0001)
        // Odd neighbour below: both go up.
        XCTAssertEqual(try single("fadd.s fa0, fa1, fa2, rne", 0x3F80_0001, 0x3380_0000).0, boxed | 0x3F80_0002)
        XCTAssertEqual(try single("fadd.s fa0, fa1, fa2, rmm", 0x3F80_0001, 0x3380_0000).0, boxed | 0x3F80_0002)
        // Double: 1 + 2^-53 in RMM, and FCVT.W.S of 2.5 (RNE 2, RMM 3).
        let core = try run("fadd.d fa0, fa1, fa2, rmm", steps: 1, f: [fa1: 0x3FF0_0000_0000_0000, fa2: 0x3CA0_0000_0000_0000])
        XCTAssertEqual(core.f[fa0], 0x3FF0_0000_0000_0001)
        let rne = try run("fcvt.w.s a0, fa1, rne", steps: 1, f: [fa1: boxed | 0x4020_0000])
        XCTAssertEqual(rne.x[a0], 2)
        let rmm = try run("fcvt.w.s a0, fa1, rmm", steps: 1, f: [fa1: boxed | 0x4020_0000])
        XCTAssertEqual(rmm.x[a0], 3)
        XCTAssertEqual(fflags(rmm), NX)
    }

    // MARK: Exceptions

    func testOverflowGoesToInfinityOrTheLargestFiniteByMode() throws {
        let expected: [UInt64] = [0x7FF0_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF, 0x7FEF_FFFF_FFFF_FFFF, 0x7FF0_0000_0000_0000, 0x7FF0_0000_0000_0000]
        for rm in 0..<5 {
            let core = try run("fmul.d fa0, fa1, fa2, dyn", steps: 1, frm: UInt64(rm),
                               f: [fa1: 0x7FEF_FFFF_FFFF_FFFF, fa2: 0x4000_0000_0000_0000])
            XCTAssertEqual(core.f[fa0], expected[rm], "rm \(rm)")
            XCTAssertEqual(fflags(core), OF | NX)
        }
    }

    func testUnderflowIsRaisedOnlyWhenTinyAfterRoundingAndInexact() throws {
        // Exact subnormal: no flags.
        var (r, fl) = try single("fmul.s fa0, fa1, fa2", 0x0080_0000, 0x3F00_0000)
        XCTAssertEqual(r, boxed | 0x0040_0000)
        XCTAssertEqual(fl, 0)
        // Inexact subnormal (a tie, to even): UF and NX.
        (r, fl) = try single("fmul.s fa0, fa1, fa2", 0x0080_0001, 0x3F00_0000)
        XCTAssertEqual(r, boxed | 0x0040_0000)
        XCTAssertEqual(fl, UF | NX)
        // (1 − 2^-30)·2^-126 as a double, converted to single: below the smallest normal before
        // rounding, but rounding with an unbounded exponent gives exactly 2^-126 — not tiny
        // after rounding (RISC-V's rule), so NX alone in RNE; in RTZ it stays tiny: UF too.
        var core = try run("fcvt.s.d fa0, fa1, rne", steps: 1, f: [fa1: 0x380F_FFFF_FF80_0000])
        XCTAssertEqual(core.f[fa0], boxed | 0x0080_0000)
        XCTAssertEqual(fflags(core), NX)
        core = try run("fcvt.s.d fa0, fa1, rtz", steps: 1, f: [fa1: 0x380F_FFFF_FF80_0000])
        XCTAssertEqual(core.f[fa0], boxed | 0x007F_FFFF)
        XCTAssertEqual(fflags(core), UF | NX)
    }

    func testInvalidAndDivideByZero() throws {
        var (r, fl) = try single("fdiv.s fa0, fa1, fa2", 0x3F80_0000, 0)
        XCTAssertEqual(r, boxed | 0x7F80_0000)
        XCTAssertEqual(fl, DZ)
        (r, fl) = try single("fdiv.s fa0, fa1, fa2", 0x8000_0000, 0)
        XCTAssertEqual(r, boxed | 0x7FC0_0000, "0/0 is the canonical NaN")
        XCTAssertEqual(fl, NV)
        let core = try run("fsqrt.d fa0, fa1", steps: 1, f: [fa1: 0xBFF0_0000_0000_0000])
        XCTAssertEqual(core.f[fa0], 0x7FF8_0000_0000_0000)
        XCTAssertEqual(fflags(core), NV)
        // ∞ × 0 + qNaN raises NV (§11.6).
        let fma = try run("fmadd.d fa0, fa1, fa2, fa3", steps: 1,
                          f: [fa1: 0x7FF0_0000_0000_0000, fa2: 0, fa3: 0x7FF8_0000_0000_0000])
        XCTAssertEqual(fma.f[fa0], 0x7FF8_0000_0000_0000)
        XCTAssertEqual(fflags(fma), NV)
    }

    func testFlagsAccrueAcrossInstructions() throws {
        let core = try run("fdiv.s fa0, fa1, fa2\nfadd.s fa3, fa1, fa1\nfdiv.s fa0, fa2, fa2", steps: 3,
                           f: [fa1: boxed | 0x3F80_0000, fa2: boxed | 0])
        XCTAssertEqual(fflags(core), DZ | NV)
    }

    func testFusedMultiplyAddsRoundOnceAndNegate() throws {
        // (1 + 2^-23)(1 − 2^-23) − 1 = −2^-46 exactly: a separate multiply would give 0.
        let f: [Int: UInt64] = [fa1: boxed | 0x3F80_0001, fa2: boxed | 0x3F7F_FFFE, fa3: boxed | 0x3F80_0000]
        var core = try run("fmsub.s fa0, fa1, fa2, fa3", steps: 1, f: f)
        XCTAssertEqual(core.f[fa0], boxed | 0xA880_0000)
        XCTAssertEqual(fflags(core), 0)
        core = try run("fnmadd.s fa0, fa1, fa2, fa3", steps: 1, f: f)   // −(a·b) − c
        XCTAssertEqual(core.f[fa0], boxed | 0xC000_0000)
        XCTAssertEqual(fflags(core), NX)
        core = try run("fnmsub.s fa0, fa1, fa2, fa3", steps: 1, f: f)   // −(a·b) + c
        XCTAssertEqual(core.f[fa0], boxed | 0x2880_0000)
    }

    // MARK: NaN boxing and canonical NaNs

    func testSingleLoadsAndMovesAreNaNBoxedAndImproperBoxesReadAsCanonicalNaN() throws {
        var core = try run("flw fa0, 0(a0)\nfmv.w.x fa1, a1", steps: 2, x: [a0: data, a1: 0x1234_5678_4049_0FDB])
        XCTAssertEqual(core.f[fa0] >> 32, 0xFFFF_FFFF)
        XCTAssertEqual(core.f[fa1], boxed | 0x4049_0FDB)
        // fa1 holds a double, not a boxed single: fadd.s sees the canonical NaN (quiet: no NV).
        core = try run("fadd.s fa0, fa1, fa2", steps: 1, f: [fa1: 0x0000_0000_3F80_0000, fa2: boxed | 0x3F80_0000])
        XCTAssertEqual(core.f[fa0], boxed | 0x7FC0_0000)
        XCTAssertEqual(fflags(core), 0)
        // FSW and FMV.X.W move the low 32 bits whatever the boxing; FMV.X.W sign-extends.
        core = try run("fsw fa1, 0(a0)\nfmv.x.w a1, fa1\nlwu a2, 0(a0)", steps: 3, x: [a0: data],
                       f: [fa1: 0x0000_0000_BF80_0000])
        XCTAssertEqual(core.x[a1], 0xFFFF_FFFF_BF80_0000)
        XCTAssertEqual(core.x[a2], 0xBF80_0000)
        // FCLASS.S of an improperly boxed value: quiet NaN.
        core = try run("fclass.s a0, fa1", steps: 1, f: [fa1: 0x0000_0000_3F80_0000])
        XCTAssertEqual(core.x[a0], 1 << 9)
    }

    func testNaNResultsAreCanonicalButSignInjectionMovesBits() throws {
        var core = try run("fadd.d fa0, fa1, fa2", steps: 1, f: [fa1: 0xFFF8_0000_0000_0123, fa2: 0x3FF0_0000_0000_0000])
        XCTAssertEqual(core.f[fa0], 0x7FF8_0000_0000_0000)
        XCTAssertEqual(fflags(core), 0)
        core = try run("fadd.d fa0, fa1, fa2", steps: 1, f: [fa1: 0x7FF0_0000_0000_0001, fa2: 0x3FF0_0000_0000_0000])
        XCTAssertEqual(core.f[fa0], 0x7FF8_0000_0000_0000)
        XCTAssertEqual(fflags(core), NV, "a signaling NaN operand")
        core = try run("fsgnjn.d fa0, fa1, fa1\nfsgnjx.d fa3, fa1, fa2", steps: 2,
                       f: [fa1: 0x7FF0_0000_0000_0001, fa2: 0x8000_0000_0000_0000])
        XCTAssertEqual(core.f[fa0], 0xFFF0_0000_0000_0001, "FNEG keeps the payload")
        XCTAssertEqual(core.f[fa3], 0xFFF0_0000_0000_0001)
        XCTAssertEqual(fflags(core), 0)
    }

    // MARK: fmin/fmax, compares, classify

    func testMinMaxOrderSignedZerosAndPreferNumbers() throws {
        let plusZero: UInt32 = 0, minusZero: UInt32 = 0x8000_0000, one: UInt32 = 0x3F80_0000
        let qNaN: UInt32 = 0x7FC0_0000, sNaN: UInt32 = 0x7F80_0001
        XCTAssertEqual(try single("fmin.s fa0, fa1, fa2", plusZero, minusZero).0, boxed | 0x8000_0000)
        XCTAssertEqual(try single("fmax.s fa0, fa1, fa2", minusZero, plusZero).0, boxed | 0)
        var (r, fl) = try single("fmin.s fa0, fa1, fa2", qNaN, one)
        XCTAssertEqual(r, boxed | UInt64(one))
        XCTAssertEqual(fl, 0)
        (r, fl) = try single("fmax.s fa0, fa1, fa2", one, sNaN)
        XCTAssertEqual(r, boxed | UInt64(one))
        XCTAssertEqual(fl, NV)
        (r, fl) = try single("fmax.s fa0, fa1, fa2", sNaN, 0xFFC0_1234)
        XCTAssertEqual(r, boxed | 0x7FC0_0000)
        XCTAssertEqual(fl, NV)
    }

    func testQuietAndSignalingComparisons() throws {
        let qNaN: UInt64 = boxed | 0x7FC0_0000, sNaN: UInt64 = boxed | 0x7F80_0001, one: UInt64 = boxed | 0x3F80_0000
        var core = try run("feq.s a0, fa1, fa2", steps: 1, x: [a0: 7], f: [fa1: qNaN, fa2: one])
        XCTAssertEqual(core.x[a0], 0)
        XCTAssertEqual(fflags(core), 0, "FEQ is quiet")
        core = try run("feq.s a0, fa1, fa2", steps: 1, f: [fa1: sNaN, fa2: one])
        XCTAssertEqual(fflags(core), NV)
        core = try run("flt.s a0, fa1, fa2", steps: 1, f: [fa1: qNaN, fa2: one])
        XCTAssertEqual(fflags(core), NV, "FLT signals on any NaN")
        core = try run("fle.d a0, fa1, fa2\nflt.d a1, fa1, fa2\nfeq.d a2, fa1, fa2", steps: 3,
                       f: [fa1: 0x8000_0000_0000_0000, fa2: 0])
        XCTAssertEqual([core.x[a0], core.x[a1], core.x[a2]], [1, 0, 1], "−0 = +0")
    }

    func testFClassReportsAllTenClasses() throws {
        let values: [UInt64] = [0xFFF0_0000_0000_0000, 0xBFF0_0000_0000_0000, 0x800F_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000,
                                0, 0x0000_0000_0000_0001, 0x3FF0_0000_0000_0000, 0x7FF0_0000_0000_0000,
                                0x7FF0_0000_0000_0001, 0x7FF8_0000_0000_0000]
        for (bit, v) in values.enumerated() {
            let core = try run("fclass.d a0, fa1", steps: 1, f: [fa1: v])
            XCTAssertEqual(core.x[a0], 1 << UInt64(bit), String(v, radix: 16))
        }
    }

    // MARK: Conversions

    func testFloatToIntegerSaturates() throws {
        let nan = boxed | 0x7FC0_0000, plusInf = boxed | 0x7F80_0000, minusInf = boxed | 0xFF80_0000
        let big = boxed | 0x4F32_D05E /* 3e9 */, minusOne = boxed | 0xBF80_0000
        let cases: [(String, UInt64, UInt64, UInt64)] = [
            ("fcvt.w.s", nan, 0x7FFF_FFFF, NV), ("fcvt.w.s", plusInf, 0x7FFF_FFFF, NV),
            ("fcvt.w.s", minusInf, 0xFFFF_FFFF_8000_0000, NV), ("fcvt.w.s", big, 0x7FFF_FFFF, NV),
            ("fcvt.wu.s", nan, 0xFFFF_FFFF_FFFF_FFFF, NV), ("fcvt.wu.s", minusOne, 0, NV),
            ("fcvt.wu.s", big, 0xFFFF_FFFF_B2D0_5E00, 0),
            ("fcvt.l.s", nan, 0x7FFF_FFFF_FFFF_FFFF, NV), ("fcvt.l.s", minusInf, 0x8000_0000_0000_0000, NV),
            ("fcvt.lu.s", nan, 0xFFFF_FFFF_FFFF_FFFF, NV), ("fcvt.lu.s", minusInf, 0, NV),
            ("fcvt.lu.s", minusOne, 0, NV),
        ]
        for (insn, input, expected, flags) in cases {
            let core = try run("\(insn) a0, fa1, rtz", steps: 1, f: [fa1: input])
            XCTAssertEqual(core.x[a0], expected, "\(insn) \(String(input, radix: 16))")
            XCTAssertEqual(fflags(core), flags, "\(insn) \(String(input, radix: 16))")
        }
        // −0.3 to unsigned rounds to 0: inexact, not invalid.
        let core = try run("fcvt.wu.d a0, fa1, rtz", steps: 1, f: [fa1: 0xBFD3_3333_3333_3333])
        XCTAssertEqual(core.x[a0], 0)
        XCTAssertEqual(fflags(core), NX)
    }

    func testIntegerToFloatAndBetweenFormats() throws {
        // 2^63 − 1 to single rounds (RNE: 2^63, RTZ: the largest single below it).
        var core = try run("fcvt.s.l fa0, a0, rne\nfcvt.s.l fa1, a0, rtz\nfcvt.d.wu fa2, a1\nfcvt.s.w fa3, a1", steps: 4,
                           x: [a0: 0x7FFF_FFFF_FFFF_FFFF, a1: 0xFFFF_FFFF_FFFF_FFFF])
        XCTAssertEqual(core.f[fa0], boxed | 0x5F00_0000)
        XCTAssertEqual(core.f[fa1], boxed | 0x5EFF_FFFF)
        XCTAssertEqual(core.f[fa2], 0x41EF_FFFF_FFE0_0000, "the low 32 bits, unsigned")
        XCTAssertEqual(core.f[fa3], boxed | 0xBF80_0000, "−1")
        XCTAssertEqual(fflags(core), NX)
        core = try run("fcvt.d.s fa0, fa1\nfcvt.s.d fa2, fa3", steps: 2,
                       f: [fa1: boxed | 0x7F80_0001, fa3: 0x3FB9_9999_9999_999A /* 0.1 */])
        XCTAssertEqual(core.f[fa0], 0x7FF8_0000_0000_0000)
        XCTAssertEqual(core.f[fa2], boxed | 0x3DCC_CCCD)
        XCTAssertEqual(fflags(core), NV | NX)
    }

    // MARK: CSRs, mstatus.FS, illegal encodings

    func testFloatCSRViews() throws {
        let core = try run("csrw fcsr, a0\ncsrr a1, frm\ncsrr a2, fflags\nfsflags a0, zero\ncsrr a0, fcsr", steps: 5,
                           x: [a0: 0xFFFF_FF75])
        XCTAssertEqual(core.x[a1], 3)
        XCTAssertEqual(core.x[a2], 0x15)
        XCTAssertEqual(core.x[a0], 0x60, "fsflags cleared the flags, frm stays")
    }

    func testFSOffMakesInstructionsAndCSRsIllegal() throws {
        var core = try run("fadd.d fa0, fa1, fa2", steps: 1, fs: 0)
        XCTAssertEqual(core.csr.mcause, 2)
        XCTAssertEqual(core.csr.mtval, 0x02C5_F553)
        core = try run("frflags a0", steps: 1, fs: 0)
        XCTAssertEqual(core.csr.mcause, 2)
        core = try run("c.fldsp fa0, 8(sp)", steps: 1, fs: 0)
        XCTAssertEqual(core.csr.mcause, 2)
        // A hart without F: illegal whatever FS says (FS is not writable there).
        core = try run("fmv.w.x fa0, a0", steps: 1, fs: 0, profile: RVHarness.profile())
        XCTAssertEqual(core.csr.mcause, 2)
    }

    func testAHartWithFButNotDRejectsDoubleInstructions() throws {
        let fOnly = RVHarness.profile(extensions: ["i", "m", "a", "f", "c", "zicsr", "zifencei", "zicntr"])
        var core = try run("fadd.s fa0, fa1, fa2", steps: 1, f: [fa1: boxed | 0x3F80_0000, fa2: boxed | 0x3F80_0000],
                           profile: fOnly)
        XCTAssertEqual(core.csr.mcause, 0)
        XCTAssertEqual(core.f[fa0], boxed | 0x4000_0000)
        for insn in ["fadd.d fa0, fa1, fa2", "fcvt.s.d fa0, fa1", "fcvt.d.s fa0, fa1", "fld fa0, 0(sp)", "fmv.x.d a0, fa1"] {
            core = try run(insn, steps: 1, profile: fOnly)
            XCTAssertEqual(core.csr.mcause, 2, insn)
        }
    }

    func testWritingFloatStateMakesFSDirtyAndSetsSD() throws {
        // Reading does not dirty; a register write does; SD (bit 63) follows.
        var core = try run("csrr a0, mstatus\nfmv.x.d a1, fa1\ncsrr a2, mstatus\nfmv.d.x fa0, a1\ncsrr a1, mstatus", steps: 5)
        XCTAssertEqual((core.x[a0] >> 13) & 3, 1)
        XCTAssertEqual((core.x[a2] >> 13) & 3, 1, "FMV.X.D reads only")
        XCTAssertEqual((core.x[a1] >> 13) & 3, 3)
        XCTAssertEqual(core.x[a1] >> 63, 1)
        XCTAssertEqual(core.x[a0] >> 63, 0)
        // A CSR write dirties too.
        core = try run("fsrm a0\ncsrr a1, sstatus", steps: 2, x: [a0: 1])
        XCTAssertEqual((core.x[a1] >> 13) & 3, 3)
        XCTAssertEqual(core.x[a1] >> 63, 1)
        // Raising a flag changes fcsr: Dirty too (as Spike); a compare that raises none does not.
        core = try run("feq.s a0, fa1, fa2", steps: 1, f: [fa1: boxed | 0x3F80_0000, fa2: boxed | 0x3F80_0000])
        XCTAssertEqual((core.csr.mstatus >> 13) & 3, 1)
        core = try run("feq.s a0, fa1, fa2", steps: 1, f: [fa1: boxed | 0x7F80_0001, fa2: boxed | 0x3F80_0000])
        XCTAssertEqual((core.csr.mstatus >> 13) & 3, 3)
        // FS resets to Off.
        XCTAssertEqual(try RVHarness.machine(profile: Self.profile).cores[0].csr.mstatus & MSTATUS.FS, 0)
    }

    func testBuiltInSBIHandsThePayloadAnEnabledFPUAsOpenSBIDoes() throws {
        let slot = CoreSlot(profile: Self.profile, cluster: 0, mpidr: 0, clusterSize: 1)
        let spec = MachineDescription(
            name: "test-rv", description: "test machine", file: "<test>", architecture: .rv64, cores: [slot],
            ram: [MemoryRegion(name: "ram", base: RVHarness.ramBase, size: 1 << 20)], devices: [],
            boot: BootProtocol(entryMode: .supervisor, security: .secure, secondaries: .allAtEntry, psciConduit: .none,
                               semihosting: false, firmware: .builtinSBI),
            options: [], smp: nil)
        let m = try RISCVMachine(spec: spec)
        m.boot(entry: RVHarness.ramBase)
        XCTAssertEqual(m.cores[0].privilege, .supervisor)
        XCTAssertEqual(m.cores[0].csr.mstatus & MSTATUS.FS, MSTATUS.FS, "OpenSBI's mstatus_init sets FS = Dirty")
        // Without F the field stays Off.
        let noF = RVHarness.profile()
        var plain = spec
        plain.cores = [CoreSlot(profile: noF, cluster: 0, mpidr: 0, clusterSize: 1)]
        let m2 = try RISCVMachine(spec: plain)
        m2.boot(entry: RVHarness.ramBase)
        XCTAssertEqual(m2.cores[0].csr.mstatus & MSTATUS.FS, 0)
    }

    func testReservedRoundingModesAreIllegal() throws {
        // Dynamic rounding with frm = 5, 6, 7.
        for frm: UInt64 in [5, 6, 7] {
            let core = try run("fadd.s fa0, fa1, fa2, dyn", steps: 1, frm: frm)
            XCTAssertEqual(core.csr.mcause, 2, "frm \(frm)")
        }
        // A static rm still works with an invalid frm.
        var core = try run("fadd.s fa0, fa1, fa2, rtz", steps: 1, frm: 5, f: [fa1: boxed, fa2: boxed])
        XCTAssertEqual(core.csr.mcause, 0)
        // fadd.s fa0, fa1, fa2 with rm = 5 and 6 (reserved): illegal at decode.
        for rm: UInt32 in [5, 6] {
            let word = 0x00C5_8553 | (rm << 12)
            XCTAssertEqual(RVDecoder.decode32(word).group, .illegal)
            core = try run(".word 0x\(String(word, radix: 16))", steps: 1)
            XCTAssertEqual(core.csr.mcause, 2)
        }
        // Formats H (10) and Q (11) are not implemented: fmadd.h / fmadd.q encodings.
        XCTAssertEqual(RVDecoder.decode32(0x68C5_8543 | (2 << 25)).group, .illegal)
        XCTAssertEqual(RVDecoder.decode32(0x68C5_8543 | (3 << 25)).group, .illegal)
    }

    func testCompressedFloatLoadsAndStores() throws {
        let sp = RVHarness.ramBase + 0x8_0000
        let core = try runWithMemory("""
            c.fld fa0, 8(a0)
            c.fsd fa0, 16(a0)
            c.fldsp fa1, 24(sp)
            c.fsdsp fa1, 32(sp)
            """, steps: 4, x: [a0: data])
        XCTAssertEqual(core.f[fa0], 0x0123_4567_89AB_CDEF)
        XCTAssertEqual(core.load(data + 16, size: 8), 0x0123_4567_89AB_CDEF)
        XCTAssertEqual(core.f[fa1], 0xFEDC_BA98_7654_3210)
        XCTAssertEqual(core.load(sp + 32, size: 8), 0xFEDC_BA98_7654_3210)
        XCTAssertEqual(core.pc, RVHarness.ramBase + 6, "four 2-byte instructions")
    }

    /// `run` with memory preset for the compressed test.
    private func runWithMemory(_ source: String, steps: UInt64, x: [Int: UInt64]) throws -> RISCVCore {
        try RVHarness.exec(source, steps: steps, march: "rv64imafdc", profile: Self.profile) { core in
            core.csr.mstatus |= 1 << 13
            for (r, v) in x { core.x[r] = v }
            XCTAssertTrue(core.store(data + 8, size: 8, 0x0123_4567_89AB_CDEF))
            XCTAssertTrue(core.store(core.x[2] + 24, size: 8, 0xFEDC_BA98_7654_3210))
        }
    }
}
