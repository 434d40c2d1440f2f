import XCTest
import Emulator
import Profiles

final class NS16550ATests: XCTestCase {
    static let thr: UInt64 = 0, ier: UInt64 = 1, iir: UInt64 = 2, fcr: UInt64 = 2, lcr: UInt64 = 3
    static let mcr: UInt64 = 4, lsr: UInt64 = 5, msr: UInt64 = 6, scr: UInt64 = 7

    func testBytesReachTheConsoleAndTheDivisorLatchIsSeparate() {
        let host = DeviceTestHost(cores: 2)
        let uart = NS16550A(spec: deviceSpec("uart0", kind: "ns16550a"), plic: nil, host: host)
        XCTAssertEqual(uart.read(offset: Self.lsr, size: 1, cpu: 0), 0x60)       // THRE | TEMT, no DR
        XCTAssertEqual(uart.read(offset: Self.thr, size: 1, cpu: 0), 0)          // nothing received

        // Linux's 8250 setup: DLAB, divisor, 8N1.
        XCTAssertTrue(uart.write(offset: Self.lcr, size: 1, value: 0x80, cpu: 0))
        XCTAssertEqual(uart.read(offset: 0, size: 1, cpu: 0), 0x0C)              // QEMU's reset divisor
        XCTAssertTrue(uart.write(offset: 0, size: 1, value: 0x01, cpu: 0))
        XCTAssertTrue(uart.write(offset: 1, size: 1, value: 0x02, cpu: 0))
        XCTAssertEqual(uart.read(offset: 0, size: 1, cpu: 0), 0x01)
        XCTAssertEqual(uart.read(offset: 1, size: 1, cpu: 0), 0x02)
        XCTAssertTrue(host.console.isEmpty)
        XCTAssertTrue(uart.write(offset: Self.lcr, size: 1, value: 0x03, cpu: 0))
        XCTAssertEqual(uart.read(offset: Self.ier, size: 1, cpu: 0), 0)          // IER, not DLM

        for byte in "ok\n".utf8 {
            XCTAssertTrue(uart.write(offset: Self.thr, size: 1, value: UInt64(byte) | 0xFF00, cpu: 1))
        }
        XCTAssertTrue(uart.write(offset: Self.thr, size: 4, value: UInt64(UInt8(ascii: "!")), cpu: 0))
        XCTAssertEqual(host.consoleText, "ok\n!")
        XCTAssertEqual(host.console.map(\.device), ["uart0", "uart0", "uart0", "uart0"])
        XCTAssertEqual(host.console.map(\.cpu), [1, 1, 1, 0])
        XCTAssertEqual(uart.read(offset: Self.lsr, size: 1, cpu: 0), 0x60)
    }

    func testRegistersResetValuesAndLoopback() {
        let host = DeviceTestHost(cores: 1)
        let uart = NS16550A(spec: deviceSpec("uart0", kind: "ns16550a"), plic: nil, host: host)
        XCTAssertEqual(uart.read(offset: Self.iir, size: 1, cpu: 0), 0x01)       // no interrupt
        XCTAssertEqual(uart.read(offset: Self.mcr, size: 1, cpu: 0), 0x08)       // OUT2
        XCTAssertEqual(uart.read(offset: Self.msr, size: 1, cpu: 0), 0xB0)       // DCD | DSR | CTS
        XCTAssertTrue(uart.write(offset: Self.fcr, size: 1, value: 0x07, cpu: 0))  // enable + reset FIFOs
        XCTAssertEqual(uart.read(offset: Self.iir, size: 1, cpu: 0), 0xC1)
        XCTAssertTrue(uart.write(offset: Self.scr, size: 1, value: 0x5A, cpu: 0))
        XCTAssertEqual(uart.read(offset: Self.scr, size: 1, cpu: 0), 0x5A)
        XCTAssertTrue(uart.write(offset: Self.ier, size: 1, value: 0xF0, cpu: 0))
        XCTAssertEqual(uart.read(offset: Self.ier, size: 1, cpu: 0), 0)          // IER[7:4] are zero
        XCTAssertTrue(uart.write(offset: Self.lsr, size: 1, value: 0, cpu: 0))   // read-only
        XCTAssertEqual(uart.read(offset: Self.lsr, size: 1, cpu: 0), 0x60)

        // Loopback: MSR shows the MCR outputs; sent bytes do not reach the console.
        XCTAssertTrue(uart.write(offset: Self.mcr, size: 1, value: 0xFF, cpu: 0))
        XCTAssertEqual(uart.read(offset: Self.mcr, size: 1, cpu: 0), 0x1F)
        XCTAssertEqual(uart.read(offset: Self.msr, size: 1, cpu: 0), 0xF0)
        XCTAssertTrue(uart.write(offset: Self.mcr, size: 1, value: 0x12, cpu: 0))  // LOOP | RTS
        XCTAssertEqual(uart.read(offset: Self.msr, size: 1, cpu: 0), 0x10)       // CTS only
        XCTAssertTrue(uart.write(offset: Self.thr, size: 1, value: 0x41, cpu: 0))
        XCTAssertTrue(host.console.isEmpty)
        XCTAssertTrue(uart.write(offset: Self.mcr, size: 1, value: 0x0B, cpu: 0))
        XCTAssertTrue(uart.write(offset: Self.thr, size: 1, value: 0x42, cpu: 0))
        XCTAssertEqual(host.consoleText, "B")
    }

