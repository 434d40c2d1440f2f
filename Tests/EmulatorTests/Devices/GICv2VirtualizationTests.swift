import XCTest
import Emulator
import Profiles

/// GICH / GICV registers offsets (IHI 0048B tables 5-1 and 5-8).
enum GICH {
    static let hcr: UInt64 = 0x00, vtr: UInt64 = 0x04, vmcr: UInt64 = 0x08, misr: UInt64 = 0x10
    static let eisr0: UInt64 = 0x20, eisr1: UInt64 = 0x24, elrsr0: UInt64 = 0x30, elrsr1: UInt64 = 0x34
    static let apr: UInt64 = 0xF0, lr0: UInt64 = 0x100
}

/// GICH_LRn encodings (§5.3.x).
enum LR {
    static let pending: UInt32 = 1 << 28, active: UInt32 = 2 << 28, pendingActive: UInt32 = 3 << 28
    static let grp1: UInt32 = 1 << 30, hw: UInt32 = 1 << 31, eoi: UInt32 = 1 << 19

    static func make(_ id: UInt32, priority: UInt32, state: UInt32 = pending, cpuID: UInt32 = 0) -> UInt32 {
        state | (priority >> 3) << 23 | (cpuID & 7) << 10 | id
    }

    static func hardware(_ id: UInt32, physical: UInt32, priority: UInt32, state: UInt32 = pending) -> UInt32 {
        hw | state | (priority >> 3) << 23 | physical << 10 | id
    }
}

/// GICH_HCR bits (§5.3.1).
enum GICv2Bits {
    static let uie: UInt32 = 1 << 1, lrenpie: UInt32 = 1 << 2, npie: UInt32 = 1 << 3
}

final class GICv2VirtualizationTests: XCTestCase {
    var host: DeviceTestHost!
    var gic: GICv2!

    override func setUp() {
        host = DeviceTestHost(cores: 2)
        gic = GICv2(spec: deviceSpec("gic", kind: "gic-v2", interrupts: [25], properties: [("spis", 64)]),
                    cpuCount: 2, priorityBits: 5, virtualization: true, host: host)
    }

    // MARK: Helpers

    func hwrite(_ offset: UInt64, _ value: UInt32, cpu: Int = 0, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(gic.hypervisorInterface.write(offset: offset, size: 4, value: UInt64(value), cpu: cpu),
                      file: file, line: line)
    }

    func hread(_ offset: UInt64, cpu: Int = 0) -> UInt64? {
        gic.hypervisorInterface.read(offset: offset, size: 4, cpu: cpu)
    }

    func vwrite(_ offset: UInt64, _ value: UInt32, cpu: Int = 0, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(gic.virtualCPUInterface.write(offset: offset, size: 4, value: UInt64(value), cpu: cpu),
                      file: file, line: line)
    }

    func vread(_ offset: UInt64, cpu: Int = 0) -> UInt64? {
        gic.virtualCPUInterface.read(offset: offset, size: 4, cpu: cpu)
    }

    func setLR(_ n: Int, _ value: UInt32, cpu: Int = 0) { hwrite(GICH.lr0 + UInt64(4 * n), value, cpu: cpu) }
    func lr(_ n: Int, cpu: Int = 0) -> UInt64? { hread(GICH.lr0 + UInt64(4 * n), cpu: cpu) }

    /// GICH_HCR.En plus `hcr`; the guest's Group 0 and 1 on with the loosest priority mask.
    func enable(hcr: UInt32 = 0, cpu: Int = 0) {
        hwrite(GICH.hcr, 1 | hcr, cpu: cpu)
        vwrite(GICC.ctlr, 0x3, cpu: cpu)
        vwrite(GICC.pmr, 0xFF, cpu: cpu)
    }

    func virq(_ cpu: Int = 0) -> Bool { host.virtualLines[cpu]?.irq ?? false }
    func vfiq(_ cpu: Int = 0) -> Bool { host.virtualLines[cpu]?.fiq ?? false }

    /// Whether the maintenance PPI 25 is pending in the Distributor for `cpu`.
    func maintenancePending(cpu: Int = 0) -> Bool {
        (gic.distributor.read(offset: GICD.ispendr, size: 4, cpu: cpu) ?? 0) & (1 << 25) != 0
    }

    // MARK: Registers

