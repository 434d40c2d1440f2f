import XCTest
@testable import Emulator

/// `RVDecoder.expand`: every RV64C form against the 32-bit word it stands for. The expected
/// words are literals (cross-checked with the LLVM assembler: each pair assembles to these
/// bits), chosen to exercise every bit of each scrambled immediate — minimum and maximum
/// values and one bit at a time.
final class RVCompressedExpansionTests: XCTestCase {
    /// (compressed source, its 16 bits, the equivalent 32-bit source, its 32 bits)
    static let forms: [(String, UInt32, UInt32, String)] = [
        ("c.addi4spn a0, sp, 4", 0x0048, 0x00410513, "addi a0, sp, 4"),
        ("c.addi4spn a1, sp, 8", 0x002C, 0x00810593, "addi a1, sp, 8"),
        ("c.addi4spn a2, sp, 48", 0x1810, 0x03010613, "addi a2, sp, 48"),
        ("c.addi4spn s0, sp, 960", 0x0780, 0x3C010413, "addi s0, sp, 960"),
        ("c.addi4spn a5, sp, 1020", 0x1FFC, 0x3FC10793, "addi a5, sp, 1020"),
        ("c.fld fa0, 248(a1)", 0x3DE8, 0x0F85B507, "fld fa0, 248(a1)"),
        ("c.fld fs0, 8(s1)", 0x2480, 0x0084B407, "fld fs0, 8(s1)"),
        ("c.lw a0, 124(a1)", 0x5DE8, 0x07C5A503, "lw a0, 124(a1)"),
        ("c.lw s0, 4(s1)", 0x40C0, 0x0044A403, "lw s0, 4(s1)"),
        ("c.lw a2, 64(a3)", 0x42B0, 0x0406A603, "lw a2, 64(a3)"),
        ("c.ld a0, 248(a1)", 0x7DE8, 0x0F85B503, "ld a0, 248(a1)"),
        ("c.ld a5, 8(s0)", 0x641C, 0x00843783, "ld a5, 8(s0)"),
        ("c.ld a1, 128(a2)", 0x624C, 0x08063583, "ld a1, 128(a2)"),
        ("c.fsd fa0, 248(a1)", 0xBDE8, 0x0EA5BC27, "fsd fa0, 248(a1)"),
        ("c.fsd fs1, 64(a5)", 0xA3A4, 0x0497B027, "fsd fs1, 64(a5)"),
        ("c.sw a0, 124(a1)", 0xDDE8, 0x06A5AE23, "sw a0, 124(a1)"),
        ("c.sw s1, 64(s0)", 0xC024, 0x04942023, "sw s1, 64(s0)"),
        ("c.sd a0, 248(a1)", 0xFDE8, 0x0EA5BC23, "sd a0, 248(a1)"),
        ("c.sd a4, 192(a5)", 0xE3F8, 0x0CE7B023, "sd a4, 192(a5)"),
        ("c.nop", 0x0001, 0x00000013, "addi x0, x0, 0"),
        ("c.addi a0, -32", 0x1501, 0xFE050513, "addi a0, a0, -32"),
        ("c.addi t6, 31", 0x0FFD, 0x01FF8F93, "addi t6, t6, 31"),
        ("c.addi sp, 1", 0x0105, 0x00110113, "addi sp, sp, 1"),
        ("c.addiw a0, -1", 0x357D, 0xFFF5051B, "addiw a0, a0, -1"),
        ("c.addiw t0, 0", 0x2281, 0x0002829B, "addiw t0, t0, 0"),
        ("c.addiw s11, 31", 0x2DFD, 0x01FD8D9B, "addiw s11, s11, 31"),
        ("c.li a0, -32", 0x5501, 0xFE000513, "addi a0, x0, -32"),
        ("c.li ra, 31", 0x40FD, 0x01F00093, "addi ra, x0, 31"),
        ("c.addi16sp sp, -512", 0x7101, 0xE0010113, "addi sp, sp, -512"),
        ("c.addi16sp sp, 496", 0x617D, 0x1F010113, "addi sp, sp, 496"),
        ("c.addi16sp sp, 16", 0x6141, 0x01010113, "addi sp, sp, 16"),
        ("c.addi16sp sp, -16", 0x717D, 0xFF010113, "addi sp, sp, -16"),
        ("c.addi16sp sp, 32", 0x6105, 0x02010113, "addi sp, sp, 32"),
        ("c.addi16sp sp, 64", 0x6121, 0x04010113, "addi sp, sp, 64"),
        ("c.addi16sp sp, 128", 0x6109, 0x08010113, "addi sp, sp, 128"),
        ("c.addi16sp sp, 256", 0x6111, 0x10010113, "addi sp, sp, 256"),
        ("c.lui a0, 1", 0x6505, 0x00001537, "lui a0, 1"),
        ("c.lui a0, 0xfffe0", 0x7501, 0xFFFE0537, "lui a0, 0xfffe0"),
        ("c.lui t6, 31", 0x6FFD, 0x0001FFB7, "lui t6, 31"),
        ("c.lui ra, 0xfffff", 0x70FD, 0xFFFFF0B7, "lui ra, 0xfffff"),
        ("c.srli a0, 1", 0x8105, 0x00155513, "srli a0, a0, 1"),
        ("c.srli s0, 63", 0x907D, 0x03F45413, "srli s0, s0, 63"),
        ("c.srai a1, 32", 0x9581, 0x4205D593, "srai a1, a1, 32"),
        ("c.srai a5, 1", 0x8785, 0x4017D793, "srai a5, a5, 1"),
        ("c.andi a0, -32", 0x9901, 0xFE057513, "andi a0, a0, -32"),
        ("c.andi s1, 31", 0x88FD, 0x01F4F493, "andi s1, s1, 31"),
        ("c.andi a2, 0", 0x8A01, 0x00067613, "andi a2, a2, 0"),
        ("c.sub s0, a5", 0x8C1D, 0x40F40433, "sub s0, s0, a5"),
        ("c.xor a0, a1", 0x8D2D, 0x00B54533, "xor a0, a0, a1"),
        ("c.or a2, a3", 0x8E55, 0x00D66633, "or a2, a2, a3"),
        ("c.and a4, a5", 0x8F7D, 0x00F77733, "and a4, a4, a5"),
        ("c.subw s1, a0", 0x9C89, 0x40A484BB, "subw s1, s1, a0"),
        ("c.addw a0, s0", 0x9D21, 0x0085053B, "addw a0, a0, s0"),
        ("c.j -2048", 0xB001, 0x801FF06F, "jal x0, -2048"),
        ("c.j 2046", 0xAFFD, 0x7FE0006F, "jal x0, 2046"),
        ("c.j 2", 0xA009, 0x0020006F, "jal x0, 2"),
        ("c.j 16", 0xA801, 0x0100006F, "jal x0, 16"),
        ("c.j 32", 0xA005, 0x0200006F, "jal x0, 32"),
        ("c.j 64", 0xA081, 0x0400006F, "jal x0, 64"),
        ("c.j 128", 0xA041, 0x0800006F, "jal x0, 128"),
        ("c.j 256", 0xA201, 0x1000006F, "jal x0, 256"),
        ("c.j 512", 0xA401, 0x2000006F, "jal x0, 512"),
        ("c.j 1024", 0xA101, 0x4000006F, "jal x0, 1024"),
        ("c.j -2", 0xBFFD, 0xFFFFF06F, "jal x0, -2"),
        ("c.beqz a0, -256", 0xD101, 0xF00500E3, "beq a0, x0, -256"),
        ("c.beqz a1, 254", 0xCDFD, 0x0E058F63, "beq a1, x0, 254"),
        ("c.beqz s0, 2", 0xC009, 0x00040163, "beq s0, x0, 2"),
        ("c.beqz s1, 8", 0xC481, 0x00048463, "beq s1, x0, 8"),
        ("c.beqz a2, 16", 0xCA01, 0x00060863, "beq a2, x0, 16"),
        ("c.beqz a3, 32", 0xC285, 0x02068063, "beq a3, x0, 32"),
        ("c.beqz a4, 64", 0xC321, 0x04070063, "beq a4, x0, 64"),
        ("c.beqz a5, 128", 0xC3C1, 0x08078063, "beq a5, x0, 128"),
        ("c.bnez s0, -2", 0xFC7D, 0xFE041FE3, "bne s0, x0, -2"),
        ("c.bnez a5, 6", 0xE399, 0x00079363, "bne a5, x0, 6"),
        ("c.slli a0, 1", 0x0506, 0x00151513, "slli a0, a0, 1"),
        ("c.slli t6, 63", 0x1FFE, 0x03FF9F93, "slli t6, t6, 63"),
        ("c.slli ra, 32", 0x1082, 0x02009093, "slli ra, ra, 32"),
        ("c.fldsp fa0, 504(sp)", 0x357E, 0x1F813507, "fld fa0, 504(sp)"),
        ("c.fldsp fs1, 8(sp)", 0x24A2, 0x00813487, "fld fs1, 8(sp)"),
        ("c.fldsp f0, 64(sp)", 0x2006, 0x04013007, "fld f0, 64(sp)"),
        ("c.lwsp a0, 252(sp)", 0x557E, 0x0FC12503, "lw a0, 252(sp)"),
        ("c.lwsp ra, 4(sp)", 0x4092, 0x00412083, "lw ra, 4(sp)"),
        ("c.lwsp t6, 64(sp)", 0x4F86, 0x04012F83, "lw t6, 64(sp)"),
        ("c.lwsp a1, 128(sp)", 0x458A, 0x08012583, "lw a1, 128(sp)"),
        ("c.lwsp s1, 32(sp)", 0x5482, 0x02012483, "lw s1, 32(sp)"),
        ("c.ldsp a0, 504(sp)", 0x757E, 0x1F813503, "ld a0, 504(sp)"),
        ("c.ldsp ra, 8(sp)", 0x60A2, 0x00813083, "ld ra, 8(sp)"),
        ("c.ldsp s0, 64(sp)", 0x6406, 0x04013403, "ld s0, 64(sp)"),
        ("c.ldsp t6, 256(sp)", 0x6F92, 0x10013F83, "ld t6, 256(sp)"),
        ("c.ldsp a2, 32(sp)", 0x7602, 0x02013603, "ld a2, 32(sp)"),
        ("c.jr ra", 0x8082, 0x00008067, "jalr x0, 0(ra)"),
        ("c.jr t6", 0x8F82, 0x000F8067, "jalr x0, 0(t6)"),
        ("c.mv a0, a1", 0x852E, 0x00B00533, "add a0, x0, a1"),
        ("c.mv t6, ra", 0x8F86, 0x00100FB3, "add t6, x0, ra"),
        ("c.ebreak", 0x9002, 0x00100073, "ebreak"),
        ("c.jalr a0", 0x9502, 0x000500E7, "jalr ra, 0(a0)"),
        ("c.jalr t6", 0x9F82, 0x000F80E7, "jalr ra, 0(t6)"),
        ("c.add a0, a1", 0x952E, 0x00B50533, "add a0, a0, a1"),
        ("c.add t6, t5", 0x9FFA, 0x01EF8FB3, "add t6, t6, t5"),
        ("c.fsdsp fa0, 504(sp)", 0xBFAA, 0x1EA13C27, "fsd fa0, 504(sp)"),
        ("c.fsdsp fs11, 8(sp)", 0xA46E, 0x01B13427, "fsd fs11, 8(sp)"),
        ("c.swsp a0, 252(sp)", 0xDFAA, 0x0EA12E23, "sw a0, 252(sp)"),
        ("c.swsp t6, 4(sp)", 0xC27E, 0x01F12223, "sw t6, 4(sp)"),
        ("c.swsp ra, 64(sp)", 0xC086, 0x04112023, "sw ra, 64(sp)"),
        ("c.sdsp a0, 504(sp)", 0xFFAA, 0x1EA13C23, "sd a0, 504(sp)"),
        ("c.sdsp t6, 8(sp)", 0xE47E, 0x01F13423, "sd t6, 8(sp)"),
        ("c.sdsp ra, 64(sp)", 0xE086, 0x04113023, "sd ra, 64(sp)"),
        ("c.sdsp s0, 256(sp)", 0xE222, 0x10813023, "sd s0, 256(sp)"),
    ]

