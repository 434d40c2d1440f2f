import XCTest
@testable import Emulator
import Profiles

/// The built-in SBI on a hart with H: it delegates the ecall from VS-mode to HS-mode (as
/// OpenSBI's delegate_traps), never answers a guest's ECALL itself, and its RFENCE
/// remote_hfence_gvma (FID 3) flushes the cached guest translations. Its RFENCE also checks the
/// hart mask, refuses the HFENCE functions for a target without H, and remote_sfence_vma
/// flushes the target hart's translations.
final class RVHypervisorSBITests: XCTestCase {
    typealias H = HypHarness

    func testRemoteHfenceGVMAFlushesGuestTranslations() throws {
        let spec = MachineDescription(
            name: "test-rv-sbi", description: "test machine", file: "<test>", architecture: .rv64,
            cores: [CoreSlot(profile: H.profile(), cluster: 0, mpidr: 0, clusterSize: 1)],
            ram: [MemoryRegion(name: "ram", base: H.ram, size: 1 << 20)], devices: [],
            boot: BootProtocol(entryMode: .supervisor, security: .secure, secondaries: .allAtEntry, psciConduit: .none,
                               semihosting: false, firmware: .builtinSBI),
            options: [], smp: nil)
        let m = try RISCVMachine(spec: spec)
        let newPTE = H.pte(H.pageB, H.gAll)
        m.ram.load(try RVHarness.assemble("""
        .option norvc
            la t0, hs_trap
            csrw stvec, t0
            li t0, \(H.hgatpSv39x4)
            csrw hgatp, t0
            hfence.gvma zero, zero
            li t0, \(HSTATUS.SPV | HSTATUS.SPVP)
            csrs hstatus, t0
            li t0, \(MSTATUS.SPP)
            csrs sstatus, t0
            la t0, guest
            csrw sepc, t0
            sret
        guest:
            li t1, 0x8000005000
            ld s2, 0(t1)
            ecall
            ld s3, 0(t1)
            ecall
        1:  j 1b
        .balign 4
        hs_trap:
            csrr s6, scause
            csrr t0, sepc
            addi t0, t0, 4
            csrw sepc, t0
            addi s8, s8, 1
            li t2, 1
            bne s8, t2, 2f
            li t2, \(H.gL0 + 5 * 8)
            li t3, \(newPTE)
            sd t3, 0(t2)
            li a0, 1
            li a1, 0
            li a2, 0
            li a3, 0
            li a6, 3
            li a7, 0x52464E43
            ecall
            mv s4, a0
            sret
        2:  j 2b
        """, march: "rv64imac_h"), at: H.ram)
        m.boot(entry: H.ram)
        let core = m.cores[0]
        H.gStage(core, leaves: [5: H.pte(H.pageA, H.gAll)])
        H.poke(core, H.pageA, 111)
        H.poke(core, H.pageB, 222)
        core.x[20] = 0xDEAD   // s4: the SBI call's error code lands here
        _ = core.run(budget: 400)
        XCTAssertEqual(core.x[24], 2, "both guest ECALLs reached HS-mode")
        XCTAssertEqual(core.x[22], 10, "scause: ecall from VS, delegated to HS by the firmware")
        XCTAssertEqual(core.x[20], 0, "SBI_SUCCESS")
        XCTAssertEqual(core.x[18], 111)
        XCTAssertEqual(core.x[19], 222, "the remote HFENCE.GVMA flushed the guest translation")
        XCTAssertNil(core.haltFinding)
    }

    // MARK: RFENCE hart masks (SBI v2.0 §3.1, §8)

    /// A machine with the built-in SBI and one hart per profile (hartids 0, 1, …); hart 0
    /// boots the payload in S-mode, the others are STOPPED until HSM hart_start.
    private func sbiMachine(_ profiles: [CoreProfile]) throws -> RISCVMachine {
        let spec = MachineDescription(
            name: "test-rv-sbi", description: "test machine", file: "<test>", architecture: .rv64,
            cores: profiles.enumerated().map { CoreSlot(profile: $1, cluster: 0, mpidr: UInt64($0), clusterSize: profiles.count) },
            ram: [MemoryRegion(name: "ram", base: H.ram, size: 1 << 20)], devices: [],
            boot: BootProtocol(entryMode: .supervisor, security: .secure, secondaries: .allAtEntry, psciConduit: .none,
                               semihosting: false, firmware: .builtinSBI),
            options: [], smp: nil)
        return try RISCVMachine(spec: spec)
    }

    /// RFENCE (EID 0x52464E43) FID `fid` with hart_mask/hart_mask_base from hart 0; a0 after.
    private func rfence(_ m: RISCVMachine, fid: Int, mask: UInt64, base: UInt64) throws -> Int64 {
        m.ram.load(try RVHarness.assemble("""
        .option norvc
            li a0, \(mask)
            li a1, \(base)
            li a2, 0
            li a3, 0
            li a6, \(fid)
            li a7, 0x52464E43
            ecall
        1:  j 1b
        """), at: H.ram)
        m.boot(entry: H.ram)
        _ = m.cores[0].run(budget: 50)
        return Int64(bitPattern: m.cores[0].x[10])
    }

