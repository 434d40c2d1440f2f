import XCTest
import Emulator
import Profiles

final class GICv2Tests: XCTestCase {
    var host: DeviceTestHost!
    var gic: GICv2!

    override func setUp() {
        host = DeviceTestHost(cores: 4)
        gic = GICv2(spec: deviceSpec("gic", kind: "gic-v2", properties: [("spis", 64)]),
                    cpuCount: 4, priorityBits: 5, host: host)
    }

    // MARK: Helpers

    func dwrite(_ offset: UInt64, _ value: UInt64, cpu: Int = 0, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(gic.distributor.write(offset: offset, size: 4, value: value, cpu: cpu), file: file, line: line)
    }

    func dwriteByte(_ offset: UInt64, _ value: UInt64, cpu: Int = 0, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(gic.distributor.write(offset: offset, size: 1, value: value, cpu: cpu), file: file, line: line)
    }

    func dread(_ offset: UInt64, cpu: Int = 0) -> UInt64? {
        gic.distributor.read(offset: offset, size: 4, cpu: cpu)
    }

    func cwrite(_ offset: UInt64, _ value: UInt64, cpu: Int = 0, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(gic.cpuInterface.write(offset: offset, size: 4, value: value, cpu: cpu), file: file, line: line)
    }

    func cread(_ offset: UInt64, cpu: Int = 0) -> UInt64? {
        gic.cpuInterface.read(offset: offset, size: 4, cpu: cpu)
    }

    func iar(cpu: Int = 0) -> UInt64? { cread(GICC.iar, cpu: cpu) }

    /// Distributor Group 0 on; every CPU interface Group 0 on with the loosest priority mask.
    func enableAll() {
        dwrite(GICD.ctlr, 1)
        for cpu in 0..<4 {
            cwrite(GICC.ctlr, 1, cpu: cpu)
            cwrite(GICC.pmr, 0xFF, cpu: cpu)
        }
    }

    func configureSPI(_ id: Int, priority: UInt64, targets: UInt64 = 1) {
        dwrite(GICD.isenabler + UInt64(id / 32) * 4, 1 << UInt64(id % 32))
        dwriteByte(GICD.ipriorityr + UInt64(id), priority)
        dwriteByte(GICD.itargetsr + UInt64(id), targets)
    }

    func pend(_ id: Int) {
        dwrite(GICD.ispendr + UInt64(id / 32) * 4, 1 << UInt64(id % 32))
    }

    // MARK: Identification

    func testTyperIIDRAndIdentificationRegisters() {
        // 64 SPIs + 32 private = 96 interrupts: ITLinesNumber 2; 4 CPUs: CPUNumber 3.
        XCTAssertEqual(dread(GICD.typer), 0x62)
        XCTAssertEqual(dread(GICD.iidr), 0x0200_143B)
        XCTAssertEqual(cread(GICC.iidr), 0x0202_143B)
        XCTAssertEqual(dread(0xFE0), 0x90)
        XCTAssertEqual(dread(0xFE4), 0xB4)
        XCTAssertEqual(dread(0xFE8), 0x2B)
        XCTAssertEqual(dread(0xFD0), 0x04)
        XCTAssertEqual(dread(0xFF0), 0x0D)
        XCTAssertEqual(dread(0xFFC), 0xB1)
        XCTAssertEqual(dread(GICD.icfgr), 0xAAAA_AAAA)
        XCTAssertEqual(dread(GICD.icfgr + 4), 0x5554_0000)
        XCTAssertEqual(dread(GICD.icfgr + 8), 0x5555_5555)
        // Read-only: writes are ignored.
        dwrite(GICD.typer, 0)
        dwrite(GICD.icfgr + 4, 0xFFFF_FFFF)
        XCTAssertEqual(dread(GICD.typer), 0x62)
        XCTAssertEqual(dread(GICD.icfgr + 4), 0x5554_0000)
    }

