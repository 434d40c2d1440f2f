import XCTest
@testable import Emulator
import Profiles

/// Physical memory protection (privileged spec §3.7): matching, priority, permissions, the L
/// bit, the S/U default, and PMP on fetches and page-table walks.
final class RVPMPTests: XCTestCase {
    typealias H = MMUHarness

    /// NAPOT pmpaddr for a naturally aligned power-of-two region of at least 8 bytes.
    static func napot(_ base: UInt64, _ size: UInt64) -> UInt64 { base >> 2 | (size >> 3 - 1) }

    func testSupervisorAccessOutsideEveryRegionIsAnAccessFault() throws {
        let core = try H.run("""
            li t1, 0x80008000
            ld a0, 0(t1)
            li t1, 0x80020000
            ld a1, 0(t1)
            sd t1, 0(t1)
            """, openPMP: false, machineSetup: """
            li t0, \(Self.napot(0x8000_0000, 0x1_0000))
            csrw pmpaddr0, t0
            li t0, 0x1F
            csrw pmpcfg0, t0
            """) { core in
            H.poke(core, 0x8000_8000, 0x88)
            H.poke(core, 0x8002_0000, 0x99)
        }
        XCTAssertEqual(core.x[10], 0x88, "inside the NAPOT region")
        XCTAssertEqual(core.x[11], 0)
        XCTAssertEqual(H.traps(core), [[5, 0x8002_0000], [7, 0x8002_0000]])
        XCTAssertEqual(H.peek(core, 0x8002_0000), 0x99)
    }

    func testWithNoEntryProgrammedSupervisorCannotEvenFetch() throws {
        // §3.7.1: no entry matches an S-mode access and the hart implements entries → it fails.
        let core = try H.run("li a0, 1", openPMP: false, record: false)
        XCTAssertEqual(core.privilege, .machine)
        XCTAssertEqual(core.csr.mcause, 1)
        XCTAssertEqual(core.csr.mtval, core.csr.mepc)
        XCTAssertEqual((core.csr.mstatus >> 11) & 3, 1, "taken from S-mode")
        XCTAssertEqual(core.x[10], 0)
        // A hart without PMP entries has no such rule.
        let free = try H.run("li a0, 1", openPMP: false, record: false, profile: H.profile(pmpEntries: 0))
        XCTAssertEqual(free.privilege, .supervisor)
        XCTAssertEqual(free.x[10], 1)
    }

    func testLockedEntryRestrictsMachineMode() throws {
        let core = try H.run("""
            li t0, \(Self.napot(0x8002_0000, 0x1000))
            csrw pmpaddr0, t0
            li t0, 0x99
            csrw pmpcfg0, t0          # L, NAPOT, R
            li t1, 0x80020000
            ld a0, 0(t1)
            li t2, 0x5A
            sd t2, 8(t1)              # W denied even to M
            li t3, 0x80021000
            sd t2, 0(t3)              # outside the entry: M is unrestricted
            li t0, 0x9B
            csrw pmpcfg0, t0          # locked: the write is ignored
            sd t2, 16(t1)
            csrr a1, pmpcfg0
            """, enterSupervisor: false) { core in
            H.poke(core, 0x8002_0000, 0x17)
        }
        XCTAssertEqual(core.x[10], 0x17)
        XCTAssertEqual(H.traps(core), [[7, 0x8002_0008], [7, 0x8002_0010]])
        XCTAssertEqual(H.peek(core, 0x8002_1000), 0x5A)
        XCTAssertEqual(core.x[11] & 0xFF, 0x99)
    }

    func testUnlockedEntryDoesNotRestrictMachineMode() throws {
        let core = try H.run("""
            li t0, \(Self.napot(0x8002_0000, 0x1000))
            csrw pmpaddr0, t0
            li t0, 0x18
            csrw pmpcfg0, t0          # NAPOT, no permissions, not locked
            li t1, 0x80020000
            li t2, 0x5A
            sd t2, 8(t1)
            ld a0, 8(t1)
            """, enterSupervisor: false)
        XCTAssertEqual(H.traps(core), [])
        XCTAssertEqual(core.x[10], 0x5A)
    }

