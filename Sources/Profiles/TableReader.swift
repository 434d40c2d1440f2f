import Foundation
import TOMLKit

/// A TOML table being read, with what errors need to name it: the file, the dotted key path and
/// the file's key order. Every accessor checks the type and says what it expected.
///
/// Integers: TOML integers are signed 64-bit, so a value above 0x7FFFFFFFFFFFFFFF (a 64-bit
/// RISC-V `marchid` such as 0x8000000000000007) is written as a string `"0x8000000000000007"`;
/// every unsigned field accepts that form.
struct TableReader {
    let table: TOMLTable
    let file: String
    /// Path for `KeyOrder` (array elements as indices).
    let path: [String]
    /// Dotted label for messages (`devices[2].regions[0]`); empty at the root.
    let label: String
    let order: KeyOrder

    /// Reads and parses a whole file.
    static func load(file: String) throws -> TableReader {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ProfileError(file: file, key: "", message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, file: file)
    }

    static func parse(_ text: String, file: String) throws -> TableReader {
        do {
            let table = try TOMLTable(string: text)
            return TableReader(table: table, file: file, path: [], label: "", order: KeyOrder(source: text))
        } catch let error as TOMLParseError {
            let at = error.source.begin
            throw ProfileError(file: file, key: "",
                               message: "TOML syntax error at line \(at.line), column \(at.column): \(error.description)")
        }
    }

    // MARK: Keys

    /// The table's keys in file order.
    var keys: [String] { order.sorted(table.keys, in: path) }

    func label(_ key: String) -> String { label.isEmpty ? key : "\(label).\(key)" }

    func error(_ key: String, _ message: String) -> ProfileError {
        ProfileError(file: file, key: label(key), message: message)
    }

    /// An error about the table itself.
    func error(_ message: String) -> ProfileError {
        ProfileError(file: file, key: label, message: message)
    }

    /// Rejects any key not in `allowed`, naming the first unknown one (in file order).
    func allowOnly(_ allowed: [String]) throws {
        for key in keys where !allowed.contains(key) {
            throw error(key, "unknown key; expected one of: \(allowed.joined(separator: ", "))")
        }
    }

    func has(_ key: String) -> Bool { table.contains(key: key) }

    func value(_ key: String) -> TOMLValueConvertible? { table[key] }