    func testSPICountRoundsUpToLinesOf32() {
        let other = GICv2(spec: deviceSpec("gic", kind: "gic-v2", properties: [("spis", 40)]),
                          cpuCount: 2, priorityBits: 5, host: host)
        XCTAssertEqual(other.interruptCount, 32 + 64)
        XCTAssertEqual(other.distributor.read(offset: GICD.typer, size: 4, cpu: 0), 0x22)
        let standard = GICv2(spec: deviceSpec("gic", kind: "gic-v2"), cpuCount: 1, priorityBits: 5, host: host)
        XCTAssertEqual(standard.interruptCount, 160)
    }

    func testAccessWidthsAndOutOfRangeOffsets() {
        XCTAssertNil(gic.distributor.read(offset: GICD.ctlr, size: 2, cpu: 0))
        XCTAssertNil(gic.distributor.read(offset: GICD.ctlr, size: 8, cpu: 0))
        XCTAssertNil(gic.distributor.read(offset: GICD.isenabler, size: 1, cpu: 0))
        XCTAssertNil(gic.distributor.read(offset: GICD.ctlr + 2, size: 4, cpu: 0))
        XCTAssertFalse(gic.distributor.write(offset: GICD.sgir, size: 1, value: 0, cpu: 0))
        XCTAssertNil(gic.cpuInterface.read(offset: GICC.iar, size: 1, cpu: 0))
        XCTAssertNil(gic.distributor.read(offset: GICD.ctlr, size: 4, cpu: 4))
        XCTAssertNotNil(gic.distributor.read(offset: GICD.ipriorityr + 3, size: 1, cpu: 0))
        // Registers past the implemented interrupts read as zero and ignore writes.
        dwrite(GICD.isenabler + 0x7C, 0xFFFF_FFFF)
        XCTAssertEqual(dread(GICD.isenabler + 0x7C), 0)
        dwriteByte(GICD.ipriorityr + 500, 0x80)
        XCTAssertEqual(gic.distributor.read(offset: GICD.ipriorityr + 500, size: 1, cpu: 0), 0)
        XCTAssertEqual(cread(0x800), 0)
        cwrite(0x800, 0xFFFF)
    }

    // MARK: SGIs

    func testSGIToTargetList() {
        enableAll()
        // CPU 0 sends SGI 3 to CPUs 1 and 2.
        dwrite(GICD.sgir, 0b0110 << 16 | 3, cpu: 0)
        XCTAssertEqual(host.irq, [false, true, true, false])
        XCTAssertEqual(iar(cpu: 1), 3)            // source CPU 0 in [12:10]
        XCTAssertEqual(iar(cpu: 3), 1023)
        // CPU 2 sends SGI 3 to CPU 1 while CPU 1 handles the first one: active and pending.
        dwrite(GICD.sgir, 0b0010 << 16 | 3, cpu: 2)
        cwrite(GICC.eoir, 3, cpu: 1)
        XCTAssertEqual(iar(cpu: 1), 3 | 2 << 10)
    }

    func testSGIToAllButSelf() {
        enableAll()
        dwrite(GICD.sgir, 1 << 24 | 0xFF << 16 | 7, cpu: 1)   // the target list is ignored
        XCTAssertEqual(host.irq, [true, false, true, true])
        for cpu in [0, 2, 3] {
            XCTAssertEqual(iar(cpu: cpu), 7 | 1 << 10)
        }
        XCTAssertEqual(iar(cpu: 1), 1023)
    }

    func testSGIToSelf() {
        enableAll()
        dwrite(GICD.sgir, 2 << 24 | 0x0F << 16 | 15, cpu: 3)
        XCTAssertEqual(host.irq, [false, false, false, true])
        XCTAssertEqual(iar(cpu: 3), 15 | 3 << 10)
    }

    func testReservedSGIFilterIsIgnored() {
        enableAll()
        dwrite(GICD.sgir, 3 << 24 | 0x0F << 16 | 1, cpu: 0)
        XCTAssertEqual(host.irq, [false, false, false, false])
        XCTAssertEqual(host.lineChanges.count, 0)
    }

