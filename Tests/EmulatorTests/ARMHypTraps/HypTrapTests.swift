import XCTest
@testable import Emulator

/// Traps to the hypervisor (ARM ARM B1.14) with the exact HSR (B3.13.6) and ELR_hyp.
final class HypTrapTests: XCTestCase {
    /// Non-secure SVC (SCR.NS = 1, SCR.HCE = 1), HVBAR at +0x1000, HCR = `hcr`.
    private func guest(hcr: UInt32, hstr: UInt64 = 0) -> (ARMCore) -> Void {
        { c in
            c.cp15.scr = SCR.NS | SCR.HCE
            c.cp15.hvbar = 0x8000_1000
            c.cp15.hcr = hcr
            c.cp15.stored["HSTR"] = hstr
        }
    }

    /// Assert a Hyp trap of the instruction at `pc` with HSR `hsr`.
    private func assertTrap(_ c: ARMCore, pc: UInt32, hsr: UInt32, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(c.mode, .hyp, "trapped to Hyp", file: file, line: line)
        XCTAssertEqual(c.nextPC, 0x8000_1014, "HVBAR + 0x14", file: file, line: line)
        XCTAssertEqual(c.elrHyp, pc, "ELR_hyp = the trapped instruction", file: file, line: line)
        XCTAssertEqual(String(c.cp15.hsr, radix: 16), String(hsr, radix: 16), "HSR", file: file, line: line)
        XCTAssertEqual(c.bankedSPSR[ARMMode.hyp.bank] & 0x1F, ARMMode.svc.rawValue, file: file, line: line)
    }

    func testWFITrappedByTWIWithConditionInHSR() throws {
        let c = try ARMHarness.exec("nop\nwfi", steps: 2, setup: guest(hcr: HCR.TWI))
        // EC 0x01, IL 1, CV 1, COND 0xE, TI 0.
        assertTrap(c, pc: 0x8000_0004, hsr: 0x01 << 26 | 1 << 25 | 1 << 24 | 0xE << 20)
        XCTAssertEqual(c.runState, .running)
    }

    func testConditionalWFETrappedByTWEReportsItsCondition() throws {
        // Z is clear after `movs r0, #1`, so WFENE passes its condition.
        let c = try ARMHarness.exec("movs r0, #1\nwfene", steps: 2, setup: guest(hcr: HCR.TWE))
        assertTrap(c, pc: 0x8000_0004, hsr: 0x01 << 26 | 1 << 25 | 1 << 24 | 0x1 << 20 | 1)
    }

    func testWFINotTrappedInSecureStateOrHypOrWithoutTWI() throws {
        let secure = try ARMHarness.exec("wfi", steps: 1) { c in c.cp15.hcr = HCR.TWI }
        XCTAssertEqual(secure.runState, .waitForInterrupt)
        let hyp = try ARMHarness.exec("wfi", steps: 1, mode: .hyp, setup: guest(hcr: HCR.TWI))
        XCTAssertEqual(hyp.runState, .waitForInterrupt)
        let plain = try ARMHarness.exec("wfi", steps: 1, setup: guest(hcr: 0))
        XCTAssertEqual(plain.runState, .waitForInterrupt)
        XCTAssertEqual(plain.mode, .svc)
    }

    func testTrappedMRCDoesNotWriteRtAndReportsTheEncoding() throws {
        // TID2: CTR read. ISS: CV 1, COND E, Opc2 1, Opc1 0, CRn 0, Rt 3, CRm 0, Direction 1.
        let c = try ARMHarness.exec("mov r3, #0x55\nmrc p15, 0, r3, c0, c0, 1", steps: 2, setup: guest(hcr: HCR.TID2))
        assertTrap(c, pc: 0x8000_0004, hsr: 0x03 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 1 << 17 | 3 << 5 | 1)
        XCTAssertEqual(c.r[3], 0x55)
    }

    func testCSSELRWriteTrappedByTID2() throws {
        let c = try ARMHarness.exec("mov r1, #2\nmcr p15, 2, r1, c0, c0, 0", steps: 2, setup: guest(hcr: HCR.TID2))
        assertTrap(c, pc: 0x8000_0004, hsr: 0x03 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 2 << 14 | 1 << 5)
        XCTAssertEqual(c.cp15.csselr, 0, "the trapped write had no effect")
    }

