import ArgumentParser
import Foundation
import Profiles

extension Hetboot {
    struct Profiles: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "profiles",
            abstract: "List, show and compare CPU profiles and machines.",
            subcommands: [List.self, Show.self, Diff.self])

        struct Options: ParsableArguments {
            @Option(name: .long, help: "The cpu-profiles directory.")
            var profiles: String?
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the core profiles and the machines.")
            @OptionGroup var options: Options

            func run() throws {
                let store = try openProfiles(options.profiles)
                print("cores:")
                for name in store.coreNames() {
                    let p = try loadCore(store, name)
                    print("  \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(p.description)")
                }
                print("machines:")
                for name in store.machineNames() {
                    let m: MachineDescription
                    do { m = try store.machine(name) } catch { throw InputError(error) }
                    print("  \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(m.description)")
                }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a core profile with every value resolved, in hex.")
            @Argument(help: "Profile name.") var name: String
            @OptionGroup var options: Options

            func run() throws {
                let p = try loadCore(try openProfiles(options.profiles), name)
                print("\(p.name): \(p.description)")
                print("architecture: \(p.architecture.rawValue)")
                if !p.inherits.isEmpty { print("inherits: \(p.inherits.joined(separator: " <- "))") }
                print("file: \(p.file)")
                print("identification registers:")
                for r in p.idRegisters { print("  \(r.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(hex(r.value))") }
                print("system registers:")
                for r in p.systemRegisters {
                    var line = "  \(r.name.padding(toLength: 10, withPad: " ", startingAt: 0)) reset \(hex(r.reset))"
                    if r.res0 != 0 { line += "  RES0 \(hex(r.res0))" }
                    if r.res1 != 0 { line += "  RES1 \(hex(r.res1))" }
                    if r.readOnly != 0 { line += "  read-only \(hex(r.readOnly))" }
                    if r.razWI != 0 { line += "  RAZ/WI \(hex(r.razWI))" }
                    print(line)
                }
                let f = p.features
                print("features:")
                switch p.architecture {
                case .armv7a:
                    for (name, on) in [("security", f.security), ("virtualization", f.virtualization), ("lpae", f.lpae),
                                       ("generic-timer", f.genericTimer), ("integer-divide", f.integerDivide),
                                       ("multiprocessing", f.multiprocessing), ("thumb", f.thumb)] {
                        print("  \(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(on ? "yes" : "no")")
                    }
                    print("  gic-priority-bits \(f.gicPriorityBits)")
                case .rv64:
                    print("  isa-extensions   \(f.isaExtensions.joined(separator: " "))")
                    print("  privilege-modes  \(f.privilegeModes.joined(separator: " "))")
                    print("  mmu-modes        \(f.mmuModes.isEmpty ? "none" : f.mmuModes.joined(separator: " "))")
                    print("  pmp-entries      \(f.pmpEntries)")
                    print("  misaligned       \(f.misaligned.rawValue)")
                }
                if !p.caches.isEmpty {
                    print("caches:")
                    for c in p.caches {
                        print("  L\(c.level) \(c.kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(c.sizeBytes / 1024) KiB, \(c.ways)-way, \(c.lineBytes) B lines (CCSIDR \(hex(c.ccsidr)))")
                    }
                }
            }
        }

        struct Diff: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The values that differ between two profiles: what a vCPU migrating between them would observe.")
            @Argument(help: "First profile.") var a: String
            @Argument(help: "Second profile.") var b: String
            @OptionGroup var options: Options

            func run() throws {
                let store = try openProfiles(options.profiles)
                let pa = try loadCore(store, a), pb = try loadCore(store, b)
                let diffs = ProfileStore.differences(pa, pb)
                if diffs.isEmpty {
                    print("\(a) and \(b) do not differ")
                    return
                }
                let w0 = max(4, diffs.map(\.item.count).max() ?? 0)
                let w1 = max(a.count, diffs.map(\.a.count).max() ?? 0)
                print("\("item".padding(toLength: w0, withPad: " ", startingAt: 0))  \(a.padding(toLength: w1, withPad: " ", startingAt: 0))  \(b)")
                for d in diffs {
                    print("\(d.item.padding(toLength: w0, withPad: " ", startingAt: 0))  \(d.a.padding(toLength: w1, withPad: " ", startingAt: 0))  \(d.b)")
                }
            }
        }
    }
}

func loadCore(_ store: ProfileStore, _ name: String) throws -> CoreProfile {
    do { return try store.core(name) } catch { throw InputError(error) }
}

func hex(_ v: UInt64) -> String {
    v > 0xFFFF_FFFF ? String(format: "0x%016llX", v) : String(format: "0x%08llX", v)
}
