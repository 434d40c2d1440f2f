/// The ACLINT machine-level timer device, MTIMER (RISC-V ACLINT spec v1.0, chapter 2): one
/// 64-bit MTIMECMP register per hart at +8·h and the 64-bit MTIME counter at +0x7FF8 (QEMU's
/// `riscv_aclint_mtimer` layout, which the SiFive CLINT places at +0x4000 of its window).
/// Hart h's `mip.MTIP` is the level MTIME ≥ MTIMECMP[h], unsigned (priv. spec 3.2.1).
///
/// Time: the machine's time is virtual — each core counts its retired instructions (plus time
/// asleep) — so MTIME as seen by hart h is `host.virtualTime(cpu: h)` plus one offset shared by
/// all harts: one MTIME tick per retired instruction. The ACLINT has a single MTIME for all
/// harts; here harts that ran different numbers of instructions read different values, which
/// is the price of per-core virtual time and keeps runs deterministic. `timebaseFrequency` is
/// the rate software is told (the device tree's `timebase-frequency`); it does not scale the
/// count. A write to MTIME changes the shared offset so that the writing hart reads back the
/// value written (QEMU keeps the same kind of delta against its clock).
///
/// Accesses are 32 or 64 bits, naturally aligned (QEMU: 4–8 bytes); a 32-bit access reaches
/// the low (+0) or high (+4) half of a 64-bit register, and a 32-bit write changes that half
/// only. Other widths are refused. Offsets that hold no register read zero and ignore writes.
///
/// Reset: MTIME and every MTIMECMP are 0, so MTIP is pending on every hart until software moves
/// its comparator (the ACLINT spec leaves MTIMECMP UNKNOWN; QEMU creates it as 0 and its reset
/// writes MTIME = 0, which raises MTIP; Spike does the same). mstatus.MIE resets to 0, so no
/// interrupt is taken before M-mode software has set things up — OpenSBI writes all ones to
/// MTIMECMP first. The owner calls `driveResetState()` once the host can take interrupt-line
/// changes, to raise those MTIP lines (`RISCVPlatformDevices.build` does).
public final class ACLINTMTimer: MMIODevice {
    public let name: String
    public let hartCount: Int
    /// The MTIME rate software is told, in Hz (property `timebase`).
    public let timebaseFrequency: UInt64
    unowned let host: DeviceHost

    var compare: [UInt64]
    /// MTIME − virtual time, shared by every hart (wrapping).
    var timeOffset: UInt64 = 0
    /// The level last driven into each hart's `mip.MTIP`.
    var outputLevel: [Bool]

    public static let windowSize: UInt64 = 0x8000
    public static let mtimeOffset: UInt64 = 0x7FF8
    public static let maxHarts = 4095
    /// QEMU virt's timebase (RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ, 10 MHz).
    public static let defaultTimebaseFrequency: UInt64 = 10_000_000
    /// `mip.MTIP`.
    static let line = 7

    public init(name: String, hartCount: Int, timebaseFrequency: UInt64, host: DeviceHost) {
        self.name = name
        self.hartCount = min(max(hartCount, 0), ACLINTMTimer.maxHarts)
        self.timebaseFrequency = timebaseFrequency
        self.host = host
        compare = [UInt64](repeating: 0, count: self.hartCount)
        outputLevel = [Bool](repeating: false, count: self.hartCount)
    }

    // MARK: The core's view (time CSR, Sstc, built-in SBI)

    /// MTIME as hart `cpu` sees it: what `rdtime` / the `time` CSR read, and what Sstc compares
    /// `stimecmp` with.
    public func mtime(cpu: Int) -> UInt64 {
        virtualTime(cpu) &+ timeOffset
    }

    /// MTIMECMP of hart `hart` (all ones for a hart the device does not serve).
    public func mtimecmp(hart: Int) -> UInt64 {
        hart >= 0 && hart < hartCount ? compare[hart] : .max
    }

    /// Set MTIMECMP of hart `hart` as a 64-bit store would (a firmware model's `sbi_set_timer`).
    public func setMtimecmp(hart: Int, _ value: UInt64) {
        guard hart >= 0, hart < hartCount else { return }
        compare[hart] = value
        evaluate(hart: hart)
    }

    /// The machine calls this when a deadline requested through `requestTimerEvent` is reached:
    /// hart `cpu`'s MTIP is re-evaluated and, if it is still clear, the next deadline requested.
    public func timerEvent(cpu: Int) {
        guard cpu >= 0, cpu < hartCount else { return }
        evaluate(hart: cpu)
    }

    /// Drive every hart's MTIP to the value the current state gives (at reset: high).
    public func driveResetState() {
        for hart in 0..<hartCount {
            evaluate(hart: hart)
        }
    }

    // MARK: MMIO

    public func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard size == 4 || size == 8, offset & UInt64(size - 1) == 0 else { return nil }
        let register = offset & ~7
        let value: UInt64
        if register == ACLINTMTimer.mtimeOffset {
            value = mtime(cpu: cpu)
        } else if let hart = hartIndex(register) {
            value = compare[hart]
        } else {
            return 0
        }
        if size == 8 { return value }
        return offset & 4 == 0 ? value & 0xFFFF_FFFF : value >> 32
    }

    public func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard size == 4 || size == 8, offset & UInt64(size - 1) == 0 else { return false }
        let register = offset & ~7
        if register == ACLINTMTimer.mtimeOffset {
            let time = ACLINTMTimer.merge(mtime(cpu: cpu), value, offset: offset, size: size)
            timeOffset = time &- virtualTime(cpu)
            // Every hart's comparison moved with MTIME.
            for hart in 0..<hartCount {
                evaluate(hart: hart)
            }
        } else if let hart = hartIndex(register) {
            compare[hart] = ACLINTMTimer.merge(compare[hart], value, offset: offset, size: size)
            evaluate(hart: hart)
        }
        return true
    }

    // MARK: Timer semantics

    /// A store of `size` bytes at `offset` into the 64-bit register holding `old`.
    static func merge(_ old: UInt64, _ value: UInt64, offset: UInt64, size: Int) -> UInt64 {
        if size == 8 { return value }
        let half = value & 0xFFFF_FFFF
        return offset & 4 == 0 ? (old & 0xFFFF_FFFF_0000_0000) | half : (half << 32) | (old & 0xFFFF_FFFF)
    }

    func hartIndex(_ register: UInt64) -> Int? {
        let index = register >> 3
        return index < UInt64(hartCount) ? Int(index) : nil
    }

    /// The virtual time of core `cpu`, or 0 for an index that names no core.
    func virtualTime(_ cpu: Int) -> UInt64 {
        cpu >= 0 && cpu < host.coreCount ? host.virtualTime(cpu: cpu) : 0
    }

    /// Drive hart `hart`'s MTIP to MTIME ≥ MTIMECMP; while it is clear, ask for an event at the
    /// virtual time MTIME reaches MTIMECMP.
    func evaluate(hart: Int) {
        let now = virtualTime(hart)
        let time = now &+ timeOffset
        let level = time >= compare[hart]
        if level != outputLevel[hart] {
            outputLevel[hart] = level
            host.setInterruptLine(cpu: hart, line: ACLINTMTimer.line, level: level)
        }
        if !level {
            let (deadline, overflow) = now.addingReportingOverflow(compare[hart] &- time)
            if !overflow {
                host.requestTimerEvent(cpu: hart, at: deadline)
            }
        }
    }
}
