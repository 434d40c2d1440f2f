import Foundation
import XCTest

/// The KVM hyp-init images (`images/arm/kvm-init`) on four Cortex-A15s entered in HYP: hetboot's
/// `vexpress-a15,secure=off --smp 4` against QEMU 7.2 booting them through
/// `arm/qemu-tc2-shim.elf` (`-M vexpress-a15,virtualization=on`): the same lines, but for one
/// documented difference — QEMU 7.2 does not give HSCTLR its RES1 bits (ARM ARM DDI 0406C, HSCTLR:
/// bits 3-6, 11, 16, 18, 22, 23, 28, 29 read as one), so where hetboot reads 0x30C5187F QEMU reads
/// 0x00001007. The test checks that the two values differ in exactly those bits.
final class KVMInitQEMUTests: XCTestCase {

    func testKVMInit39MatchesQEMU() throws {
        try compare("kvm-init-3.9", done: "kvm-init-3.9: done")
    }

    func testKVMInit310MatchesQEMU() throws {
        try compare("kvm-init-3.10", done: "kvm-init-3.10: done")
    }

    func testKVMInit313MatchesQEMU() throws {
        try compare("kvm-init-3.13", done: "kvm-init-3.13: done")
    }

    func testHypIdentityFixedMatchesQEMU() throws {
        try compare("hyp-identity-fixed", done: "hyp-identity-fixed: done")
    }

    /// The S2 buggy variant makes no progress on QEMU either: it never exits, and its console
    /// stops after the page-table line, as hetboot's (which stops with its diagnosis, exit 3).
    func testHypIdentityMissingHangsOnQEMUToo() throws {
        let image = "images/arm/hyp-identity-missing.elf"
        let ours = try CLI.run(["run", image, "--machine", "vexpress-a15,secure=off", "--smp", "4",
                                "--max-instructions", "2000000"])
        XCTAssertEqual(ours.status, 3, ours.stdout + ours.stderr)
        XCTAssertTrue(ours.stdout.contains("[recursive-exception] CPU 0"), ours.stdout)
        let oursLines = consoleLines(ours.stdout)
        XCTAssertTrue(oursLines.last?.hasPrefix("kvm: Hyp page tables: the kernel image identity-mapped except") ?? false,
                      ours.stdout)
        guard let qemu = CLI.which("qemu-system-arm") else {
            throw XCTSkip("qemu-system-arm is not installed: the comparison with QEMU is skipped (CI installs it)")
        }
        let (_, qemuLines, stopped) = try runQEMU(qemu, image: image, seconds: 5)
        XCTAssertTrue(stopped, "QEMU exited by itself: \(qemuLines)")
        XCTAssertEqual(qemuLines, oursLines)
    }

    private func compare(_ name: String, done: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let image = "images/arm/\(name).elf"
        let ours = try CLI.run(["run", image, "--machine", "vexpress-a15,secure=off", "--smp", "4"])
        XCTAssertEqual(ours.status, 0, ours.stdout + ours.stderr, file: file, line: line)
        let oursLines = consoleLines(ours.stdout)
        XCTAssertTrue(oursLines.contains(done), ours.stdout, file: file, line: line)
        XCTAssertEqual(oursLines.filter { $0.contains("Hyp initialised, HSCTLR=0x30C5187F") }.count, 4, ours.stdout,
                       file: file, line: line)
        guard let qemu = CLI.which("qemu-system-arm") else {
            throw XCTSkip("qemu-system-arm is not installed: the comparison with QEMU is skipped (CI installs it)")
        }
        // Which CPU reaches kvm_arch_init first is a race on QEMU (a host thread per CPU); CPU 0
        // sets the flag and claims in the next instructions, so it practically always wins, as
        // under hetboot's default schedule. Another winner changes every line that follows, for
        // a reason that is QEMU's scheduling, not hetboot's: run QEMU again.
        var qemuLines: [String] = []
        for _ in 0..<3 {
            let (status, lines, _) = try runQEMU(qemu, image: image, seconds: 120)
            XCTAssertEqual(status, 0, "QEMU: \(lines)", file: file, line: line)
            qemuLines = lines
            if lines.contains("\(name): 4 cpus online, kvm_arch_init runs on cpu0") { break }
        }
        XCTAssertEqual(oursLines.count, qemuLines.count, "hetboot:\n\(oursLines)\nQEMU:\n\(qemuLines)", file: file, line: line)
        for (o, q) in zip(oursLines, qemuLines) where o != q {
            if !QEMU.differOnlyInHSCTLRRES1(o, q) {
                XCTFail("hetboot: \"\(o)\"\n   QEMU: \"\(q)\"", file: file, line: line)
            }
        }
    }

    /// QEMU's exit status, its console lines, and whether the watchdog had to stop it.
    private func runQEMU(_ qemu: String, image: String, seconds: Double) throws -> (Int32, [String], Bool) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = ["-M", "vexpress-a15,virtualization=on", "-smp", "4", "-cpu", "cortex-a15",
                       "-semihosting", "-nographic", "-monitor", "none", "-audiodev", "none,id=none",
                       "-kernel", CLI.root.appendingPathComponent("images/arm/qemu-tc2-shim.elf").path,
                       "-device", "loader,file=" + CLI.root.appendingPathComponent(image).path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let stopped = WatchdogFlag()
        let watchdog = DispatchWorkItem { if p.isRunning { stopped.set(); p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        watchdog.cancel()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        }
        return (p.terminationStatus, lines.filter { !$0.isEmpty }, stopped.value)
    }

    /// The guest's lines: everything before hetboot's report.
    private func consoleLines(_ stdout: String) -> [String] {
        var lines: [String] = []
        for line in stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("== ") { break }
            lines.append(String(line))
        }
        return lines.filter { !$0.isEmpty }
    }
}

/// Set by a watchdog on another thread when it stops QEMU.
private final class WatchdogFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    func set() { lock.lock(); fired = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return fired }
}
