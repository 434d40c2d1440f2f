import XCTest
@testable import Emulator

/// RV64M: the high-half multiplies' signedness, and division's defined results for a zero
/// divisor and for signed overflow, in the 64- and 32-bit forms.
final class RVMultiplyTests: XCTestCase {
    static let int64Min: UInt64 = 0x8000_0000_0000_0000

    func testHighHalfMultipliesWithNegativeOperands() throws {
        let c = try RVInt.run("""
            mul a2, a0, a1
            mulh a3, a0, a1
            mulhu a4, a0, a1
            mulhsu a5, a0, a1
            mulhsu a6, a1, a0
            mulh a7, a0, a0
            mulhu s2, a0, a0
            mulhsu s3, a0, a0
            mulh s4, t0, t0
            mulhsu s5, t1, t1
            """, steps: 10, [Reg.a0: 0 &- 2, Reg.a1: 3, Reg.t0: Self.int64Min, Reg.t1: ~0])
        XCTAssertEqual(c.x[Reg.a2], 0 &- 6, "mul -2 × 3")
        XCTAssertEqual(c.x[Reg.a3], ~0, "mulh -2 × 3 = -6: high half all ones")
        XCTAssertEqual(c.x[Reg.a4], 2, "mulhu (2^64-2) × 3")
        XCTAssertEqual(c.x[Reg.a5], ~0, "mulhsu signed -2 × unsigned 3")
        XCTAssertEqual(c.x[Reg.a6], 2, "mulhsu signed 3 × unsigned 2^64-2")
        XCTAssertEqual(c.x[Reg.a7], 0, "mulh -2 × -2 = 4")
        XCTAssertEqual(c.x[Reg.s2], 0xFFFF_FFFF_FFFF_FFFC, "mulhu (2^64-2)^2")
        XCTAssertEqual(c.x[Reg.s3], 0 &- 2, "mulhsu signed -2 × unsigned 2^64-2 = -2^65 + 4")
        XCTAssertEqual(c.x[Reg.s4], 0x4000_0000_0000_0000, "mulh INT64_MIN²")
        XCTAssertEqual(c.x[Reg.s5], ~0, "mulhsu signed -1 × unsigned 2^64-1 = -2^64 + 1")
    }

    func testMulwSignExtendsTheLowWord() throws {
        let c = try RVInt.run("mulw a2, a0, a1\nmulw a3, t0, t1", steps: 2,
                              [Reg.a0: 0x7FFF_FFFF, Reg.a1: 2, Reg.t0: 0xFFFF_FFFF_0001_0000, Reg.t1: 0x5_0000_8000])
        XCTAssertEqual(c.x[Reg.a2], 0 &- 2, "0x7fffffff × 2 = 0xfffffffe, sign-extended")
        XCTAssertEqual(c.x[Reg.a3], 0xFFFF_FFFF_8000_0000, "only the low words count")
    }

    func testDivisionByZero() throws {
        let c = try RVInt.run("""
            div a2, a0, zero
            divu a3, a0, zero
            rem a4, a0, zero
            remu a5, a0, zero
            divw a6, a0, zero
            divuw a7, a0, zero
            remw s2, a0, zero
            remuw s3, a0, zero
            divw s4, a0, a1
            """, steps: 9, [Reg.a0: 0x1234_5678_8765_4321, Reg.a1: 0xFFFF_FFFF_0000_0000])
        XCTAssertEqual(c.x[Reg.a2], ~0, "div by 0 = -1")
        XCTAssertEqual(c.x[Reg.a3], ~0, "divu by 0 = 2^64-1")
        XCTAssertEqual(c.x[Reg.a4], 0x1234_5678_8765_4321, "rem by 0 = the dividend")
        XCTAssertEqual(c.x[Reg.a5], 0x1234_5678_8765_4321, "remu by 0 = the dividend")
        XCTAssertEqual(c.x[Reg.a6], ~0, "divw by 0 = -1")
        XCTAssertEqual(c.x[Reg.a7], ~0, "divuw by 0 = 2^32-1, sign-extended")
        XCTAssertEqual(c.x[Reg.s2], 0xFFFF_FFFF_8765_4321, "remw by 0 = the low word, sign-extended")
        XCTAssertEqual(c.x[Reg.s3], 0xFFFF_FFFF_8765_4321, "remuw by 0 = the low word, sign-extended")
        XCTAssertEqual(c.x[Reg.s4], ~0, "divw looks at the low word of the divisor only: zero")
    }