    func testResetValues() {
        XCTAssertEqual(hread(GICH.hcr), 0)
        XCTAssertEqual(hread(GICH.vtr), 0x9000_0003)   // 5 priority/preemption bits, 4 LRs
        XCTAssertEqual(hread(GICH.vmcr), 0x004C_0000)  // VMBP 2, VMABP 3
        XCTAssertEqual(hread(GICH.misr), 0)
        XCTAssertEqual(hread(GICH.eisr0), 0)
        XCTAssertEqual(hread(GICH.elrsr0), 0xF)
        XCTAssertEqual(hread(GICH.eisr1), 0)
        XCTAssertEqual(hread(GICH.elrsr1), 0)
        XCTAssertEqual(hread(GICH.apr), 0)
        for n in 0..<4 { XCTAssertEqual(lr(n), 0) }
        XCTAssertEqual(vread(GICC.ctlr), 0)
        XCTAssertEqual(vread(GICC.pmr), 0)
        XCTAssertEqual(vread(GICC.bpr), 2)
        XCTAssertEqual(vread(GICC.abpr), 3)
        XCTAssertEqual(vread(GICC.rpr), 0xFF)
        XCTAssertEqual(vread(GICC.iidr), 0x0202_143B)
        XCTAssertEqual(vread(GICC.iar), 1023)
    }

    func testRegisterMasksAndGICVIsAViewOfVMCR() {
        hwrite(GICH.hcr, 0xFFFF_FFFF)
        XCTAssertEqual(hread(GICH.hcr), 0xF800_00FF)
        setLR(0, 0xFFFF_FFFF)
        XCTAssertEqual(lr(0), 0xFF8F_FFFF)   // [22:20] reserved
        hwrite(GICH.vmcr, 0xFFFF_FFFF)
        XCTAssertEqual(hread(GICH.vmcr), 0xF8FC_021F)
        XCTAssertEqual(vread(GICC.ctlr), 0x21F)
        XCTAssertEqual(vread(GICC.pmr), 0xF8)
        XCTAssertEqual(vread(GICC.bpr), 7)
        hwrite(GICH.vmcr, 0)
        XCTAssertEqual(hread(GICH.vmcr), 0x004C_0000, "binary points keep their minimum")
        vwrite(GICC.pmr, 0xA7)
        XCTAssertEqual(vread(GICC.pmr), 0xA0)
        XCTAssertEqual((hread(GICH.vmcr) ?? 0) >> 27, 0x14)
        vwrite(GICC.ctlr, 0xFFFF_FFFF)
        XCTAssertEqual((hread(GICH.vmcr) ?? 0) & 0x3FF, 0x21F)
        vwrite(GICC.bpr, 5)
        XCTAssertEqual((hread(GICH.vmcr) ?? 0) >> 21 & 7, 5)
        // Only aligned words.
        XCTAssertNil(gic.hypervisorInterface.read(offset: 0, size: 1, cpu: 0))
        XCTAssertNil(gic.virtualCPUInterface.read(offset: 2, size: 4, cpu: 0))
    }

    func testGICHIsBankedAndTheAliasWindowReachesEachCPU() {
        setLR(0, LR.make(33, priority: 0x80), cpu: 1)
        XCTAssertEqual(lr(0, cpu: 0), 0)
        XCTAssertEqual(lr(0, cpu: 1), UInt64(LR.make(33, priority: 0x80)))
        let alias = gic.hypervisorAliases
        XCTAssertEqual(alias.read(offset: 0x200 + GICH.lr0, size: 4, cpu: 0), UInt64(LR.make(33, priority: 0x80)))
        XCTAssertTrue(alias.write(offset: GICH.lr0 + 4, size: 4, value: 0x1234, cpu: 1))
        XCTAssertEqual(lr(1, cpu: 0), 0x1234)
        XCTAssertNil(alias.read(offset: 0x400, size: 4, cpu: 0), "no CPU 2 on a two-CPU GIC")
    }

    // MARK: The list-register state machine

    func testVirtualSGIIsAcknowledgedWithItsSourceAndEOIInvalidatesTheLR() {
        enable()
        setLR(0, LR.make(5, priority: 0xA0, cpuID: 3))
        XCTAssertTrue(virq())
        XCTAssertFalse(vfiq())
        XCTAssertEqual(vread(GICC.hppir), 5 | 3 << 10)
        XCTAssertEqual(vread(GICC.iar), 5 | 3 << 10)
        XCTAssertEqual(lr(0), UInt64(LR.make(5, priority: 0xA0, state: LR.active, cpuID: 3)))
        XCTAssertEqual(vread(GICC.rpr), 0xA0)
        XCTAssertEqual(hread(GICH.apr), 1 << 20)   // preemption level 0xA0 >> 3
        XCTAssertFalse(virq())
        XCTAssertEqual(hread(GICH.elrsr0), 0xE)
        vwrite(GICC.eoir, 5 | 3 << 10)
        XCTAssertEqual(lr(0), UInt64(LR.make(5, priority: 0xA0, state: 0, cpuID: 3)))
        XCTAssertEqual(vread(GICC.rpr), 0xFF)
        XCTAssertEqual(hread(GICH.elrsr0), 0xF)
        XCTAssertEqual(hread(GICH.hcr) ?? 0, 1, "EOICount untouched")
        XCTAssertEqual(vread(GICC.iar), 1023)
    }

