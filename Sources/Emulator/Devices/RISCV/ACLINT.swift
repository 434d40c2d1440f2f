import Profiles

/// The SiFive CLINT as QEMU's riscv `virt` and `sifive_u` map it: one 64 KiB window holding an
/// ACLINT MSWI at +0x0000 (MSIP[h] at +4·h) and an ACLINT MTIMER at +0x4000 (MTIMECMP[h] at
/// +0x4000 + 8·h, MTIME at +0xBFF8). The two parts are also MMIO devices of their own, for a
/// machine file that maps them separately (`aclint-mswi`, `aclint-mtimer`, as QEMU does with
/// `aclint=on`); they are the same objects, so the core's `time` CSR and the timer events go
/// through this class either way.
///
/// Offsets +0xC000–0xFFFF hold no register: 32- and 64-bit accesses there read zero and ignore
/// writes; other widths are refused.
public final class ACLINT: MMIODevice {
    public let name: String
    public let mswi: ACLINTMSWI
    public let mtimer: ACLINTMTimer

    public static let mtimerBase: UInt64 = 0x4000
    public static let windowSize: UInt64 = 0x10000
    /// The last byte of MTIME in the CLINT window, + 1: a `clint` region must reach it.
    public static let minimumWindowSize: UInt64 = mtimerBase + ACLINTMTimer.mtimeOffset + 8

    public init(name: String, mswi: ACLINTMSWI, mtimer: ACLINTMTimer) {
        self.name = name
        self.mswi = mswi
        self.mtimer = mtimer
    }

    /// A CLINT for `hartCount` harts named after `spec`; property `timebase` = the MTIME rate
    /// software is told (default 10 MHz, QEMU virt).
    public convenience init(spec: DeviceSpec, hartCount: Int, host: DeviceHost) {
        let timebase = spec.property("timebase") ?? ACLINTMTimer.defaultTimebaseFrequency
        self.init(name: spec.name,
                  mswi: ACLINTMSWI(name: spec.name, hartCount: hartCount, host: host),
                  mtimer: ACLINTMTimer(name: spec.name, hartCount: hartCount,
                                       timebaseFrequency: timebase, host: host))
    }

    public var hartCount: Int { mtimer.hartCount }
    public var timebaseFrequency: UInt64 { mtimer.timebaseFrequency }

    /// MTIME as hart `cpu` sees it (the `time` CSR; Sstc compares `stimecmp` with it).
    public func mtime(cpu: Int) -> UInt64 { mtimer.mtime(cpu: cpu) }

    public func mtimecmp(hart: Int) -> UInt64 { mtimer.mtimecmp(hart: hart) }

    /// The machine calls this when a requested timer deadline on core `cpu` is reached.
    public func timerEvent(cpu: Int) { mtimer.timerEvent(cpu: cpu) }

    /// Drive every hart's MTIP to its reset level (see `ACLINTMTimer`).
    public func driveResetState() { mtimer.driveResetState() }

    public func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        if offset < ACLINT.mtimerBase {
            return mswi.read(offset: offset, size: size, cpu: cpu)
        }
        let inTimer = offset - ACLINT.mtimerBase
        if inTimer < ACLINTMTimer.windowSize {
            return mtimer.read(offset: inTimer, size: size, cpu: cpu)
        }
        guard size == 4 || size == 8, offset & UInt64(size - 1) == 0 else { return nil }
        return 0
    }

    public func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        if offset < ACLINT.mtimerBase {
            return mswi.write(offset: offset, size: size, value: value, cpu: cpu)
        }
        let inTimer = offset - ACLINT.mtimerBase
        if inTimer < ACLINTMTimer.windowSize {
            return mtimer.write(offset: inTimer, size: size, value: value, cpu: cpu)
        }
        return (size == 4 || size == 8) && offset & UInt64(size - 1) == 0
    }
}
