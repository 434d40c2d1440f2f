import XCTest
@testable import Emulator
import Profiles

/// Sv39/Sv48 translation of loads and stores from S-mode (privileged spec §4.3–4.5).
final class RVTranslationTests: XCTestCase {
    typealias H = MMUHarness

    func testLoadsThrough4KiBPage2MiBMegapageAnd1GiBGigapage() throws {
        let core = try H.run("""
            li t1, 0x1000
            ld a0, 0(t1)
            li t2, 0x4444
            sd t2, 8(t1)
            li t1, 0x221008
            ld a1, 0(t1)
            li t1, 0xC0022010
            ld a2, 0(t1)
            li t1, 0xFFFFFFFFC0023018
            ld a3, 0(t1)
            """) { core in
            H.sv39Tables(core, leaves: [1: H.pte(0x8002_0000, H.RWAD)])
            H.poke(core, H.level1 + 8, H.pte(0x8000_0000, H.RWAD))     // VA 0x200000: 2 MiB megapage
            H.poke(core, H.root + 3 * 8, H.pte(0x8000_0000, H.RWAD))   // VA 0xC0000000: 1 GiB gigapage
            H.poke(core, H.root + 511 * 8, H.pte(0x8000_0000, H.RWAD)) // the top of the upper half
            H.poke(core, 0x8002_0000, 0x1111)
            H.poke(core, 0x8002_1008, 0x2222)
            H.poke(core, 0x8002_2010, 0x3333)
            H.poke(core, 0x8002_3018, 0x5555)
        }
        XCTAssertEqual(H.traps(core), [])
        XCTAssertEqual(core.privilege, .supervisor)
        XCTAssertEqual(core.x[10], 0x1111, "4 KiB page")
        XCTAssertEqual(core.x[11], 0x2222, "2 MiB megapage")
        XCTAssertEqual(core.x[12], 0x3333, "1 GiB gigapage")
        XCTAssertEqual(core.x[13], 0x5555, "sign-extended upper-half address")
        XCTAssertEqual(H.peek(core, 0x8002_0008), 0x4444, "store through the 4 KiB page")
    }

    func testInvalidPTELoadPageFaultReportsTheVirtualAddress() throws {
        let core = try H.run("""
            li a0, 0x55
            li t1, 0x5008
            la s2, fault
            fault:
            ld a0, 0(t1)
            li t1, 0x5010
            sd a0, 0(t1)
            """, record: false) { core in
            H.sv39Tables(core, leaves: [5: H.pte(0x8002_0000, H.RWAD & ~H.V)])
        }
        XCTAssertEqual(core.privilege, .machine)
        XCTAssertEqual(core.csr.mcause, 13)
        XCTAssertEqual(core.csr.mtval, 0x5008)
        XCTAssertEqual(core.csr.mepc, core.x[18])
        XCTAssertEqual(core.x[10], 0x55, "rd is not written by a faulting load")
    }

    func testStoreToReadOnlyPageIsAStorePageFault() throws {
        let core = try H.run("""
            li t1, 0x2010
            ld a0, 0(t1)
            li t2, 0x99
            sd t2, 0(t1)
            li t1, 0x5000
            sd t2, 0(t1)
            li t1, 0x2010
            amoadd.d a1, t2, (t1)
            """) { core in
            H.sv39Tables(core, leaves: [2: H.pte(0x8002_0000, H.V | H.R | H.A | H.D)])
            H.poke(core, 0x8002_0010, 0x77)
        }
        XCTAssertEqual(core.x[10], 0x77)
        XCTAssertEqual(H.traps(core), [[15, 0x2010], [15, 0x5000], [15, 0x2010]],
                       "stores and AMOs raise store/AMO page faults")
        XCTAssertEqual(H.peek(core, 0x8002_0010), 0x77, "the read-only page is unchanged")
    }

