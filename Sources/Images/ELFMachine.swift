/// The processor architecture an ELF image was built for (its header's `e_machine`).
public enum ELFMachine: Equatable, Sendable, CustomStringConvertible {
    case arm        // EM_ARM (40): AArch32, ARMv7-A
    case riscv      // EM_RISCV (243): RV32 and RV64 alike; the ELF class tells them apart
    case aarch64    // EM_AARCH64 (183)
    case x86_64     // EM_X86_64 (62)
    case other(UInt16)

    /// Maps an `e_machine` value (System V gABI, "ELF Header"; values from <elf.h>).
    public init(rawValue: UInt16) {
        switch rawValue {
        case 40: self = .arm
        case 243: self = .riscv
        case 183: self = .aarch64
        case 62: self = .x86_64
        default: self = .other(rawValue)
        }
    }

    /// The `e_machine` value.
    public var rawValue: UInt16 {
        switch self {
        case .arm: return 40
        case .riscv: return 243
        case .aarch64: return 183
        case .x86_64: return 62
        case .other(let value): return value
        }
    }

    public var description: String {
        switch self {
        case .arm: return "ARM"
        case .riscv: return "RISC-V"
        case .aarch64: return "AArch64"
        case .x86_64: return "x86-64"
        case .other(let value): return "machine 0x" + String(value, radix: 16)
        }
    }

    /// `.other(40)` and `.arm` name the same machine; compare the `e_machine` values.
    public static func == (lhs: ELFMachine, rhs: ELFMachine) -> Bool {
        lhs.rawValue == rhs.rawValue
    }
}
