import XCTest
@testable import Emulator

/// The multiplies (ARM ARM A8.8): flag rules of MULS/UMULLS, the 64-bit forms, the Q flag of
/// the accumulating halfword and dual multiplies, SMMUL rounding.
final class MultiplyTests: XCTestCase {
    func testMULSSetsOnlyNZ() throws {
        var c = try DP.one("muls r0, r1, r2", flags: "nzCV", [1: 0x8000_0000, 2: 2])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(DP.nzcv(c), "nZCV", "C and V unchanged in ARMv7")
        c = try DP.one("mla r0, r1, r2, r3", [1: 3, 2: 4, 3: 5])
        XCTAssertEqual(c.r[0], 17)
        c = try DP.one("mls r0, r1, r2, r3", [1: 3, 2: 4, 3: 5])
        XCTAssertEqual(c.r[0], 0xFFFF_FFF9)
        c = try DP.one("mlas r0, r1, r2, r3", flags: "nzcV", [1: 0xFFFF_FFFF, 2: 1, 3: 0])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF)
        XCTAssertEqual(DP.nzcv(c), "NzcV")
    }

    func testLongMultiplies() throws {
        var c = try DP.one("umull r0, r1, r2, r3", [2: 0xFFFF_FFFF, 3: 0xFFFF_FFFF])
        XCTAssertEqual(c.r[0], 0x0000_0001)
        XCTAssertEqual(c.r[1], 0xFFFF_FFFE)
        c = try DP.one("smull r0, r1, r2, r3", [2: 0xFFFF_FFFF, 3: 2])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFE)
        XCTAssertEqual(c.r[1], 0xFFFF_FFFF)
        c = try DP.one("smlals r0, r1, r2, r3", flags: "nzCV", [0: 2, 1: 0, 2: 0xFFFF_FFFF, 3: 2])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(c.r[1], 0)
        XCTAssertEqual(DP.nzcv(c), "nZCV")
        c = try DP.one("umlals r0, r1, r2, r3", [0: 0xFFFF_FFFF, 1: 0x7FFF_FFFF, 2: 1, 3: 1])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(c.r[1], 0x8000_0000)
        XCTAssertEqual(DP.nzcv(c), "Nzcv")
    }

    func testUMAAL() throws {
        // The largest case: (2^32−1)² + 2(2^32−1) = 2^64 − 1, no wrap.
        var c = try DP.one("umaal r0, r1, r2, r3", [0: 0xFFFF_FFFF, 1: 0xFFFF_FFFF, 2: 0xFFFF_FFFF, 3: 0xFFFF_FFFF])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF)
        XCTAssertEqual(c.r[1], 0xFFFF_FFFF)
        c = try DP.one("umaal r0, r1, r2, r3", [0: 1, 1: 2, 2: 0x10000, 3: 0x10000])
        XCTAssertEqual(c.r[0], 3)
        XCTAssertEqual(c.r[1], 1)
    }

    func testSMLABBSetsQOnOverflow() throws {
        var c = try DP.one("smlabb r0, r1, r2, r3", [1: 0x0000_7FFF, 2: 0x0000_7FFF, 3: 0x7FFF_FFFF])
        XCTAssertEqual(c.r[0], 0xBFFF_0000)
        XCTAssertTrue(c.flagQ)
        c = try DP.one("smlabb r0, r1, r2, r3", [1: 0x0000_7FFF, 2: 0x0000_7FFF, 3: 1])
        XCTAssertEqual(c.r[0], 0x3FFF_0002)
        XCTAssertFalse(c.flagQ)
        c = try DP.one("smlatb r0, r1, r2, r3", [1: 0xFFFF_0000, 2: 0x0000_0003, 3: 10])
        XCTAssertEqual(c.r[0], 7, "top half of Rn is −1")
        c = try DP.one("smulbt r0, r1, r2", [1: 0x0000_8000, 2: 0x8000_0000])
        XCTAssertEqual(c.r[0], 0x4000_0000)
        XCTAssertFalse(c.flagQ, "SMUL<x><y> never sets Q")
    }

    func testSMLAWAndSMULW() throws {
        var c = try DP.one("smulwb r0, r1, r2", [1: 0x8000_0000, 2: 0x0000_0002])
        XCTAssertEqual(c.r[0], 0xFFFF_0000, "(−2^31 × 2) >> 16")
        c = try DP.one("smlawt r0, r1, r2, r3", [1: 0x7FFF_FFFF, 2: 0x7FFF_0000, 3: 0x7FFF_FFFF])
        XCTAssertTrue(c.flagQ)
        c = try DP.one("smlawb r0, r1, r2, r3", [1: 0x0001_0000, 2: 0x0000_0005, 3: 1])
        XCTAssertEqual(c.r[0], 6)
        XCTAssertFalse(c.flagQ)
    }

    func testSMLALxy() throws {
        let c = try DP.one("smlalbb r0, r1, r2, r3", [0: 0, 1: 0, 2: 0xFFFF, 3: 5])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFB)
        XCTAssertEqual(c.r[1], 0xFFFF_FFFF)
    }

    func testDualMultiplies() throws {
        // SMUAD: 0x8000 × 0x8000 twice = 2^31: overflows, sets Q.
        var c = try DP.one("smuad r0, r1, r2", [1: 0x8000_8000, 2: 0x8000_8000])
        XCTAssertEqual(c.r[0], 0x8000_0000)
        XCTAssertTrue(c.flagQ)
        c = try DP.one("smladx r0, r1, r2, r3", [1: 0x0002_0003, 2: 0x0005_0007, 3: 100])
        XCTAssertEqual(c.r[0], 100 + 3 * 5 + 2 * 7)
        XCTAssertFalse(c.flagQ)
        c = try DP.one("smusd r0, r1, r2", [1: 0x0002_0003, 2: 0x0005_0007])
        XCTAssertEqual(c.r[0], UInt32(bitPattern: 3 * 7 - 2 * 5))
        c = try DP.one("smlsd r0, r1, r2, r3", [1: 0x8000_0001, 2: 0x8000_0001, 3: 0])
        XCTAssertEqual(c.r[0], UInt32(bitPattern: 1 - (1 << 30)))
    }

    func testSMLALD() throws {
        // 2^30 + 2^30 = 2^31 fits the 64-bit accumulation.
        var c = try DP.one("smlald r0, r1, r2, r3", [0: 1, 1: 0, 2: 0x8000_8000, 3: 0x8000_8000])
        XCTAssertEqual(c.r[0], 0x8000_0001)
        XCTAssertEqual(c.r[1], 0)
        XCTAssertFalse(c.flagQ)
        c = try DP.one("smlsldx r0, r1, r2, r3", [0: 0, 1: 0, 2: 0x0001_0002, 3: 0x0003_0004])
        // X: Rm = 0x00040003; 2 × 3 − 1 × 4 = 2
        XCTAssertEqual(c.r[0], 2)
        XCTAssertEqual(c.r[1], 0)
        c = try DP.one("smlald r0, r1, r2, r3", [0: 0xFFFF_FFFF, 1: 0, 2: 0x0000_0001, 3: 0x0000_0001])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(c.r[1], 1, "carry into RdHi")
    }

    func testSMMULRounding() throws {
        // 0x40000000 × 3 = 0x0_C0000000: high word 0, low word ≥ 0x80000000 rounds up.
        var c = try DP.one("smmul r0, r1, r2", [1: 0x4000_0000, 2: 3])
        XCTAssertEqual(c.r[0], 0)
        c = try DP.one("smmulr r0, r1, r2", [1: 0x4000_0000, 2: 3])
        XCTAssertEqual(c.r[0], 1)
        c = try DP.one("smmulr r0, r1, r2", [1: 0x4000_0000, 2: 1])
        XCTAssertEqual(c.r[0], 0, "0x40000000 < 0x80000000 does not round up")
        c = try DP.one("smmul r0, r1, r2", [1: 0xFFFF_FFFF, 2: 1])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF, "−1 × 1: high word of a negative product")
        c = try DP.one("smmla r0, r1, r2, r3", [1: 0x4000_0000, 2: 4, 3: 10])
        XCTAssertEqual(c.r[0], 11)
        c = try DP.one("smmlsr r0, r1, r2, r3", [1: 0x4000_0000, 2: 3, 3: 10])
        // (10 << 32) − 0xC0000000 = 0x9_40000000; + 0x80000000 = 0x9_C0000000
        XCTAssertEqual(c.r[0], 9)
    }

    func testPCOperandIsUndefined() throws {
        // MUL PC, R1, R2: UNPREDICTABLE, UNDEFINED in hetboot.
        let c = try DP.one(".word 0xE00F0291")
        DP.assertUndefined(c)
        // UMULL with RdHi = RdLo: UNPREDICTABLE, UNDEFINED in hetboot.
        let d = try DP.one(".word 0xE0811392")
        DP.assertUndefined(d)
        // Multiply op 0101: UNDEFINED (A5.2.5).
        let e = try DP.one(".word 0xE0510293")
        DP.assertUndefined(e)
    }
}