    func testEveryFormExpandsToItsBaseInstruction() {
        for (source, half, word, base) in Self.forms {
            XCTAssertEqual(RVDecoder.expand(half), word,
                           "\(source) (0x\(String(half, radix: 16))) should expand to \(base) (0x\(String(word, radix: 16)))")
            XCTAssertEqual(RVDecoder.encodingName(half), String(source.prefix { $0 != " " }), source)
        }
    }

    func testEveryFormIsCovered() {
        let covered = Set(Self.forms.map { String($0.0.prefix { $0 != " " }) })
        let table = Set(RVDecoder.compressedForms.map(\.name))
        XCTAssertEqual(table.subtracting(covered), [], "forms without an expansion test")
        XCTAssertEqual(table.count, 37)
    }

    /// HINTs (spec §16.7) are their base instruction, writing x0 or a register to itself.
    func testHintsExpandToTheirBaseInstruction() {
        let hints: [(String, UInt32, UInt32)] = [
            ("c.nop 1 → addi x0, x0, 1", 0x0005, 0x0010_0013),
            ("c.addi a0, 0 → addi a0, a0, 0", 0x0501, 0x0005_0513),
            ("c.addi x0, -1 → addi x0, x0, -1", 0x107D, 0xFFF0_0013),
            ("c.li x0, 5 → addi x0, x0, 5", 0x4015, 0x0050_0013),
            ("c.lui x0, 1 → lui x0, 1", 0x6005, 0x0000_1037),
            ("c.mv x0, a0 → add x0, x0, a0", 0x802A, 0x00A0_0033),
            ("c.add x0, a0 → add x0, x0, a0", 0x902A, 0x00A0_0033),
            ("c.slli x0, 1 → slli x0, x0, 1", 0x0006, 0x0010_1013),
            ("c.slli a0, 0 → slli a0, a0, 0", 0x0502, 0x0005_1513),
            ("c.srli s0, 0 → srli s0, s0, 0", 0x8001, 0x0004_5413),
            ("c.srai s0, 0 → srai s0, s0, 0", 0x8401, 0x4004_5413),
        ]
        for (what, half, word) in hints {
            XCTAssertEqual(RVDecoder.expand(half), word, what)
        }
    }

