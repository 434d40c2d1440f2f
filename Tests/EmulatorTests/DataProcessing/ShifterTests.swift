import XCTest
@testable import Emulator

/// The carry out of the barrel shifter (ARM ARM A8.4.3 Shift_C, A5.2.4 ARMExpandImm_C) as
/// the logical S instructions see it.
final class ShifterTests: XCTestCase {
    func testLSLZeroKeepsCarry() throws {
        var c = try DP.one("movs r0, r1", flags: "nzCv", [1: 0x8000_0000])
        XCTAssertEqual(c.r[0], 0x8000_0000)
        XCTAssertEqual(DP.nzcv(c), "NzCv")
        c = try DP.one("movs r0, r1, lsl #0", flags: "nzcV", [1: 0xFFFF_FFFF])
        XCTAssertEqual(DP.nzcv(c), "NzcV", "C stays clear, V is never touched by a logical op")
    }

    func testLSLImmediateCarryIsLastBitOut() throws {
        let c = try DP.one("movs r0, r1, lsl #1", [1: 0x8000_0001])
        XCTAssertEqual(c.r[0], 2)
        XCTAssertEqual(DP.nzcv(c), "nzCv")
    }

    func testLSR32() throws {
        // LSR #32 is encoded as LSR #0: result 0, C = bit 31.
        let c = try DP.one("movs r0, r1, lsr #32", [1: 0x8000_0000])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(DP.nzcv(c), "nZCv")
        let d = try DP.one("movs r0, r1, lsr #32", flags: "nzCv", [1: 0x7FFF_FFFF])
        XCTAssertEqual(DP.nzcv(d), "nZcv")
    }