    func testBadAccessesAreRefused() {
        let host = DeviceTestHost(cores: 1)
        let uart = NS16550A(spec: deviceSpec("uart0", kind: "ns16550a"), plic: nil, host: host)
        XCTAssertNil(uart.read(offset: 8, size: 1, cpu: 0))
        XCTAssertNil(uart.read(offset: 0x100, size: 1, cpu: 0))
        XCTAssertNil(uart.read(offset: 1, size: 2, cpu: 0))
        XCTAssertNil(uart.read(offset: 0, size: 3, cpu: 0))
        XCTAssertNil(uart.read(offset: 4, size: 8, cpu: 0))
        XCTAssertFalse(uart.write(offset: 8, size: 1, value: 0x41, cpu: 0))
        XCTAssertFalse(uart.write(offset: 2, size: 4, value: 0x41, cpu: 0))
        XCTAssertEqual(uart.read(offset: 4, size: 4, cpu: 0), 0x08)              // MCR through a word access
        XCTAssertTrue(host.console.isEmpty)
    }

    func testTransmitHoldingEmptyInterruptThroughThePLIC() {
        let host = DeviceTestHost(cores: 1)
        let plic = PLIC(spec: deviceSpec("plic", kind: "plic", properties: [("sources", 16)]),
                        hartHasSupervisor: [true], host: host)
        _ = plic.write(offset: PLICMap.priority(10), size: 4, value: 1, cpu: 0)
        _ = plic.write(offset: PLICMap.enable(1), size: 4, value: 1 << 10, cpu: 0)
        let uart = NS16550A(spec: deviceSpec("uart0", kind: "ns16550a", interrupts: [10]), plic: plic, host: host)
        let seip = 9

        // Nothing before ETBEI; enabling it with THR empty raises the interrupt.
        XCTAssertTrue(uart.write(offset: Self.thr, size: 1, value: 0x41, cpu: 0))
        XCTAssertNil(host.lines[0])
        XCTAssertTrue(uart.write(offset: Self.ier, size: 1, value: 0x02, cpu: 0))
        XCTAssertEqual(host.lines[0]?[seip], true)
        XCTAssertEqual(plic.read(offset: PLICMap.claim(1), size: 4, cpu: 0), 10)
        // Reading IIR identifies it and clears it; the completion then finds the wire low.
        XCTAssertEqual(uart.read(offset: Self.iir, size: 1, cpu: 0), 0x02)
        XCTAssertEqual(uart.read(offset: Self.iir, size: 1, cpu: 0), 0x01)
        XCTAssertTrue(plic.write(offset: PLICMap.claim(1), size: 4, value: 10, cpu: 0))
        XCTAssertFalse(plic.isPending(10))
        XCTAssertEqual(host.lines[0]?[seip], false)

        // Each byte sent empties THR again: a new interrupt.
        XCTAssertTrue(uart.write(offset: Self.thr, size: 1, value: 0x42, cpu: 0))
        XCTAssertEqual(host.lines[0]?[seip], true)
        XCTAssertEqual(plic.read(offset: PLICMap.claim(1), size: 4, cpu: 0), 10)
        // Disabling ETBEI drops the UART's output: completion leaves nothing pending.
        XCTAssertTrue(uart.write(offset: Self.ier, size: 1, value: 0x00, cpu: 0))
        XCTAssertEqual(uart.read(offset: Self.iir, size: 1, cpu: 0), 0x01)
        XCTAssertTrue(plic.write(offset: PLICMap.claim(1), size: 4, value: 10, cpu: 0))
        XCTAssertFalse(plic.isPending(10))
        XCTAssertEqual(host.consoleText, "AB")
    }
}
