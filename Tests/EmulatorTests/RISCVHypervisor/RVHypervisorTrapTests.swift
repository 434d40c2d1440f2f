import XCTest
@testable import Emulator

/// Trap routing with the hypervisor extension (privileged spec v1.12 §8.4, §8.6.4): M, HS or VS
/// by medeleg/mideleg then hedeleg/hideleg; what each trap writes (cause, tval, htval, GVA,
/// SPV, SPVP, MPV); SRET and MRET moving between V = 0 and V = 1; VS interrupts from hvip.
final class RVHypervisorTrapTests: XCTestCase {
    typealias H = HypHarness

    /// An illegal instruction in VS-mode, delegated by medeleg and hedeleg: VS-mode takes it.
    func testExceptionDelegatedTwiceGoesToVS() throws {
        let core = try H.run(H.program("""
            li t0, 4
            csrw medeleg, t0
            csrw hedeleg, t0
        \(H.enter(.vs, "guest"))
        guest:
            la s3, bad
        bad:
            csrr a0, mscratch
        """))
        XCTAssertTrue(core.virtualized)
        XCTAssertEqual(core.privilege, .supervisor)
        XCTAssertEqual(core.csr.vscause, 2)
        XCTAssertEqual(core.csr.vsepc, core.x[19], "the address of bad")
        XCTAssertEqual(core.csr.vstval, 0x3400_2573, "csrr a0, mscratch")
        XCTAssertEqual(core.csr.vsstatus & MSTATUS.SPP, MSTATUS.SPP)
        XCTAssertEqual(core.csr.scause, 0, "HS saw nothing")
        XCTAssertEqual(core.csr.mcause, 0, "M saw nothing")
    }

    /// ECALL from VU delegated by medeleg only: HS-mode, hstatus.SPV = 1, SPVP = 0 (from VU),
    /// GVA = 0 (no address), sstatus.SPP = 0.
    func testExceptionDelegatedOnceGoesToHSWithSPVAndSPVP() throws {
        let core = try H.run(H.program("""
            li t0, \(1 << 8)
            csrw medeleg, t0
            li t0, \(HSTATUS.SPVP | HSTATUS.GVA)
            csrw hstatus, t0
        \(H.enter(.vu, "guest"))
        guest:
            ecall
        """))
        XCTAssertFalse(core.virtualized)
        XCTAssertEqual(core.privilege, .supervisor)
        XCTAssertEqual(core.csr.scause, 8)
        XCTAssertEqual(core.csr.hstatus & HSTATUS.SPV, HSTATUS.SPV)
        XCTAssertEqual(core.csr.hstatus & HSTATUS.SPVP, 0, "VU")
        XCTAssertEqual(core.csr.hstatus & HSTATUS.GVA, 0)
        XCTAssertEqual(core.csr.mstatus & MSTATUS.SPP, 0)
        XCTAssertEqual(core.csr.vscause, 0)
    }

    /// Not delegated: M-mode with MPV = 1, MPP = S; a guest-page fault writes mtval (guest
    /// virtual), mtval2 (guest physical >> 2) and GVA.
    func testGuestPageFaultToMachineModeSetsMPVGVAAndMtval2() throws {
        let core = try H.run(H.program("""
            li t0, \(H.hgatpSv39x4)
            csrw hgatp, t0
        \(H.enter(.vs, "guest"))
        guest:
            li t1, 0x40000010
            ld a0, 0(t1)
        """)) { H.gStage($0) }
        XCTAssertEqual(core.privilege, .machine)
        XCTAssertEqual(core.csr.mcause, 21)
        XCTAssertEqual(core.csr.mtval, 0x4000_0010)
        XCTAssertEqual(core.csr.mtval2, 0x4000_0010 >> 2)
        XCTAssertEqual(core.csr.mtinst, 0)
        XCTAssertEqual(core.csr.mstatus & (MSTATUS.MPV | MSTATUS.GVA), MSTATUS.MPV | MSTATUS.GVA)
        XCTAssertEqual((core.csr.mstatus & MSTATUS.MPP) >> 11, 1)
    }

    /// SRET in HS with SPV = 1 enters VS; SRET in VS (vsstatus.SPP = 0) enters VU; an ECALL
    /// from VU delegated to VS lands in VS with vsstatus.SPP = 0; MRET with MPV = 1 and MPP = U
    /// enters VU.
    func testSRETAndMRETMoveBetweenVirtualizationModes() throws {
        let core = try H.run(H.program("""
            li t0, \(1 << 8)
            csrw medeleg, t0
            csrw hedeleg, t0
        \(H.enter(.hs, "hs"))
        hs:
            li t0, \(HSTATUS.SPV | HSTATUS.SPVP)
            csrs hstatus, t0
            li t0, \(MSTATUS.SPP)
            csrs sstatus, t0
            la t0, vs
            csrw sepc, t0
            sret
        vs:
            csrr s2, sstatus
            la t0, vu
            csrw sepc, t0
            sret
        vu:
            ecall
        """))
        XCTAssertTrue(core.virtualized)
        XCTAssertEqual(core.privilege, .supervisor)
        XCTAssertEqual(core.csr.vscause, 8)
        XCTAssertEqual(core.csr.vsstatus & MSTATUS.SPP, 0, "came from VU")
        XCTAssertEqual(core.csr.hstatus & HSTATUS.SPV, 0, "SRET cleared SPV")
        XCTAssertEqual(core.x[18] & MSTATUS.SPP, 0, "vsstatus.SPP was 0 in the guest")

        let m = try H.run(H.program("""
        \(H.enter(.vu, "vu"))
        vu:
            ecall
        """))
        XCTAssertEqual(m.csr.mcause, 8)
        XCTAssertEqual(m.csr.mstatus & MSTATUS.MPV, MSTATUS.MPV)
        XCTAssertEqual(m.csr.mstatus & MSTATUS.MPP, 0)
    }

