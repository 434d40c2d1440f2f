import XCTest
@testable import Emulator
import Profiles

/// Programs and page tables for the hypervisor-extension tests, on `RVHarness`'s one-hart
/// machine (1 MiB of RAM at 0x80000000) with a profile that lists "h" (and Sv39 only, so the
/// G-stage has Sv39x4 only). Layout: code at 0x80000000; the G-stage root (16 KiB, 16 KiB
/// aligned) at 0x80010000, G-stage L1/L0 at 0x80014000/0x80015000; VS-stage tables at
/// 0x80016000 (root), 0x80017000 (L1), 0x80018000 (L0); data pages from 0x80020000; the trap
/// log at 0x80040000.
///
/// The prologue (M-mode) sets mtvec, stvec and vstvec to handlers that park the hart (a test
/// then reads the trap CSRs) unless the test brings its own, opens all memory to S/U with PMP
/// entry 15, and runs the body in M-mode. `enter(_:_:)` writes the MRET that enters HS, U,
/// VS or VU at a label.
enum HypHarness {
    static let ram = RVHarness.ramBase
    static let gRoot: UInt64 = 0x8001_0000
    static let gL1: UInt64 = 0x8001_4000
    static let gL0: UInt64 = 0x8001_5000
    static let vsRoot: UInt64 = 0x8001_6000
    static let vsL1: UInt64 = 0x8001_7000
    static let vsL0: UInt64 = 0x8001_8000
    static let pageA: UInt64 = 0x8002_0000
    static let pageB: UInt64 = 0x8002_1000
    static let logBase: UInt64 = 0x8004_0000

    static let V: UInt64 = 1, R: UInt64 = 2, W: UInt64 = 4, X: UInt64 = 8, U: UInt64 = 16, A: UInt64 = 64, D: UInt64 = 128
    /// A G-stage leaf for everything: V R W X U A D.
    static let gAll = V | R | W | X | U | A | D

    static let hgatpSv39x4 = 8 << 60 | gRoot >> 12
    static let vsatpSv39 = 8 << 60 | vsRoot >> 12

    static let hExtensions = ["i", "m", "a", "c", "zicsr", "zifencei", "zicntr", "h"]

    static func profile(h: Bool = true, more: [String] = [], modes: [String] = ["sv39"],
                        ad: Features.ADUpdate = .hardware) -> CoreProfile {
        var p = RVHarness.profile(extensions: (h ? hExtensions : hExtensions.filter { $0 != "h" }) + more)
        p.features.adUpdate = ad
        p.features.mmuModes = modes
        return p
    }

    static func pte(_ physical: UInt64, _ flags: UInt64) -> UInt64 { (physical >> 12) << 10 | flags }

    static func poke(_ core: RISCVCore, _ address: UInt64, _ value: UInt64) {
        (core.ram.bytes + Int(address - ram)).storeBytes(of: value, as: UInt64.self)
    }

    static func peek(_ core: RISCVCore, _ address: UInt64) -> UInt64 {
        (core.ram.bytes + Int(address - ram)).loadUnaligned(as: UInt64.self)
    }

    /// The G-stage identity map of guest physical 0x80000000–0xBFFFFFFF (root[2], a 1 GiB leaf
    /// with U: code and tables run at their own addresses in the guest), and in the x4 part of
    /// the guest physical space (beyond Sv39's 2^39): root[512] → L1 → L0, L0[i] = `leaves[i]`
    /// for guest physical 0x80_0000_0000 + i·0x1000; root[1536] = a 1 GiB leaf at guest
    /// physical 0x180_0000_0000 onto host 0x80000000. Entries 512 and 1536 lie in the second
    /// and fourth 4 KiB page of the 16 KiB root.
    static func gStage(_ core: RISCVCore, leaves: [Int: UInt64] = [:], identityFlags: UInt64 = gAll) {
        poke(core, gRoot + 2 * 8, pte(0x8000_0000, identityFlags))
        poke(core, gRoot + 512 * 8, pte(gL1, V))
        poke(core, gL1, pte(gL0, V))
        for (i, v) in leaves { poke(core, gL0 + UInt64(i) * 8, v) }
        poke(core, gRoot + 1536 * 8, pte(0x8000_0000, gAll))
    }

    /// A recording M-mode handler: logs (mcause, mtval, mtval2, mstatus) at s9 and resumes
    /// after the trapping instruction in the mode it came from (MPP/MPV as the trap left them).
    static let recordingMachineHandler = recordingHandler(mtval2: true)

    /// The same for a hart without H, which has no mtval2 (logged as 0).
    static func recordingHandler(mtval2: Bool) -> String { """
        csrr t5, mcause
        sd t5, 0(s9)
        csrr t5, mtval
        sd t5, 8(s9)
        \(mtval2 ? "csrr t5, mtval2" : "li t5, 0")
        sd t5, 16(s9)
        csrr t5, mstatus
        sd t5, 24(s9)
        addi s9, s9, 32
        csrr t5, mepc
        addi t5, t5, 4
        csrw mepc, t5
        mret
    """
    }

    static func program(_ body: String, machineHandler: String = "j m_trap", supervisorHandler: String = "j hs_trap",
                        guestHandler: String = "j vs_trap", extra: String = "", h: Bool = true) -> String {
        """
        .option norvc
            la t0, m_trap
            csrw mtvec, t0
            la t0, hs_trap
            csrw stvec, t0
        \(h ? "    la t0, vs_trap\n    csrw vstvec, t0" : "")
            li s9, \(logBase)
            li t0, -1
            csrw pmpaddr15, t0
            li t0, 0x1F << 56
            csrw pmpcfg2, t0
        \(body)
        done:
            j done
        \(extra)
        .balign 4
        m_trap:
        \(machineHandler)
        .balign 4
        hs_trap:
        \(supervisorHandler)
        .balign 4
        vs_trap:
        \(guestHandler)
        """
    }

    enum Mode { case hs, u, vs, vu }

    /// MRET into `mode` at `label` (mstatus.MPP and MPV).
    static func enter(_ mode: Mode, _ label: String) -> String {
        let mpp: UInt64 = mode == .hs || mode == .vs ? 1 : 0
        let mpv = mode == .vs || mode == .vu
        return """
            li t0, 0x1800
            csrc mstatus, t0
            li t0, \(mpp << 11)
            csrs mstatus, t0
            li t0, 1
            slli t0, t0, 39
            \(mpv ? "csrs" : "csrc") mstatus, t0
            la t0, \(label)
            csrw mepc, t0
            mret
        """
    }

    static func run(_ source: String, steps: UInt64 = 600, h: Bool = true, more: [String] = [],
                    modes: [String] = ["sv39"], ad: Features.ADUpdate = .hardware,
                    setup: (RISCVCore) -> Void = { _ in }) throws -> RISCVCore {
        try RVHarness.exec(source, steps: steps, march: "rv64imac_h",
                           profile: profile(h: h, more: more, modes: modes, ad: ad), setup: setup)
    }

    /// The (mcause, mtval, mtval2, mstatus) records of `recordingMachineHandler`.
    static func records(_ core: RISCVCore) -> [[UInt64]] {
        var out: [[UInt64]] = []
        var at = logBase
        while at < core.x[25] && out.count < 64 {
            out.append((0..<4).map { peek(core, at + UInt64($0) * 8) })
            at += 32
        }
        return out
    }
}