    func testUserPagesNeedSUMInSupervisorMode() throws {
        let core = try H.run("""
            li t0, 0x40000
            csrs sstatus, t0
            li t1, 0x6000
            ld a0, 0(t1)
            sd a0, 8(t1)
            csrc sstatus, t0
            ld a1, 0(t1)
            sd a0, 16(t1)
            csrs sstatus, t0
            ld a2, 0(t1)
            """) { core in
            H.sv39Tables(core, leaves: [6: H.pte(0x8002_0000, H.RWAD | H.U)])
            H.poke(core, 0x8002_0000, 0xABCD)
        }
        XCTAssertEqual(core.x[10], 0xABCD, "SUM = 1: S-mode may read a U page")
        XCTAssertEqual(H.peek(core, 0x8002_0008), 0xABCD, "and write it")
        XCTAssertEqual(core.x[11], 0, "SUM = 0: no access, even though the translation was cached")
        XCTAssertEqual(H.peek(core, 0x8002_0010), 0)
        XCTAssertEqual(core.x[12], 0xABCD)
        XCTAssertEqual(H.traps(core), [[13, 0x6000], [15, 0x6010]])
    }

    func testSupervisorNeverExecutesUserPagesEvenWithSUM() throws {
        let core = try H.run("""
            li t0, 0x40000
            csrs sstatus, t0
            li t1, 0x6000
            jr t1
            """, record: false) { core in
            H.sv39Tables(core, leaves: [6: H.pte(0x8000_0000, H.RWXAD | H.U)])
        }
        XCTAssertEqual(core.csr.mcause, 12)
        XCTAssertEqual(core.csr.mtval, 0x6000)
        XCTAssertEqual(core.csr.mepc, 0x6000)
    }

    func testUserModeCannotReachSupervisorPagesAndTheSetsStayApart() throws {
        // S loads VA 0x1000 (an S page: cached for S), then SRETs to U code mapped at
        // 0x40000000 (a U alias of the code); the same load from U must fault.
        let core = try H.run("""
            li t1, 0x1000
            ld a0, 0(t1)
            la t0, ucode
            li t2, 0x40000000
            sub t0, t0, t2
            csrw sepc, t0
            li t0, 0x100
            csrc sstatus, t0
            sret
            ucode:
            li a2, 0x42
            li t1, 0x1000
            ld a1, 0(t1)
            li t1, 0x6000
            ld a3, 0(t1)
            """, record: false) { core in
            H.sv39Tables(core, leaves: [1: H.pte(0x8002_0000, H.RWAD), 6: H.pte(0x8002_1000, H.RWAD | H.U)])
            H.poke(core, H.root + 1 * 8, H.pte(0x8000_0000, H.RWXAD | H.U))   // VA 0x40000000: U alias
            H.poke(core, 0x8002_0000, 0x1234)
            H.poke(core, 0x8002_1000, 0x5678)
        }
        XCTAssertEqual(core.x[10], 0x1234)
        XCTAssertEqual(core.x[12], 0x42, "U-mode ran from the U alias")
        XCTAssertEqual(core.x[11], 0)
        XCTAssertEqual(core.csr.mcause, 13)
        XCTAssertEqual(core.csr.mtval, 0x1000)
        XCTAssertEqual((core.csr.mstatus >> 11) & 3, 0, "the fault came from U-mode")
    }

    func testUserModeReachesUserPages() throws {
        let core = try H.run("""
            la t0, ucode
            li t2, 0x40000000
            sub t0, t0, t2
            csrw sepc, t0
            li t0, 0x100
            csrc sstatus, t0
            sret
            ucode:
            li t1, 0x6000
            ld a3, 0(t1)
            ecall
            """, record: false) { core in
            H.sv39Tables(core, leaves: [6: H.pte(0x8002_1000, H.RWAD | H.U)])
            H.poke(core, H.root + 1 * 8, H.pte(0x8000_0000, H.RWXAD | H.U))
            H.poke(core, 0x8002_1000, 0x5678)
        }
        XCTAssertEqual(core.x[13], 0x5678)
        XCTAssertEqual(core.csr.mcause, 8, "ECALL from U after the load")
    }

