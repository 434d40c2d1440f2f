/// One instruction encoding, written as the architecture manual draws it: the bits most
/// significant first, `0`/`1` for fixed bits and any other character (a field letter such as
/// `c` for cond, `n` for Rn, or `-`) for a variable bit; spaces are ignored. For example ARM's
/// data processing (register) is
///
///     "cccc 000o ooos nnnn dddd iiii itt0 mmmm"
///
/// and RISC-V's `c.addi` is the 16-bit `"000 i ddddd iiiii 01"`. `decode` turns a matching
/// word into the ISA's decoded form, or returns nil when a constraint the pattern cannot
/// express is not met (the next matching encoding is tried). Decoding runs once per
/// instruction address (the result is cached), so the closure is not on the hot path.
public struct InstructionEncoding<Decoded> {
    public let name: String
    public let mask: UInt32
    public let value: UInt32
    /// 16 or 32.
    public let width: Int
    public let decode: (UInt32) -> Decoded?

    public init(_ name: String, _ pattern: String, _ decode: @escaping (UInt32) -> Decoded?) {
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
        precondition(count == 32 || count == 16, "encoding \(name): pattern has \(count) bits, not 16 or 32")
        self.name = name
        self.mask = mask
        self.value = value
        self.width = count
        self.decode = decode
    }

    @inline(__always) func matches(_ word: UInt32) -> Bool { word & mask == value }

    /// Every encoding of a table, most specific first (more fixed bits wins, as decodetree
    /// resolves overlapping patterns); among equally specific ones the listing order decides.
    static func sortedBySpecificity(_ all: [InstructionEncoding]) -> [InstructionEncoding] {
        all.enumerated().sorted { a, b in
            let pa = a.element.mask.nonzeroBitCount, pb = b.element.mask.nonzeroBitCount
            return pa != pb ? pa > pb : a.offset < b.offset
        }.map(\.element)
    }
}

/// An A32 encoding.
public typealias ARMEncoding = InstructionEncoding<ARMInstruction>