    func testPendingAndActiveEOIGoesBackToPending() {
        enable()
        setLR(1, LR.make(40, priority: 0x80))
        XCTAssertEqual(vread(GICC.iar), 40)
        // The hypervisor resamples a level interrupt: the LR becomes pending and active.
        setLR(1, LR.make(40, priority: 0x80, state: LR.pendingActive))
        XCTAssertFalse(virq(), "an active interrupt is not signalled again")
        vwrite(GICC.eoir, 40)
        XCTAssertEqual(lr(1), UInt64(LR.make(40, priority: 0x80, state: LR.pending)))
        XCTAssertTrue(virq())
    }

    /// One list register through every state (IHI 0048B §5.4 figure 5-2 transitions), with the
    /// status registers the hypervisor reads after each step: pending → active (GICV_IAR) →
    /// pending and active (the hypervisor sets the pending bit again) → pending (the guest's
    /// EOI deactivates, the pending half stays) → active → invalid (EOI), which with LR.EOI = 1
    /// and HW = 0 is the EOI maintenance condition until the hypervisor rewrites the LR.
    func testListRegisterStateMachineWithStatusAfterEachStep() {
        enable()
        let sgi = LR.make(3, priority: 0x50, cpuID: 1) | LR.eoi
        func expect(lr0: UInt32, elrsr: UInt64, eisr: UInt64, misr: UInt64, virq irq: Bool, ppi: Bool,
                    _ step: String, line: UInt = #line) {
            XCTAssertEqual(lr(0), UInt64(lr0), step, line: line)
            XCTAssertEqual(hread(GICH.elrsr0), elrsr, "ELRSR: " + step, line: line)
            XCTAssertEqual(hread(GICH.eisr0), eisr, "EISR: " + step, line: line)
            XCTAssertEqual(hread(GICH.misr), misr, "MISR: " + step, line: line)
            XCTAssertEqual(virq(), irq, "virtual IRQ: " + step, line: line)
            XCTAssertEqual(maintenancePending(), ppi, "PPI 25: " + step, line: line)
        }
        setLR(0, sgi)
        expect(lr0: sgi, elrsr: 0xE, eisr: 0, misr: 0, virq: true, ppi: false, "pending")

        XCTAssertEqual(vread(GICC.iar), 3 | 1 << 10)
        expect(lr0: sgi & ~LR.pending | LR.active, elrsr: 0xE, eisr: 0, misr: 0, virq: false, ppi: false,
               "active after GICV_IAR")
        XCTAssertEqual(hread(GICH.apr), 1 << 10, "preemption level 0x50 >> 3")

        // The hypervisor injects the same vINTID again while the guest still handles it.
        setLR(0, sgi | LR.pendingActive)
        expect(lr0: sgi | LR.pendingActive, elrsr: 0xE, eisr: 0, misr: 0, virq: false, ppi: false,
               "pending and active: the pending half is not signalled while active")
        XCTAssertEqual(vread(GICC.iar), 1023, "nothing to acknowledge")
        XCTAssertEqual(lr(0), UInt64(sgi | LR.pendingActive), "the spurious read changes nothing")

        vwrite(GICC.eoir, 3 | 1 << 10)
        expect(lr0: sgi, elrsr: 0xE, eisr: 0, misr: 0, virq: true, ppi: false,
               "pending again after the EOI: not yet an EOI maintenance condition")
        XCTAssertEqual(hread(GICH.apr), 0)

        XCTAssertEqual(vread(GICC.iar), 3 | 1 << 10)
        expect(lr0: sgi & ~LR.pending | LR.active, elrsr: 0xE, eisr: 0, misr: 0, virq: false, ppi: false,
               "active again")

        vwrite(GICC.eoir, 3 | 1 << 10)
        expect(lr0: sgi & ~LR.pending, elrsr: 0xE, eisr: 1, misr: 1, virq: false, ppi: true,
               "invalid with EOI set: EOI maintenance, and the LR is not free yet")
        XCTAssertEqual(hread(GICH.hcr), 1, "an EOI that found its LR does not count in EOICount")

        setLR(0, 0)
        expect(lr0: 0, elrsr: 0xF, eisr: 0, misr: 0, virq: false, ppi: false, "freed by the hypervisor")
    }

