import Emulator
import Foundation

/// Renders a `RunResult` for people (text) and for tools (JSON).
public enum RunReport {
    /// The per-core table and the findings, printed after the streamed console.
    public static func text(_ r: RunResult) -> String {
        var out = ""
        out += "\n== \(r.image) on \(r.machine): \(describe(r.outcome)) ==\n"
        let hasSecurity = r.cores.contains { $0.security != nil }
        let header = ["cpu", "profile", r.identityName, r.affinityName, "mode"] + (hasSecurity ? ["security"] : [])
            + ["pc", "instructions", "state"]
        let rows = [header] + r.cores.map {
            [String($0.index), $0.profile, $0.identity, $0.affinity, $0.mode] + (hasSecurity ? [$0.security ?? "-"] : [])
                + [$0.pcSymbol, String($0.instructions), $0.state]
        }
        out += table(rows)
        if !r.injected.isEmpty {
            out += "injected faults: " + r.injected.joined(separator: ", ") + "\n"
        }
        if !r.findings.isEmpty {
            out += "findings:\n"
            for f in r.findings {
                out += "  [\(f.kind.rawValue)] \(f.summary)\n"
                if let since = f.instructionCount, !f.chain.isEmpty { out += "    since instruction \(since)\n" }
                for line in f.chain { out += "    \(line)\n" }
                if let t = f.trigger { out += "    trigger: \(t)\n" }
                for c in f.recentEvents where !c.events.isEmpty {
                    out += "    last events of \(r.identityName == "MIDR" ? "CPU" : "hart") \(c.core):\n"
                    for e in c.events { out += "      \(e)\n" }
                }
            }
        }
        out += "instructions retired: \(r.totalInstructions); state hash: 0x\(String(format: "%016llx", r.stateHash))\n"
        return out
    }

    public static func describe(_ o: RunOutcome) -> String {
        switch o {
        case .exited(let code, let reason): return "exited with code \(code) (\(reason))"
        case .reset(let reason): return "reset requested (\(reason))"
        case .budgetExhausted: return "instruction budget exhausted"
        case .hang: return "hang: no core can make progress"
        case .notSupported: return "stopped: the guest used something hetboot does not support yet"
        }
    }

    static func hex(_ v: UInt32) -> String { String(format: "0x%08X", v) }

    public static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for row in rows { for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        return rows.map { row in
            row.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    struct JSONCore: Encodable {
        var cpu: Int, profile: String, identity: String, affinity: String, mode: String, security: String?
        var pc: String, symbol: String, instructions: UInt64, state: String
    }
    struct JSONFinding: Encodable {
        var kind: String, cores: [Int], summary: String, pc: String?, mode: String?, instructionCount: UInt64?
        var symbol: String?, trigger: String?, chain: [String], recentEvents: [JSONCoreEvents], injected: [String]
    }
    struct JSONCoreEvents: Encodable {
        var core: Int, events: [String]
    }
    struct JSONRun: Encodable {
        var image: String, machine: String, outcome: String, exitCode: Int32, console: String, injected: [String]
        var cores: [JSONCore], findings: [JSONFinding], instructions: UInt64, stateHash: String
    }

    public static func json(_ r: RunResult) -> String {
        let doc = JSONRun(
            image: r.image, machine: r.machine, outcome: describe(r.outcome), exitCode: r.outcome.exitCode,
            console: String(decoding: r.console, as: UTF8.self), injected: r.injected,
            cores: r.cores.map { JSONCore(cpu: $0.index, profile: $0.profile, identity: $0.identity, affinity: $0.affinity,
                                          mode: $0.mode, security: $0.security, pc: String(format: "0x%llX", $0.pc),
                                          symbol: $0.pcSymbol, instructions: $0.instructions, state: $0.state) },
            findings: r.findings.map { JSONFinding(kind: $0.kind.rawValue, cores: $0.cores, summary: $0.summary,
                                                  pc: $0.pc.map { hex(UInt32(truncatingIfNeeded: $0)) }, mode: $0.mode,
                                                  instructionCount: $0.instructionCount, symbol: $0.symbol, trigger: $0.trigger,
                                                  chain: $0.chain,
                                                  recentEvents: $0.recentEvents.map { JSONCoreEvents(core: $0.core, events: $0.events) },
                                                  injected: $0.injected) },
            instructions: r.totalInstructions, stateHash: String(format: "0x%016llx", r.stateHash))
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = (try? enc.encode(doc)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
