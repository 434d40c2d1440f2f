/// Turns a chain of `CoreLayer`s (the leaf and its ancestors) into a complete, checked `CoreProfile`.
///
/// "Missing" errors name the root file (where a complete definition belongs); errors about a
/// register name the file that last set one of its fields.
enum CoreResolver {
    /// Identification registers every profile of an architecture must give.
    static func requiredIDRegisters(_ architecture: Architecture) -> [String] {
        switch architecture {
        case .armv7a:
            return ["MIDR", "CTR", "ID_PFR0", "ID_PFR1", "ID_DFR0", "ID_AFR0",
                    "ID_MMFR0", "ID_MMFR1", "ID_MMFR2", "ID_MMFR3",
                    "ID_ISAR0", "ID_ISAR1", "ID_ISAR2", "ID_ISAR3", "ID_ISAR4", "ID_ISAR5",
                    "MVFR0", "MVFR1", "FPSID", "CLIDR", "DBGDIDR"]
        case .rv64:
            return ["misa", "mvendorid", "marchid", "mimpid"]
        }
    }

    /// `ancestors`: the parent first, the root last.
    static func resolve(_ leaf: CoreLayer, ancestors: [CoreLayer]) throws -> CoreProfile {
        let chain = [leaf] + ancestors
        let root = ancestors.last ?? leaf
        let architecture = leaf.architecture

        var description: String?
        var compatible: String?
        var idRegisters: [NamedValue] = []
        var systemRegisters: [CoreLayer.SystemRegister] = []
        var features: [FeatureSetting] = []
        var caches: [CacheSpec]?
        var cachesFile = root.file

        for layer in chain.reversed() {
            if let d = layer.description { description = d }
            if let c = layer.compatible { compatible = c }
            for register in layer.idRegisters {
                if let i = idRegisters.firstIndex(where: { $0.name == register.name }) {
                    idRegisters[i] = register
                } else {
                    idRegisters.append(register)
                }
            }
            for register in layer.systemRegisters {
                if let i = systemRegisters.firstIndex(where: { $0.name == register.name }) {
                    systemRegisters[i] = merge(systemRegisters[i], register)
                } else {
                    systemRegisters.append(register)
                }
            }
            if let f = layer.features { features = FeatureKeys.merge(features, f) }
            if let c = layer.caches {
                caches = c
                cachesFile = layer.file
            }
        }

        guard let description else {
            throw ProfileError(file: root.file, key: "description", message: "missing; expected a one-line description")
        }
        for required in requiredIDRegisters(architecture) where !idRegisters.contains(where: { $0.name == required }) {
            throw ProfileError(file: root.file, key: "id-registers.\(required)",
                               message: "missing; an \(architecture.rawValue) profile must give \(requiredIDRegisters(architecture).joined(separator: ", "))")
        }
        let requiredFeatures = FeatureKeys.requiredKeys(for: architecture, settings: features)
        for key in requiredFeatures where !features.contains(where: { $0.key == key }) {
            let every = architecture == .rv64 ? "every feature (ad-update only with an MMU)" : "every feature"
            throw ProfileError(file: root.file, key: "features.\(key)",
                               message: "missing; an \(architecture.rawValue) profile must give \(every): \(FeatureKeys.keys(for: architecture).joined(separator: ", "))")
        }
        guard let caches else {
            throw ProfileError(file: root.file, key: "caches",
                               message: "missing; expected [[caches]] tables (caches = [] for a core without caches)")
        }

        let specs = try systemRegisters.map(check)
        if architecture == .armv7a, let clidr = idRegisters.first(where: { $0.name == "CLIDR" }) {
            try checkCLIDR(clidr.value, caches: caches, file: cachesFile)
        }

        var resolved = Features()
        FeatureKeys.apply(features, to: &resolved)
        if architecture == .rv64, let misa = idRegisters.first(where: { $0.name == "misa" })?.value,
           let problem = RV64Rules.check(misa: misa, features: resolved) {
            throw ProfileError(file: file(setting: problem.key, in: chain), key: problem.key, message: problem.message)
        }
        return CoreProfile(name: leaf.name, architecture: architecture, description: description, file: leaf.file,
                           inherits: chain.dropFirst().map(\.name), idRegisters: idRegisters,
                           systemRegisters: specs, features: resolved, caches: caches, compatible: compatible)
    }

