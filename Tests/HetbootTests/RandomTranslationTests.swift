import Foundation
import XCTest

/// The guest never crashes the host, through the MMU: seeded random translation tables —
/// short-descriptor or LPAE for PL1, LPAE for Hyp, LPAE stage 2 under a Non-secure SVC guest —
/// with random TTBCR/HTCR/VTCR attributes, DACR, MAIRs, SCTLR/HSCTLR and HCR bits, walked by
/// loads, stores, exclusives, doubleword and multiple transfers, unprivileged accesses,
/// unaligned accesses, branches to random addresses, TLB and cache maintenance by address and
/// tables rewritten between walks. Random code (RandomCodeTests) almost never turns the MMU
/// on; here every access goes through tables that point anywhere: into the tables
/// themselves, at devices, outside the physical address space, at addresses above 4 GiB.
///
/// Only the page holding the code is mapped the same way in every regime (read-only, so that
/// it survives), which keeps the run going from one fault to the next: each vector returns
/// past the access that faulted, a prefetch abort resumes at the step after the branch (r11).
/// Whatever happens, hetboot must end the run with one of its own exit codes and its report.
final class RandomTranslationTests: XCTestCase {
    private static let budget = "300000"

    /// Where the image links (its section also maps the tables) on each platform.
    private enum Platform: String { case versatileExpress = "0x80000000", virt = "0x40100000" }

    func testRandomTranslationTablesNeverCrashHetboot() throws {
        for seed: UInt64 in 1...8 {
            for (platform, machines) in [(Platform.versatileExpress, ["vexpress-a15", "tc2"]),
                                         (.virt, ["virt-arm", "virt-arm,virtualization=on"])] {
                var generator = TranslationFuzz(seed: seed, base: UInt32(platform.rawValue.dropFirst(2), radix: 16) ?? 0)
                let elf = try CLI.buildImage(generator.source(), name: "mmu-fuzz", address: platform.rawValue)
                for machine in machines {
                    let args = ["run", elf, "--machine", machine, "--max-instructions", Self.budget]
                    let r = try CLI.run(args)
                    CLI.assertNoCrash(r, "seed \(seed) on \(machine)")
                    // Faults, aborts and walks through garbage are as deterministic as the rest.
                    if seed <= 2 { XCTAssertEqual(try CLI.run(args).stdout, r.stdout, "seed \(seed) on \(machine), run twice") }
                }
            }
        }
    }
}

/// One seed's image: code at `base`, then three 32 KiB table regions (PL1, Hyp, stage 2).
private struct TranslationFuzz {
    var rng: SplitMix64
    let base: UInt32
    /// PL1 uses the long-descriptor format for odd seeds.
    let lpae: Bool
    /// SCTLR.EE / HSCTLR.EE, one seed in eight each: the walks of that regime (for HSCTLR,
    /// also stage 2's) read big-endian descriptors (B3.3.x "translation table walks use the
    /// endianness of SCTLR.EE / HSCTLR.EE"), so those tables are emitted byte-reversed.
    let pl1BigEndian: Bool
    let hypBigEndian: Bool
    var pl1Region: UInt32 { base &+ 0x1_0000 }
    var hypRegion: UInt32 { base &+ 0x1_8000 }
    var stage2Region: UInt32 { base &+ 0x2_0000 }

    init(seed: UInt64, base: UInt32) {
        rng = SplitMix64(state: seed)
        self.base = base
        lpae = seed & 1 == 1
        pl1BigEndian = rng.below(8) == 0
        hypBigEndian = rng.below(8) == 0
    }

