import XCTest
@testable import Emulator
import Profiles

/// CNTHCTL traps of the physical counter/timer, CNTVOFF through MCRR and the Hyp timer's PPI 26
/// as the core sees them (B8.1, B4.1.27).
final class HypTimerTests: XCTestCase {
    /// The harness core on a machine with a GIC and a Generic Timer (PPIs 29, 30, 27, 26).
    private func run(_ source: String, steps: UInt64, mode: ARMMode = .svc, hcr: UInt32 = 0,
                     cnthctl: UInt64 = 0) throws -> (ARMMachine, ARMCore) {
        let p = ARMHarness.profile()
        let gicRegions = [MemoryRegion(name: "gicd", base: 0x2C00_1000, size: 0x1000), MemoryRegion(name: "gicc", base: 0x2C00_2000, size: 0x2000)]
        let spec = MachineDescription(
            name: "test", description: "test machine", file: "<test>", architecture: .armv7a,
            cores: [CoreSlot(profile: p, cluster: 0, mpidr: 0x8000_0000, clusterSize: 1)],
            ram: [MemoryRegion(name: "ram", base: UInt64(ARMHarness.ramBase), size: 1 << 20)],
            devices: [deviceSpec("gic", kind: "gic-v2", regions: gicRegions, properties: [("spis", 64)]),
                      deviceSpec("timer", kind: "generic-timer", interrupts: [29, 30, 27, 26])],
            boot: BootProtocol(entryMode: .svc, security: .secure, secondaries: .allAtEntry, psciConduit: .none, semihosting: false),
            options: [], smp: nil)
        let m = try ARMMachine(spec: spec)
        var bytes: [UInt8] = []
        for w in try ARMHarness.assemble(source) { bytes += [UInt8(w & 0xFF), UInt8(w >> 8 & 0xFF), UInt8(w >> 16 & 0xFF), UInt8(w >> 24)] }
        m.ram.load(bytes, at: UInt64(ARMHarness.ramBase))
        let c = m.cores[0]
        c.cp15.scr = SCR.NS | SCR.HCE
        c.cp15.hvbar = 0x8000_1000
        c.cp15.hcr = hcr
        m.platform?.timer?.write(.cnthctl, value: cnthctl, cpu: 0)
        c.switchMode(to: mode)
        c.nextPC = ARMHarness.ramBase
        _ = c.run(budget: steps)
        return (m, c)
    }

    func testCNTPCTTrappedWhenPL1PCTENIsClear() throws {
        let (_, c) = try run("mov r0, #0\nmrrc p15, 0, r0, r1, c14", steps: 2, cnthctl: 2)
        XCTAssertEqual(c.mode, .hyp)
        XCTAssertEqual(c.elrHyp, 0x8000_0004)
        // EC 0x04, CV/COND AL, Opc1 0, Rt2 1, Rt 0, CRm 14, read.
        XCTAssertEqual(c.cp15.hsr, 0x04 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 1 << 10 | 14 << 1 | 1)
        XCTAssertEqual(c.r[0], 0, "Rt not written")
        let (_, allowed) = try run("mrrc p15, 0, r0, r1, c14", steps: 1, cnthctl: 1)
        XCTAssertEqual(allowed.mode, .svc)
    }

    func testPhysicalTimerTrappedWhenPL1PCENIsClearButNotTheVirtualOne() throws {
        let (_, ctl) = try run("mrc p15, 0, r0, c14, c2, 1", steps: 1, cnthctl: 1)
        XCTAssertEqual(ctl.mode, .hyp)
        XCTAssertEqual(ctl.cp15.hsr, 0x03 << 26 | 1 << 25 | 1 << 24 | 0xE << 20 | 1 << 17 | 14 << 10 | 2 << 1 | 1)
        let (_, cval) = try run("mcrr p15, 2, r0, r1, c14", steps: 1, cnthctl: 1)
        XCTAssertEqual(cval.mode, .hyp)
        XCTAssertEqual(cval.cp15.hsr >> 26, 0x04)
        let (_, virt) = try run("mrc p15, 0, r0, c14, c3, 1\nmrrc p15, 1, r0, r1, c14", steps: 2, cnthctl: 0)
        XCTAssertEqual(virt.mode, .svc, "CNTV_CTL and CNTVCT are never trapped")
        XCTAssertEqual(virt.nextPC, 0x8000_0008)
        let (_, hyp) = try run("mrc p15, 0, r0, c14, c2, 1", steps: 1, mode: .hyp, cnthctl: 0)
        XCTAssertEqual(hyp.mode, .hyp)
        XCTAssertEqual(hyp.nextPC, 0x8000_0004, "Hyp itself is not trapped")
    }

    func testCNTVOFFWrittenInHypOffsetsTheVirtualCount() throws {
        // Hyp: CNTVOFF = 0x1_0000_0000 + 3; NS PL1 would read CNTVCT = CNTPCT − CNTVOFF.
        let (m, c) = try run("""
            mov r0, #3
            mov r1, #1
            mcrr p15, 4, r0, r1, c14
            mrrc p15, 4, r2, r3, c14
            """, steps: 4, mode: .hyp)
        XCTAssertEqual(c.r[2], 3)
        XCTAssertEqual(c.r[3], 1)
        let timer = try XCTUnwrap(m.platform?.timer)
        XCTAssertEqual(timer.read(.cntvct, cpu: 0), timer.read(.cntpct, cpu: 0) &- 0x1_0000_0003)
    }

    func testHypTimerRaisesPPI26() throws {
        // CNTHP_TVAL = 1, CNTHP_CTL = ENABLE: after a few instructions the Hyp PPI is pending.
        let (m, c) = try run("""
            mov r0, #1
            mcr p15, 4, r0, c14, c2, 0
            mcr p15, 4, r0, c14, c2, 1
            nop
            nop
            nop
            mrc p15, 4, r1, c14, c2, 1
            """, steps: 7, mode: .hyp)
        XCTAssertEqual(c.r[1], 5, "ENABLE | ISTATUS")
        let gic = try XCTUnwrap(m.platform?.gic)
        let pending = gic.distributor.read(offset: GICD.ispendr, size: 4, cpu: 0) ?? 0
        XCTAssertEqual(pending & 0xFFFF_0000, 1 << 26)
    }
}
