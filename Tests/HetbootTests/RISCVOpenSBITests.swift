import Foundation
import XCTest

/// Debian's OpenSBI 1.1 fw_dynamic as `--bios FILE` with `images/riscv/smp-hsm.elf` as its
/// payload: OpenSBI's banner, then the payload's lines from every hart — the same lines, apart
/// from the SBI implementation line, as under hetboot's built-in SBI (the manifest's `--bios sbi`
/// cases). These run on the reduced profiles (ReducedProfiles: no F/D/H); the manifest's OpenSBI
/// cases run the same on the real rv64gch and sifive-u74 once hetboot has F/D and H.
final class RISCVOpenSBITests: XCTestCase {
    static let image = "images/riscv/smp-hsm.elf"
    static let openSBIBase = "smp-hsm: SBI spec 1.0, implementation 0x1 version 0x10001"

    override func setUpWithError() throws {
        guard DebianOpenSBI.installed else {
            throw XCTSkip("Debian's opensbi package is not installed (\(DebianOpenSBI.directory)): OpenSBI runs skipped")
        }
    }

    /// The console lines of the manifest's built-in-SBI case on `machine`, with the BASE line
    /// of OpenSBI 1.1 instead of hetboot's.
    private func expectedPayloadLines(machine: String) throws -> [String] {
        let c = try XCTUnwrap(ManifestTests.cases().first { $0.image == "riscv-smp-hsm" && $0.machine == machine && $0.bios == "sbi" },
                              "the manifest has no --bios sbi case of smp-hsm on \(machine)")
        return c.console.map { $0.hasPrefix("smp-hsm: SBI spec ") ? Self.openSBIBase : $0 }
    }

    private func run(_ machine: String, firmware: String, extra: [String] = []) throws -> (r: CLI.Result, console: [String]) {
        let r = try CLI.run(["run", Self.image, "--profiles", ReducedProfiles.directory, "--machine", machine,
                             "--bios", firmware] + extra)
        var console: [String] = []
        for line in r.textLines {
            if line.hasPrefix("== ") { break }
            console.append(line)
        }
        return (r, console)
    }

    private func payloadLines(_ console: [String]) -> [String] {
        console.filter { $0.hasPrefix("smp-hsm: ") || $0.range(of: #"^hart[0-9]+: "#, options: .regularExpression) != nil }
    }

    func testVirtRISCVFourHartsRawBin() throws {
        let (r, console) = try run("virt-riscv,harts=rv64imac-su*4", firmware: DebianOpenSBI.bin)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(console.contains("OpenSBI v1.1"), r.stdout)
        XCTAssertTrue(console.contains("Platform HART Count       : 4"), r.stdout)
        XCTAssertTrue(console.contains("Domain0 Next Address      : 0x0000000080200000"), r.stdout)
        let sbiCase = try expectedPayloadLines(machine: "virt-riscv")
        XCTAssertEqual(payloadLines(console), sbiCase)
        XCTAssertTrue(r.stdout.contains("exited with code 0 (sifive_test: pass)"), r.stdout)
    }

    func testVirtRISCVOneHartELF() throws {
        let (r, console) = try run("virt-riscv,harts=rv64imac-su", firmware: DebianOpenSBI.elf)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(console.contains("OpenSBI v1.1"), r.stdout)
        XCTAssertEqual(payloadLines(console), [
            "smp-hsm: boot hart 0 entered in S-mode", Self.openSBIBase,
            "smp-hsm: probe_extension: TIME IPI RFENCE HSM SRST present",
            "smp-hsm: DTB lists 1 harts; enabled: 0",
            "smp-hsm: hart 0 status STARTED",
            "smp-hsm: no other hart enabled: IPI and hart_stop checks skipped",
            "smp-hsm: all checks passed",
        ])
    }

    func testVirtRISCVWithACLINTSSWI() throws {
        let (r, console) = try run("virt-riscv,aclint=on,harts=rv64imac-su*4", firmware: DebianOpenSBI.bin)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(payloadLines(console), try expectedPayloadLines(machine: "virt-riscv,aclint=on"))
    }

    /// OpenSBI's generic platform leaves the S7 (hart 0: no S-mode, its cpu node disabled) out
    /// of its harts and hangs it in sbi_hart_hang's WFI loop; harts 1–4 boot the payload.
    func testFU740ParksTheS7() throws {
        let (r, console) = try run("fu740", firmware: DebianOpenSBI.elf)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(console.contains("OpenSBI v1.1"), r.stdout)
        XCTAssertTrue(console.contains("Domain0 HARTs             : 1*,2*,3*,4*"), r.stdout)
        XCTAssertTrue(console.contains("Boot HART ID              : 1"), r.stdout)
        XCTAssertEqual(payloadLines(console), try expectedPayloadLines(machine: "fu740"))
        // The S7 is reported asleep in M-mode, not as a hang of the run.
        let s7 = try XCTUnwrap(r.lines.first { $0.hasPrefix("0 ") && $0.contains("sifive-s7") }, r.stdout)
        XCTAssertTrue(s7.contains(" M ") && s7.hasSuffix("sleeping in WFI"), s7)
        XCTAssertFalse(r.stdout.contains("[hang]"), r.stdout)
    }

    /// Same firmware, same payload, same machine: the same bytes, run after run.
    func testDeterministic() throws {
        let a = try run("virt-riscv,harts=rv64imac-su*2", firmware: DebianOpenSBI.bin)
        let b = try run("virt-riscv,harts=rv64imac-su*2", firmware: DebianOpenSBI.bin)
        XCTAssertEqual(a.r.status, 0, a.r.stdout)
        XCTAssertEqual(a.r.stdout, b.r.stdout)
    }
}
