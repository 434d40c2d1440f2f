import XCTest
@testable import Emulator
import Profiles

/// Instruction fetch through the MMU: X permission, the virtual pc in epc, instructions that
/// straddle two pages, and Sv57.
final class RVFetchTranslationTests: XCTestCase {
    typealias H = MMUHarness

    func testExecutesFromATranslatedPageWithVirtualPCs() throws {
        // `xcode` (physically 0x80001000) is mapped execute-only at VA 0x4000, with A clear.
        let core = try H.run("""
            la s3, xcode
            li t1, 0x4000
            jr t1
            .balign 4096
            xcode:
            auipc a1, 0
            ecall
            """, record: false) { core in
            H.sv39Tables(core, leaves: [4: H.pte(0x8000_1000, H.V | H.X)])
        }
        XCTAssertEqual(core.x[19], 0x8000_1000, "layout assumption")
        XCTAssertEqual(core.x[11], 0x4000, "AUIPC sees the virtual pc")
        XCTAssertEqual(core.csr.mcause, 9)
        XCTAssertEqual(core.csr.mepc, 0x4004)
        XCTAssertEqual(H.peek(core, H.level0 + 4 * 8), H.pte(0x8000_1000, H.V | H.X | H.A), "the fetch set A")
    }

    func testJumpToANonExecutablePageIsAnInstructionPageFault() throws {
        let core = try H.run("""
            li t1, 0x3000
            jr t1
            """, record: false) { core in
            H.sv39Tables(core, leaves: [3: H.pte(0x8000_0000, H.RWAD)])
        }
        XCTAssertEqual(core.csr.mcause, 12)
        XCTAssertEqual(core.csr.mtval, 0x3000)
        XCTAssertEqual(core.csr.mepc, 0x3000)
    }

    func testExecuteNeedsAUnderFaultingADUpdate() throws {
        let core = try H.run("""
            li t1, 0x4000
            jr t1
            """, record: false, profile: H.profile(ad: .fault)) { core in
            H.sv39Tables(core, leaves: [4: H.pte(0x8000_1000, H.V | H.X)])
        }
        XCTAssertEqual([core.csr.mcause, core.csr.mtval], [12, 0x4000])
    }

    func testInstructionSpanningTwoPagesUsesBothTranslations() throws {
        // VA 0x1000 → 0x80021000 and VA 0x2000 → 0x80023000. `addi a0, zero, 0x123`
        // (0x12300513) straddles VA 0x1FFE; the physically following page holds a decoy.
        let core = try H.run("""
            li t1, 0x1FFE
            jr t1
            """, record: false) { core in
            H.sv39Tables(core, leaves: [1: H.pte(0x8002_1000, H.V | H.X | H.A), 2: H.pte(0x8002_3000, H.V | H.X | H.A)])
            H.poke16(core, 0x8002_1FFE, 0x0513)
            H.poke16(core, 0x8002_3000, 0x1230)
            H.poke16(core, 0x8002_3002, 0x0073)   // ecall
            H.poke16(core, 0x8002_3004, 0x0000)
            H.poke16(core, 0x8002_2000, 0x4560)
        }
        XCTAssertEqual(core.x[10], 0x123)
        XCTAssertEqual([core.csr.mcause, core.csr.mepc], [9, 0x2002])
    }

    func testUpperHalfOnAnUnmappedPageFaultsWithItsAddress() throws {
        let core = try H.run("""
            li t1, 0x2FFE
            jr t1
            """, record: false) { core in
            H.sv39Tables(core, leaves: [2: H.pte(0x8002_3000, H.V | H.X | H.A)])
            H.poke16(core, 0x8002_3FFE, 0x0513)
        }
        XCTAssertEqual([core.csr.mcause, core.csr.mtval, core.csr.mepc], [12, 0x3000, 0x2FFE])
        XCTAssertEqual(core.x[10], 0)
    }

    func testUntranslatedInstructionSpanningPagesSeesAStoreToItsUpperHalf() throws {
        // `addi a0, zero, 1` at 0x80001FFE, `ret` after it; then the upper half is rewritten to
        // make it `addi a0, zero, 2`. A decoded copy cached with the first page would miss the
        // store, which only clears the second page's entries.
        let core = try H.run("""
            li t1, 0x80001FFE
            jalr ra, 0(t1)
            mv s4, a0
            li t2, 0x80002000
            li t3, 0x0020
            sh t3, 0(t2)
            jalr ra, 0(t1)
            """, enterSupervisor: false) { core in
            H.poke16(core, 0x8000_1FFE, 0x0513)
            H.poke16(core, 0x8000_2000, 0x0010)
            H.poke16(core, 0x8000_2002, 0x8067)   // jalr zero, 0(ra)
            H.poke16(core, 0x8000_2004, 0x0000)
        }
        XCTAssertEqual(H.traps(core), [])
        XCTAssertEqual(core.x[20], 1)
        XCTAssertEqual(core.x[10], 2)
    }

    func testSv57FiveLevelWalk() throws {
        let core = try H.run("""
            li t1, 0x1000
            ld a0, 0(t1)
            li t1, 0x200000000001000
            ld a1, 0(t1)              # bit 57 set, bit 56 clear: not canonical for Sv57
            """, profile: H.profile(modes: ["sv39", "sv48", "sv57"])) { core in
            // L4 (root) → L3 0x80013000 → L2 0x80014000: [2] code gigapage, [0] → L1 → L0.
            H.poke(core, H.root, H.pte(0x8001_3000, H.V))
            H.poke(core, 0x8001_3000, H.pte(0x8001_4000, H.V))
            H.poke(core, 0x8001_4000 + 2 * 8, H.pte(0x8000_0000, H.RWXAD))
            H.poke(core, 0x8001_4000, H.pte(H.level1, H.V))
            H.poke(core, H.level1, H.pte(H.level0, H.V))
            H.poke(core, H.level0 + 8, H.pte(0x8002_0000, H.RWAD))
            H.poke(core, 0x8002_0000, 0x57)
            core.x[27] = H.satp(mode: 10)
        }
        XCTAssertEqual(core.csr.satp >> 60, 10)
        XCTAssertEqual(core.x[10], 0x57)
        XCTAssertEqual(H.traps(core), [[13, 0x200_0000_0000_1000]])
    }

    func testSatpModeTheHartLacksIsIgnored() throws {
        // Sv48 on a Sv39-only hart: the write leaves satp Bare (§4.1.11), so nothing translates.
        let core = try H.run("""
            li t1, 0x80020000
            ld a0, 0(t1)
            """, profile: H.profile(modes: ["sv39"])) { core in
            core.x[27] = H.satp(mode: 9)
            H.poke(core, 0x8002_0000, 0x39)
        }
        XCTAssertEqual(core.csr.satp, 0)
        XCTAssertEqual(core.x[10], 0x39)
        XCTAssertEqual(H.traps(core), [])
    }
}