    func testMXRMakesExecuteOnlyPagesReadable() throws {
        let core = try H.run("""
            li t0, 0x80000
            csrs sstatus, t0
            li t1, 0x7000
            ld a0, 0(t1)
            csrc sstatus, t0
            ld a1, 0(t1)
            """) { core in
            H.sv39Tables(core, leaves: [7: H.pte(0x8002_0000, H.V | H.X | H.A)])
            H.poke(core, 0x8002_0000, 0xFEED)
        }
        XCTAssertEqual(core.x[10], 0xFEED, "MXR = 1: an X-only page is readable")
        XCTAssertEqual(core.x[11], 0, "MXR = 0 again: the cached permission is gone")
        XCTAssertEqual(H.traps(core), [[13, 0x7000]])
    }

    func testHardwareADUpdateSetsAccessedAndDirtyInMemory() throws {
        let core = try H.run("""
            li t1, 0x8000
            ld a0, 0(t1)
            li t1, 0x9000
            ld a1, 0(t1)
            sd t1, 8(t1)
            """, profile: H.profile(ad: .hardware)) { core in
            H.sv39Tables(core, leaves: [8: H.pte(0x8002_0000, H.V | H.R | H.W), 9: H.pte(0x8002_1000, H.V | H.R | H.W)])
        }
        XCTAssertEqual(H.traps(core), [])
        XCTAssertEqual(H.peek(core, H.level0 + 8 * 8), H.pte(0x8002_0000, H.V | H.R | H.W | H.A), "a load sets A only")
        XCTAssertEqual(H.peek(core, H.level0 + 9 * 8), H.pte(0x8002_1000, H.V | H.R | H.W | H.A | H.D),
                       "a store after a load sets D (the TLB did not let it through without walking)")
        XCTAssertEqual(H.peek(core, 0x8002_1008), 0x9000)
    }

    func testFaultingADUpdateRaisesPageFaults() throws {
        let core = try H.run("""
            li t1, 0x8000
            ld a0, 0(t1)
            li t1, 0x9000
            ld a1, 0(t1)
            sd t1, 8(t1)
            """, profile: H.profile(ad: .fault)) { core in
            H.sv39Tables(core, leaves: [8: H.pte(0x8002_0000, H.V | H.R | H.W), 9: H.pte(0x8002_1000, H.V | H.R | H.W | H.A)])
            H.poke(core, 0x8002_1000, 0x31)
        }
        XCTAssertEqual(H.traps(core), [[13, 0x8000], [15, 0x9008]], "A = 0: load page fault; D = 0: store page fault")
        XCTAssertEqual(core.x[11], 0x31)
        XCTAssertEqual(H.peek(core, H.level0 + 8 * 8), H.pte(0x8002_0000, H.V | H.R | H.W), "PTEs untouched")
        XCTAssertEqual(H.peek(core, H.level0 + 9 * 8), H.pte(0x8002_1000, H.V | H.R | H.W | H.A))
        XCTAssertEqual(H.peek(core, 0x8002_1008), 0)
    }

    func testSFENCEVMAMakesAChangedPTEVisible() throws {
        let newPTE = H.pte(0x8002_1000, H.RWAD)
        for fence in ["sfence.vma t1, zero", "sfence.vma"] {
            for codeIn4KiBPages in [false, true] {
                let what = "\(fence), code in \(codeIn4KiBPages ? "4 KiB pages" : "a gigapage")"
                let core = try H.run("""
                    li t1, 0x1000
                    ld a0, 0(t1)
                    li t2, 0x80012008
                    li t3, \(newPTE)
                    sd t3, 0(t2)
                    ld a1, 0(t1)
                    \(fence)
                    ld a2, 0(t1)
                    """) { core in
                    H.sv39Tables(core, leaves: [1: H.pte(0x8002_0000, H.RWAD)], codeIn4KiBPages: codeIn4KiBPages)
                    H.poke(core, 0x8002_0000, 1)
                    H.poke(core, 0x8002_1000, 2)
                }
                XCTAssertEqual(H.traps(core), [], what)
                XCTAssertEqual(core.x[10], 1, what)
                XCTAssertEqual(core.x[11], 1, "\(what): the TLB keeps the old translation until the fence")
                XCTAssertEqual(core.x[12], 2, "\(what): the new PTE is used after it")
            }
        }
    }

