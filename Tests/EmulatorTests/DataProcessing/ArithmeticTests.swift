import XCTest
@testable import Emulator

/// AddWithCarry (ARM ARM A2.2.1) through the S instructions in each operand form, PC as an
/// operand and as a destination, MOVW/MOVT, and the exception return of `MOVS PC, LR` /
/// `SUBS PC, LR, #4` (B9.3.20).
final class ArithmeticTests: XCTestCase {
    func testADDS() throws {
        var c = try DP.one("adds r0, r1, r2", [1: 0x7FFF_FFFF, 2: 1])
        XCTAssertEqual(c.r[0], 0x8000_0000)
        XCTAssertEqual(DP.nzcv(c), "NzcV")
        c = try DP.one("adds r0, r1, r2", [1: 0xFFFF_FFFF, 2: 1])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(DP.nzcv(c), "nZCv")
        c = try DP.one("adds r0, r1, r2", [1: 0x8000_0000, 2: 0x8000_0000])
        XCTAssertEqual(DP.nzcv(c), "nZCV")
        c = try DP.one("adds r0, r1, #1", flags: "NZCV", [1: 5])
        XCTAssertEqual(c.r[0], 6)
        XCTAssertEqual(DP.nzcv(c), "nzcv")
        c = try DP.one("cmn r1, r2, lsl #31", [1: 0x8000_0000, 2: 1])
        XCTAssertEqual(DP.nzcv(c), "nZCV")
    }

