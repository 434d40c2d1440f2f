import Foundation
import XCTest
@testable import Profiles

/// Kernel models (`cpu-profiles/kernels/`): the shipped ones say what the Linux sources say, and
/// a bad file names the file, the key and what was expected.
final class KernelModelTests: XCTestCase {
    func testShippedModels() throws {
        let store = try shippedStore()
        XCTAssertEqual(store.kernelNames(), ["linux-3.10", "linux-3.13", "linux-3.9", "linux-riscv"])
        let k39 = try store.kernel("linux-3.9"), k310 = try store.kernel("linux-3.10"), k313 = try store.kernel("linux-3.13")
        XCTAssertEqual(k39.checks, .currentCPU)
        XCTAssertEqual(k310.checks, .everyCPU)
        XCTAssertEqual(k39.armTargets.map(\.part), [0xC0F])
        XCTAssertEqual(k310.armTargets.map(\.part), [0xC0F])
        XCTAssertEqual(k313.armTargets.map(\.part), [0xC0F, 0xC07])
        XCTAssertEqual(k313.armTargets.map(\.name), ["KVM_ARM_TARGET_CORTEX_A15", "KVM_ARM_TARGET_CORTEX_A7"])
        for k in [k39, k310, k313] {
            // TID1–TID3 clear: a vCPU reads CTR, CCSIDR and the ID registers of the physical core.
            XCTAssertEqual((k.guestHCR ?? 0) & 0x7_0000, 0, k.name)
        }
        let rv = try store.kernel("linux-riscv")
        XCTAssertEqual(rv.architecture, .rv64)
        XCTAssertEqual(rv.requiredExtensions, ["h"])
        XCTAssertEqual(rv.minimumSBIVersion, 2)
        XCTAssertEqual(rv.requiredSBIExtensions, ["RFENCE"])
        XCTAssertEqual(rv.gstageModes, ["sv57x4", "sv48x4", "sv39x4"])
    }

    private func withKernel(_ name: String, _ text: String, _ check: (ProfileStore, String) throws -> Void) throws {
        let scratch = try ScratchProfiles()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.directory + "/kernels", withIntermediateDirectories: true)
        let file = scratch.directory + "/kernels/\(name).toml"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        try check(try scratch.store(), file)
    }

    func testBadKernelModels() throws {
        let arm = "name = \"k\"\narchitecture = \"armv7-a\"\nchecks = \"every-cpu\"\nguest-hcr = 0\n"
        let target = "[[targets]]\nimplementer = 0x41\npart = 0xC0F\nname = \"T\"\n"
        for (text, key, message) in [
            ("name = \"other\"\narchitecture = \"rv64\"\nchecks = \"every-cpu\"\n", "name", "is \"other\" but the file is k.toml"),
            ("name = \"k\"\narchitecture = \"armv7-a\"\nchecks = \"sometimes\"\nguest-hcr = 0\n" + target, "checks", "current-cpu"),
            (arm, "targets", "at least one [[targets]]"),
            (arm + "[[targets]]\nimplementer = 0x41\npart = 0x1C0F\nname = \"T\"\n", "targets[0].part", ""),
            ("name = \"k\"\narchitecture = \"armv7-a\"\nchecks = \"every-cpu\"\n" + target, "guest-hcr", "missing"),
            ("name = \"k\"\narchitecture = \"rv64\"\nchecks = \"every-cpu\"\nrequired-extensions = [\"hyp\"]\n", "required-extensions", "single-letter"),
            ("name = \"k\"\narchitecture = \"rv64\"\nchecks = \"every-cpu\"\ngstage-modes = [\"sv32x4\"]\n", "gstage-modes", "not a G-stage mode"),
            (arm + "colour = 1\n" + target, "colour", "unknown key"),
            (arm + target + "colour = 1\n", "targets[0].colour", "unknown key; expected one of: implementer, part, name"),
        ] {
            try withKernel("k", text) { store, file in
                assertProfileError(file: file, key: key, contains: message.isEmpty ? [] : [message]) { _ = try store.kernel("k") }
            }
        }
        try withKernel("k", arm + target) { store, _ in
            assertProfileError(file: store.directory + "/kernels", key: "", contains: ["no kernel model \"linux-1.0\"", "known models: k"]) {
                _ = try store.kernel("linux-1.0")
            }
        }
    }
}
