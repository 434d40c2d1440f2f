import Foundation
import XCTest

/// Every bad input gives one line on stderr naming the file or flag and the problem, exit 2.
final class BadInputTests: XCTestCase {
    private func expectInputError(_ args: [String], mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(args)
        XCTAssertEqual(r.status, 2, "\(args): \(r.stdout)\(r.stderr)", file: file, line: line)
        let errLines = r.stderr.split(separator: "\n")
        XCTAssertEqual(errLines.count, 1, "\(args): want one line, got:\n\(r.stderr)", file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "\(args): \(r.stderr) should mention \(m)", file: file, line: line) }
        XCTAssertTrue(r.stdout.isEmpty, "nothing half-written: \(r.stdout)", file: file, line: line)
    }

    private func temp(_ name: String, _ contents: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-bad-\(UUID().uuidString)-\(name)")
        try contents.write(to: url)
        return url.path
    }

    /// `--inject`: each mistake names the flag's value and what was expected.
    func testBadInjections() throws {
        let hello = "images/arm/hello.elf"
        for (fault, mentions) in [
            ("cpu2", ["--inject 'cpu2'", "TARGET:ACTION"]),
            ("core2:drop-ipi", ["'core2' is not a target", "cpuN or hartN"]),
            ("cpu9:drop-ipi", ["no CPU 9", "CPUs 0-4"]),
            ("cpu2:stall-on-write=HSCTRL.M", ["no register 'HSCTRL'", "HSCTLR"]),
            ("cpu2:stall-on-write=HSCTLR.Q", ["HSCTLR has no field 'Q'", "M, A, C"]),
            ("cpu2:stall-on-write=HSCTLR.M=2", ["2 does not fit in HSCTLR.M"]),
            ("cpu2:stall-on-write=HSCTLR=1", ["a value needs a field"]),
            ("cpu2:stall-after=zero", ["'zero' is not a positive instruction count"]),
            ("cpu2:explode", ["unknown action 'explode'"]),
        ] {
            try expectInputError(["run", hello, "--machine", "tc2", "--inject", fault], mentions: mentions)
        }
        // RISC-V names: CSRs, not CP15 registers.
        try expectInputError(["run", "images/riscv/hello.elf", "--machine", "virt-riscv", "--inject", "hart0:stall-on-write=HSCTLR.M"],
                             mentions: ["no register 'HSCTLR' on rv64 cores", "satp"])
    }

    func testTextFileIsNotAnELF() throws {
        let path = try temp("notes.txt", Data("hello\n".utf8))
        try expectInputError(["run", path, "--machine", "tc2"], mentions: [path, "ELF"])
    }

    func testRISCVImageOnTC2() throws {
        let path = CLI.root.appendingPathComponent("Tests/ImagesTests/Fixtures/riscv64-tiny.elf").path
        try expectInputError(["run", path, "--machine", "tc2"], mentions: ["riscv64-tiny.elf", "RISC-V"])
    }

    func testSegmentOutsideRAM() throws {
        let src = try CLI.buildImage("b _start")
        // Relink the same object at 0x00001000, where TC2 has no RAM.
        let obj = src.replacingOccurrences(of: ".elf", with: ".o"), out = src.replacingOccurrences(of: ".elf", with: "-low.elf")
        try CLI.tool("ld.lld", ["-N", "--image-base=0", "-Ttext=0x1000", "-e", "_start", obj, "-o", out])
        try expectInputError(["run", out, "--machine", "tc2"], mentions: ["-low.elf", "outside RAM"])
    }

    func testTruncatedELF() throws {
        let full = try Data(contentsOf: CLI.root.appendingPathComponent("images/arm/hello.elf"))
        let path = try temp("trunc.elf", full.prefix(full.count / 2))
        try expectInputError(["run", path, "--machine", "tc2"], mentions: ["trunc.elf"])
    }

    func testUnknownMachine() throws {
        try expectInputError(["run", "images/arm/hello.elf", "--machine", "tc3"], mentions: ["tc3"])
    }

    func testSMPOutOfRange() throws {
        try expectInputError(["run", "images/arm/hello.elf", "--machine", "vexpress-a15", "--smp", "9"], mentions: ["--smp", "9"])
    }

    /// virt-arm's QEMU-style options: a bad value, an unknown profile or option, too many
    /// cores — each named with what was expected, before anything runs.
    func testBadVirtARMOptions() throws {
        for (machine, words) in [("virt-arm,virtualization=maybe", ["virtualization=maybe", "virtualization=on or virtualization=off"]),
                                 ("virt-arm,cpus=cortex-a99*2", ["cortex-a99", "cortex-a7"]),
                                 ("virt-arm,cpus=cortex-a15*9", ["9 cores", "1 to 8"]),
                                 ("virt-arm,gic-version=3", ["gic-version", "virtualization, secure"]),
                                 ("virt-arm,cpus=cortex-a7+cortex-a15*x", ["cortex-a15*x", "not a count"])] {
            try expectInputError(["run", "images/arm/hello.elf", "--machine", machine], mentions: ["virt-arm"] + words)
        }
    }

    func testBadFlag() throws {
        try expectInputError(["run", "images/arm/hello.elf", "--machine", "tc2", "--quantum", "many"], mentions: ["quantum"])
    }

    /// A copy of cpu-profiles with one core file altered.
    private func profilesWith(core: String, edit: (String) -> String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-profiles-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("cpu-profiles"), to: dir)
        let file = dir.appendingPathComponent("cores/\(core).toml")
        try edit(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
        return dir.path
    }

    func testProfileWithUnknownKey() throws {
        let dir = try profilesWith(core: "cortex-a7") { $0 + "\nfrobnicate = 1\n" }
        try expectInputError(["run", "images/arm/hello.elf", "--machine", "tc2", "--profiles", dir],
                             mentions: ["cortex-a7.toml", "frobnicate"])
    }

    func testProfileWithWrongType() throws {
        let dir = try profilesWith(core: "cortex-a7") { $0.replacingOccurrences(of: "name = \"cortex-a7\"", with: "name = 7") }
        try expectInputError(["run", "images/arm/hello.elf", "--machine", "tc2", "--profiles", dir],
                             mentions: ["cortex-a7.toml", "name"])
    }

    func testProfileWithoutMIDR() throws {
        let dir = try profilesWith(core: "cortex-a7") { text in
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("MIDR") }.joined(separator: "\n")
        }
        try expectInputError(["run", "images/arm/hello.elf", "--machine", "tc2", "--profiles", dir],
                             mentions: ["cortex-a7.toml", "MIDR"])
    }

    // MARK: RISC-V images and profiles

    func testRISCVSegmentOutsideMemory() throws {
        let elf = try CLI.buildRISCVImage("j _start")
        // Relink at 0x40000000, where virt-riscv has nothing (QEMU's PCIe window, not modelled).
        let obj = elf.replacingOccurrences(of: ".elf", with: ".o"), out = elf.replacingOccurrences(of: ".elf", with: "-pcie.elf")
        try CLI.tool("ld.lld", ["-N", "-Ttext=0x40000000", "-e", "_start", obj, "-o", out])
        try expectInputError(["run", out, "--machine", "virt-riscv"], mentions: ["-pcie.elf", "0x40000000"])
    }

    func testTruncatedRISCVELF() throws {
        let full = try Data(contentsOf: CLI.root.appendingPathComponent("images/riscv/hello.elf"))
        let path = try temp("rv-trunc.elf", full.prefix(full.count / 3))
        try expectInputError(["run", path, "--machine", "virt-riscv"], mentions: ["rv-trunc.elf"])
    }

    func testRV32ImageOnAnRV64Machine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-rv32-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let src = dir.appendingPathComponent("t.S"), obj = dir.appendingPathComponent("t.o").path
        let elf = dir.appendingPathComponent("rv32.elf").path
        try ".text\n.globl _start\n_start:\nj _start\n".write(to: src, atomically: true, encoding: .utf8)
        try CLI.tool("clang", ["--target=riscv32-unknown-elf", "-march=rv32imac", "-c", src.path, "-o", obj])
        try CLI.tool("ld.lld", ["-N", "-Ttext=0x80000000", "-e", "_start", obj, "-o", elf])
        try expectInputError(["run", elf, "--machine", "virt-riscv"], mentions: ["rv32.elf"])
    }

    func testHartsOptionNamingAnUnknownProfile() throws {
        try expectInputError(["run", "images/riscv/hello.elf", "--machine", "virt-riscv,harts=rv64gch*2+nosuch-hart"],
                             mentions: ["nosuch-hart"])
    }

    func testRISCVSMPOutOfRange() throws {
        try expectInputError(["run", "images/riscv/hello.elf", "--machine", "virt-riscv", "--smp", "9"], mentions: ["--smp", "9"])
    }

    func testRISCVProfileWhoseMisaContradictsItsExtensions() throws {
        // Drop D from misa (bit 3) while isa-extensions still lists "d".
        let dir = try profilesWith(core: "rv64gch") {
            $0.replacingOccurrences(of: "misa      = \"0x80000000001411AD\"", with: "misa      = \"0x80000000001411A5\"")
        }
        try expectInputError(["run", "images/riscv/hello.elf", "--machine", "virt-riscv", "--profiles", dir],
                             mentions: ["rv64gch.toml", "misa"])
    }

    func testRISCVProfileWithWrongType() throws {
        let dir = try profilesWith(core: "sifive-u74") {
            $0.replacingOccurrences(of: "pmp-entries", with: "pmp-entries = \"eight\"\n# was: pmp-entries")
        }
        try expectInputError(["run", "images/riscv/hello.elf", "--machine", "fu740", "--profiles", dir],
                             mentions: ["sifive-u74.toml", "pmp-entries"])
    }

    func testRISCVProfileWithUnknownMMUMode() throws {
        let dir = try profilesWith(core: "rv64gch") {
            $0.replacingOccurrences(of: "mmu-modes       = [\"sv39\", \"sv48\", \"sv57\"]", with: "mmu-modes       = [\"sv39\", \"sv42\"]")
        }
        try expectInputError(["run", "images/riscv/hello.elf", "--machine", "virt-riscv", "--profiles", dir],
                             mentions: ["rv64gch.toml", "sv42"])
    }
}
