import XCTest
@testable import Emulator

/// Two-stage address translation (privileged spec v1.12 §8.5): the G-stage (hgatp Sv39x4, its
/// 16 KiB root indexed by two more guest-physical bits), the VS-stage (vsatp) whose own table
/// accesses go through the G-stage, guest-page faults (20, 21, 23) with htval = GPA >> 2 and
/// GVA, HLV/HLVX/HSV, and HFENCE.GVMA flushing cached guest translations.
final class RVTwoStageTranslationTests: XCTestCase {
    typealias H = HypHarness

    static let enterGuest = """
        li t0, \(HypHarness.hgatpSv39x4)
        csrw hgatp, t0
        hfence.gvma zero, zero
    """

    /// Guest physical 0x80_0000_0000 (root entry 512: the root's second page) and
    /// 0x180_0002_0000 (entry 1536: its fourth page) both reach host 0x80020000; with vsatp
    /// Sv39 too, VA 0x5000 → GPA 0x180_0002_0000 → HPA 0x80020000.
    func testSv39x4UsesTheTwoExtraGuestPhysicalBitsAndA16KiBRoot() throws {
        let core = try H.run(H.program("""
        \(Self.enterGuest)
        \(H.enter(.vs, "guest"))
        guest:
            li t1, 0x8000000000
            ld s2, 0(t1)
            li t1, 0x18000020000
            ld s3, 0(t1)
            li t0, 0x77
            sd t0, 8(t1)
            li t0, \(H.vsatpSv39)
            csrw satp, t0
            sfence.vma
            li t1, 0x5000
            ld s4, 0(t1)
            ecall
        """)) { core in
            H.gStage(core, leaves: [0: H.pte(H.pageA, H.gAll)])
            H.poke(core, H.pageA, 0x1234_5678_9ABC_DEF0)
            // VS-stage: root[2] identity gigapage (S), root[0] → L1 → L0, L0[5] → GPA 0x180_0002_0000.
            H.poke(core, H.vsRoot + 2 * 8, H.pte(0x8000_0000, H.V | H.R | H.W | H.X | H.A | H.D))
            H.poke(core, H.vsRoot, H.pte(H.vsL1, H.V))
            H.poke(core, H.vsL1, H.pte(H.vsL0, H.V))
            H.poke(core, H.vsL0 + 5 * 8, H.pte(0x180_0002_0000, H.V | H.R | H.W | H.A | H.D))
        }
        XCTAssertEqual(core.csr.mcause, 10, "the guest got to its ECALL")
        XCTAssertEqual(core.x[18], 0x1234_5678_9ABC_DEF0)
        XCTAssertEqual(core.x[19], 0x1234_5678_9ABC_DEF0)
        XCTAssertEqual(core.x[20], 0x1234_5678_9ABC_DEF0)
        XCTAssertEqual(H.peek(core, H.pageA + 8), 0x77)
        XCTAssertEqual(core.csr.vsatp, H.vsatpSv39, "satp in VS is vsatp")
        XCTAssertEqual(core.csr.satp, 0)
    }

    /// Load, store and fetch guest-page faults, taken in HS-mode: causes 21, 23, 20; stval =
    /// the guest virtual address, htval = the guest physical address >> 2, hstatus.GVA = 1.
    func testGuestPageFaultsForLoadStoreAndFetch() throws {
        let cases: [(String, UInt64, UInt64)] = [
            ("li t1, 0x20000000008\n    ld a0, 0(t1)", 21, 0x200_0000_0008),   // above the 41 GPA bits
            ("li t1, 0x40000100\n    sw a0, 0(t1)", 23, 0x4000_0100),           // root[1] invalid
            ("li t1, 0x8000001000\n    jr t1", 20, 0x80_0000_1000),             // L0[1] invalid
            ("li t1, 0x8000000000\n    sd a0, 0(t1)", 23, 0x80_0000_0000),      // read-only leaf
            ("li t1, 0x18000030000\n    lw a0, 0(t1)", 21, 0x180_0003_0000),     // a leaf without U
        ]
        for (code, cause, address) in cases {
            let core = try H.run(H.program("""
                li t0, \((1 << 20) | (1 << 21) | (1 << 23))
                csrw medeleg, t0
            \(Self.enterGuest)
            \(H.enter(.vs, "guest"))
            guest:
                \(code)
            """)) { core in
                H.gStage(core, leaves: [0: H.pte(H.pageA, H.V | H.R | H.U | H.A | H.D)])
                if address == 0x180_0003_0000 { H.poke(core, H.gRoot + 1536 * 8, H.pte(0x8000_0000, H.gAll & ~H.U)) }
            }
            XCTAssertEqual(core.csr.scause, cause, code)
            XCTAssertEqual(core.csr.stval, address, code)
            XCTAssertEqual(core.csr.htval, address >> 2, code)
            XCTAssertEqual(core.csr.htinst, 0, code)
            XCTAssertEqual(core.csr.hstatus & (HSTATUS.GVA | HSTATUS.SPV | HSTATUS.SPVP),
                           HSTATUS.GVA | HSTATUS.SPV | HSTATUS.SPVP, code)
            XCTAssertFalse(core.virtualized, code)
            if cause == 20 { XCTAssertEqual(core.csr.sepc, address, code) }
        }
    }