    func testLockedEntryWithoutXStopsMachineModeFetch() throws {
        let core = try H.run("""
            li t0, \(Self.napot(0x8000_0000, 0x1000))
            csrw pmpaddr0, t0
            li t0, 0x9B
            csrw pmpcfg0, t0          # L, NAPOT, R W: no X over the code page
            li a0, 1
            """, record: false, enterSupervisor: false)
        XCTAssertEqual(core.csr.mcause, 1)
        XCTAssertEqual(core.privilege, .machine)
        XCTAssertEqual(core.x[10], 0, "the instruction after the CSR write was not executed")
    }

    func testTORNAPOTAndNA4RangesAndPartialMatches() throws {
        let core = try H.run("""
            li t1, 0x80020FF8
            ld a0, 0(t1)              # the last doubleword of the TOR range
            li t1, 0x80021000
            ld a1, 0(t1)              # just past it
            li t1, 0x80030000
            ld a2, 0(t1)              # the 8-byte NAPOT range (R)
            sd a2, 0(t1)              # no W
            li t1, 0x80030008
            ld a3, 0(t1)              # past the 8 bytes
            li t1, 0x80031000
            lw a4, 0(t1)              # NA4 (R)
            ld a5, 0(t1)              # half inside NA4: the entry must match every byte
            lw a6, 4(t1)              # the next word, same page, no entry
            """, openPMP: false, machineSetup: """
            li t0, 0x80000000 >> 2
            csrw pmpaddr0, t0         # entry 0 OFF: only the bottom of TOR entry 1
            li t0, 0x80021000 >> 2
            csrw pmpaddr1, t0
            li t0, 0x80030000 >> 2
            csrw pmpaddr2, t0         # NAPOT with no trailing ones: 8 bytes
            li t0, 0x80031000 >> 2
            csrw pmpaddr3, t0
            li t0, (0x11 << 24) | (0x19 << 16) | (0x0F << 8)
            csrw pmpcfg0, t0          # 1: TOR RWX, 2: NAPOT R, 3: NA4 R
            """) { core in
            H.poke(core, 0x8002_0FF8, 1)
            H.poke(core, 0x8003_0000, 2)
            H.poke(core, 0x8003_1000, 0x4_0000_0003)
        }
        XCTAssertEqual([core.x[10], core.x[12], core.x[14]], [1, 2, 3])
        XCTAssertEqual([core.x[11], core.x[13], core.x[15], core.x[16]], [0, 0, 0, 0])
        XCTAssertEqual(H.traps(core), [[5, 0x8002_1000], [7, 0x8003_0000], [5, 0x8003_0008], [5, 0x8003_1000],
                                       [5, 0x8003_1004]])
    }

    func testEmptyTORRangeMatchesNothing() throws {
        // Entry 1 is TOR with pmpaddr1 < pmpaddr0: empty, so entry 2 (no permissions) decides.
        let core = try H.run("""
            li t1, 0x80020000
            ld a0, 0(t1)
            """, openPMP: true, machineSetup: """
            li t0, 0x80030000 >> 2
            csrw pmpaddr0, t0
            li t0, 0x80010000 >> 2
            csrw pmpaddr1, t0
            li t0, \(Self.napot(0x8002_0000, 0x1000))
            csrw pmpaddr2, t0
            li t0, (0x18 << 16) | (0x0F << 8)
            csrw pmpcfg0, t0
            """) { core in
            H.poke(core, 0x8002_0000, 5)
        }
        XCTAssertEqual(H.traps(core), [[5, 0x8002_0000]])
    }

    func testFetchNeedsX() throws {
        for x in [false, true] {
            let core = try H.run("""
                li t1, 0x80020000
                jr t1
                """, openPMP: false, record: false, machineSetup: """
                li t0, 0x80010000 >> 2
                csrw pmpaddr0, t0
                li t0, \(Self.napot(0x8002_0000, 0x1000))
                csrw pmpaddr1, t0
                li t0, (\(x ? 0x1F : 0x1B) << 8) | 0x0F
                csrw pmpcfg0, t0          # 0: TOR [0, 0x80010000) RWX; 1: NAPOT RW(X)
                """) { core in
                H.poke(core, 0x8002_0000, 0x0000_0073_0050_0513)   // li a0, 5; ecall
            }
            if x {
                XCTAssertEqual(core.csr.mcause, 9)
                XCTAssertEqual(core.x[10], 5)
            } else {
                XCTAssertEqual(core.csr.mcause, 1)
                XCTAssertEqual(core.csr.mtval, 0x8002_0000)
                XCTAssertEqual(core.csr.mepc, 0x8002_0000)
            }
        }
    }

