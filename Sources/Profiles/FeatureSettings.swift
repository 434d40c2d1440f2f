/// The `[features]` keys of each architecture, how they are read and how they set `Features`.
/// A core profile's `[features]` and a machine option's `features = { … }` both use them.
struct FeatureSetting: Equatable {
    enum Value: Equatable {
        case bool(Bool)
        case int(Int)
        case string(String)
        case strings([String])
    }

    var key: String
    var value: Value
}

enum FeatureKeys {
    /// ARMv7-A: the extensions ID_PFR0/ID_PFR1/ID_ISAR0/ID_MMFR0 describe, stated plainly, and
    /// the GIC CPU interface's priority bits (GICv2 allows 4 to 8; A15/A7 implement 5).
    static let armv7a = ["security", "virtualization", "lpae", "generic-timer", "integer-divide",
                         "multiprocessing", "thumb", "gic-priority-bits"]
    /// RV64: ISA extensions (single letters and multi-letter names, lower case), the privilege
    /// modes implemented, the translation modes satp accepts besides Bare, the number of PMP
    /// entries, what a misaligned load/store does, how the walker treats A/D bits (only with an
    /// MMU) and whether the `time` CSR is hardware. `Features` documents each.
    static let rv64 = ["isa-extensions", "privilege-modes", "mmu-modes", "pmp-entries", "misaligned",
                       "ad-update", "time-csr"]

    static let privilegeModes = ["m", "s", "u"]
    /// Bare is not listed: every hart with S-mode accepts it.
    static let mmuModes = ["sv39", "sv48", "sv57"]

    /// Keys whose value is one word out of a fixed list.
    static let choices: [String: [String]] = [
        "misaligned": Features.MisalignedAccess.allCases.map(\.rawValue),
        "ad-update": Features.ADUpdate.allCases.map(\.rawValue),
        "time-csr": Features.TimeCSR.allCases.map(\.rawValue),
    ]

    static func keys(for architecture: Architecture) -> [String] {
        switch architecture {
        case .armv7a: return armv7a
        case .rv64: return rv64
        }
    }

    /// The keys a resolved profile must give: all of its architecture's, except that an RV64
    /// hart gives `ad-update` only when it has an MMU (RV64Rules rejects it otherwise).
    static func requiredKeys(for architecture: Architecture, settings: [FeatureSetting]) -> [String] {
        guard architecture == .rv64 else { return keys(for: architecture) }
        let modes = settings.first { $0.key == "mmu-modes" }
        if case .strings(let names)? = modes?.value, names.isEmpty {
            return rv64.filter { $0 != "ad-update" }
        }
        return rv64
    }

    /// Reads a features table, in file order. Unknown keys, and keys of the other architecture,
    /// are errors.
    static func parse(_ reader: TableReader, architecture: Architecture) throws -> [FeatureSetting] {
        try reader.allowOnly(keys(for: architecture))
        var settings: [FeatureSetting] = []
        for key in reader.keys {
            switch key {
            case "gic-priority-bits":
                settings.append(FeatureSetting(key: key, value: .int(try reader.requiredInt(key, in: 4...8))))
            case "pmp-entries":
                settings.append(FeatureSetting(key: key, value: .int(try reader.requiredInt(key, in: 0...64))))
            case "isa-extensions":
                let names = try reader.stringArray(key) ?? []
                for (i, name) in names.enumerated() where !isExtensionName(name) {
                    throw ProfileError(file: reader.file, key: "\(reader.label(key))[\(i)]",
                                       message: "\"\(name)\" is not an ISA extension name; expected lower-case letters, digits and _ starting with a letter")
                }
                try checkDistinct(names, key: key, in: reader)
                settings.append(FeatureSetting(key: key, value: .strings(names)))
            case "privilege-modes", "mmu-modes":
                let allowed = key == "privilege-modes" ? privilegeModes : mmuModes
                let names = try reader.stringArray(key) ?? []
                for (i, name) in names.enumerated() where !allowed.contains(name) {
                    let bare = name == "bare" ? " (Bare is always accepted with S-mode: list only the paging modes)" : ""
                    throw ProfileError(file: reader.file, key: "\(reader.label(key))[\(i)]",
                                       message: "\"\(name)\" is not allowed; expected \(TableReader.list(allowed.map { "\"\($0)\"" }))\(bare)")
                }
                try checkDistinct(names, key: key, in: reader)
                settings.append(FeatureSetting(key: key, value: .strings(names)))
            case "misaligned", "ad-update", "time-csr":
                let allowed = choices[key] ?? []
                guard let word = try reader.string(key) else { continue }
                guard allowed.contains(word) else {
                    throw reader.error(key, "\"\(word)\" is not allowed; expected \(TableReader.list(allowed.map { "\"\($0)\"" }))")
                }
                settings.append(FeatureSetting(key: key, value: .string(word)))
            default:
                guard let bool = try reader.bool(key) else { continue }
                settings.append(FeatureSetting(key: key, value: .bool(bool)))
            }
        }
        return settings
    }

    /// Later settings of a key replace earlier ones.
    static func merge(_ base: [FeatureSetting], _ overrides: [FeatureSetting]) -> [FeatureSetting] {
        var result = base
        for setting in overrides {
            if let i = result.firstIndex(where: { $0.key == setting.key }) {
                result[i] = setting
            } else {
                result.append(setting)
            }
        }
        return result
    }

    static func apply(_ settings: [FeatureSetting], to features: inout Features) {
        for setting in settings {
            switch (setting.key, setting.value) {
            case ("security", .bool(let b)): features.security = b
            case ("virtualization", .bool(let b)): features.virtualization = b
            case ("lpae", .bool(let b)): features.lpae = b
            case ("generic-timer", .bool(let b)): features.genericTimer = b
            case ("integer-divide", .bool(let b)): features.integerDivide = b
            case ("multiprocessing", .bool(let b)): features.multiprocessing = b
            case ("thumb", .bool(let b)): features.thumb = b
            case ("gic-priority-bits", .int(let n)): features.gicPriorityBits = n
            case ("isa-extensions", .strings(let s)): features.isaExtensions = s
            case ("privilege-modes", .strings(let s)): features.privilegeModes = s
            case ("mmu-modes", .strings(let s)): features.mmuModes = s
            case ("pmp-entries", .int(let n)): features.pmpEntries = n
            case ("misaligned", .string(let s)): features.misaligned = Features.MisalignedAccess(rawValue: s) ?? features.misaligned
            case ("ad-update", .string(let s)): features.adUpdate = Features.ADUpdate(rawValue: s)
            case ("time-csr", .string(let s)): features.timeCSR = Features.TimeCSR(rawValue: s) ?? features.timeCSR
            default: break   // parse() admits no other combination
            }
        }
    }

    /// A name listed twice is a mistake (a list is a set written in a chosen order).
    static func checkDistinct(_ names: [String], key: String, in reader: TableReader) throws {
        for (i, name) in names.enumerated() where names[..<i].contains(name) {
            throw ProfileError(file: reader.file, key: "\(reader.label(key))[\(i)]",
                               message: "\"\(name)\" is listed twice")
        }
    }

    static func isExtensionName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
