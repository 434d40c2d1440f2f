import Analysis
import Foundation

/// Renders a `CheckReport`: text for people, JSON for tools (the keys are documented in the
/// README and stable), Markdown for pull requests and wikis, JUnit XML for CI dashboards.
public enum CheckReportFormat {
    public static func text(_ r: CheckReport) -> String {
        var out = "== hetboot check: \(r.machine) under \(r.kernel) ==\n\(r.kernelDescription)\n\n"
        let arm = r.architecture == "armv7-a"
        let header = arm ? ["cpu", "profile", "MIDR", "part", "rev", "Hyp", "hyp-init", "KVM target"]
                         : ["hart", "profile", "mvendorid", "marchid", "mimpid", "H", "hyp-init", "KVM"]
        var rows = [header]
        for c in r.cores {
            let id = Dictionary(c.identity, uniquingKeysWith: { a, _ in a })
            let verdict = c.excluded != nil ? "excluded: \(c.excluded ?? "")" : (c.accepted ? "accepted: \(c.reason)" : "refused: \(c.reason)")
            let hyp = c.excluded != nil ? "-" : (c.hypAvailable ? (arm ? "available" : "yes") : (arm ? "absent" : "no"))
            let initText = c.hypInit.hasPrefix("failed") ? "failed" : c.hypInit
            rows.append(arm ? [String(c.cpu), c.profile, id["MIDR"] ?? "?", shortPart(id["part"]), id["revision"] ?? "?", hyp, initText, verdict]
                            : [String(c.cpu), c.profile, id["mvendorid"] ?? "-", id["marchid"] ?? "-", id["mimpid"] ?? "-", hyp, initText, verdict])
        }
        out += RunReport.table(rows)
        for c in r.cores where c.hypInit.hasPrefix("failed") {
            out += "  \(arm ? "CPU" : "hart") \(c.cpu) hyp-init \(c.hypInit)\n"
        }
        out += "\nverdict: \(r.verdict)\n"
        for v in r.perCPUVerdicts { out += "  \(v.verdict)\n" }
        out += "KVM CPU mask: \(r.kvmMask)\n"
        if !r.differences.isEmpty {
            out += "\ndiffering between cores:\n"
            out += RunReport.table(r.differences.map { d in
                ["  " + d.register, grouped(d.values, word: arm ? "CPU" : "hart"), d.guestView]
            })
        }
        if !r.commonValues.isEmpty {
            out += "\nleast common denominator (each 4-bit field's lowest value):\n"
            for v in r.commonValues { out += "  \(v.register) = \(v.value): \(v.fields.joined(separator: "; "))\n" }
        }
        out += "\nfeatures:\n"
        for c in r.cores where c.excluded == nil {
            out += "  \(arm ? "CPU" : "hart") \(c.cpu): " + c.features.map { "\($0.0) \($0.1)" }.joined(separator: "; ") + "\n"
        }
        for w in r.warnings { out += "warning: \(w)\n" }
        for a in r.advice { out += "advice: \(a)\n" }
        if let a = r.affinity {
            out += "affinity: \(a.refused ? "REFUSED — " : "")\(a.reason)\n"
        }
        if !r.injected.isEmpty { out += "injected faults: \(r.injected.joined(separator: ", "))\n" }
        return out
    }

    /// "CPU 0-1 0x8444C004, CPU 2-4 0x84448003"
    static func grouped(_ values: [(cpu: Int, value: String)], word: String) -> String {
        var groups: [(value: String, cpus: [Int])] = []
        for v in values {
            if let i = groups.firstIndex(where: { $0.value == v.value }) { groups[i].cpus.append(v.cpu) } else { groups.append((v.value, [v.cpu])) }
        }
        return groups.map { "\(word) \(CPUList($0.cpus)) \($0.value)" }.joined(separator: ", ")
    }

    static func shortPart(_ part: String?) -> String {
        guard let part else { return "?" }
        return part.split(separator: " ").first.map(String.init) ?? part
    }

    // MARK: JSON

    struct NameValue: Encodable { var name: String, value: String }
    struct JCore: Encodable {
        var cpu: Int, profile: String, identity: [NameValue], features: [NameValue], hypAvailable: Bool
        var hypInit: String, accepted: Bool, reason: String, excluded: String?
    }
    struct JPerCPU: Encodable { var cpu: Int, accepted: Bool, verdict: String }
    struct JVerdict: Encodable { var accepted: Bool, summary: String, perCPU: [JPerCPU] }
    struct JValue: Encodable { var cpu: Int, value: String }
    struct JDifference: Encodable { var register: String, values: [JValue], untrapped: Bool, guestView: String }
    struct JCommon: Encodable { var register: String, value: String, fields: [String] }
    struct JAffinity: Encodable { var requested: String, offline: String, effective: String, refused: Bool, reason: String }
    struct JKernel: Encodable { var name: String, description: String, checks: String }
    struct JReport: Encodable {
        var schema: String, machine: String, architecture: String, kernel: JKernel, cores: [JCore], verdict: JVerdict
        var kvmMask: String, kvmMaskCPUs: [Int], differences: [JDifference], commonValues: [JCommon]
        var warnings: [String], advice: [String], affinity: JAffinity?, injected: [String], exitCode: Int32
    }

    public static let schemaVersion = "hetboot-check/1"

