/// The ACLINT machine-level software interrupt device, MSWI (RISC-V ACLINT spec v1.0, chapter 3):
/// one 32-bit MSIP register per hart at +4·h. Bit 0 is the hart's `mip.MSIP`, a level the device
/// holds (`mip.MSIP` is read-only in the CSR; software raises and clears it only here). Bits
/// [31:1] are zero. This is how M-mode software (OpenSBI) sends inter-processor interrupts.
///
/// Accesses are 32 bits, naturally aligned (QEMU `riscv_aclint_swi`: 4-byte accesses only); any
/// other width is refused (access fault). Offsets beyond the last hart's register read as zero
/// and ignore writes, as in QEMU.
public final class ACLINTMSWI: MMIODevice {
    public let name: String
    public let hartCount: Int
    unowned let host: DeviceHost

    /// MSIP[h] bit 0, the level driven into hart h's `mip.MSIP`.
    var msip: [Bool]

    /// The MSWI's size in the address map (ACLINT spec: 16 KiB, 4095 harts).
    public static let windowSize: UInt64 = 0x4000
    public static let maxHarts = 4095
    /// `mip.MSIP`.
    static let line = 3

    public init(name: String, hartCount: Int, host: DeviceHost) {
        self.name = name
        self.hartCount = min(max(hartCount, 0), ACLINTMSWI.maxHarts)
        self.host = host
        msip = [Bool](repeating: false, count: self.hartCount)
    }

    /// MSIP bit 0 of hart `hart` (false for a hart the device does not serve).
    public func msip(hart: Int) -> Bool {
        hart >= 0 && hart < hartCount ? msip[hart] : false
    }

    public func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard size == 4, offset & 3 == 0 else { return nil }
        guard let hart = hartIndex(offset) else { return 0 }
        return msip[hart] ? 1 : 0
    }

    public func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard size == 4, offset & 3 == 0 else { return false }
        guard let hart = hartIndex(offset) else { return true }
        let level = value & 1 != 0
        if level && !msip[hart] {
            // Setting MSIP sends the IPI; clearing it is the target acknowledging it.
            host.deliverIPI(source: cpu, target: hart, interrupt: ACLINTMSWI.line, via: "ACLINT MSWI") { [unowned self] in
                self.msip[hart] = true
                self.host.setInterruptLine(cpu: hart, line: ACLINTMSWI.line, level: true)
            }
            return true
        }
        if level != msip[hart] {
            msip[hart] = level
            host.setInterruptLine(cpu: hart, line: ACLINTMSWI.line, level: level)
        }
        return true
    }

    func hartIndex(_ offset: UInt64) -> Int? {
        let index = offset >> 2
        return index < UInt64(hartCount) ? Int(index) : nil
    }
}
