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
        let oursLines = ours.consoleLines
        XCTAssertTrue(oursLines.contains("float: skipped (misa has no F and D)"), ours.stdout + ours.stderr)
        XCTAssertFalse(oursLines.contains { $0.hasPrefix("float: ") && $0.hasSuffix("ok") }, ours.stdout)

        let qemuLines = try QEMU.consoleLines("qemu-system-riscv64", [
            "-M", "virt", "-bios", "none", "-cpu", "rv64,f=off,d=off", "-nographic", "-monitor", "none",
            "-kernel", CLI.root.appendingPathComponent(image).path], status: ours.status)
        XCTAssertEqual(oursLines, qemuLines)
    }
}