    /// A VS-stage page-table access the G-stage does not map: a guest-page fault of the
    /// original access kind, htval = the PTE's guest physical address >> 2, htinst = the
    /// 64-bit-read pseudoinstruction 0x3000 (§8.6.3). A VS-stage fault proper is an ordinary
    /// page fault (13) with htval = 0.
    func testImplicitVSStageAccessFaultsReportThePseudoinstruction() throws {
        let program = H.program("""
            li t0, \((1 << 13) | (1 << 21))
            csrw medeleg, t0
        \(Self.enterGuest)
            li t0, \(H.vsatpSv39)
            csrw vsatp, t0
        \(H.enter(.vs, "guest"))
        guest:
            li t1, 0x40000008
            ld a0, 0(t1)
        """)
        let core = try H.run(program) { core in
            H.gStage(core)
            H.poke(core, H.vsRoot + 2 * 8, H.pte(0x8000_0000, H.V | H.R | H.W | H.X | H.A | H.D))
            H.poke(core, H.vsRoot + 1 * 8, H.pte(0x4000_0000, H.V))   // next level at an unmapped GPA
        }
        XCTAssertEqual(core.csr.scause, 21)
        XCTAssertEqual(core.csr.stval, 0x4000_0008)
        XCTAssertEqual(core.csr.htval, 0x4000_0000 >> 2, "VPN[1] = 0: the PTE at 0x40000000")
        XCTAssertEqual(core.csr.htinst, 0x3000)

        let vsFault = try H.run(program) { core in
            H.gStage(core)
            H.poke(core, H.vsRoot + 2 * 8, H.pte(0x8000_0000, H.V | H.R | H.W | H.X | H.A | H.D))
        }
        XCTAssertEqual(vsFault.csr.scause, 13)
        XCTAssertEqual(vsFault.csr.htval, 0)
        XCTAssertEqual(vsFault.csr.hstatus & HSTATUS.GVA, HSTATUS.GVA)
    }