    /// Reserved and illegal code points: nil from `expand`, and an illegal instruction whose
    /// raw bits (mtval) are the 16 bits.
    func testReservedEncodingsAreIllegal() {
        let reserved: [(String, UInt32)] = [
            ("all-zero halfword", 0x0000),
            ("c.addi4spn nzuimm = 0, rd' = a5", 0x001C),
            ("quadrant 0 funct3 = 100", 0x8000),
            ("quadrant 0 funct3 = 100, all ones", 0x9FFC),
            ("c.addiw rd = 0", 0x2001),
            ("c.addiw rd = 0, imm = -1", 0x307D),
            ("c.addi16sp nzimm = 0", 0x6101),
            ("c.lui a0, 0", 0x6501),
            ("c.lui x0, 0", 0x6001),
            ("c.lui t6, 0", 0x6F81),
            ("100 1 11 … 10 … 01 (Zcb c.mul)", 0x9C41),
            ("100 1 11 … 11 … 01 (Zcb)", 0x9C61),
            ("c.lwsp rd = 0", 0x4002),
            ("c.lwsp rd = 0, offset 36", 0x5012),
            ("c.ldsp rd = 0", 0x6002),
            ("c.ldsp rd = 0, offset 504", 0x707E),
            ("c.jr rs1 = 0", 0x8002),
        ]
        for (what, half) in reserved {
            XCTAssertNil(RVDecoder.expand(half), what)
            let d = RVDecoder.decode16(half)
            XCTAssertEqual(d.group, .illegal, what)
            XCTAssertEqual(d.raw, half, what)
            XCTAssertEqual(d.length, 2, what)
            XCTAssertEqual(RVDecoder.encodingName(half), "illegal", what)
        }
        XCTAssertNil(RVDecoder.expand(0x0003), "a 32-bit instruction's low half")
        XCTAssertNil(RVDecoder.expand(0x1_0001), "more than 16 bits")
    }

