import XCTest
@testable import Emulator

/// JAL, JALR and the conditional branches: link values, JALR's bit 0, each condition's
/// signedness, and the instruction-address-misaligned exception on a hart without C.
final class RVBranchTests: XCTestCase {
    /// A hart without C: IALIGN = 32.
    static let noC = RVHarness.profile(extensions: ["i", "m", "a", "zicsr"])
    static let base = RVHarness.ramBase

    func testJalLinksTheNextInstruction() throws {
        let c = try RVInt.run("jal ra, 1f\nnop\n1: nop")
        XCTAssertEqual(c.x[Reg.ra], Self.base + 4)
        XCTAssertEqual(c.nextPC, Self.base + 8)

        let back = try RVInt.run("1: nop\njal a0, 1b", steps: 2)
        XCTAssertEqual(back.x[Reg.a0], Self.base + 8)
        XCTAssertEqual(back.nextPC, Self.base, "backward offset")
    }

    func testJalrClearsBitZeroAndReadsRs1BeforeLinking() throws {
        let c = try RVInt.run("jalr a0, 5(a0)", [Reg.a0: Self.base + 0x200])
        XCTAssertEqual(c.nextPC, Self.base + 0x204, "(0x80000200 + 5) & ~1")
        XCTAssertEqual(c.x[Reg.a0], Self.base + 4, "rd = rs1: the link wins, the target used the old value")

        let odd = try RVInt.run("jalr ra, -1(a1)", [Reg.a1: Self.base + 0x302])
        XCTAssertEqual(odd.nextPC, Self.base + 0x300)
        XCTAssertEqual(odd.x[Reg.ra], Self.base + 4)
    }

    func testConditionalBranches() throws {
        // a0 = −1, a1 = 1, a2 = −1. Each case writes 1 to its own register when NOT taken.
        let cases: [(String, Bool)] = [
            ("beq a0, a2", true), ("beq a0, a1", false), ("bne a0, a1", true), ("bne a0, a2", false),
            ("blt a0, a1", true), ("blt a1, a0", false), ("blt a0, a2", false),
            ("bge a1, a0", true), ("bge a0, a1", false), ("bge a0, a2", true),
            ("bltu a1, a0", true), ("bltu a0, a1", false), ("bltu a0, a2", false),
            ("bgeu a0, a1", true), ("bgeu a1, a0", false), ("bgeu a0, a2", true),
        ]
        let flags = [5, 6, 7, 28, 29, 30, 31, 18, 19, 20, 21, 22, 23, 24, 25, 26]   // t0–t6, s2–s10
        var source = ""
        for (i, (branch, _)) in cases.enumerated() {
            source += "\(branch), 1f\nli x\(flags[i]), 1\n1:\n"
        }
        source += "j ."
        let c = try RVInt.run(source, steps: 64, [Reg.a0: ~0, Reg.a1: 1, Reg.a2: ~0])
        for (i, (branch, taken)) in cases.enumerated() {
            XCTAssertEqual(c.x[flags[i]], taken ? 0 : 1, "\(branch) should \(taken ? "" : "not ")be taken")
        }
        XCTAssertEqual(c.csr.mcause, RVInt.noCause, "no trap")
    }

    func testTakenBranchToMisalignedTargetTrapsWithoutC() throws {
        // beq x0, x0, .+6 — the assembler would refuse a misaligned label.
        XCTAssertEqual(RVDecoder.encodingName(0x0000_0363), "beq")
        XCTAssertEqual(RVDecoder.decode32(0x0000_0363).imm, 6)
        let c = try RVInt.run(".word 0x00000363", march: "rv64ima", profile: Self.noC)
        RVInt.assertTrapped(c, cause: 0, tval: Self.base + 6)

        // Not taken (bne x0, x0, .+6): no exception.
        let n = try RVInt.run(".word 0x00001363", march: "rv64ima", profile: Self.noC)
        XCTAssertEqual(n.nextPC, Self.base + 4)
        XCTAssertEqual(n.csr.mcause, RVInt.noCause)
    }

    func testMisalignedJumpsTrapWithoutWritingTheLink() throws {
        // jal ra, .+6
        XCTAssertEqual(RVDecoder.encodingName(0x0060_00EF), "jal")
        XCTAssertEqual(RVDecoder.decode32(0x0060_00EF).imm, 6)
        let jal = try RVInt.run(".word 0x006000ef", march: "rv64ima", profile: Self.noC, [Reg.ra: 0x5A5A])
        RVInt.assertTrapped(jal, cause: 0, tval: Self.base + 6)
        XCTAssertEqual(jal.x[Reg.ra], 0x5A5A, "ra not written")

        let jalr = try RVInt.run("jalr ra, 0(a0)", march: "rv64ima", profile: Self.noC,
                                 [Reg.a0: Self.base + 0x102, Reg.ra: 0x5A5A])
        RVInt.assertTrapped(jalr, cause: 0, tval: Self.base + 0x102)
        XCTAssertEqual(jalr.x[Reg.ra], 0x5A5A, "ra not written")

        let same = try RVInt.run("jalr a0, 0(a0)", march: "rv64ima", profile: Self.noC, [Reg.a0: Self.base + 0x102])
        RVInt.assertTrapped(same, cause: 0, tval: Self.base + 0x102)
        XCTAssertEqual(same.x[Reg.a0], Self.base + 0x102, "rd = rs1 not written")
    }

    func testTwoByteAlignedTargetIsFineWithC() throws {
        let c = try RVInt.run("jalr ra, 0(a0)", [Reg.a0: Self.base + 0x102])
        XCTAssertEqual(c.nextPC, Self.base + 0x102)
        XCTAssertEqual(c.x[Reg.ra], Self.base + 4)
        XCTAssertEqual(c.csr.mcause, RVInt.noCause)
    }
}