    func testIARReturnsEachSourceCPUInTurn() {
        enableAll()
        dwrite(GICD.sgir, 0b0001 << 16 | 5, cpu: 3)
        dwrite(GICD.sgir, 0b0001 << 16 | 5, cpu: 1)
        // GICD_SPENDSGIR1 byte 1 (SGI 5) shows both sources as CPU 0 reads it.
        XCTAssertEqual(gic.distributor.read(offset: GICD.spendsgir + 5, size: 1, cpu: 0), 0b1010)
        XCTAssertEqual(cread(GICC.hppir), 5 | 1 << 10)
        XCTAssertEqual(iar(), 5 | 1 << 10)
        cwrite(GICC.eoir, 5 | 1 << 10)
        XCTAssertEqual(iar(), 5 | 3 << 10)
        cwrite(GICC.eoir, 5 | 3 << 10)
        XCTAssertEqual(iar(), 1023)
        XCTAssertFalse(host.irq[0])
    }

    func testSPENDSGIRAndCPENDSGIR() {
        enableAll()
        dwriteByte(GICD.spendsgir + 2, 0b0100, cpu: 1)          // SGI 2 from CPU 2, on CPU 1
        XCTAssertEqual(dread(GICD.ispendr, cpu: 1), 1 << 2)
        XCTAssertTrue(host.irq[1])
        dwriteByte(GICD.cpendsgir + 2, 0b0100, cpu: 1)
        XCTAssertEqual(dread(GICD.ispendr, cpu: 1), 0)
        XCTAssertFalse(host.irq[1])
        // SGI bits of GICD_ISPENDR0 ignore writes; SGIs cannot be disabled.
        dwrite(GICD.ispendr, 0xFFFF, cpu: 1)
        XCTAssertEqual(dread(GICD.ispendr, cpu: 1), 0)
        dwrite(GICD.icenabler, 0xFFFF, cpu: 1)
        XCTAssertEqual(dread(GICD.isenabler, cpu: 1), 0xFFFF)
    }

    // MARK: Priority

    func testPriorityMaskIsStrict() {
        enableAll()
        configureSPI(40, priority: 0x80)
        cwrite(GICC.pmr, 0x80)
        pend(40)
        XCTAssertFalse(host.irq[0])
        XCTAssertEqual(iar(), 1023)
        XCTAssertEqual(cread(GICC.hppir), 1023)
        cwrite(GICC.pmr, 0x88)
        XCTAssertTrue(host.irq[0])
        XCTAssertEqual(cread(GICC.hppir), 40)
        XCTAssertEqual(iar(), 40)
    }

    func testPriorityFieldsKeepFiveBits() {
        dwriteByte(GICD.ipriorityr + 33, 0xFF)
        XCTAssertEqual(gic.distributor.read(offset: GICD.ipriorityr + 33, size: 1, cpu: 0), 0xF8)
        dwrite(GICD.ipriorityr + 32, 0x1234_5678)
        XCTAssertEqual(dread(GICD.ipriorityr + 32), 0x1030_5078)
        cwrite(GICC.pmr, 0xFF)
        XCTAssertEqual(cread(GICC.pmr), 0xF8)
        // Binary point: minimum 2 for Group 0 and 3 for Group 1 with 5 priority bits.
        XCTAssertEqual(cread(GICC.bpr), 2)
        XCTAssertEqual(cread(GICC.abpr), 3)
        cwrite(GICC.bpr, 0)
        cwrite(GICC.abpr, 1)
        XCTAssertEqual(cread(GICC.bpr), 2)
        XCTAssertEqual(cread(GICC.abpr), 3)
    }

    func testBankedPrivatePriorities() {
        dwriteByte(GICD.ipriorityr + 27, 0xA0, cpu: 1)
        XCTAssertEqual(gic.distributor.read(offset: GICD.ipriorityr + 27, size: 1, cpu: 1), 0xA0)
        XCTAssertEqual(gic.distributor.read(offset: GICD.ipriorityr + 27, size: 1, cpu: 0), 0)
    }

