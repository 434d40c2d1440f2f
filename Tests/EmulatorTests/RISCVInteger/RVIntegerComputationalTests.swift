import XCTest
@testable import Emulator

/// RV64I computational instructions: W-form sign extension, shift amounts, comparisons,
/// LUI/AUIPC, the li/mv idioms and x0 as a destination.
final class RVIntegerComputationalTests: XCTestCase {
    func testWFormsSignExtendTheirResult() throws {
        let c = try RVInt.run("""
            addw a2, a0, a1
            addiw a3, a0, 1
            subw a4, a1, a0
            addw a5, a6, a7
            sext.w s2, t0
            sext.w s3, t1
            subw s4, t1, a1
            """, steps: 7, [Reg.a0: 0x7FFF_FFFF, Reg.a1: 1, Reg.a6: ~0, Reg.a7: 0x1234_5678_0000_0001,
                            Reg.t0: 0x0000_0000_8000_0000, Reg.t1: 0xFFFF_FFFF_7FFF_FFFF])
        XCTAssertEqual(c.x[Reg.a2], 0xFFFF_FFFF_8000_0000, "addw 0x7fffffff + 1 overflows to INT32_MIN")
        XCTAssertEqual(c.x[Reg.a3], 0xFFFF_FFFF_8000_0000, "addiw")
        XCTAssertEqual(c.x[Reg.a4], 0xFFFF_FFFF_8000_0002, "subw 1 - 0x7fffffff")
        XCTAssertEqual(c.x[Reg.a5], 0, "addw ignores the upper halves")
        XCTAssertEqual(c.x[Reg.s2], 0xFFFF_FFFF_8000_0000, "sext.w of 0x80000000")
        XCTAssertEqual(c.x[Reg.s3], 0x7FFF_FFFF, "sext.w drops set upper bits")
        XCTAssertEqual(c.x[Reg.s4], 0x7FFF_FFFE, "subw")
    }

    func testWShiftsUseTheLowFiveBits() throws {
        let c = try RVInt.run("""
            sllw a2, a0, a1
            sllw a3, a0, a4
            srlw a5, a0, a1
            srlw a6, a0, a4
            sraw a7, a0, a4
            sraw s2, a0, t0
            srliw s3, a0, 31
            sraiw s4, a0, 31
            slliw s5, a0, 31
            srlw s6, t1, t2
            """, steps: 10, [Reg.a0: 0x1234_5678_8000_0001, Reg.a1: 32, Reg.a4: 33, Reg.t0: 63,
                             Reg.t1: 0xFFFF_FFFF_0000_0010, Reg.t2: 4])
        XCTAssertEqual(c.x[Reg.a2], 0xFFFF_FFFF_8000_0001, "sllw by 32 shifts by 0")
        XCTAssertEqual(c.x[Reg.a3], 2, "sllw by 33 shifts by 1")
        XCTAssertEqual(c.x[Reg.a5], 0xFFFF_FFFF_8000_0001, "srlw by 32 shifts by 0, result sign-extended")
        XCTAssertEqual(c.x[Reg.a6], 0x4000_0000, "srlw by 33 shifts by 1")
        XCTAssertEqual(c.x[Reg.a7], 0xFFFF_FFFF_C000_0000, "sraw by 33 shifts by 1 from bit 31")
        XCTAssertEqual(c.x[Reg.s2], ~0, "sraw by 63 shifts by 31")
        XCTAssertEqual(c.x[Reg.s3], 1, "srliw")
        XCTAssertEqual(c.x[Reg.s4], ~0, "sraiw")
        XCTAssertEqual(c.x[Reg.s5], 0xFFFF_FFFF_8000_0000, "slliw")
        XCTAssertEqual(c.x[Reg.s6], 1, "srlw starts from the low word, not the 64-bit value")
    }

    func testSixtyFourBitShiftsUseTheLowSixBits() throws {
        let c = try RVInt.run("""
            sll a2, a0, a1
            sll a3, a0, a4
            srl a5, a0, a4
            sra a6, a0, a4
            sra a7, a0, a1
            srl s2, a0, t0
            slli s3, a0, 63
            srli s4, a0, 63
            srai s5, a0, 63
            srai s6, a0, 32
            """, steps: 10, [Reg.a0: 0x8000_0000_0000_0001, Reg.a1: 64, Reg.a4: 63, Reg.t0: 65])
        XCTAssertEqual(c.x[Reg.a2], 0x8000_0000_0000_0001, "sll by 64 shifts by 0")
        XCTAssertEqual(c.x[Reg.a3], 0x8000_0000_0000_0000, "sll by 63")
        XCTAssertEqual(c.x[Reg.a5], 1, "srl by 63")
        XCTAssertEqual(c.x[Reg.a6], ~0, "sra by 63")
        XCTAssertEqual(c.x[Reg.a7], 0x8000_0000_0000_0001, "sra by 64 shifts by 0")
        XCTAssertEqual(c.x[Reg.s2], 0x4000_0000_0000_0000, "srl by 65 shifts by 1")
        XCTAssertEqual(c.x[Reg.s3], 0x8000_0000_0000_0000, "slli 63")
        XCTAssertEqual(c.x[Reg.s4], 1, "srli 63")
        XCTAssertEqual(c.x[Reg.s5], ~0, "srai 63")
        XCTAssertEqual(c.x[Reg.s6], 0xFFFF_FFFF_8000_0000, "srai 32")
    }