    mutating func source() -> String {
        var s = """
            mrs r0, cpsr
            and r0, r0, #0x1f
            cmp r0, #0x1a
            beq hyp_phase

            pl1_phase:
            ldr r0, =pl1_vectors
            mcr p15, 0, r0, c12, c0, 0      @ VBAR

            """
        s += pl1Setup()
        s += steps(count: 120, hyp: false)
        s += "b finish\n.ltorg\n"
        s += """
            hyp_phase:
            ldr r0, =hyp_vectors
            mcr p15, 4, r0, c12, c0, 0      @ HVBAR

            """
        s += hypSetup()
        s += steps(count: 60, hyp: true)
        s += stage2Entry()
        s += """
            .ltorg
            finish:
            mov r0, #0x18                   @ SYS_EXIT
            ldr r1, =0x20026                @ ADP_Stopped_ApplicationExit
            svc 0x123456
            1: wfi
            b 1b
            .ltorg

            .balign 32
            pl1_vectors:
            b finish
            movs pc, lr                     @ undefined: skip it
            b pl1_svc
            movs pc, r11                    @ prefetch abort: resume after the branch
            subs pc, lr, #4                 @ data abort: skip the access
            b finish
            subs pc, lr, #4
            subs pc, lr, #4
            pl1_svc:                        @ SVC from the User-mode steps: back to SVC
            mrs r12, spsr
            bic r12, r12, #0x1f
            orr r12, r12, #0x13
            msr spsr_cxsf, r12
            movs pc, lr

            .balign 32
            hyp_vectors:
            b finish
            b hyp_skip                      @ undefined in Hyp
            eret                            @ HVC
            b hyp_resume                    @ prefetch abort in Hyp
            b hyp_skip                      @ data abort in Hyp
            b hyp_trap                      @ from the guest
            eret
            eret
            hyp_skip:
            mrs r12, ELR_hyp
            add r12, r12, #4
            msr ELR_hyp, r12
            eret
            hyp_resume:
            msr ELR_hyp, r11
            eret
            hyp_trap:
            mrc p15, 4, r12, c5, c2, 0      @ HSR
            lsr r12, r12, #26
            cmp r12, #0x20                  @ stage 2 prefetch abort: resume after the branch
            beq hyp_resume
            cmp r12, #0x12                  @ HVC: ELR_hyp is already past it
            beq 2f
            b hyp_skip
            2: eret

            .org 0x10000

            """
        s += words(shortOrLPAE(region: pl1Region, stage2: false), bigEndian: pl1BigEndian, doublewords: lpae)
        s += words(lpaeTables(region: hypRegion, stage2: false), bigEndian: hypBigEndian, doublewords: true)
        s += words(lpaeTables(region: stage2Region, stage2: true), bigEndian: hypBigEndian, doublewords: true)
        return s
    }

    // MARK: Setup

    private mutating func pl1Setup() -> String {
        var s = "ldr r0, =0x\(hex(rng.word() | 3))\nmcr p15, 0, r0, c3, c0, 0      @ DACR (domain 0: manager)\n"
        if lpae {
            // EAE, T0SZ = 0, random walk attributes, A1, EPD1 and T1SZ — but not T1SZ = 1,
            // whose TTBR1 half would take the VE image's address (B3.6.4: with T0SZ = 0
            // TTBR0 keeps the addresses below 2^32 - 2^(32-T1SZ)); EPD0 stays 0 so the
            // code's block is always reachable.
            let t1sz = [0, 2, 3, 4, 5, 6, 7][Int(rng.below(7))]
            let ttbcr = 0x8000_0000 | (rng.word() & 0x3F40_3F00) | UInt32(t1sz) << 16
            s += "ldr r0, =0x\(hex(ttbcr))\nmcr p15, 0, r0, c2, c0, 2      @ TTBCR\n"
            s += "ldr r0, =0x\(hex(pl1Region))\nldr r1, =0x\(hex(rng.word() & 0x00FF_0000))\n"
            s += "mcrr p15, 0, r0, r1, c2            @ TTBR0\nmcrr p15, 1, r0, r1, c2            @ TTBR1\n"
        } else {
            // N = 0…7: with N > 0 the code's address is translated through TTBR1, which
            // points at the same table (indexed by VA[31:20] either way). PD0 and PD1 (which
            // can take the code's own walks away) one seed in eight.
            let ttbcr = UInt32(rng.below(8)) | (rng.below(8) == 0 ? rng.word() & 0x30 : 0)
            s += "ldr r0, =0x\(hex(ttbcr))\nmcr p15, 0, r0, c2, c0, 2      @ TTBCR\n"
            s += "ldr r0, =0x\(hex(pl1Region | (rng.word() & 0x7B)))\n"
            s += "mcr p15, 0, r0, c2, c0, 0      @ TTBR0\nmcr p15, 0, r0, c2, c0, 1      @ TTBR1\n"
        }
        s += "ldr r0, =0x\(hex(rng.word()))\nmcr p15, 0, r0, c10, c2, 0     @ PRRR / MAIR0\n"
        s += "ldr r0, =0x\(hex(rng.word()))\nmcr p15, 0, r0, c10, c2, 1     @ NMRR / MAIR1\n"
        s += "ldr r0, =0x\(hex(rng.word()))\nmcr p15, 0, r0, c13, c0, 1     @ CONTEXTIDR\n"
        // A, C, Z, I, WXN, UWXN, TRE, AFE at random; V and EE (vectors or walks elsewhere)
        // one seed in eight each.
        var bits = rng.word() & 0x3018_1806
        if rng.below(8) == 0 { bits |= 1 << 13 }
        if pl1BigEndian { bits |= 1 << 25 }
        s += "mrc p15, 0, r0, c1, c0, 0\nldr r1, =0x\(hex(bits | 1))\norr r0, r0, r1\n"
        s += "mcr p15, 0, r0, c1, c0, 0      @ SCTLR.M\nisb\n"
        return s
    }

