import XCTest
import Emulator
import Profiles

final class SiFiveTestTests: XCTestCase {
    func testPassFailAndResetCodes() {
        let host = DeviceTestHost(cores: 2)
        let finisher = SiFiveTest(name: "test", host: host)
        XCTAssertTrue(finisher.write(offset: 0, size: 4, value: 0x5555, cpu: 1))
        XCTAssertTrue(finisher.write(offset: 0, size: 4, value: 3 << 16 | 0x3333, cpu: 0))
        XCTAssertTrue(finisher.write(offset: 0, size: 4, value: 0xFFFF_3333, cpu: 0))
        // As in QEMU (exit(code)), a fail with code 0 exits with 0.
        XCTAssertTrue(finisher.write(offset: 0, size: 4, value: 0x3333, cpu: 0))
        XCTAssertEqual(host.exits.map(\.code), [0, 3, 0xFFFF, 0])
        XCTAssertEqual(host.exits.map(\.reason), ["sifive_test: pass", "sifive_test: fail with code 3",
                                                  "sifive_test: fail with code 65535", "sifive_test: fail with code 0"])
        XCTAssertTrue(finisher.write(offset: 0, size: 4, value: 0x7777, cpu: 0))
        XCTAssertEqual(host.resets, ["sifive_test: reset"])
        // A 16-bit store carries the status alone.
        XCTAssertTrue(finisher.write(offset: 0, size: 2, value: 0x0001_5555, cpu: 0))
        XCTAssertEqual(host.exits.last?.code, 0)
        XCTAssertEqual(host.exits.count, 5)
    }

    func testOtherValuesOffsetsAndWidths() {
        let host = DeviceTestHost(cores: 1)
        let finisher = SiFiveTest(name: "test", host: host)
        XCTAssertTrue(finisher.write(offset: 0, size: 4, value: 0x1234, cpu: 0))
        XCTAssertTrue(finisher.write(offset: 0, size: 4, value: 0x5556, cpu: 0))
        XCTAssertTrue(finisher.write(offset: 4, size: 4, value: 0x5555, cpu: 0))      // only offset 0 acts
        XCTAssertTrue(finisher.write(offset: 2, size: 2, value: 0x5555, cpu: 0))
        XCTAssertTrue(finisher.write(offset: 0, size: 4, value: 0x1_0000_5556, cpu: 0))
        XCTAssertFalse(finisher.write(offset: 0, size: 8, value: 0x5555, cpu: 0))
        XCTAssertFalse(finisher.write(offset: 0, size: 1, value: 0x55, cpu: 0))
        XCTAssertFalse(finisher.write(offset: 2, size: 4, value: 0x5555, cpu: 0))
        XCTAssertTrue(host.exits.isEmpty)
        XCTAssertTrue(host.resets.isEmpty)
        XCTAssertEqual(finisher.read(offset: 0, size: 4, cpu: 0), 0)
        XCTAssertEqual(finisher.read(offset: 2, size: 2, cpu: 0), 0)
        XCTAssertNil(finisher.read(offset: 0, size: 8, cpu: 0))
        XCTAssertNil(finisher.read(offset: 1, size: 2, cpu: 0))
    }
}
