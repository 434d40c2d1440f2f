import XCTest
@testable import Emulator

/// Compressed instructions executing through the groups they expand to (integer, load/store,
/// branch): immediates with their signs, W-form sign extension, 64-bit shift amounts, link
/// values of pc + 2, and HINTs as no-ops. Skipped when those groups are not built in (the
/// atomic/compressed scratch package).
final class RVCompressedExecutionTests: XCTestCase {
    private let sp0 = RVHarness.ramBase + 0x8_0000
    private let ra = 1, sp = 2, s0 = 8, s1 = 9, a0 = 10, a1 = 11, a2 = 12, a5 = 15

    override func setUpWithError() throws {
        try XCTSkipUnless(RVDecoder.decode32(0x0000_0013).group == .integer      // addi x0, x0, 0
            && RVDecoder.decode32(0x0000_3003).group == .loadStore               // ld x0, 0(x0)
            && RVDecoder.decode32(0x0000_006F).group == .branch,                 // jal x0, 0
            "the integer, load/store and branch groups are not built in")
    }

    private func run(_ source: String, steps: UInt64, _ registers: [Int: UInt64] = [:]) throws -> RISCVCore {
        let core = try RVHarness.exec(source, steps: steps) { core in
            for (r, v) in registers { core.x[r] = v }
        }
        XCTAssertEqual(core.csr.mcause, 0, "no trap expected")
        return core
    }

    func testStackPointerAdjustments() throws {
        let core = try run("c.addi16sp sp, -512\nc.addi16sp sp, 496\nc.addi4spn a0, sp, 1020", steps: 3)
        XCTAssertEqual(core.x[sp], sp0 - 16)
        XCTAssertEqual(core.x[a0], sp0 - 16 + 1020)
        XCTAssertEqual(core.pc, RVHarness.ramBase + 4, "three 2-byte instructions")
    }

    func testImmediatesAreSignExtended() throws {
        let core = try run("c.lui a0, 0xfffe0\nc.lui a1, 1\nc.li a2, -32\nc.addi a5, -1\nc.andi s0, -32", steps: 5,
                           [a5: 0, s0: 0xFF])
        XCTAssertEqual(core.x[a0], 0xFFFF_FFFF_FFFE_0000)
        XCTAssertEqual(core.x[a1], 0x1000)
        XCTAssertEqual(core.x[a2], 0xFFFF_FFFF_FFFF_FFE0)
        XCTAssertEqual(core.x[a5], .max)
        XCTAssertEqual(core.x[s0], 0xE0)
    }

    func testWordFormsSignExtend() throws {
        let core = try run("c.addiw a0, 1\nc.addiw a1, 0\nc.addw a2, s0\nc.subw s1, a5", steps: 4,
                           [a0: 0x7FFF_FFFF, a1: 0x1_8000_0000, a2: 0x7FFF_FFFF, s0: 1, s1: 0, a5: 1])
        XCTAssertEqual(core.x[a0], 0xFFFF_FFFF_8000_0000)
        XCTAssertEqual(core.x[a1], 0xFFFF_FFFF_8000_0000, "c.addiw rd, 0 is sext.w")
        XCTAssertEqual(core.x[a2], 0xFFFF_FFFF_8000_0000)
        XCTAssertEqual(core.x[s1], .max)
    }

    func testShiftsUseSixBitAmounts() throws {
        let core = try run("c.srai a0, 63\nc.srli a1, 32\nc.slli a2, 63", steps: 3,
                           [a0: 0x8000_0000_0000_0000, a1: 0xFFFF_0000_0000_0000, a2: 1])
        XCTAssertEqual(core.x[a0], .max)
        XCTAssertEqual(core.x[a1], 0xFFFF_0000)
        XCTAssertEqual(core.x[a2], 0x8000_0000_0000_0000)
    }

    func testRegisterForms() throws {
        let core = try run("c.mv a0, a1\nc.add a0, a1\nc.sub s0, a5\nc.xor s1, a5\nc.or a2, a5\nc.and a5, s1", steps: 6,
                           [a1: 21, s0: 10, s1: 0b1100, a2: 0b1000, a5: 0b1010])
        XCTAssertEqual(core.x[a0], 42)
        XCTAssertEqual(core.x[s0], 0)
        XCTAssertEqual(core.x[s1], 0b0110)
        XCTAssertEqual(core.x[a2], 0b1010)
        XCTAssertEqual(core.x[a5], 0b0010)
    }

