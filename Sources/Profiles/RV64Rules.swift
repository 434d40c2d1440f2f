/// The rules that tie an RV64 hart's `misa` to its `[features]`, and the features to each other.
/// A profile (CoreResolver) and a machine whose options change features (MachineBuilder) are
/// both checked here, so no emulator code ever sees a hart whose misa contradicts what it does.
///
/// Sources: RISC-V privileged specification v1.12 — §3.1.1 (misa: MXL [63:62] = 2 for RV64,
/// bits [61:26] zero, bit n = letter 'A' + n, S and U mean the privilege modes, G is reserved),
/// §1.2 (M is always present; S-mode comes with U-mode), §4.1.11 (satp: "Implementations that
/// support Sv48 must also support Sv39", and likewise Sv57 ⇒ Sv48), chapter 8 (H needs S-mode).
/// Unprivileged specification: D depends on F, Q on D.
enum RV64Rules {
    /// What is wrong, and where: `key` is `id-registers.misa` or `features.<key>`.
    struct Problem: Equatable {
        var key: String
        var message: String
    }

    /// Single-letter extensions misa defines a bit for (privileged v1.12 table 3.2; the other
    /// letters are reserved, G is the abbreviation of imafd_zicsr_zifencei, S and U are modes).
    static let extensionLetters = ["a", "b", "c", "d", "e", "f", "h", "i", "m", "q", "v"]

    /// The first rule `misa` and `features` break, or nil.
    static func check(misa: UInt64, features f: Features) -> Problem? {
        let misaText = "misa \(Hex.format(misa))"
        func misaProblem(_ message: String) -> Problem { Problem(key: "id-registers.misa", message: message) }
        func featureProblem(_ key: String, _ message: String) -> Problem { Problem(key: "features.\(key)", message: message) }

        let mxl = misa >> 62
        guard mxl == 2 else {
            return misaProblem("\(misaText) has MXL [63:62] = \(mxl); an rv64 hart has MXL = 2 (\"0x8000000000000000\" | letters)")
        }
        let reserved = misa & 0x3FFF_FFFF_FC00_0000   // bits [61:26]
        guard reserved == 0 else {
            return misaProblem("\(misaText) sets bits \(Hex.format(reserved)) in [61:26], which are zero on RV64")
        }

        let singles = f.isaExtensions.filter { $0.count == 1 }
        for (i, name) in f.isaExtensions.enumerated() where name.count == 1 && !extensionLetters.contains(name) {
            let why: String
            switch name {
            case "s", "u": why = "a privilege mode; list it in features.privilege-modes"
            case "g": why = "G abbreviates i, m, a, f, d, zicsr, zifencei; list those"
            default: why = "a letter misa reserves"
            }
            return featureProblem("isa-extensions[\(i)]", "\"\(name)\" is \(why) (extension letters: \(extensionLetters.joined(separator: ", ")))")
        }

        // misa letter by letter, A to Z.
        for bit in 0..<26 {
            let letter = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(bit)))
            let capital = letter.uppercased()
            let set = misa >> UInt64(bit) & 1 == 1
            let listed: Bool
            let list: String
            switch letter {
            case "s", "u":
                listed = f.privilegeModes.contains(letter)
                list = "features.privilege-modes"
            default:
                listed = singles.contains(letter)
                list = "features.isa-extensions"
            }
            if set && !listed {
                let why = extensionLetters.contains(letter) || letter == "s" || letter == "u" ? "" : ", a reserved letter"
                return misaProblem("\(misaText) has \(capital) (bit \(bit)\(why)), but \(list) does not list \"\(letter)\"")
            }
            if !set && listed {
                return misaProblem("\(misaText) lacks \(capital) (bit \(bit)), but \(list) lists \"\(letter)\"; expected \(Hex.format(misa | 1 << UInt64(bit))) or the letter removed")
            }
        }

        let base = ["i", "e"].filter { singles.contains($0) }
        guard base.count == 1 else {
            return featureProblem("isa-extensions", base.isEmpty ? "lists neither \"i\" nor \"e\"; a hart has one base ISA"
                                                                 : "lists both \"i\" and \"e\"; a hart has one base ISA")
        }
        for (needs, what) in [("d", "f"), ("q", "d")] where singles.contains(needs) && !singles.contains(what) {
            return featureProblem("isa-extensions", "lists \"\(needs)\" without \"\(what)\", which it depends on")
        }

        let modes = f.privilegeModes
        guard modes.contains("m") else {
            return featureProblem("privilege-modes", "lacks \"m\"; every hart implements M-mode")
        }
        if modes.contains("s") && !modes.contains("u") {
            return featureProblem("privilege-modes", "has \"s\" without \"u\"; a hart with S-mode also implements U-mode")
        }
        if singles.contains("h") && !modes.contains("s") {
            return featureProblem("isa-extensions", "lists \"h\" but privilege-modes lacks \"s\"; the hypervisor extension extends S-mode")
        }

        if !f.mmuModes.isEmpty && !modes.contains("s") {
            return featureProblem("mmu-modes", "lists \(f.mmuModes.map { "\"\($0)\"" }.joined(separator: ", ")) but privilege-modes lacks \"s\"; satp exists only with S-mode (give mmu-modes = [])")
        }
        for (mode, below) in [("sv48", "sv39"), ("sv57", "sv48")] where f.mmuModes.contains(mode) && !f.mmuModes.contains(below) {
            return featureProblem("mmu-modes", "lists \"\(mode)\" without \"\(below)\"; a hart that supports \(mode) also supports \(below)")
        }
        if f.mmuModes.isEmpty, let ad = f.adUpdate {
            return featureProblem("ad-update", "\"\(ad.rawValue)\" given, but the hart has no MMU (mmu-modes is empty); remove it")
        }
        if !f.mmuModes.isEmpty && f.adUpdate == nil {
            return featureProblem("ad-update", "missing; a hart with an MMU says \"fault\" or \"hardware\"")
        }
        return nil
    }

    /// The letters misa sets, A to Z, with S and U: `ACDFHIMSU`.
    static func letters(_ misa: UInt64) -> String {
        String((0..<26).filter { misa >> UInt64($0) & 1 == 1 }.map { Character(UnicodeScalar(UInt8(ascii: "A") + UInt8($0))) })
    }
}
