/// A profile, machine file or machine spec that cannot be used, said in one line:
/// `<file>: <key>: <message>` — the file, the dotted key (`system-registers.SCTLR.res1`,
/// `devices[2].regions[0].base`, or a command-line option such as `--smp`) and what was expected.
/// Array elements are numbered from 0, in file order.
public struct ProfileError: Error, CustomStringConvertible, Equatable {
    public var file: String
    /// Dotted key path; empty when the problem is the file as a whole (unreadable, bad TOML).
    public var key: String
    public var message: String

    public init(file: String, key: String, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        key.isEmpty ? "\(file): \(message)" : "\(file): \(key): \(message)"
    }
}