    private mutating func hypSetup() -> String {
        var s = "ldr r0, =0x\(hex(0x8000_0000 | (rng.word() & 0x3F00)))\nmcr p15, 4, r0, c2, c0, 2      @ HTCR\n"
        s += "ldr r0, =0x\(hex(hypRegion))\nmov r1, #0\nmcrr p15, 4, r0, r1, c2            @ HTTBR\n"
        s += "ldr r0, =0x\(hex(rng.word()))\nmcr p15, 4, r0, c10, c2, 0     @ HMAIR0\n"
        s += "ldr r0, =0x\(hex(rng.word()))\nmcr p15, 4, r0, c10, c2, 1     @ HMAIR1\n"
        var bits = rng.word() & 0x0008_1006   // A, C, I, WXN
        if hypBigEndian { bits |= 1 << 25 }
        s += "mrc p15, 4, r0, c1, c0, 0\nldr r1, =0x\(hex(bits | 1))\norr r0, r0, r1\n"
        s += "mcr p15, 4, r0, c1, c0, 0      @ HSCTLR.M\nisb\n"
        return s
    }

    /// Stage 2 on, random HCR traps and HSTR, then ERET into the PL1 phase as a Non-secure SVC
    /// guest (its own stage 1 walks then go through stage 2 as well).
    private mutating func stage2Entry() -> String {
        let vtcr = 0x8000_0000 | 0x40 | (rng.word() & 0x3F00)   // T0SZ = 0, SL0 = 1: start at level 1
        var s = "ldr r0, =0x\(hex(vtcr))\nmcr p15, 4, r0, c2, c1, 2      @ VTCR\n"
        s += "ldr r0, =0x\(hex(stage2Region))\nldr r1, =0x\(hex(rng.word() & 0x00FF_0000))\n"
        s += "mcrr p15, 6, r0, r1, c2            @ VTTBR\n"
        // Any HCR bit of ARMv7 (B4.1.65) except DC, which hetboot reports as not supported
        // (one seed in eight still sets it: that ending is allowed too).
        var hcr = (rng.word() & 0x0FFF_EFFF) | 1
        if rng.below(8) == 0 { hcr |= 1 << 12 }
        s += "ldr r0, =0x\(hex(hcr))\nmcr p15, 4, r0, c1, c1, 0      @ HCR (VM)\n"
        s += "ldr r0, =0x\(hex(rng.word() & 0xBFEF))\nmcr p15, 4, r0, c1, c1, 3      @ HSTR\n"
        s += "ldr r0, =pl1_phase\nmsr ELR_hyp, r0\nmov r0, #0x1d3\nmsr SPSR_hyp, r0\nisb\neret\n"
        return s
    }

    // MARK: Steps

    /// An address for an access: anywhere, near the code, in the tables, or at a device.
    private mutating func address() -> UInt32 {
        switch rng.below(6) {
        case 0, 1: return rng.word()
        case 2: return base &+ UInt32(rng.below(0x2_8000))
        case 3: return pl1Region &+ UInt32(rng.below(0x1_8000))
        case 4: return [0x0800_0000, 0x0801_0000, 0x0803_0000, 0x0900_0000, 0x1C09_0000, 0x2C00_1000,
                        0x2C00_2000, 0x2C00_4000][Int(rng.below(8))] &+ UInt32(rng.below(0x100) * 4)
        default: return UInt32(rng.below(0x10)) << 28 | UInt32(rng.below(0x100)) << 12
        }
    }

