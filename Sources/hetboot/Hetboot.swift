import ArgumentParser
import Foundation

/// `hetboot`: boot ELF images on heterogeneous SMP machines built from CPU profiles.
struct Hetboot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hetboot",
        abstract: "A deterministic emulator of heterogeneous SMP machines (Cortex-A15/A7 big.LITTLE, …).",
        discussion: """
        Exit codes: 0 the guest passed (exited with code 0), 1 the guest reported failure, \
        2 bad input (image, profile, machine or flag), 3 hang (no core can make progress), \
        4 instruction budget exhausted, 5 the guest used something hetboot does not support yet.
        """,
        subcommands: [Run.self, Check.self, Profiles.self])
}

/// Parse, run, and map every input error to one line on stderr and exit code 2 (the
/// argument parser's own usage errors included).
@main
enum Main {
    static func main() {
        do {
            var command = try Hetboot.parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as InputError {
            FileHandle.standardError.write(Data("hetboot: \(error.message)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = Hetboot.exitCode(for: error)
            if code == .success {
                print(Hetboot.fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = Hetboot.message(for: error)
            FileHandle.standardError.write(Data("hetboot: \(message.split(separator: "\n").first ?? "")\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// A problem with what the user gave us: one line, naming the file or flag.
struct InputError: Error {
    var message: String
    init(_ message: String) { self.message = message }
    init(_ error: Error) { self.message = String(describing: error) }
}
