import XCTest
import Emulator
import Profiles

final class PL011Tests: XCTestCase {
    func testBytesReachTheConsoleWithDeviceAndCPU() {
        let host = DeviceTestHost(cores: 2)
        let uart = PL011(spec: deviceSpec("uart0", kind: "pl011"), gic: nil, host: host)
        for byte in "hi\n".utf8 {
            XCTAssertTrue(uart.write(offset: 0x000, size: 4, value: UInt64(byte) | 0xFF00, cpu: 1))
        }
        XCTAssertTrue(uart.write(offset: 0x000, size: 1, value: UInt64(UInt8(ascii: "!")), cpu: 0))
        XCTAssertEqual(host.consoleText, "hi\n!")
        XCTAssertEqual(host.console.map(\.device), ["uart0", "uart0", "uart0", "uart0"])
        XCTAssertEqual(host.console.map(\.cpu), [1, 1, 1, 0])
    }

    func testFlagsIdentificationAndStoredRegisters() {
        let host = DeviceTestHost(cores: 1)
        let uart = PL011(spec: deviceSpec("uart0", kind: "pl011"), gic: nil, host: host)
        XCTAssertEqual(uart.read(offset: 0x018, size: 4, cpu: 0), 0x90)       // TXFE | RXFE
        XCTAssertEqual(uart.read(offset: 0x018, size: 2, cpu: 0), 0x90)
        XCTAssertEqual(uart.read(offset: 0x030, size: 4, cpu: 0), 0x300)
        let ids: [UInt64] = [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1]
        for (i, id) in ids.enumerated() {
            XCTAssertEqual(uart.read(offset: 0xFE0 + UInt64(i * 4), size: 4, cpu: 0), id)
        }
        XCTAssertTrue(uart.write(offset: 0x024, size: 2, value: 0x1_0013, cpu: 0))
        XCTAssertEqual(uart.read(offset: 0x024, size: 4, cpu: 0), 0x13)
        XCTAssertTrue(uart.write(offset: 0x028, size: 4, value: 0xFF, cpu: 0))
        XCTAssertEqual(uart.read(offset: 0x028, size: 4, cpu: 0), 0x3F)
        XCTAssertTrue(uart.write(offset: 0x02C, size: 4, value: 0x70, cpu: 0))
        XCTAssertEqual(uart.read(offset: 0x02C, size: 4, cpu: 0), 0x70)
        XCTAssertTrue(uart.write(offset: 0x030, size: 4, value: 0x301, cpu: 0))
        XCTAssertEqual(uart.read(offset: 0x031, size: 1, cpu: 0), 0x03)       // upper lane of UARTCR
        XCTAssertTrue(uart.write(offset: 0x048, size: 4, value: 0xF, cpu: 0))
        XCTAssertEqual(uart.read(offset: 0x048, size: 4, cpu: 0), 0x7)
        XCTAssertEqual(uart.read(offset: 0x000, size: 4, cpu: 0), 0)          // nothing received
        XCTAssertNil(uart.read(offset: 0x000, size: 8, cpu: 0))
        XCTAssertNil(uart.read(offset: 0x002, size: 4, cpu: 0))
        XCTAssertFalse(uart.write(offset: 0x001, size: 1, value: 0x41, cpu: 0))
        XCTAssertTrue(host.console.isEmpty)
    }

    func testTransmitInterruptReachesTheGIC() {
        let host = DeviceTestHost(cores: 1)
        let gic = GICv2(spec: deviceSpec("gic", kind: "gic-v2", properties: [("spis", 64)]),
                        cpuCount: 1, priorityBits: 5, host: host)
        _ = gic.distributor.write(offset: GICD.ctlr, size: 4, value: 1, cpu: 0)
        _ = gic.distributor.write(offset: GICD.isenabler + 4, size: 4, value: 1 << 5, cpu: 0)   // SPI 37
        _ = gic.cpuInterface.write(offset: GICC.ctlr, size: 4, value: 1, cpu: 0)
        _ = gic.cpuInterface.write(offset: GICC.pmr, size: 4, value: 0xF8, cpu: 0)
        let uart = PL011(spec: deviceSpec("uart0", kind: "pl011", interrupts: [37]), gic: gic, host: host)

        XCTAssertEqual(uart.read(offset: 0x03C, size: 4, cpu: 0), 0)          // no TX interrupt at reset
        XCTAssertTrue(uart.write(offset: 0x000, size: 4, value: 0x41, cpu: 0))
        XCTAssertEqual(uart.read(offset: 0x03C, size: 4, cpu: 0), 0x20)       // TXRIS
        XCTAssertEqual(uart.read(offset: 0x040, size: 4, cpu: 0), 0)          // masked
        XCTAssertFalse(host.irq[0])
        XCTAssertTrue(uart.write(offset: 0x038, size: 4, value: 0x20, cpu: 0)) // IMSC.TXIM
        XCTAssertEqual(uart.read(offset: 0x040, size: 4, cpu: 0), 0x20)
        XCTAssertTrue(host.irq[0])
        XCTAssertTrue(uart.write(offset: 0x044, size: 4, value: 0x20, cpu: 0)) // ICR.TXIC
        XCTAssertEqual(uart.read(offset: 0x03C, size: 4, cpu: 0), 0)
        XCTAssertFalse(host.irq[0])
        XCTAssertTrue(uart.write(offset: 0x000, size: 4, value: 0x42, cpu: 0))
        XCTAssertTrue(host.irq[0])
    }
}