    func testRunningPriorityAndPreemption() {
        enableAll()
        configureSPI(40, priority: 0x80)
        configureSPI(41, priority: 0x40)
        configureSPI(42, priority: 0xA0)
        XCTAssertEqual(cread(GICC.rpr), 0xFF)
        pend(40)
        XCTAssertEqual(iar(), 40)
        XCTAssertEqual(cread(GICC.rpr), 0x80)
        XCTAssertFalse(host.irq[0])
        pend(42)                       // lower priority than the running one: no preemption
        XCTAssertFalse(host.irq[0])
        XCTAssertEqual(iar(), 1023)
        pend(41)                       // higher: preempts
        XCTAssertTrue(host.irq[0])
        XCTAssertEqual(iar(), 41)
        XCTAssertEqual(cread(GICC.rpr), 0x40)
        XCTAssertEqual(cread(GICC.apr0), 1 << 8 | 1 << 16)
        cwrite(GICC.eoir, 41)
        XCTAssertEqual(cread(GICC.rpr), 0x80)
        XCTAssertFalse(host.irq[0])
        cwrite(GICC.eoir, 40)
        XCTAssertEqual(cread(GICC.rpr), 0xFF)
        XCTAssertTrue(host.irq[0])
        XCTAssertEqual(iar(), 42)
    }

    func testBinaryPointGroupsPriorities() {
        enableAll()
        configureSPI(40, priority: 0x98)
        configureSPI(41, priority: 0x88)
        // BPR 2: group priority [7:3]; 0x88 preempts 0x98.
        pend(40)
        XCTAssertEqual(iar(), 40)
        pend(41)
        XCTAssertTrue(host.irq[0])
        XCTAssertEqual(iar(), 41)
        cwrite(GICC.eoir, 41)
        cwrite(GICC.eoir, 40)
        // BPR 4: group priority [7:5]; 0x98 and 0x88 are both group 0x80: no preemption.
        cwrite(GICC.bpr, 4)
        pend(40)
        XCTAssertEqual(iar(), 40)
        XCTAssertEqual(cread(GICC.rpr), 0x80)
        pend(41)
        XCTAssertFalse(host.irq[0])
        XCTAssertEqual(iar(), 1023)
        cwrite(GICC.eoir, 40)
        XCTAssertTrue(host.irq[0])
        XCTAssertEqual(iar(), 41)
    }

    // MARK: EOI and deactivation

    func testEOIDeactivatesWhenEOImodeIsZero() {
        enableAll()
        configureSPI(40, priority: 0x80)
        pend(40)
        XCTAssertEqual(iar(), 40)
        XCTAssertEqual(dread(GICD.isactiver + 4), 1 << 8)
        cwrite(GICC.eoir, 40)
        XCTAssertEqual(dread(GICD.isactiver + 4), 0)
        // Writing a spurious ID or with nothing active does nothing.
        cwrite(GICC.eoir, 1023)
        cwrite(GICC.eoir, 40)
        XCTAssertEqual(cread(GICC.rpr), 0xFF)
    }

    func testSplitEOIThenDIR() {
        enableAll()
        cwrite(GICC.ctlr, 1 | 1 << 9)          // EnableGrp0, EOImodeS
        configureSPI(40, priority: 0x80)
        pend(40)
        XCTAssertEqual(iar(), 40)
        cwrite(GICC.eoir, 40)
        XCTAssertEqual(cread(GICC.rpr), 0xFF)      // priority dropped
        XCTAssertEqual(dread(GICD.isactiver + 4), 1 << 8)   // still active
        pend(40)
        XCTAssertFalse(host.irq[0])            // active and pending: not forwarded again
        cwrite(GICC.dir, 40)
        XCTAssertEqual(dread(GICD.isactiver + 4), 0)
        XCTAssertTrue(host.irq[0])
        XCTAssertEqual(iar(), 40)
    }

    func testDIRIsIgnoredWithoutSplitMode() {
        enableAll()
        configureSPI(40, priority: 0x80)
        pend(40)
        XCTAssertEqual(iar(), 40)
        cwrite(GICC.dir, 40)
        XCTAssertEqual(dread(GICD.isactiver + 4), 1 << 8)
        XCTAssertEqual(cread(GICC.rpr), 0x80)
    }

    // MARK: Routing

