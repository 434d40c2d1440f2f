/// One way in which two core profiles differ, as a report line shows it:
/// `MIDR  0x412FC0F1  0x410FC075`, `PMCR reset  0x410F3000  0x41072000`,
/// `L1 instruction cache  32 KiB, 2-way, 64 B lines (CCSIDR 0x201FE00A)  …`.
/// A value one profile lacks is `absent`.
public struct ProfileDifference: Sendable, Equatable {
    public var item: String
    public var a: String
    public var b: String

    public init(item: String, a: String, b: String) {
        self.item = item
        self.a = a
        self.b = b
    }

    /// Every id register, system register reset value and mask, feature and cache that differs,
    /// in a stable order: id registers, system registers, features, caches; within each, the
    /// first profile's file order, then what only the second profile has.
    static func list(_ a: CoreProfile, _ b: CoreProfile) -> [ProfileDifference] {
        var result: [ProfileDifference] = []
        func add(_ item: String, _ x: String, _ y: String) {
            if x != y { result.append(ProfileDifference(item: item, a: x, b: y)) }
        }

        for name in union(a.idRegisters.map(\.name), b.idRegisters.map(\.name)) {
            add(name, a.idRegister(name).map { idValue(name, $0, a.architecture) } ?? absent,
                b.idRegister(name).map { idValue(name, $0, b.architecture) } ?? absent)
        }

        let fields: [(String, KeyPath<SystemRegisterSpec, UInt64>)] = [
            ("reset", \.reset), ("RES0", \.res0), ("RES1", \.res1), ("read-only", \.readOnly), ("RAZ/WI", \.razWI),
        ]
        for name in union(a.systemRegisters.map(\.name), b.systemRegisters.map(\.name)) {
            let x = a.systemRegister(name)
            let y = b.systemRegister(name)
            for (field, path) in fields {
                add("\(name) \(field)", x.map { Hex.format($0[keyPath: path]) } ?? absent,
                    y.map { Hex.format($0[keyPath: path]) } ?? absent)
            }
        }

        let fa = featureValues(a.features)
        let fb = featureValues(b.features)
        for (i, entry) in fa.enumerated() {
            add("feature \(entry.key)", entry.value, fb[i].value)
        }

        let keys = union(a.caches.map(cacheName), b.caches.map(cacheName))
        for key in keys {
            let x = a.caches.first { cacheName($0) == key }
            let y = b.caches.first { cacheName($0) == key }
            add(key, x.map { describe($0, a.architecture) } ?? absent, y.map { describe($0, b.architecture) } ?? absent)
        }
        return result
    }

    static let absent = "absent"

    /// An id register's value in hex; RISC-V `misa` also spells its letters:
    /// `0x80000000001411AD (ACDFHIMSU)`.
    static func idValue(_ name: String, _ value: UInt64, _ architecture: Architecture) -> String {
        guard architecture == .rv64, name == "misa" else { return Hex.format(value) }
        return "\(Hex.format(value)) (\(RV64Rules.letters(value)))"
    }

    /// `first` in order, then the names only `second` has, in its order.
    static func union(_ first: [String], _ second: [String]) -> [String] {
        first + second.filter { !first.contains($0) }
    }

    /// Every feature as text, in a fixed order (the `[features]` keys of ARM, then RISC-V). An
    /// ARM profile has the RISC-V defaults, so comparing two ARM profiles shows no RISC-V line.
    static func featureValues(_ f: Features) -> [(key: String, value: String)] {
        func flag(_ b: Bool) -> String { b ? "yes" : "no" }
        func names(_ s: [String]) -> String { s.isEmpty ? "none" : s.joined(separator: ", ") }
        return [
            ("security", flag(f.security)), ("virtualization", flag(f.virtualization)), ("lpae", flag(f.lpae)),
            ("generic-timer", flag(f.genericTimer)), ("integer-divide", flag(f.integerDivide)),
            ("multiprocessing", flag(f.multiprocessing)), ("thumb", flag(f.thumb)),
            ("gic-priority-bits", String(f.gicPriorityBits)),
            ("isa-extensions", names(f.isaExtensions)), ("privilege-modes", names(f.privilegeModes)),
            ("mmu-modes", names(f.mmuModes)), ("pmp-entries", String(f.pmpEntries)),
            ("misaligned", f.misaligned.rawValue), ("ad-update", f.adUpdate?.rawValue ?? "none (no MMU)"),
            ("time-csr", f.timeCSR.rawValue),
        ]
    }

    /// `L1 instruction cache`, `L2 unified cache`.
    static func cacheName(_ cache: CacheSpec) -> String {
        "L\(cache.level) \(cache.kind.rawValue) cache"
    }

    /// `32 KiB, 2-way, 64 B lines (CCSIDR 0x201FE00A)`.
    static func describe(_ cache: CacheSpec, _ architecture: Architecture) -> String {
        let text = "\(size(cache.sizeBytes)), \(cache.ways)-way, \(cache.lineBytes) B lines"
        return architecture == .armv7a ? "\(text) (CCSIDR \(Hex.format(cache.ccsidr)))" : text
    }

    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) B"
    }
}
