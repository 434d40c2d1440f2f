import XCTest
@testable import Emulator

/// The hypervisor extension's CSRs (privileged spec v1.12 §8.2): existence with and without H,
/// WARL rules, the VS registers standing in for the S registers while V = 1, and the
/// virtual-instruction exception (§8.6.1).
final class RVHypervisorCSRTests: XCTestCase {
    typealias H = HypHarness

    static let hypervisorCSRs = ["hstatus", "hedeleg", "hideleg", "hie", "htimedelta", "hcounteren", "hgeie",
                                 "henvcfg", "htval", "hip", "hvip", "htinst", "hgatp", "hgeip", "vsstatus", "vsie",
                                 "vstvec", "vsscratch", "vsepc", "vscause", "vstval", "vsip", "vsatp", "mtinst", "mtval2"]

    func testMisaHasHAndEveryHypervisorCSRIsReadableInMachineMode() throws {
        let reads = Self.hypervisorCSRs.map { "    csrr a0, \($0)" }.joined(separator: "\n")
        let core = try H.run(H.program("    csrr s2, misa\n" + reads, machineHandler: H.recordingMachineHandler))
        XCTAssertNotEqual(core.x[18] & (1 << 7), 0, "misa.H")
        XCTAssertEqual(H.records(core), [], "no H CSR traps on a hart with H")
        XCTAssertNil(core.haltFinding)
    }

    func testWithoutHEveryHypervisorCSRAndInstructionIsIllegal() throws {
        let csrs = Self.hypervisorCSRs.map { "    csrr a0, \($0)" }
        let insns = ["    hlv.d a0, (sp)", "    hlv.bu a0, (sp)", "    hlvx.wu a0, (sp)", "    hsv.w a0, (sp)",
                     "    hfence.vvma zero, zero", "    hfence.gvma zero, zero"]
        let core = try H.run(H.program("    csrr s2, misa\n" + (csrs + insns).joined(separator: "\n"),
                                       machineHandler: H.recordingHandler(mtval2: false), h: false), h: false)
        XCTAssertEqual(core.x[18] & (1 << 7), 0, "no misa.H")
        let records = H.records(core)
        XCTAssertEqual(records.count, csrs.count + insns.count)
        XCTAssertTrue(records.allSatisfy { $0[0] == 2 }, "\(records)")
        XCTAssertNil(core.haltFinding, "no 'not supported' finding on a hart without H")
        // mtval = the instruction bits: hgatp read is csrr a0, 0x680.
        XCTAssertEqual(records.count > 12 ? records[12][1] : nil, 0x6800_2573)
    }

    func testWARLRules() throws {
        let core = try H.run(H.program("""
            csrr s2, hstatus
            li t0, -1
            csrw hedeleg, t0
            csrr s3, hedeleg
            csrw hideleg, t0
            csrr s4, hideleg
            csrw mideleg, zero
            csrr s5, mideleg
            li t1, 9
            slli t1, t1, 60
            csrw hgatp, t1
            csrr s6, hgatp
            li t1, 8
            slli t1, t1, 60
            csrw hgatp, t1
            csrw hgatp, t0
            csrr s7, hgatp
            csrw hgeie, t0
            csrr s8, hgeie
            csrr s10, vsstatus
            csrw hstatus, t0
            csrr s11, hstatus
            csrw hvip, t0
            csrr a2, hvip
            csrr a3, hip
        """))
        XCTAssertEqual(core.x[18], 2 << 32, "hstatus: VSXL = 2")
        XCTAssertEqual(core.x[19], 0xB1FF, "hedeleg: not 9–11, not 20–23")
        XCTAssertEqual(core.x[20], 0x444, "hideleg: VSSI VSTI VSEI")
        XCTAssertEqual(core.x[21], 0x1444, "mideleg: VS bits and SGEI read-only one")
        XCTAssertEqual(core.x[22], 0, "Sv48x4 is not in this profile: MODE stays Bare")
        // All ones with MODE Sv39x4 before: MODE 15 is not legal (kept at 8), VMID has 14 bits,
        // PPN[1:0] read zero.
        XCTAssertEqual(core.x[23], 8 << 60 | 0x3FFF << 44 | ((1 << 44) - 1) & ~3)
        XCTAssertEqual(core.x[24], 0, "GEILEN = 0")
        XCTAssertEqual(core.x[26], 2 << 32, "vsstatus.UXL = 2")
        XCTAssertEqual(core.x[27], 2 << 32 | 1 << 22 | 1 << 21 | 1 << 20 | 0x3C0, "hstatus: VGEIN and VSBE stay 0")
        XCTAssertEqual(core.x[12], 0x444)
        XCTAssertEqual(core.x[13], 0x444, "hip shows hvip's bits")
    }