    public static func json(_ r: CheckReport) -> String {
        let doc = JReport(
            schema: schemaVersion, machine: r.machine, architecture: r.architecture,
            kernel: JKernel(name: r.kernel, description: r.kernelDescription, checks: r.checks),
            cores: r.cores.map { c in
                JCore(cpu: c.cpu, profile: c.profile, identity: c.identity.map { NameValue(name: $0.0, value: $0.1) },
                      features: c.features.map { NameValue(name: $0.0, value: $0.1) }, hypAvailable: c.hypAvailable,
                      hypInit: c.hypInit, accepted: c.accepted, reason: c.reason, excluded: c.excluded)
            },
            verdict: JVerdict(accepted: r.accepted, summary: r.verdict,
                              perCPU: r.perCPUVerdicts.map { JPerCPU(cpu: $0.cpu, accepted: $0.accepted, verdict: $0.verdict) }),
            kvmMask: r.kvmMask.description, kvmMaskCPUs: r.kvmMask.cpus,
            differences: r.differences.map { d in
                JDifference(register: d.register, values: d.values.map { JValue(cpu: $0.cpu, value: $0.value) },
                            untrapped: d.untrapped, guestView: d.guestView)
            },
            commonValues: r.commonValues.map { JCommon(register: $0.register, value: $0.value, fields: $0.fields) },
            warnings: r.warnings, advice: r.advice,
            affinity: r.affinity.map { JAffinity(requested: $0.requested.description, offline: $0.offline.description,
                                                 effective: $0.effective.description, refused: $0.refused, reason: $0.reason) },
            injected: r.injected, exitCode: r.exitCode)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = (try? enc.encode(doc)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: Markdown

    public static func markdown(_ r: CheckReport) -> String {
        let arm = r.architecture == "armv7-a"
        var out = "## hetboot check: `\(r.machine)` under `\(r.kernel)`\n\n\(r.kernelDescription)\n\n"
        out += "| \(arm ? "CPU" : "hart") | profile | identity | Hyp/H | hyp-init | KVM |\n|---|---|---|---|---|---|\n"
        for c in r.cores {
            let identity = c.identity.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            let kvm = c.excluded != nil ? "excluded: \(c.excluded ?? "")" : (c.accepted ? "✅ \(c.reason)" : "❌ \(c.reason)")
            out += "| \(c.cpu) | \(c.profile) | \(identity) | \(c.hypAvailable ? "yes" : "no") | \(escape(c.hypInit)) | \(escape(kvm)) |\n"
        }
        out += "\n**Verdict:** \(escape(r.verdict))\n\n"
        for v in r.perCPUVerdicts { out += "- \(escape(v.verdict))\n" }
        out += "\n**KVM CPU mask:** `\(r.kvmMask)`\n"
        if !r.differences.isEmpty {
            out += "\n| register | values | a vCPU sees |\n|---|---|---|\n"
            for d in r.differences { out += "| \(d.register) | \(grouped(d.values, word: arm ? "CPU" : "hart")) | \(d.guestView) |\n" }
        }
        if !r.commonValues.isEmpty {
            out += "\n| register | least common denominator | fields that differ |\n|---|---|---|\n"
            for v in r.commonValues { out += "| \(v.register) | `\(v.value)` | \(v.fields.joined(separator: "; ")) |\n" }
        }
        out += "\n"
        for w in r.warnings { out += "> ⚠️ \(escape(w))\n\n" }
        for a in r.advice { out += "- Advice: \(escape(a))\n" }
        if let a = r.affinity { out += "- Affinity: \(a.refused ? "**refused** — " : "")\(escape(a.reason))\n" }
        if !r.injected.isEmpty { out += "- Injected faults: \(r.injected.map { "`\($0)`" }.joined(separator: ", "))\n" }
        return out
    }

    static func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    // MARK: JUnit

    /// One test case per core (accepted, or a failure naming why not; excluded cores skipped),
    /// one for the machine verdict, one for a requested affinity.
    public static func junit(_ r: CheckReport) -> String {
        var cases: [(name: String, failure: String?, skipped: String?)] = []
        let word = r.architecture == "armv7-a" ? "cpu" : "hart"
        for c in r.cores {
            let name = "\(word)\(c.cpu) (\(c.profile))"
            if let excluded = c.excluded { cases.append((name, nil, excluded)) } else { cases.append((name, c.accepted ? nil : c.reason, nil)) }
        }
        cases.append(("verdict under \(r.kernel)", r.accepted ? nil : r.verdict, nil))
        if let a = r.affinity { cases.append(("vCPU affinity \(a.requested)", a.refused ? a.reason : nil, nil)) }
        let failures = cases.filter { $0.failure != nil }.count, skipped = cases.filter { $0.skipped != nil }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"hetboot check\" tests=\"\(cases.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\">\n"
        out += "  <testsuite name=\"\(xml("\(r.machine) under \(r.kernel)"))\" tests=\"\(cases.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\">\n"
        for c in cases {
            out += "    <testcase classname=\"\(xml("check.\(r.machine).\(r.kernel)"))\" name=\"\(xml(c.name))\""
            if let f = c.failure {
                out += ">\n      <failure message=\"\(xml(f))\"/>\n    </testcase>\n"
            } else if let s = c.skipped {
                out += ">\n      <skipped message=\"\(xml(s))\"/>\n    </testcase>\n"
            } else {
                out += "/>\n"
            }
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func xml(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