    /// HW = 1 through pending and active: every deactivation of the virtual interrupt
    /// deactivates the physical one, and an HW = 1 LR is never an EOI maintenance condition.
    func testHWListRegisterDeactivatesThePhysicalInterruptOnlyOnItsLastEOI() {
        _ = gic.distributor.write(offset: GICD.ctlr, size: 4, value: 1, cpu: 0)
        _ = gic.distributor.write(offset: GICD.isenabler + 4, size: 4, value: 1 << 9, cpu: 0)
        _ = gic.distributor.write(offset: GICD.ipriorityr + 41, size: 1, value: 0x80, cpu: 0)
        _ = gic.distributor.write(offset: GICD.itargetsr + 41, size: 1, value: 1, cpu: 0)
        _ = gic.cpuInterface.write(offset: GICC.ctlr, size: 4, value: 0x201, cpu: 0)
        _ = gic.cpuInterface.write(offset: GICC.pmr, size: 4, value: 0xFF, cpu: 0)
        _ = gic.distributor.write(offset: GICD.ispendr + 4, size: 4, value: 1 << 9, cpu: 0)
        XCTAssertEqual(gic.cpuInterface.read(offset: GICC.iar, size: 4, cpu: 0), 41)
        _ = gic.cpuInterface.write(offset: GICC.eoir, size: 4, value: 41, cpu: 0)
        func physicalActive() -> Bool {
            (gic.distributor.read(offset: GICD.isactiver + 4, size: 4, cpu: 0) ?? 0) & (1 << 9) != 0
        }
        XCTAssertTrue(physicalActive())

        enable()
        let hw = LR.hardware(41, physical: 41, priority: 0x80)
        setLR(0, hw)
        XCTAssertEqual(vread(GICC.iar), 41)
        XCTAssertEqual(lr(0), UInt64(hw & ~LR.pending | LR.active))
        setLR(0, hw | LR.pendingActive)
        vwrite(GICC.eoir, 41)
        XCTAssertEqual(lr(0), UInt64(hw), "pending and active → pending")
        // GICH_LRn.HW (§5.3.8): "a deactivate of the virtual interrupt also causes a deactivate
        // of the physical interrupt"; pending and active → pending is such a deactivation (QEMU
        // 7.2's gic_clear_active forwards it the same way).
        XCTAssertFalse(physicalActive(), "the first EOI already deactivates the physical SPI")
        XCTAssertEqual(vread(GICC.iar), 41)
        vwrite(GICC.eoir, 41)
        XCTAssertEqual(lr(0), UInt64(hw & ~LR.pending))
        XCTAssertFalse(physicalActive())
        XCTAssertEqual(hread(GICH.eisr0), 0, "HW = 1 never requests EOI maintenance")
        XCTAssertEqual(hread(GICH.elrsr0), 0xF)
        XCTAssertEqual(hread(GICH.misr), 0)
    }