    func testASR32() throws {
        let c = try DP.one("movs r0, r1, asr #32", [1: 0x8000_0000])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF)
        XCTAssertEqual(DP.nzcv(c), "NzCv")
        let d = try DP.one("movs r0, r1, asr #32", flags: "nzCv", [1: 0x7FFF_FFFF])
        XCTAssertEqual(d.r[0], 0)
        XCTAssertEqual(DP.nzcv(d), "nZcv")
        // Without S, the value path must give the same sign fill.
        let e = try DP.one("add r0, r2, r1, asr #32", [1: 0x8000_0000, 2: 5])
        XCTAssertEqual(e.r[0], 4)
    }

    func testRRX() throws {
        let c = try DP.one("movs r0, r1, rrx", flags: "nzCv", [1: 0x0000_0003])
        XCTAssertEqual(c.r[0], 0x8000_0001)
        XCTAssertEqual(DP.nzcv(c), "NzCv")
        let d = try DP.one("movs r0, r1, rrx", [1: 0x0000_0002])
        XCTAssertEqual(d.r[0], 1)
        XCTAssertEqual(DP.nzcv(d), "nzcv")
        // RRX without S feeds C in, too.
        let e = try DP.one("orr r0, r2, r1, rrx", flags: "nzCv", [1: 0, 2: 1])
        XCTAssertEqual(e.r[0], 0x8000_0001)
    }

    func testRORImmediateCarry() throws {
        let c = try DP.one("movs r0, r1, ror #4", [1: 0x0000_0018])
        XCTAssertEqual(c.r[0], 0x8000_0001)
        XCTAssertEqual(DP.nzcv(c), "NzCv")
    }

    func testRegisterShiftByZeroKeepsValueAndCarry() throws {
        for shift in ["lsl", "lsr", "asr", "ror"] {
            let c = try DP.one("movs r0, r1, \(shift) r2", flags: "nzCv", [1: 0x8000_0001, 2: 0])
            XCTAssertEqual(c.r[0], 0x8000_0001, shift)
            XCTAssertEqual(DP.nzcv(c), "NzCv", shift)
        }
    }

    func testRegisterShiftUsesBottomByteOnly() throws {
        // 256 has a zero bottom byte: a shift by 0.
        let c = try DP.one("movs r0, r1, lsl r2", flags: "nzCv", [1: 0x1234, 2: 256])
        XCTAssertEqual(c.r[0], 0x1234)
        XCTAssertEqual(DP.nzcv(c), "nzCv")
        let d = try DP.one("movs r0, r1, lsl r2", [1: 0x1234, 2: 0x104])
        XCTAssertEqual(d.r[0], 0x12340)
    }

    func testRegisterShiftBy32() throws {
        var c = try DP.one("movs r0, r1, lsl r2", [1: 0x0000_0001, 2: 32])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(DP.nzcv(c), "nZCv", "LSL 32: C = bit 0")
        c = try DP.one("movs r0, r1, lsr r2", [1: 0x8000_0000, 2: 32])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(DP.nzcv(c), "nZCv", "LSR 32: C = bit 31")
        c = try DP.one("movs r0, r1, asr r2", [1: 0x8000_0000, 2: 32])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF)
        XCTAssertEqual(DP.nzcv(c), "NzCv")
        c = try DP.one("movs r0, r1, ror r2", [1: 0x8000_0001, 2: 32])
        XCTAssertEqual(c.r[0], 0x8000_0001, "ROR 32: value unchanged")
        XCTAssertEqual(DP.nzcv(c), "NzCv", "ROR 32: C = bit 31")
    }

    func testRegisterShiftBy33() throws {
        var c = try DP.one("movs r0, r1, lsl r2", flags: "nzCv", [1: 0xFFFF_FFFF, 2: 33])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(DP.nzcv(c), "nZcv")
        c = try DP.one("movs r0, r1, lsr r2", flags: "nzCv", [1: 0xFFFF_FFFF, 2: 33])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(DP.nzcv(c), "nZcv")
        c = try DP.one("movs r0, r1, asr r2", [1: 0x8000_0000, 2: 33])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF)
        XCTAssertEqual(DP.nzcv(c), "NzCv")
        c = try DP.one("movs r0, r1, ror r2", [1: 0x0000_0003, 2: 33])
        XCTAssertEqual(c.r[0], 0x8000_0001, "ROR 33 = ROR 1")
        XCTAssertEqual(DP.nzcv(c), "NzCv")
    }

    func testRegisterShiftedArithmetic() throws {
        let c = try DP.one("adds r0, r3, r1, lsr r2", [1: 0x100, 2: 4, 3: 0xFFFF_FFF0])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(DP.nzcv(c), "nZCv")
    }

    func testImmediateRotationCarry() throws {
        // 0x80000000 is 0x02 ROR 2: rotation ≠ 0, C = bit 31.
        var c = try DP.one("movs r0, #0x80000000")
        XCTAssertEqual(c.r[0], 0x8000_0000)
        XCTAssertEqual(DP.nzcv(c), "NzCv")
        // 0x00FF0000 (0xFF ROR 16): C = 0.
        c = try DP.one("ands r0, r1, #0x00FF0000", flags: "nzCv", [1: 0x0012_3456])
        XCTAssertEqual(c.r[0], 0x0012_0000)
        XCTAssertEqual(DP.nzcv(c), "nzcv")
        // 0xFF has rotation 0: C unchanged.
        c = try DP.one("tst r1, #0xFF", flags: "nzCv", [1: 0x100])
        XCTAssertEqual(DP.nzcv(c), "nZCv")
        c = try DP.one("mvns r0, #0", flags: "nzcv")
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF)
        XCTAssertEqual(DP.nzcv(c), "Nzcv")
    }

    func testLogicalRegisterForms() throws {
        var c = try DP.one("bics r0, r1, r2, lsl #4", [1: 0xFFFF_FFFF, 2: 0xF000_000F])
        XCTAssertEqual(c.r[0], 0xFFFF_FF0F)
        XCTAssertEqual(DP.nzcv(c), "NzCv", "C = bit 28 of Rm, the last one shifted out")
        c = try DP.one("teq r1, r2", flags: "nzCV", [1: 0x55, 2: 0x55])
        XCTAssertEqual(DP.nzcv(c), "nZCV")
        c = try DP.one("eor r0, r1, r2, lsr #1", [1: 0xF0, 2: 0x1E])
        XCTAssertEqual(c.r[0], 0xFF)
    }
}
