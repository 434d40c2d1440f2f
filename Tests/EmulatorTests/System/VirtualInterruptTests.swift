import XCTest
@testable import Emulator

/// Virtual IRQ/FIQ (ARM ARM B1.8.6): signalled by the GIC's virtual CPU interface or HCR.VI/VF,
/// taken in Non-secure PL1/PL0 when HCR.IMO/FMO route interrupts to Hyp, masked by CPSR.I/F,
/// entered through the guest's own vectors.
final class VirtualInterruptTests: XCTestCase {
    /// Non-secure SVC, SCR.NS = SCR.HCE = 1, the guest's VBAR at +0x2000, HVBAR at +0x1000.
    private func guest(hcr: UInt32, virq: Bool = false, vfiq: Bool = false, masked: Bool = false) -> (ARMCore) -> Void {
        { core in
            core.cp15.scr = SCR.NS | SCR.HCE
            core.cp15.hvbar = 0x8000_1000
            core.cp15.vbarBank.0 = 0x8000_2000
            core.cp15.hcr = hcr
            core.cpsrI = masked
            core.cpsrF = masked
            core.virtualIRQLine = virq
            core.virtualFIQLine = vfiq
            core.attention = true
        }
    }

    func testVirtualIRQFromTheGICIsTakenInTheGuestsIRQMode() throws {
        let core = try ARMHarness.exec("nop\nnop", steps: 1, setup: guest(hcr: HCR.IMO, virq: true))
        XCTAssertEqual(core.mode, .irq)
        XCTAssertEqual(core.nextPC, 0x8000_2000 + 0x18 + 4, "one instruction at VBAR + 0x18 executed")
        XCTAssertEqual(core.r[14], 0x8000_0004, "LR = preferred return + 4")
        XCTAssertEqual(core.spsr & 0x1F, ARMMode.svc.rawValue)
        XCTAssertTrue(core.cpsrI)
    }

    func testVirtualFIQAndHCRVI() throws {
        let fiq = try ARMHarness.exec("nop", steps: 1, setup: guest(hcr: HCR.FMO, vfiq: true))
        XCTAssertEqual(fiq.mode, .fiq)
        XCTAssertTrue(fiq.cpsrF)
        let vi = try ARMHarness.exec("nop", steps: 1, setup: guest(hcr: HCR.IMO | HCR.VI))
        XCTAssertEqual(vi.mode, .irq, "HCR.VI signals a virtual IRQ by itself")
    }

    func testVirtualIRQIsNotTakenWhenMaskedUnroutedOrInHyp() throws {
        let masked = try ARMHarness.exec("nop", steps: 1, setup: guest(hcr: HCR.IMO, virq: true, masked: true))
        XCTAssertEqual(masked.mode, .svc)
        let unrouted = try ARMHarness.exec("nop", steps: 1, setup: guest(hcr: 0, virq: true))
        XCTAssertEqual(unrouted.mode, .svc, "without HCR.IMO there is no virtual IRQ")
        let hyp = try ARMHarness.exec("nop", steps: 1, mode: .hyp, setup: guest(hcr: HCR.IMO | HCR.VI, virq: true))
        XCTAssertEqual(hyp.mode, .hyp, "virtual interrupts are never taken in Hyp")
    }

    func testWFIWakesOnAMaskedVirtualIRQAndISRShowsIt() throws {
        let woken = try ARMHarness.exec("wfi\nmrc p15, 0, r0, c12, c1, 0\nmov r4, #1", steps: 3,
                                        setup: guest(hcr: HCR.IMO, virq: true, masked: true))
        XCTAssertEqual(woken.runState, .running)
        XCTAssertEqual(woken.r[4], 1)
        XCTAssertEqual(woken.r[0] & 0x1C0, 1 << 7, "ISR.I is the virtual IRQ under HCR.IMO")
        let asleep = try ARMHarness.exec("wfi\nmov r4, #1", steps: 2, setup: guest(hcr: 0, virq: true, masked: true))
        XCTAssertEqual(asleep.runState, .waitForInterrupt)
    }
}