    func testStackLoadsAndStores() throws {
        let core = try run("""
            c.sdsp a0, 504(sp)
            c.ldsp a1, 504(sp)
            c.swsp a5, 252(sp)
            c.lwsp a2, 252(sp)
            """, steps: 4, [a0: 0x1122_3344_5566_7788, a5: 0x8000_0000])
        XCTAssertEqual(core.x[a1], 0x1122_3344_5566_7788)
        XCTAssertEqual(core.x[a2], 0xFFFF_FFFF_8000_0000, "c.lwsp sign-extends")
        XCTAssertEqual(core.load(sp0 + 504, size: 8), 0x1122_3344_5566_7788)
        XCTAssertEqual(core.load(sp0 + 252, size: 4), 0x8000_0000)
    }

    func testRegisterBasedLoadsAndStores() throws {
        let base = RVHarness.ramBase + 0x2000
        let core = try run("c.sd a0, 248(s0)\nc.ld a1, 248(s0)\nc.sw a5, 124(s0)\nc.lw a2, 124(s0)", steps: 4,
                           [s0: base, a0: 0xA5A5_0000_0000_5A5A, a5: 0xFFFF_FFFF])
        XCTAssertEqual(core.x[a1], 0xA5A5_0000_0000_5A5A)
        XCTAssertEqual(core.x[a2], .max)
        XCTAssertEqual(core.load(base + 248, size: 8), 0xA5A5_0000_0000_5A5A)
    }

    func testJumpAndBranches() throws {
        let core = try run("""
            c.j 1f
            c.li a0, 1
            1: c.beqz a1, 2f
            c.li a0, 2
            2: c.bnez a1, 3f
            c.li a2, 3
            3: c.li a5, 4
            """, steps: 5, [a1: 0])
        XCTAssertEqual(core.x[a0], 0, "skipped by c.j and the taken c.beqz")
        XCTAssertEqual(core.x[a2], 3, "c.bnez not taken")
        XCTAssertEqual(core.x[a5], 4)
    }

    func testBackwardBranchLoop() throws {
        let core = try run("c.li a0, 3\n1: c.addi a0, -1\nc.bnez a0, 1b", steps: 7)
        XCTAssertEqual(core.x[a0], 0)
        XCTAssertEqual(core.pc, RVHarness.ramBase + 4)
        XCTAssertEqual(core.nextPC, RVHarness.ramBase + 6)
    }

    func testJalrLinksToTheNextHalfword() throws {
        let core = try run("c.jalr a5\nc.li a0, 1\nc.li a1, 7\nc.jr ra", steps: 3, [a5: RVHarness.ramBase + 4])
        XCTAssertEqual(core.x[ra], RVHarness.ramBase + 2)
        XCTAssertEqual(core.x[a1], 7)
        XCTAssertEqual(core.nextPC, RVHarness.ramBase + 2, "c.jr ra returns to the instruction after c.jalr")
        XCTAssertEqual(core.x[a0], 0)
    }

    func testHintsChangeNothing() throws {
        // c.nop 1, c.li x0, 5, c.mv x0, a0, c.lui x0, 1, c.add x0, a0, c.slli x0, 1, c.addi a1, 0
        let core = try run("""
            .2byte 0x0005
            .2byte 0x4015
            .2byte 0x802A
            .2byte 0x6005
            .2byte 0x902A
            .2byte 0x0006
            .2byte 0x0581
            """, steps: 7, [a0: 99, a1: 5])
        XCTAssertEqual(core.x[0], 0)
        XCTAssertEqual(core.x[a0], 99)
        XCTAssertEqual(core.x[a1], 5)
        XCTAssertEqual(core.pc, RVHarness.ramBase + 12)
    }

    func testMixedWidthsShareTheInstructionStream() throws {
        let core = try run("""
            .option norvc
            addi a0, zero, 5
            .option rvc
            c.addi a0, 1
            .option norvc
            add a1, a0, a0
            """, steps: 3)
        XCTAssertEqual(core.x[a1], 12)
        XCTAssertEqual(core.pc, RVHarness.ramBase + 6, "the 32-bit add sits at a 2-byte boundary")
    }
}