    /// Each maintenance condition (§5.3.4) sets its GICH_MISR bit and raises PPI 25 while it
    /// holds, and clearing it (the hypervisor's LR or HCR write) lowers both again.
    func testEachMaintenanceConditionSetsAndClearsMISRAndPPI25() {
        // Underflow: zero or one valid LR.
        enable(hcr: GICv2Bits.uie)
        XCTAssertEqual(hread(GICH.misr), 1 << 1, "no valid LR at all")
        XCTAssertTrue(maintenancePending())
        setLR(0, LR.make(40, priority: 0x80))
        XCTAssertEqual(hread(GICH.misr), 1 << 1, "one valid LR")
        setLR(1, LR.make(41, priority: 0x80))
        XCTAssertEqual(hread(GICH.misr), 0, "two valid LRs")
        XCTAssertFalse(maintenancePending())
        XCTAssertEqual(vread(GICC.iar), 40)
        vwrite(GICC.eoir, 40)
        XCTAssertEqual(hread(GICH.misr), 1 << 1)
        XCTAssertTrue(maintenancePending())
        setLR(0, LR.make(42, priority: 0x80))
        XCTAssertEqual(hread(GICH.misr), 0, "refilled")
        XCTAssertFalse(maintenancePending())
        setLR(0, 0)
        setLR(1, 0)

        // No pending: no LR in the pending state (pending and active does not count, as in
        // QEMU 7.2's gic_extract_lr_info, which counts state == pending only).
        hwrite(GICH.hcr, 1 | GICv2Bits.npie)
        XCTAssertEqual(hread(GICH.misr), 1 << 3)
        XCTAssertTrue(maintenancePending())
        setLR(2, LR.make(43, priority: 0x80))
        XCTAssertEqual(hread(GICH.misr), 0)
        XCTAssertFalse(maintenancePending())
        XCTAssertEqual(vread(GICC.iar), 43)
        XCTAssertEqual(hread(GICH.misr), 1 << 3, "acknowledged: nothing pending")
        XCTAssertTrue(maintenancePending())
        setLR(2, LR.make(43, priority: 0x80, state: LR.pendingActive))
        XCTAssertEqual(hread(GICH.misr), 1 << 3, "pending and active is not the pending state")
        vwrite(GICC.eoir, 43)
        XCTAssertEqual(hread(GICH.misr), 0, "pending again")
        XCTAssertFalse(maintenancePending())
        XCTAssertEqual(vread(GICC.iar), 43)
        vwrite(GICC.eoir, 43)
        setLR(2, 0)

        // List register entry not present: the guest EOIs an interrupt no LR holds; each such EOI
        // increments GICH_HCR.EOICount, which raises LRENP until the hypervisor writes it back to 0.
        hwrite(GICH.hcr, 1 | GICv2Bits.lrenpie)
        XCTAssertEqual(hread(GICH.misr), 0)
        setLR(3, LR.make(44, priority: 0x80))
        XCTAssertEqual(vread(GICC.iar), 44)
        setLR(0, LR.make(45, priority: 0x40))   // preempts 44
        XCTAssertEqual(vread(GICC.iar), 45)
        setLR(3, 0)
        setLR(0, 0)   // the hypervisor moved both active interrupts out of the LRs
        XCTAssertFalse(maintenancePending())
        vwrite(GICC.eoir, 45)
        XCTAssertEqual((hread(GICH.hcr) ?? 0) >> 27, 1)
        XCTAssertEqual(hread(GICH.misr), 1 << 2)
        XCTAssertTrue(maintenancePending())
        vwrite(GICC.eoir, 44)
        XCTAssertEqual((hread(GICH.hcr) ?? 0) >> 27, 2, "EOICount counts each")
        XCTAssertEqual(hread(GICH.apr), 0, "both priority drops happened")
        hwrite(GICH.hcr, 1 | GICv2Bits.lrenpie)   // EOICount written back to 0
        XCTAssertEqual(hread(GICH.misr), 0)
        XCTAssertFalse(maintenancePending())

        // EOI: an invalid HW = 0 LR with EOI set, cleared by rewriting the LR.
        hwrite(GICH.hcr, 1)
        setLR(1, LR.make(46, priority: 0x80) | LR.eoi)
        XCTAssertEqual(vread(GICC.iar), 46)
        XCTAssertEqual(hread(GICH.misr), 0)
        vwrite(GICC.eoir, 46)
        XCTAssertEqual(hread(GICH.misr), 1)
        XCTAssertTrue(maintenancePending())
        setLR(1, 0)
        XCTAssertEqual(hread(GICH.misr), 0)
        XCTAssertFalse(maintenancePending())
    }

    func testSplitEOIDeactivatesThroughDIR() {
        enable()
        vwrite(GICC.ctlr, 0x203)   // EOImode
        setLR(0, LR.make(50, priority: 0x40))
        XCTAssertEqual(vread(GICC.iar), 50)
        vwrite(GICC.eoir, 50)
        XCTAssertEqual(vread(GICC.rpr), 0xFF, "priority dropped")
        XCTAssertEqual(lr(0), UInt64(LR.make(50, priority: 0x40, state: LR.active)), "still active")
        vwrite(GICC.dir, 50)
        XCTAssertEqual(lr(0), UInt64(LR.make(50, priority: 0x40, state: 0)))
    }

    func testHWListRegisterDeactivatesThePhysicalInterrupt() {
        // The hypervisor takes physical SPI 40 through GICC in split-EOI mode and drops its
        // priority; SPI 40 stays active.
        _ = gic.distributor.write(offset: GICD.ctlr, size: 4, value: 1, cpu: 0)
        _ = gic.distributor.write(offset: GICD.isenabler + 4, size: 4, value: 1 << 8, cpu: 0)
        _ = gic.distributor.write(offset: GICD.ipriorityr + 40, size: 1, value: 0x80, cpu: 0)
        _ = gic.distributor.write(offset: GICD.itargetsr + 40, size: 1, value: 1, cpu: 0)
        _ = gic.cpuInterface.write(offset: GICC.ctlr, size: 4, value: 0x201, cpu: 0)
        _ = gic.cpuInterface.write(offset: GICC.pmr, size: 4, value: 0xFF, cpu: 0)
        _ = gic.distributor.write(offset: GICD.ispendr + 4, size: 4, value: 1 << 8, cpu: 0)
        XCTAssertEqual(gic.cpuInterface.read(offset: GICC.iar, size: 4, cpu: 0), 40)
        _ = gic.cpuInterface.write(offset: GICC.eoir, size: 4, value: 40, cpu: 0)
        XCTAssertEqual((gic.distributor.read(offset: GICD.isactiver + 4, size: 4, cpu: 0) ?? 0) & (1 << 8), 1 << 8)

        // It goes to the guest as virtual interrupt 40 backed by physical 40.
        enable()
        setLR(0, LR.hardware(40, physical: 40, priority: 0x80))
        XCTAssertEqual(vread(GICC.iar), 40)
        vwrite(GICC.eoir, 40)
        XCTAssertEqual(lr(0), UInt64(LR.hardware(40, physical: 40, priority: 0x80, state: 0)))
        XCTAssertEqual((gic.distributor.read(offset: GICD.isactiver + 4, size: 4, cpu: 0) ?? 0) & (1 << 8), 0,
                       "the guest's EOI deactivated the physical SPI")
        XCTAssertEqual(hread(GICH.eisr0), 0, "HW = 1: no EOI maintenance")
        XCTAssertEqual(hread(GICH.elrsr0), 0xF)
    }

