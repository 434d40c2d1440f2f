import Foundation
import XCTest

/// The isa-selftest's float group on a hart without F and D: it prints its skip line, and the
/// whole console matches QEMU's with `-cpu rv64,f=off,d=off` (there the csr group's FS/SD case
/// fails too, on both: FS is not writable without F).
final class RISCVFloatSelftestTests: XCTestCase {
    func testFloatGroupIsSkippedWithoutFAndDAsOnQEMU() throws {
        let profiles = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-nofd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profiles) }
        try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("cpu-profiles"), to: profiles)
        // rv64gch's misa 0x80000000001411AD without D (bit 3) and F (bit 5).
        try """
        name = "rv64gch-nofd"
        architecture = "rv64"
        description = "rv64gch without F and D (QEMU -cpu rv64,f=off,d=off)"
        inherits = "rv64gch"

        [id-registers]
        misa = "0x8000000000141185"

        [features]
        isa-extensions = ["i", "m", "a", "c", "h", "zicsr", "zifencei", "zicntr", "sstc"]
        """.write(to: profiles.appendingPathComponent("cores/rv64gch-nofd.toml"), atomically: true, encoding: .utf8)

        let image = "images/riscv/isa-selftest.elf"
        let ours = try CLI.run(["run", image, "--machine", "virt-riscv,harts=rv64gch-nofd", "--bios", "none",
                                "--profiles", profiles.path])
        let oursLines = consoleLines(ours.stdout)
        XCTAssertTrue(oursLines.contains("float: skipped (misa has no F and D)"), ours.stdout + ours.stderr)
        XCTAssertFalse(oursLines.contains { $0.hasPrefix("float: ") && $0.hasSuffix("ok") }, ours.stdout)

        guard let qemu = CLI.which("qemu-system-riscv64") else {
            throw XCTSkip("qemu-system-riscv64 is not installed: the comparison with QEMU is skipped (CI installs it)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = ["-M", "virt", "-bios", "none", "-cpu", "rv64,f=off,d=off", "-nographic", "-monitor", "none",
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
        XCTAssertEqual(oursLines, qemuLines)
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