    func testSetLessThanSignedAndUnsigned() throws {
        let c = try RVInt.run("""
            slt a2, a0, a1
            sltu a3, a0, a1
            slt a4, a1, a0
            sltu a5, a1, a0
            slti a6, a0, 0
            sltiu a7, a1, -1
            seqz s2, a1
            seqz s3, zero
            slt s4, a1, a1
            slti s5, a1, 2
            """, steps: 10, [Reg.a0: ~0, Reg.a1: 1])
        XCTAssertEqual(c.x[Reg.a2], 1, "slt -1 < 1")
        XCTAssertEqual(c.x[Reg.a3], 0, "sltu 0xfff… < 1")
        XCTAssertEqual(c.x[Reg.a4], 0, "slt 1 < -1")
        XCTAssertEqual(c.x[Reg.a5], 1, "sltu 1 < 0xfff…")
        XCTAssertEqual(c.x[Reg.a6], 1, "slti -1 < 0")
        XCTAssertEqual(c.x[Reg.a7], 1, "sltiu compares with the sign-extended immediate, unsigned")
        XCTAssertEqual(c.x[Reg.s2], 0, "seqz 1")
        XCTAssertEqual(c.x[Reg.s3], 1, "seqz 0")
        XCTAssertEqual(c.x[Reg.s4], 0, "slt x < x")
        XCTAssertEqual(c.x[Reg.s5], 1, "slti 1 < 2")
    }

    func testLuiAndAuipcSignExtend() throws {
        let c = try RVInt.run("""
            lui a0, 0x80000
            lui a1, 0x7ffff
            auipc a2, 0x80000
            auipc a3, 0xfffff
            auipc a4, 0
            lui a5, 0xfffff
            """, steps: 6)
        XCTAssertEqual(c.x[Reg.a0], 0xFFFF_FFFF_8000_0000, "lui 0x80000")
        XCTAssertEqual(c.x[Reg.a1], 0x7FFF_F000, "lui 0x7ffff")
        XCTAssertEqual(c.x[Reg.a2], 0x8000_0008 &- 0x8000_0000, "auipc 0x80000 at 0x80000008 adds -2^31")
        XCTAssertEqual(c.x[Reg.a3], 0x8000_000C &- 0x1000, "auipc 0xfffff adds -4096")
        XCTAssertEqual(c.x[Reg.a4], 0x8000_0010, "auipc 0 is the pc")
        XCTAssertEqual(c.x[Reg.a5], 0xFFFF_FFFF_FFFF_F000, "lui 0xfffff")
    }

    func testImmediatesLogicAndArithmetic() throws {
        let c = try RVInt.run("""
            li a0, -2048
            mv a1, a2
            addi a3, a2, 2047
            not a4, a2
            ori a5, a2, -16
            andi a6, a2, -16
            xori a7, a2, 0x7ff
            neg s2, a2
            add s3, a2, t0
            sub s4, zero, t0
            and s5, a2, t0
            or s6, a2, t0
            xor s7, a2, t0
            """, steps: 13, [Reg.a2: 0x0123_4567_89AB_CDEF, Reg.t0: 0xFFFF_0000_FFFF_0001])
        let v: UInt64 = 0x0123_4567_89AB_CDEF, t: UInt64 = 0xFFFF_0000_FFFF_0001
        XCTAssertEqual(c.x[Reg.a0], 0xFFFF_FFFF_FFFF_F800, "li -2048")
        XCTAssertEqual(c.x[Reg.a1], v, "mv")
        XCTAssertEqual(c.x[Reg.a3], v &+ 2047, "addi")
        XCTAssertEqual(c.x[Reg.a4], ~v, "xori -1")
        XCTAssertEqual(c.x[Reg.a5], v | 0xFFFF_FFFF_FFFF_FFF0, "ori with a negative immediate")
        XCTAssertEqual(c.x[Reg.a6], v & 0xFFFF_FFFF_FFFF_FFF0, "andi with a negative immediate")
        XCTAssertEqual(c.x[Reg.a7], v ^ 0x7FF, "xori")
        XCTAssertEqual(c.x[Reg.s2], 0 &- v, "neg")
        XCTAssertEqual(c.x[Reg.s3], v &+ t, "add wraps")
        XCTAssertEqual(c.x[Reg.s4], 0 &- t, "sub wraps")
        XCTAssertEqual(c.x[Reg.s5], v & t, "and")
        XCTAssertEqual(c.x[Reg.s6], v | t, "or")
        XCTAssertEqual(c.x[Reg.s7], v ^ t, "xor")
    }

    func testWritesToX0AreDiscarded() throws {
        let c = try RVInt.run("""
            addi zero, zero, 5
            add zero, a0, a0
            lui zero, 0x12345
            addw zero, a0, a0
            mv a1, zero
            add a2, zero, a0
            """, steps: 6, [Reg.a0: 21, Reg.a1: 99])
        XCTAssertEqual(c.x[0], 0)
        XCTAssertEqual(c.x[Reg.a1], 0, "x0 still reads as zero")
        XCTAssertEqual(c.x[Reg.a2], 21)
    }
}
