import Foundation
import XCTest

/// Scenario S3 on QEMU: the same three images under OpenSBI on `qemu-system-riscv64 -M
/// virt,aclint=on -smp 4`. The fixed variants end (SRST) with the lines hetboot prints (the
/// harts' own lines in whatever order QEMU's threads print them); the buggy one never ends,
/// its output stopping where hetboot's stops — hetboot explains why (the manifest's case).
final class StopMachineIPITests: XCTestCase {
    private func qemu(_ image: String, status: Int32?, timeout: Double) throws -> [String] {
        guard DebianOpenSBI.installed else {
            throw XCTSkip("Debian's opensbi package is not installed (\(DebianOpenSBI.directory)): the QEMU run is skipped")
        }
        return try QEMU.consoleLines("qemu-system-riscv64", ["-M", "virt,aclint=on", "-smp", "4", "-nographic",
                                                            "-bios", DebianOpenSBI.bin, "-kernel", image],
                                     timeout: timeout, status: status)
            .filter { $0.hasPrefix("stop-machine-ipi: ") || $0.hasPrefix("hart") }
    }

    private func hetboot(_ image: String) throws -> (status: Int32, lines: [String]) {
        let r = try CLI.run(["run", image, "--machine", "virt-riscv,aclint=on", "--smp", "4", "--bios", "sbi"])
        return (r.status, r.consoleLines.filter { $0.hasPrefix("stop-machine-ipi: ") || $0.hasPrefix("hart") })
    }

    func testFixedVariantsPassOnQEMUWithTheSameLines() throws {
        for image in ["images/riscv/stop-machine-ipi-sbi-rfence.elf", "images/riscv/stop-machine-ipi-local.elf"] {
            let ours = try hetboot(image)
            XCTAssertEqual(ours.status, 0, image)
            let theirs = try qemu(image, status: 0, timeout: 60)
            XCTAssertEqual(theirs.first, ours.lines.first, image)
            XCTAssertEqual(theirs.last, ours.lines.last, image)
            XCTAssertEqual(theirs.sorted(), ours.lines.sorted(), image)
        }
    }

    func testBuggyVariantHangsOnQEMUWhereHetbootFindsTheDeadlock() throws {
        let image = "images/riscv/stop-machine-ipi.elf"
        let ours = try hetboot(image)
        XCTAssertEqual(ours.status, 3)
        let theirs = try qemu(image, status: nil, timeout: 5)
        XCTAssertEqual(theirs.sorted(), ours.lines.sorted())
        XCTAssertFalse(theirs.contains("stop-machine-ipi: every hart left multi_cpu_stop"))
    }
}
