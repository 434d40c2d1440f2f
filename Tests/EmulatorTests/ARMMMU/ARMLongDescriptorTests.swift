import XCTest
@testable import Emulator

/// Long-descriptor (LPAE) translation: PL1 stage 1 with TTBCR.EAE, Hyp stage 1 with
/// HTTBR/HTCR, and stage 2 with VTTBR/VTCR (ARM ARM B3.6, B3.12, B3.13.6).
final class ARMLongDescriptorTests: XCTestCase {
    typealias T = ARMMMUTest

    /// Block or page descriptor: output address, AP[2:1], AF set unless `accessFlag` is false.
    static func block(_ pa: UInt64, ap: UInt64 = 0, accessFlag: Bool = true, xn: Bool = false, page: Bool = false) -> UInt64 {
        pa | (ap << 6) | (accessFlag ? 1 << 10 : 0) | (xn ? 1 << 54 : 0) | (page ? 3 : 1)
    }
    static func table(_ pa: UInt64) -> UInt64 { pa | 3 }

    /// A 3-level map at `T.l1`: VA 0x80000000 (1 GiB block, identity), VA 0x40000000 → level 2:
    /// [0] 2 MiB block onto 0x80000000, [1] → level 3: [0] page onto 0x80009000.
    static func buildThreeLevelMap(_ c: ARMCore, identity: Bool = true) {
        if identity { c.poke64(T.l1 + 16, block(0x8000_0000)) }
        c.poke64(T.l1 + 8, table(UInt64(T.l2)))
        c.poke64(T.l2, block(0x8000_0000))
        c.poke64(T.l2 + 8, table(UInt64(T.l3)))
        c.poke64(T.l3, block(UInt64(T.dataB), page: true))
        c.poke(T.dataA, T.valueA)
        c.poke(T.dataB, T.valueB)
    }

    private let threeLoads = """
        ldr r0, =0x40008000
        ldr r1, [r0]
        ldr r0, =0x40200000
        ldr r2, [r0]
        ldr r0, =0x40400000
        ldr r3, [r0]
        b .
        .ltorg
        """

    func testPL1WalkThroughThreeLevels() throws {
        let core = try ARMHarness.exec(threeLoads, steps: 6) { c in
            ARMLongDescriptorTests.buildThreeLevelMap(c)
            c.cp15.ttbr0Bank.1 = UInt64(T.l1)
            c.cp15.ttbcrBank.1 = 1 << 31          // EAE, T0SZ = 0: start at level 1
            c.cp15.vbarBank.1 = T.vectors
            c.cp15.setSCTLR(c.cp15.sctlr(secure: true) | SCTLR.M, secure: true)
        }
        XCTAssertEqual(core.r[1], T.valueA, "2 MiB block")
        XCTAssertEqual(core.r[2], T.valueB, "4 KiB page")
        // VA 0x40400000: level 2 entry 2 is invalid → long-format DFSR, translation level 2.
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(core.dfsr, 0x206)
        XCTAssertEqual(core.dfar, 0x4040_0000)
    }

