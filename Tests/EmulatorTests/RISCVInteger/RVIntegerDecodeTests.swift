import XCTest
@testable import Emulator

/// The RV64I/M decode tables: well-formed and non-overlapping, the idioms ADDI is split into,
/// and the reserved or unimplemented encodings that must stay illegal.
final class RVIntegerDecodeTests: XCTestCase {
    static var ours: [RVEncoding] {
        RVDecoder.integerEncodings + RVDecoder.loadStoreEncodings + RVDecoder.branchEncodings
            + RVDecoder.multiplyEncodings
    }

    /// An R-type word.
    static func r(_ funct7: UInt32, _ rs2: UInt32, _ rs1: UInt32, _ funct3: UInt32, _ rd: UInt32, _ opcode: UInt32) -> UInt32 {
        funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode
    }
    /// An I-type word.
    static func i(_ imm: UInt32, _ rs1: UInt32, _ funct3: UInt32, _ rd: UInt32, _ opcode: UInt32) -> UInt32 {
        (imm & 0xFFF) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode
    }

    func testPatternsAreWellFormedAndDisjoint() {
        let all = Self.ours
        XCTAssertEqual(all.count, 30 + 11 + 8 + 13)
        XCTAssertEqual(Set(all.map(\.name)).count, all.count, "names are unique")
        for e in all {
            XCTAssertEqual(e.width, 32, e.name)
            XCTAssertEqual(e.value & ~e.mask, 0, e.name)
            XCTAssertEqual(e.value & 3, 3, "\(e.name) is a 32-bit encoding")
        }
        // No two of our patterns claim a common word: then neither specificity nor listing
        // order decides anything.
        for a in all.indices {
            for b in all.indices where b > a {
                let x = all[a], y = all[b]
                XCTAssertNotEqual((x.value ^ y.value) & x.mask & y.mask, 0, "\(x.name) and \(y.name) overlap")
            }
        }
    }

    func testOpRawValuesAreTheDeclarationOrder() {
        for (n, op) in RVIntegerOp.allCases.enumerated() {
            XCTAssertEqual(Int(op.rawValue), n)
            XCTAssertEqual(RVIntegerOp.decoded(op.rawValue), op)
        }
        XCTAssertNil(RVIntegerOp.decoded(UInt8(RVIntegerOp.allCases.count)))
        for (n, op) in RVLoadStoreOp.allCases.enumerated() {
            XCTAssertEqual(Int(op.rawValue), n)
            XCTAssertEqual(RVLoadStoreOp.decoded(op.rawValue), op)
        }
        XCTAssertNil(RVLoadStoreOp.decoded(UInt8(RVLoadStoreOp.allCases.count)))
        for (n, op) in RVBranchOp.allCases.enumerated() {
            XCTAssertEqual(Int(op.rawValue), n)
            XCTAssertEqual(RVBranchOp.decoded(op.rawValue), op)
        }
        XCTAssertNil(RVBranchOp.decoded(UInt8(RVBranchOp.allCases.count)))
        for (n, op) in RVMultiplyOp.allCases.enumerated() {
            XCTAssertEqual(Int(op.rawValue), n)
            XCTAssertEqual(RVMultiplyOp.decoded(op.rawValue), op)
        }
        XCTAssertNil(RVMultiplyOp.decoded(UInt8(RVMultiplyOp.allCases.count)))
        XCTAssertNil(RVMultiplyOp.decoded(255))
    }

    func testAddiIdiomsAndImmediates() {
        let li = RVDecoder.decode32(Self.i(0x800, 0, 0, 10, 0x13))   // addi a0, zero, -2048
        XCTAssertEqual(li.group, .integer)
        XCTAssertEqual(li.op, RVIntegerOp.li.rawValue)
        XCTAssertEqual(li.imm, 0xFFFF_FFFF_FFFF_F800)
        XCTAssertEqual(li.rd, 10)

        let mv = RVDecoder.decode32(Self.i(0, 11, 0, 10, 0x13))      // addi a0, a1, 0
        XCTAssertEqual(mv.op, RVIntegerOp.mv.rawValue)
        XCTAssertEqual(mv.rs1, 11)

        let addi = RVDecoder.decode32(Self.i(0xFFF, 11, 0, 10, 0x13)) // addi a0, a1, -1
        XCTAssertEqual(addi.op, RVIntegerOp.addi.rawValue)
        XCTAssertEqual(addi.imm, ~0)

        let nop = RVDecoder.decode32(0x0000_0013)
        XCTAssertEqual(nop.op, RVIntegerOp.li.rawValue)
        XCTAssertEqual(nop.rd, 32, "a write to x0 goes to the sink")

        let lui = RVDecoder.decode32(0x8000_0537)                     // lui a0, 0x80000
        XCTAssertEqual(lui.op, RVIntegerOp.li.rawValue)
        XCTAssertEqual(lui.imm, 0xFFFF_FFFF_8000_0000)

        let srai = RVDecoder.decode32(Self.r(0b0100000, 0b11111, 11, 5, 10, 0x13) | 1 << 25)   // srai a0, a1, 63
        XCTAssertEqual(srai.op, RVIntegerOp.srai.rawValue)
        XCTAssertEqual(srai.imm, 63)

        let sd = RVDecoder.decode32(0xFEB5_3C23)                      // sd a1, -8(a0)
        XCTAssertEqual(sd.group, .loadStore)
        XCTAssertEqual(sd.op, RVLoadStoreOp.sd.rawValue)
        XCTAssertEqual(sd.imm, 0 &- 8)
        XCTAssertEqual(sd.rs1, 10)
        XCTAssertEqual(sd.rs2, 11)
    }

