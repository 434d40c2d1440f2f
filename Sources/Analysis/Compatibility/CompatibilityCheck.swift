import Emulator
import Profiles

/// Evaluates the probe results of every core against a kernel model (DESIGN "The cross-call
/// engine": check every CPU, not whichever one the boot landed on).
public enum CompatibilityCheck {
    public static func evaluate(machine: String, architecture: Architecture, model: KernelModel, runs: [ProbeRun],
                                affinity: CPUList?, offline: CPUList?, injected: [String]) -> CheckReport {
        let cores = runs.map { architecture == .armv7a ? armCore($0, model: model) : riscvCore($0, model: model) }
        // ARM numbers CPUs, RISC-V harts.
        let word = architecture == .armv7a ? "CPU" : "hart"
        let names = { (cs: [CheckReport.Core]) in Self.names(cs, word: word) }
        let candidates = cores.filter { $0.excluded == nil }
        let mask = CPUList(cores.filter { $0.accepted }.map(\.cpu))
        var report = CheckReport(machine: machine, architecture: architecture.rawValue, kernel: model.name,
                                 kernelDescription: model.description, checks: model.checks.rawValue, cores: cores,
                                 accepted: false, verdict: "", perCPUVerdicts: [], kvmMask: mask, differences: [],
                                 commonValues: [], warnings: [], advice: [], affinity: nil, injected: injected)
        let refused = candidates.filter { !$0.accepted }
        switch model.checks {
        case .everyCPU:
            report.accepted = !candidates.isEmpty && refused.isEmpty
            report.verdict = report.accepted
                ? "KVM initialises: every \(word) (\(CPUList(candidates.map(\.cpu)))) is accepted"
                : "KVM refuses: " + groupByReason(refused, word: word).joined(separator: "; ")
        case .currentCPU:
            let others = { (c: Int) in refused.filter { $0.cpu != c } }
            for core in candidates {
                if core.accepted {
                    var v = "accepted if the check runs on CPU \(core.cpu); KVM then initialises Hyp on every CPU"
                    let bad = others(core.cpu)
                    if !bad.isEmpty {
                        v += ", including \(names(bad)), which \(bad.count == 1 ? "is" : "are") not \(model.name) targets (the latent bug)"
                    }
                    report.perCPUVerdicts.append((core.cpu, true, v))
                } else {
                    report.perCPUVerdicts.append((core.cpu, false, "refused if the check runs on CPU \(core.cpu): \(core.reason)"))
                }
            }
            let yes = report.perCPUVerdicts.filter(\.accepted).map(\.cpu)
            let no = report.perCPUVerdicts.filter { !$0.accepted }.map(\.cpu)
            report.accepted = no.isEmpty && !yes.isEmpty
            var parts: [String] = []
            if !yes.isEmpty { parts.append("accepted if the check runs on \(names(cores.filter { yes.contains($0.cpu) }))") }
            if !no.isEmpty { parts.append("refused if it runs on \(names(cores.filter { no.contains($0.cpu) }))") }
            report.verdict = "\(model.name) checks only the CPU kvm_arch_init runs on: " + parts.joined(separator: ", ")
        }
        let excluded = cores.filter { $0.excluded != nil }
        if !excluded.isEmpty {
            report.verdict += " (" + excluded.map { "\(names([$0])) excluded: \($0.excluded ?? "")" }.joined(separator: "; ") + ")"
        }
        report.differences = differences(cores: candidates, runs: runs, architecture: architecture, model: model)
        report.commonValues = architecture == .armv7a ? commonValues(cores: candidates, runs: runs) : []
        // What a migrating vCPU sees: untrapped registers that differ between KVM-capable CPUs.
        let maskRuns = runs.filter { mask.contains($0.core) }
        let moving = report.differences.filter { d in
            d.untrapped && Set(d.values.filter { mask.contains($0.cpu) }.map(\.value)).count > 1
        }
        if !moving.isEmpty {
            let clusters = Dictionary(grouping: maskRuns, by: \.profile).sorted { $0.value[0].core < $1.value[0].core }
                .map { "\(word) \(CPUList($0.value.map(\.core))) (\($0.key))" }
            report.warnings.append("a vCPU migrating between \(clusters.joined(separator: " and ")) sees \(moving.map(\.register).joined(separator: ", ")) change: \(model.name) does not trap them")
        }
        if model.checks == .currentCPU && !refused.isEmpty && !mask.isEmpty {
            report.warnings.append("\(model.name) checks one \(word) only: whether KVM starts depends on where kvm_arch_init runs, and when it does start it also uses \(names(refused))")
        }
        // Advice.
        if mask.isEmpty {
            report.advice.append("no \(word) can run vCPUs under \(model.name)")
        } else if mask.cpus.count < candidates.count {
            report.advice.append("confine vCPU threads to \(word)s \(mask) (e.g. taskset -c \(mask), or a cpuset): \(names(refused)) \(refused.count == 1 ? "is" : "are") not usable under \(model.name)")
        } else if !moving.isEmpty {
            report.advice.append("vCPUs may run on every \(word); pin each vCPU within one cluster if its guest must not see \(moving.map(\.register).joined(separator: ", ")) change")
        } else {
            report.advice.append("vCPUs may run on every \(word) (\(mask))")
        }
        if affinity != nil || offline != nil {
            let online = CPUList(cores.map(\.cpu)).subtracting(offline ?? CPUList([]))
            let requested = affinity ?? CPUList(cores.map(\.cpu))
            let effective = requested.intersection(mask).intersection(online)
            var reason: String
            if effective.isEmpty {
                reason = affinity != nil
                    ? "the requested vCPU affinity \(requested) has no \(word) KVM can use (KVM CPU mask \(mask))"
                    : "no \(word) KVM can use stays online (KVM CPU mask \(mask))"
                if let offline, !offline.isEmpty { reason += " with \(word)s \(offline) offline" }
                let incompatible = requested.intersection(online).cpus.compactMap { c in cores.first { $0.cpu == c } }.filter { !$0.accepted }
                if !incompatible.isEmpty { reason += ": vCPU threads would run only on \(names(incompatible)) — refuse, as KVM should" }
            } else {
                reason = "vCPU threads may run on \(word)s \(effective)"
                if effective != requested { reason += " (of the requested \(requested))" }
            }
            report.affinity = CheckReport.AffinityCheck(requested: requested, offline: offline ?? CPUList([]),
                                                       effective: effective, refused: effective.isEmpty, reason: reason)
        }
        return report
    }

