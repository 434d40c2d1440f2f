import XCTest
import Emulator
import Profiles

final class SiFiveUARTTests: XCTestCase {
    static let txdata: UInt64 = 0x00, rxdata: UInt64 = 0x04, txctrl: UInt64 = 0x08, rxctrl: UInt64 = 0x0C
    static let ie: UInt64 = 0x10, ip: UInt64 = 0x14, div: UInt64 = 0x18

    func testBytesReachTheConsoleWhileTransmitIsEnabled() {
        let host = DeviceTestHost(cores: 2)
        let uart = SiFiveUART(spec: deviceSpec("uart0", kind: "sifive-uart"), plic: nil, host: host)
        XCTAssertTrue(uart.write(offset: Self.txctrl, size: 4, value: 1, cpu: 0))     // txen
        for byte in "hi\n".utf8 {
            XCTAssertEqual(uart.read(offset: Self.txdata, size: 4, cpu: 1), 0)          // not full
            XCTAssertTrue(uart.write(offset: Self.txdata, size: 4, value: UInt64(byte) | 0x100, cpu: 1))
        }
        XCTAssertEqual(host.consoleText, "hi\n")
        XCTAssertEqual(host.console.map(\.device), ["uart0", "uart0", "uart0"])
        XCTAssertEqual(host.console.map(\.cpu), [1, 1, 1])
        XCTAssertEqual(uart.read(offset: Self.rxdata, size: 4, cpu: 0), 0x8000_0000)  // receive FIFO empty
    }

    func testTransmitDisabledQueuesEightBytesThenDropsUntilEnabled() {
        let host = DeviceTestHost(cores: 1)
        let uart = SiFiveUART(spec: deviceSpec("uart0", kind: "sifive-uart"), plic: nil, host: host)
        for byte in "abcdefghij".utf8 {
            XCTAssertTrue(uart.write(offset: Self.txdata, size: 4, value: UInt64(byte), cpu: 0))
        }
        XCTAssertTrue(host.console.isEmpty)
        XCTAssertEqual(uart.read(offset: Self.txdata, size: 4, cpu: 0), 0x8000_0000)  // full
        XCTAssertTrue(uart.write(offset: Self.txctrl, size: 4, value: 0xFFFF_FFFF, cpu: 0))
        XCTAssertEqual(uart.read(offset: Self.txctrl, size: 4, cpu: 0), 0x0007_0003)
        XCTAssertEqual(host.consoleText, "abcdefgh")
        XCTAssertEqual(uart.read(offset: Self.txdata, size: 4, cpu: 0), 0)
    }

    func testTransmitWatermarkInterruptThroughThePLIC() {
        let host = DeviceTestHost(cores: 2)
        let plic = PLIC(spec: deviceSpec("plic", kind: "plic", properties: [("sources", 53)]),
                        hartHasSupervisor: [false, true], host: host)
        _ = plic.write(offset: PLICMap.priority(39), size: 4, value: 1, cpu: 0)
        _ = plic.write(offset: PLICMap.enable(2, word: 1), size: 4, value: 1 << 7, cpu: 0)   // hart 1 S
        let uart = SiFiveUART(spec: deviceSpec("uart0", kind: "sifive-uart", interrupts: [39]), plic: plic, host: host)
        let seip = 9

        XCTAssertEqual(uart.read(offset: Self.ip, size: 4, cpu: 0), 0)                // txcnt 0: 0 < 0 is false
        XCTAssertTrue(uart.write(offset: Self.txctrl, size: 4, value: 2 << 16, cpu: 0))   // txcnt 2, txen 0
        XCTAssertEqual(uart.read(offset: Self.ip, size: 4, cpu: 0), 1)                // txwm
        XCTAssertNil(host.lines[1])                                                   // ie clear
        XCTAssertTrue(uart.write(offset: Self.ie, size: 4, value: 0xFF, cpu: 0))
        XCTAssertEqual(uart.read(offset: Self.ie, size: 4, cpu: 0), 3)
        XCTAssertEqual(host.lines[1]?[seip], true)
        XCTAssertEqual(plic.read(offset: PLICMap.claim(2), size: 4, cpu: 0), 39)

        // Two queued bytes reach the watermark: txwm clears and the UART's output drops.
        _ = uart.write(offset: Self.txdata, size: 4, value: 0x41, cpu: 0)
        XCTAssertEqual(uart.read(offset: Self.ip, size: 4, cpu: 0), 1)
        _ = uart.write(offset: Self.txdata, size: 4, value: 0x42, cpu: 0)
        XCTAssertEqual(uart.read(offset: Self.ip, size: 4, cpu: 0), 0)
        XCTAssertTrue(plic.write(offset: PLICMap.claim(2), size: 4, value: 39, cpu: 0))
        XCTAssertFalse(plic.isPending(39))
        // Enabling the transmitter empties the FIFO: txwm again.
        XCTAssertTrue(uart.write(offset: Self.txctrl, size: 4, value: 2 << 16 | 1, cpu: 1))
        XCTAssertEqual(host.consoleText, "AB")
        XCTAssertEqual(host.console.map(\.cpu), [1, 1])
        XCTAssertTrue(plic.isPending(39))
        XCTAssertEqual(host.lines[1]?[seip], true)
        XCTAssertNil(host.lines[0])                                                   // hart 0 has only M
    }

    func testRegistersAndWidths() {
        let host = DeviceTestHost(cores: 1)
        let uart = SiFiveUART(spec: deviceSpec("uart0", kind: "sifive-uart"), plic: nil, host: host)
        XCTAssertTrue(uart.write(offset: Self.rxctrl, size: 4, value: 0xFFFF_FFFF, cpu: 0))
        XCTAssertEqual(uart.read(offset: Self.rxctrl, size: 4, cpu: 0), 0x0007_0001)
        XCTAssertTrue(uart.write(offset: Self.div, size: 4, value: 0x1_0364, cpu: 0))
        XCTAssertEqual(uart.read(offset: Self.div, size: 4, cpu: 0), 0x0364)
        XCTAssertTrue(uart.write(offset: Self.ip, size: 4, value: 3, cpu: 0))          // read-only
        XCTAssertEqual(uart.read(offset: Self.ip, size: 4, cpu: 0), 0)
        XCTAssertEqual(uart.read(offset: 0x1C, size: 4, cpu: 0), 0)
        XCTAssertEqual(uart.read(offset: 0xFFC, size: 4, cpu: 0), 0)
        XCTAssertNil(uart.read(offset: Self.txdata, size: 1, cpu: 0))
        XCTAssertNil(uart.read(offset: Self.txdata, size: 8, cpu: 0))
        XCTAssertNil(uart.read(offset: 0x02, size: 4, cpu: 0))
        XCTAssertFalse(uart.write(offset: Self.txdata, size: 1, value: 0x41, cpu: 0))
        XCTAssertFalse(uart.write(offset: Self.txdata, size: 2, value: 0x41, cpu: 0))
        XCTAssertEqual(uart.read(offset: Self.txdata, size: 4, cpu: 0), 0)            // nothing queued
    }
}
