import Profiles

/// ARM PrimeCell UART PL011 (ARM DDI 0183), transmit side only: a byte written to UARTDR goes
/// straight to the console (`DeviceHost.consoleOutput`) and the transmitter is at once empty
/// again. There is no receive path: the receive FIFO is always empty (UARTFR.RXFE = 1) and
/// reads of UARTDR return 0. Loopback (UARTCR.LBE) is not modelled; as in QEMU the byte still
/// reaches the console. As in QEMU, bytes are sent whatever UARTCR.UARTEN/TXE say (bare-metal
/// code on QEMU commonly never enables the UART).
///
/// Transmit interrupt: the PL011's TX interrupt fires on a transition, when data leaves the
/// transmitter (DDI 0183, UARTTXINTR: enabling the UART with an empty FIFO does not set it). Here
/// every UARTDR write transmits immediately, so it sets UARTRIS.TXRIS; UARTICR.TXIC clears it.
/// The UART's interrupt line (UARTINTR) is UARTMIS ≠ 0, wired to the SPI `spec.interrupts[0]`.
///
/// Accesses of 1, 2 or 4 bytes are accepted (Linux 3.x uses 16-bit accesses); reads of a
/// narrow lane return that lane of the register; narrow writes must target the register's
/// low lane (bits [7:0] / [15:0]). 8-byte accesses and writes to other lanes are refused.
public final class PL011: MMIODevice {
    public let name: String
    public let interruptID: Int?
    let gic: GICv2?
    unowned let host: DeviceHost

    var integerBaudRate: UInt32 = 0       // UARTIBRD [15:0]
    var fractionalBaudRate: UInt32 = 0    // UARTFBRD [5:0]
    var lineControl: UInt32 = 0           // UARTLCR_H [7:0]
    var control: UInt32 = 0x300           // UARTCR [15:0], reset TXE | RXE
    var fifoLevelSelect: UInt32 = 0x12    // UARTIFLS [5:0], reset 1/2 full
    var interruptMask: UInt32 = 0         // UARTIMSC [10:0]
    var rawInterrupts: UInt32 = 0         // UARTRIS [10:0]
    var dmaControl: UInt32 = 0            // UARTDMACR [2:0]
    var irdaLowPower: UInt32 = 0          // UARTILPR [7:0]
    var lineLevel = false

    static let txInterrupt: UInt32 = 1 << 5
    /// UARTFR: TXFE [7] and RXFE [4] set; TXFF, RXFF, BUSY clear.
    static let flags: UInt32 = 0x90
    /// UARTPeriphID0–3, UARTPCellID0–3 at 0xFE0–0xFFC (DDI 0183: part 0x011, r1p5, ARM).
    static let identification: [UInt32] = [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1]

    public init(spec: DeviceSpec, gic: GICv2?, host: DeviceHost) {
        name = spec.name
        interruptID = spec.interrupts.first
        self.gic = gic
        self.host = host
    }

    public func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard let lane = RegisterLane(offset: offset, size: size) else { return nil }
        return lane.extract(readRegister(lane.register))
    }

    public func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard let lane = RegisterLane(offset: offset, size: size), lane.shift == 0 else { return false }
        writeRegister(lane.register, value: UInt32(truncatingIfNeeded: value) & lane.mask, cpu: cpu)
        return true
    }

    func readRegister(_ offset: UInt64) -> UInt32 {
        switch offset {
        case 0x000: return 0                       // UARTDR: receive FIFO empty
        case 0x004: return 0                       // UARTRSR: no receive errors
        case 0x018: return PL011.flags
        case 0x020: return irdaLowPower
        case 0x024: return integerBaudRate
        case 0x028: return fractionalBaudRate
        case 0x02C: return lineControl
        case 0x030: return control
        case 0x034: return fifoLevelSelect
        case 0x038: return interruptMask
        case 0x03C: return rawInterrupts
        case 0x040: return rawInterrupts & interruptMask
        case 0x048: return dmaControl
        case 0xFE0..<0x1000: return PL011.identification[Int(offset - 0xFE0) >> 2]
        default: return 0                          // UARTICR is write-only; reserved offsets
        }
    }

    func writeRegister(_ offset: UInt64, value: UInt32, cpu: Int) {
        switch offset {
        case 0x000:
            host.consoleOutput(UInt8(truncatingIfNeeded: value), device: name, cpu: cpu)
            rawInterrupts |= PL011.txInterrupt
        case 0x004: break                          // UARTECR: clears receive errors (none)
        case 0x020: irdaLowPower = value & 0xFF
        case 0x024: integerBaudRate = value & 0xFFFF
        case 0x028: fractionalBaudRate = value & 0x3F
        case 0x02C: lineControl = value & 0xFF
        case 0x030: control = value & 0xFFFF
        case 0x034: fifoLevelSelect = value & 0x3F
        case 0x038: interruptMask = value & 0x7FF
        case 0x044: rawInterrupts &= ~(value & 0x7FF)
        case 0x048: dmaControl = value & 0x7
        default: return                            // UARTFR, UARTRIS, UARTMIS, IDs: read-only
        }
        updateInterrupt()
    }

    func updateInterrupt() {
        let level = rawInterrupts & interruptMask != 0
        guard level != lineLevel else { return }
        lineLevel = level
        if let gic, let id = interruptID {
            gic.setSPI(id: id, level: level)
        }
    }
}