    // MARK: Per core

    static let armParts: [UInt64: String] = [0xC05: "Cortex-A5", 0xC07: "Cortex-A7", 0xC08: "Cortex-A8", 0xC09: "Cortex-A9",
                                             0xC0D: "Cortex-A12", 0xC0E: "Cortex-A17", 0xC0F: "Cortex-A15"]

    static func armCore(_ run: ProbeRun, model: KernelModel) -> CheckReport.Core {
        var core = CheckReport.Core(cpu: run.core, profile: run.profile, identity: [], features: [], hypAvailable: false,
                                    hypInit: "", accepted: false, reason: "", excluded: run.excluded)
        guard let midr = run.hex("midr") else {
            core.hypInit = failure(run)
            core.reason = "the probe did not report MIDR: " + failure(run)
            return core
        }
        let implementer = (midr >> 24) & 0xFF, part = (midr >> 4) & 0xFFF
        core.identity = [("MIDR", hex32(midr)),
                         ("implementer", (implementer == 0x41 ? "ARM" : "unknown") + " (0x\(String(implementer, radix: 16, uppercase: true)))"),
                         ("part", (armParts[part] ?? "unknown") + " (0x\(String(part, radix: 16, uppercase: true)))"),
                         ("revision", "r\((midr >> 20) & 0xF)p\(midr & 0xF)")]
        if let mpidr = run.hex("mpidr") { core.identity.append(("MPIDR", hex32(mpidr))) }
        let pfr1 = run.hex("id_pfr1") ?? 0, mmfr0 = run.hex("id_mmfr0") ?? 0, isar0 = run.hex("id_isar0") ?? 0
        core.features = [("Security Extensions", field(pfr1, 4) != 0 ? "yes" : "no"),
                         ("Virtualization Extensions", field(pfr1, 12) != 0 ? "yes" : "no"),
                         ("Generic Timer", field(pfr1, 16) != 0 ? "yes" : "no"),
                         ("LPAE (ID_MMFR0.VMSA ≥ 5)", field(mmfr0, 0) >= 5 ? "yes" : "no"),
                         ("SDIV/UDIV in ARM (ID_ISAR0.Divide = 2)", field(isar0, 24) >= 2 ? "yes" : "no")]
        if let ctr = run.hex("ctr") {
            core.features.append(("cache lines (CTR)", "I \(4 << (ctr & 0xF)) B, D \(4 << ((ctr >> 16) & 0xF)) B"))
        }
        for (key, name) in [("ccsidr.l1d", "L1D"), ("ccsidr.l1i", "L1I"), ("ccsidr.l2", "L2")] {
            if let c = run.hex(key), c != 0 { core.features.append((name, cacheGeometry(c))) }
        }
        core.hypAvailable = run.value("hyp") == "available"
        core.hypInit = hypInit(run)
        let target = model.armTargets.first { $0.implementer == implementer && $0.part == part }
        if let target {
            if !core.hypAvailable {
                core.reason = "a target (\(target.name)) but Hyp mode is not available: "
                    + (core.hypInit.hasPrefix("failed: ") ? String(core.hypInit.dropFirst(8)) : core.hypInit)
            } else if core.hypInit != "ok" {
                core.reason = "a target (\(target.name)) but the Hyp init " + core.hypInit
            } else {
                core.accepted = true
                core.reason = target.name
            }
        } else {
            core.reason = "not supported: \(armParts[part] ?? "part 0x\(String(part, radix: 16))") is not a \(model.name) target (kvm_target_cpu() returns -EINVAL)"
        }
        return core
    }

