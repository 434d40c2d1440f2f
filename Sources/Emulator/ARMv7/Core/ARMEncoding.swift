/// One A32 encoding, written as the ARM ARM draws it: 32 characters, most significant bit
/// first, `0`/`1` for fixed bits and any other character (conventionally a field letter such
/// as `c` for cond, `n` for Rn, or `-`) for a variable bit; spaces are ignored. For example
/// data processing (register) is
///
///     "cccc 000o ooos nnnn dddd iiii itt0 mmmm"
///
/// `decode` turns a matching word into an `ARMInstruction`, or returns nil when a constraint
/// the pattern cannot express is not met (the next matching encoding is tried).
public struct ARMEncoding {
    public let name: String
    public let mask: UInt32
    public let value: UInt32
    public let decode: (UInt32) -> ARMInstruction?

    public init(_ name: String, _ pattern: String, _ decode: @escaping (UInt32) -> ARMInstruction?) {
        var mask: UInt32 = 0
        var value: UInt32 = 0
        var count = 0
        for ch in pattern where ch != " " {
            mask <<= 1
            value <<= 1
            if ch == "0" || ch == "1" {
                mask |= 1
                if ch == "1" { value |= 1 }
            }
            count += 1
        }
        precondition(count == 32, "encoding \(name): pattern has \(count) bits, not 32")
        self.name = name
        self.mask = mask
        self.value = value
        self.decode = decode
    }

    @inline(__always) func matches(_ word: UInt32) -> Bool { word & mask == value }
}