    func testPL1AccessFlagAndPermissionFaultsInLongFormat() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            str r1, [r0]
            b .
            .ltorg
            """, steps: 2) { c in
            c.poke64(T.l1 + 16, ARMLongDescriptorTests.block(0x8000_0000))
            c.poke64(T.l1 + 8, ARMLongDescriptorTests.block(0x8000_0000, ap: 2))   // PL1 read-only
            c.cp15.ttbr0Bank.1 = UInt64(T.l1)
            c.cp15.ttbcrBank.1 = 1 << 31
            c.cp15.vbarBank.1 = T.vectors
            c.cp15.setSCTLR(c.cp15.sctlr(secure: true) | SCTLR.M, secure: true)
        }
        XCTAssertEqual(core.dfsr, 0x800 | 0x200 | 0x0D, "WnR, LPAE, permission level 1")
        let af = try ARMHarness.exec("""
            ldr r0, =0x40008000
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 2) { c in
            c.poke64(T.l1 + 16, ARMLongDescriptorTests.block(0x8000_0000))
            c.poke64(T.l1 + 8, ARMLongDescriptorTests.block(0x8000_0000, accessFlag: false))
            c.cp15.ttbr0Bank.1 = UInt64(T.l1)
            c.cp15.ttbcrBank.1 = 1 << 31
            c.cp15.vbarBank.1 = T.vectors
            c.cp15.setSCTLR(c.cp15.sctlr(secure: true) | SCTLR.M, secure: true)
        }
        XCTAssertEqual(af.dfsr, 0x200 | 0x09, "LPAE, access flag level 1")
    }

    func testPL1T1SZSelectsTTBR1ForTheTopOfTheAddressSpace() throws {
        // T1SZ = 1: VA ≥ 0x80000000 walks TTBR1 (2 GiB, level 1); TTBR0 (T0SZ = 1) the rest.
        let ttbr1Table: UInt32 = 0x8001_8000
        let core = try ARMHarness.exec(threeLoads, steps: 4) { c in
            ARMLongDescriptorTests.buildThreeLevelMap(c, identity: false)
            c.poke64(ttbr1Table, ARMLongDescriptorTests.block(0x8000_0000))   // index 0 = 0x80000000
            c.cp15.ttbr0Bank.1 = UInt64(T.l1)
            c.cp15.ttbr1Bank.1 = UInt64(ttbr1Table)
            c.cp15.ttbcrBank.1 = 1 << 31 | 1 << 16 | 1
            c.cp15.vbarBank.1 = T.vectors
            c.cp15.setSCTLR(c.cp15.sctlr(secure: true) | SCTLR.M, secure: true)
        }
        XCTAssertEqual(core.mode, .svc)
        XCTAssertEqual(core.r[1], T.valueA)
        XCTAssertEqual(core.r[2], T.valueB)
    }

    // MARK: Hyp

    private func hyp(_ c: ARMCore) {
        c.cp15.scr = SCR.NS | SCR.HCE
        c.cp15.hvbar = T.vectors
    }

    /// `__do_hyp_init` in miniature: HTTBR, HTCR, HMAIR0, then HSCTLR.M, then data accesses
    /// through the Hyp tables.
    private let hypInit = """
        ldr r0, =0x80010000
        mov r1, #0
        mcrr p15, 4, r0, r1, c2
        mov r0, #0
        mcr p15, 4, r0, c2, c0, 2
        ldr r0, =0xEEAA4400
        mcr p15, 4, r0, c10, c2, 0
        isb
        mrc p15, 4, r0, c1, c0, 0
        orr r0, r0, #1
        hsctlr_write: mcr p15, 4, r0, c1, c0, 0
        isb
        ldr r0, =0x40008000
        ldr r1, [r0]
        b .
        .ltorg
        """

    func testHypWalkWithHTTBRAndHTCR() throws {
        let core = try ARMHarness.exec(hypInit, steps: 14, mode: .hyp) { c in
            self.hyp(c)
            ARMLongDescriptorTests.buildThreeLevelMap(c)
        }
        XCTAssertEqual(core.mode, .hyp)
        XCTAssertEqual(core.r[1], T.valueA)
        XCTAssertEqual(core.cp15.httbr, UInt64(T.l1))
    }

    func testHypMMUWithoutIdentityMapLoopsOnPrefetchAborts() throws {
        // Scenario S2: the Hyp tables do not map the page executing the HSCTLR write. The next
        // fetch takes a prefetch abort in Hyp (HSR.EC 0x21, translation fault level 1), whose
        // vector HVBAR + 0x0C is not mapped either: the same abort again, forever.
        let m = try ARMHarness.run(ARMHarness.assemble(hypInit), mode: .hyp, steps: 12) { c in
            self.hyp(c)
            ARMLongDescriptorTests.buildThreeLevelMap(c, identity: false)
        }
        let core = m.cores[0]
        XCTAssertEqual(core.mode, .hyp)
        XCTAssertEqual(core.cp15.hsr, 0x8600_0005)
        XCTAssertEqual(core.cp15.hifar, 0x8000_002C, "the instruction after the HSCTLR write")
        XCTAssertEqual(core.r[15], T.vectors + 0x0C)
        _ = core.run(budget: 5)
        XCTAssertEqual(core.mode, .hyp)
        XCTAssertEqual(core.cp15.hsr, 0x8600_0005)
        XCTAssertEqual(core.cp15.hifar, T.vectors + 0x0C)
        XCTAssertEqual(core.elrHyp, T.vectors + 0x0C)
        XCTAssertEqual(core.r[15], T.vectors + 0x0C)
        XCTAssertEqual(core.runState, .running)
    }

    func testHypWalkIsBigEndianWithHSCTLREE() throws {
        // HSCTLR.EE: Hyp descriptors are read big-endian.
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 2, mode: .hyp) { c in
            self.hyp(c)
            c.poke64(T.l1 + 16, ARMLongDescriptorTests.block(0x8000_0000).byteSwapped)
            c.poke64(T.l1 + 8, ARMLongDescriptorTests.block(0x8000_0000).byteSwapped)
            c.poke(T.dataA, T.valueA)
            c.cp15.httbr = UInt64(T.l1)
            c.cp15.hsctlr |= HSCTLR.M | HSCTLR.EE
        }
        XCTAssertEqual(core.mode, .hyp)
        XCTAssertEqual(core.r[1], T.valueA)
    }

    func testHypWXNMakesWritableRegionsExecuteNever() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x40000000
            bx r0
            .ltorg
            """, steps: 3, mode: .hyp) { c in
            self.hyp(c)
            c.poke64(T.l1 + 16, ARMLongDescriptorTests.block(0x8000_0000, ap: 2))   // read-only: executable
            c.poke64(T.l1 + 8, ARMLongDescriptorTests.block(0x8000_0000))           // writable
            c.cp15.httbr = UInt64(T.l1)
            c.cp15.hsctlr |= HSCTLR.M | HSCTLR.WXN
        }
        XCTAssertEqual(core.cp15.hsr, 0x8600_000D, "EC 0x21, permission fault level 1")
        XCTAssertEqual(core.cp15.hifar, 0x4000_0000)
    }

    func testHypDataAbortReportsEC0x25WithWnR() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            str r1, [r0]
            b .
            .ltorg
            """, steps: 2, mode: .hyp) { c in
            self.hyp(c)
            c.poke64(T.l1 + 16, ARMLongDescriptorTests.block(0x8000_0000))
            c.cp15.httbr = UInt64(T.l1)
            c.cp15.hsctlr |= HSCTLR.M
        }
        XCTAssertEqual(core.cp15.hsr, 0x9600_0045, "EC 0x25, WnR, translation fault level 1")
        XCTAssertEqual(core.cp15.hdfar, 0x4000_8000)
        XCTAssertEqual(core.r[15], T.vectors + 0x10)
    }

    // MARK: Stage 2

    /// Non-secure SVC with HCR.VM: VTCR T0SZ = 0, SL0 = 1 (start at level 1); stage 2 maps IPA
    /// 0x80000000 (1 GiB) onto itself read/write and IPA 0x40000000 onto 0x80000000 read-only.
    private func stage2(_ c: ARMCore) {
        hyp(c)
        c.poke64(T.l1 + 16, ARMLongDescriptorTests.block(0x8000_0000, ap: 3))
        c.poke64(T.l1 + 8, ARMLongDescriptorTests.block(0x8000_0000, ap: 1))
        c.poke(T.dataA, T.valueA)
        c.cp15.vttbr = UInt64(T.l1) | (5 << 48)
        c.cp15.vtcr = 1 << 6
        c.cp15.hcr = HCR.VM
    }

    func testStage2TranslatesIPAsAndFaultsToHypWithHPFAR() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x40008000
            ldr r1, [r0]
            str r1, [r0]
            b .
            .ltorg
            """, steps: 3, setup: stage2)
        XCTAssertEqual(core.r[1], T.valueA)
        XCTAssertEqual(core.mode, .hyp)
        XCTAssertEqual(core.cp15.hsr, 0x9381_004D, "EC 0x24, ISV, word, SRT 1, WnR, stage 2 permission fault level 1")
        XCTAssertEqual(core.cp15.hdfar, 0x4000_8000)
        XCTAssertEqual(core.cp15.hpfar, 0x0040_0080, "IPA[39:12] in HPFAR[31:4]")
        XCTAssertEqual(core.r[15], T.vectors + 0x14)
        XCTAssertEqual(core.elrHyp, 0x8000_0008)
    }

    func testHCRDCStopsWithANotSupportedFinding() throws {
        let core = try ARMHarness.exec("""
            mov r0, #0x1001
            mcr p15, 4, r0, c1, c1, 0
            nop
            """, steps: 3, mode: .hyp, setup: hyp)
        XCTAssertEqual(core.runState, .halted)
        XCTAssertTrue(core.haltFinding?.summary.contains("HCR.DC") == true)
    }

    func testStage2DataAbortInstructionSyndrome() throws {
        // IPA 0xC0000000 is not mapped by stage 2: translation fault, level 1.
        func hsr(_ access: String) throws -> UInt32 {
            try ARMHarness.exec("""
                ldr r0, =0xC0000010
                \(access)
                b .
                .ltorg
                """, steps: 2, setup: stage2).cp15.hsr
        }
        XCTAssertEqual(try hsr("ldrsh r5, [r0]"), 0x9365_0005, "ISV, halfword, sign-extended, SRT 5")
        XCTAssertEqual(try hsr("strb r7, [r0, #1]"), 0x9307_0045, "ISV, byte, SRT 7, WnR")
        XCTAssertEqual(try hsr("ldr r1, [r0], #4"), 0x9200_0005, "post-indexed: no syndrome")
        XCTAssertEqual(try hsr("ldr r1, [r0, #4]!"), 0x9200_0005, "writeback: no syndrome")
        XCTAssertEqual(try hsr("ldm r0, {r1, r2}"), 0x9200_0005, "LDM: no syndrome")
    }

    func testStage2FaultOnAStage1WalkSetsS1PTW() throws {
        // Stage 1 short descriptors at IPA 0x80010000 (identity through stage 2); the page
        // table for VA 0x50000000 sits at IPA 0xC0000000, which stage 2 does not map.
        let core = try ARMHarness.exec("""
            ldr r0, =0x50000000
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 2) { c in
            self.stage2(c)
            let s1: UInt32 = 0x8002_0000
            c.poke(s1 + (0x800 << 2), T.identity)
            c.poke(s1 + (0x500 << 2), 0xC000_0000 | 1)
            c.cp15.ttbr0Bank.0 = UInt64(s1)
            c.cp15.dacrBank.0 = 1
            c.cp15.setSCTLR(c.cp15.sctlr(secure: false) | SCTLR.M, secure: false)
        }
        XCTAssertEqual(core.mode, .hyp)
        XCTAssertEqual(core.cp15.hsr, 0x9200_0085, "EC 0x24, S1PTW, translation fault level 1")
        XCTAssertEqual(core.cp15.hpfar, 0x00C0_0000)
        XCTAssertEqual(core.cp15.hdfar, 0x5000_0000)
    }

    func testStage2ExecuteNeverIsAPrefetchAbortEC0x20() throws {
        let core = try ARMHarness.exec("""
            ldr r0, =0x40000000
            bx r0
            .ltorg
            """, steps: 3) { c in
            self.stage2(c)
            c.poke64(T.l1 + 8, ARMLongDescriptorTests.block(0x8000_0000, ap: 3, xn: true))
        }
        XCTAssertEqual(core.cp15.hsr, 0x8200_000D, "EC 0x20, permission fault level 1")
        XCTAssertEqual(core.cp15.hifar, 0x4000_0000)
        XCTAssertEqual(core.cp15.hpfar, 0x0040_0000)
    }
}
