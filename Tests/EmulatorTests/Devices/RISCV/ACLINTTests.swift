import XCTest
import Emulator
import Profiles

/// CLINT offsets (QEMU virt / SiFive CLINT layout).
enum CLINT {
    static func msip(_ hart: Int) -> UInt64 { UInt64(hart) * 4 }
    static func mtimecmp(_ hart: Int) -> UInt64 { 0x4000 + UInt64(hart) * 8 }
    static let mtime: UInt64 = 0xBFF8
}

final class ACLINTTests: XCTestCase {
    static let mtip = 7, msip = 3, ssip = 1

    func makeCLINT(_ host: DeviceTestHost, timebase: UInt64? = nil) -> ACLINT {
        let properties = timebase.map { [("timebase", $0)] } ?? []
        return ACLINT(spec: deviceSpec("clint", kind: "clint", properties: properties),
                      hartCount: host.coreCount, host: host)
    }

    func testMSIPSetsAndClearsTheHartsSoftwareInterrupt() {
        let host = DeviceTestHost(cores: 2)
        let clint = makeCLINT(host)
        XCTAssertEqual(clint.read(offset: CLINT.msip(1), size: 4, cpu: 0), 0)
        XCTAssertTrue(clint.write(offset: CLINT.msip(1), size: 4, value: 0xFFFF_FFFF, cpu: 0))
        XCTAssertEqual(host.lines[1]?[Self.msip], true)
        XCTAssertNil(host.lines[0])
        XCTAssertEqual(clint.read(offset: CLINT.msip(1), size: 4, cpu: 0), 1)     // bits [31:1] are 0
        XCTAssertTrue(clint.mswi.msip(hart: 1))
        // Writing the same level again drives nothing new.
        XCTAssertTrue(clint.write(offset: CLINT.msip(1), size: 4, value: 1, cpu: 1))
        XCTAssertEqual(host.lineEvents.count, 1)
        XCTAssertTrue(clint.write(offset: CLINT.msip(1), size: 4, value: 0xFFFF_FFFE, cpu: 1))
        XCTAssertEqual(host.lines[1]?[Self.msip], false)
        XCTAssertEqual(clint.read(offset: CLINT.msip(1), size: 4, cpu: 0), 0)
        XCTAssertTrue(clint.write(offset: CLINT.msip(0), size: 4, value: 1, cpu: 1))
        XCTAssertEqual(host.lines[0]?[Self.msip], true)
        XCTAssertEqual(host.lineEvents.map(\.cpu), [1, 1, 0])
        XCTAssertEqual(host.lineEvents.map(\.line), [3, 3, 3])
    }

    func testMSIPRefusesOtherWidthsAndIgnoresHartsBeyondTheMachine() {
        let host = DeviceTestHost(cores: 2)
        let clint = makeCLINT(host)
        XCTAssertNil(clint.read(offset: CLINT.msip(0), size: 8, cpu: 0))
        XCTAssertNil(clint.read(offset: CLINT.msip(0), size: 2, cpu: 0))
        XCTAssertNil(clint.read(offset: 2, size: 4, cpu: 0))
        XCTAssertFalse(clint.write(offset: CLINT.msip(0), size: 1, value: 1, cpu: 0))
        XCTAssertFalse(clint.write(offset: CLINT.msip(0), size: 8, value: 1, cpu: 0))
        XCTAssertEqual(clint.read(offset: CLINT.msip(2), size: 4, cpu: 0), 0)
        XCTAssertTrue(clint.write(offset: CLINT.msip(2), size: 4, value: 1, cpu: 0))
        XCTAssertTrue(clint.write(offset: 0x3FFC, size: 4, value: 1, cpu: 0))
        XCTAssertTrue(host.lineEvents.isEmpty)
        // The reserved tail of the window (+0xC000–0xFFFF) reads zero.
        XCTAssertEqual(clint.read(offset: 0xC000, size: 8, cpu: 0), 0)
        XCTAssertEqual(clint.read(offset: 0xFFFC, size: 4, cpu: 0), 0)
        XCTAssertNil(clint.read(offset: 0xC001, size: 4, cpu: 0))
        XCTAssertTrue(clint.write(offset: 0xFFF8, size: 8, value: 1, cpu: 0))
        XCTAssertFalse(clint.write(offset: 0xFFF8, size: 2, value: 1, cpu: 0))
    }

