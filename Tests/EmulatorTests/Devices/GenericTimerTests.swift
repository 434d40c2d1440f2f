import XCTest
import Emulator
import Profiles

final class GenericTimerTests: XCTestCase {
    var host: DeviceTestHost!
    var gic: GICv2!
    var timer: GenericTimer!

    override func setUp() {
        host = DeviceTestHost(cores: 2)
        gic = GICv2(spec: deviceSpec("gic", kind: "gic-v2"), cpuCount: 2, priorityBits: 5, host: host)
        timer = GenericTimer(spec: deviceSpec("timer", kind: "generic-timer", interrupts: [29, 30, 27, 26],
                                              properties: [("cntfrq", 100_000_000)]),
                             cpuCount: 2, gic: gic, host: host)
        // GIC: forwarding on, every PPI enabled on both CPUs, loosest mask.
        for cpu in 0..<2 {
            _ = gic.distributor.write(offset: GICD.ctlr, size: 4, value: 1, cpu: cpu)
            _ = gic.distributor.write(offset: GICD.isenabler, size: 4, value: 0xFFFF_0000, cpu: cpu)
            _ = gic.cpuInterface.write(offset: GICC.ctlr, size: 4, value: 1, cpu: cpu)
            _ = gic.cpuInterface.write(offset: GICC.pmr, size: 4, value: 0xF8, cpu: cpu)
        }
    }

    func pendingPPIs(cpu: Int) -> UInt64 {
        (gic.distributor.read(offset: GICD.ispendr, size: 4, cpu: cpu) ?? 0) & 0xFFFF_0000
    }

    func testCounterAndFrequency() {
        host.time[1] = 12_345
        XCTAssertEqual(timer.read(.cntfrq, cpu: 0), 100_000_000)
        XCTAssertEqual(timer.read(.cntpct, cpu: 1), 12_345)
        XCTAssertEqual(timer.read(.cntpct, cpu: 0), 0)
        timer.write(.cntpct, value: 7, cpu: 1)          // read-only
        XCTAssertEqual(timer.read(.cntpct, cpu: 1), 12_345)
        timer.write(.cntvoff, value: 345, cpu: 1)
        XCTAssertEqual(timer.read(.cntvct, cpu: 1), 12_000)
        timer.write(.cntfrq, value: 24_000_000, cpu: 0)
        XCTAssertEqual(timer.read(.cntfrq, cpu: 0), 24_000_000)
        XCTAssertEqual(timer.read(.cntfrq, cpu: 1), 100_000_000)
    }

    func testPhysicalTimerFiresAtCVAL() {
        host.time[0] = 100
        timer.write(.cntpCval, value: 1_000, cpu: 0)
        timer.write(.cntpCtl, value: 1, cpu: 0)
        XCTAssertEqual(host.timerRequests.last?.cpu, 0)
        XCTAssertEqual(host.timerRequests.last?.time, 1_000)
        XCTAssertEqual(timer.read(.cntpCtl, cpu: 0), 1)           // ISTATUS clear
        XCTAssertFalse(host.irq[0])

        host.time[0] = 999
        timer.timerEvent(cpu: 0)
        XCTAssertFalse(host.irq[0])
        host.time[0] = 1_000
        timer.timerEvent(cpu: 0)
        XCTAssertTrue(host.irq[0])
        XCTAssertFalse(host.irq[1])
        XCTAssertEqual(pendingPPIs(cpu: 0), 1 << 30)             // NS physical PPI only
        XCTAssertEqual(timer.read(.cntpCtl, cpu: 0), 1 | 4)       // ENABLE | ISTATUS
        XCTAssertEqual(gic.cpuInterface.read(offset: GICC.iar, size: 4, cpu: 0), 30)

        // IMASK drops the output; ISTATUS stays.
        timer.write(.cntpCtl, value: 1 | 2, cpu: 0)
        XCTAssertEqual(pendingPPIs(cpu: 0), 0)
        XCTAssertEqual(timer.read(.cntpCtl, cpu: 0), 1 | 2 | 4)
        // Disabled: ISTATUS reads as zero.
        timer.write(.cntpCtl, value: 0, cpu: 0)
        XCTAssertEqual(timer.read(.cntpCtl, cpu: 0), 0)
    }