    /// V = 1: sstatus, sscratch, sepc, satp … are vsstatus, vsscratch, vsepc, vsatp.
    func testSupervisorCSRNumbersReachTheVSRegistersInV1() throws {
        let core = try H.run(H.program("""
            li t0, 0x11
            csrw vsscratch, t0
            li t0, 0x22
            csrw sscratch, t0
            li t0, 0x1000
            csrw vsepc, t0
            li t0, 0x2000
            csrw sepc, t0
            csrw hgatp, zero
        \(H.enter(.vs, "guest"))
        guest:
            csrr a0, sscratch
            li t0, 0x33
            csrw sscratch, t0
            csrr a1, sepc
            csrsi sstatus, 2
            li t0, 0x4444
            csrw stval, t0
            ecall
        """))
        XCTAssertEqual(core.x[10], 0x11)
        XCTAssertEqual(core.x[11], 0x1000)
        XCTAssertEqual(core.csr.vsscratch, 0x33)
        XCTAssertEqual(core.csr.sscratch, 0x22)
        XCTAssertEqual(core.csr.sepc, 0x2000)
        XCTAssertEqual(core.csr.vstval, 0x4444)
        XCTAssertEqual(core.csr.stval, 0)
        XCTAssertEqual(core.csr.vsstatus & 2, 2, "vsstatus.SIE")
        XCTAssertEqual(core.csr.mstatus & 2, 0, "sstatus.SIE untouched")
        // ECALL from VS: cause 10, to M (not delegated) with MPV = 1, MPP = S.
        XCTAssertEqual(core.csr.mcause, 10)
        XCTAssertEqual(core.csr.mstatus & MSTATUS.MPV, MSTATUS.MPV)
        XCTAssertEqual((core.csr.mstatus & MSTATUS.MPP) >> 11, 1)
        XCTAssertEqual(core.privilege, .machine)
        XCTAssertFalse(core.virtualized)
    }

    /// §8.6.1: what VS and VU raise the virtual-instruction exception (22) for, and what stays
    /// illegal (2). The recording handler returns into the guest each time.
    func testVirtualInstructionExceptions() throws {
        let core = try H.run(H.program("""
            li t0, \((1 << 22) | (1 << 21) | (1 << 20))
            csrw hstatus, t0
            li t0, -1
            csrw mcounteren, t0
            csrw hcounteren, zero
        \(H.enter(.vs, "guest"))
        guest:
            csrr a0, hstatus
            csrr a0, vsstatus
            csrr a0, hgatp
            wfi
            sret
            sfence.vma
            csrr a0, satp
            hfence.gvma zero, zero
            hfence.vvma zero, zero
            hlv.d a0, (sp)
            hsv.d a0, (sp)
            rdcycle a0
            csrr a0, mstatus
            mret
            csrr a0, 0x6ff
            csrr a0, sstatus
            ecall
        """, machineHandler: H.recordingMachineHandler))
        let causes = H.records(core).map { $0[0] }
        XCTAssertEqual(causes, [22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 2, 2, 2, 10])
        // tval = the instruction bits (csrr a0, hstatus = 0x60002573).
        XCTAssertEqual(H.records(core).first?[1], 0x6000_2573)
        XCTAssertTrue(core.virtualized, "the handler returned into VS each time")
    }

    func testVirtualInstructionExceptionsFromVU() throws {
        let core = try H.run(H.program("""
            li t0, -1
            csrw mcounteren, t0
            csrw hcounteren, t0
            csrw scounteren, zero
        \(H.enter(.vu, "guest"))
        guest:
            csrr a0, sstatus
            csrr a0, sscratch
            sret
            wfi
            sfence.vma
            rdtime a0
            csrr a0, hstatus
            csrr a0, mstatus
            ecall
        """, machineHandler: H.recordingMachineHandler))
        XCTAssertEqual(H.records(core).map { $0[0] }, [22, 22, 22, 22, 22, 22, 22, 2, 8])
    }

    /// HS-mode: the hypervisor CSRs are accessible; mstatus.TVM makes hgatp and HFENCE.GVMA
    /// illegal; U-mode gets illegal instructions, not virtual ones.
    func testHSModeAccessAndTVM() throws {
        let core = try H.run(H.program("""
            li t0, \(1 << 20)
            csrs mstatus, t0
        \(H.enter(.hs, "hs"))
        hs:
            csrr a0, hstatus
            csrr a0, vsatp
            csrr a0, hgatp
            hfence.gvma zero, zero
            hfence.vvma zero, zero
            csrr a0, mstatus
            ecall
        """, machineHandler: H.recordingMachineHandler))
        XCTAssertEqual(H.records(core).map { $0[0] }, [2, 2, 2, 9])

        let user = try H.run(H.program("""
        \(H.enter(.u, "user"))
        user:
            csrr a0, hstatus
            csrr a0, vsstatus
            hfence.vvma zero, zero
            hlv.d a0, (sp)
            ecall
        """, machineHandler: H.recordingMachineHandler))
        XCTAssertEqual(H.records(user).map { $0[0] }, [2, 2, 2, 2, 8])
    }
}