    func testBankedITARGETSR0To7() {
        XCTAssertEqual(dread(GICD.itargetsr, cpu: 0), 0x0101_0101)
        XCTAssertEqual(dread(GICD.itargetsr, cpu: 2), 0x0404_0404)
        XCTAssertEqual(dread(GICD.itargetsr + 0x1C, cpu: 3), 0x0808_0808)
        dwrite(GICD.itargetsr, 0xFFFF_FFFF, cpu: 2)
        XCTAssertEqual(dread(GICD.itargetsr, cpu: 2), 0x0404_0404)
        // SPI targets keep only implemented CPU interfaces.
        dwriteByte(GICD.itargetsr + 40, 0xFF)
        XCTAssertEqual(gic.distributor.read(offset: GICD.itargetsr + 40, size: 1, cpu: 1), 0x0F)
    }

    func testUniprocessorTargetsAreRAZAndSPIsReachCPU0() {
        let single = DeviceTestHost(cores: 1)
        let up = GICv2(spec: deviceSpec("gic", kind: "gic-v2", properties: [("spis", 32)]),
                       cpuCount: 1, priorityBits: 5, host: single)
        XCTAssertEqual(up.distributor.read(offset: GICD.itargetsr, size: 4, cpu: 0), 0)
        _ = up.distributor.write(offset: GICD.ctlr, size: 4, value: 1, cpu: 0)
        _ = up.cpuInterface.write(offset: GICC.ctlr, size: 4, value: 1, cpu: 0)
        _ = up.cpuInterface.write(offset: GICC.pmr, size: 4, value: 0xF8, cpu: 0)
        _ = up.distributor.write(offset: GICD.isenabler + 4, size: 4, value: 1, cpu: 0)
        up.setSPI(id: 32, level: true)
        XCTAssertEqual(single.irq, [true])
    }

    func testSPIGoesToItsTargetsAndTheFirstAcknowledgerTakesIt() {
        enableAll()
        configureSPI(45, priority: 0x10, targets: 0b0110)
        pend(45)
        XCTAssertEqual(host.irq, [false, true, true, false])
        XCTAssertEqual(iar(cpu: 2), 45)
        XCTAssertEqual(host.irq, [false, false, false, false])
        XCTAssertEqual(iar(cpu: 1), 1023)
    }

    // MARK: Inputs

    func testLevelSPIStaysPendingWhileHigh() {
        enableAll()
        configureSPI(50, priority: 0x80)
        gic.setSPI(id: 50, level: true)
        XCTAssertTrue(host.irq[0])
        XCTAssertEqual(iar(), 50)
        // Active and still pending: the line is high.
        XCTAssertEqual(dread(GICD.ispendr + 4), 1 << 18)
        dwrite(GICD.icpendr + 4, 1 << 18)
        XCTAssertEqual(dread(GICD.ispendr + 4), 1 << 18)
        cwrite(GICC.eoir, 50)
        XCTAssertTrue(host.irq[0])
        XCTAssertEqual(iar(), 50)
        gic.setSPI(id: 50, level: false)
        cwrite(GICC.eoir, 50)
        XCTAssertFalse(host.irq[0])
        XCTAssertEqual(iar(), 1023)
    }

    func testEdgeSPILatchesARisingEdge() {
        enableAll()
        configureSPI(51, priority: 0x80)
        dwrite(GICD.icfgr + 12, 2 << 6)          // ICFGR3 covers 48–63; SPI 51 is field 3
        XCTAssertEqual(dread(GICD.icfgr + 12), 0x5555_5555 | 2 << 6)
        gic.setSPI(id: 51, level: true)
        gic.setSPI(id: 51, level: false)
        XCTAssertTrue(host.irq[0])
        XCTAssertEqual(iar(), 51)
        cwrite(GICC.eoir, 51)
        XCTAssertEqual(iar(), 1023)
    }

    func testPPIIsBankedPerCPU() {
        enableAll()
        dwrite(GICD.isenabler, 1 << 30, cpu: 1)
        gic.setPPI(cpu: 1, id: 30, level: true)
        gic.setPPI(cpu: 0, id: 30, level: true)       // enabled on CPU 1 only
        XCTAssertEqual(host.irq, [false, true, false, false])
        XCTAssertEqual(iar(cpu: 1), 30)
        gic.setPPI(cpu: 1, id: 30, level: false)
        cwrite(GICC.eoir, 30, cpu: 1)
        XCTAssertEqual(host.irq, [false, false, false, false])
    }

