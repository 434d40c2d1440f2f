/// The order in which a TOML file gives its keys.
///
/// TOMLKit (toml++) keeps every table sorted by key, so the file's order is lost in the parsed
/// value. Profiles list registers, caches, devices and options in file order (reports show them
/// that way and options apply in that order), so this scanner re-reads the text — which the TOML
/// parser has already accepted — and records where each key path first appears.
///
/// A path is the list of keys from the root; an element of an array (of tables, or an inline
/// array) is named by its index: `["devices", "2", "properties", "spis"]`.
struct KeyOrder {
    private var positions: [String: Int] = [:]

    init(source: String) {
        var scanner = Scanner(bytes: Array(source.utf8))
        scanner.run()
        positions = scanner.positions
    }

    /// Where `path` first appears (smaller is earlier), or nil if the scanner did not see it.
    func position(of path: [String]) -> Int? {
        positions[Self.joined(path)]
    }

    /// `keys` (the children of the table at `path`) in file order; keys the scanner did not see
    /// (none, for a well-formed file) come last, sorted by name, so the result is deterministic.
    func sorted(_ keys: [String], in path: [String]) -> [String] {
        keys.map { (key: $0, position: position(of: path + [$0]) ?? Int.max) }
            .sorted { $0.position != $1.position ? $0.position < $1.position : $0.key < $1.key }
            .map(\.key)
    }

    fileprivate static func joined(_ path: [String]) -> String {
        path.joined(separator: "\u{1F}")
    }
}

/// A forgiving reader of TOML structure: it never traps and always advances, whatever the text.
private struct Scanner {
    let bytes: [UInt8]
    var index = 0
    var positions: [String: Int] = [:]
    var counter = 0
    /// Arrays of tables seen so far (`[[clusters]]`): joined path → number of elements.
    var arrayCounts: [String: Int] = [:]
    var currentTable: [String] = []