    func testAddressSpecificSFENCEVMAFlushesOnlyThatPage() throws {
        // With no superpage cached, SFENCE.VMA rs1 forgets that page alone: a changed PTE of
        // another page keeps its cached translation (which the spec allows until a fence
        // covering it).
        let core = try H.run("""
            li t1, 0x1000
            li t4, 0x2000
            ld a0, 0(t1)
            ld a1, 0(t4)
            li t2, 0x80012008
            li t3, \(H.pte(0x8002_2000, H.RWAD))
            sd t3, 0(t2)
            li t3, \(H.pte(0x8002_3000, H.RWAD))
            sd t3, 8(t2)
            sfence.vma t1, zero
            ld a2, 0(t1)
            ld a3, 0(t4)
            sfence.vma t4, zero
            ld a4, 0(t4)
            """) { core in
            H.sv39Tables(core, leaves: [1: H.pte(0x8002_0000, H.RWAD), 2: H.pte(0x8002_1000, H.RWAD)], codeIn4KiBPages: true)
            for (i, a) in [0x8002_0000, 0x8002_1000, 0x8002_2000, 0x8002_3000].enumerated() { H.poke(core, UInt64(a), UInt64(i + 1)) }
        }
        XCTAssertEqual(H.traps(core), [])
        XCTAssertEqual([core.x[10], core.x[11], core.x[12], core.x[13], core.x[14]], [1, 2, 3, 2, 4])
    }

    func testSatpWriteSwitchesAddressSpaces() throws {
        // A second root at 0x80014000 maps VA 0x1000 to another page.
        let core = try H.run("""
            li t1, 0x1000
            ld a0, 0(t1)
            csrw satp, s10
            ld a1, 0(t1)
            """) { core in
            H.sv39Tables(core, leaves: [1: H.pte(0x8002_0000, H.RWAD)])
            H.poke(core, 0x8001_4000 + 2 * 8, H.pte(0x8000_0000, H.RWXAD))
            H.poke(core, 0x8001_4000, H.pte(0x8001_5000, H.V))
            H.poke(core, 0x8001_5000, H.pte(0x8001_6000, H.V))
            H.poke(core, 0x8001_6008, H.pte(0x8002_1000, H.RWAD))
            core.x[26] = H.satp(root: 0x8001_4000)   // s10
            H.poke(core, 0x8002_0000, 1)
            H.poke(core, 0x8002_1000, 2)
        }
        XCTAssertEqual(H.traps(core), [])
        XCTAssertEqual([core.x[10], core.x[11]], [1, 2])
    }

    func testMPRVTranslatesMachineModeLoadsAsMPP() throws {
        // M-mode with MPRV = 1: loads/stores use MPP's translation and protection; the code
        // itself keeps running untranslated.
        let core = try H.run("""
            li t0, 0x1800
            csrc mstatus, t0
            li t0, 0x800
            csrs mstatus, t0          # MPP = S
            li t0, 0x20000
            csrs mstatus, t0          # MPRV = 1
            li t1, 0x1000
            ld a0, 0(t1)              # VA 0x1000 → 0x80020000
            li t1, 0x5000
            ld a1, 0(t1)              # unmapped: load page fault
            li t0, 0x1800
            csrc mstatus, t0          # MPP = U
            li t1, 0x1000
            ld a2, 0(t1)              # an S page seen from U: load page fault
            li t0, 0x1800
            csrs mstatus, t0          # MPP = M: untranslated
            li t1, 0x80020008
            ld a3, 0(t1)
            """, enterSupervisor: false) { core in
            H.sv39Tables(core, leaves: [1: H.pte(0x8002_0000, H.RWAD)])
            H.poke(core, 0x8002_0000, 0xAA)
            H.poke(core, 0x8002_0008, 0xBB)
        }
        XCTAssertEqual(core.x[10], 0xAA)
        XCTAssertEqual(core.x[11], 0)
        XCTAssertEqual(core.x[12], 0)
        XCTAssertEqual(core.x[13], 0xBB)
        XCTAssertEqual(H.traps(core), [[13, 0x5000], [13, 0x1000]])
    }