    /// HLV/HSV from M-mode translate as V = 1 at hstatus.SPVP; HLV.B sign-extends, HLV.BU does
    /// not; HLVX needs execute permission (a G-stage page with X only: HLVX reads it, HLV
    /// faults with GVA and mtval2); from U-mode they need hstatus.HU.
    func testHLVHSVAndHLVX() throws {
        let core = try H.run(H.program("""
        \(Self.enterGuest)
            li t0, \(HSTATUS.SPVP)
            csrw hstatus, t0
            li t1, 0x8000000000
            hlv.d s2, (t1)
            hlv.b s3, (t1)
            hlv.bu s4, (t1)
            li t0, 0x5566
            addi t2, t1, 8
            hsv.h t0, (t2)
            li t1, 0x8000001000
            hlvx.wu s5, (t1)
            hlv.w s6, (t1)
            li s7, 1
        """, machineHandler: H.recordingMachineHandler)) { core in
            H.gStage(core, leaves: [0: H.pte(H.pageA, H.gAll), 1: H.pte(H.pageB, H.V | H.X | H.U | H.A)])
            H.poke(core, H.pageA, 0x0102_0304_0506_0780)
            H.poke(core, H.pageB, 0xFFFF_FFFF_8765_4321)
        }
        XCTAssertEqual(core.x[18], 0x0102_0304_0506_0780)
        XCTAssertEqual(core.x[19], 0xFFFF_FFFF_FFFF_FF80)
        XCTAssertEqual(core.x[20], 0x80)
        XCTAssertEqual(H.peek(core, H.pageA + 8) & 0xFFFF, 0x5566)
        XCTAssertEqual(core.x[21], 0x8765_4321, "HLVX.WU zero-extends")
        XCTAssertEqual(core.x[23], 1, "resumed after the fault")
        let records = H.records(core)
        XCTAssertEqual(records.count, 1)
        XCTAssertEqual(records.first?[0], 21)
        XCTAssertEqual(records.first?[1], 0x80_0000_1000)
        XCTAssertEqual(records.first?[2], 0x80_0000_1000 >> 2)
        XCTAssertEqual((records.first?[3] ?? 0) & MSTATUS.GVA, MSTATUS.GVA, "an HLV's address is a guest virtual address")
        XCTAssertEqual((records.first?[3] ?? 0) & MSTATUS.MPV, 0, "HLV does not change V")

        let user = try H.run(H.program("""
        \(Self.enterGuest)
        \(H.enter(.u, "user"))
        user:
            li t1, 0x8000000000
            hlv.d s2, (t1)
            ecall
        """, machineHandler: H.recordingMachineHandler)) { H.gStage($0, leaves: [0: H.pte(H.pageA, H.gAll)]) }
        XCTAssertEqual(H.records(user).map { $0[0] }, [2, 8], "HU = 0: illegal")

        let userHU = try H.run(H.program("""
        \(Self.enterGuest)
            li t0, \(HSTATUS.HU)
            csrw hstatus, t0
        \(H.enter(.u, "user"))
        user:
            li t1, 0x8000000000
            hlv.d s2, (t1)
            ecall
        """, machineHandler: H.recordingMachineHandler)) { core in
            H.gStage(core, leaves: [0: H.pte(H.pageA, H.gAll)])
            H.poke(core, H.pageA, 42)
        }
        XCTAssertEqual(H.records(userHU).map { $0[0] }, [8])
        XCTAssertEqual(userHU.x[18], 42, "HU = 1: U-mode may use HLV (as VU, SPVP = 0)")
    }

    /// Guest translations are cached: after the hypervisor rewrites a G-stage PTE the guest
    /// may still see the old page; HFENCE.GVMA makes it see the new one.
    func testHfenceGVMAFlushesCachedGuestTranslations() throws {
        let newPTE = H.pte(H.pageB, H.gAll)
        let core = try H.run(H.program("""
            li t0, \(1 << 10)
            csrw medeleg, t0
        \(Self.enterGuest)
        \(H.enter(.vs, "guest"))
        guest:
            li t1, 0x8000005000
            ld s2, 0(t1)
            ecall
            ld s3, 0(t1)
            ecall
            ld s4, 0(t1)
            ecall
        """, supervisorHandler: """
            csrr t0, sepc
            addi t0, t0, 4
            csrw sepc, t0
            addi s8, s8, 1
            li t2, 1
            bne s8, t2, 1f
            li t2, \(H.gL0 + 5 * 8)
            li t3, \(newPTE)
            sd t3, 0(t2)
            sret
        1:  li t2, 2
            bne s8, t2, 2f
            hfence.gvma zero, zero
            sret
        2:  j 2b
        """)) { core in
            H.gStage(core, leaves: [5: H.pte(H.pageA, H.gAll)])
            H.poke(core, H.pageA, 111)
            H.poke(core, H.pageB, 222)
        }
        XCTAssertEqual(core.x[24], 3, "three ECALLs reached HS")
        XCTAssertEqual(core.x[18], 111)
        XCTAssertEqual(core.x[19], 111, "no fence yet: the cached translation")
        XCTAssertEqual(core.x[20], 222, "after HFENCE.GVMA")
    }

