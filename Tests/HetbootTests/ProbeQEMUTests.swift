import Foundation
import XCTest

/// The `check` probes on QEMU: the same image, the same answers, but for the values that come
/// from hetboot's profiles rather than from QEMU's CPU models (named here).
final class ProbeQEMUTests: XCTestCase {
    private func probeValues(_ lines: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for line in lines where line.hasPrefix("probe.") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            values[String(line[line.index(line.startIndex, offsetBy: 6)..<eq])] = String(line[line.index(after: eq)...])
        }
        return values
    }

    /// ARM: QEMU 7.2's vexpress-a15 with secure=off, virtualization=on enters in HYP as
    /// hetboot's vexpress-a15,secure=off does; every ID register and the hyp-init result agree.
    /// HSCTLR differs only in its RES1 bits (QEMU.differOnlyInHSCTLRRES1).
    func testARMProbeMatchesQEMU() throws {
        let image = "images/probe/arm-probe.elf"
        let ours = try CLI.run(["run", image, "--machine", "vexpress-a15,secure=off", "--smp", "1"])
        XCTAssertEqual(ours.status, 0, ours.stdout)
        let qemu = try QEMU.consoleLines("qemu-system-arm", [
            "-M", "vexpress-a15,secure=off,virtualization=on", "-cpu", "cortex-a15", "-semihosting", "-nographic",
            "-monitor", "none", "-audiodev", "none,id=none", "-kernel", CLI.root.appendingPathComponent(image).path],
            timeout: 60, semihostingOnStderr: true)
        var a = probeValues(ours.consoleLines), b = probeValues(qemu)
        XCTAssertEqual(a.count, 26)
        XCTAssertEqual(a["hyp-init"], "ok")
        XCTAssertTrue(QEMU.differOnlyInHSCTLRRES1("HSCTLR=" + (a["hsctlr"] ?? ""), "HSCTLR=" + (b["hsctlr"] ?? "")),
                      "\(a["hsctlr"] ?? "") vs \(b["hsctlr"] ?? "")")
        a["hsctlr"] = nil
        b["hsctlr"] = nil
        XCTAssertEqual(a, b)
    }

    /// RISC-V: under Debian's OpenSBI, on hetboot and on QEMU, the probe finds H, Sv57x4, 14
    /// VMID bits and the same SBI; the ISA string and marchid/mimpid are the rv64gch profile's
    /// on hetboot and QEMU 7.2's own on QEMU.
    func testRISCVProbeMatchesQEMUUnderOpenSBI() throws {
        guard DebianOpenSBI.installed else {
            throw XCTSkip("Debian's opensbi package is not installed (\(DebianOpenSBI.directory)): the QEMU run is skipped")
        }
        let image = "images/probe/riscv-probe.elf"
        let ours = try CLI.run(["run", image, "--machine", "virt-riscv", "--bios", DebianOpenSBI.bin])
        XCTAssertEqual(ours.status, 0, ours.stdout)
        let qemu = try QEMU.consoleLines("qemu-system-riscv64", ["-M", "virt", "-smp", "1", "-nographic", "-bios", DebianOpenSBI.bin,
                                                                 "-kernel", CLI.root.appendingPathComponent(image).path], timeout: 60)
        var a = probeValues(ours.textLines), b = probeValues(qemu)
        XCTAssertEqual(a["h"], "1")
        XCTAssertEqual(a["gstage"], "sv57x4")
        XCTAssertEqual(a["hyp-init"], "ok")
        for key in ["isa", "marchid", "mimpid"] {
            XCTAssertNotNil(a[key], key)
            XCTAssertNotNil(b[key], key)
            a[key] = nil
            b[key] = nil
        }
        XCTAssertEqual(a, b)
    }
}
