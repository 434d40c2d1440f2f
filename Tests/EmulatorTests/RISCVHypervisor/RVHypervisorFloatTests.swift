import XCTest
@testable import Emulator

/// F/D under the hypervisor extension (privileged spec §8.2.11): in VS/VU-mode an FP instruction
/// needs both mstatus.FS and vsstatus.FS on, and a change of FP state makes both Dirty.
final class RVHypervisorFloatTests: XCTestCase {
    typealias H = HypHarness

    private func run(_ body: String) throws -> RISCVCore {
        var profile = RVHarness.profile(extensions: ["i", "m", "a", "f", "d", "c", "zicsr", "zifencei", "zicntr", "h"])
        profile.features.adUpdate = .hardware
        return try RVHarness.exec(H.program(body), steps: 200, march: "rv64imafdc_h", profile: profile)
    }

    /// mstatus.FS = Initial but vsstatus.FS = Off: the guest's FMV.D.X is illegal (to M, MPV = 1).
    func testGuestFPWithVSStatusFSOffIsIllegal() throws {
        let core = try run("""
            li t0, \(1 << 13)
            csrs mstatus, t0
            csrw vsstatus, zero
        \(H.enter(.vs, "guest"))
        guest:
            fmv.d.x f1, zero
            j guest
        """)
        XCTAssertEqual(core.csr.mcause, 2)
        XCTAssertEqual(core.csr.mstatus >> 39 & 1, 1, "MPV: taken from V = 1")
    }

    /// Both FS fields Initial: the guest's FMV.D.X works and leaves both Dirty (SD set in both).
    func testGuestFPDirtiesBothStatusRegisters() throws {
        let core = try run("""
            li t0, \(1 << 13)
            csrs mstatus, t0
            csrw vsstatus, t0
            li t1, 0x4000000000000000
        \(H.enter(.vs, "guest"))
        guest:
            fmv.d.x f1, t1
        spin:
            j spin
        """)
        XCTAssertEqual(core.csr.mcause, 0, "no trap")
        XCTAssertEqual(core.f[1], 0x4000_0000_0000_0000)
        XCTAssertEqual(core.csr.mstatus & MSTATUS.FS, MSTATUS.FS, "mstatus.FS Dirty")
        XCTAssertEqual(core.csr.vsstatus & MSTATUS.FS, MSTATUS.FS, "vsstatus.FS Dirty")
    }
}