    func testFetchFromAPagePartlyCoveredIsCheckedPerInstruction() throws {
        // TOR [0x80000000, 0x80000400) is RWX; `far` is at 0x80000400, on the same page.
        let core = try H.run("""
            li a0, 1
            la t0, far
            jr t0
            .balign 1024
            far:
            li a0, 2
            """, openPMP: false, record: false, machineSetup: """
            li t0, 0x80000400 >> 2
            csrw pmpaddr0, t0
            li t0, 0x0F
            csrw pmpcfg0, t0
            """)
        XCTAssertEqual(core.x[5], 0x8000_0400)
        XCTAssertEqual(core.x[10], 1)
        XCTAssertEqual(core.csr.mcause, 1)
        XCTAssertEqual(core.csr.mtval, 0x8000_0400)
    }

    func testPageTableWalkIsCheckedAsSupervisorLoadsAndStores() throws {
        // M-mode with MPRV, MPP = S. Only the data page is in a PMP region at first, so the walk
        // cannot read the root PTE; then the tables become readable (not writable), so a walk
        // that must set A cannot write the PTE. Each trap's MRET leaves MPP = U: s3 puts S back.
        let core = try H.run("""
            li s3, 0x800
            li t0, 0x1800
            csrc mstatus, t0
            csrs mstatus, s3
            li t0, 0x20000
            csrs mstatus, t0          # MPRV
            li t1, 0x1000
            ld a0, 0(t1)              # the root PTE is outside every region
            csrs mstatus, s3
            li t0, \(Self.napot(0x8001_0000, 0x4000))
            csrw pmpaddr1, t0
            li t0, 0x19 << 8
            csrs pmpcfg0, t0          # entry 1: the tables, R only
            ld a1, 0(t1)
            li t1, 0x2000
            ld a2, 0(t1)              # needs A written: the PTE is not writable
            csrs mstatus, s3
            li t0, 0x1B << 8
            csrs pmpcfg0, t0          # R W
            ld a3, 0(t1)
            """, openPMP: false, machineSetup: """
            li t0, \(Self.napot(0x8002_0000, 0x1000))
            csrw pmpaddr0, t0
            li t0, 0x1B
            csrw pmpcfg0, t0
            """, enterSupervisor: false) { core in
            H.sv39Tables(core, leaves: [1: H.pte(0x8002_0000, H.RWAD), 2: H.pte(0x8002_0000, H.V | H.R | H.W)])
            H.poke(core, 0x8002_0000, 0x42)
        }
        XCTAssertEqual(H.traps(core), [[5, 0x1000], [5, 0x2000]])
        XCTAssertEqual([core.x[10], core.x[11], core.x[12], core.x[13]], [0, 0x42, 0, 0x42])
        XCTAssertEqual(H.peek(core, H.level0 + 16), H.pte(0x8002_0000, H.V | H.R | H.W | H.A))
    }

    func testPMPChangeTakesEffectOverCachedTranslations() throws {
        // M-mode with MPRV = 1, MPP = S, satp Bare: the first load caches the page for S; taking
        // R away must be seen by the next load.
        let core = try H.run("""
            li t0, 0x1800
            csrc mstatus, t0
            li t0, 0x800
            csrs mstatus, t0
            li t0, 0x20000
            csrs mstatus, t0
            li t1, 0x80020000
            ld a0, 0(t1)
            li t0, 0x18
            csrw pmpcfg0, t0          # entry 0: NAPOT, no permissions
            ld a1, 0(t1)
            """, machineSetup: """
            li t0, \(Self.napot(0x8002_0000, 0x1000))
            csrw pmpaddr0, t0
            li t0, 0x19
            csrw pmpcfg0, t0
            """, enterSupervisor: false) { core in
            core.x[27] = 0
            H.poke(core, 0x8002_0000, 0x31)
        }
        XCTAssertEqual(core.x[10], 0x31)
        XCTAssertEqual(core.x[11], 0)
        XCTAssertEqual(H.traps(core), [[5, 0x8002_0000]])
    }
}
