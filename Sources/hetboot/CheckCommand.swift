import Analysis
import ArgumentParser
import Emulator
import Foundation
import Images
import Profiles
import Reports

extension Hetboot {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check, core by core, whether KVM would accept a machine under a kernel model.",
            discussion: """
            Runs the built-in probe (images/probe/) on every core in turn — that core boots it, \
            the others held in reset — which reads the ID registers (ARM) or the ISA, SBI and H \
            CSRs (RISC-V) and runs the hyp-init sequence; then evaluates the results against the \
            kernel model (cpu-profiles/kernels/): per core, the decoded identity, features, Hyp/H, \
            the hyp-init result and whether it is a KVM target; per machine, the verdict (for a \
            model that checks only the current CPU: the verdict for each CPU that might run the \
            check), the KVM CPU mask, the registers that differ between cores and whether a vCPU \
            reads them untrapped, the least common denominator of the feature fields, and advice. \
            Exit codes: 0 KVM would initialise (and the requested affinity is satisfiable), 1 \
            refused, 2 bad input.
            """)

        @Option(name: .long, help: "Machine and options, as for run (e.g. tc2, virt-riscv-mixed-h, fu740).")
        var machine: String

        @Option(name: .long, help: "Number of cores, for machines whose core count can change.")
        var smp: Int?

        @Option(name: .long, help: "Kernel model: a file of cpu-profiles/kernels/ (linux-3.9, linux-3.10, linux-3.13, linux-riscv). Default: linux-3.10 on ARM, linux-riscv on RISC-V.")
        var kernel: String?

        @Option(name: .long, help: "A requested vCPU affinity (CPU list, e.g. 2-4): intersected with the KVM CPU mask; empty is refused.")
        var affinity: String?

        @Option(name: .long, help: "CPUs taken offline (hot-unplug), e.g. 0-1: shows when vCPUs would be left only incompatible cores.")
        var offline: String?

        @Option(name: .long, help: "Inject a fault into the probe runs (repeatable; see hetboot run --help), e.g. cpu2:stall-on-write=HSCTLR.M.")
        var inject: [String] = []

        @Option(name: .long, help: "Report format: text, json, markdown or junit.")
        var format: CheckFormat = .text

        @Option(name: .long, help: "The cpu-profiles directory (default: found from the working directory or the executable).")
        var profiles: String?

        @Option(name: .long, help: "The images directory holding probe/ (default: next to the cpu-profiles directory).")
        var images: String?

        func run() throws {
            let store = try openProfiles(profiles)
            let spec: MachineDescription
            let model: KernelModel
            let probe: LoadedImage
            var affinityList: CPUList?, offlineList: CPUList?
            do {
                let plain = try store.machine(machine, smp: smp, bios: nil)
                let name = kernel ?? (plain.architecture == .armv7a ? "linux-3.10" : "linux-riscv")
                model = try store.kernel(name)
                guard model.architecture == plain.architecture else {
                    throw InputError("--kernel \(name): \(model.file) models \(model.architecture.rawValue) kernels; machine \(plain.name) is \(plain.architecture.rawValue)")
                }
                // The RISC-V probe is an S-mode payload: hetboot's SBI starts it.
                spec = plain.architecture == .rv64 ? try store.machine(machine, smp: smp, bios: "sbi") : plain
                let count = spec.cores.count
                do {
                    affinityList = try affinity.map { try CPUList(parsing: $0, cpuCount: count) }
                } catch { throw InputError("--affinity '\(affinity ?? "")': \(error)") }
                do {
                    offlineList = try offline.map { try CPUList(parsing: $0, cpuCount: count) }
                } catch { throw InputError("--offline '\(offline ?? "")': \(error)") }
                // The probe built for this machine's memory map: the first whose segments lie in
                // its RAM (ARM: the Versatile Express build, then the virt one).
                let dir = images ?? URL(fileURLWithPath: store.directory).deletingLastPathComponent().appendingPathComponent("images").path
                let names = spec.architecture == .armv7a ? ["arm-probe.elf", "arm-probe-virt.elf"] : ["riscv-probe.elf"]
                let candidates = try names.map { try ImageLoader.load(path: (dir as NSString).appendingPathComponent("probe/" + $0)) }
                guard let fitting = candidates.first(where: { image in
                    image.segments.allSatisfy { s in spec.ram.contains { $0.base <= s.physicalAddress && s.physicalAddress &+ s.memorySize <= $0.end } }
                }) else {
                    throw InputError("check: no probe in \(dir)/probe fits machine \(spec.name)'s RAM (\(names.joined(separator: ", ")) are built for other memory maps)")
                }
                probe = fitting
                for fault in inject {
                    _ = try FaultInjectionParser.parse(fault, architecture: spec.architecture, coreCount: count, symbols: probe.symbols)
                }
            } catch let error as InputError {
                throw error
            } catch { throw InputError(error) }
            let runs: [ProbeRun]
            do { runs = try ProbeRun.runAll(spec: spec, probe: probe, inject: inject) } catch { throw InputError(error) }
            let report = CompatibilityCheck.evaluate(machine: spec.name, architecture: spec.architecture, model: model, runs: runs,
                                                     affinity: affinityList, offline: offlineList, injected: inject)
            switch format {
            case .text: print(CheckReportFormat.text(report), terminator: "")
            case .json: print(CheckReportFormat.json(report), terminator: "")
            case .markdown: print(CheckReportFormat.markdown(report), terminator: "")
            case .junit: print(CheckReportFormat.junit(report), terminator: "")
            }
            fflush(stdout)
            throw ExitCode(report.exitCode)
        }
    }
}

enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, junit
}
