import XCTest
@testable import Emulator

/// Saturation and Q, the parallel add/subtract GE flags and SEL, extension with rotation,
/// packing, reversal, bit fields, division, and UNDEFINED encodings of the media space.
final class MediaTests: XCTestCase {
    func testQADDFamily() throws {
        var c = try DP.one("qadd r0, r1, r2", [1: 0x7FFF_FFFF, 2: 1])
        XCTAssertEqual(c.r[0], 0x7FFF_FFFF)
        XCTAssertTrue(c.flagQ)
        c = try DP.one("qsub r0, r1, r2", [1: 0x8000_0000, 2: 1])
        XCTAssertEqual(c.r[0], 0x8000_0000)
        XCTAssertTrue(c.flagQ)
        c = try DP.one("qadd r0, r1, r2", [1: 5, 2: 0xFFFF_FFFE])
        XCTAssertEqual(c.r[0], 3)
        XCTAssertFalse(c.flagQ)
        // QDSUB Rd, Rm, Rn = sat(Rm − sat(2 × Rn)): the doubling saturates.
        c = try DP.one("qdsub r0, r1, r2", [1: 0, 2: 0x4000_0000])
        XCTAssertEqual(c.r[0], 0x8000_0001)
        XCTAssertTrue(c.flagQ)
        c = try DP.one("qdadd r0, r1, r2", [1: 1, 2: 0x2000_0000])
        XCTAssertEqual(c.r[0], 0x4000_0001)
        XCTAssertFalse(c.flagQ)
    }

    func testQIsSticky() throws {
        let c = try DP.one("qadd r0, r1, r2", [1: 1, 2: 1]) { core in core.flagQ = true }
        XCTAssertTrue(c.flagQ)
        XCTAssertEqual(c.cpsr & (1 << 27), 1 << 27)
    }