    /// A hart mask naming a hart the machine does not have is SBI_ERR_INVALID_PARAM (-3), for
    /// RFENCE as for every function that takes a hart mask; base −1 (all harts) and a mask of
    /// existing harts succeed.
    func testRemoteSfenceVMAChecksTheHartMask() throws {
        XCTAssertEqual(try rfence(try sbiMachine([H.profile(), H.profile()]), fid: 1, mask: 0b100, base: 0), -3)
        XCTAssertEqual(try rfence(try sbiMachine([H.profile(), H.profile()]), fid: 1, mask: 0b1, base: 1), 0, "hart 1")
        XCTAssertEqual(try rfence(try sbiMachine([H.profile(), H.profile()]), fid: 1, mask: 0b11, base: 1), -3, "harts 1 and 2")
        XCTAssertEqual(try rfence(try sbiMachine([H.profile(), H.profile()]), fid: 1, mask: 0, base: UInt64.max), 0)
        XCTAssertEqual(try rfence(try sbiMachine([H.profile(), H.profile()]), fid: 0, mask: 0b100, base: 0), -3, "remote FENCE.I")
    }

    /// The HFENCE functions are not supported when a target hart lacks H, even if the caller
    /// has it (a mixed machine such as virt-riscv-mixed-h): SBI_ERR_NOT_SUPPORTED (-2).
    func testRemoteHfenceToAHartWithoutHIsNotSupported() throws {
        let mixed = { try self.sbiMachine([H.profile(h: true), H.profile(h: false)]) }
        XCTAssertEqual(try rfence(try mixed(), fid: 4, mask: 0b10, base: 0), -2, "HFENCE.GVMA to the hart without H")
        XCTAssertEqual(try rfence(try mixed(), fid: 6, mask: 0, base: UInt64.max), -2, "HFENCE.VVMA to all harts")
        XCTAssertEqual(try rfence(try mixed(), fid: 4, mask: 0b01, base: 0), 0, "HFENCE.GVMA to hart 0 (H)")
        XCTAssertEqual(try rfence(try mixed(), fid: 1, mask: 0b11, base: 0), 0, "SFENCE.VMA needs no H")
    }

    /// remote_sfence_vma from hart 0 flushes hart 1's cached translation: hart 1 reads VA
    /// 0x5000 (page A) under Sv39, hart 0 remaps it to page B and calls RFENCE for hart 1,
    /// hart 1 reads it again and sees page B.
    func testRemoteSfenceVMAFlushesTheTargetHart() throws {
        let m = try sbiMachine([MMUHarness.profile(), MMUHarness.profile()])
        let satp = MMUHarness.satp()
        let flag: UInt64 = 0x8003_0000
        m.ram.load(try RVHarness.assemble("""
        .option norvc
        hart0:
            li t0, \(satp)
            csrw satp, t0
            sfence.vma
            li t1, \(flag)
        1:  ld t2, 0(t1)
            beqz t2, 1b
            li t2, \(MMUHarness.level0 + 5 * 8)
            li t3, \(MMUHarness.pte(H.pageB, MMUHarness.RWAD))
            sd t3, 0(t2)
            li a0, 0b10
            li a1, 0
            li a2, 0
            li a3, 0
            li a6, 1
            li a7, 0x52464E43
            ecall
            mv s4, a0
            li t2, 2
            sd t2, 0(t1)
        2:  j 2b
        .org 0x200
        hart1:
            li t0, \(satp)
            csrw satp, t0
            sfence.vma
            li t1, 0x5000
            ld s2, 0(t1)
            li t4, \(flag)
            li t2, 1
            sd t2, 0(t4)
        3:  ld t2, 0(t4)
            li t3, 2
            bne t2, t3, 3b
            ld s3, 0(t1)
        4:  j 4b
        """), at: H.ram)
        m.boot(entry: H.ram)
        let (hart0, hart1) = (m.cores[0], m.cores[1])
        MMUHarness.sv39Tables(hart0, leaves: [5: MMUHarness.pte(H.pageA, MMUHarness.RWAD)])
        H.poke(hart0, H.pageA, 111)
        H.poke(hart0, H.pageB, 222)
        hart0.x[20] = 0xDEAD
        hart1.startInSupervisor(entry: H.ram + 0x200, a1: 0)
        _ = hart1.run(budget: 100)     // first read, flag = 1, then spins
        XCTAssertEqual(hart1.x[18], 111)
        _ = hart0.run(budget: 200)     // remap, RFENCE hart 1, flag = 2
        XCTAssertEqual(hart0.x[20], 0, "SBI_SUCCESS")
        _ = hart1.run(budget: 100)
        XCTAssertEqual(hart1.x[19], 222, "hart 1's translation of VA 0x5000 was flushed by hart 0's remote SFENCE.VMA")
    }
}
