import XCTest
@testable import Emulator

/// RV64I loads and stores: extension of the loaded value, the bytes a store writes,
/// misaligned and unmapped accesses.
final class RVLoadStoreTests: XCTestCase {
    func testLoadsSignOrZeroExtend() throws {
        let c = try RVInt.run("""
            sd a1, 0(a0)
            lb a2, 0(a0)
            lbu a3, 0(a0)
            lh a4, 0(a0)
            lhu a5, 0(a0)
            lw a6, 0(a0)
            lwu a7, 0(a0)
            ld s2, 0(a0)
            lw s3, 4(a0)
            """, steps: 9, [Reg.a0: RVInt.data, Reg.a1: 0x8081_8283_8485_8687])
        XCTAssertEqual(c.x[Reg.a2], 0xFFFF_FFFF_FFFF_FF87, "lb")
        XCTAssertEqual(c.x[Reg.a3], 0x87, "lbu")
        XCTAssertEqual(c.x[Reg.a4], 0xFFFF_FFFF_FFFF_8687, "lh")
        XCTAssertEqual(c.x[Reg.a5], 0x8687, "lhu")
        XCTAssertEqual(c.x[Reg.a6], 0xFFFF_FFFF_8485_8687, "lw")
        XCTAssertEqual(c.x[Reg.a7], 0x8485_8687, "lwu")
        XCTAssertEqual(c.x[Reg.s2], 0x8081_8283_8485_8687, "ld")
        XCTAssertEqual(c.x[Reg.s3], 0xFFFF_FFFF_8081_8283, "lw of the upper word (little-endian)")
    }

    func testPositiveValuesAndNegativeOffsets() throws {
        let c = try RVInt.run("""
            sd a1, -16(a0)
            lb a2, -16(a0)
            lh a3, -16(a0)
            lw a4, -16(a0)
            lb a5, -9(a0)
            lhu a6, -10(a0)
            """, steps: 6, [Reg.a0: RVInt.data + 16, Reg.a1: 0x7102_0304_0506_7F7F])
        XCTAssertEqual(c.x[Reg.a2], 0x7F, "lb of a positive byte")
        XCTAssertEqual(c.x[Reg.a3], 0x7F7F, "lh of a positive halfword")
        XCTAssertEqual(c.x[Reg.a4], 0x0506_7F7F, "lw of a positive word")
        XCTAssertEqual(c.x[Reg.a5], 0x71, "lb of byte 7")
        XCTAssertEqual(c.x[Reg.a6], 0x7102, "lhu of bytes 6–7")
    }

    func testStoresWriteOnlyTheirBytes() throws {
        let c = try RVInt.run("""
            sd a1, 0(a0)
            sb zero, 0(a0)
            sh zero, 2(a0)
            sw zero, 4(a0)
            ld a2, 0(a0)
            sb a3, 1(a0)
            sh a3, 2(a0)
            ld a4, 0(a0)
            sw a3, 4(a0)
            ld a5, 0(a0)
            sd a3, 8(a0)
            ld a6, 8(a0)
            """, steps: 12, [Reg.a0: RVInt.data, Reg.a1: ~0, Reg.a3: 0x1234_5678_9ABC_DE42])
        XCTAssertEqual(c.x[Reg.a2], 0x0000_0000_0000_FF00, "sb/sh/sw of zero clear bytes 0, 2–3, 4–7 only")
        XCTAssertEqual(c.x[Reg.a4], 0x0000_0000_DE42_4200, "sb writes the low byte, sh the low halfword")
        XCTAssertEqual(c.x[Reg.a5], 0x9ABC_DE42_DE42_4200, "sw writes the low word")
        XCTAssertEqual(c.x[Reg.a6], 0x1234_5678_9ABC_DE42, "sd")
    }

    func testMisalignedLoadTrapsWithoutWritingRd() throws {
        let c = try RVInt.run("lw a1, 0(a0)", [Reg.a0: RVInt.data + 2, Reg.a1: 0x5A5A])
        RVInt.assertTrapped(c, cause: 4, tval: RVInt.data + 2)
        XCTAssertEqual(c.x[Reg.a1], 0x5A5A, "rd keeps its value")

        let h = try RVInt.run("lh a1, 1(a0)", [Reg.a0: RVInt.data + 2, Reg.a1: 0x5A5A])
        RVInt.assertTrapped(h, cause: 4, tval: RVInt.data + 3)
        let d = try RVInt.run("ld a1, 4(a0)", [Reg.a0: RVInt.data, Reg.a1: 0x5A5A])
        RVInt.assertTrapped(d, cause: 4, tval: RVInt.data + 4)
        XCTAssertEqual(d.x[Reg.a1], 0x5A5A)
    }

    func testMisalignedStoreTraps() throws {
        let c = try RVInt.run("sw a1, 1(a0)\n", [Reg.a0: RVInt.data, Reg.a1: 0x5A5A])
        RVInt.assertTrapped(c, cause: 6, tval: RVInt.data + 1)
    }

    func testUnmappedAccessesFault() throws {
        let l = try RVInt.run("ld a1, 0(a0)", [Reg.a0: 0, Reg.a1: 0x5A5A])
        RVInt.assertTrapped(l, cause: 5, tval: 0)
        XCTAssertEqual(l.x[Reg.a1], 0x5A5A, "rd keeps its value")
        let s = try RVInt.run("sw a1, 8(a0)", [Reg.a0: 0, Reg.a1: 0x5A5A])
        RVInt.assertTrapped(s, cause: 7, tval: 8)
    }
}
