import ArgumentParser
import Analysis
import Emulator
import Foundation
import Images
import Profiles
import Reports

extension Hetboot {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Boot an ELF image on a machine and report what every core did.",
            discussion: """
            The guest's console (UART and semihosting) streams to standard output; then a table \
            gives, per core: profile, MIDR, MPIDR, mode and security state, PC as symbol+offset, \
            instructions retired and state (running / sleeping / off / parked / halted).
            """)

        @Argument(help: "The image to boot: an ELF executable, or on a machine with a device tree (virt-arm) a Linux-style raw image, loaded and entered as QEMU's -kernel does.")
        var image: String

        @Option(name: .long, help: "Machine and options, QEMU style: NAME[,opt=val…] (e.g. tc2, vexpress-a15,secure=off).")
        var machine: String

        @Option(name: .long, help: "Number of cores, for machines whose core count can change.")
        var smp: Int?

        @Option(name: .long, help: "RISC-V firmware: none (the image starts in M-mode on every hart, as QEMU's -bios none), sbi (hetboot's SBI firmware: the image is an S-mode payload) or FILE (an M-mode firmware ELF or raw .bin, e.g. OpenSBI's fw_dynamic, started on every hart with the image as its payload, as QEMU's -bios FILE -kernel IMAGE).")
        var bios: String?

        @Option(name: .long, help: "Instructions a core runs before the next one gets its turn.")
        var quantum: UInt64 = 10_000

        @Option(name: .long, help: "Stop after this many instructions in total (exit code 4).")
        var maxInstructions: UInt64 = 4_000_000_000

        @Option(name: .long, help: ArgumentHelp(
            "Inject a fault (repeatable; every report lists them): TARGET:ACTION.",
            discussion: """
            TARGET is cpuN or hartN. ACTION is stall-on-write=REG (the core stops when it writes \
            the system register or CSR REG; the write does not happen), stall-on-write=REG.FIELD \
            (… a write that sets FIELD, e.g. cpu2:stall-on-write=HSCTLR.M), \
            stall-on-write=REG.FIELD=VALUE, stall-after=N (stop once it retired N instructions), \
            stall-at=SYMBOL[+OFFSET] or stall-at=0xADDRESS (stop on reaching that instruction), \
            drop-ipi (IPIs sent to it are lost), delay-ipi=N (they become pending N of its \
            instructions later) or hold-in-reset (it is never started).
            """, valueName: "fault"))
        var inject: [String] = []

        @Flag(inversion: .prefixedNo, help: "Watch the run for hangs and deadlocks and explain them (a run with --no-diagnose attaches no event sink).")
        var diagnose = true

        @Option(name: .long, help: "Report format: text or json.")
        var format: ReportFormat = .text

        @Option(name: .long, help: "The cpu-profiles directory (default: found from the working directory or the executable).")
        var profiles: String?

        func run() throws {
            let store = try openProfiles(profiles)
            let spec: MachineDescription
            do { spec = try store.machine(machine, smp: smp, bios: bios) } catch { throw InputError(error) }
            var (m, monitor) = try prepare(spec)
            if format == .text {
                m.consoleSink = { byte, _, _ in putchar(Int32(byte)) }
            }
            var policy = RoundRobin(quantum: quantum)
            let outcome = m.run(maxInstructions: maxInstructions, policy: &policy, monitor: monitor)
            var result = m.result(image: image, outcome: outcome)
            // A spin on memory: who last wrote the words it reads? The run is deterministic, so
            // replay it from the start with those words watched, and take the replay's finding
            // when it ends in the same state.
            if let loads = monitor?.spinLoads, !loads.isEmpty {
                (m, monitor) = try prepare(spec)
                m.watchWrites(loads)
                var again = RoundRobin(quantum: quantum)
                let replayed = m.run(maxInstructions: maxInstructions, policy: &again, monitor: monitor)
                let replay = m.result(image: image, outcome: replayed)
                if replay.stateHash == result.stateHash && replayed == outcome { result = replay }
            }
            switch format {
            case .text: print(RunReport.text(result), terminator: "")
            case .json: print(RunReport.json(result), terminator: "")
            }
            fflush(stdout)
            throw ExitCode(outcome.exitCode)
        }

        /// The machine with the image loaded, faults armed and (unless --no-diagnose) the hang
        /// diagnosis attached.
        private func prepare(_ spec: MachineDescription) throws -> (EmulatedMachine & MachineBase, HangDiagnoser?) {
            do {
                guard let m = try makeMachine(spec) as? EmulatedMachine & MachineBase else {
                    throw InputError("machine \(spec.name) cannot be built")
                }
                var monitor: HangDiagnoser?
                if diagnose, let inspectable = m as? InspectableMachine {
                    let diagnoser = HangDiagnoser(machine: inspectable)
                    m.attach(diagnoser)
                    monitor = diagnoser
                }
                // Faults are armed before the image is loaded (loading starts the cores: a core
                // held in reset must not start); stall-at names resolve in the ELF's symbols.
                var raw = false
                if (m as? ARMMachine)?.bootsLinuxImages == true { raw = try !RawImage.hasELFMagic(path: image) }
                let loaded = raw ? nil : try ImageLoader.load(path: image)
                try m.inject(try inject.map {
                    try FaultInjectionParser.parse($0, architecture: spec.architecture, coreCount: spec.cores.count,
                                                   symbols: loaded?.symbols)
                })
                if let loaded {
                    try m.load(loaded)
                } else if let arm = m as? ARMMachine {
                    // Not an ELF: a Linux-style raw image, as QEMU's -kernel takes on virt.
                    try arm.loadLinuxImage(try RawImage.load(path: image, maxSize: UInt64(UInt32.max), limit: "4 GiB",
                                                             expected: "an ARM ELF executable or a raw Linux-style image"),
                                           path: image)
                }
                return (m, monitor)
            } catch let error as InputError {
                throw error
            } catch { throw InputError(error) }
        }
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The profile store: `--profiles DIR`, else the default search.
func openProfiles(_ directory: String?) throws -> ProfileStore {
    guard let dir = directory ?? ProfileStore.defaultDirectory() else {
        throw InputError("cannot find the cpu-profiles directory: pass --profiles DIR or set HETBOOT_PROFILES")
    }
    do { return try ProfileStore(directory: dir) } catch { throw InputError(error) }
}
