import XCTest
@testable import Emulator

/// Exceptions, Hyp entry, status registers and CP15 as the ARM ARM describes them.
final class SystemInstructionTests: XCTestCase {
    /// Non-secure SVC with SCR.NS = 1 and SCR.HCE = 1, HVBAR at +0x1000.
    private func nonSecure(_ core: ARMCore) {
        core.cp15.scr = SCR.NS | SCR.HCE
        core.cp15.hvbar = 0x8000_1000
    }

    func testHVCFromNonSecureSVCTakesTheHypTrapVector() throws {
        let core = try ARMHarness.exec("hvc #0x1234", steps: 1, setup: nonSecure)
        XCTAssertEqual(core.mode, .hyp)
        XCTAssertEqual(core.nextPC, 0x8000_1014)
        XCTAssertEqual(core.elrHyp, 0x8000_0004)
        XCTAssertEqual(core.cp15.hsr >> 26, 0x12, "HSR.EC = HVC")
        XCTAssertEqual(core.cp15.hsr & 0xFFFF, 0x1234, "HSR.ISS = imm16")
        XCTAssertEqual(core.bankedSPSR[ARMMode.hyp.bank] & 0x1F, ARMMode.svc.rawValue)
    }

    func testHVCIsUndefinedWhileSCRHCEIsClear() throws {
        let core = try ARMHarness.exec("hvc #0", steps: 1) { c in c.cp15.scr = SCR.NS }
        XCTAssertEqual(core.mode, .und)
        XCTAssertEqual(core.r[14], 0x8000_0004)
    }

    func testSVCInHypModeIsTakenInHyp() throws {
        let core = try ARMHarness.exec("nop\nsvc #7", steps: 2, mode: .hyp, setup: nonSecure)
        XCTAssertEqual(core.mode, .hyp)
        XCTAssertEqual(core.nextPC, 0x8000_1008)
        XCTAssertEqual(core.elrHyp, 0x8000_0008)
        XCTAssertEqual(core.cp15.hsr >> 26, 0x11)
    }

    func testUndefinedInHypUsesHVBARPlus4WithUnknownReason() throws {
        let core = try ARMHarness.exec("udf #0", steps: 1, mode: .hyp, setup: nonSecure)
        XCTAssertEqual(core.nextPC, 0x8000_1004)
        XCTAssertEqual(core.elrHyp, 0x8000_0000)
        XCTAssertEqual(core.cp15.hsr >> 26, 0)
    }

    func testERETReturnsFromHypToELRAndSPSR() throws {
        let core = try ARMHarness.exec("eret", steps: 1, mode: .hyp) { c in
            self.nonSecure(c)
            c.elrHyp = 0x8000_0100
            c.bankedSPSR[ARMMode.hyp.bank] = ARMMode.svc.rawValue | 0x80   // SVC, IRQs masked
        }
        XCTAssertEqual(core.mode, .svc)
        XCTAssertEqual(core.nextPC, 0x8000_0100)
        XCTAssertTrue(core.cpsrI)
    }

    func testWFIWithoutInterruptSleeps() throws {
        let core = try ARMHarness.exec("wfi\nnop", steps: 5)
        XCTAssertEqual(core.runState, .waitForInterrupt)
        XCTAssertEqual(core.nextPC, 0x8000_0004)
    }

    func testBranchToThumbHaltsWithAFinding() throws {
        let core = try ARMHarness.exec("ldr r0, =0x80000101\nbx r0\n.ltorg", steps: 4)
        XCTAssertEqual(core.runState, .halted)
        XCTAssertEqual(core.haltFinding?.kind, .notSupported)
        XCTAssertTrue(core.haltFinding?.summary.contains("Thumb") == true)
    }

    func testNonSecurePL1SeesVPIDRAndVMPIDR() throws {
        let core = try ARMHarness.exec("""
            mrc p15, 0, r0, c0, c0, 0
            mrc p15, 0, r1, c0, c0, 5
            """, steps: 2) { c in
            self.nonSecure(c)
            c.cp15.stored["VPIDR"] = 0x4100_C0F0
            c.cp15.stored["VMPIDR"] = 0x8000_0003
        }
        XCTAssertEqual(core.r[0], 0x4100_C0F0)
        XCTAssertEqual(core.r[1], 0x8000_0003)
    }

    func testSecureReadsTheRealMIDR() throws {
        let core = try ARMHarness.exec("mrc p15, 0, r0, c0, c0, 0", steps: 1)
        XCTAssertEqual(core.r[0], 0x412F_C0F1)
    }

    func testUnknownCP15RegisterIsUndefinedAndNoted() throws {
        let core = try ARMHarness.exec("mrc p15, 3, r0, c15, c15, 7", steps: 1)
        XCTAssertEqual(core.mode, .und)
        XCTAssertEqual(ARMHarness.lastMachine?.findings.first?.kind, .undefinedRegister)
    }

    func testHypRegistersAreUndefinedFromNonSecureSVC() throws {
        let core = try ARMHarness.exec("mrc p15, 4, r0, c12, c0, 0", steps: 1, setup: nonSecure)
        XCTAssertEqual(core.mode, .und, "HVBAR from NS SVC")
    }

    func testCPSCannotEnterMonitorFromNonSecure() throws {
        let core = try ARMHarness.exec("cps #0x16", steps: 1, setup: nonSecure)
        XCTAssertEqual(core.mode, .svc)
    }

    func testExceptionEntryWithSCTLRTEHaltsWithAFinding() throws {
        // SCTLR.TE: exceptions are taken in Thumb state, which hetboot does not run.
        let core = try ARMHarness.exec("""
            mrc p15, 0, r0, c1, c0, 0
            orr r0, r0, #0x40000000
            mcr p15, 0, r0, c1, c0, 0
            svc #0
            """, steps: 4)
        XCTAssertEqual(core.runState, .halted)
        XCTAssertTrue(core.haltFinding?.summary.contains("SCTLR.TE") == true)
    }

    func testMRSBankedReadsAnotherModesRegisters() throws {
        let core = try ARMHarness.exec("""
            cps #0x12
            mov sp, #0x1234
            cps #0x13
            mrs r0, sp_irq
            mov r1, #0x55
            msr lr_irq, r1
            cps #0x12
            mov r2, lr
            """, steps: 8)
        XCTAssertEqual(core.r[0], 0x1234)
        XCTAssertEqual(core.r[2], 0x55)
    }
}