    /// hvip injects VS interrupts; with hideleg they reach VS-mode as the S interrupt one
    /// below (VSSI 2 → 1, VSTI 6 → 5, VSEI 10 → 9), when vsstatus.SIE and vsie allow.
    func testHvipInjectsVSInterruptsDeliveredAsSupervisorCauses() throws {
        for (bit, cause) in [(2, 1), (6, 5), (10, 9)] as [(UInt64, UInt64)] {
            let core = try H.run(H.program("""
                li t0, 0x444
                csrw hideleg, t0
                csrw hie, t0
                li t0, \(MSTATUS.SIE)
                csrw vsstatus, t0
                li t0, \(1 << bit)
                csrw hvip, t0
            \(H.enter(.vs, "guest"))
            guest:
                nop
                j guest
            """))
            XCTAssertTrue(core.virtualized, "bit \(bit)")
            XCTAssertEqual(core.csr.vscause, 1 << 63 | cause, "bit \(bit)")
            XCTAssertEqual(core.csr.vsstatus & MSTATUS.SIE, 0)
            XCTAssertEqual(core.csr.vsstatus & MSTATUS.SPIE, MSTATUS.SPIE)
            XCTAssertEqual(core.csr.scause, 0)
        }
    }

    /// A VS interrupt is not taken while V = 0, nor in VS with vsstatus.SIE = 0; without the
    /// hideleg bit it goes to HS-mode as interrupt 2.
    func testVSInterruptsNeedV1AndHideleg() throws {
        let hs = try H.run(H.program("""
            li t0, 0x444
            csrw hideleg, t0
            csrw hie, t0
            li t0, 4
            csrw hvip, t0
            csrsi sstatus, 2
        \(H.enter(.hs, "hs"))
        hs:
            nop
            j hs
        """), steps: 200)
        XCTAssertFalse(hs.virtualized)
        XCTAssertEqual(hs.csr.scause, 0)
        XCTAssertEqual(hs.csr.vscause, 0)

        let masked = try H.run(H.program("""
            li t0, 0x444
            csrw hideleg, t0
            csrw hie, t0
            li t0, 4
            csrw hvip, t0
        \(H.enter(.vs, "guest"))
        guest:
            csrr s2, sip
            j guest
        """), steps: 200)
        XCTAssertTrue(masked.virtualized)
        XCTAssertEqual(masked.csr.vscause, 0)
        XCTAssertEqual(masked.x[18], 2, "sip in VS shows SSIP (vsip)")

        let toHS = try H.run(H.program("""
            li t0, 0x4
            csrw hie, t0
            csrw hvip, t0
        \(H.enter(.vs, "guest"))
        guest:
            nop
            j guest
        """), steps: 200)
        XCTAssertFalse(toHS.virtualized)
        XCTAssertEqual(toHS.csr.scause, 1 << 63 | 2)
        XCTAssertEqual(toHS.csr.hstatus & HSTATUS.SPV, HSTATUS.SPV)
    }

    /// Sstc in VS-mode: stimecmp is vstimecmp when henvcfg.STCE and hcounteren.TM allow it, and
    /// drives VSTIP, delivered to the guest as its supervisor timer interrupt (5); without
    /// henvcfg.STCE the access is a virtual instruction.
    func testVstimecmpDrivesTheGuestTimer() throws {
        let setup = """
            li t0, 1
            slli t0, t0, 63
            csrs menvcfg, t0
            li t0, 2
            csrw mcounteren, t0
            csrw hcounteren, t0
            li t0, 0x444
            csrw hideleg, t0
            csrw hie, t0
            li t0, \(MSTATUS.SIE)
            csrw vsstatus, t0
        """
        let core = try H.run(H.program("""
        \(setup)
            li t0, 1
            slli t0, t0, 63
            csrs henvcfg, t0
        \(H.enter(.vs, "guest"))
        guest:
            csrw stimecmp, zero
        1:  j 1b
        """), more: ["sstc"])
        XCTAssertEqual(core.csr.vstimecmp, 0)
        XCTAssertEqual(core.csr.stimecmp, .max)
        XCTAssertEqual(core.csr.vscause, 1 << 63 | 5)

        let trapped = try H.run(H.program("""
        \(setup)
        \(H.enter(.vs, "guest"))
        guest:
            csrr a0, stimecmp
        """), more: ["sstc"])
        XCTAssertEqual(trapped.csr.mcause, 22)
    }
}