    func testIDGroupTraps() throws {
        // TID3: ID_MMFR0 (c0, c1, 4). TID1: AIDR (op1 1, c0, c0, 7). TID0: JIDR (p14, 7, c0, c0, 0).
        let id3 = try ARMHarness.exec("mrc p15, 0, r2, c0, c1, 4", steps: 1, setup: guest(hcr: HCR.TID3))
        assertTrap(id3, pc: 0x8000_0000, hsr: 0x03 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 4 << 17 | 2 << 5 | 1 << 1 | 1)
        let id1 = try ARMHarness.exec("mrc p15, 1, r2, c0, c0, 7", steps: 1, setup: guest(hcr: HCR.TID1))
        assertTrap(id1, pc: 0x8000_0000, hsr: 0x03 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 7 << 17 | 1 << 14 | 2 << 5 | 1)
        let id0 = try ARMHarness.exec("mrc p14, 7, r4, c0, c0, 0", steps: 1, setup: guest(hcr: HCR.TID0))
        assertTrap(id0, pc: 0x8000_0000, hsr: 0x05 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 7 << 14 | 4 << 5 | 1)
        // Without TID3 the ID register reads the profile (no trap).
        let none = try ARMHarness.exec("mrc p15, 0, r2, c0, c0, 1", steps: 1, setup: guest(hcr: HCR.TID3))
        XCTAssertEqual(none.mode, .svc)
        XCTAssertEqual(none.r[2], 0x8444_C004)
    }

    func testACTLRTrappedByTACAndL2CTLRByTIDCP() throws {
        let tac = try ARMHarness.exec("mrc p15, 0, r0, c1, c0, 1", steps: 1, setup: guest(hcr: HCR.TAC))
        assertTrap(tac, pc: 0x8000_0000, hsr: 0x03 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 1 << 17 | 1 << 10 | 1)
        let tidcp = try ARMHarness.exec("mrc p15, 1, r0, c9, c0, 2", steps: 1, setup: guest(hcr: HCR.TIDCP))
        assertTrap(tidcp, pc: 0x8000_0000, hsr: 0x03 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 2 << 17 | 1 << 14 | 9 << 10 | 1)
    }

    func testCacheMaintenanceTraps() throws {
        for (insn, bit, opc2crm) in [("mcr p15, 0, r0, c7, c10, 2", HCR.TSW, UInt32(2) << 17 | 10 << 1),
                                      ("mcr p15, 0, r0, c7, c14, 1", HCR.TPC, UInt32(1) << 17 | 14 << 1),
                                      ("mcr p15, 0, r0, c7, c5, 0", HCR.TPU, UInt32(0) << 17 | 5 << 1)] {
            let c = try ARMHarness.exec(insn, steps: 1, setup: guest(hcr: bit))
            assertTrap(c, pc: 0x8000_0000, hsr: 0x03 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 7 << 10 | opc2crm)
            // The other bits of the group leave it alone.
            let other = try ARMHarness.exec(insn, steps: 1, setup: guest(hcr: (HCR.TSW | HCR.TPC | HCR.TPU) & ~bit))
            XCTAssertEqual(other.mode, .svc, insn)
        }
    }

    func testTLBMaintenanceTrappedByTTLB() throws {
        let c = try ARMHarness.exec("mcr p15, 0, r0, c8, c7, 0", steps: 1, setup: guest(hcr: HCR.TTLB))
        assertTrap(c, pc: 0x8000_0000, hsr: 0x03 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 8 << 10 | 7 << 1)
    }

    func testTVMTrapsWritesNotReadsIncludingMCRR() throws {
        let w = try ARMHarness.exec("mov r5, #0\nmcr p15, 0, r5, c1, c0, 0", steps: 2, setup: guest(hcr: HCR.TVM))
        assertTrap(w, pc: 0x8000_0004, hsr: 0x03 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 1 << 10 | 5 << 5)
        XCTAssertNotEqual(w.cp15.sctlr(secure: false), 0, "the trapped SCTLR write had no effect")
        let r = try ARMHarness.exec("mrc p15, 0, r5, c1, c0, 0", steps: 1, setup: guest(hcr: HCR.TVM))
        XCTAssertEqual(r.mode, .svc, "reads are not trapped by TVM")
        // MCRR TTBR0: EC 0x04, ISS Opc1 0, Rt2 3, Rt 2, CRm 2, Direction 0.
        let m = try ARMHarness.exec("mcrr p15, 0, r2, r3, c2", steps: 1, setup: guest(hcr: HCR.TVM))
        assertTrap(m, pc: 0x8000_0000, hsr: 0x04 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 3 << 10 | 2 << 5 | 2 << 1)
        XCTAssertEqual(m.cp15.ttbr0(secure: false), 0)
    }