    // MARK: Typed values

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.string else { throw error(key, "expected a string, found \(Self.describe(value))") }
        return string
    }

    func requiredString(_ key: String) throws -> String {
        guard let string = try string(key) else { throw error(key, "missing; expected a string") }
        return string
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.bool else { throw error(key, "expected true or false, found \(Self.describe(value))") }
        return bool
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = value(key) else { return nil }
        return try Self.int(value, in: range) { error(key, $0) }
    }

    func requiredInt(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let int = try int(key, in: range) else {
            throw error(key, "missing; expected an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return int
    }

    /// A non-negative integer or a "0x…" string; `bits` limits the width (32 for ARM registers).
    func uint64(_ key: String, bits: Int = 64) throws -> UInt64? {
        guard let value = value(key) else { return nil }
        return try Self.uint64(value, bits: bits) { error(key, $0) }
    }

    func requiredUInt64(_ key: String, bits: Int = 64) throws -> UInt64 {
        guard let int = try uint64(key, bits: bits) else { throw error(key, "missing; expected an integer") }
        return int
    }

    /// One of `allowed` (an enum's raw values), as a string.
    func choice<E: RawRepresentable>(_ key: String, _ allowed: [E]) throws -> E? where E.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let choice = allowed.first(where: { $0.rawValue == text }) else {
            throw error(key, "\"\(text)\" is not allowed; expected \(Self.list(allowed.map { "\"\($0.rawValue)\"" }))")
        }
        return choice
    }

    func table(_ key: String) throws -> TableReader? {
        guard let value = value(key) else { return nil }
        guard let table = value.table else { throw error(key, "expected a table, found \(Self.describe(value))") }
        return TableReader(table: table, file: file, path: path + [key], label: label(key), order: order)
    }

    /// An array of tables (`[[caches]]`, or `regions = [ { … }, … ]`), in file order.
    func tables(_ key: String) throws -> [TableReader]? {
        guard let value = value(key) else { return nil }
        guard let array = value.array else {
            throw error(key, "expected an array of tables, found \(Self.describe(value))")
        }
        var result: [TableReader] = []
        for (i, element) in array.enumerated() {
            let elementLabel = "\(label(key))[\(i)]"
            guard let table = element.table else {
                throw ProfileError(file: file, key: elementLabel, message: "expected a table, found \(Self.describe(element))")
            }
            result.append(TableReader(table: table, file: file, path: path + [key, String(i)],
                                      label: elementLabel, order: order))
        }
        return result
    }

    func intArray(_ key: String, in range: ClosedRange<Int>) throws -> [Int]? {
        guard let value = value(key) else { return nil }
        guard let array = value.array else { throw error(key, "expected an array of integers, found \(Self.describe(value))") }
        return try array.enumerated().map { i, element in
            try Self.int(element, in: range) {
                ProfileError(file: file, key: "\(label(key))[\(i)]", message: $0)
            }
        }
    }

    func stringArray(_ key: String) throws -> [String]? {
        guard let value = value(key) else { return nil }
        guard let array = value.array else { throw error(key, "expected an array of strings, found \(Self.describe(value))") }
        return try array.enumerated().map { i, element in
            guard let string = element.string else {
                throw ProfileError(file: file, key: "\(label(key))[\(i)]",
                                   message: "expected a string, found \(Self.describe(element))")
            }
            return string
        }
    }

    // MARK: Conversions

    static func int(_ value: TOMLValueConvertible, in range: ClosedRange<Int>,
                    error: (String) -> ProfileError) throws -> Int {
        guard let int = value.int else {
            throw error("expected an integer from \(range.lowerBound) to \(range.upperBound), found \(describe(value))")
        }
        guard range.contains(int) else {
            throw error("\(int) is out of range; expected \(range.lowerBound) to \(range.upperBound)")
        }
        return int
    }

    static func uint64(_ value: TOMLValueConvertible, bits: Int, error: (String) -> ProfileError) throws -> UInt64 {
        let result: UInt64
        if let int = value.int {
            guard int >= 0 else { throw error("\(int) is negative; expected a non-negative integer") }
            result = UInt64(int)
        } else if let text = value.string {
            guard let parsed = parseHex(text) else {
                throw error("\"\(text)\" is not a hex number; expected an integer or a string \"0x…\" of up to 16 hex digits")
            }
            result = parsed
        } else {
            throw error("expected an integer, found \(describe(value))")
        }
        if bits < 64, result >> UInt64(bits) != 0 {
            throw error("\(Hex.format(result)) does not fit in \(bits) bits")
        }
        return result
    }

    /// `0x` followed by 1–16 hex digits, `_` allowed between digits as in TOML.
    static func parseHex(_ text: String) -> UInt64? {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { return nil }
        let digits = text.dropFirst(2)
        guard let first = digits.first, first != "_", digits.last != "_" else { return nil }
        var value: UInt64 = 0
        var count = 0
        for c in digits {
            if c == "_" { continue }
            guard let d = c.hexDigitValue else { return nil }
            count += 1
            guard count <= 16 else { return nil }
            value = value << 4 | UInt64(d)
        }
        return value
    }

    static func describe(_ value: TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return "the string \"\(value.string ?? "")\""
        case .int: return "the integer \(value.int.map(String.init) ?? "")"
        case .double: return "a floating-point number"
        case .bool: return value.bool == true ? "true" : "false"
        case .table: return "a table"
        case .array: return "an array"
        case .date: return "a date"
        case .time: return "a time"
        case .dateTime: return "a date-time"
        }
    }

    /// "a", "a or b", "a, b or c".
    static func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + last
    }
}

/// Hex formatting for messages and reports: `0x%08X`, or 16 digits when the value needs more
/// than 32 bits.
enum Hex {
    static func format(_ value: UInt64) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        let width = value > 0xFFFF_FFFF ? 16 : 8
        return "0x" + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