    private static let accesses = ["ldr r0, [r1]", "str r0, [r1]", "ldrb r0, [r1]", "strh r0, [r1]",
                                   "ldrd r2, r3, [r1]", "strd r2, r3, [r1]", "ldrex r0, [r1]",
                                   "strex r4, r0, [r1]", "ldm r1, {r2, r3}", "stm r1, {r2, r3}",
                                   "pld [r1]", "ldrt r0, [r1]", "strt r0, [r1]", "swp r0, r0, [r1]"]
    private static let pl1Maintenance = ["mcr p15, 0, r0, c8, c7, 0", "mcr p15, 0, r1, c8, c7, 1",
                                         "mcr p15, 0, r1, c8, c7, 2", "mcr p15, 0, r0, c8, c3, 0",
                                         "mcr p15, 0, r1, c8, c3, 1", "mcr p15, 0, r1, c8, c7, 3",
                                         "mcr p15, 0, r1, c7, c10, 1", "mcr p15, 0, r1, c7, c6, 1",
                                         "mcr p15, 0, r1, c7, c14, 1", "mcr p15, 0, r1, c7, c8, 0",
                                         "mcr p15, 0, r0, c7, c5, 0", "mcr p15, 0, r1, c7, c11, 1"]
    private static let hypMaintenance = ["mcr p15, 4, r0, c8, c7, 0", "mcr p15, 4, r1, c8, c7, 1",
                                         "mcr p15, 4, r0, c8, c7, 4", "mcr p15, 4, r0, c8, c3, 0",
                                         "mcr p15, 4, r1, c8, c3, 1", "mcr p15, 4, r0, c8, c3, 4",
                                         "mcr p15, 0, r1, c7, c10, 1", "mcr p15, 4, r1, c7, c8, 0"]

    private mutating func steps(count: Int, hyp: Bool) -> String {
        var s = ""
        let sctlr = hyp ? "p15, 4, r0, c1, c0, 0" : "p15, 0, r0, c1, c0, 0"
        for i in 0..<count {
            s += "ldr r1, =0x\(hex(address()))\n"
            switch rng.below(12) {
            case 0...4:
                s += Self.accesses[Int(rng.below(UInt64(Self.accesses.count)))] + "\n"
            case 5:
                // A branch to a random word-aligned address outside the image: mostly a
                // prefetch abort.
                var target = rng.word() & ~3
                while target &- base < 0x4_0000 { target = rng.word() & ~3 }
                s += "ldr r1, =0x\(hex(target))\nadr r11, 3f\nblx r1\n3:\n"
            case 6:
                let ops = hyp ? Self.hypMaintenance : Self.pl1Maintenance
                s += ops[Int(rng.below(UInt64(ops.count)))] + "\n"
            case 7:
                // Rewrite a table word with the MMU off (the code is identity-mapped, so the
                // next instruction is the same either way), then invalidate and turn it back on.
                let region = hyp ? hypRegion : [pl1Region, stage2Region][Int(rng.below(2))]
                var offset = UInt32(rng.below(0x2000)) * 4
                if offset < 32 { offset += 32 }   // not the LPAE level-1 entries (nor the code's)
                s += "mrc \(sctlr)\nbic r0, r0, #1\nmcr \(sctlr)\nisb\n"
                s += "ldr r1, =0x\(hex(region &+ offset))\nldr r2, =0x\(hex(rng.word()))\nstr r2, [r1]\n"
                s += hyp ? "mcr p15, 4, r0, c8, c7, 0\n" : "mcr p15, 0, r0, c8, c7, 0\n"
                s += "orr r0, r0, #1\nmcr \(sctlr)\nisb\n"
            case 8 where !hyp:
                // Two accesses with PL0 permissions, back to SVC through the SVC handler.
                s += "cps #0x10\n" + Self.accesses[Int(rng.below(4))] + "\nldr r1, =0x\(hex(address()))\n"
                s += Self.accesses[Int(rng.below(4))] + "\nsvc #0\n"
            case 9:
                // Alignment checking on or off, then an access at a random byte offset.
                s += "mrc \(sctlr)\n" + (rng.below(2) == 0 ? "orr" : "bic") + " r0, r0, #2\nmcr \(sctlr)\nisb\n"
                s += ["ldr r0, [r1]", "ldrh r0, [r1]", "ldrd r2, r3, [r1]", "str r0, [r1]"][Int(rng.below(4))] + "\n"
            case 10 where !hyp:
                s += "ldr r0, =0x\(hex(rng.word() | 3))\nmcr p15, 0, r0, c3, c0, 0      @ DACR\n"
            default:
                s += Self.accesses[Int(rng.below(4))] + "\n"
            }
            if i % 16 == 15 { s += "b 4f\n.ltorg\n4:\n" }
        }
        return s
    }

    // MARK: Tables