    func testMtimecmpFiresWhenTimeReachesIt() {
        let host = DeviceTestHost(cores: 2)
        let clint = makeCLINT(host)
        host.time = [100, 0]
        XCTAssertEqual(clint.mtimecmp(hart: 0), 0)
        XCTAssertTrue(clint.write(offset: CLINT.mtimecmp(0), size: 8, value: 150, cpu: 1))
        XCTAssertNil(host.lines[0]?[Self.mtip])                                  // low: never driven
        XCTAssertEqual(host.timerRequests.last?.cpu, 0)
        XCTAssertEqual(host.timerRequests.last?.time, 150)
        XCTAssertEqual(clint.read(offset: CLINT.mtimecmp(0), size: 8, cpu: 1), 150)
        XCTAssertEqual(clint.mtimecmp(hart: 0), 150)

        host.time[0] = 149
        clint.timerEvent(cpu: 0)
        XCTAssertNil(host.lines[0]?[Self.mtip])
        XCTAssertEqual(host.timerRequests.last?.time, 150)
        host.time[0] = 150
        clint.timerEvent(cpu: 0)
        XCTAssertEqual(host.lines[0]?[Self.mtip], true)
        XCTAssertNil(host.lines[1])                                              // hart 1 untouched

        // mtime is the accessing hart's virtual time, one tick per instruction.
        XCTAssertEqual(clint.read(offset: CLINT.mtime, size: 8, cpu: 0), 150)
        XCTAssertEqual(clint.read(offset: CLINT.mtime, size: 8, cpu: 1), 0)
        XCTAssertEqual(clint.mtime(cpu: 0), 150)

        // Moving the comparator into the future lowers MTIP and asks for the new deadline.
        XCTAssertTrue(clint.write(offset: CLINT.mtimecmp(0), size: 8, value: 1000, cpu: 0))
        XCTAssertEqual(host.lines[0]?[Self.mtip], false)
        XCTAssertEqual(host.timerRequests.last?.cpu, 0)
        XCTAssertEqual(host.timerRequests.last?.time, 1000)
        // A comparator in the past raises MTIP at once.
        XCTAssertTrue(clint.write(offset: CLINT.mtimecmp(0), size: 8, value: 0, cpu: 0))
        XCTAssertEqual(host.lines[0]?[Self.mtip], true)
    }

    func testResetStateRaisesMTIPOnEveryHart() {
        let host = DeviceTestHost(cores: 3)
        let clint = makeCLINT(host)
        XCTAssertEqual(clint.read(offset: CLINT.mtimecmp(2), size: 8, cpu: 0), 0)
        XCTAssertEqual(clint.read(offset: CLINT.mtime, size: 8, cpu: 0), 0)
        XCTAssertTrue(host.lineEvents.isEmpty)
        clint.driveResetState()
        XCTAssertEqual(host.lines[0]?[Self.mtip], true)
        XCTAssertEqual(host.lines[1]?[Self.mtip], true)
        XCTAssertEqual(host.lines[2]?[Self.mtip], true)
        XCTAssertTrue(host.timerRequests.isEmpty)
        // OpenSBI's first move: MTIMECMP = all ones lowers MTIP.
        XCTAssertTrue(clint.write(offset: CLINT.mtimecmp(1), size: 8, value: .max, cpu: 1))
        XCTAssertEqual(host.lines[1]?[Self.mtip], false)
        XCTAssertEqual(host.lines[0]?[Self.mtip], true)
    }

