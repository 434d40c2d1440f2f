import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `hetboot check`: the compatibility report of issue 5's acceptance, through the command line.
final class CheckCommandTests: XCTestCase {
    private func json(_ args: [String], status: Int32, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let r = try CLI.run(["check"] + args + ["--format", "json"])
        XCTAssertEqual(r.status, status, r.stdout + r.stderr, file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout, file: file, line: line)
    }

    private func cores(_ report: [String: Any]) -> [[String: Any]] { report["cores"] as? [[String: Any]] ?? [] }
    private func verdict(_ report: [String: Any]) -> [String: Any] { report["verdict"] as? [String: Any] ?? [:] }
    private func differences(_ report: [String: Any]) -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: (report["differences"] as? [[String: Any]] ?? []).map {
            ($0["register"] as? String ?? "", $0["untrapped"] as? Bool ?? false)
        })
    }

    /// Acceptance 1, linux-3.9: A15s accepted, A7s refused, the per-CPU verdict of a model that
    /// checks the current CPU, mask 0-1, and the differing registers with their trap status.
    func testTC2UnderLinux39() throws {
        let r = try json(["--machine", "tc2", "--kernel", "linux-3.9"], status: 1)
        XCTAssertEqual(cores(r).map { $0["accepted"] as? Bool }, [true, true, false, false, false])
        XCTAssertEqual(cores(r)[0]["reason"] as? String, "KVM_ARM_TARGET_CORTEX_A15")
        XCTAssertTrue((cores(r)[2]["reason"] as? String ?? "").contains("Cortex-A7 is not a linux-3.9 target"))
        XCTAssertEqual((cores(r)[2]["identity"] as? [[String: String]])?.map { $0["value"] ?? "" },
                       ["0x410FC075", "ARM (0x41)", "Cortex-A7 (0xC07)", "r0p5", "0x80000100"])
        XCTAssertEqual(cores(r).map { $0["hypInit"] as? String }, Array(repeating: "ok", count: 5))
        XCTAssertEqual(r["kvmMask"] as? String, "0-1")
        XCTAssertEqual(verdict(r)["summary"] as? String,
                       "linux-3.9 checks only the CPU kvm_arch_init runs on: accepted if the check runs on CPUs 0-1 (cortex-a15), refused if it runs on CPUs 2-4 (cortex-a7)")
        let perCPU = verdict(r)["perCPU"] as? [[String: Any]] ?? []
        XCTAssertEqual(perCPU.map { $0["accepted"] as? Bool }, [true, true, false, false, false])
        XCTAssertTrue((perCPU[0]["verdict"] as? String ?? "").contains("including CPUs 2-4 (cortex-a7), which are not linux-3.9 targets"))
        XCTAssertEqual(differences(r), ["MIDR": false, "CTR": true, "ID_MMFR0": true, "ID_MMFR1": true,
                                        "CCSIDR (L1D)": true, "CCSIDR (L1I)": true, "CCSIDR (L2)": true])
        XCTAssertEqual((r["commonValues"] as? [[String: Any]])?.map { $0["register"] as? String }, ["ID_MMFR0", "ID_MMFR1"])
        XCTAssertEqual((r["commonValues"] as? [[String: Any]])?.first?["value"] as? String, "0x10101105")
        XCTAssertEqual(r["advice"] as? [String], ["confine vCPU threads to CPUs 0-1 (e.g. taskset -c 0-1, or a cpuset): CPUs 2-4 (cortex-a7) are not usable under linux-3.9"])
    }

    /// Acceptance 1, linux-3.13: every CPU accepted, and the warning about what a migrating
    /// vCPU sees change.
    func testTC2UnderLinux313() throws {
        let r = try json(["--machine", "tc2", "--kernel", "linux-3.13"], status: 0)
        XCTAssertEqual(cores(r).map { $0["accepted"] as? Bool }, Array(repeating: true, count: 5))
        XCTAssertEqual(cores(r)[3]["reason"] as? String, "KVM_ARM_TARGET_CORTEX_A7")
        XCTAssertEqual(r["kvmMask"] as? String, "0-4")
        XCTAssertEqual(verdict(r)["accepted"] as? Bool, true)
        XCTAssertEqual(r["warnings"] as? [String], [
            "a vCPU migrating between CPU 0-1 (cortex-a15) and CPU 2-4 (cortex-a7) sees CTR, ID_MMFR0, ID_MMFR1, CCSIDR (L1D), CCSIDR (L1I), CCSIDR (L2) change: linux-3.13 does not trap them",
        ])
    }

    /// Acceptance 3: a requested affinity outside the mask is refused with the reason; an
    /// overlapping one is cut to the mask; hot-unplug of the A15s leaves no usable CPU.
    func testAffinityAndOffline() throws {
        let refused = try json(["--machine", "tc2", "--kernel", "linux-3.10", "--affinity", "2-4"], status: 1)
        let a = try XCTUnwrap(refused["affinity"] as? [String: Any])
        XCTAssertEqual(a["refused"] as? Bool, true)
        XCTAssertEqual(a["effective"] as? String, "none")
        XCTAssertEqual(a["reason"] as? String, "the requested vCPU affinity 2-4 has no CPU KVM can use (KVM CPU mask 0-1): vCPU threads would run only on CPUs 2-4 (cortex-a7) — refuse, as KVM should")
        XCTAssertTrue((verdict(refused)["summary"] as? String ?? "").hasPrefix("KVM refuses: CPUs 2-4 (cortex-a7): not supported"))
        let cut = try json(["--machine", "tc2", "--kernel", "linux-3.13", "--affinity", "1-2"], status: 0)
        XCTAssertEqual((cut["affinity"] as? [String: Any])?["effective"] as? String, "1-2")
        let offline = try json(["--machine", "tc2", "--kernel", "linux-3.9", "--offline", "0-1"], status: 1)
        let o = try XCTUnwrap(offline["affinity"] as? [String: Any])
        XCTAssertEqual(o["refused"] as? Bool, true)
        XCTAssertTrue((o["reason"] as? String ?? "").contains("with CPUs 0-1 offline: vCPU threads would run only on CPUs 2-4 (cortex-a7)"), "\(o)")
    }

    /// Acceptance 2: the mixed virt machine refuses and names the harts without H; fu740
    /// excludes the S7 monitor hart and refuses for lack of H.
    func testRISCVMachines() throws {
        let mixed = try json(["--machine", "virt-riscv-mixed-h"], status: 1)
        XCTAssertEqual((mixed["kernel"] as? [String: Any])?["name"] as? String, "linux-riscv")
        XCTAssertEqual(verdict(mixed)["summary"] as? String, "KVM refuses: harts 2-3 (sifive-u74): no H extension")
        XCTAssertEqual(cores(mixed).map { $0["hypAvailable"] as? Bool }, [true, true, false, false])
        XCTAssertEqual(mixed["kvmMask"] as? String, "0-1")
        let fu740 = try json(["--machine", "fu740"], status: 1)
        XCTAssertTrue((cores(fu740)[0]["excluded"] as? String ?? "").hasPrefix("no S-mode"))
        XCTAssertEqual(fu740["kvmMask"] as? String, "none")
        XCTAssertTrue((verdict(fu740)["summary"] as? String ?? "").hasPrefix("KVM refuses: harts 1-4 (sifive-u74): no H extension (hart 0 (sifive-s7) excluded: no S-mode"))
        let virt = try json(["--machine", "virt-riscv", "--smp", "2"], status: 0)
        XCTAssertEqual(cores(virt).map { ($0["features"] as? [[String: String]])?.first { $0["name"] == "G-stage mode" }?["value"] }, ["sv57x4", "sv57x4"])
    }

    /// virt-arm: the probe built for its memory map; without EL2 there is no Hyp mode.
    func testVirtARM() throws {
        let mixed = try json(["--machine", "virt-arm,virtualization=on,cpus=cortex-a15*2+cortex-a7*2", "--kernel", "linux-3.10"], status: 1)
        XCTAssertEqual(cores(mixed).map { $0["accepted"] as? Bool }, [true, true, false, false])
        XCTAssertEqual(cores(mixed).map { $0["hypInit"] as? String }, ["ok", "ok", "ok", "ok"])
        XCTAssertEqual(mixed["kvmMask"] as? String, "0-1")
        let plain = try json(["--machine", "virt-arm", "--kernel", "linux-3.10"], status: 1)
        XCTAssertEqual(cores(plain).first?["reason"] as? String,
                       "a target (KVM_ARM_TARGET_CORTEX_A15) but Hyp mode is not available: no Virtualization Extensions (ID_PFR1.Virtualization = 0)")
    }

    /// A probe that never finishes (an injected stall on the HSCTLR write) is a failed Hyp init
    /// with the hang diagnosis, and the core leaves the mask.
    func testInjectedStallShowsTheDiagnosis() throws {
        let r = try json(["--machine", "tc2", "--kernel", "linux-3.13", "--inject", "cpu2:stall-on-write=HSCTLR.M"], status: 1)
        XCTAssertEqual(r["kvmMask"] as? String, "0-1,3-4")
        XCTAssertEqual(r["injected"] as? [String], ["cpu2:stall-on-write=HSCTLR.M"])
        XCTAssertTrue((cores(r)[2]["hypInit"] as? String ?? "").hasPrefix("failed: the probe hung — [hang] CPU 2 (cortex-a7) stalled at probe_hsctlr_write in HYP mode"), "\(cores(r)[2])")
    }

    /// Acceptance 3: the JSON output validates against the schema the README documents.
    func testJSONValidatesAgainstTheDocumentedSchema() throws {
        let readme = try String(contentsOf: CLI.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "this\nJSON Schema is what the test suite validates the output against:\n\n```json\n"))
        let end = try XCTUnwrap(readme.range(of: "\n```", range: start.upperBound..<readme.endIndex))
        let schema = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(readme[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
        for args in [["--machine", "tc2", "--kernel", "linux-3.9"], ["--machine", "tc2", "--kernel", "linux-3.10", "--affinity", "2-4"],
                     ["--machine", "fu740"], ["--machine", "virt-riscv-mixed-h", "--offline", "0"]] {
            let r = try CLI.run(["check"] + args + ["--format", "json"])
            let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
            XCTAssertEqual(JSONSchema.errors(doc, schema), [], "\(args)")
        }
        // The validator catches what it must: a missing key, a wrong type, an unknown key.
        XCTAssertFalse(JSONSchema.errors(["schema": "hetboot-check/1"], schema).isEmpty)
        var doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try CLI.run(["check", "--machine", "tc2", "--format", "json"]).stdout.utf8)) as? [String: Any])
        doc["kvmMask"] = 3
        XCTAssertEqual(JSONSchema.errors(doc, schema), ["$.kvmMask: expected string"])
        doc["kvmMask"] = "0-1"
        doc["extra"] = true
        XCTAssertEqual(JSONSchema.errors(doc, schema), ["$.extra: not allowed"])
    }

    func testMarkdownAndJUnit() throws {
        let md = try CLI.run(["check", "--machine", "tc2", "--kernel", "linux-3.9", "--format", "markdown"])
        XCTAssertTrue(md.stdout.contains("| 2 | cortex-a7 | MIDR 0x410FC075, implementer ARM (0x41), part Cortex-A7 (0xC07), revision r0p5, MPIDR 0x80000100 | yes | ok | ❌ not supported"), md.stdout)
        XCTAssertTrue(md.stdout.contains("**KVM CPU mask:** `0-1`"))
        let junit = try CLI.run(["check", "--machine", "fu740", "--format", "junit"])
        XCTAssertEqual(junit.status, 1)
        let xml = try XMLDocument(xmlString: junit.stdout)
        let suite = try XCTUnwrap(try xml.nodes(forXPath: "/testsuites/testsuite").first as? XMLElement)
        XCTAssertEqual(suite.attribute(forName: "tests")?.stringValue, "6")
        XCTAssertEqual(suite.attribute(forName: "failures")?.stringValue, "5")
        XCTAssertEqual(suite.attribute(forName: "skipped")?.stringValue, "1")
    }

    /// The same check twice gives the same bytes (each probe run is a deterministic run).
    func testDeterministic() throws {
        for machine in ["tc2", "virt-riscv-mixed-h"] {
            let a = try CLI.run(["check", "--machine", machine, "--format", "json"])
            let b = try CLI.run(["check", "--machine", machine, "--format", "json"])
            XCTAssertEqual(a.stdout, b.stdout, machine)
            XCTAssertFalse(a.stdout.isEmpty)
        }
    }

    func testBadInput() throws {
        for (args, mention) in [(["--machine", "tc2", "--kernel", "linux-9.9"], "no kernel model \"linux-9.9\""),
                                (["--machine", "tc2", "--kernel", "linux-riscv"], "models rv64 kernels; machine tc2 is armv7-a"),
                                (["--machine", "tc2", "--affinity", "5"], "--affinity '5': CPU 5 does not exist"),
                                (["--machine", "tc2", "--offline", "x"], "--offline 'x'"),
                                (["--machine", "tc2", "--format", "pdf"], "pdf"),
                                (["--machine", "tc2", "--inject", "cpu1:stall-at=nowhere"], "no symbol 'nowhere'")] {
            let r = try CLI.run(["check"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stdout)\(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(mention), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
    }
}

/// A JSON Schema validator for the subset the README's check schema uses: type, properties,
/// required, additionalProperties: false, items, enum.
enum JSONSchema {
    static func errors(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
        if let type = schema["type"] as? String, !matches(value, type) { return ["\(path): expected \(type)"] }
        var out: [String] = []
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            out.append("\(path): \(value) not in \(allowed)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { out.append("\(path).\(key): missing") }
            for (key, v) in object.sorted(by: { $0.key < $1.key }) {
                if let sub = properties[key] as? [String: Any] {
                    out += errors(v, sub, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    out.append("\(path).\(key): not allowed")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, v) in array.enumerated() { out += errors(v, items, at: "\(path)[\(i)]") }
        }
        return out
    }

    static func matches(_ value: Any, _ type: String) -> Bool {
        // JSONSerialization gives Bool for true/false (NSNumber-backed booleans on Darwin).
        let isBool = Swift.type(of: value) == Bool.self || String(describing: Swift.type(of: value)).contains("Boolean")
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBool
        case "integer": return !isBool && (value is Int || (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false)
        case "null": return value is NSNull
        default: return false
        }
    }
}
