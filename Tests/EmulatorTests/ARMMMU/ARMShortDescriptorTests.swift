import XCTest
@testable import Emulator

/// Short-descriptor stage 1 translation of the PL1&0 regime (ARM ARM B3.5, B3.7, B3.12).
final class ARMShortDescriptorTests: XCTestCase {
    typealias T = ARMMMUTest

    func testSectionMapsAVirtualMegabyteOntoRAM() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            ldr r1, [r0]
            add r3, r0, #0x1000
            ldr r2, [r3]
            b .
            .ltorg
            """, steps: 4) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x4000_0000, T.section(0x8000_0000))
        }
        XCTAssertEqual(core.r[1], T.valueA)
        XCTAssertEqual(core.r[2], T.valueB)
        XCTAssertEqual(core.mode, .svc)
    }

    func testSmallPageMapsA4KiBPage() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x50000000
            ldr r1, [r0]
            add r3, r0, #0x1000
            ldr r2, [r3]
            b .
            .ltorg
            """, steps: 4) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x5000_0000, T.l2 | 1)               // page table, domain 0
            c.poke(T.l2, T.smallPage(T.dataB))           // VA 0x50000000 → 0x80009000
            c.poke(T.l2 + 4, T.smallPage(T.dataA))       // VA 0x50001000 → 0x80008000
        }
        XCTAssertEqual(core.r[1], T.valueB)
        XCTAssertEqual(core.r[2], T.valueA)
    }

    func testLargePageMaps64KiB() throws {
        // A large page (L2 type 0b01) at VA 0x50010000 onto 0x80000000: VA[15:0] is the offset.
        let core = try ARMHarness.exec("""
            ldr r0, =0x50018000
            ldr r1, [r0]
            ldr r0, =0x50019000
            ldr r2, [r0]
            b .
            .ltorg
            """, steps: 4) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x5000_0000, T.l2 | 1)
            c.poke(T.l2 + (0x18 << 2), 0x8000_0000 | 0x30 | 1)   // entry for VA[19:12] = 0x18
            c.poke(T.l2 + (0x19 << 2), 0x8000_0000 | 0x30 | 1)   // the replicated entry
        }
        XCTAssertEqual(core.r[1], T.valueA)
        XCTAssertEqual(core.r[2], T.valueB)
    }

    func testTTBR0WriteDoesNotReuseTheOldTablesTranslations() throws {
        // Two L1 tables map VA 0x40000000 to different pages; switching TTBR0 (a new context,
        // as on a process switch) must not use the first table's cached translation.
        let second: UInt32 = 0x8001_8000
        let core = try ARMHarness.exec("""
            ldr r0, =0x40000000
            ldr r1, [r0]
            ldr r3, =0x80018000
            mcr p15, 0, r3, c2, c0, 0
            isb
            ldr r2, [r0]
            b .
            .ltorg
            """, steps: 6) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x4000_0000, T.l2 | 1)
            c.poke(T.l2, T.smallPage(T.dataA))
            c.poke(second + (0x800 << 2), T.identity)
            c.poke(second + (0x400 << 2), T.l3 | 1)
            c.poke(T.l3, T.smallPage(T.dataB))
        }
        XCTAssertEqual(core.r[1], T.valueA)
        XCTAssertEqual(core.r[2], T.valueB)
    }

    func testSupersectionUsesPABits39To32() throws {
        // Two supersections at VA 0x60000000: one onto 0x80000000, one onto 0x1_80000000
        // (PA[35:32] = 1), which has no RAM: a synchronous external abort (DFSR.FS 0b01000).
        let core = try ARMHarness.exec("""
            ldr r0, =0x60008000
            ldr r1, [r0]
            ldr r0, =0x61008000
            ldr r2, [r0]
            b .
            .ltorg
            """, steps: 4) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x6000_0000, 0x8000_0000 | (1 << 18) | 0xC00 | 2)
            c.mapL1(0x6100_0000, 0x8000_0000 | (1 << 20) | (1 << 18) | 0xC00 | 2)
        }
        XCTAssertEqual(core.r[1], T.valueA)
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(core.dfsr, 0x008)
        XCTAssertEqual(core.dfar, 0x6100_8000)
    }

    func testTTBCRNSplitsBetweenTTBR0AndTTBR1() throws {
        // N = 1: VA ≥ 0x80000000 walks TTBR1 (the code's identity map), the rest the 8 KiB
        // TTBR0 table. TTBR0's table holds only the 0x40000000 mapping: were the code's fetch
        // to walk it, it would fault.
        let ttbr0Table: UInt32 = 0x8001_8000
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 2) { c in
            c.enableShortDescriptorMMU()
            c.cp15.ttbr1Bank.1 = UInt64(T.l1)
            c.cp15.ttbr0Bank.1 = UInt64(ttbr0Table)
            c.cp15.ttbcrBank.1 = 1
            c.poke(ttbr0Table + (0x400 << 2), T.section(0x8000_0000))
        }
        XCTAssertEqual(core.mode, .svc)
        XCTAssertEqual(core.r[1], T.valueA)
    }

    func testTTBCRPD0ForbidsTTBR0Walks() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 2) { c in
            c.enableShortDescriptorMMU()
            c.cp15.ttbr1Bank.1 = UInt64(T.l1)
            c.cp15.ttbcrBank.1 = 1 | 0x10       // N = 1, PD0
            c.mapL1(0x4000_0000, T.section(0x8000_0000))
        }
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(core.dfsr, 0x005, "section translation fault")
    }

    func testNoAccessDomainIsADomainFaultAndManagerBypassesAP() throws {
        let source = """
            ldr r0, =0x40008000
            ldr r1, [r0]
            b .
            .ltorg
            """
        // Domain 1 no access: DFSR = domain 1, FS 0b01001 (section domain fault).
        let denied = try ARMHarness.exec(source, steps: 2) { c in
            c.enableShortDescriptorMMU(dacr: 0b00_01)
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 0, domain: 1))
        }
        XCTAssertEqual(denied.mode, .abt)
        XCTAssertEqual(denied.dfsr, 0x019)
        XCTAssertEqual(denied.dfar, 0x4000_8000)
        // Domain 1 manager: AP = 0b000 (no access) is not checked.
        let manager = try ARMHarness.exec(source, steps: 2) { c in
            c.enableShortDescriptorMMU(dacr: 0b11_01)
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 0, domain: 1))
        }
        XCTAssertEqual(manager.mode, .svc)
        XCTAssertEqual(manager.r[1], T.valueA)
        // Domain 1 client with AP = 0b000: permission fault on the read.
        let client = try ARMHarness.exec(source, steps: 2) { c in
            c.enableShortDescriptorMMU(dacr: 0b01_01)
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 0, domain: 1))
        }
        XCTAssertEqual(client.dfsr, 0x01D)
    }

    func testWriteToReadOnlySectionIsAPermissionFault() throws {
        // AP = 0b101: PL1 read-only. The read works; the write faults with WnR, FS 0b01101,
        // and leaves memory unchanged; the abort handler is entered with LR = PC + 8.
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            ldr r1, [r0]
            store: str r0, [r0]
            b .
            .ltorg
            """, steps: 3) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 5))
        }
        XCTAssertEqual(core.r[1], T.valueA)
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(core.dfsr, 0x80D)
        XCTAssertEqual(core.dfar, 0x4000_8000)
        XCTAssertEqual(core.r[14], 0x8000_0008 + 8)
        XCTAssertEqual(core.r[15], T.vectors + 0x10)
        XCTAssertEqual(core.peek(T.dataA), T.valueA)
    }

    func testPageLevelPermissionFaultReportsLevel2() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x50000000
            str r0, [r0]
            b .
            .ltorg
            """, steps: 2) { c in
            c.enableShortDescriptorMMU(dacr: 0b01_01)
            c.mapL1(0x5000_0000, T.l2 | (1 << 5) | 1)     // page table, domain 1
            c.poke(T.l2, T.smallPage(T.dataA, ap: 7))      // read-only everywhere
        }
        XCTAssertEqual(core.dfsr, 0x800 | 0x010 | 0x00F, "WnR, domain 1, page permission fault")
    }

    func testMissingSecondLevelEntryIsATranslationFaultLevel2() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x50003000
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 2) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x5000_0000, T.l2 | 1)
        }
        XCTAssertEqual(core.dfsr, 0x007)
        XCTAssertEqual(core.dfar, 0x5000_3000)
    }

    func testFetchFromExecuteNeverSectionIsAPrefetchAbort() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x40000000
            bx r0
            .ltorg
            """, steps: 3) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x4000_0000, T.section(0x8000_0000, xn: true))
        }
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(core.ifsr, 0x00D, "section permission fault")
        XCTAssertEqual(core.ifar, 0x4000_0000)
        XCTAssertEqual(core.r[14], 0x4000_0004)
        XCTAssertEqual(core.r[15], T.vectors + 0x0C)
    }

    func testFetchThroughTranslationRunsTheRemappedCode() throws {
        // The same RAM seen at 0x40000000: the code continues there.
        let core = try ARMHarness.exec("""
            ldr r0, =0x40000000 + (there - _start)
            bx r0
            mov r1, #1
            there: mov r2, #2
            b .
            .ltorg
            """, steps: 3) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x4000_0000, T.section(0x8000_0000))
        }
        XCTAssertEqual(core.r[2], 2)
        XCTAssertEqual(core.r[1], 0)
        XCTAssertEqual(core.r[15] & 0xFFF0_0000, 0x4000_0000)
    }

    func testAccessFlagFaultWithAFE() throws {
        // SCTLR.AFE: AP[0] is the access flag; AP = 0b010 has it clear.
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 2) { c in
            c.enableShortDescriptorMMU(sctlrBits: SCTLR.AFE)
            c.mapL1(0x8000_0000, T.section(0x8000_0000, ap: 1))   // AF set, PL1 RW
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 2))
        }
        XCTAssertEqual(core.dfsr, 0x003, "section access flag fault")
    }

    func testLDRTChecksPL0Permissions() throws {
        // AP = 0b001: PL1 read/write, PL0 no access. LDR works, LDRT faults.
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            ldr r1, [r0]
            ldrt r2, [r0]
            b .
            .ltorg
            """, steps: 3) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 1))
        }
        XCTAssertEqual(core.r[1], T.valueA)
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(core.dfsr, 0x00D)
    }

    func testUserModeAccessesUsePL0Permissions() throws {
        // AP = 0b001 (PL1 only) at 0x40000000, 0b011 (full access) for the code. From User
        // mode the load faults (permission, section) and the abort is taken to Abort mode.
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            cps #0x10
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 3) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 1))
        }
        XCTAssertEqual(core.r[1], 0)
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(core.dfsr, 0x00D)
        XCTAssertEqual(core.dfar, 0x4000_8000)
    }

    func testUserModeFetchFromPL1OnlyPageIsAPrefetchAbort() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x40000000 + (there - _start)
            cps #0x10
            bx r0
            there: mov r2, #2
            .ltorg
            """, steps: 4) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 1))
        }
        XCTAssertEqual(core.r[2], 0)
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(core.ifsr, 0x00D)
    }

    func testBigEndianTableWalkWithSCTLREE() throws {
        // SCTLR.EE = 1: descriptors are read big-endian. Data accesses stay little-endian
        // (CPSR.E = 0); only exception entry would switch them.
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 2) { c in
            c.enableShortDescriptorMMU(sctlrBits: SCTLR.EE)
            c.mapL1(0x4000_0000, T.section(0x8000_0000), bigEndian: true)
        }
        XCTAssertEqual(core.mode, .svc)
        XCTAssertEqual(core.r[1], T.valueA)
    }

    func testTableWalkOutsideRAMIsAnExternalAbortOnTheWalk() throws {
        let core = try ARMHarness.exec("""
            mrc p15, 0, r0, c1, c0, 0
            orr r0, r0, #1
            mcr p15, 0, r0, c1, c0, 0
            nop
            """, steps: 4) { c in
            c.cp15.vbarBank.1 = T.vectors
        }
        // TTBR0 = 0: the level 1 descriptor fetch hits nothing (IFSR.FS 0b01100).
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(core.ifsr, 0x00C)
        XCTAssertEqual(core.ifar, 0x8000_000C)
    }

    func testAlignmentFaultTakesPriorityOverTranslation() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x70000002
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 2) { c in
            c.enableShortDescriptorMMU(sctlrBits: SCTLR.A)
        }
        XCTAssertEqual(core.dfsr, 0x001)
        XCTAssertEqual(core.dfar, 0x7000_0002)
    }
}