    func testMtimecmpHalvesAreWrittenSeparately() {
        let host = DeviceTestHost(cores: 2)
        let clint = makeCLINT(host)
        host.time = [0, 0x1_0000_0000]
        // The RV32 sequence: low half all ones, high half, then low half.
        XCTAssertTrue(clint.write(offset: CLINT.mtimecmp(1), size: 4, value: 0xFFFF_FFFF, cpu: 1))
        XCTAssertTrue(clint.write(offset: CLINT.mtimecmp(1) + 4, size: 4, value: 0x2, cpu: 1))
        XCTAssertEqual(clint.mtimecmp(hart: 1), 0x2_FFFF_FFFF)
        XCTAssertTrue(clint.write(offset: CLINT.mtimecmp(1), size: 4, value: 0x1234_5678, cpu: 1))
        XCTAssertEqual(clint.mtimecmp(hart: 1), 0x2_1234_5678)
        XCTAssertEqual(clint.read(offset: CLINT.mtimecmp(1), size: 4, cpu: 0), 0x1234_5678)
        XCTAssertEqual(clint.read(offset: CLINT.mtimecmp(1) + 4, size: 4, cpu: 0), 0x2)
        XCTAssertEqual(clint.read(offset: CLINT.mtimecmp(1), size: 8, cpu: 0), 0x2_1234_5678)
        // From reset (0) the first half-write gave 0xFFFF_FFFF, below hart 1's time: MTIP rose,
        // and fell when the high half moved the comparator ahead.
        XCTAssertEqual(host.lineEvents.filter { $0.cpu == 1 }.map(\.level), [true, false])
        XCTAssertEqual(host.lines[1]?[Self.mtip], false)
        XCTAssertEqual(host.timerRequests.last?.cpu, 1)
        XCTAssertEqual(host.timerRequests.last?.time, 0x2_1234_5678)
        // Lowering the high half puts the comparator in hart 1's past.
        XCTAssertTrue(clint.write(offset: CLINT.mtimecmp(1) + 4, size: 4, value: 0, cpu: 0))
        XCTAssertEqual(clint.mtimecmp(hart: 1), 0x1234_5678)
        XCTAssertEqual(host.lines[1]?[Self.mtip], true)
        XCTAssertNil(host.lines[0])
        // mtime halves.
        XCTAssertEqual(clint.read(offset: CLINT.mtime + 4, size: 4, cpu: 1), 1)
        XCTAssertEqual(clint.read(offset: CLINT.mtime, size: 4, cpu: 1), 0)
        // 64-bit accesses must be 8-byte aligned; 1- and 2-byte accesses are refused.
        XCTAssertNil(clint.read(offset: CLINT.mtimecmp(1) + 4, size: 8, cpu: 0))
        XCTAssertFalse(clint.write(offset: CLINT.mtimecmp(1) + 4, size: 8, value: 0, cpu: 0))
        XCTAssertNil(clint.read(offset: CLINT.mtimecmp(1), size: 2, cpu: 0))
        XCTAssertNil(clint.read(offset: CLINT.mtime, size: 1, cpu: 0))
        // Comparators of harts the machine does not have read zero.
        XCTAssertEqual(clint.read(offset: CLINT.mtimecmp(2), size: 8, cpu: 0), 0)
        XCTAssertTrue(clint.write(offset: CLINT.mtimecmp(2), size: 8, value: 0, cpu: 0))
    }

