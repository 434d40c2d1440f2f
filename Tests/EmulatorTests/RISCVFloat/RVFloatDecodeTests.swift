import XCTest
@testable import Emulator

/// The F/D decode tables: each instruction of RV64FD is found by its name and fields, and the
/// code points around them that RV64GC leaves reserved (formats H and Q, nonzero rs2 of the
/// unary operations, other funct3 values, vector loads/stores, reserved static rounding modes)
/// decode as illegal.
final class RVFloatDecodeTests: XCTestCase {
    /// An OP-FP word: funct5, fmt, rs2, rs1, funct3/rm, rd.
    private func opFP(_ funct5: UInt32, _ fmt: UInt32, rs2: UInt32 = 2, rs1: UInt32 = 1, _ funct3: UInt32 = 7, rd: UInt32 = 0) -> UInt32 {
        funct5 << 27 | fmt << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | 0x53
    }

    func testEveryRV64FDInstructionDecodesByName() {
        let cases: [(UInt32, String)] = [
            (opFP(0, 0), "fadd.s"), (opFP(1, 1), "fsub.d"), (opFP(2, 0), "fmul.s"), (opFP(3, 1), "fdiv.d"),
            (opFP(11, 0, rs2: 0), "fsqrt.s"), (opFP(4, 1, 0), "fsgnj.d"), (opFP(4, 0, 1), "fsgnjn.s"),
            (opFP(4, 0, 2), "fsgnjx.s"), (opFP(5, 1, 0), "fmin.d"), (opFP(5, 0, 1), "fmax.s"),
            (opFP(8, 0, rs2: 1), "fcvt.s.d"), (opFP(8, 1, rs2: 0), "fcvt.d.s"),
            (opFP(20, 0, 2), "feq.s"), (opFP(20, 1, 1), "flt.d"), (opFP(20, 0, 0), "fle.s"),
            (opFP(28, 1, rs2: 0, 1), "fclass.d"), (opFP(28, 0, rs2: 0, 0), "fmv.x.w"), (opFP(28, 1, rs2: 0, 0), "fmv.x.d"),
            (opFP(30, 0, rs2: 0, 0), "fmv.w.x"), (opFP(30, 1, rs2: 0, 0), "fmv.d.x"),
            (opFP(24, 0, rs2: 0), "fcvt.w.s"), (opFP(24, 0, rs2: 1), "fcvt.wu.s"), (opFP(24, 1, rs2: 2), "fcvt.l.d"),
            (opFP(24, 1, rs2: 3), "fcvt.lu.d"), (opFP(26, 0, rs2: 0), "fcvt.s.w"), (opFP(26, 1, rs2: 3), "fcvt.d.lu"),
            (0x0000_2007, "flw"), (0x0000_3007, "fld"), (0x0000_2027, "fsw"), (0x0000_3027, "fsd"),
            (0x1820_F043, "fmadd.s"), (0x1A20_F047, "fmsub.d"), (0x1820_F04B, "fnmsub.s"), (0x1A20_F04F, "fnmadd.d"),
        ]
        for (word, name) in cases {
            XCTAssertEqual(RVDecoder.encodingName(word), name, String(word, radix: 16))
            XCTAssertEqual(RVDecoder.decode32(word).group, .float, name)
        }
    }

    func testFieldsAndTheRegisterNumbering() {
        // fmadd.d f31, f1, f2, f3, rtz: rs3 = 3, rm = 1, f31 kept (no x0 sink rule for f registers).
        let fma = RVDecoder.decode32(3 << 27 | 1 << 25 | 2 << 20 | 1 << 15 | 1 << 12 | 31 << 7 | 0x43)
        XCTAssertEqual([fma.rd, fma.rs1, fma.rs2, fma.rs3], [31, 1, 2, 3])
        XCTAssertEqual(fma.flags, RVFloatOp.double | 1)
        // fadd.s f0, …: f0 is a register.
        XCTAssertEqual(RVDecoder.decode32(opFP(0, 0, rd: 0)).rd, 0)
        // feq.s x0, …: an integer destination x0 goes to the sink.
        XCTAssertEqual(RVDecoder.decode32(opFP(20, 0, 2, rd: 0)).rd, 32)
        // flw f5, -8(x10): the I immediate.
        let flw = RVDecoder.decode32(0xFF85_2287)
        XCTAssertEqual([flw.rd, flw.rs1], [5, 10])
        XCTAssertEqual(flw.imm, UInt64(bitPattern: -8))
    }

    func testReservedCodePointsAreIllegal() {
        let reserved: [(UInt32, String)] = [
            (opFP(0, 2), "fadd.h (format H)"), (opFP(0, 3), "fadd.q (format Q)"),
            (opFP(0, 0, 5), "fadd.s rm 5"), (opFP(0, 1, 6), "fadd.d rm 6"),
            (opFP(11, 0, rs2: 1), "fsqrt.s rs2 ≠ 0"), (opFP(4, 0, 3), "fsgnj funct3 3"),
            (opFP(5, 0, 2), "fmin/fmax funct3 2"), (opFP(20, 0, 3), "feq/flt/fle funct3 3"),
            (opFP(28, 0, rs2: 0, 2), "fclass/fmv.x funct3 2"), (opFP(28, 0, rs2: 1, 0), "fmv.x.w rs2 ≠ 0"),
            (opFP(30, 0, rs2: 0, 1), "fmv.w.x funct3 1"), (opFP(24, 0, rs2: 4), "fcvt.?.s rs2 4"),
            (opFP(8, 0, rs2: 0), "fcvt.s.s"), (opFP(8, 1, rs2: 1), "fcvt.d.d"), (opFP(8, 0, rs2: 1, 5), "fcvt.s.d rm 5"),
            (0x0000_4007, "flq"), (0x0000_1007, "flh"), (0x0000_0007, "vector load"), (0x0000_6027, "vector store"),
            (0x1C20_F043, "fmadd.h"), (0x1E20_F043, "fmadd.q"), (0x1820_D043, "fmadd.s rm 5"),
        ]
        for (word, what) in reserved {
            XCTAssertEqual(RVDecoder.decode32(word).group, .illegal, what)
        }
    }
}