    /// RV64 has no c.jal: 001 … 01 with rd ≠ 0 is c.addiw.
    func testNoCJalInRV64() {
        // c.addiw ra, 1 = 001 0 00001 00001 01
        XCTAssertEqual(RVDecoder.expand(0x2085), 0x0010_809B)   // addiw ra, ra, 1
        XCTAssertEqual(RVDecoder.encodingName(0x2085), "c.addiw")
    }

    /// decode16 is decode32 of the expansion with length 2 and the 16 raw bits, for every
    /// halfword (the tables agree on which form claims which code point).
    func testDecode16IsDecode32OfTheExpansion() {
        var claimed = 0
        for half in UInt32(0)..<0x1_0000 where half & 3 != 3 {
            let d = RVDecoder.decode16(half)
            XCTAssertEqual(d.length, 2)
            XCTAssertEqual(d.raw, half)
            guard let word = RVDecoder.expand(half) else {
                XCTAssertEqual(d.group, .illegal, "0x\(String(half, radix: 16))")
                continue
            }
            claimed += 1
            var expected = RVDecoder.decode32(word)
            expected.length = 2
            expected.raw = half
            XCTAssertEqual(d, expected, "0x\(String(half, radix: 16))")
        }
        // 49152 halfwords, 2409 of them reserved (counted from the spec's tables).
        XCTAssertEqual(claimed, 49152 - 2409)
    }

