import Profiles

/// The Versatile Express V2M-P1 motherboard system registers (ARM DUI 0447, "System register
/// summary"), at 0x1C010000 on TC2 and QEMU's vexpress boards. Where the manual leaves
/// behaviour open, QEMU's `hw/misc/arm_sysctl.c` decides (board ID 0x190, VExpress).
///
/// Properties: `sys-id` (SYS_ID, default QEMU's vexpress 0x1190F500), `procid0` / `procid1`
/// (SYS_PROCID0/1, defaults QEMU's vexpress-a15 0x14000237 and 0xFF000000), `counter-hz` (the
/// rate virtual time ticks at, default 24 MHz: SYS_24MHZ and SYS_100HZ are scaled from it).
///
/// SYS_CFGCTRL (DUI 0447 "SYS_CFGCTRL"): a write with START [31] performs a configuration
/// operation on DCC [29:26], FUNCTION [25:20], SITE [17:16], POSITION [15:12], DEVICE [11:0]:
/// WRITE [30] set moves SYS_CFGDATA to the device, clear reads the device into SYS_CFGDATA.
/// SYS_CFGSTAT then reads COMPLETE [0], plus ERROR [1] when the operation names something the
/// model does not have. Implemented, as in QEMU, on the motherboard (site 0) only: SHUTDOWN (8)
/// and REBOOT (9) of device 0 end the run through the host; OSC (1) devices 0–5 read and write
/// the six motherboard oscillators; VOLT (2) device 0 reads 3.3 V; MUXFPGA (7) and DVIMODE (11)
/// writes are accepted and have no effect. Everything else (daughterboard sites included)
/// completes with ERROR.
public final class VersatileExpressSysRegs: MMIODevice {
    public let name: String
    unowned let host: DeviceHost

    let systemID: UInt32
    let processorID0: UInt32
    let processorID1: UInt32
    let counterHz: UInt64

    /// SYS_FLAGS: the boot monitor's secondary-CPU release address on Versatile Express.
    public private(set) var flags: UInt32 = 0
    var nonVolatileFlags: UInt32 = 0
    var leds: UInt32 = 0
    var lock: UInt32 = 0
    var cfgData1: UInt32 = 0
    var cfgData2: UInt32 = 0
    var cfgData: UInt32 = 0
    var cfgControl: UInt32 = 0
    var cfgStatus: UInt32 = 0
    /// Motherboard oscillators OSC0–5 in Hz (QEMU's reset values).
    var motherboardClocks: [UInt32] = [50_000_000, 23_750_000, 24_000_000, 24_000_000, 24_000_000, 24_000_000]

    public static let defaultSystemID: UInt64 = 0x1190_F500
    public static let defaultProcessorID0: UInt64 = 0x1400_0237
    public static let defaultProcessorID1: UInt64 = 0xFF00_0000
    public static let defaultCounterHz: UInt64 = 24_000_000

    public init(spec: DeviceSpec, host: DeviceHost) {
        name = spec.name
        self.host = host
        typealias Defaults = VersatileExpressSysRegs
        systemID = UInt32(truncatingIfNeeded: spec.property("sys-id") ?? Defaults.defaultSystemID)
        processorID0 = UInt32(truncatingIfNeeded: spec.property("procid0") ?? Defaults.defaultProcessorID0)
        processorID1 = UInt32(truncatingIfNeeded: spec.property("procid1") ?? Defaults.defaultProcessorID1)
        counterHz = max(1, spec.property("counter-hz") ?? Defaults.defaultCounterHz)
    }

