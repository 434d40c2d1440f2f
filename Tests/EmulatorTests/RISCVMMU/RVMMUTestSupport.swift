import XCTest
@testable import Emulator
import Profiles

/// Page tables and programs for the MMU/PMP tests, on `RVHarness`'s machine (1 MiB of RAM at
/// 0x80000000). Layout: code at 0x80000000, page tables from 0x80010000, data pages from
/// 0x80020000, the trap log at 0x80040000.
///
/// The prologue (M-mode) installs the trap handler, optionally a PMP entry granting everything
/// (entry 15, the lowest priority, so tests may program entries 0…14 in front of it), loads satp
/// from s11 (0 = Bare; tests set it in `setup`), and drops to S-mode with MRET. The handler
/// either parks the hart (`record: false`: mcause/mtval/mepc stay readable) or logs (mcause,
/// mtval) at s9 and resumes after the faulting instruction (`.option norvc` keeps every
/// instruction 4 bytes long), so one program can check several faults.
enum MMUHarness {
    static let ram = RVHarness.ramBase
    static let root: UInt64 = 0x8001_0000
    static let level1: UInt64 = 0x8001_1000
    static let level0: UInt64 = 0x8001_2000
    static let logBase: UInt64 = 0x8004_0000

    // PTE flags (privileged spec §4.4.1).
    static let V: UInt64 = 1, R: UInt64 = 2, W: UInt64 = 4, X: UInt64 = 8, U: UInt64 = 16, A: UInt64 = 64, D: UInt64 = 128
    static let RWAD = V | R | W | A | D
    static let RWXAD = V | R | W | X | A | D

    static func profile(ad: Features.ADUpdate? = .hardware, modes: [String] = ["sv39", "sv48"], pmpEntries: Int = 16,
                        misaligned: Features.MisalignedAccess = .trap) -> CoreProfile {
        var p = RVHarness.profile()
        p.features.adUpdate = ad
        p.features.mmuModes = modes
        p.features.pmpEntries = pmpEntries
        p.features.misaligned = misaligned
        return p
    }

    static func pte(_ physical: UInt64, _ flags: UInt64) -> UInt64 { (physical >> 12) << 10 | flags }
    static func satp(mode: UInt64 = 8, root: UInt64 = root) -> UInt64 { mode << 60 | root >> 12 }

    static func poke(_ core: RISCVCore, _ address: UInt64, _ value: UInt64) {
        (core.ram.bytes + Int(address - ram)).storeBytes(of: value, as: UInt64.self)
    }

    static func poke16(_ core: RISCVCore, _ address: UInt64, _ value: UInt16) {
        (core.ram.bytes + Int(address - ram)).storeBytes(of: value, as: UInt16.self)
    }

    static func peek(_ core: RISCVCore, _ address: UInt64) -> UInt64 {
        (core.ram.bytes + Int(address - ram)).loadUnaligned(as: UInt64.self)
    }

    /// The standard Sv39 tables: root[2] = a 1 GiB identity gigapage over 0x80000000 (S, RWX:
    /// the code, the tables and the data are reachable at their physical addresses);
    /// root[0] → L1 at 0x80011000; L1[0] → L0 at 0x80012000. `leaves[i]` is L0[i], the 4 KiB
    /// page at VA i·0x1000.
    /// With `codeIn4KiBPages` the identity map of 0x80000000–0x8001FFFF uses 4 KiB pages
    /// (tables at 0x80017000/0x80018000) instead of the gigapage, so no superpage is cached.
    static func sv39Tables(_ core: RISCVCore, leaves: [Int: UInt64] = [:], gigaFlags: UInt64 = RWXAD,
                           codeIn4KiBPages: Bool = false) {
        if codeIn4KiBPages {
            poke(core, root + 2 * 8, pte(0x8001_7000, V))
            poke(core, 0x8001_7000, pte(0x8001_8000, V))
            for i in 0..<0x20 as Range<UInt64> { poke(core, 0x8001_8000 + i * 8, pte(0x8000_0000 + i << 12, gigaFlags)) }
        } else {
            poke(core, root + 2 * 8, pte(0x8000_0000, gigaFlags))
        }
        poke(core, root + 0 * 8, pte(level1, V))
        poke(core, level1, pte(level0, V))
        for (i, v) in leaves { poke(core, level0 + UInt64(i) * 8, v) }
        core.x[27] = satp()   // s11
    }

    static func program(_ body: String, openPMP: Bool = true, record: Bool = true, machineSetup: String = "",
                        enterSupervisor: Bool = true) -> String {
        let handler = record ? """
            csrr t5, mcause
            csrr t6, mtval
            sd t5, 0(s9)
            sd t6, 8(s9)
            addi s9, s9, 16
            csrr t5, mepc
            addi t5, t5, 4
            csrw mepc, t5
            mret
        """ : "    j trap"
        let enter = enterSupervisor ? """
            li t0, 0x1800
            csrc mstatus, t0
            li t0, 0x800
            csrs mstatus, t0
            la t0, body
            csrw mepc, t0
            mret
        """ : ""
        return """
        .option norvc
            la t0, trap
            csrw mtvec, t0
            li s9, \(logBase)
        \(openPMP ? "    li t0, -1\n    csrw pmpaddr15, t0\n    li t0, 0x1F << 56\n    csrw pmpcfg2, t0" : "")
        \(machineSetup)
            csrw satp, s11
            sfence.vma
        \(enter)
        body:
        \(body)
        done:
            j done
        .balign 4
        trap:
        \(handler)
        """
    }

    /// Assemble and run `program(body)` for `steps` instructions; `setup` builds the tables and
    /// sets registers before the first instruction.
    static func run(_ body: String, openPMP: Bool = true, record: Bool = true, machineSetup: String = "",
                    enterSupervisor: Bool = true, steps: UInt64 = 400, profile p: CoreProfile = profile(),
                    setup: (RISCVCore) -> Void = { _ in }) throws -> RISCVCore {
        try RVHarness.exec(program(body, openPMP: openPMP, record: record, machineSetup: machineSetup,
                                   enterSupervisor: enterSupervisor),
                           steps: steps, profile: p, setup: setup)
    }

    /// The (mcause, mtval) pairs the recording handler logged.
    static func traps(_ core: RISCVCore) -> [[UInt64]] {
        var out: [[UInt64]] = []
        var at = logBase
        while at < core.x[25] && out.count < 64 {
            out.append([peek(core, at), peek(core, at + 8)])
            at += 16
        }
        return out
    }
}