    // MARK: Maintenance

    func testEOIMaintenanceRaisesPPI25OnThatCPU() {
        enable()
        setLR(2, LR.make(60, priority: 0x80) | LR.eoi)
        XCTAssertEqual(vread(GICC.iar), 60)
        XCTAssertFalse(maintenancePending())
        vwrite(GICC.eoir, 60)
        XCTAssertEqual(hread(GICH.eisr0), 1 << 2)
        XCTAssertEqual((hread(GICH.elrsr0) ?? 0) & (1 << 2), 0, "an LR awaiting EOI maintenance is not empty")
        XCTAssertEqual(hread(GICH.misr), 1)
        XCTAssertTrue(maintenancePending(cpu: 0))
        XCTAssertFalse(maintenancePending(cpu: 1))
        // Level-sensitive: it follows GICH_HCR.En and the LR.
        hwrite(GICH.hcr, 0)
        XCTAssertFalse(maintenancePending())
        hwrite(GICH.hcr, 1)
        XCTAssertTrue(maintenancePending())
        setLR(2, 0)
        XCTAssertEqual(hread(GICH.misr), 0)
        XCTAssertFalse(maintenancePending())
    }

    func testEOIWithoutAListRegisterCountsInEOICount() {
        enable(hcr: 1 << 2)   // LRENPIE
        setLR(0, LR.make(3, priority: 0x80, cpuID: 1))
        XCTAssertEqual(vread(GICC.iar), 3 | 1 << 10)
        // The hypervisor moved the active interrupt out of the list registers.
        setLR(0, 0)
        XCTAssertEqual(hread(GICH.misr), 0)
        vwrite(GICC.eoir, 3 | 1 << 10)
        XCTAssertEqual((hread(GICH.hcr) ?? 0) >> 27, 1)
        XCTAssertEqual(hread(GICH.misr), 1 << 2)
        XCTAssertTrue(maintenancePending())
        XCTAssertEqual(vread(GICC.rpr), 0xFF, "the priority drop still happened")
        // An EOI with nothing active is ignored, not counted.
        vwrite(GICC.eoir, 3 | 1 << 10)
        XCTAssertEqual((hread(GICH.hcr) ?? 0) >> 27, 1)
        // An SGI's EOI must name the same source CPU as its LR (QEMU 7.2 differs: its
        // gic_virq_is_valid matches the VirtualID only and would deactivate LR0 here).
        setLR(0, LR.make(3, priority: 0x80, cpuID: 1))
        XCTAssertEqual(vread(GICC.iar), 3 | 1 << 10)
        vwrite(GICC.eoir, 3 | 2 << 10)
        XCTAssertEqual((hread(GICH.hcr) ?? 0) >> 27, 2)
        XCTAssertEqual(lr(0), UInt64(LR.make(3, priority: 0x80, state: LR.active, cpuID: 1)))
    }

    /// A spurious ID written to GICV_EOIR or GICV_DIR is ignored: no priority drop, no
    /// deactivation, no EOICount (§4.4.5; QEMU 7.2 gic_complete_irq / gic_deactivate_irq).
    func testSpuriousIDsAreIgnoredByEOIRAndDIR() {
        enable(hcr: GICv2Bits.lrenpie)
        setLR(0, LR.make(40, priority: 0x80))
        XCTAssertEqual(vread(GICC.iar), 40)
        for id: UInt32 in [1020, 1021, 1022, 1023] { vwrite(GICC.eoir, id) }
        XCTAssertEqual(hread(GICH.apr), 1 << 16, "no priority drop")
        XCTAssertEqual(hread(GICH.hcr), UInt64(1 | GICv2Bits.lrenpie), "no EOICount")
        XCTAssertEqual(lr(0), UInt64(LR.make(40, priority: 0x80, state: LR.active)))
        vwrite(GICC.ctlr, 0x203)   // EOImode: GICV_DIR deactivates
        vwrite(GICC.dir, 1023)
        XCTAssertEqual(hread(GICH.hcr), UInt64(1 | GICv2Bits.lrenpie))
        XCTAssertEqual(lr(0), UInt64(LR.make(40, priority: 0x80, state: LR.active)))
    }