    /// MPRV with MPV = 1 translates M-mode loads as V = 1 at MPP.
    func testMPRVWithMPVUsesTheGuestRegime() throws {
        let core = try H.run(H.program("""
        \(Self.enterGuest)
            li t0, 0x1800
            csrc mstatus, t0
            li t0, 0x800
            csrs mstatus, t0
            li t0, 1
            slli t0, t0, 39
            csrs mstatus, t0
            li t0, \(MSTATUS.MPRV)
            csrs mstatus, t0
            li t1, 0x8000000000
            ld s2, 0(t1)
            li t0, \(MSTATUS.MPRV)
            csrc mstatus, t0
            li s3, 1
        """, machineHandler: H.recordingMachineHandler)) { core in
            H.gStage(core, leaves: [0: H.pte(H.pageA, H.gAll)])
            H.poke(core, H.pageA, 99)
        }
        XCTAssertEqual(core.x[18], 99)
        XCTAssertEqual(core.x[19], 1)
        XCTAssertEqual(H.records(core).count, 0)

        // A fault there is a guest-page fault with GVA = 1; MPV becomes 0 (V was 0).
        let fault = try H.run(H.program("""
        \(Self.enterGuest)
            li t0, 0x1800
            csrc mstatus, t0
            li t0, 0x800
            csrs mstatus, t0
            li t0, 1
            slli t0, t0, 39
            csrs mstatus, t0
            li t0, \(MSTATUS.MPRV)
            csrs mstatus, t0
            li t1, 0x8000001000
            ld s2, 0(t1)
        """)) { H.gStage($0) }
        XCTAssertEqual(fault.csr.mcause, 21)
        XCTAssertEqual(fault.csr.mtval2, 0x80_0000_1000 >> 2)
        XCTAssertEqual(fault.csr.mstatus & MSTATUS.GVA, MSTATUS.GVA)
        XCTAssertEqual(fault.csr.mstatus & MSTATUS.MPV, 0, "the trap came from M-mode (V = 0)")
    }

    /// Hardware A/D updating (the profile's ad-update = hardware) at both stages: a guest store
    /// sets A and D in the VS-stage PTE (written through the G-stage) and in the G-stage PTE.
    func testAccessedAndDirtyBitsAreSetAtBothStages() throws {
        let core = try H.run(H.program("""
        \(Self.enterGuest)
            li t0, \(H.vsatpSv39)
            csrw vsatp, t0
        \(H.enter(.vs, "guest"))
        guest:
            li t1, 0x5000
            li t0, 5
            sd t0, 0(t1)
            ecall
        """)) { core in
            H.gStage(core, leaves: [0: H.pte(H.pageA, H.V | H.R | H.W | H.U)])
            H.poke(core, H.vsRoot + 2 * 8, H.pte(0x8000_0000, H.V | H.R | H.W | H.X | H.A | H.D))
            H.poke(core, H.vsRoot, H.pte(H.vsL1, H.V))
            H.poke(core, H.vsL1, H.pte(H.vsL0, H.V))
            H.poke(core, H.vsL0 + 5 * 8, H.pte(0x80_0000_0000, H.V | H.R | H.W))
        }
        XCTAssertEqual(core.csr.mcause, 10)
        XCTAssertEqual(H.peek(core, H.pageA), 5)
        XCTAssertEqual(H.peek(core, H.vsL0 + 5 * 8) & (H.A | H.D), H.A | H.D, "VS-stage PTE")
        XCTAssertEqual(H.peek(core, H.gL0) & (H.A | H.D), H.A | H.D, "G-stage PTE")
    }

