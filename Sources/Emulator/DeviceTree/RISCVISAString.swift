import Profiles

/// The `riscv,isa` string of a hart, built from its profile's `features.isaExtensions` in the
/// canonical order the unprivileged ISA manual gives ("ISA Extension Naming Conventions") and
/// QEMU's `riscv_isa_string` follows:
///
/// - `rv64`, then the single-letter extensions in the order `IEMAFDQCLBJTPVNSUHKORWXYZG`
///   (QEMU's `riscv_exts` before 7.1; 7.2's shorter `riscv_single_letter_exts`,
///   `IEMAFDQCPVH`, keeps these letters in the same order). `s` and `u` are left out: they
///   are misa bits for privilege modes, not extensions in the naming convention, and QEMU has
///   not put them in the string since 7.1.
/// - each multi-letter extension after an underscore: `z…` extensions first, ordered by the
///   category their second letter names in `IMAFDQLCBKJTPVH`, then alphabetically
///   (`_zicsr_zifencei_zihintpause_zba_zbb`); then `s…` supervisor extensions alphabetically;
///   then `x…` vendor extensions alphabetically.
public enum RISCVISAString {
    static let singleLetterOrder = Array("iemafdqclbjtpvnsuhkorwxyzg")
    static let zCategoryOrder = Array("imafdqlcbkjtpvh")

    /// The string for `profile`. Throws when the profile names no base integer ISA (`i` or `e`).
    public static func string(for profile: CoreProfile) throws -> String {
        let names = Set(profile.features.isaExtensions.map { $0.lowercased() })
        guard names.contains("i") || names.contains("e") else {
            throw ProfileError(file: profile.file, key: "features.isa-extensions",
                               message: "names no base integer ISA; expected \"i\" or \"e\" among the extensions")
        }
        var result = "rv64"
        for letter in singleLetterOrder where letter != "s" && letter != "u" && names.contains(String(letter)) {
            result.append(letter)
        }
        let multiLetter = names.filter { $0.count > 1 }.sorted { order($0) < order($1) }
        for name in multiLetter { result += "_" + name }
        return result
    }

    /// Sort key of a multi-letter extension: group (z, s, x, anything else), category, name.
    private static func order(_ name: String) -> SortKey {
        let chars = Array(name)
        switch chars[0] {
        case "z":
            let category = chars.count > 1 ? zCategoryOrder.firstIndex(of: chars[1]) : nil
            return SortKey(group: 0, category: category ?? zCategoryOrder.count, name: name)
        case "s": return SortKey(group: 1, category: 0, name: name)
        case "x": return SortKey(group: 2, category: 0, name: name)
        default: return SortKey(group: 3, category: 0, name: name)
        }
    }

    private struct SortKey: Comparable {
        var group: Int
        var category: Int
        var name: String
        static func < (a: SortKey, b: SortKey) -> Bool {
            (a.group, a.category, a.name) < (b.group, b.category, b.name)
        }
    }
}
