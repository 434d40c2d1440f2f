@testable import Emulator

/// Shared helpers of the load/store tests: a data area well away from the code, and raw RAM
/// access that bypasses the core (no endianness, no exclusive-monitor side effects).
enum LS {
    static let data: UInt32 = 0x8008_0000
    /// The last word of the 1 MiB test RAM: the next word is unmapped.
    static let lastRAMWord: UInt32 = 0x800F_FFFC

    static func poke(_ core: ARMCore, _ address: UInt32, _ value: UInt32) {
        core.ram.bytes.storeBytes(of: value.littleEndian, toByteOffset: Int(address - ARMHarness.ramBase), as: UInt32.self)
    }

    static func peek(_ core: ARMCore, _ address: UInt32) -> UInt32 {
        UInt32(littleEndian: core.ram.bytes.loadUnaligned(fromByteOffset: Int(address - ARMHarness.ramBase), as: UInt32.self))
    }

    /// Secure DFSR / DFAR (the harness runs the core in Secure state).
    static func dfsr(_ core: ARMCore) -> UInt32 { core.cp15.dfsrBank.1 }
    static func dfar(_ core: ARMCore) -> UInt32 { core.cp15.dfarBank.1 }

    /// Set SCTLR.A (strict alignment checking) in the Secure SCTLR.
    static func enableAlignmentChecks(_ core: ARMCore) {
        core.cp15.setSCTLR(core.cp15.sctlr(secure: true) | 2, secure: true)
    }
}
