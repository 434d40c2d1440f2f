import XCTest
import Emulator
import Profiles

final class VersatileExpressSysRegsTests: XCTestCase {
    var host: DeviceTestHost!
    var regs: VersatileExpressSysRegs!

    override func setUp() {
        host = DeviceTestHost(cores: 2)
        regs = VersatileExpressSysRegs(
            spec: deviceSpec("sysregs", kind: "ve-sysregs",
                             properties: [("sys-id", 0x225F_500), ("procid0", 0x1400_0249)]),
            host: host)
    }

    func read(_ offset: UInt64, cpu: Int = 0) -> UInt64? { regs.read(offset: offset, size: 4, cpu: cpu) }

    func write(_ offset: UInt64, _ value: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(regs.write(offset: offset, size: 4, value: value, cpu: 0), file: file, line: line)
    }

    func testIdentification() {
        XCTAssertEqual(read(0x00), 0x225F_500)
        XCTAssertEqual(read(0x84), 0x1400_0249)
        XCTAssertEqual(read(0x88), 0xFF00_0000)            // default PROCID1
        write(0x00, 0)
        write(0x84, 0)
        XCTAssertEqual(read(0x00), 0x225F_500)
        XCTAssertEqual(read(0x84), 0x1400_0249)
    }

    func testFlagsSetAndClear() {
        XCTAssertEqual(regs.flags, 0)
        write(0x30, 0x8000_1000)
        write(0x30, 0x0000_0004)
        XCTAssertEqual(read(0x30), 0x8000_1004)
        XCTAssertEqual(regs.flags, 0x8000_1004)
        write(0x34, 0x8000_0000)
        XCTAssertEqual(regs.flags, 0x1004)
        write(0x34, 0xFFFF_FFFF)
        XCTAssertEqual(regs.flags, 0)
        write(0x38, 0x5)
        write(0x3C, 0x1)
        XCTAssertEqual(read(0x38), 0x4)
        write(0x08, 0xA5)
        XCTAssertEqual(read(0x08), 0xA5)
    }

    func testCountersFollowVirtualTime() {
        host.time[1] = 48_000_000                          // two seconds at 24 MHz
        XCTAssertEqual(read(0x5C, cpu: 1), 48_000_000)
        XCTAssertEqual(read(0x24, cpu: 1), 200)
        XCTAssertEqual(read(0x24, cpu: 0), 0)
        host.time[0] = UInt64.max
        XCTAssertEqual(read(0x5C, cpu: 0), 0xFFFF_FFFF)
        XCTAssertEqual(read(0x24, cpu: 0), UInt64(UInt32(truncatingIfNeeded: UInt64.max / 240_000)))
    }

    func cfgctrl(write isWrite: Bool, function: UInt64, site: UInt64 = 0, device: UInt64 = 0) {
        write(0xA4, 1 << 31 | (isWrite ? 1 << 30 : 0) | function << 20 | site << 16 | device)
    }

    func testShutdownRequestsExit() {
        cfgctrl(write: true, function: 8)
        XCTAssertEqual(host.exits.count, 1)
        XCTAssertEqual(host.exits.first?.code, 0)
        XCTAssertEqual(host.exits.first?.reason, "SYS_CFGCTRL shutdown")
        XCTAssertEqual(read(0xA8), 1)                     // COMPLETE
        XCTAssertEqual(read(0xA4), 1 << 30 | 8 << 20)     // START reads as zero
        XCTAssertTrue(host.resets.isEmpty)
    }

    func testRebootRequestsReset() {
        cfgctrl(write: true, function: 9)
        XCTAssertEqual(host.resets, ["SYS_CFGCTRL reboot"])
        XCTAssertTrue(host.exits.isEmpty)
    }

    func testWithoutStartNothingHappens() {
        write(0xA4, 1 << 30 | 8 << 20)
        XCTAssertTrue(host.exits.isEmpty)
        XCTAssertEqual(read(0xA8), 0)
    }

    func testOscillatorsAndUnsupportedOperations() {
        write(0xA0, 0x1234)
        cfgctrl(write: false, function: 1, device: 1)
        XCTAssertEqual(read(0xA8), 1)
        XCTAssertEqual(read(0xA0), 23_750_000)
        write(0xA0, 25_000_000)
        cfgctrl(write: true, function: 1, device: 1)
        write(0xA0, 0)
        cfgctrl(write: false, function: 1, device: 1)
        XCTAssertEqual(read(0xA0), 25_000_000)
        // Daughterboard site: not modelled, completes with ERROR and CFGDATA unchanged.
        cfgctrl(write: false, function: 1, site: 1, device: 0)
        XCTAssertEqual(read(0xA8), 3)
        XCTAssertEqual(read(0xA0), 25_000_000)
        // Shutdown of another device is not a shutdown.
        cfgctrl(write: true, function: 8, device: 1)
        XCTAssertEqual(read(0xA8), 3)
        XCTAssertTrue(host.exits.isEmpty)
        write(0xA8, 0)
        XCTAssertEqual(read(0xA8), 0)
    }

    func testWidths() {
        XCTAssertEqual(regs.read(offset: 0x01, size: 1, cpu: 0), 0xF5)
        XCTAssertNil(regs.read(offset: 0x00, size: 8, cpu: 0))
        XCTAssertFalse(regs.write(offset: 0x31, size: 1, value: 1, cpu: 0))
        XCTAssertEqual(read(0x400), 0)
    }
}
