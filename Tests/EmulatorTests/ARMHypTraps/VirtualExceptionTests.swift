import XCTest
@testable import Emulator

/// HCR.VI/VF/VA virtual exceptions and IMO/FMO routing of physical interrupts to Hyp (B1.8).
final class VirtualExceptionTests: XCTestCase {
    private func guest(hcr: UInt32) -> (ARMCore) -> Void {
        { c in
            c.cp15.scr = SCR.NS | SCR.HCE
            c.cp15.hvbar = 0x8000_1000
            c.cp15.vbarBank.0 = 0x8000_2000
            c.cp15.hcr = hcr
        }
    }

    func testVirtualIRQTakenAtTheNonSecureIRQVectorOnceUnmasked() throws {
        // Two NOPs with I set, then CPSIE i: the virtual IRQ is taken after it.
        let c = try ARMHarness.exec("nop\nnop\ncpsie i\nnop\nnop", steps: 4, setup: guest(hcr: HCR.IMO | HCR.VI))
        XCTAssertEqual(c.mode, .irq)
        XCTAssertEqual(c.nextPC, 0x8000_2018 &+ 4, "executed the first instruction at VBAR + 0x18")
        XCTAssertEqual(c.bankedRegister(14, mode: .irq), 0x8000_000C &+ 4, "LR_irq = return address + 4")
    }

    func testVirtualIRQNeedsIMOAndIsNotSeenInHypOrWhileMasked() throws {
        let noIMO = try ARMHarness.exec("cpsie i\nnop\nnop", steps: 3, setup: guest(hcr: HCR.VI))
        XCTAssertEqual(noIMO.mode, .svc)
        let masked = try ARMHarness.exec("nop\nnop\nnop", steps: 3, setup: guest(hcr: HCR.IMO | HCR.VI))
        XCTAssertEqual(masked.mode, .svc, "CPSR.I masks the virtual IRQ")
        let hyp = try ARMHarness.exec("cpsie i\nnop\nnop", steps: 3, mode: .hyp, setup: guest(hcr: HCR.IMO | HCR.VI))
        XCTAssertEqual(hyp.mode, .hyp)
        XCTAssertEqual(hyp.nextPC, 0x8000_000C)
    }

    func testVirtualFIQAndVirtualAbort() throws {
        let fiq = try ARMHarness.exec("cpsie f\nnop\nnop", steps: 2, setup: guest(hcr: HCR.FMO | HCR.VF))
        XCTAssertEqual(fiq.mode, .fiq)
        XCTAssertEqual(fiq.nextPC, 0x8000_201C &+ 4)
        let abt = try ARMHarness.exec("cpsie a\nnop\nnop", steps: 2, setup: guest(hcr: HCR.AMO | HCR.VA))
        XCTAssertEqual(abt.mode, .abt)
        XCTAssertEqual(abt.nextPC, 0x8000_2010 &+ 4)
        XCTAssertEqual(abt.bankedRegister(14, mode: .abt), 0x8000_0004 &+ 8)
        XCTAssertEqual(abt.cp15.hcr & HCR.VA, 0, "taking the virtual abort clears HCR.VA")
        XCTAssertEqual(abt.cp15.dfsrBank.0, 1 << 10 | 0b0110, "asynchronous external abort")
    }

    func testWFIWakesForAPendingVirtualIRQ() throws {
        let c = try ARMHarness.exec("wfi\nnop", steps: 2, setup: guest(hcr: HCR.IMO | HCR.VI))
        XCTAssertEqual(c.runState, .running)
        XCTAssertEqual(c.mode, .svc, "masked by CPSR.I, but WFI does not sleep")
    }

    func testPhysicalIRQRoutedToHypByIMOEvenWithCPSRIMasked() throws {
        let c = try ARMHarness.exec("nop\nnop\nnop", steps: 2, setup: guest(hcr: HCR.IMO))
        XCTAssertTrue(c.cpsrI)
        c.irqLine = true
        c.attention = true
        _ = c.run(budget: 1)
        XCTAssertEqual(c.mode, .hyp)
        XCTAssertEqual(c.nextPC, 0x8000_1018 &+ 4, "HVBAR + 0x18")
        XCTAssertEqual(c.elrHyp, 0x8000_0008)
    }
}