    /// Setting A in a VS-stage PTE that the G-stage maps read-only: a guest-page fault of the
    /// original access kind (a load: 21) with htinst = the 64-bit-write pseudoinstruction.
    func testVSStageADUpdateThroughAReadOnlyGStageMapping() throws {
        let core = try H.run(H.program("""
            li t0, \(1 << 21)
            csrw medeleg, t0
        \(Self.enterGuest)
            li t0, \(H.vsatpSv39)
            csrw vsatp, t0
        \(H.enter(.vs, "guest"))
        guest:
            li t1, 0x5000
            ld a0, 0(t1)
        """)) { core in
            H.gStage(core, leaves: [0: H.pte(H.pageA, H.gAll)], identityFlags: H.V | H.R | H.X | H.U | H.A | H.D)
            H.poke(core, H.vsRoot + 2 * 8, H.pte(0x8000_0000, H.V | H.R | H.W | H.X | H.A | H.D))
            H.poke(core, H.vsRoot, H.pte(H.vsL1, H.V))
            H.poke(core, H.vsL1, H.pte(H.vsL0, H.V))
            H.poke(core, H.vsL0 + 5 * 8, H.pte(0x80_0000_0000, H.V | H.R | H.W))
        }
        XCTAssertEqual(core.csr.scause, 21)
        XCTAssertEqual(core.csr.stval, 0x5000)
        XCTAssertEqual(core.csr.htval, (H.vsL0 + 5 * 8) >> 2)
        XCTAssertEqual(core.csr.htinst, 0x3020)
        XCTAssertEqual(H.peek(core, H.vsL0 + 5 * 8) & H.A, 0, "not written")
    }

    /// Sv48x4 (a profile with Sv48): the root is indexed by guest physical bits [49:39], so
    /// GPA 2^49 + 0x20000 (root entry 1024) reaches host 0x80020000.
    func testSv48x4() throws {
        let root = H.gRoot, codeL2 = H.gL1, highL2 = H.gL0
        let core = try H.run(H.program("""
            li t0, \(9 << 60 | root >> 12)
            csrw hgatp, t0
            csrr s3, hgatp
            hfence.gvma zero, zero
        \(H.enter(.vs, "guest"))
        guest:
            li t1, 0x2000000020000
            ld s2, 0(t1)
            ecall
        """), modes: ["sv39", "sv48"]) { core in
            H.poke(core, root, H.pte(codeL2, H.V))
            H.poke(core, codeL2 + 2 * 8, H.pte(0x8000_0000, H.gAll))
            H.poke(core, root + 1024 * 8, H.pte(highL2, H.V))
            H.poke(core, highL2, H.pte(0x8000_0000, H.gAll))
            H.poke(core, H.pageA, 0xABCD)
        }
        XCTAssertEqual(core.x[19] >> 60, 9, "Sv48x4 is legal with Sv48")
        XCTAssertEqual(core.csr.mcause, 10)
        XCTAssertEqual(core.x[18], 0xABCD)
    }

    /// With ad-update = fault (Svade) a clear A bit faults instead of being set: at the
    /// G-stage as a guest-page fault (21), at the VS-stage as a page fault (13).
    func testSvadeFaultsAtBothStages() throws {
        let program = H.program("""
            li t0, \((1 << 13) | (1 << 21))
            csrw medeleg, t0
        \(Self.enterGuest)
            li t0, \(H.vsatpSv39)
            csrw vsatp, t0
        \(H.enter(.vs, "guest"))
        guest:
            li t1, 0x5000
            ld a0, 0(t1)
        """)
        for (gFlags, vsFlags, cause) in [(H.V | H.R | H.U, H.V | H.R | H.A, UInt64(21)),
                                         (H.gAll, H.V | H.R, UInt64(13))] {
            let core = try H.run(program, ad: .fault) { core in
                H.gStage(core, leaves: [0: H.pte(H.pageA, gFlags)])
                H.poke(core, H.vsRoot + 2 * 8, H.pte(0x8000_0000, H.V | H.R | H.W | H.X | H.A | H.D))
                H.poke(core, H.vsRoot, H.pte(H.vsL1, H.V))
                H.poke(core, H.vsL1, H.pte(H.vsL0, H.V))
                H.poke(core, H.vsL0 + 5 * 8, H.pte(0x80_0000_0000, vsFlags))
            }
            XCTAssertEqual(core.csr.scause, cause)
            XCTAssertEqual(core.csr.stval, 0x5000)
            XCTAssertEqual(core.csr.htval, cause == 21 ? 0x80_0000_0000 >> 2 : 0)
            XCTAssertEqual(H.peek(core, H.gL0) & H.A, gFlags & H.A, "A not set by the walk")
            XCTAssertEqual(H.peek(core, H.vsL0 + 5 * 8) & H.A, vsFlags & H.A)
        }
    }
}