    /// In split-EOI mode a GICV_DIR of an interrupt no LR holds counts in EOICount (LRENP),
    /// and an EOIR that dropped a priority but found no LR does not count (DIR will).
    func testDIRWithoutAListRegisterCountsInEOICount() {
        enable(hcr: GICv2Bits.lrenpie)
        vwrite(GICC.ctlr, 0x203)
        setLR(0, LR.make(40, priority: 0x80))
        XCTAssertEqual(vread(GICC.iar), 40)
        setLR(0, 0)
        vwrite(GICC.eoir, 40)
        XCTAssertEqual(hread(GICH.apr), 0)
        XCTAssertEqual((hread(GICH.hcr) ?? 0) >> 27, 0, "EOImode: the EOIR only drops the priority")
        vwrite(GICC.dir, 40)
        XCTAssertEqual((hread(GICH.hcr) ?? 0) >> 27, 1)
        XCTAssertEqual(hread(GICH.misr), 1 << 2)
        XCTAssertTrue(maintenancePending())
    }

    /// An EOI with no active priority (the guest broke the IAR/EOIR nesting, UNPREDICTABLE)
    /// still deactivates an active LR holding its interrupt, as QEMU 7.2 does, without
    /// counting in EOICount.
    func testEOIWithNoActivePriorityStillDeactivatesItsListRegister() {
        enable()
        setLR(0, LR.make(40, priority: 0x80, state: LR.active))   // active, never acknowledged
        XCTAssertEqual(hread(GICH.apr), 0)
        vwrite(GICC.eoir, 40)
        XCTAssertEqual(lr(0), UInt64(LR.make(40, priority: 0x80, state: 0)))
        XCTAssertEqual(hread(GICH.hcr), 1)
    }

    func testUnderflowAndNoPendingConditions() {
        enable(hcr: 1 << 1 | 1 << 3)   // UIE, NPIE
        setLR(0, LR.make(40, priority: 0x80))
        setLR(1, LR.make(41, priority: 0x90))
        XCTAssertEqual(hread(GICH.misr), 0, "two valid LRs, both pending")
        XCTAssertFalse(maintenancePending())
        XCTAssertEqual(vread(GICC.iar), 40)
        XCTAssertEqual(vread(GICC.iar), 1023, "0x90 cannot preempt 0x80")
        vwrite(GICC.eoir, 40)
        XCTAssertEqual(hread(GICH.misr), 1 << 1, "one valid LR left: underflow")
        XCTAssertTrue(maintenancePending())
        XCTAssertEqual(vread(GICC.iar), 41)
        XCTAssertEqual(hread(GICH.misr), 1 << 1 | 1 << 3, "nothing pending any more")
    }

    func testGroupEnableConditions() {
        hwrite(GICH.hcr, 1 | 1 << 4 | 1 << 7)   // En, VGrp0EIE, VGrp1DIE
        XCTAssertEqual(hread(GICH.misr), 1 << 7)
        vwrite(GICC.ctlr, 3)
        XCTAssertEqual(hread(GICH.misr), 1 << 4)
        XCTAssertTrue(maintenancePending())
    }

    // MARK: Signalling and priorities

    func testPriorityMaskAndRunningPriority() {
        enable()
        vwrite(GICC.pmr, 0x80)
        setLR(0, LR.make(40, priority: 0x80))
        XCTAssertFalse(virq(), "priority 0x80 does not pass a mask of 0x80")
        XCTAssertEqual(vread(GICC.iar), 1023)
        XCTAssertEqual(vread(GICC.hppir), 1023)
        vwrite(GICC.pmr, 0x88)
        XCTAssertTrue(virq())
        XCTAssertEqual(vread(GICC.iar), 40)
        setLR(1, LR.make(41, priority: 0x80))
        XCTAssertFalse(virq(), "same priority as the running one")
        XCTAssertEqual(vread(GICC.hppir), 41)
        XCTAssertEqual(vread(GICC.iar), 1023)
        setLR(2, LR.make(42, priority: 0x40))
        XCTAssertTrue(virq())
        XCTAssertEqual(vread(GICC.iar), 42)
        XCTAssertEqual(vread(GICC.rpr), 0x40)
        XCTAssertEqual(hread(GICH.apr), 1 << 8 | 1 << 16)
    }

    func testNothingIsSignalledWhileTheInterfaceIsDisabled() {
        hwrite(GICH.hcr, 1 << 3)   // NPIE, but En = 0
        vwrite(GICC.ctlr, 3)
        vwrite(GICC.pmr, 0xFF)
        XCTAssertEqual(hread(GICH.misr), 1 << 3)
        XCTAssertFalse(maintenancePending(), "no maintenance interrupt without En")
        setLR(0, LR.make(40, priority: 0x80))
        XCTAssertFalse(virq())
        XCTAssertEqual(vread(GICC.iar), 1023)
        hwrite(GICH.hcr, 1)
        XCTAssertTrue(virq())
    }

