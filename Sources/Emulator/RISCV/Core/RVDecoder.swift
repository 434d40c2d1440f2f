/// The RISC-V decoder: each group's encodings in one table per width, most specific first.
public enum RVDecoder {
    static let table32: [RVEncoding] = RVEncoding.sortedBySpecificity(
        integerEncodings + loadStoreEncodings + branchEncodings + multiplyEncodings + atomicEncodings
            + csrEncodings + systemEncodings + floatEncodings)
    static let table16: [RVEncoding] = RVEncoding.sortedBySpecificity(compressedEncodings)

    public static func decode32(_ word: UInt32) -> RVInstruction {
        for e in table32 where e.matches(word) {
            if let d = e.decode(word) { return d }
        }
        return RVInstruction(group: .illegal, raw: word)
    }

    /// A 16-bit (C extension) instruction, expanded to the operation it stands for.
    public static func decode16(_ half: UInt32) -> RVInstruction {
        for e in table16 where e.matches(half) {
            if let d = e.decode(half) { return d }
        }
        return RVInstruction(group: .illegal, raw: half, length: 2)
    }

    public static func encodingName(_ word: UInt32) -> String {
        let table = word & 3 == 3 ? table32 : table16
        for e in table where e.matches(word) {
            if e.decode(word) != nil { return e.name }
        }
        return "illegal"
    }
}
