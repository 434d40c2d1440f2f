import Profiles

/// The SiFive UART of the FU740 (FU740-C000 manual, chapter "Universal Asynchronous
/// Receiver/Transmitter"; QEMU hw/char/sifive_uart.c): 32-bit registers txdata (+0x00), rxdata
/// (+0x04), txctrl (+0x08), rxctrl (+0x0C), ie (+0x10), ip (+0x14), div (+0x18).
///
/// Transmit: writing txdata enqueues its low byte into the 8-entry transmit FIFO, unless the
/// FIFO is full (txdata.full, bit 31, reads 1), in which case the write is ignored. While
/// txctrl.txen is set the FIFO drains at once to the console (`DeviceHost.consoleOutput`), so it
/// stays empty; while txen is clear transmission is suppressed (manual, txctrl) and bytes wait in
/// the FIFO — setting txen sends them. QEMU sends whatever txen says; we follow the manual, so
/// a bare-metal program must set txen (OpenSBI and U-Boot do) to see output beyond 8 bytes.
///
/// Receive: there is no receive path; rxdata reads with empty (bit 31) set.
///
/// Interrupts (manual, "Interrupt Registers"): ip.txwm is set while the transmit FIFO holds
/// strictly fewer entries than txctrl.txcnt; ip.rxwm while the receive FIFO holds more than
/// rxctrl.rxcnt entries (never, here). The UART's interrupt is ie & ip ≠ 0, into PLIC source
/// `spec.interrupts[0]` (older QEMU raised it whenever ie.txwm was set, whatever txcnt said).
///
/// Accesses are 32 bits, naturally aligned (QEMU: 4 bytes only); other widths are refused.
/// Offsets that hold no register read zero and ignore writes; ip is read-only. Reset values are
/// QEMU's (all zero); the manual's reset value of div was not checked.
public final class SiFiveUART: MMIODevice {
    public let name: String
    public let interruptID: Int?
    let plic: PLIC?
    unowned let host: DeviceHost

    /// The transmit FIFO's entries, oldest first (`txCount` of them are valid).
    var txFIFO: [UInt8]
    var txCount = 0
    var txctrl: UInt32 = 0
    var rxctrl: UInt32 = 0
    var ie: UInt32 = 0
    var div: UInt32 = 0
    var lineLevel = false

    public static let windowSize: UInt64 = 0x1000
    public static let fifoDepth = 8
    static let txdata: UInt64 = 0x00, rxdata: UInt64 = 0x04, txctrlOffset: UInt64 = 0x08
    static let rxctrlOffset: UInt64 = 0x0C, ieOffset: UInt64 = 0x10, ipOffset: UInt64 = 0x14
    static let divOffset: UInt64 = 0x18
    /// txdata.full / rxdata.empty.
    static let flag: UInt32 = 1 << 31
    static let txen: UInt32 = 1 << 0
    /// txctrl: txen [0], nstop [1], txcnt [18:16]; rxctrl: rxen [0], rxcnt [18:16].
    static let txctrlMask: UInt32 = 0x0007_0003
    static let rxctrlMask: UInt32 = 0x0007_0001
    /// ie / ip: txwm [0], rxwm [1].
    static let txwm: UInt32 = 1 << 0
    static let interruptMask: UInt32 = 0x3

    public init(spec: DeviceSpec, plic: PLIC?, host: DeviceHost) {
        name = spec.name
        interruptID = spec.interrupts.first
        self.plic = plic
        self.host = host
        txFIFO = [UInt8](repeating: 0, count: SiFiveUART.fifoDepth)
    }

    public func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard size == 4, offset & 3 == 0 else { return nil }
        let value: UInt32
        switch offset {
        case SiFiveUART.txdata: value = txCount == SiFiveUART.fifoDepth ? SiFiveUART.flag : 0
        case SiFiveUART.rxdata: value = SiFiveUART.flag            // receive FIFO empty
        case SiFiveUART.txctrlOffset: value = txctrl
        case SiFiveUART.rxctrlOffset: value = rxctrl
        case SiFiveUART.ieOffset: value = ie
        case SiFiveUART.ipOffset: value = interruptPending
        case SiFiveUART.divOffset: value = div
        default: value = 0
        }
        return UInt64(value)
    }

    public func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard size == 4, offset & 3 == 0 else { return false }
        let value32 = UInt32(truncatingIfNeeded: value)
        switch offset {
        case SiFiveUART.txdata:
            if txCount < SiFiveUART.fifoDepth {
                txFIFO[txCount] = UInt8(truncatingIfNeeded: value32)
                txCount += 1
            }
            drain(cpu: cpu)
        case SiFiveUART.txctrlOffset:
            txctrl = value32 & SiFiveUART.txctrlMask
            drain(cpu: cpu)
        case SiFiveUART.rxctrlOffset:
            rxctrl = value32 & SiFiveUART.rxctrlMask
        case SiFiveUART.ieOffset:
            ie = value32 & SiFiveUART.interruptMask
        case SiFiveUART.divOffset:
            div = value32 & 0xFFFF
        default:
            return true                                    // rxdata, ip: read-only; reserved
        }
        updateInterrupt()
        return true
    }

    /// ip: txwm while the transmit FIFO holds fewer than txcnt entries; rxwm never (no input).
    var interruptPending: UInt32 {
        let txcnt = Int((txctrl >> 16) & 0x7)
        return txCount < txcnt ? SiFiveUART.txwm : 0
    }

    /// With txen set, send every queued byte, oldest first.
    func drain(cpu: Int) {
        guard txctrl & SiFiveUART.txen != 0 else { return }
        for index in 0..<txCount {
            host.consoleOutput(txFIFO[index], device: name, cpu: cpu)
        }
        txCount = 0
    }

    func updateInterrupt() {
        let level = ie & interruptPending != 0
        guard level != lineLevel else { return }
        lineLevel = level
        if let plic, let id = interruptID {
            plic.setSource(id, level: level)
        }
    }
}