    func testGroupsFIQAndAliasedRegisters() {
        enable()
        setLR(0, LR.make(44, priority: 0x80) | LR.grp1)
        XCTAssertTrue(virq())
        XCTAssertEqual(vread(GICC.iar), 1022, "Group 1 through GICV_IAR needs AckCtl")
        XCTAssertEqual(vread(GICC.ahppir), 44)
        XCTAssertEqual(vread(GICC.aiar), 44)
        vwrite(GICC.aeoir, 44)
        XCTAssertEqual(lr(0), UInt64((LR.make(44, priority: 0x80) | LR.grp1) & ~LR.pending))
        // Group 0 is a virtual FIQ with FIQEn.
        vwrite(GICC.ctlr, 0xB)
        setLR(1, LR.make(45, priority: 0x80))
        XCTAssertTrue(vfiq())
        XCTAssertFalse(virq())
        XCTAssertEqual(vread(GICC.aiar), 1023, "GICV_AIAR sees Group 1 only")
        // Group 0 disabled in the guest: not signalled.
        vwrite(GICC.ctlr, 0xA)
        XCTAssertFalse(vfiq())
        XCTAssertEqual(vread(GICC.iar), 1023)
    }

    // MARK: Platform

    /// The shipped machine files: GICH/GICV where the cores have EL2, as QEMU maps them.
    func testShippedMachinesMapTheVirtualInterfaceWithEL2Only() throws {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        let store = try ProfileStore(directory: url.appendingPathComponent("cpu-profiles").path)
        let cases: [(machine: String, windows: [String])] = [
            ("tc2", ["gicd", "gicc", "gich", "gich-alias", "gicv"]),
            ("vexpress-a15", ["gicd", "gicc", "gich", "gich-alias", "gicv"]),
            ("vexpress-a15,virtualization=off", ["gicd", "gicc"]),
            ("virt-arm", ["gicd", "gicc"]),
            ("virt-arm,virtualization=on", ["gicd", "gicc", "gich", "gicv"]),
        ]
        for c in cases {
            let machine = try ARMMachine(spec: try store.machine(c.machine))
            let platform = try XCTUnwrap(machine.platform)
            XCTAssertEqual(platform.mmio.map(\.device.name).filter { $0.hasPrefix("gic") }, c.windows, c.machine)
            XCTAssertEqual(platform.gic?.hasVirtualization, c.windows.count > 2, c.machine)
            XCTAssertEqual(platform.gic?.maintenanceInterrupt, c.windows.count > 2 ? 25 : nil, c.machine)
        }
    }

    func testPlatformMapsGICHAndGICVOnlyForCoresWithVirtualization() throws {
        func machine(virtualization: Bool, interrupts: [Int] = [25]) -> MachineDescription {
            var m = ARMPlatformDevicesTests.machine(devices: [
                deviceSpec("gic", kind: "gic-v2",
                           regions: [ARMPlatformDevicesTests.region("gicd", 0x2C00_1000),
                                     ARMPlatformDevicesTests.region("gicc", 0x2C00_2000, 0x2000),
                                     ARMPlatformDevicesTests.region("gich", 0x2C00_4000),
                                     ARMPlatformDevicesTests.region("gich-alias", 0x2C00_5000),
                                     ARMPlatformDevicesTests.region("gicv", 0x2C00_6000, 0x2000)],
                           interrupts: interrupts, properties: [("spis", 160)]),
            ])
            for i in m.cores.indices { m.cores[i].profile.features.virtualization = virtualization }
            return m
        }
        let with = try ARMPlatformDevices.build(machine: machine(virtualization: true), host: DeviceTestHost(cores: 5))
        XCTAssertEqual(with.mmio.map(\.device.name), ["gicd", "gicc", "gich", "gich-alias", "gicv"])
        XCTAssertEqual(with.gic?.maintenanceInterrupt, 25)
        let without = try ARMPlatformDevices.build(machine: machine(virtualization: false), host: DeviceTestHost(cores: 5))
        XCTAssertEqual(without.mmio.map(\.device.name), ["gicd", "gicc"])
        XCTAssertEqual(without.gic?.hasVirtualization, false)
        XCTAssertThrowsError(try ARMPlatformDevices.build(machine: machine(virtualization: true, interrupts: [40]),
                                                          host: DeviceTestHost(cores: 5))) { error in
            XCTAssertTrue("\(error)".contains("maintenance interrupt 40 is not a PPI"), "\(error)")
        }
    }
}