    func testHSTRTrapsByPrimaryRegisterAndMRRCByCRm() throws {
        // HSTR.T13: TPIDRPRW (c13). MRRC with CRm = 2 under HSTR.T2: EC 0x04, Direction 1.
        let c = try ARMHarness.exec("mrc p15, 0, r0, c13, c0, 4", steps: 1, setup: guest(hcr: 0, hstr: 1 << 13))
        assertTrap(c, pc: 0x8000_0000, hsr: 0x03 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 4 << 17 | 13 << 10 | 1)
        let m = try ARMHarness.exec("mrrc p15, 1, r6, r7, c2", steps: 1, setup: guest(hcr: 0, hstr: 1 << 2))
        assertTrap(m, pc: 0x8000_0000, hsr: 0x04 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 1 << 16 | 7 << 10 | 6 << 5 | 2 << 1 | 1)
        // PL0 accesses PL0 cannot make stay UNDEFINED; PL0-accessible ones are trapped.
        let usrUndef = try ARMHarness.exec("mrc p15, 0, r0, c13, c0, 4", steps: 1, mode: .usr, setup: guest(hcr: 0, hstr: 1 << 13))
        XCTAssertEqual(usrUndef.mode, .und)
        let usrTrap = try ARMHarness.exec("mrc p15, 0, r0, c13, c0, 2", steps: 1, mode: .usr, setup: guest(hcr: 0, hstr: 1 << 13))
        XCTAssertEqual(usrTrap.mode, .hyp)
        XCTAssertEqual(usrTrap.cp15.hsr >> 26, 0x03)
    }

    func testNoTrapsInSecureStateOrHyp() throws {
        let all: UInt32 = HCR.TID2 | HCR.TVM | HCR.TTLB | HCR.TAC
        let secure = try ARMHarness.exec("mrc p15, 0, r0, c0, c0, 1", steps: 1) { c in c.cp15.hcr = all }
        XCTAssertEqual(secure.mode, .svc)
        XCTAssertEqual(secure.r[0], 0x8444_C004)
        let hyp = try ARMHarness.exec("mrc p15, 0, r0, c0, c0, 1\nmcr p15, 0, r0, c8, c7, 0", steps: 2, mode: .hyp,
                                      setup: guest(hcr: all, hstr: 0xFFFF))
        XCTAssertEqual(hyp.mode, .hyp)
        XCTAssertEqual(hyp.nextPC, 0x8000_0008, "no exception taken")
        XCTAssertEqual(hyp.r[0], 0x8444_C004)
    }

    func testHCPTRTrapsVFPWhenCPACRAllowsIt() throws {
        // vmrs r0, fpscr (CP10). CPACR grants cp10/cp11 at PL1, NSACR lets Non-secure use them.
        let setup: (ARMCore) -> Void = { c in
            self.guest(hcr: 0)(c)
            c.cp15.stored["CPACR"] = 0x5 << 20
            c.cp15.stored["NSACR"] = 0xC00
            c.cp15.stored["HCPTR"] = 1 << 10
        }
        let c = try ARMHarness.exec("vmrs r0, fpscr", steps: 1, setup: setup)
        assertTrap(c, pc: 0x8000_0000, hsr: 0x07 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 10)
        // CPACR denies: UNDEFINED at PL1, not a Hyp trap.
        let denied = try ARMHarness.exec("vmrs r0, fpscr", steps: 1) { c in setup(c); c.cp15.stored["CPACR"] = 0 }
        XCTAssertEqual(denied.mode, .und)
    }

    func testVPIDRAndVMPIDRAreWhatNonSecureSVCReads() throws {
        let c = try ARMHarness.exec("mrc p15, 0, r0, c0, c0, 0\nmrc p15, 0, r1, c0, c0, 5\nmrc p15, 0, r2, c0, c0, 1",
                                    steps: 3) { c in
            self.guest(hcr: 0)(c)
            c.cp15.stored["VPIDR"] = 0x410F_C075
            c.cp15.stored["VMPIDR"] = 0x8000_0003
        }
        XCTAssertEqual(c.r[0], 0x410F_C075)
        XCTAssertEqual(c.r[1], 0x8000_0003)
        XCTAssertEqual(c.r[2], 0x8444_C004, "CTR is the physical core's")
    }
}
