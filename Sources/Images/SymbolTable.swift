/// A named address from an image's symbol table.
public struct ImageSymbol: Sendable {
    public var name: String
    /// `st_value`; for ARM Thumb functions with bit 0 (the Thumb marker) already cleared.
    public var address: UInt64
    /// `st_size`; 0 when the assembler or linker did not record one.
    public var size: UInt64
    /// `STT_FUNC`.
    public var isFunction: Bool

    public init(name: String, address: UInt64, size: UInt64, isFunction: Bool) {
        self.name = name
        self.address = address
        self.size = size
        self.isFunction = isFunction
    }
}

/// The symbols of an image, for turning addresses into "function+0x1c" in reports and for
/// finding a routine by name.
public struct SymbolTable: Sendable {
    /// Symbols without a recorded size are taken to cover this many bytes past their address:
    /// labels in hand-written assembly (the usual case in firmware and boot code) have no size.
    public static let unsizedReach: UInt64 = 64 * 1024

    /// Sorted by address; symbols at the same address keep the order they were given in.
    public let symbols: [ImageSymbol]
    private let addressByName: [String: UInt64]
    /// The largest distance from a symbol's address that any symbol covers: the backward search
    /// in `symbolize` stops there.
    private let longestReach: UInt64

    /// Builds the table, leaving out names that do not name code or data: empty names, ARM and
    /// RISC-V mapping symbols ($a, $t, $d, $x and their "$d.n" / "$xrv64i..." forms, AAELF32
    /// "Mapping symbols", RISC-V psABI "Mapping Symbol") and assembler-local labels (.L...).
    public init(_ symbols: [ImageSymbol]) {
        let kept = symbols.filter { SymbolTable.namesCodeOrData($0.name) }
        var byName: [String: UInt64] = [:]
        for symbol in kept where byName[symbol.name] == nil {
            byName[symbol.name] = symbol.address
        }
        addressByName = byName
        self.symbols = kept.enumerated()
            .sorted { $0.element.address != $1.element.address ? $0.element.address < $1.element.address : $0.offset < $1.offset }
            .map(\.element)
        longestReach = kept.reduce(SymbolTable.unsizedReach) { max($0, $1.size) }
    }

    /// The address of the first symbol called `name`, in the order the symbols were given (the
    /// loader gives global and weak symbols before local ones), or nil.
    public func address(of name: String) -> UInt64? {
        addressByName[name]
    }

    /// "name+0x1c", "name" when `address` is the symbol's own, or "0x80001234" when no symbol
    /// covers it. The symbol is the nearest one at or below `address` whose extent (its size, or
    /// `unsizedReach` when it has none) contains it; among symbols at that same address a
    /// function beats data and a sized symbol beats an unsized one.
    public func symbolize(_ address: UInt64) -> String {
        guard let symbol = covering(address) else {
            return Hex.address(address, uppercase: false)
        }
        let offset = address &- symbol.address
        return offset == 0 ? symbol.name : symbol.name + "+" + Hex.number(offset)
    }

    /// The symbol `symbolize` names `address` after, or nil.
    public func covering(_ address: UInt64) -> ImageSymbol? {
        // First index whose symbol lies above `address`.
        var low = 0
        var high = symbols.count
        while low < high {
            let middle = low + (high - low) / 2
            if symbols[middle].address <= address { low = middle + 1 } else { high = middle }
        }
        var best: ImageSymbol?
        var index = low
        while index > 0 {
            index -= 1
            let candidate = symbols[index]
            let offset = address &- candidate.address   // candidate.address <= address
            if offset >= longestReach { break }
            if let found = best, candidate.address < found.address { break }
            let reach = candidate.size == 0 ? SymbolTable.unsizedReach : candidate.size
            guard offset < reach else { continue }
            // Walking backwards, a candidate at the same address as `best` comes earlier in
            // `symbols`: it wins ties so that the given order decides among equals.
            if let found = best, SymbolTable.rank(found) > SymbolTable.rank(candidate) { continue }
            best = candidate
        }
        return best
    }

    private static func rank(_ symbol: ImageSymbol) -> Int {
        (symbol.isFunction ? 2 : 0) + (symbol.size != 0 ? 1 : 0)
    }

    static func namesCodeOrData(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        if name.hasPrefix(".L") { return false }
        if first == UInt8(ascii: "$") {
            let rest = name.utf8.dropFirst()
            if let kind = rest.first, "adtx".utf8.contains(kind) {
                let after = rest.dropFirst()
                // "$a", "$d.1", "$xrv64i2p1_m2p0": mapping symbols. "$data" is not one.
                if after.isEmpty || after.first == UInt8(ascii: ".") { return false }
                if kind == UInt8(ascii: "x"), after.starts(with: "rv".utf8) { return false }
            }
        }
        return true
    }
}
