import Foundation
import XCTest

/// `arm/vgic-basic` prints the same lines on hetboot and on QEMU 7.2 (the oracle for the GICv2
/// virtual interface): vexpress-a15 with secure=off starts the image in HYP on both.
final class VGICBasicQEMUTests: XCTestCase {
    func testVGICBasicMatchesQEMU() throws {
        let image = "images/arm/vgic-basic.elf"
        let ours = try CLI.run(["run", image, "--machine", "vexpress-a15,secure=off"])
        XCTAssertEqual(ours.status, 0, ours.stdout + ours.stderr)
        var oursLines: [String] = []
        for line in ours.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("== ") { break }
            oursLines.append(String(line))
        }
        while oursLines.last == "" { oursLines.removeLast() }
        XCTAssertEqual(oursLines.last, "vgic-basic: PASS", ours.stdout)

        guard let qemu = CLI.which("qemu-system-arm") else {
            throw XCTSkip("qemu-system-arm is not installed: the comparison with QEMU is skipped (CI installs it)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = ["-M", "vexpress-a15,secure=off,virtualization=on", "-cpu", "cortex-a15", "-semihosting",
                       "-nographic", "-monitor", "none", "-audiodev", "none,id=none",
                       "-kernel", CLI.root.appendingPathComponent(image).path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let watchdog = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        watchdog.cancel()
        let qemuLines = String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        }
        XCTAssertEqual(p.terminationStatus, 0, "QEMU: \(qemuLines)")
        XCTAssertEqual(oursLines, qemuLines)
    }
}