    func testReservedAndMalformedPTEsArePageFaults() throws {
        let core = try H.run("""
            li t1, 0xA000
            ld a0, 0(t1)              # W without R
            li t1, 0x400000
            ld a0, 0(t1)              # misaligned megapage
            li t1, 0x600000
            ld a0, 0(t1)              # non-leaf with A set (QEMU)
            li t1, 0xB000
            ld a0, 0(t1)              # reserved bit 63 (no Svnapot)
            li t1, 0xC000
            ld a0, 0(t1)              # reserved bits 62:61 (no Svpbmt)
            li t1, 0x8000001000
            ld a0, 0(t1)              # not canonical: bit 39 set, bit 38 clear
            li t1, 0x1000
            ld a1, 0(t1)              # the same page, canonical: fine
            """) { core in
            H.sv39Tables(core, leaves: [
                1: H.pte(0x8002_0000, H.RWAD),
                10: H.pte(0x8002_0000, H.V | H.W | H.A | H.D),
                11: H.pte(0x8002_0000, H.RWAD) | 1 << 63,
                12: H.pte(0x8002_0000, H.RWAD) | 1 << 61,
            ])
            H.poke(core, H.level1 + 2 * 8, H.pte(0x8000_1000, H.RWAD))
            H.poke(core, H.level1 + 3 * 8, H.pte(H.level0, H.V | H.A))
            H.poke(core, 0x8002_0000, 0x1F)
        }
        XCTAssertEqual(H.traps(core), [[13, 0xA000], [13, 0x400000], [13, 0x600000], [13, 0xB000], [13, 0xC000],
                                       [13, 0x80_0000_1000]])
        XCTAssertEqual(core.x[11], 0x1F)
    }

    func testPageTableOutsideRAMIsAnAccessFault() throws {
        let core = try H.run("""
            li t1, 0x100000000
            ld a0, 0(t1)
            sd a0, 0(t1)
            """) { core in
            H.sv39Tables(core)
            H.poke(core, H.root + 4 * 8, H.pte(0x1000_0000, H.V))   // next level "at" 0x10000000: no RAM
        }
        XCTAssertEqual(H.traps(core), [[5, 0x1_0000_0000], [7, 0x1_0000_0000]])
    }

    func testSv48FourLevelWalkAndItsCanonicalRule() throws {
        let core = try H.run("""
            li t1, 0x1000
            ld a0, 0(t1)
            li t1, 0x1000000001000
            ld a1, 0(t1)              # bit 48 set: not canonical for Sv48
            li t1, 0x8000001000
            ld a2, 0(t1)              # canonical in Sv48 (not in Sv39): L3 index 1
            """) { core in
            // root (L3) at 0x80010000: [0] → L2 at 0x80013000, [1] → L2' at 0x80014000.
            H.poke(core, H.root, H.pte(0x8001_3000, H.V))
            H.poke(core, H.root + 8, H.pte(0x8001_4000, H.V))
            H.poke(core, 0x8001_3000 + 2 * 8, H.pte(0x8000_0000, H.RWXAD))   // code gigapage
            H.poke(core, 0x8001_3000, H.pte(H.level1, H.V))
            H.poke(core, H.level1, H.pte(H.level0, H.V))
            H.poke(core, H.level0 + 8, H.pte(0x8002_0000, H.RWAD))
            H.poke(core, 0x8001_4000, H.pte(0x8000_0000, H.RWAD))            // VA 0x8000000000: gigapage
            H.poke(core, 0x8002_0000, 0x48)
            H.poke(core, 0x8000_1000, 0x4848)
            core.x[27] = H.satp(mode: 9)
        }
        XCTAssertEqual(core.csr.satp >> 60, 9)
        XCTAssertEqual(core.x[10], 0x48)
        XCTAssertEqual(core.x[12], 0x4848)
        XCTAssertEqual(H.traps(core), [[13, 0x1_0000_0000_1000]])
    }

