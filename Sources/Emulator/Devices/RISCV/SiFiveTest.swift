/// The SiFive test finisher (QEMU hw/misc/sifive_test.c; `virt` maps it at 0x100000): a guest
/// ends the run by writing one register at offset 0. The low 16 bits are a status, the high 16
/// a code:
///
/// - 0x5555 (FINISHER_PASS): the run ends with exit code 0.
/// - 0x3333 (FINISHER_FAIL): the run ends with exit code `code` = value[31:16]. As in QEMU
///   (`exit(code)`), a fail with code 0 exits with 0; the reason still says "fail".
/// - 0x7777 (FINISHER_RESET): the guest asks for a reset.
/// - anything else, or any other offset: ignored (QEMU logs a guest error).
///
/// Accesses of 2 or 4 bytes, naturally aligned, are accepted (QEMU: 2–4); a 2-byte write at
/// offset 0 carries the status only (code 0). Reads return 0. Other widths are refused.
public final class SiFiveTest: MMIODevice {
    public let name: String
    unowned let host: DeviceHost

    public static let windowSize: UInt64 = 0x1000
    static let fail: UInt64 = 0x3333
    static let pass: UInt64 = 0x5555
    static let reset: UInt64 = 0x7777

    public init(name: String, host: DeviceHost) {
        self.name = name
        self.host = host
    }

    public func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard SiFiveTest.validAccess(offset: offset, size: size) else { return nil }
        return 0
    }

    public func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard SiFiveTest.validAccess(offset: offset, size: size) else { return false }
        guard offset == 0 else { return true }
        let stored = size == 2 ? value & 0xFFFF : value & 0xFFFF_FFFF
        let code = Int(stored >> 16)
        switch stored & 0xFFFF {
        case SiFiveTest.pass: host.requestExit(code: 0, reason: "sifive_test: pass")
        case SiFiveTest.fail: host.requestExit(code: code, reason: "sifive_test: fail with code \(code)")
        case SiFiveTest.reset: host.requestReset(reason: "sifive_test: reset")
        default: break
        }
        return true
    }

    static func validAccess(offset: UInt64, size: Int) -> Bool {
        (size == 2 || size == 4) && offset & UInt64(size - 1) == 0
    }
}