    func testWritingMtimeMovesEveryHartsComparison() {
        let host = DeviceTestHost(cores: 2)
        let clint = makeCLINT(host, timebase: 1_000_000)
        XCTAssertEqual(clint.timebaseFrequency, 1_000_000)
        host.time = [10, 20]
        _ = clint.write(offset: CLINT.mtimecmp(0), size: 8, value: 1000, cpu: 0)
        _ = clint.write(offset: CLINT.mtimecmp(1), size: 8, value: 1000, cpu: 0)
        XCTAssertNil(host.lines[0]?[Self.mtip])
        XCTAssertNil(host.lines[1]?[Self.mtip])

        XCTAssertTrue(clint.write(offset: CLINT.mtime, size: 8, value: 995, cpu: 0))
        XCTAssertEqual(clint.read(offset: CLINT.mtime, size: 8, cpu: 0), 995)     // the writer reads it back
        XCTAssertEqual(clint.mtime(cpu: 1), 1005)                                // the shared offset
        XCTAssertEqual(host.lines[1]?[Self.mtip], true)
        XCTAssertNil(host.lines[0]?[Self.mtip])
        XCTAssertEqual(host.timerRequests.last(where: { $0.cpu == 0 })?.time, 15)  // 5 ticks from now

        // A 32-bit write of mtime's high half keeps the low half.
        XCTAssertTrue(clint.write(offset: CLINT.mtime + 4, size: 4, value: 1, cpu: 0))
        XCTAssertEqual(clint.mtime(cpu: 0), 0x1_0000_03E3)
        XCTAssertEqual(host.lines[0]?[Self.mtip], true)
        host.time[0] = 11
        XCTAssertEqual(clint.read(offset: CLINT.mtime, size: 4, cpu: 0), 0x3E4)
    }

    func testSeparateMTimerWindow() {
        let host = DeviceTestHost(cores: 1)
        let timer = ACLINTMTimer(name: "mtimer", hartCount: 1, timebaseFrequency: 10_000_000, host: host)
        host.time = [42]
        XCTAssertEqual(timer.read(offset: 0x7FF8, size: 8, cpu: 0), 42)
        XCTAssertTrue(timer.write(offset: 0, size: 8, value: 40, cpu: 0))
        XCTAssertEqual(host.lines[0]?[Self.mtip], true)
        XCTAssertEqual(timer.read(offset: 0, size: 8, cpu: 0), 40)
        XCTAssertEqual(timer.read(offset: 8, size: 8, cpu: 0), 0)
    }

    func testSSWISetsSupervisorSoftwareInterrupt() {
        let host = DeviceTestHost(cores: 3)
        let sswi = ACLINTSSWI(name: "sswi", hartCount: 3, host: host)
        XCTAssertTrue(sswi.write(offset: 8, size: 4, value: 1, cpu: 0))
        XCTAssertEqual(host.lineEvents.count, 1)
        XCTAssertEqual(host.lineEvents.first?.cpu, 2)
        XCTAssertEqual(host.lineEvents.first?.line, Self.ssip)
        XCTAssertEqual(host.lineEvents.first?.level, true)
        XCTAssertEqual(sswi.read(offset: 8, size: 4, cpu: 0), 0)                // always reads 0
        // Writing 0 does nothing (software clears SSIP in sip); each 1 is a new request.
        XCTAssertTrue(sswi.write(offset: 8, size: 4, value: 0, cpu: 0))
        XCTAssertEqual(host.lineEvents.count, 1)
        XCTAssertTrue(sswi.write(offset: 8, size: 4, value: 3, cpu: 1))
        XCTAssertEqual(host.lineEvents.count, 2)
        XCTAssertTrue(sswi.write(offset: 0, size: 4, value: 1, cpu: 1))
        XCTAssertEqual(host.lineEvents.map(\.cpu), [2, 2, 0])
        XCTAssertEqual(host.lineEvents.map(\.line), [1, 1, 1])
        // No such hart; other widths refused.
        XCTAssertTrue(sswi.write(offset: 12, size: 4, value: 1, cpu: 0))
        XCTAssertEqual(host.lineEvents.count, 3)
        XCTAssertNil(sswi.read(offset: 0, size: 8, cpu: 0))
        XCTAssertFalse(sswi.write(offset: 0, size: 1, value: 1, cpu: 0))
        XCTAssertFalse(sswi.write(offset: 2, size: 4, value: 1, cpu: 0))
        XCTAssertEqual(host.lineEvents.count, 3)
    }
}
