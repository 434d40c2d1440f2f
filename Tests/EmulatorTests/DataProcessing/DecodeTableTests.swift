import XCTest
@testable import Emulator

/// The data-processing, multiply and media decode tables: well-formed patterns, no two
/// equally specific patterns claiming the same word, and representative words landing on
/// the intended encoding (and other groups' words not landing on ours).
final class DecodeTableTests: XCTestCase {
    static var ours: [ARMEncoding] {
        ARMDecoder.dataProcessingEncodings + ARMDecoder.multiplyEncodings + ARMDecoder.mediaEncodings
    }

    func testPatternsAreWellFormed() {
        let all = Self.ours
        XCTAssertGreaterThan(all.count, 100)
        for e in all {
            // ARMEncoding's initializer rejects patterns that are not 32 bits; here: fixed
            // values only where the mask says fixed.
            XCTAssertEqual(e.value & ~e.mask, 0, e.name)
            XCTAssertFalse(e.name.isEmpty)
        }
        XCTAssertEqual(Set(all.map(\.name)).count, all.count, "encoding names are unique")
    }

    func testNoEquallySpecificOverlap() {
        let all = Self.ours
        for i in all.indices {
            for j in all.indices where j > i {
                let a = all[i], b = all[j]
                guard a.mask.nonzeroBitCount == b.mask.nonzeroBitCount else { continue }
                let overlap = (a.value ^ b.value) & a.mask & b.mask == 0
                XCTAssertFalse(overlap, "\(a.name) and \(b.name) are equally specific and overlap")
            }
        }
    }

    /// Against the whole table (every group's encodings): an equally specific pattern of
    /// another group overlapping one of ours would make the listing order decide. Patterns
    /// of the unconditional space (cond fixed to 1111) do not count: our closures refuse
    /// cond = 1111, so those words always fall through to them.
    func testNoEquallySpecificOverlapWithOtherGroups() {
        let ourNames = Set(Self.ours.map(\.name))
        let others = ARMDecoder.table.filter { e in
            !ourNames.contains(e.name) && !(e.mask >> 28 == 0xF && e.value >> 28 == 0xF)
        }
        for a in Self.ours {
            for b in others where a.mask.nonzeroBitCount == b.mask.nonzeroBitCount {
                let overlap = (a.value ^ b.value) & a.mask & b.mask == 0
                XCTAssertFalse(overlap, "\(a.name) and \(b.name) are equally specific and overlap")
            }
        }
    }

    func testRepresentativeWords() throws {
        let expected: [(String, String)] = [
            ("add r0, r1, #4", "ADD (immediate)"),
            ("subs pc, lr, #4", "SUB (immediate)"),
            ("cmp r1, #0", "CMP (immediate)"),
            ("mvn r0, #0", "MVN (immediate)"),
            ("and r0, r1, r2, lsl #3", "AND (register)"),
            ("tst r0, r1", "TST (register)"),
            ("movs pc, lr", "MOV (register)"),
            ("lsr r0, r1, #32", "MOV (register)"),
            ("rrx r0, r1", "MOV (register)"),
            ("mov r0, r1, lsl r2", "MOV (register-shifted register)"),
            ("cmn r0, r1, ror r2", "CMN (register-shifted register)"),
            ("movw r0, #0x1234", "MOVW"),
            ("movt r0, #0x1234", "MOVT"),
            ("mul r0, r1, r2", "MUL"),
            ("umaal r0, r1, r2, r3", "UMAAL"),
            ("smlalbt r0, r1, r2, r3", "SMLAL<x><y>"),
            ("smlatt r0, r1, r2, r3", "SMLA<x><y>"),
            ("smlawb r0, r1, r2, r3", "SMLAW<y>"),
            ("smulwt r0, r1, r2", "SMULW<y>"),
            ("smultb r0, r1, r2", "SMUL<x><y>"),
            ("smlad r0, r1, r2, r3", "SMLAD"),
            ("smuadx r0, r1, r2", "SMUAD"),
            ("smusd r0, r1, r2", "SMUSD"),
            ("smlsldx r0, r1, r2, r3", "SMLSLD"),
            ("smmul r0, r1, r2", "SMMUL"),
            ("smmlar r0, r1, r2, r3", "SMMLA"),
            ("smmls r0, r1, r2, r3", "SMMLS"),
            ("qdsub r0, r1, r2", "QDSUB"),
            ("clz r0, r1", "CLZ"),
            ("sadd16 r0, r1, r2", "SADD16"),
            ("uhsub8 r0, r1, r2", "UHSUB8"),
            ("uqasx r0, r1, r2", "UQASX"),
            ("sel r0, r1, r2", "SEL"),
            ("pkhtb r0, r1, r2, asr #3", "PKH"),
            ("ssat r0, #3, r1", "SSAT"),
            ("usat16 r0, #3, r1", "USAT16"),
            ("uxtb r0, r1", "UXTB"),
            ("uxtab r0, r1, r2, ror #8", "UXTAB"),
            ("sxtb16 r0, r1", "SXTB16"),
            ("rev r0, r1", "REV"),
            ("revsh r0, r1", "REVSH"),
            ("rbit r0, r1", "RBIT"),
            ("usad8 r0, r1, r2", "USAD8"),
            ("usada8 r0, r1, r2, r3", "USADA8"),
            ("bfc r0, #3, #4", "BFC"),
            ("bfi r0, r1, #3, #4", "BFI"),
            ("sbfx r0, r1, #3, #4", "SBFX"),
            ("udiv r0, r1, r2", "UDIV"),
        ]
        let words = try ARMHarness.assemble(expected.map(\.0).joined(separator: "\n"))
        XCTAssertEqual(words.count, expected.count)
        for (word, (source, name)) in zip(words, expected) {
            XCTAssertEqual(ARMDecoder.encodingName(word), name, source)
            XCTAssertNotEqual(ARMDecoder.decode(word).group, .undefined, source)
        }
    }