    static func riscvCore(_ run: ProbeRun, model: KernelModel) -> CheckReport.Core {
        var core = CheckReport.Core(cpu: run.core, profile: run.profile, identity: [], features: [], hypAvailable: false,
                                    hypInit: "", accepted: false, reason: "", excluded: run.excluded)
        if let excluded = run.excluded {
            core.hypInit = "not run"
            core.reason = "excluded: \(excluded)"
            return core
        }
        core.identity = ["mvendorid", "marchid", "mimpid"].compactMap { k in run.value(k).map { (k, $0) } }
        let isa = run.value("isa") ?? "unknown"
        core.features = [("ISA (device tree)", isa), ("H extension", run.value("h") == "1" ? "yes" : "no"),
                         ("G-stage mode", run.value("gstage") ?? "none"), ("VMID bits", run.hex("vmid.bits").map(String.init) ?? "-"),
                         ("SBI", sbiVersion(run.hex("sbi.spec") ?? 0) + ", implementation " + (run.value("sbi.impl") ?? "?")),
                         ("SBI RFENCE", run.value("sbi.ext.rfence") == "1" ? "yes" : "no")]
        core.hypAvailable = run.value("h") == "1"
        core.hypInit = hypInit(run)
        var missing: [String] = []
        let letters = isaLetters(isa)
        for e in model.requiredExtensions where !letters.contains(e) || (e == "h" && !core.hypAvailable) {
            missing.append("no \(e.uppercased()) extension")
        }
        if let min = model.minimumSBIVersion, (run.hex("sbi.spec") ?? 0) < min {
            missing.append("SBI \(sbiVersion(run.hex("sbi.spec") ?? 0)) older than \(sbiVersion(min))")
        }
        for ext in model.requiredSBIExtensions where run.value("sbi.ext.\(ext.lowercased())") != "1" {
            missing.append("no SBI \(ext) extension")
        }
        if core.hypAvailable && !model.gstageModes.isEmpty && !model.gstageModes.contains(run.value("gstage") ?? "none") {
            missing.append("no G-stage mode KVM can use")
        }
        if missing.isEmpty && core.hypInit != "ok" { missing.append("the HS-mode init failed: \(core.hypInit)") }
        core.accepted = missing.isEmpty
        core.reason = missing.isEmpty ? "H, SBI \(sbiVersion(run.hex("sbi.spec") ?? 0)) with RFENCE, \(run.value("gstage") ?? "")" : missing.joined(separator: ", ")
        return core
    }

