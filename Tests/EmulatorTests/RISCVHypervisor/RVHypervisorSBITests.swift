import XCTest
@testable import Emulator
import Profiles

/// The built-in SBI on a hart with H: it delegates the ecall from VS-mode to HS-mode (as
/// OpenSBI's delegate_traps), never answers a guest's ECALL itself, and its RFENCE
/// remote_hfence_gvma (FID 3) flushes the cached guest translations.
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
}