    func testFloatingPointFormsDecodeToTheFloatGroup() {
        for half: UInt32 in [0x3DE8 /* c.fld */, 0xBDE8 /* c.fsd */, 0x357E /* c.fldsp */, 0xBFAA /* c.fsdsp */] {
            let d = RVDecoder.decode16(half)
            XCTAssertEqual(d.group, .float, RVDecoder.encodingName(half))
            XCTAssertEqual(d.length, 2)
            XCTAssertEqual(d.raw, half)
        }
    }

    // MARK: Execution that needs no integer group

    func testCEbreakTakesABreakpointAtItsOwnAddress() throws {
        let core = try RVHarness.exec("c.ebreak", steps: 1)
        XCTAssertEqual(core.csr.mcause, 3)
        XCTAssertEqual(core.csr.mepc, RVHarness.ramBase)
        XCTAssertEqual(core.csr.mtval, RVHarness.ramBase)
    }

    func testCompressedFloatLoadWithoutFIsIllegalWithSixteenBitMtval() throws {
        let core = try RVHarness.exec("c.fldsp fa0, 504(sp)", steps: 1, march: "rv64imafdc")
        XCTAssertEqual(core.csr.mcause, 2)
        XCTAssertEqual(core.csr.mtval, 0x357E)
    }

    func testReservedHalfwordTrapsWithSixteenBitMtval() throws {
        let core = try RVHarness.exec(".2byte 0x6101\n.2byte 0x0001", steps: 1)   // c.addi16sp sp, 0
        XCTAssertEqual(core.csr.mcause, 2)
        XCTAssertEqual(core.csr.mtval, 0x6101)
        XCTAssertEqual(core.csr.mepc, RVHarness.ramBase)
        XCTAssertEqual(core.x[2], RVHarness.ramBase + 0x8_0000, "sp untouched")
    }

    func testCompressedInstructionOnAHartWithoutCIsIllegal() throws {
        let noC = RVHarness.profile(extensions: ["i", "m", "a", "zicsr", "zifencei"])
        let core = try RVHarness.exec("c.ebreak", steps: 1, profile: noC)
        XCTAssertEqual(core.csr.mcause, 2)
        XCTAssertEqual(core.csr.mtval, 0x9002)
    }
}
