import Foundation
import TOMLKit
import XCTest

/// Every case of `images/manifest.toml` runs through the command line and ends as the
/// manifest says, printing its expected console lines in order.
final class ManifestTests: XCTestCase {
    struct Case {
        var image: String
        var path: String
        var machine: String
        var smp: Int?
        /// `--bios`: none, sbi or a firmware file.
        var bios: String?
        var outcome: String
        /// `--max-instructions`; required for outcome "budget".
        var maxInstructions: Int?
        var console: [String]
        /// `--inject` faults, in order.
        var inject: [String]
        /// The finding a "hang" case must report.
        var finding: FindingExpectation?
    }

    struct FindingExpectation {
        var kind: String
        var cores: [Int]
        var symbol: String?
        var contains: [String]
    }

    static func cases() throws -> [Case] {
        let url = CLI.root.appendingPathComponent("images/manifest.toml")
        let table = try TOMLTable(string: try String(contentsOf: url, encoding: .utf8))
        var cases: [Case] = []
        for image in table["image"]?.array?.compactMap({ $0.table }) ?? [] {
            let name = image["name"]?.string ?? "?"
            let path = "images/" + (image["path"]?.string ?? "")
            for c in image["case"]?.array?.compactMap({ $0.table }) ?? [] {
                cases.append(Case(image: name, path: path, machine: c["machine"]?.string ?? "",
                                  smp: c["smp"]?.int, bios: c["bios"]?.string, outcome: c["outcome"]?.string ?? "",
                                  maxInstructions: c["max-instructions"]?.int,
                                  console: c["console"]?.array?.compactMap { $0.string } ?? [],
                                  inject: c["inject"]?.array?.compactMap { $0.string } ?? [],
                                  finding: c["finding"]?.table.map { f in
                                      FindingExpectation(kind: f["kind"]?.string ?? "", cores: f["cores"]?.array?.compactMap { $0.int } ?? [],
                                                         symbol: f["symbol"]?.string,
                                                         contains: f["contains"]?.array?.compactMap { $0.string } ?? [])
                                  }))
            }
        }
        return cases
    }

    func testManifestListsEveryImageInTheTree() throws {
        let listed = Set(try Self.cases().map(\.path))
        for isa in ["arm", "riscv"] {
            let dir = CLI.root.appendingPathComponent("images/\(isa)")
            let elfs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".elf") }
            // bench.elf (10⁹ instructions) is measured by Benchmarks/, and the QEMU shim is QEMU-only.
            for elf in elfs where !["bench.elf", "qemu-tc2-shim.elf"].contains(elf) {
                XCTAssertTrue(listed.contains("images/\(isa)/\(elf)"), "images/\(isa)/\(elf) has no manifest case")
            }
        }
    }

    func testEveryManifestCase() throws {
        let cases = try Self.cases()
        XCTAssertGreaterThan(cases.count, 10)
        for c in cases {
            // "pass": SYS_EXIT success (exit 0); "budget": no progress, stopped by
            // --max-instructions (exit 4); "hang": the diagnosis stopped the run (exit 3) with
            // the finding the case describes.
            let statuses = ["pass": Int32(0), "budget": 4, "hang": 3]
            guard let status = statuses[c.outcome] else {
                XCTFail("\(c.image): unknown outcome '\(c.outcome)'")
                continue
            }
            if c.outcome == "budget" {
                XCTAssertNotNil(c.maxInstructions, "\(c.image): a 'budget' case needs max-instructions")
            }
            XCTAssertEqual(c.outcome == "hang", c.finding != nil, "\(c.image): a 'hang' case, and only it, gives a finding")
            var args = ["run", c.path, "--machine", c.machine, "--format", "json"]
            for fault in c.inject { args += ["--inject", fault] }
            if let smp = c.smp { args += ["--smp", String(smp)] }
            if let budget = c.maxInstructions { args += ["--max-instructions", String(budget)] }
            if let bios = c.bios { args += ["--bios", bios] }
            let label = "\(c.image) on \(c.machine)\(c.smp.map { " smp \($0)" } ?? "")\(c.bios.map { " --bios \($0)" } ?? "")"
            if let bios = c.bios, bios != "none", bios != "sbi", !FileManager.default.fileExists(atPath: bios) {
                print("SKIPPED manifest case \(label): the firmware file \(bios) is not installed (Debian package opensbi)")
                continue
            }
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, status, "\(label):\n\(r.stdout)\(r.stderr)")
            guard let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
                XCTFail("\(label): no JSON report:\n\(r.stdout)\(r.stderr)")
                continue
            }
            XCTAssertEqual(report["injected"] as? [String], c.inject, label)
            let findings = report["findings"] as? [[String: Any]] ?? []
            if let expected = c.finding {
                let found = findings.first { $0["kind"] as? String == expected.kind }
                XCTAssertNotNil(found, "\(label): no \(expected.kind) finding in \(findings)")
                if let f = found {
                    XCTAssertEqual(f["cores"] as? [Int], expected.cores, "\(label): cores of \(f)")
                    if let symbol = expected.symbol { XCTAssertEqual(f["symbol"] as? String, symbol, "\(label): \(f)") }
                    let summary = f["summary"] as? String ?? ""
                    for part in expected.contains {
                        XCTAssertTrue(summary.contains(part), "\(label): summary lacks \"\(part)\": \(summary)")
                    }
                    XCTAssertEqual(f["injected"] as? [String], c.inject, label)
                }
            }
            var remaining = QEMU.splitLines(report["console"] as? String ?? "")[...]   // OpenSBI writes CR LF

            for expected in c.console {
                guard let at = remaining.firstIndex(of: expected) else {
                    XCTFail("\(label): line \"\(expected)\" missing or out of order in:\n\(r.stdout)")
                    break
                }
                remaining = remaining[(at + 1)...]
            }
        }
    }
}
