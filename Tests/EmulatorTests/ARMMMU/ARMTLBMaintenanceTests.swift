import XCTest
@testable import Emulator

/// The software TLB keeps translations across page-table writes until TLB maintenance removes
/// them (ARM ARM B3.10), and the Inner Shareable operations reach the other cores.
final class ARMTLBMaintenanceTests: XCTestCase {
    typealias T = ARMMMUTest

    /// VA 0x50005000 is a small page onto 0x80008000; r3 = its L2 entry's address, r4 = an
    /// entry onto 0x80009000. (Page 5: the TLB is direct-mapped by VA[19:12], and the code's
    /// page 0x80000 would share page 0's slot — an eviction the architecture allows, which
    /// would hide the stale entry these tests look for.)
    private func pageSetup(_ c: ARMCore) {
        c.enableShortDescriptorMMU()
        c.mapL1(0x5000_0000, T.l2 | 1)
        c.poke(T.l2 + 20, T.smallPage(T.dataA))
        c.r[3] = T.l2 + 20
        c.r[4] = T.smallPage(T.dataB)
    }

    private func run(_ maintenance: String, steps: UInt64 = 9) throws -> ARMCore {
        try ARMHarness.exec("""
            ldr r0, =0x50005000
            ldr r1, [r0]
            str r4, [r3]
            dsb
            ldr r2, [r0]
            \(maintenance)
            dsb
            isb
            ldr r5, [r0]
            b .
            .ltorg
            """, steps: steps, setup: pageSetup)
    }

    func testPageTableWriteNeedsTLBIMVA() throws {
        let core = try run("mcr p15, 0, r0, c8, c7, 1")
        XCTAssertEqual(core.r[1], T.valueA)
        XCTAssertEqual(core.r[2], T.valueA, "the TLB still holds the old translation")
        XCTAssertEqual(core.r[5], T.valueB, "TLBIMVA removed it")
    }

    func testTLBIMVAOfAnotherPageLeavesTheEntry() throws {
        let core = try run("""
            ldr r6, =0x50006000
            mcr p15, 0, r6, c8, c7, 1
            """, steps: 10)
        XCTAssertEqual(core.r[5], T.valueA)
    }

    func testTLBIALLAndTLBIASIDFlush() throws {
        XCTAssertEqual(try run("mcr p15, 0, r0, c8, c7, 0").r[5], T.valueB)
        XCTAssertEqual(try run("mcr p15, 0, r0, c8, c7, 2").r[5], T.valueB)
        XCTAssertEqual(try run("mcr p15, 0, r0, c8, c6, 1").r[5], T.valueB, "DTLBIMVA")
    }

    /// Core 0 reads VA 0x50000000 (caching it), core 1 rewrites the PTE and runs `op`, core 0
    /// reads again.
    private func crossCore(_ op: String) throws -> UInt32 {
        let m = try ARMHarness.machine(cores: 2)
        let words = try ARMHarness.assemble("""
            ldr r1, [r0]
            ldr r2, [r0]
            b .
            core1:
            str r4, [r3]
            dsb
            \(op)
            dsb
            isb
            b .
            """)
        var bytes: [UInt8] = []
        for w in words { bytes += [UInt8(w & 0xFF), UInt8(w >> 8 & 0xFF), UInt8(w >> 16 & 0xFF), UInt8(w >> 24)] }
        m.ram.load(bytes, at: UInt64(ARMHarness.ramBase))
        for c in m.cores {
            pageSetup(c)
            c.r[0] = 0x5000_5000
        }
        m.cores[0].nextPC = ARMHarness.ramBase
        m.cores[1].nextPC = ARMHarness.ramBase + 12
        _ = m.cores[0].run(budget: 1)
        XCTAssertEqual(m.cores[0].r[1], T.valueA)
        _ = m.cores[1].run(budget: 5)
        _ = m.cores[0].run(budget: 1)
        return m.cores[0].r[2]
    }

    func testTLBIMVAISFromOneCoreReachesAnother() throws {
        XCTAssertEqual(try crossCore("mcr p15, 0, r0, c8, c3, 1"), T.valueB)
    }

    func testLocalTLBIMVALeavesTheOtherCoreStale() throws {
        XCTAssertEqual(try crossCore("mcr p15, 0, r0, c8, c7, 1"), T.valueA)
    }

    func testTLBIALLISReachesAnotherCore() throws {
        XCTAssertEqual(try crossCore("mcr p15, 0, r0, c8, c3, 0"), T.valueB)
    }

    func testTLBIMVAHInvalidatesHypTranslations() throws {
        // Hyp: VA 0x40000000 is a 2 MiB block onto 0x80000000; the guest rewrites it onto
        // 0x80200000 (no RAM) and invalidates: the next load takes a data abort in Hyp.
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            ldr r1, [r0]
            str r4, [r3]
            ldr r2, [r0]
            mcr p15, 4, r0, c8, c7, 1
            isb
            ldr r5, [r0]
            b .
            .ltorg
            """, steps: 8, mode: .hyp) { c in
            c.cp15.scr = SCR.NS | SCR.HCE
            c.cp15.hvbar = T.vectors
            c.poke64(T.l1 + 16, ARMLongDescriptorTests.block(0x8000_0000))
            c.poke64(T.l1 + 8, ARMLongDescriptorTests.table(UInt64(T.l2)))
            c.poke64(T.l2, ARMLongDescriptorTests.block(0x8000_0000))
            c.poke(T.dataA, T.valueA)
            c.cp15.httbr = UInt64(T.l1)
            c.cp15.hsctlr |= HSCTLR.M
            c.r[3] = T.l2
            c.r[4] = UInt32(truncatingIfNeeded: ARMLongDescriptorTests.block(0x8020_0000))
        }
        XCTAssertEqual(core.r[1], T.valueA)
        XCTAssertEqual(core.r[2], T.valueA)
        XCTAssertEqual(core.cp15.hdfar, 0x4000_8000)
        XCTAssertEqual(core.cp15.hsr >> 26, 0x25)
        XCTAssertEqual(core.cp15.hsr & 0x3F, 0x10, "synchronous external abort")
    }
}