    func testReservedAndUnimplementedEncodingsAreIllegal() {
        let illegal: [(String, UInt32)] = [
            ("slliw with shamt[5] = 1", Self.r(0b0000001, 0, 10, 1, 10, 0x1B)),
            ("srliw with shamt[5] = 1", Self.r(0b0000001, 0, 10, 5, 10, 0x1B)),
            ("sraiw with shamt[5] = 1", Self.r(0b0100001, 0, 10, 5, 10, 0x1B)),
            ("slli with funct6 000001", Self.i(0b000001_000000, 10, 1, 10, 0x13)),
            ("srai with funct6 010001", Self.i(0b010001_000000, 10, 5, 10, 0x13)),
            ("Zbb clz", Self.i(0x600, 10, 1, 10, 0x13)),
            ("Zbb sext.b", Self.i(0x604, 10, 1, 10, 0x13)),
            ("Zbb rori", Self.i(0x603, 10, 5, 10, 0x13)),
            ("Zbb rev8", Self.i(0x6B8, 10, 5, 10, 0x13)),
            ("Zbs bseti", Self.i(0x283, 10, 1, 10, 0x13)),
            ("Zbb andn", Self.r(0b0100000, 11, 10, 7, 10, 0x33)),
            ("Zbb min", Self.r(0b0000101, 11, 10, 4, 10, 0x33)),
            ("OP funct7 0000010", Self.r(0b0000010, 11, 10, 0, 10, 0x33)),
            ("OP funct7 0100000 with sll", Self.r(0b0100000, 11, 10, 1, 10, 0x33)),
            ("Zba add.uw", Self.r(0b0000100, 11, 10, 0, 10, 0x3B)),
            ("Zbb rolw", Self.r(0b0110000, 11, 10, 1, 10, 0x3B)),
            ("OP-32 funct3 010", Self.r(0, 11, 10, 2, 10, 0x3B)),
            ("OP-32 M funct3 001", Self.r(1, 11, 10, 1, 10, 0x3B)),
            ("OP-32 M funct3 011", Self.r(1, 11, 10, 3, 10, 0x3B)),
            ("LOAD funct3 111", Self.i(0, 10, 7, 10, 0x03)),
            ("STORE funct3 100", Self.r(0, 11, 10, 4, 0, 0x23)),
            ("BRANCH funct3 010", Self.r(0, 11, 10, 2, 0, 0x63)),
            ("BRANCH funct3 011", Self.r(0, 11, 10, 3, 0, 0x63)),
            ("JALR funct3 001", Self.i(0, 10, 1, 1, 0x67)),
        ]
        for (what, w) in illegal {
            XCTAssertEqual(RVDecoder.decode32(w).group, .illegal, "\(what) (0x\(String(w, radix: 16)))")
        }
        // Their legal neighbours, to show the words above differ only in the reserved field.
        XCTAssertEqual(RVDecoder.encodingName(Self.r(0, 31, 10, 1, 10, 0x1B)), "slliw")
        XCTAssertEqual(RVDecoder.encodingName(Self.r(0b0100000, 31, 10, 5, 10, 0x1B)), "sraiw")
        XCTAssertEqual(RVDecoder.encodingName(Self.i(0b000000_111111, 10, 1, 10, 0x13)), "slli")
        XCTAssertEqual(RVDecoder.encodingName(Self.r(0b0100000, 11, 10, 0, 10, 0x33)), "sub")
        XCTAssertEqual(RVDecoder.encodingName(Self.r(1, 11, 10, 0, 10, 0x3B)), "mulw")
        XCTAssertEqual(RVDecoder.encodingName(Self.i(0, 10, 6, 10, 0x03)), "lwu")
        XCTAssertEqual(RVDecoder.encodingName(Self.r(0, 11, 10, 3, 0, 0x23)), "sd")
        XCTAssertEqual(RVDecoder.encodingName(Self.i(0, 10, 0, 1, 0x67)), "jalr")
    }

    func testIllegalEncodingTrapsWithTheInstructionBits() throws {
        let slliw32 = Self.r(0b0000001, 0, 10, 1, 10, 0x1B)   // slliw a0, a0, 32: reserved on RV64
        let c = try RVInt.run(".word 0x\(String(slliw32, radix: 16))", [Reg.a0: 0x5A5A])
        RVInt.assertTrapped(c, cause: 2, tval: UInt64(slliw32))
        XCTAssertEqual(c.x[Reg.a0], 0x5A5A)
    }
}