    func testHasPendingInterruptIgnoresEnables() {
        XCTAssertFalse(gic.hasPendingInterrupt(cpu: 2))
        dwrite(GICD.sgir, 0b0100 << 16 | 1, cpu: 0)
        XCTAssertTrue(gic.hasPendingInterrupt(cpu: 2))
        XCTAssertFalse(gic.hasPendingInterrupt(cpu: 0))
        XCTAssertEqual(host.irq, [false, false, false, false])
        dwriteByte(GICD.itargetsr + 60, 0b1000)
        gic.setSPI(id: 60, level: true)
        XCTAssertTrue(gic.hasPendingInterrupt(cpu: 3))
        XCTAssertFalse(gic.hasPendingInterrupt(cpu: 1))
    }

    // MARK: Groups and enables

    func testSpuriousWhenNothingIsPendingOrForwardingIsOff() {
        XCTAssertEqual(iar(), 1023)
        configureSPI(40, priority: 0x80)
        pend(40)
        cwrite(GICC.pmr, 0xFF)
        cwrite(GICC.ctlr, 1)
        XCTAssertEqual(iar(), 1023)           // GICD_CTLR.EnableGrp0 = 0
        dwrite(GICD.ctlr, 1)
        XCTAssertEqual(iar(), 40)
    }

    func testGroup0AsFIQAndGroup1Acknowledgement() {
        dwrite(GICD.ctlr, 3)
        cwrite(GICC.ctlr, 1 | 2 | 1 << 3)     // EnableGrp0, EnableGrp1, FIQEn
        cwrite(GICC.pmr, 0xFF)
        configureSPI(40, priority: 0x40)
        pend(40)
        XCTAssertTrue(host.fiq[0])
        XCTAssertFalse(host.irq[0])
        XCTAssertEqual(iar(), 40)
        cwrite(GICC.eoir, 40)
        XCTAssertFalse(host.fiq[0])

        dwrite(GICD.igroupr + 4, 1 << 9)           // SPI 41 in Group 1
        configureSPI(41, priority: 0x40)
        pend(41)
        XCTAssertTrue(host.irq[0])
        XCTAssertFalse(host.fiq[0])
        XCTAssertEqual(cread(GICC.hppir), 1022)
        XCTAssertEqual(iar(), 1022)                // AckCtl = 0
        XCTAssertEqual(cread(GICC.ahppir), 41)
        XCTAssertEqual(cread(GICC.aiar), 41)
        XCTAssertEqual(cread(GICC.rpr), 0x40)
        cwrite(GICC.eoir + 0x14, 41)               // GICC_AEOIR
        XCTAssertEqual(cread(GICC.rpr), 0xFF)
        XCTAssertEqual(dread(GICD.isactiver + 4), 0)

        cwrite(GICC.ctlr, 1 | 2 | 1 << 2)          // AckCtl
        pend(41)
        XCTAssertEqual(iar(), 41)
    }

    func testDisabledGroupIsNotSignalled() {
        dwrite(GICD.ctlr, 3)
        cwrite(GICC.ctlr, 1)                       // Group 1 off at the CPU interface
        cwrite(GICC.pmr, 0xFF)
        dwrite(GICD.igroupr + 4, 1 << 8)
        configureSPI(40, priority: 0x40)
        pend(40)
        XCTAssertFalse(host.irq[0])
        XCTAssertEqual(cread(GICC.aiar), 1023)
    }

    func testLinesAreReportedOnlyWhenTheyChange() {
        enableAll()
        configureSPI(40, priority: 0x80)
        configureSPI(41, priority: 0x80)
        pend(40)
        pend(41)
        XCTAssertEqual(host.lineChanges.count, 1)
        XCTAssertEqual(iar(), 40)
        XCTAssertEqual(host.lineChanges.count, 2)          // dropped: 41 cannot preempt
        cwrite(GICC.eoir, 40)
        XCTAssertEqual(host.lineChanges.count, 3)
        XCTAssertEqual(host.lineChanges.last?.irq, true)
    }
}
