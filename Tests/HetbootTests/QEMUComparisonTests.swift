import Foundation
import XCTest

/// `arm/isa-selftest` prints the same lines on hetboot and on QEMU (the oracle), every group
/// passing.
final class QEMUComparisonTests: XCTestCase {
    func testISASelftestMatchesQEMU() throws {
        let image = "images/arm/isa-selftest.elf"
        let ours = try CLI.run(["run", image, "--machine", "vexpress-a15"])
        XCTAssertEqual(ours.status, 0, ours.stdout + ours.stderr)
        let oursLines = consoleLines(ours.stdout)
        XCTAssertTrue(oursLines.contains("isa-selftest: all groups pass"), ours.stdout)
        XCTAssertFalse(oursLines.contains { $0.contains("FAIL") }, ours.stdout)

        guard let qemu = CLI.which("qemu-system-arm") else {
            throw XCTSkip("qemu-system-arm is not installed: the comparison with QEMU is skipped (CI installs it)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = ["-M", "vexpress-a15", "-cpu", "cortex-a15", "-semihosting", "-nographic", "-monitor", "none", "-audiodev", "none,id=none",
                       "-kernel", CLI.root.appendingPathComponent(image).path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let watchdog = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        watchdog.cancel()
        let qemuLines = String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        }
        XCTAssertEqual(p.terminationStatus, 0, "QEMU: \(qemuLines)")
        XCTAssertEqual(oursLines, qemuLines)
    }

    /// `arm/mmu-selftest`: short-descriptor translation and the DFSR/DFAR/IFSR/IFAR of its
    /// faults, line for line as on QEMU 7.2 vexpress-a15.
    func testMMUSelftestMatchesQEMU() throws {
        let image = "images/arm/mmu-selftest.elf"
        let ours = try CLI.run(["run", image, "--machine", "vexpress-a15"])
        XCTAssertEqual(ours.status, 0, ours.stdout + ours.stderr)
        let oursLines = consoleLines(ours.stdout)
        XCTAssertTrue(oursLines.contains("mmu-selftest: done"), ours.stdout)

        guard let qemu = CLI.which("qemu-system-arm") else {
            throw XCTSkip("qemu-system-arm is not installed: the comparison with QEMU is skipped (CI installs it)")
        }
        let qemuLines = try runQEMU(qemu, ["-M", "vexpress-a15", "-cpu", "cortex-a15", "-semihosting", "-nographic",
                                            "-monitor", "none", "-audiodev", "none,id=none",
                                            "-kernel", CLI.root.appendingPathComponent(image).path])
        XCTAssertEqual(oursLines, qemuLines)
    }

    func testRISCVISASelftestMatchesQEMU() throws {
        let image = "images/riscv/isa-selftest.elf"
        let ours = try CLI.run(["run", image, "--machine", "virt-riscv", "--bios", "none"])
        XCTAssertEqual(ours.status, 0, ours.stdout + ours.stderr)
        let oursLines = consoleLines(ours.stdout)
        XCTAssertTrue(oursLines.contains("isa-selftest: all groups pass"), ours.stdout)

        guard let qemu = CLI.which("qemu-system-riscv64") else {
            throw XCTSkip("qemu-system-riscv64 is not installed: the comparison with QEMU is skipped (CI installs it)")
        }
        let qemuLines = try runQEMU(qemu, ["-M", "virt", "-bios", "none", "-nographic", "-monitor", "none",
                                            "-kernel", CLI.root.appendingPathComponent(image).path])
        XCTAssertEqual(oursLines, qemuLines)
    }

    private func runQEMU(_ qemu: String, _ args: [String]) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let watchdog = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        watchdog.cancel()
        XCTAssertEqual(p.terminationStatus, 0, "QEMU \(args) did not exit 0")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        }
    }

    /// The guest's lines: everything before hetboot's report.
    private func consoleLines(_ stdout: String) -> [String] {
        var lines: [String] = []
        for line in stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("== ") { break }
            lines.append(String(line))
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }
}