    func testTVALIsSignedAndWraps() {
        host.time[0] = 5_000
        timer.write(.cntpTval, value: 0xFFFF_FF00, cpu: 0)        // −256
        XCTAssertEqual(timer.read(.cntpCval, cpu: 0), 4_744)
        XCTAssertEqual(timer.read(.cntpTval, cpu: 0), 0xFFFF_FF00)
        timer.write(.cntpCtl, value: 1, cpu: 0)
        XCTAssertTrue(host.irq[0])                                 // already past: fires at once

        timer.write(.cntpTval, value: 100, cpu: 0)
        XCTAssertEqual(timer.read(.cntpCval, cpu: 0), 5_100)
        XCTAssertFalse(host.irq[0])
        XCTAssertEqual(host.timerRequests.last?.time, 5_100)
        host.time[0] = 5_050
        XCTAssertEqual(timer.read(.cntpTval, cpu: 0), 50)
        host.time[0] = 5_200
        XCTAssertEqual(timer.read(.cntpTval, cpu: 0), 0xFFFF_FF9C)    // −100

        // Near zero the counter minus 256 wraps around 2^64.
        host.time[1] = 10
        timer.write(.cntpTval, value: 0xFFFF_FF00, cpu: 1)
        XCTAssertEqual(timer.read(.cntpCval, cpu: 1), UInt64.max - 245)
    }

    func testVirtualTimerCountsFromCNTVOFF() {
        host.time[1] = 5_000
        timer.write(.cntvoff, value: 1_000, cpu: 1)
        timer.write(.cntvCval, value: 4_500, cpu: 1)
        timer.write(.cntvCtl, value: 1, cpu: 1)
        XCTAssertEqual(host.timerRequests.last?.cpu, 1)
        XCTAssertEqual(host.timerRequests.last?.time, 5_500)
        XCTAssertEqual(timer.read(.cntvTval, cpu: 1), 500)
        host.time[1] = 5_500
        timer.timerEvent(cpu: 1)
        XCTAssertEqual(pendingPPIs(cpu: 1), 1 << 27)
        // Raising CNTVOFF moves the virtual count back: the condition no longer holds.
        timer.write(.cntvoff, value: 2_000, cpu: 1)
        XCTAssertEqual(pendingPPIs(cpu: 1), 0)
        XCTAssertEqual(host.timerRequests.last?.time, 6_500)
    }

    func testHypTimerDrivesItsPPI() {
        host.time[0] = 50
        timer.write(.cnthpCval, value: 40, cpu: 0)
        timer.write(.cnthpCtl, value: 1, cpu: 0)
        XCTAssertEqual(pendingPPIs(cpu: 0), 1 << 26)
        XCTAssertEqual(timer.read(.cnthpCtl, cpu: 0), 5)
    }

    func testNoEventIsRequestedForAMaskedDisabledOrUnreachableTimer() {
        host.time[0] = 100
        timer.write(.cntpCval, value: 1_000, cpu: 0)
        timer.write(.cntpCtl, value: 1 | 2, cpu: 0)             // masked
        timer.write(.cntvCval, value: 1_000, cpu: 0)            // disabled
        XCTAssertTrue(host.timerRequests.isEmpty)
        host.time[0] = 300
        timer.write(.cntvoff, value: 200, cpu: 0)
        timer.write(.cntvCval, value: UInt64.max, cpu: 0)       // at physical 2^64 + 199
        timer.write(.cntvCtl, value: 1, cpu: 0)
        XCTAssertTrue(host.timerRequests.isEmpty)
    }

    func testControlRegistersKeepTheirFields() {
        timer.write(.cntkctl, value: 0xFFFF_FFFF, cpu: 0)
        timer.write(.cnthctl, value: 0xFFFF_FFFF, cpu: 0)
        timer.write(.cntpCtl, value: 0xFFFF_FFF8, cpu: 0)
        XCTAssertEqual(timer.read(.cntkctl, cpu: 0), 0x3FF)
        XCTAssertEqual(timer.read(.cnthctl, cpu: 0), 0xFF)
        XCTAssertEqual(timer.read(.cntpCtl, cpu: 0), 0)
        XCTAssertEqual(timer.read(.cntkctl, cpu: 1), 0)
        // A CPU outside the machine reads zero and cannot write.
        timer.write(.cntpCval, value: 1, cpu: 9)
        XCTAssertEqual(timer.read(.cntpCval, cpu: 9), 0)
    }
}