    /// 8192 words: a short-descriptor level-1 table and 16 level-2 tables, or 8 LPAE tables.
    private mutating func shortOrLPAE(region: UInt32, stage2: Bool) -> [UInt32] {
        lpae ? lpaeTables(region: region, stage2: stage2) : shortTables(region: region)
    }

    private mutating func shortTables(region: UInt32) -> [UInt32] {
        var t = [UInt32](repeating: 0, count: 8192)
        for i in 0..<4096 {
            let w = rng.word()
            switch rng.below(8) {
            case 0: t[i] = w & ~3                                                        // fault
            case 1, 2: t[i] = (region + 0x4000 + UInt32(rng.below(16)) * 0x400) | (w & 0x3FC) | 1   // page table
            case 3, 4: t[i] = (w & ~0x4_0003) | 2 | xn(0x10)                             // section anywhere
            case 5: t[i] = (base & 0xFFF0_0000) | (w & 0xF_FFFC & ~0x4_0000) | 2 | xn(0x10)   // section on the image
            case 6: t[i] = (w & ~3) | 0x4_0002 | xn(0x10)                                // supersection
            default: t[i] = w
            }
        }
        for i in 4096..<8192 {
            let w = rng.word()
            switch rng.below(6) {
            case 0: t[i] = w & ~3
            case 1, 2: t[i] = w | 2 | xn(1)                                              // small page anywhere
            case 3: t[i] = (region + UInt32(rng.below(8)) * 0x1000) | (w & 0xFFF) | 2 | xn(1)   // small page on the tables
            case 4: t[i] = (w & ~3) | 1 | xn(0x8000)                                     // large page
            default: t[i] = w
            }
        }
        // The code's section: read-only at every PL (APX = 1, AP = 0b11, so AF = 1 under
        // AFE), domain 0, executable.
        t[Int(base >> 20)] = (base & 0xFFF0_0000) | 0x8C02
        return t
    }

    private mutating func lpaeTables(region: UInt32, stage2: Bool) -> [UInt32] {
        var t = [UInt32](repeating: 0, count: 8192)
        for i in 0..<4096 {
            let w = rng.next()
            let d: UInt64
            switch rng.below(8) {
            case 0: d = w & ~1                                                           // invalid
            case 1, 2: d = UInt64(region + UInt32(rng.below(8)) * 0x1000) | (w & 0xF800_0000_0000_0000) | 3   // table
            case 3: d = (w & 0x00F0_00FF_FFFF_FFFC) | (rng.below(2) == 0 ? 1 : 3) | UInt64(xn(0x60_0000)) << 32   // block/page anywhere
            case 4, 5:                                                                    // on the image or the tables
                d = UInt64(base &+ UInt32(rng.below(0x28)) * 0x1000) | (w & 0x0070_0000_0000_0FFC) | (rng.below(2) == 0 ? 1 : 3)
                    | UInt64(xn(0x60_0000)) << 32
            default: d = w
            }
            t[2 * i] = UInt32(truncatingIfNeeded: d)
            t[2 * i + 1] = UInt32(truncatingIfNeeded: d >> 32)
        }
        // The code's 1 GiB block in the level-1 table (T0SZ = 0: VA[31:30] indexes four
        // entries): AF, inner shareable, read-only at every level (stage 1 AP[2:1] = 0b11;
        // stage 2 HAP = 0b11 with normal write-back memory, MemAttr = 0b1111), executable.
        let index = Int(base >> 30)
        t[2 * index] = (base & 0xC000_0000) | (stage2 ? 0x7FD : 0x7C1)
        t[2 * index + 1] = 0
        return t
    }

    /// A leaf's execute-never bits, set seven times in eight: a branch that reaches a random
    /// page then mostly takes a permission fault instead of running table words or an alias
    /// of the code (which could loop until the budget and end the exploration early).
    private mutating func xn(_ bits: UInt32) -> UInt32 { rng.below(8) == 0 ? 0 : bits }

    /// The tables as `.word`s, byte-reversed per descriptor (a doubleword's halves swap
    /// too) when the regime walks big-endian.
    private func words(_ t: [UInt32], bigEndian: Bool, doublewords: Bool) -> String {
        var t = t
        if bigEndian {
            t = t.map(\.byteSwapped)
            if doublewords { for i in stride(from: 0, to: t.count, by: 2) { t.swapAt(i, i + 1) } }
        }
        var s = ""
        s.reserveCapacity(t.count * 18)
        for w in t { s += ".word 0x\(hex(w))\n" }
        return s
    }

    private func hex(_ v: UInt32) -> String { String(v, radix: 16) }
}
