/// Hexadecimal spelling of addresses and sizes in messages and symbolised addresses.
enum Hex {
    /// "0x" and at least `digits` hex digits, e.g. 0x80000000, 0x00001000.
    static func address(_ value: UInt64, digits: Int = 8, uppercase: Bool = true) -> String {
        let text = String(value, radix: 16, uppercase: uppercase)
        let padding = text.count < digits ? String(repeating: "0", count: digits - text.count) : ""
        return "0x" + padding + text
    }

    /// "0x" and as few digits as needed, e.g. 0x1c.
    static func number(_ value: UInt64) -> String {
        "0x" + String(value, radix: 16)
    }
}
