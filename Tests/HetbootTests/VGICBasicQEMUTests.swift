import Foundation
import XCTest

/// `arm/vgic-basic` prints the same lines on hetboot and on QEMU 7.2 (the oracle for the GICv2
/// virtual interface): vexpress-a15 with secure=off starts the image in HYP on both.
final class VGICBasicQEMUTests: XCTestCase {
    func testVGICBasicMatchesQEMU() throws {
        let image = "images/arm/vgic-basic.elf"
        let ours = try CLI.run(["run", image, "--machine", "vexpress-a15,secure=off"])
        XCTAssertEqual(ours.status, 0, ours.stdout + ours.stderr)
        let oursLines = ours.consoleLines
        XCTAssertEqual(oursLines.last, "vgic-basic: PASS", ours.stdout)

        let qemuLines = try QEMU.consoleLines("qemu-system-arm", [
            "-M", "vexpress-a15,secure=off,virtualization=on", "-cpu", "cortex-a15", "-semihosting",
            "-nographic", "-monitor", "none", "-audiodev", "none,id=none",
            "-kernel", CLI.root.appendingPathComponent(image).path], timeout: 60)
        XCTAssertEqual(oursLines, qemuLines)
    }
}