    func testSSATUSAT() throws {
        var c = try DP.one("ssat r0, #8, r1", [1: 200])
        XCTAssertEqual(c.r[0], 127)
        XCTAssertTrue(c.flagQ)
        c = try DP.one("ssat r0, #8, r1", [1: 0xFFFF_FF00])
        XCTAssertEqual(c.r[0], 0xFFFF_FF80)
        XCTAssertTrue(c.flagQ)
        c = try DP.one("ssat r0, #16, r1, lsl #4", [1: 0x0000_0100])
        XCTAssertEqual(c.r[0], 0x1000)
        XCTAssertFalse(c.flagQ)
        c = try DP.one("usat r0, #8, r1, asr #1", [1: 0xFFFF_FFFC])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertTrue(c.flagQ)
        c = try DP.one("usat r0, #31, r1", [1: 0x8000_0000])
        XCTAssertEqual(c.r[0], 0)
        c = try DP.one("ssat r0, #32, r1, asr #32", [1: 0x8000_0000])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF, "ASR #32 fills with the sign")
        XCTAssertFalse(c.flagQ)
        c = try DP.one("usat r0, #0, r1", [1: 5])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertTrue(c.flagQ)
    }

    func testSSAT16USAT16() throws {
        var c = try DP.one("ssat16 r0, #4, r1", [1: 0x0010_FFF0])
        XCTAssertEqual(c.r[0], 0x0007_FFF8)
        XCTAssertTrue(c.flagQ)
        c = try DP.one("usat16 r0, #4, r1", [1: 0x0010_FFF0])
        XCTAssertEqual(c.r[0], 0x000F_0000)
        XCTAssertTrue(c.flagQ)
        c = try DP.one("ssat16 r0, #16, r1", [1: 0x8000_7FFF])
        XCTAssertEqual(c.r[0], 0x8000_7FFF)
        XCTAssertFalse(c.flagQ)
    }

    func testSADD16SetsGEAndSELUsesIt() throws {
        let c = try ARMHarness.exec("sadd16 r0, r1, r2\nsel r3, r4, r5", steps: 2) { core in
            core.r[1] = 0x7FFF_0001
            core.r[2] = 0x0001_FFFE
            core.r[4] = 0xAABB_CCDD
            core.r[5] = 0x1122_3344
        }
        XCTAssertEqual(c.r[0], 0x8000_FFFF)
        XCTAssertEqual(c.flagGE, 0b1100, "high sum 32768 ≥ 0, low sum −1 < 0")
        XCTAssertEqual(c.r[3], 0xAABB_3344)
        XCTAssertEqual(c.cpsr & 0x000F_0000, 0x000C_0000)
    }

    func testUnsignedGE() throws {
        var c = try DP.one("uadd8 r0, r1, r2", [1: 0xFF01_8000, 2: 0x0101_8000])
        XCTAssertEqual(c.r[0], 0x0002_0000)
        XCTAssertEqual(c.flagGE, 0b1010, "carry out of bytes 3 and 1")
        c = try DP.one("usub16 r0, r1, r2", [1: 0x0005_0003, 2: 0x0003_0005])
        XCTAssertEqual(c.r[0], 0x0002_FFFE)
        XCTAssertEqual(c.flagGE, 0b1100, "borrow in the low half")
        c = try DP.one("uasx r0, r1, r2", [1: 0xFFFF_0001, 2: 0x0002_0001])
        // low = 1 − 2 (borrow), high = 0xFFFF + 1 (carry)
        XCTAssertEqual(c.r[0], 0x0000_FFFF)
        XCTAssertEqual(c.flagGE, 0b1100)
        c = try DP.one("ssub8 r0, r1, r2", [1: 0x8000_0110, 2: 0x0100_0220])
        // −128 − 1 = −129 (kept: 0x7F, negative), 0 − 0, 1 − 2, 0x10 − 0x20
        XCTAssertEqual(c.r[0], 0x7F00_FFF0)
        XCTAssertEqual(c.flagGE, 0b0100)
    }

    func testSaturatingAndHalvingParallelLeaveGE() throws {
        var c = try DP.one("qadd16 r0, r1, r2", [1: 0x7FFF_8000, 2: 0x0001_FFFF]) { core in core.flagGE = 0b0101 }
        XCTAssertEqual(c.r[0], 0x7FFF_8000)
        XCTAssertEqual(c.flagGE, 0b0101)
        XCTAssertFalse(c.flagQ, "Q-prefixed parallel instructions do not set Q")
        c = try DP.one("uqsub8 r0, r1, r2", [1: 0x0510_FF00, 2: 0x0620_0001])
        XCTAssertEqual(c.r[0], 0x0000_FF00)
        c = try DP.one("shadd16 r0, r1, r2", [1: 0x7FFF_8000, 2: 0x7FFF_8000])
        XCTAssertEqual(c.r[0], 0x7FFF_8000)
        c = try DP.one("uhadd8 r0, r1, r2", [1: 0xFF03_0000, 2: 0xFF01_0000])
        XCTAssertEqual(c.r[0], 0xFF02_0000)
        c = try DP.one("uhsub16 r0, r1, r2", [1: 0x0000_0004, 2: 0x0002_0000])
        XCTAssertEqual(c.r[0], 0xFFFF_0002)
        c = try DP.one("shsax r0, r1, r2", [1: 0x0010_0020, 2: 0x0004_0006])
        // low = (0x20 + 0x4) / 2, high = (0x10 − 0x6) / 2
        XCTAssertEqual(c.r[0], 0x0005_0012)
    }

    func testUSAD8() throws {
        var c = try DP.one("usad8 r0, r1, r2", [1: 0x01FF_1005, 2: 0x0200_2005])
        XCTAssertEqual(c.r[0], 1 + 255 + 16 + 0)
        c = try DP.one("usada8 r0, r1, r2, r3", [1: 0x01FF_1005, 2: 0x0200_2005, 3: 1000])
        XCTAssertEqual(c.r[0], 1000 + 272)
    }

    func testExtendWithRotation() throws {
        var c = try DP.one("uxtab16 r0, r1, r2, ror #8", [1: 0x0001_FFFF, 2: 0x1122_3344])
        // ROR 8 = 0x44112233; bytes 0 and 2 = 0x33, 0x11; halfword adds wrap.
        XCTAssertEqual(c.r[0], 0x0012_0032)
        c = try DP.one("sxtab16 r0, r1, r2", [1: 0x0001_0001, 2: 0x0080_00FF])
        XCTAssertEqual(c.r[0], 0xFF81_0000)
        c = try DP.one("uxtb r0, r1, ror #24", [1: 0xAB00_0000])
        XCTAssertEqual(c.r[0], 0xAB)
        c = try DP.one("sxth r0, r1, ror #16", [1: 0x8001_0000])
        XCTAssertEqual(c.r[0], 0xFFFF_8001)
        c = try DP.one("sxtb r0, r1", [1: 0x0000_0080])
        XCTAssertEqual(c.r[0], 0xFFFF_FF80)
        c = try DP.one("uxth r0, r1", [1: 0x1234_5678])
        XCTAssertEqual(c.r[0], 0x5678)
        c = try DP.one("sxtah r0, r1, r2", [1: 10, 2: 0x0000_FFFF])
        XCTAssertEqual(c.r[0], 9)
        c = try DP.one("uxtb16 r0, r1, ror #16", [1: 0x1122_3344])
        XCTAssertEqual(c.r[0], 0x0044_0022)
    }

    func testPacking() throws {
        var c = try DP.one("pkhbt r0, r1, r2, lsl #8", [1: 0xAAAA_1234, 2: 0x00CD_EF00])
        XCTAssertEqual(c.r[0], 0xCDEF_1234)
        c = try DP.one("pkhtb r0, r1, r2, asr #16", [1: 0x1234_AAAA, 2: 0x8765_0000])
        XCTAssertEqual(c.r[0], 0x1234_8765)
        c = try DP.one("pkhtb r0, r1, r2, asr #32", [1: 0x1234_AAAA, 2: 0x8000_0000])
        XCTAssertEqual(c.r[0], 0x1234_FFFF)
    }

    func testReverseAndCLZ() throws {
        var c = try DP.one("rev r0, r1", [1: 0x1122_3344])
        XCTAssertEqual(c.r[0], 0x4433_2211)
        c = try DP.one("rev16 r0, r1", [1: 0x1122_3344])
        XCTAssertEqual(c.r[0], 0x2211_4433)
        c = try DP.one("revsh r0, r1", [1: 0x0000_0080])
        XCTAssertEqual(c.r[0], 0xFFFF_8000)
        c = try DP.one("rbit r0, r1", [1: 0x0000_0001])
        XCTAssertEqual(c.r[0], 0x8000_0000)
        c = try DP.one("rbit r0, r1", [1: 0x1234_5678])
        XCTAssertEqual(c.r[0], 0x1E6A_2C48)
        c = try DP.one("clz r0, r1", [1: 0])
        XCTAssertEqual(c.r[0], 32)
        c = try DP.one("clz r0, r1", [1: 0x0001_0000])
        XCTAssertEqual(c.r[0], 15)
    }

    func testBitFields() throws {
        var c = try DP.one("bfi r0, r1, #8, #4", [0: 0xFFFF_FFFF, 1: 0x0000_0005])
        XCTAssertEqual(c.r[0], 0xFFFF_F5FF)
        c = try DP.one("bfc r0, #4, #8", [0: 0xFFFF_FFFF])
        XCTAssertEqual(c.r[0], 0xFFFF_F00F)
        c = try DP.one("bfc r0, #0, #32", [0: 0xFFFF_FFFF])
        XCTAssertEqual(c.r[0], 0)
        c = try DP.one("bfi r0, r1, #0, #32", [0: 0, 1: 0xDEAD_BEEF])
        XCTAssertEqual(c.r[0], 0xDEAD_BEEF)
        c = try DP.one("ubfx r0, r1, #4, #8", [1: 0x1234_5678])
        XCTAssertEqual(c.r[0], 0x67)
        c = try DP.one("ubfx r0, r1, #0, #32", [1: 0x8765_4321])
        XCTAssertEqual(c.r[0], 0x8765_4321)
        c = try DP.one("sbfx r0, r1, #4, #8", [1: 0x0000_0F80])
        XCTAssertEqual(c.r[0], 0xFFFF_FFF8)
        c = try DP.one("sbfx r0, r1, #4, #8", [1: 0x0000_0770])
        XCTAssertEqual(c.r[0], 0x77)
        c = try DP.one("sbfx r0, r1, #31, #1", [1: 0x8000_0000])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF)
    }

    func testBitFieldUnpredictableIsUndefined() throws {
        // BFI r0, r1 with msb = 3 < lsb = 8.
        DP.assertUndefined(try DP.one(".word 0xE7C30411"))
        // UBFX r0, r1, #24, #16 (lsb + width > 32).
        DP.assertUndefined(try DP.one(".word 0xE7EF0C51"))
    }

    func testDivide() throws {
        var c = try DP.one("sdiv r0, r1, r2", [1: 0x8000_0000, 2: 0xFFFF_FFFF])
        XCTAssertEqual(c.r[0], 0x8000_0000, "INT_MIN / −1 = INT_MIN")
        c = try DP.one("sdiv r0, r1, r2", [0: 0x1234, 1: 7, 2: 0])
        XCTAssertEqual(c.r[0], 0, "divide by zero gives 0 in ARMv7-A")
        XCTAssertEqual(c.mode, .svc)
        c = try DP.one("sdiv r0, r1, r2", [1: UInt32(bitPattern: -7), 2: 2])
        XCTAssertEqual(c.r[0], UInt32(bitPattern: -3), "rounds towards zero")
        c = try DP.one("udiv r0, r1, r2", [0: 0x1234, 1: 7, 2: 0])
        XCTAssertEqual(c.r[0], 0)
        c = try DP.one("udiv r0, r1, r2", [1: 0xFFFF_FFFF, 2: 2])
        XCTAssertEqual(c.r[0], 0x7FFF_FFFF)
    }

    func testDivideWithoutTheFeatureIsUndefined() throws {
        let words = try ARMHarness.assemble("sdiv r0, r1, r2")
        let (m, core) = try DP.run(words, steps: 1, profile: { $0.features.integerDivide = false }) { core in
            core.r[0] = 0x1234
            core.r[1] = 10
            core.r[2] = 2
        }
        withExtendedLifetime(m) {
            DP.assertUndefined(core)
            XCTAssertEqual(core.r[0], 0x1234)
        }
    }

    func testUndefinedMediaEncodings() throws {
        // Parallel add/subtract with op1 = 00 and with op2 = 101: UNDEFINED (A5.4.1).
        DP.assertUndefined(try DP.one(".word 0xE6012F11"))
        DP.assertUndefined(try DP.one(".word 0xE6112FB2"))
        // QADD with Rd = PC: UNPREDICTABLE, UNDEFINED in hetboot.
        DP.assertUndefined(try DP.one(".word 0xE102F051"))
    }
}
