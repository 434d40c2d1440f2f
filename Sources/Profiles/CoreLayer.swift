/// One core profile file as written, before `inherits` is resolved. Everything but the name and
/// the architecture is optional here, so that a variant gives only what differs from its parent;
/// `CoreResolver` merges the chain and checks that the result is complete.
///
/// File format (`cpu-profiles/cores/NAME.toml`):
///
///     name = "cortex-a15"            # must equal the file name
///     architecture = "armv7-a"       # armv7-a | rv64; a variant repeats its parent's
///     description = "ARM Cortex-A15 r2p1"
///     inherits = "cortex-a15"        # variants only: the parent profile
///     compatible = "arm,cortex-a15"  # optional: the device-tree compatible of the core's
///                                    # /cpus/cpu@N node (machines with a generated tree need it)
///
///     [id-registers]                 # read-only identification registers, any order
///     MIDR = 0x412FC0F1
///
///     [system-registers.SCTLR]       # writable registers: reset value and masks
///     reset = 0x00C50078
///     res0 = 0x…                     # reads 0, writes ignored
///     res1 = 0x…                     # reads 1, writes ignored
///     read-only = 0x…                # keeps its reset value, writes ignored
///     raz-wi = 0x…                   # reads 0, writes ignored (implementation choice)
///
///     [features]                     # every key of the architecture (FeatureKeys)
///     virtualization = true
///
///     # rv64 instead: [id-registers] misa, mvendorid, marchid, mimpid (misa: MXL = 2 in [63:62],
///     # one bit per letter, checked against the features by RV64Rules), and
///     # [features] isa-extensions = ["i", "m", "a", "c", "zicsr"]   # letters and Z/S names
///     #            privilege-modes = ["m", "s", "u"]
///     #            mmu-modes = ["sv39"]          # besides Bare; [] = no MMU (needs "s" otherwise)
///     #            pmp-entries = 8
///     #            misaligned = "trap"           # trap | hardware
///     #            ad-update = "fault"           # fault | hardware; only with an MMU
///     #            time-csr = "trap"             # hardware | trap
///     # and caches = [] (a top-level key) for a hart without caches.
///
///     [[caches]]                     # one per cache, in CLIDR order
///     level = 1
///     kind = "data"                  # instruction | data | unified
///     ccsidr = 0x701FE00A            # ARM only; must describe size/ways/line
///     size = 32768                   # bytes
///     ways = 2
///     line = 64                      # bytes
///
/// ARM register values must fit in 32 bits. TOML integers are signed 64-bit: a larger value
/// (RISC-V `marchid = "0x8000000000000007"`) is written as a hex string. A variant's
/// `[id-registers]` entries and `[system-registers.X]` fields replace the parent's one by one,
/// its `[features]` keys replace the parent's one by one, and its `[[caches]]`, when present,
/// replace the parent's whole cache list.
struct CoreLayer {
    struct SystemRegister {
        var name: String
        /// The file that last set a field of this register (errors about it name this file).
        var file: String
        var reset: UInt64?
        var res0: UInt64?
        var res1: UInt64?
        var readOnly: UInt64?
        var razWI: UInt64?
    }

    var file: String
    var name: String
    var architecture: Architecture
    var description: String?
    var compatible: String?
    var inherits: String?
    var idRegisters: [NamedValue]
    var systemRegisters: [SystemRegister]
    var features: [FeatureSetting]?
    var caches: [CacheSpec]?

    static let topLevelKeys = ["name", "architecture", "description", "compatible", "inherits", "id-registers",
                               "system-registers", "features", "caches"]
    static let registerFields = ["reset", "res0", "res1", "read-only", "raz-wi"]
    static let cacheKeys = ["level", "kind", "ccsidr", "size", "ways", "line"]

    /// Register width in bits: ARMv7-A system registers are 32-bit (64-bit ones are not
    /// profile data); RV64 CSRs are 64-bit.
    static func registerBits(_ architecture: Architecture) -> Int {
        architecture == .armv7a ? 32 : 64
    }