    init(bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Bytes

    func peek(_ offset: Int = 0) -> UInt8? {
        let i = index &+ offset
        return i >= 0 && i < bytes.count ? bytes[i] : nil
    }

    func at(_ text: String) -> Bool {
        var offset = 0
        for byte in text.utf8 {
            guard peek(offset) == byte else { return false }
            offset += 1
        }
        return true
    }

    mutating func advance(_ count: Int = 1) { index = min(bytes.count, index &+ count) }

    mutating func skipSpaces() {
        while let c = peek(), c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { advance() }
    }

    /// Spaces, newlines and comments (between array elements, and between statements).
    mutating func skipBlank() {
        while let c = peek() {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n")
                || c == UInt8(ascii: "\r") {
                advance()
            } else if c == UInt8(ascii: "#") {
                skipLine()
            } else {
                return
            }
        }
    }

    mutating func skipLine() {
        while let c = peek(), c != UInt8(ascii: "\n") { advance() }
        advance()
    }

    // MARK: Recording

    mutating func record(_ path: [String]) {
        let key = KeyOrder.joined(path)
        if positions[key] == nil {
            positions[key] = counter
            counter += 1
        }
    }

    mutating func recordPrefixes(of path: [String], from start: Int) {
        var i = max(1, start)
        while i <= path.count {
            record(Array(path[0..<i]))
            i += 1
        }
    }

    /// Appends the current element index after every component that names an array of tables,
    /// so `[clusters.x]` after two `[[clusters]]` resolves to `clusters.1.x`.
    mutating func resolve(_ components: [String]) -> [String] {
        var path: [String] = []
        for component in components {
            path.append(component)
            if let count = arrayCounts[KeyOrder.joined(path)], count > 0 {
                path.append(String(count - 1))
            }
        }
        return path
    }

    // MARK: Structure

    mutating func run() {
        while index < bytes.count {
            let before = index
            skipBlank()
            guard let c = peek() else { break }
            if c == UInt8(ascii: "[") {
                header()
            } else {
                keyValue(base: currentTable)
                skipSpaces()
                if peek() == UInt8(ascii: "#") { skipLine() }
            }
            if index == before { advance() }   // never stall on text we do not understand
        }
    }

    mutating func header() {
        let isArray = at("[[")
        advance(isArray ? 2 : 1)
        skipSpaces()
        let components = key()
        skipSpaces()
        advance(isArray ? 2 : 1)   // "]]" or "]"
        var path: [String]
        if isArray, let last = components.last {
            path = resolve(Array(components.dropLast()))
            path.append(last)
            let joined = KeyOrder.joined(path)
            let element = arrayCounts[joined] ?? 0
            arrayCounts[joined] = element + 1
            path.append(String(element))
        } else {
            path = resolve(components)
        }
        recordPrefixes(of: path, from: 1)
        currentTable = path
        skipSpaces()
        if peek() == UInt8(ascii: "#") { skipLine() }
    }

    mutating func keyValue(base: [String]) {
        let components = key()
        skipSpaces()
        guard !components.isEmpty, peek() == UInt8(ascii: "=") else {
            skipLine()
            return
        }
        advance()
        skipSpaces()
        let path = base + components
        recordPrefixes(of: path, from: base.count + 1)
        value(path: path)
    }

    /// A dotted key: bare, "basic" or 'literal' parts separated by dots.
    mutating func key() -> [String] {
        var components: [String] = []
        while true {
            skipSpaces()
            guard let c = peek() else { break }
            if c == UInt8(ascii: "\"") {
                advance()
                components.append(basicString())
            } else if c == UInt8(ascii: "'") {
                advance()
                components.append(literalString())
            } else if isBareKeyByte(c) {
                let start = index
                while let b = peek(), isBareKeyByte(b) { advance() }
                components.append(String(decoding: bytes[start..<index], as: UTF8.self))
            } else {
                break
            }
            skipSpaces()
            guard peek() == UInt8(ascii: ".") else { break }
            advance()
        }
        return components
    }

    func isBareKeyByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    mutating func value(path: [String]) {
        guard let c = peek() else { return }
        switch c {
        case UInt8(ascii: "\""):
            if at("\"\"\"") { advance(3); skipMultiline(quote: UInt8(ascii: "\""), escapes: true) }
            else { advance(); _ = basicString() }
        case UInt8(ascii: "'"):
            if at("'''") { advance(3); skipMultiline(quote: UInt8(ascii: "'"), escapes: false) }
            else { advance(); _ = literalString() }
        case UInt8(ascii: "["):
            advance()
            var element = 0
            while index < bytes.count {
                skipBlank()
                if peek() == UInt8(ascii: "]") { advance(); return }
                let before = index
                value(path: path + [String(element)])
                element += 1
                skipBlank()
                if peek() == UInt8(ascii: ",") { advance() }
                else if peek() == UInt8(ascii: "]") { advance(); return }
                else if index == before { advance() }
            }
        case UInt8(ascii: "{"):
            advance()
            while index < bytes.count {
                skipBlank()
                if peek() == UInt8(ascii: "}") { advance(); return }
                let before = index
                keyValue(base: path)
                skipBlank()
                if peek() == UInt8(ascii: ",") { advance() }
                else if peek() == UInt8(ascii: "}") { advance(); return }
                else if index == before { advance() }
            }
        default:
            // Numbers, booleans, dates (which may hold a space): up to the next delimiter.
            while let b = peek(), b != UInt8(ascii: ","), b != UInt8(ascii: "]"), b != UInt8(ascii: "}"),
                  b != UInt8(ascii: "#"), b != UInt8(ascii: "\n"), b != UInt8(ascii: "\r") {
                advance()
            }
        }
    }

    /// After the opening quote: the decoded text of a "basic" string, the index past its close.
    mutating func basicString() -> String {
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            if !raw.isEmpty { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars) }
            raw.removeAll()
        }
        while let c = peek(), c != UInt8(ascii: "\""), c != UInt8(ascii: "\n") {
            if c == UInt8(ascii: "\\") {
                flush()
                advance()
                guard let e = peek() else { break }
                advance()
                switch e {
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let digits = e == UInt8(ascii: "u") ? 4 : 8
                    var value: UInt32 = 0
                    for _ in 0..<digits {
                        guard let h = peek(), let d = hexDigit(h) else { break }
                        value = value &* 16 &+ d
                        advance()
                    }
                    if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
                default: raw.append(e)
                }
            } else {
                raw.append(c)
                advance()
            }
        }
        flush()
        advance()   // closing quote
        return String(scalars)
    }

    mutating func literalString() -> String {
        let start = index
        while let c = peek(), c != UInt8(ascii: "'"), c != UInt8(ascii: "\n") { advance() }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        advance()
        return text
    }

    /// After the opening triple quote: skips to just past the closing one (and up to two more
    /// quotes, which belong to the content).
    mutating func skipMultiline(quote: UInt8, escapes: Bool) {
        while let c = peek() {
            if escapes && c == UInt8(ascii: "\\") {
                advance(2)
            } else if c == quote && peek(1) == quote && peek(2) == quote {
                advance(3)
                var extra = 0
                while extra < 2, peek() == quote { advance(); extra += 1 }
                return
            } else {
                advance()
            }
        }
    }

    func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