    /// "ok", the probe's own failure, or why it never finished (the hang diagnosis).
    static func hypInit(_ run: ProbeRun) -> String {
        guard run.completed else { return failure(run) }
        let v = run.value("hyp-init") ?? "failed:not reported"
        return v.hasPrefix("failed:") ? "failed: " + v.dropFirst(7) : v
    }

    static func failure(_ run: ProbeRun) -> String {
        if let excluded = run.excluded { return "not run: \(excluded)" }
        let why = run.findings.first.map { "[\($0.kind.rawValue)] \($0.summary)" }
        switch run.outcome {
        case .hang?: return "failed: the probe hung — " + (why ?? "no core could make progress")
        case .budgetExhausted?: return "failed: the probe did not finish within its instruction budget" + (why.map { " — \($0)" } ?? "")
        case .notSupported?: return "failed: the probe used something hetboot does not support — " + (why ?? "")
        default: return "failed: the probe stopped before it finished" + (why.map { " — \($0)" } ?? "")
        }
    }

    // MARK: Across cores

    static let armRegisters: [(key: String, name: String, trap: String?)] = [
        ("midr", "MIDR", nil), ("ctr", "CTR", "TID2"), ("id_pfr0", "ID_PFR0", "TID3"), ("id_pfr1", "ID_PFR1", "TID3"),
        ("id_dfr0", "ID_DFR0", "TID3"), ("id_afr0", "ID_AFR0", "TID3"), ("id_mmfr0", "ID_MMFR0", "TID3"),
        ("id_mmfr1", "ID_MMFR1", "TID3"), ("id_mmfr2", "ID_MMFR2", "TID3"), ("id_mmfr3", "ID_MMFR3", "TID3"),
        ("id_isar0", "ID_ISAR0", "TID3"), ("id_isar1", "ID_ISAR1", "TID3"), ("id_isar2", "ID_ISAR2", "TID3"),
        ("id_isar3", "ID_ISAR3", "TID3"), ("id_isar4", "ID_ISAR4", "TID3"), ("id_isar5", "ID_ISAR5", "TID3"),
        ("clidr", "CLIDR", "TID2"), ("ccsidr.l1d", "CCSIDR (L1D)", "TID2"), ("ccsidr.l1i", "CCSIDR (L1I)", "TID2"),
        ("ccsidr.l2", "CCSIDR (L2)", "TID2"),
    ]
    /// HCR.TID1–TID3 bit positions (ARM ARM B4.1.65).
    static let tidBits: [String: UInt64] = ["TID1": 16, "TID2": 17, "TID3": 18]

    static func differences(cores: [CheckReport.Core], runs: [ProbeRun], architecture: Architecture,
                            model: KernelModel) -> [CheckReport.Difference] {
        let probed = runs.filter { r in cores.contains { $0.cpu == r.core } }
        var out: [CheckReport.Difference] = []
        if architecture == .armv7a {
            let hcr = model.guestHCR ?? 0
            for (key, name, trap) in armRegisters {
                let values = probed.compactMap { r in r.value(key).map { (cpu: r.core, value: $0) } }
                guard Set(values.map(\.value)).count > 1 else { continue }
                if let trap, let bit = tidBits[trap] {
                    let trapped = hcr >> bit & 1 != 0
                    out.append(CheckReport.Difference(register: name, values: values,
                                                      guestView: trapped ? "trapped (HCR.\(trap) = 1): KVM emulates it"
                                                                         : "read untrapped (HCR.\(trap) = 0): a vCPU reads the physical core",
                                                      untrapped: !trapped))
                } else {
                    out.append(CheckReport.Difference(register: name, values: values,
                                                      guestView: "virtualised: VPIDR, set at vCPU reset (a migrating vCPU keeps its value)",
                                                      untrapped: false))
                }
            }
        } else {
            for (key, name, view) in [("isa", "ISA (riscv,isa)", "the ISA KVM configures for the vCPU (ONE_REG), not misa: the guest cannot read misa"),
                                      ("mvendorid", "mvendorid", "SBI BASE in the guest returns KVM's per-vCPU value"),
                                      ("marchid", "marchid", "SBI BASE in the guest returns KVM's per-vCPU value"),
                                      ("mimpid", "mimpid", "SBI BASE in the guest returns KVM's per-vCPU value"),
                                      ("gstage", "G-stage mode", "host only"), ("vmid.bits", "VMID bits", "host only")] {
                let values = probed.compactMap { r in r.value(key).map { (cpu: r.core, value: $0) } }
                guard Set(values.map(\.value)).count > 1 else { continue }
                out.append(CheckReport.Difference(register: name, values: values, guestView: view, untrapped: false))
            }
        }
        return out
    }

