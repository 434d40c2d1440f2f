@testable import Emulator

/// Page tables for the ARM translation tests, built in the harness's 1 MiB of RAM at
/// 0x80000000: the code runs from its start, tables live at 0x80010000 and above, data pages
/// at 0x80008000/0x80009000, exception vectors at 0x80080000 (zeros: they execute as NOPs).
enum ARMMMUTest {
    static let l1: UInt32 = 0x8001_0000
    static let l2: UInt32 = 0x8001_4000
    static let l3: UInt32 = 0x8001_5000
    static let vectors: UInt32 = 0x8008_0000
    static let dataA: UInt32 = 0x8000_8000
    static let dataB: UInt32 = 0x8000_9000
    static let valueA: UInt32 = 0xAAAA_0001
    static let valueB: UInt32 = 0xBBBB_0002

    /// Short-descriptor section: PA[31:20], AP[2:0], domain, XN.
    static func section(_ pa: UInt32, ap: UInt32 = 3, domain: UInt32 = 0, xn: Bool = false) -> UInt32 {
        (pa & 0xFFF0_0000) | ((ap & 4) << 13) | ((ap & 3) << 10) | (domain << 5) | (xn ? 1 << 4 : 0) | 2
    }

    /// Short-descriptor small page: PA[31:12], AP[2:0].
    static func smallPage(_ pa: UInt32, ap: UInt32 = 3) -> UInt32 {
        (pa & 0xFFFF_F000) | ((ap & 4) << 7) | ((ap & 3) << 4) | 2
    }

    /// The identity section for the RAM the code runs from.
    static let identity = section(0x8000_0000)
}

extension ARMCore {
    /// Write a word to physical memory (little-endian unless `bigEndian`).
    func poke(_ pa: UInt32, _ v: UInt32, bigEndian: Bool = false) {
        let w = bigEndian ? v.byteSwapped : v
        ram.load([UInt8(w & 0xFF), UInt8(w >> 8 & 0xFF), UInt8(w >> 16 & 0xFF), UInt8(w >> 24)], at: UInt64(pa))
    }

    func poke64(_ pa: UInt32, _ v: UInt64) {
        poke(pa, UInt32(truncatingIfNeeded: v))
        poke(pa &+ 4, UInt32(truncatingIfNeeded: v >> 32))
    }

    func peek(_ pa: UInt32) -> UInt32 {
        (ram.bytes + Int(UInt64(pa) - ram.base)).loadUnaligned(as: UInt32.self)
    }

    /// The L1 entry for `va` in the short-descriptor table at `ARMMMUTest.l1`.
    func mapL1(_ va: UInt32, _ descriptor: UInt32, bigEndian: Bool = false) {
        poke(ARMMMUTest.l1 + (va >> 20) * 4, descriptor, bigEndian: bigEndian)
    }

    /// Secure PL1 short-descriptor translation on (the harness runs Secure SVC): the code's
    /// section identity-mapped, domain 0 client, data values in place, vectors in RAM.
    func enableShortDescriptorMMU(dacr: UInt32 = 1, sctlrBits: UInt32 = 0) {
        mapL1(0x8000_0000, ARMMMUTest.identity, bigEndian: sctlrBits & SCTLR.EE != 0)
        poke(ARMMMUTest.dataA, ARMMMUTest.valueA)
        poke(ARMMMUTest.dataB, ARMMMUTest.valueB)
        cp15.ttbr0Bank.1 = UInt64(ARMMMUTest.l1)
        cp15.dacrBank.1 = dacr
        cp15.vbarBank.1 = ARMMMUTest.vectors
        cp15.setSCTLR(cp15.sctlr(secure: true) | SCTLR.M | sctlrBits, secure: true)
    }

    var dfsr: UInt32 { cp15.dfsrBank.1 }
    var dfar: UInt32 { cp15.dfarBank.1 }
    var ifsr: UInt32 { cp15.ifsrBank.1 }
    var ifar: UInt32 { cp15.ifarBank.1 }
}