    public func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard let lane = RegisterLane(offset: offset, size: size) else { return nil }
        return lane.extract(readRegister(lane.register, cpu: cpu))
    }

    public func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard let lane = RegisterLane(offset: offset, size: size), lane.shift == 0 else { return false }
        writeRegister(lane.register, value: UInt32(truncatingIfNeeded: value) & lane.mask)
        return true
    }

    func readRegister(_ offset: UInt64, cpu: Int) -> UInt32 {
        switch offset {
        case 0x00: return systemID                                      // SYS_ID
        case 0x04: return 0                                             // SYS_SW: switches off
        case 0x08: return leds                                          // SYS_LED
        case 0x20: return lock                                          // SYS_LOCK
        case 0x24: return ticks(atRate: 100, cpu: cpu)                  // SYS_100HZ
        case 0x28: return cfgData1                                      // SYS_CFGDATA1
        case 0x2C: return cfgData2                                      // SYS_CFGDATA2
        case 0x30: return flags                                         // SYS_FLAGS
        case 0x38: return nonVolatileFlags                              // SYS_NVFLAGS
        case 0x44: return 1                                             // SYS_PCICTL (QEMU)
        case 0x5C: return ticks(atRate: 24_000_000, cpu: cpu)           // SYS_24MHZ
        case 0x84: return processorID0                                  // SYS_PROCID0
        case 0x88: return processorID1                                  // SYS_PROCID1
        case 0xA0: return cfgData                                       // SYS_CFGDATA
        case 0xA4: return cfgControl                                    // SYS_CFGCTRL
        case 0xA8: return cfgStatus                                     // SYS_CFGSTAT
        default:
            // SYS_OSCn, SYS_RESETCTL, SYS_MCI, SYS_FLASH, SYS_CLCD, SYS_MISC, SYS_DMAPSRn,
            // SYS_BUSID, SYS_OSCRESETn, SYS_TEST_OSCn and reserved offsets read as zero.
            return 0
        }
    }

    func writeRegister(_ offset: UInt64, value: UInt32) {
        switch offset {
        case 0x08: leds = value
        case 0x20: lock = value == 0xA05F ? value : value & 0x7FFF    // SYS_LOCK (QEMU)
        case 0x28: cfgData1 = value
        case 0x2C: cfgData2 = value
        case 0x30: flags |= value                                     // SYS_FLAGSSET
        case 0x34: flags &= ~value                                    // SYS_FLAGSCLR
        case 0x38: nonVolatileFlags |= value                          // SYS_NVFLAGSSET
        case 0x3C: nonVolatileFlags &= ~value                         // SYS_NVFLAGSCLR
        case 0xA0: cfgData = value
        case 0xA4: configure(value)
        case 0xA8: cfgStatus = value & 3
        default: return                                               // read-only or reserved
        }
    }

    // MARK: Counters

    /// Virtual time of `cpu` converted to a counter of `rate` Hz, low 32 bits.
    func ticks(atRate rate: UInt64, cpu: Int) -> UInt32 {
        let time = host.virtualTime(cpu: cpu)
        // time × rate / counterHz without overflow: whole periods, then the remainder.
        let whole = (time / counterHz) &* rate
        let product = (time % counterHz).multipliedFullWidth(by: rate)
        let part = counterHz.dividingFullWidth(product).quotient
        return UInt32(truncatingIfNeeded: whole &+ part)
    }

    // MARK: SYS_CFGCTRL

    static let cfgStart: UInt32 = 1 << 31
    static let cfgWrite: UInt32 = 1 << 30

    func configure(_ value: UInt32) {
        // Bits [19:18] are RAZ/WI and START always reads as zero.
        cfgControl = value & ~(3 << 18 | VersatileExpressSysRegs.cfgStart)
        guard value & VersatileExpressSysRegs.cfgStart != 0 else { return }
        let dcc = (cfgControl >> 26) & 0xF
        let function = (cfgControl >> 20) & 0x3F
        let site = (cfgControl >> 16) & 0x3
        let position = (cfgControl >> 12) & 0xF
        let device = Int(cfgControl & 0xFFF)
        cfgStatus = 1
        let motherboard = dcc == 0 && position == 0 && site == 0
        var done = false
        if cfgControl & VersatileExpressSysRegs.cfgWrite != 0 {
            if motherboard {
                switch function {
                case 1 where device < motherboardClocks.count:
                    motherboardClocks[device] = cfgData
                    done = true
                case 7 where device == 0, 11 where device == 0:
                    done = true
                case 8 where device == 0:
                    done = true
                    host.requestExit(code: 0, reason: "SYS_CFGCTRL shutdown")
                case 9 where device == 0:
                    done = true
                    host.requestReset(reason: "SYS_CFGCTRL reboot")
                default:
                    break
                }
            }
        } else if motherboard {
            switch function {
            case 1 where device < motherboardClocks.count:
                cfgData = motherboardClocks[device]
                done = true
            case 2 where device == 0:
                cfgData = 3_300_000
                done = true
            default:
                break
            }
        }
        if !done { cfgStatus |= 2 }
    }
}
