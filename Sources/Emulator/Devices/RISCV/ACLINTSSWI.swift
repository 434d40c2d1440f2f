/// The ACLINT supervisor-level software interrupt device, SSWI (RISC-V ACLINT spec v1.0, chapter
/// 5): one 32-bit SETSSIP register per hart at +4·h. Writing 1 to bit 0 sets the hart's
/// `mip.SSIP` (an edge: the device keeps no state, S-mode software clears SSIP through `sip`);
/// writing 0 has no effect; the register always reads 0. It lets S-mode software send IPIs
/// without an SBI call (QEMU virt with `aclint=on`, at 0x2F00000).
///
/// Accesses are 32 bits, naturally aligned (QEMU `riscv_aclint_swi`); other widths are refused.
/// Offsets beyond the last hart's register read zero and ignore writes.
public final class ACLINTSSWI: MMIODevice {
    public let name: String
    public let hartCount: Int
    unowned let host: DeviceHost

    public static let windowSize: UInt64 = 0x4000
    public static let maxHarts = 4095
    /// `mip.SSIP`.
    static let line = 1

    public init(name: String, hartCount: Int, host: DeviceHost) {
        self.name = name
        self.hartCount = min(max(hartCount, 0), ACLINTSSWI.maxHarts)
        self.host = host
    }

    public func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard size == 4, offset & 3 == 0 else { return nil }
        return 0
    }

    public func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard size == 4, offset & 3 == 0 else { return false }
        let index = offset >> 2
        if index < UInt64(hartCount), value & 1 != 0 {
            host.deliverIPI(source: cpu, target: Int(index), interrupt: ACLINTSSWI.line, via: "ACLINT SSWI") { [unowned self] in
                self.host.setInterruptLine(cpu: Int(index), line: ACLINTSSWI.line, level: true)
            }
        }
        return true
    }
}