    static func read(file: String, expectedName: String) throws -> CoreLayer {
        let root = try TableReader.load(file: file)
        try root.allowOnly(topLevelKeys)

        let name = try root.requiredString("name")
        guard name == expectedName else {
            throw root.error("name", "\"\(name)\" differs from the file name; expected \"\(expectedName)\"")
        }
        guard let architecture = try root.choice("architecture", Architecture.allCases) else {
            throw root.error("architecture", "missing; expected \(TableReader.list(Architecture.allCases.map { "\"\($0.rawValue)\"" }))")
        }
        let bits = registerBits(architecture)

        var layer = CoreLayer(file: file, name: name, architecture: architecture,
                              description: try root.string("description"), compatible: try root.string("compatible"),
                              inherits: try root.string("inherits"),
                              idRegisters: [], systemRegisters: [], features: nil, caches: nil)
        if layer.inherits == name {
            throw root.error("inherits", "a profile cannot inherit from itself")
        }

        if let ids = try root.table("id-registers") {
            for register in ids.keys {
                try checkRegisterName(register, in: ids)
                layer.idRegisters.append(NamedValue(name: register, value: try ids.requiredUInt64(register, bits: bits)))
            }
        }

        if let registers = try root.table("system-registers") {
            for register in registers.keys {
                try checkRegisterName(register, in: registers)
                guard let fields = try registers.table(register) else { continue }
                try fields.allowOnly(registerFields)
                layer.systemRegisters.append(SystemRegister(
                    name: register, file: file,
                    reset: try fields.uint64("reset", bits: bits), res0: try fields.uint64("res0", bits: bits),
                    res1: try fields.uint64("res1", bits: bits), readOnly: try fields.uint64("read-only", bits: bits),
                    razWI: try fields.uint64("raz-wi", bits: bits)))
            }
        }

        if let features = try root.table("features") {
            layer.features = try FeatureKeys.parse(features, architecture: architecture)
        }

        if let caches = try root.tables("caches") {
            layer.caches = try caches.map { try readCache($0, architecture: architecture) }
            try checkDistinct(layer.caches ?? [], caches)
        } else if root.has("caches") {
            layer.caches = []
        }
        return layer
    }

    static func checkRegisterName(_ name: String, in table: TableReader) throws {
        let scalars = name.unicodeScalars
        let isIdentifier = scalars.first.map { ASCII.isLetter($0) } == true
            && scalars.allSatisfy { ASCII.isLetter($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard isIdentifier else {
            throw table.error(name, "not a register name; expected letters, digits and _ starting with a letter")
        }
    }

    static func readCache(_ cache: TableReader, architecture: Architecture) throws -> CacheSpec {
        try cache.allowOnly(cacheKeys)
        let level = try cache.requiredInt("level", in: 1...7)
        guard let kind = try cache.choice("kind", [CacheSpec.Kind.instruction, .data, .unified]) else {
            throw cache.error("kind", "missing; expected \"instruction\", \"data\" or \"unified\"")
        }
        let size = try cache.requiredInt("size", in: 1...(1 << 40))
        let ways = try cache.requiredInt("ways", in: 1...1024)
        let line = try cache.requiredInt("line", in: 4...4096)
        guard line & (line - 1) == 0 else { throw cache.error("line", "\(line) is not a power of two") }
        guard size % (ways * line) == 0 else {
            throw cache.error("size", "\(size) bytes is not a whole number of sets of \(ways) × \(line) B")
        }

        var ccsidr: UInt64 = 0
        switch architecture {
        case .armv7a:
            ccsidr = try cache.requiredUInt64("ccsidr", bits: 32)
            // CCSIDR (ARM ARM B4.1.19): LineSize [2:0] = log2(words per line) − 2,
            // Associativity [12:3] = ways − 1, NumSets [27:13] = sets − 1.
            let geometry = CCSIDRGeometry(ccsidr)
            let described = "CCSIDR \(Hex.format(ccsidr)) describes \(geometry.sets) sets × \(geometry.ways) ways × \(geometry.lineBytes) B"
            guard line == geometry.lineBytes else {
                throw cache.error("line", "\(line) B does not match: \(described)")
            }
            guard ways == geometry.ways else {
                throw cache.error("ways", "\(ways) does not match: \(described)")
            }
            guard size == geometry.sizeBytes else {
                throw cache.error("size", "\(size) bytes does not match: \(described) = \(geometry.sizeBytes) bytes")
            }
        case .rv64:
            if cache.has("ccsidr") { throw cache.error("ccsidr", "CCSIDR is an ARM register; remove it for rv64") }
        }
        return CacheSpec(level: level, kind: kind, ccsidr: ccsidr, sizeBytes: size, ways: ways, lineBytes: line)
    }

    /// One cache per level and kind; a unified cache has no instruction or data sibling.
    static func checkDistinct(_ caches: [CacheSpec], _ readers: [TableReader]) throws {
        for (i, cache) in caches.enumerated() {
            for earlier in caches[..<i] where earlier.level == cache.level {
                if earlier.kind == cache.kind || earlier.kind == .unified || cache.kind == .unified {
                    throw readers[i].error("kind", "level \(cache.level) already has a \(earlier.kind.rawValue) cache; expected one unified cache or one instruction and one data cache per level")
                }
            }
        }
    }
}

/// The geometry a CCSIDR value describes (ARM ARM B4.1.19).
struct CCSIDRGeometry {
    var lineBytes: Int
    var ways: Int
    var sets: Int
    var sizeBytes: Int { sets * ways * lineBytes }

    init(_ ccsidr: UInt64) {
        lineBytes = 1 << (Int(ccsidr & 0x7) + 4)          // 4 words × 2^LineSize
        ways = Int((ccsidr >> 3) & 0x3FF) + 1
        sets = Int((ccsidr >> 13) & 0x7FFF) + 1
    }
}

/// Register names are ASCII.
private enum ASCII {
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
