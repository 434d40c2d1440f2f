/// The A32 decoder: every group's encodings in one table, most specific first (more fixed
/// bits wins, as decodetree resolves overlapping patterns), so a special case such as
/// `MOVS PC, LR` or a multiply inside the data-processing space never needs an explicit
/// exclusion in the general pattern. Built once; each instruction word is decoded once and
/// cached (see `PhysicalMemory`).
public enum ARMDecoder {
    static let table: [ARMEncoding] = {
        let all = dataProcessingEncodings + multiplyEncodings + mediaEncodings + loadStoreEncodings
            + loadStoreMultipleEncodings + exclusiveEncodings + branchEncodings + statusEncodings
            + exceptionEncodings + coprocessorEncodings + hintEncodings
        return ARMEncoding.sortedBySpecificity(all)
    }()

    /// Decode one instruction word. Anything no encoding claims is UNDEFINED.
    public static func decode(_ word: UInt32) -> ARMInstruction {
        for e in table where e.matches(word) {
            if let d = e.decode(word) { return d }
        }
        return ARMInstruction(group: .undefined, raw: word)
    }

    /// The name of the encoding that decodes `word` (for tests and traces).
    public static func encodingName(_ word: UInt32) -> String {
        for e in table where e.matches(word) {
            if e.decode(word) != nil { return e.name }
        }
        return "UNDEFINED"
    }
}