    /// The file that last set `key` (`id-registers.misa`, `features.mmu-modes[1]`): the nearest
    /// layer of the chain (leaf first) that gives it, else the leaf.
    static func file(setting key: String, in chain: [CoreLayer]) -> String {
        let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return chain.first?.file ?? "" }
        let name = parts[1].split(separator: "[").first.map(String.init) ?? parts[1]
        for layer in chain {
            switch parts[0] {
            case "id-registers" where layer.idRegisters.contains { $0.name == name }:
                return layer.file
            case "features" where layer.features?.contains { $0.key == name } == true:
                return layer.file
            default:
                continue
            }
        }
        return chain.first?.file ?? ""
    }

    /// The child's fields replace the parent's one by one.
    static func merge(_ parent: CoreLayer.SystemRegister, _ child: CoreLayer.SystemRegister) -> CoreLayer.SystemRegister {
        CoreLayer.SystemRegister(name: parent.name, file: child.file,
                                 reset: child.reset ?? parent.reset, res0: child.res0 ?? parent.res0,
                                 res1: child.res1 ?? parent.res1, readOnly: child.readOnly ?? parent.readOnly,
                                 razWI: child.razWI ?? parent.razWI)
    }

    /// A register needs a reset value; its masks must not contradict each other or the reset
    /// value (a RES1 bit that is also RES0 or RAZ/WI could never read back as written).
    static func check(_ register: CoreLayer.SystemRegister) throws -> SystemRegisterSpec {
        let key = "system-registers.\(register.name)"
        func fail(_ field: String, _ message: String) -> ProfileError {
            ProfileError(file: register.file, key: "\(key).\(field)", message: message)
        }
        guard let reset = register.reset else { throw fail("reset", "missing; expected the reset value") }
        let spec = SystemRegisterSpec(name: register.name, reset: reset, res0: register.res0 ?? 0,
                                      res1: register.res1 ?? 0, readOnly: register.readOnly ?? 0,
                                      razWI: register.razWI ?? 0)
        if spec.res0 & spec.res1 != 0 {
            throw fail("res1", "\(Hex.format(spec.res1)) overlaps res0 \(Hex.format(spec.res0)) in bits \(Hex.format(spec.res0 & spec.res1)); a bit cannot be both RES0 and RES1")
        }
        if spec.res1 & spec.razWI != 0 {
            throw fail("raz-wi", "\(Hex.format(spec.razWI)) overlaps res1 \(Hex.format(spec.res1)) in bits \(Hex.format(spec.res1 & spec.razWI)); a RES1 bit cannot read as zero")
        }
        if reset & (spec.res0 | spec.razWI) != 0 {
            throw fail("reset", "\(Hex.format(reset)) sets bits \(Hex.format(reset & (spec.res0 | spec.razWI))) that are RES0 or RAZ/WI")
        }
        if ~reset & spec.res1 != 0 {
            throw fail("reset", "\(Hex.format(reset)) clears RES1 bits \(Hex.format(~reset & spec.res1))")
        }
        return spec
    }

    /// CLIDR (ARM ARM B4.1.20) Ctype<n> [3n+2:3n] must describe the listed caches: 0 none,
    /// 1 instruction only, 2 data only, 3 separate instruction and data, 4 unified.
    static func checkCLIDR(_ clidr: UInt64, caches: [CacheSpec], file: String) throws {
        for level in 1...7 {
            let ctype = (clidr >> UInt64(3 * (level - 1))) & 0x7
            let kinds = Set(caches.filter { $0.level == level }.map(\.kind))
            let listed: UInt64
            switch kinds {
            case []: listed = 0
            case [.instruction]: listed = 1
            case [.data]: listed = 2
            case [.instruction, .data]: listed = 3
            default: listed = 4   // unified (checkDistinct admits nothing else)
            }
            guard ctype == listed else {
                let names = ["no cache", "an instruction cache only", "a data cache only",
                             "separate instruction and data caches", "a unified cache",
                             "a reserved Ctype (5)", "a reserved Ctype (6)", "a reserved Ctype (7)"]
                throw ProfileError(file: file, key: "caches",
                                   message: "CLIDR \(Hex.format(clidr)) says level \(level) has \(names[Int(ctype)]), but [[caches]] lists \(names[Int(listed)])")
            }
        }
    }
}
