/// A machine's profile list, `--machine virt-riscv,harts=rv64gch*2+sifive-u74*2`: groups
/// `PROFILE[*N]` joined by `+`, in logical order (mhartid 0 first); N is 1 when omitted. The
/// option's name comes from the machine file (`[smp] mix-option`). Profile names are checked by
/// the builder against the store; here only the spelling.
struct ProfileMix: Equatable {
    struct Group: Equatable {
        var profile: String
        var count: Int
    }

    var groups: [Group]
    var total: Int { groups.reduce(0) { $0 + $1.count } }

    /// A group's count, and the list's total, are at most this (MachineBuilder's core limit).
    static let maxCount = 256

    /// `option` is the option's name (`harts`), for messages; `fail` makes the error.
    init(parsing text: String, option: String, fail: (String) -> ProfileError) throws {
        let example = "expected PROFILE[*N] groups joined by +, e.g. \(option)=rv64gch*2+sifive-u74*2"
        let whole = "\(option)=\(text)"
        groups = []
        var total = 0
        for (i, part) in text.split(separator: "+", omittingEmptySubsequences: false).enumerated() {
            let pieces = part.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
            guard let name = pieces.first, !name.isEmpty else {
                throw fail("\(whole): group \(i + 1) \(part.isEmpty ? "is empty" : "\"\(part)\" names no profile"); \(example)")
            }
            guard pieces.count <= 2 else {
                throw fail("\(whole): group \(i + 1) \"\(part)\" has more than one *; \(example)")
            }
            var count = 1
            if pieces.count == 2 {
                let digits = pieces[1]
                guard !digits.isEmpty, digits.count <= 3, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
                      let n = Int(digits) else {
                    throw fail("\(whole): \"\(digits)\" in \"\(part)\" is not a count; \(example)")
                }
                guard (1...Self.maxCount).contains(n) else {
                    throw fail("\(whole): \"\(part)\" asks for \(n) cores; expected 1 to \(Self.maxCount)")
                }
                count = n
            }
            total += count   // ≤ 256 per group, checked below before it can grow further
            guard total <= Self.maxCount else {
                throw fail("\(whole) gives more than \(Self.maxCount) cores")
            }
            groups.append(Group(profile: name, count: count))
        }
    }
}