    /// For each ID register that differs: every 4-bit field's lowest value across the cores.
    static func commonValues(cores: [CheckReport.Core], runs: [ProbeRun]) -> [CheckReport.CommonValue] {
        let probed = runs.filter { r in cores.contains { $0.cpu == r.core } }
        var out: [CheckReport.CommonValue] = []
        for (key, name, trap) in armRegisters where trap == "TID3" {
            let values = probed.compactMap { r in r.hex(key).map { (cpu: r.core, value: $0) } }
            guard values.count == probed.count, Set(values.map(\.value)).count > 1 else { continue }
            var lcd: UInt64 = 0
            var fields: [String] = []
            for shift in stride(from: 0, to: 32, by: 4) {
                let per = values.map { (cpu: $0.cpu, field: ($0.value >> UInt64(shift)) & 0xF) }
                let low = per.map(\.field).min() ?? 0
                lcd |= low << UInt64(shift)
                let distinct = Set(per.map(\.field))
                if distinct.count > 1 {
                    let groups = distinct.sorted().reversed().map { v in "\(v) (CPU \(CPUList(per.filter { $0.field == v }.map(\.cpu))))" }
                    fields.append("[\(shift + 3):\(shift)] " + groups.joined(separator: " vs "))
                }
            }
            out.append(CheckReport.CommonValue(register: name, value: hex32(lcd), fields: fields))
        }
        return out
    }

    // MARK: Words

    static func field(_ v: UInt64, _ shift: UInt64) -> UInt64 { (v >> shift) & 0xF }
    static func hex32(_ v: UInt64) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
    static func sbiVersion(_ v: UInt64) -> String { "v\(v >> 24 & 0x7F).\(v & 0xFFFFFF)" }

    /// CCSIDR (B4.1.19): sets, ways, line size.
    static func cacheGeometry(_ c: UInt64) -> String {
        let line = 16 << (c & 7), ways = ((c >> 3) & 0x3FF) + 1, sets = ((c >> 13) & 0x7FFF) + 1
        let size = UInt64(line) * ways * sets
        let sizeText = size >= 1 << 20 ? "\(size >> 20) MiB" : "\(size >> 10) KiB"
        return "\(sizeText), \(ways)-way, \(line) B lines"
    }

    /// The single-letter extensions of an ISA string (rv64imafdch_zicsr → i m a f d c h).
    static func isaLetters(_ isa: String) -> Set<String> {
        let lower = isa.lowercased()
        guard lower.hasPrefix("rv32") || lower.hasPrefix("rv64") else { return [] }
        let base = lower.dropFirst(4).split(separator: "_").first ?? ""
        var letters = Set(base.map(String.init))
        if letters.contains("g") { letters.formUnion(["i", "m", "a", "f", "d"]) }
        return letters
    }

    /// "CPUs 2-4 (cortex-a7)", "hart 0 (sifive-s7) and harts 1-4 (sifive-u74)".
    static func names(_ cores: [CheckReport.Core], word: String) -> String {
        let byProfile = Dictionary(grouping: cores, by: \.profile).sorted { $0.value[0].cpu < $1.value[0].cpu }
        return byProfile.map { profile, cs in
            let list = CPUList(cs.map(\.cpu))
            return (cs.count == 1 ? "\(word) \(list)" : "\(word)s \(list)") + " (\(profile))"
        }.joined(separator: " and ")
    }

    static func groupByReason(_ cores: [CheckReport.Core], word: String) -> [String] {
        var groups: [(reason: String, cores: [CheckReport.Core])] = []
        for c in cores {
            if let i = groups.firstIndex(where: { $0.reason == c.reason }) { groups[i].cores.append(c) } else { groups.append((c.reason, [c])) }
        }
        return groups.map { "\(names($0.cores, word: word)): \($0.reason)" }
    }
}
