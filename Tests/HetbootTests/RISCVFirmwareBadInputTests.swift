import Foundation
import XCTest

/// `--bios FILE` with a file that is not an RV64 firmware image for the machine: one line on
/// stderr naming the file and what was expected, exit 2, nothing on stdout. And firmware made
/// of garbage never crashes the host.
final class RISCVFirmwareBadInputTests: XCTestCase {
    static let payload = "images/riscv/smp-hsm.elf"

    private func expectInputError(_ args: [String], mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(args)
        XCTAssertEqual(r.status, 2, "\(args): \(r.stdout)\(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): want one line, got:\n\(r.stderr)", file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "\(args): \(r.stderr) should mention \(m)", file: file, line: line) }
        XCTAssertTrue(r.stdout.isEmpty, "nothing on stdout: \(r.stdout)", file: file, line: line)
    }

    private func bios(_ path: String, machine: String = "virt-riscv") -> [String] {
        ["run", Self.payload, "--machine", machine, "--bios", path]
    }

    private func temp(_ name: String, _ contents: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-fw-\(UUID().uuidString)-\(name)")
        try contents.write(to: url)
        return url.path
    }

    /// An RV64 ELF from `source`, its text at `address`.
    private func firmwareELF(_ source: String, at address: UInt64) throws -> String {
        let elf = try CLI.buildRISCVImage(source)
        let obj = elf.replacingOccurrences(of: ".elf", with: ".o")
        let out = elf.replacingOccurrences(of: ".elf", with: "-fw.elf")
        try CLI.tool("ld.lld", ["-N", "--image-base=0", "-Ttext=0x\(String(address, radix: 16))", "-e", "_start", obj, "-o", out])
        return out
    }

    func testMissingFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-no-such-\(UUID().uuidString).elf").path
        try expectInputError(bios(path), mentions: [path, "no such file", "expected"])
    }

    func testTextFile() throws {
        let path = try temp("notes.txt", Data("OpenSBI is not here\n".utf8))
        try expectInputError(bios(path), mentions: [path, "not an ELF", "expected an RV64", ".bin"])
    }

    func testARMELF() throws {
        let path = CLI.root.appendingPathComponent("images/arm/hello.elf").path
        try expectInputError(bios(path), mentions: [path, "ARM", "RISC-V"])
    }

    func testSegmentsOutsideMemory() throws {
        // 0x40000000: no memory there on virt-riscv; 0x1000: the mask ROM, which hetboot
        // does not run code from.
        for address: UInt64 in [0x4000_0000, 0x1000] {
            let path = try firmwareELF("j _start", at: address)
            try expectInputError(bios(path), mentions: [path, "segment 0", "outside RAM (0x80000000..0x88000000)"])
        }
    }

    func testTruncatedELF() throws {
        let full = try Data(contentsOf: CLI.root.appendingPathComponent("images/riscv/hello.elf"))
        let path = try temp("trunc.elf", full.prefix(full.count / 3))
        try expectInputError(bios(path), mentions: [path, "truncated"])
    }

    func testRawBinLargerThanRAM() throws {
        // virt-riscv has 128 MiB of RAM; a sparse file one byte larger costs no disk.
        let path = try temp("huge.bin", Data([0x6F, 0x00, 0x00, 0x00]))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0x0800_0001)
        try handle.close()
        try expectInputError(bios(path), mentions: [path, "larger than the RAM of machine virt-riscv"])
    }

    func testEmptyRawBin() throws {
        let path = try temp("empty.bin", Data())
        try expectInputError(bios(path), mentions: [path, "empty"])
    }

    func testFirmwareFileOnAnARMMachine() throws {
        let fw = try firmwareELF("j _start", at: 0x8000_0000)
        try expectInputError(["run", "images/arm/hello.elf", "--machine", "tc2", "--bios", fw], mentions: [fw, "--bios", "tc2", "rv64"])
    }

    func testPayloadOverlappingTheFirmware() throws {
        // images/riscv/hello.elf sits at 0x80000000, where this firmware is too.
        let fw = try firmwareELF("j _start", at: 0x8000_0000)
        let payload = CLI.root.appendingPathComponent("images/riscv/hello.elf").path
        try expectInputError(["run", payload, "--machine", "virt-riscv", "--bios", fw], mentions: [payload, "overlaps the firmware", fw])
    }

    /// A firmware ELF of seeded pseudo-random bytes (fixed seed: the same file every run) on
    /// every hart of a 4-hart machine ends as a finding, a budget or an exit — never as a host
    /// crash — and says so in its report.
    func testGarbageFirmwareNeverCrashesTheHost() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15   // splitmix64, fixed seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for round in 0..<2 {
            var words: [String] = []
            for _ in 0..<2048 { words.append("0x" + String(next() & 0xFFFF_FFFF, radix: 16)) }
            let source = ".word " + words.joined(separator: ", ")
            let fw = try firmwareELF(source, at: 0x8000_0000)
            let r = try CLI.run(["run", Self.payload, "--machine", "virt-riscv", "--smp", "4", "--bios", fw,
                                 "--max-instructions", "1000000"])
            XCTAssertTrue([0, 1, 3, 4, 5].contains(r.status), "round \(round): exit \(r.status)\n\(r.stdout)\(r.stderr)")
            XCTAssertTrue(r.stdout.contains("== \(Self.payload) on virt-riscv"), "round \(round): no report:\n\(r.stdout)\(r.stderr)")
        }
    }
}