    func testSignedOverflow() throws {
        let c = try RVInt.run("""
            div a2, a0, a1
            rem a3, a0, a1
            divu a4, a0, a1
            remu a5, a0, a1
            divw a6, t0, a1
            remw a7, t0, a1
            divuw s2, t0, a1
            remuw s3, t0, a1
            """, steps: 8, [Reg.a0: Self.int64Min, Reg.a1: ~0, Reg.t0: 0x5555_5555_8000_0000])
        XCTAssertEqual(c.x[Reg.a2], Self.int64Min, "INT64_MIN / -1 = INT64_MIN")
        XCTAssertEqual(c.x[Reg.a3], 0, "INT64_MIN % -1 = 0")
        XCTAssertEqual(c.x[Reg.a4], 0, "divu 2^63 / (2^64-1)")
        XCTAssertEqual(c.x[Reg.a5], Self.int64Min, "remu 2^63 % (2^64-1)")
        XCTAssertEqual(c.x[Reg.a6], 0xFFFF_FFFF_8000_0000, "divw INT32_MIN / -1 = INT32_MIN, sign-extended")
        XCTAssertEqual(c.x[Reg.a7], 0, "remw INT32_MIN % -1 = 0")
        XCTAssertEqual(c.x[Reg.s2], 0, "divuw 2^31 / (2^32-1)")
        XCTAssertEqual(c.x[Reg.s3], 0xFFFF_FFFF_8000_0000, "remuw 2^31 % (2^32-1), sign-extended")
    }

    func testOrdinaryDivisionTruncatesTowardZero() throws {
        let c = try RVInt.run("""
            div a2, a0, a1
            rem a3, a0, a1
            divu a4, a0, a1
            divw a5, a0, a1
            remw a6, a0, a1
            divuw a7, t0, a1
            remuw s2, t0, t1
            """, steps: 7, [Reg.a0: 0 &- 7, Reg.a1: 2, Reg.t0: 0xFFFF_FFFE, Reg.t1: 0xFFFF_FFFF])
        XCTAssertEqual(c.x[Reg.a2], 0 &- 3, "-7 / 2")
        XCTAssertEqual(c.x[Reg.a3], 0 &- 1, "-7 % 2 takes the dividend's sign")
        XCTAssertEqual(c.x[Reg.a4], (0 &- 7) / 2, "divu")
        XCTAssertEqual(c.x[Reg.a5], 0 &- 3, "divw -7 / 2")
        XCTAssertEqual(c.x[Reg.a6], 0 &- 1, "remw -7 % 2")
        XCTAssertEqual(c.x[Reg.a7], 0x7FFF_FFFF, "divuw 0xfffffffe / 2")
        XCTAssertEqual(c.x[Reg.s2], 0xFFFF_FFFF_FFFF_FFFE, "remuw 0xfffffffe % 0xffffffff, sign-extended")
    }

    func testMIsIllegalOnAHartWithoutM() throws {
        let p = RVHarness.profile(extensions: ["i", "a", "c", "zicsr"])
        let c = try RVInt.run("mul a0, a1, a2", profile: p, [Reg.a0: 0x5A5A, Reg.a1: 3, Reg.a2: 4])
        RVInt.assertTrapped(c, cause: 2, tval: 0x02C5_8533)
        XCTAssertEqual(c.x[Reg.a0], 0x5A5A)
    }
}