    func testSUBS() throws {
        var c = try DP.one("subs r0, r1, r2", [1: 0, 2: 1])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF)
        XCTAssertEqual(DP.nzcv(c), "Nzcv", "borrow: C = 0")
        c = try DP.one("subs r0, r1, r2", [1: 5, 2: 5])
        XCTAssertEqual(DP.nzcv(c), "nZCv", "no borrow: C = 1")
        c = try DP.one("subs r0, r1, #1", [1: 0x8000_0000])
        XCTAssertEqual(c.r[0], 0x7FFF_FFFF)
        XCTAssertEqual(DP.nzcv(c), "nzCV")
        c = try DP.one("cmp r1, r2, asr #1", [1: 0x7FFF_FFFF, 2: 0xFFFF_FFFE])
        XCTAssertEqual(DP.nzcv(c), "NzcV", "0x7FFFFFFF − (−1) overflows")
        c = try DP.one("rsbs r0, r1, #0", [1: 0x8000_0000])
        XCTAssertEqual(c.r[0], 0x8000_0000)
        XCTAssertEqual(DP.nzcv(c), "NzcV")
        c = try DP.one("rsbs r0, r1, #0", [1: 0])
        XCTAssertEqual(DP.nzcv(c), "nZCv")
    }

    func testADCS() throws {
        var c = try DP.one("adcs r0, r1, r2", flags: "nzCv", [1: 0xFFFF_FFFF, 2: 0])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(DP.nzcv(c), "nZCv")
        c = try DP.one("adcs r0, r1, r2", flags: "nzCv", [1: 0x7FFF_FFFF, 2: 0])
        XCTAssertEqual(c.r[0], 0x8000_0000)
        XCTAssertEqual(DP.nzcv(c), "NzcV")
        c = try DP.one("adcs r0, r1, #0", flags: "nzcv", [1: 0xFFFF_FFFF])
        XCTAssertEqual(DP.nzcv(c), "Nzcv")
        c = try DP.one("adc r0, r1, r2", flags: "nzCv", [1: 1, 2: 2])
        XCTAssertEqual(c.r[0], 4)
        XCTAssertEqual(DP.nzcv(c), "nzCv", "without S the flags stay")
    }

    func testSBCS() throws {
        var c = try DP.one("sbcs r0, r1, r2", flags: "nzcv", [1: 0, 2: 0])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF)
        XCTAssertEqual(DP.nzcv(c), "Nzcv")
        c = try DP.one("sbcs r0, r1, r2", flags: "nzCv", [1: 0, 2: 0])
        XCTAssertEqual(c.r[0], 0)
        XCTAssertEqual(DP.nzcv(c), "nZCv")
        c = try DP.one("sbcs r0, r1, #0", flags: "nzcv", [1: 0x8000_0000])
        XCTAssertEqual(c.r[0], 0x7FFF_FFFF)
        XCTAssertEqual(DP.nzcv(c), "nzCV")
        c = try DP.one("sbc r0, r1, r2, lsl #1", flags: "nzcv", [1: 10, 2: 2])
        XCTAssertEqual(c.r[0], 5)
    }

    func testRSCS() throws {
        var c = try DP.one("rscs r0, r1, r2", flags: "nzCv", [1: 1, 2: 0])
        XCTAssertEqual(c.r[0], 0xFFFF_FFFF)
        XCTAssertEqual(DP.nzcv(c), "Nzcv")
        c = try DP.one("rscs r0, r1, #0", flags: "nzcv", [1: 0x7FFF_FFFF])
        XCTAssertEqual(c.r[0], 0x8000_0000, "0 − 0x7FFFFFFF − 1")
        XCTAssertEqual(DP.nzcv(c), "Nzcv")
        c = try DP.one("rscs r0, r1, r2, lsr #1", flags: "nzCv", [1: 0xFFFF_FFFF, 2: 0xFFFF_FFFE])
        XCTAssertEqual(c.r[0], 0x8000_0000)
        XCTAssertEqual(DP.nzcv(c), "NzcV", "0x7FFFFFFF − (−1) overflows")
    }

    func testPCAsOperandReadsAddressPlus8() throws {
        let c = try DP.one("add r0, pc, #4")
        XCTAssertEqual(c.r[0], ARMHarness.ramBase + 12)
        let d = try DP.one("sub r0, pc, r1, lsl #2", [1: 1])
        XCTAssertEqual(d.r[0], ARMHarness.ramBase + 4)
        let e = try DP.one("adr r0, . + 0x40")
        XCTAssertEqual(e.r[0], ARMHarness.ramBase + 0x40)
    }

    func testWritingPCBranches() throws {
        var c = try DP.one("mov pc, r1", [1: ARMHarness.ramBase + 0x100])
        XCTAssertEqual(c.r[15], ARMHarness.ramBase + 0x100)
        c = try DP.one("add pc, pc, r1, lsl #2", [1: 2])
        XCTAssertEqual(c.r[15], ARMHarness.ramBase + 16)
        XCTAssertEqual(c.mode, .svc)
        // Two instructions: the branch, then the one it lands on.
        c = try ARMHarness.exec("add pc, pc, #0\nmov r0, #1\nmov r0, #2", steps: 2)
        XCTAssertEqual(c.r[0], 2)
    }

    func testMOVWMOVT() throws {
        let c = try ARMHarness.exec("movw r0, #0xBEEF\nmovt r0, #0xDEAD\nmovt r1, #0x1234", steps: 3) { core in
            core.r[1] = 0x5555_AAAA
        }
        XCTAssertEqual(c.r[0], 0xDEAD_BEEF)
        XCTAssertEqual(c.r[1], 0x1234_AAAA)
    }

    func testMOVSPCLRIsAnExceptionReturn() throws {
        let target = ARMHarness.ramBase + 0x100
        // SPSR_svc: User mode, N and C set, IRQs masked.
        let c = try DP.one("movs pc, lr", flags: "nZcV", [14: target]) { core in
            core.spsr = 0xA000_0090
        }
        XCTAssertEqual(c.mode, .usr)
        XCTAssertEqual(c.r[15], target)
        XCTAssertEqual(DP.nzcv(c), "NzCv", "flags come from the SPSR, not from the result")
        XCTAssertEqual(c.cpsr, 0xA000_0090)
    }

    func testSUBSPCLRIsAnExceptionReturn() throws {
        let c = try ARMHarness.exec("subs pc, lr, #4", steps: 1, mode: .svc) { core in
            core.switchMode(to: .irq)
            core.r[14] = ARMHarness.ramBase + 0x204
            core.spsr = 0x6000_0013   // SVC mode, Z and C set, A/I/F clear
        }
        XCTAssertEqual(c.mode, .svc)
        XCTAssertEqual(c.r[15], ARMHarness.ramBase + 0x200)
        XCTAssertEqual(DP.nzcv(c), "nZCv")
        XCTAssertFalse(c.cpsrI)
    }

    func testExceptionReturnFromHypIsUndefined() throws {
        // B9.3.20: SUBS PC, LR and relatives are UNDEFINED in Hyp mode (ERET is the way out).
        let c = try DP.one("movs pc, lr", mode: .hyp, [14: ARMHarness.ramBase + 0x100])
        XCTAssertEqual(c.mode, .hyp)
        XCTAssertEqual(c.r[15], 0x0000_0004, "Hyp's undefined vector (HVBAR = 0)")
        XCTAssertEqual(c.elrHyp, ARMHarness.ramBase)
    }

    func testANDSToPCIsAnExceptionReturnToo() throws {
        let c = try DP.one("ands pc, lr, #0xFFFFFFFC", [14: ARMHarness.ramBase + 0x102]) { core in
            core.spsr = 0x0000_001F   // System mode
        }
        XCTAssertEqual(c.mode, .sys)
        XCTAssertEqual(c.r[15], ARMHarness.ramBase + 0x100)
    }
}
