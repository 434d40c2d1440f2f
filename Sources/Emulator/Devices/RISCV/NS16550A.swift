import Profiles

/// National Semiconductor NS16550A UART, as QEMU's riscv `virt` maps it (hw/char/serial.c with
/// `regshift` 0): eight byte-spaced registers — RBR/THR and DLL (0), IER and DLM (1), IIR/FCR
/// (2), LCR (3), MCR (4), LSR (5), MSR (6), SCR (7); LCR.DLAB (bit 7) switches offsets 0 and 1
/// to the divisor latch.
///
/// Transmit side only. A byte written to THR goes straight to the console
/// (`DeviceHost.consoleOutput`) and the transmitter is empty again at once, so LSR always
/// reads THRE | TEMT (0x60). There is no receive path: LSR.DR is 0, RBR reads 0, no line-status,
/// receive or modem-status interrupt is ever raised. Loopback (MCR.LOOP) is modelled only as far
/// as MSR reflecting the MCR outputs (CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2); a byte sent
/// in loopback would go to the receiver, which does not exist, so it is dropped (it does not
/// reach the console, as in QEMU and on the chip).
///
/// THR-empty interrupt (NS16550A datasheet, IIR priority 3; QEMU's `thr_ipending`): raised when
/// the THR empties after a write and when IER.ETBEI goes from 0 to 1 while THR is empty; cleared
/// by reading IIR while it is the identified interrupt, by writing THR, or by clearing ETBEI.
/// The UART's interrupt output is "IIR identifies an interrupt", into PLIC source
/// `spec.interrupts[0]` (QEMU does not gate it with MCR.OUT2, nor do we).
///
/// Reset values follow QEMU's `serial_reset`: divisor 0x0C, MCR = OUT2, MSR = DCD | DSR | CTS.
///
/// Accesses of 1, 2, 4 or 8 bytes, naturally aligned, reach the register at the access's
/// offset (QEMU serial_mm: any width reads or writes that one 8-bit register, the value's low
/// byte); offsets 8 and above are outside the device (access fault).
public final class NS16550A: MMIODevice {
    public let name: String
    /// The PLIC source the UART's interrupt drives, if wired.
    public let interruptID: Int?
    let plic: PLIC?
    unowned let host: DeviceHost

    var divisor: UInt16 = 0x0C
    var ier: UInt8 = 0
    /// FCR bits that stick (FIFO enable [0], DMA mode [3], receive trigger [7:6]), as QEMU keeps.
    var fcr: UInt8 = 0
    var lcr: UInt8 = 0
    var mcr: UInt8 = NS16550A.mcrOut2
    var scratch: UInt8 = 0
    var thrInterruptPending = false
    var lineLevel = false

    public static let windowSize: UInt64 = 8
    static let lcrDLAB: UInt8 = 0x80
    static let ierETBEI: UInt8 = 0x02
    static let mcrOut2: UInt8 = 0x08
    static let mcrLoop: UInt8 = 0x10
    static let fcrFIFOEnable: UInt8 = 0x01
    /// IIR interrupt identifications.
    static let iirNoInterrupt: UInt8 = 0x01
    static let iirTHRE: UInt8 = 0x02
    /// IIR[7:6] when the FIFOs are enabled.
    static let iirFIFOsEnabled: UInt8 = 0xC0
    /// LSR: THRE | TEMT — the transmitter is always empty.
    static let lsr: UInt8 = 0x60
    /// MSR outside loopback: DCD | DSR | CTS, no deltas (QEMU with no modem lines).
    static let msr: UInt8 = 0xB0

    public init(spec: DeviceSpec, plic: PLIC?, host: DeviceHost) {
        name = spec.name
        interruptID = spec.interrupts.first
        self.plic = plic
        self.host = host
    }

    public func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard NS16550A.validAccess(offset: offset, size: size) else { return nil }
        let dlab = lcr & NS16550A.lcrDLAB != 0
        let value: UInt8
        switch offset {
        case 0: value = dlab ? UInt8(truncatingIfNeeded: divisor) : 0       // RBR: nothing received
        case 1: value = dlab ? UInt8(truncatingIfNeeded: divisor >> 8) : ier
        case 2:
            value = interruptIdentification
            if value & 0x0F == NS16550A.iirTHRE {
                thrInterruptPending = false
                updateInterrupt()
            }
        case 3: value = lcr
        case 4: value = mcr
        case 5: value = NS16550A.lsr
        case 6: value = modemStatus
        default: value = scratch
        }
        return UInt64(value)
    }

    public func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard NS16550A.validAccess(offset: offset, size: size) else { return false }
        let byte = UInt8(truncatingIfNeeded: value)
        let dlab = lcr & NS16550A.lcrDLAB != 0
        switch offset {
        case 0:
            if dlab {
                divisor = divisor & 0xFF00 | UInt16(byte)
            } else {
                transmit(byte, cpu: cpu)
            }
        case 1:
            if dlab {
                divisor = divisor & 0x00FF | UInt16(byte) << 8
            } else {
                let newIER = byte & 0x0F
                let changed = ier ^ newIER
                ier = newIER
                // Enabling ETBEI with THR empty (always, here) raises the THR-empty interrupt.
                if changed & NS16550A.ierETBEI != 0 {
                    thrInterruptPending = newIER & NS16550A.ierETBEI != 0
                }
                updateInterrupt()
            }
        case 2:
            // FCR[1] / FCR[2] reset the FIFOs, which are always empty here; they do not stick.
            fcr = byte & 0xC9
        case 3: lcr = byte
        case 4: mcr = byte & 0x1F
        case 7: scratch = byte
        default: break                                    // LSR, MSR: read-only
        }
        return true
    }

    static func validAccess(offset: UInt64, size: Int) -> Bool {
        (size == 1 || size == 2 || size == 4 || size == 8) && offset & UInt64(size - 1) == 0
            && offset < windowSize
    }

    /// IIR: the THR-empty interrupt is the only one that can be pending.
    var interruptIdentification: UInt8 {
        let id = ier & NS16550A.ierETBEI != 0 && thrInterruptPending ? NS16550A.iirTHRE : NS16550A.iirNoInterrupt
        return id | (fcr & NS16550A.fcrFIFOEnable != 0 ? NS16550A.iirFIFOsEnabled : 0)
    }

    /// MSR: in loopback the modem inputs are the MCR outputs (DTR → DSR, RTS → CTS, OUT1 → RI,
    /// OUT2 → DCD; NS16550A datasheet, MCR bit 4).
    var modemStatus: UInt8 {
        guard mcr & NS16550A.mcrLoop != 0 else { return NS16550A.msr }
        return (mcr & 0x01) << 5 | (mcr & 0x02) << 3 | (mcr & 0x0C) << 4
    }

    func transmit(_ byte: UInt8, cpu: Int) {
        if mcr & NS16550A.mcrLoop == 0 {
            host.consoleOutput(byte, device: name, cpu: cpu)
        }
        // The write cleared THRE and the transmission set it again: a new THR-empty event.
        thrInterruptPending = true
        updateInterrupt()
    }

    func updateInterrupt() {
        let level = interruptIdentification & 0x01 == 0
        guard level != lineLevel else { return }
        lineLevel = level
        if let plic, let id = interruptID {
            plic.setSource(id, level: level)
        }
    }
}