    func testMisalignedAccessesSpanningTwoPagesUseBothTranslations() throws {
        // VA 0x1000 → 0x80021000 and VA 0x2000 → 0x80023000: not contiguous physically.
        let core = try H.run("""
            li t1, 0x1FFC
            ld a0, 0(t1)
            li t2, 0x0102030405060708
            sd t2, 0(t1)
            li t1, 0x2FFC
            ld a1, 0(t1)              # the second page (VA 0x3000) is not mapped
            """, profile: H.profile(misaligned: .hardware)) { core in
            H.sv39Tables(core, leaves: [1: H.pte(0x8002_1000, H.RWAD), 2: H.pte(0x8002_3000, H.RWAD)])
            H.poke(core, 0x8002_1FF8, 0x4433_2211_0000_0000)
            H.poke(core, 0x8002_3000, 0x8877_6655)
            H.poke(core, 0x8002_2000, 0xDEAD_BEEF)
        }
        XCTAssertEqual(core.x[10], 0x8877_6655_4433_2211)
        XCTAssertEqual(H.peek(core, 0x8002_1FF8) >> 32, 0x0506_0708)
        XCTAssertEqual(H.peek(core, 0x8002_3000) & 0xFFFF_FFFF, 0x0102_0304)
        XCTAssertEqual(H.peek(core, 0x8002_2000), 0xDEAD_BEEF)
        XCTAssertEqual(H.traps(core), [[13, 0x3000]], "the fault names the second page's first byte")
    }

    func testLRSCThroughTranslationReservesThePhysicalAddress() throws {
        let core = try H.run("""
            li t1, 0x1000
            li t2, 9
            lr.d a0, (t1)
            sc.d a1, t2, (t1)
            lr.d a2, (t1)
            """) { core in
            H.sv39Tables(core, leaves: [1: H.pte(0x8002_0000, H.RWAD)])
            H.poke(core, 0x8002_0000, 3)
        }
        XCTAssertEqual(H.traps(core), [])
        XCTAssertEqual([core.x[10], core.x[11], core.x[12]], [3, 0, 9])
        XCTAssertTrue(core.reservationValid)
        XCTAssertEqual(core.reservation, 0x8002_0000)
    }

    func testLoadForAMOTranslatesAsAStore() throws {
        // The AMO read half: an invalid page is a store/AMO page fault (15), not a load fault.
        let core = try H.run("", steps: 0) { core in
            H.sv39Tables(core, leaves: [2: H.pte(0x8002_0000, H.V | H.R | H.A | H.D), 3: H.pte(0x8002_1000, H.RWAD)])
            core.csr.satp = H.satp()
            core.csr.pmpcfg[0] = 0x1F
            core.csr.pmpaddr[0] = (1 << 54) - 1
            core.privilege = .supervisor
            H.poke(core, 0x8002_1000, 0x66)
        }
        core.syncMMU()
        XCTAssertNil(core.loadForAMO(0x5000, size: 8))
        XCTAssertEqual([core.csr.mcause, core.csr.mtval], [15, 0x5000])
        core.privilege = .supervisor
        core.syncMMU()
        XCTAssertNil(core.loadForAMO(0x2000, size: 8))
        XCTAssertEqual([core.csr.mcause, core.csr.mtval], [15, 0x2000], "read-only page")
        core.privilege = .supervisor
        core.syncMMU()
        XCTAssertEqual(core.loadForAMO(0x3000, size: 8), 0x66)
    }
}