    /// Neighbours in the same encoding spaces that belong to other groups (or to nobody).
    func testOtherGroupsWordsAreNotOurs() throws {
        let ourNames = Set(Self.ours.map(\.name))
        let foreign = [
            "mrs r0, apsr", "msr cpsr_fc, r0", "bx lr", "blx r3", "bkpt #1", "hvc #2", "smc #0", "eret",
            "nop", "wfi", "msr cpsr_f, #0xf0000000", "ldrh r0, [r1, #2]", "strd r2, r3, [r1]",
            "ldrsb r0, [r1], r2", "ldrex r0, [r1]", "strexd r0, r2, r3, [r1]", "ldr r0, [r1, r2, lsl #2]",
            "udf #0", "pld [r0, r1]", "cps #0x13", "setend be", "svc #0", "mcr p15, 0, r0, c1, c0, 0",
        ]
        let words = try ARMHarness.assemble(foreign.joined(separator: "\n"))
        XCTAssertEqual(words.count, foreign.count)
        for (word, source) in zip(words, foreign) {
            XCTAssertFalse(ourNames.contains(ARMDecoder.encodingName(word)), "\(source) decoded as \(ARMDecoder.encodingName(word))")
        }
        // TST … CMN with S = 0 is the miscellaneous space (register forms) or MSR immediate and
        // hints (immediate forms), not data processing.
        for word: UInt32 in [0xE100_0000, 0xE120_0000, 0xE140_0000, 0xE160_0000, 0xE100_0010, 0xE320_F000, 0xE360_F000] {
            XCTAssertFalse(ourNames.contains(ARMDecoder.encodingName(word)), String(word, radix: 16))
        }
        // cond = 1111 is the unconditional space: never ours.
        for word: UInt32 in [0xF280_0000, 0xF000_0000, 0xF6A0_0010, 0xF000_0090, 0xF700_0010, 0xF6EF_0F31] {
            XCTAssertFalse(ourNames.contains(ARMDecoder.encodingName(word)), String(word, radix: 16))
        }
    }

    func testShouldBeZeroFieldsAreUndefined() {
        // TST r1, r2 with Rd = 0001 (QEMU: UNDEFINED); MOV r0, r2 with Rn = 0001.
        XCTAssertEqual(ARMDecoder.decode(0xE111_1002).group, .undefined)
        XCTAssertEqual(ARMDecoder.decode(0xE1A1_0002).group, .undefined)
        // MUL with Ra ≠ 0.
        XCTAssertEqual(ARMDecoder.decode(0xE000_1291).group, .undefined)
    }

    /// `decoded(_:)` bit-casts `op` back to the enum: every case must round-trip, and values
    /// past the last case must be refused.
    func testOperationRoundTrip() {
        for c in DataProcessingOp.allCases { XCTAssertEqual(DataProcessingOp.decoded(c.rawValue), c) }
        for c in MultiplyOp.allCases { XCTAssertEqual(MultiplyOp.decoded(c.rawValue), c) }
        for c in MediaOp.allCases { XCTAssertEqual(MediaOp.decoded(c.rawValue), c) }
        XCTAssertNil(DataProcessingOp.decoded(UInt8(DataProcessingOp.allCases.count)))
        XCTAssertNil(MultiplyOp.decoded(UInt8(MultiplyOp.allCases.count)))
        XCTAssertNil(MediaOp.decoded(UInt8(MediaOp.allCases.count)))
        XCTAssertNil(MediaOp.decoded(255))
        XCTAssertEqual(DataProcessingOp.allCases.last, .movt)
        XCTAssertEqual(MultiplyOp.allCases.last, .smmls)
        XCTAssertEqual(MediaOp.allCases.last, .udiv)
    }

    func testDecodeChoosesTheSpecificOperation() throws {
        let words = try ARMHarness.assemble("""
            add r0, r1, #1
            add r0, r1, r2
            add r0, r1, r2, lsr #2
            adds r0, r1, r2, lsl #1
            ands r0, r1, r2, asr #1
            add pc, r1, #1
            and r0, r1, r2, lsl r3
            """)
        let ops = words.map { ARMDecoder.decode($0).op }
        XCTAssertEqual(ops, [DataProcessingOp.addImm, .addLSL, .addShift, .addsLSL, .andsReg, .generalImm, .generalRegShiftedReg].map(\.rawValue))
        // The immediate is expanded at decode time, with its carry.
        let d = ARMDecoder.decode(try ARMHarness.assemble("movs r0, #0x80000000")[0])
        XCTAssertEqual(d.imm, 0x8000_0000)
        XCTAssertEqual(d.flags & (DataProcessingFlags.immCarryChanges | DataProcessingFlags.immCarry),
                       DataProcessingFlags.immCarryChanges | DataProcessingFlags.immCarry)
        // Register-shifted register with the PC: UNDEFINED.
        XCTAssertEqual(ARMDecoder.decode(0xE08F_0312).group, .undefined)
    }
}
