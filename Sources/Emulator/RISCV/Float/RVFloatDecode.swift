/// The F and D encodings (unprivileged spec chapters 11–12; the opcode map of chapter 24):
/// LOAD-FP/STORE-FP (FLW/FLD/FSW/FSD; the C forms expand to them), OP-FP and the four fused
/// multiply-adds, with fmt 00 = S and 01 = D. Formats H and Q, the vector loads/stores under
/// LOAD-FP/STORE-FP and every other code point are claimed by no pattern: illegal.
///
/// A static rounding mode of 5 or 6 is reserved (§11.2): such an instruction decodes as illegal,
/// so only the dynamic mode (7) is checked at execution, against frm. QEMU 7.2 and Spike reject a
/// reserved rm in the exact operations too (FCVT.D.S, FCVT.D.W[U]), which still carry the field.
///
/// `flags` holds rm in bits 2:0 and the format in bit 3 (`RVFloatOp.double`). A floating-point
/// destination keeps its number (f0 is a register, not a sink); an integer one (FEQ, FCLASS,
/// FCVT.W.S, FMV.X.W …) follows the x0-to-sink rule of every group.
enum RVFloatOp: UInt8 {
    case load, store
    case add, sub, mul, div, sqrt, min, max
    case madd, msub, nmsub, nmadd
    case sgnj, sgnjn, sgnjx
    case eq, lt, le, classify
    /// FCVT.W/WU/L/LU.fmt: float to integer.
    case toW, toWU, toL, toLU
    /// FCVT.fmt.W/WU/L/LU: integer to float.
    case fromW, fromWU, fromL, fromLU
    /// FCVT.S.D (format S, source D) and FCVT.D.S (format D, source S).
    case convert
    /// FMV.X.W/FMV.X.D and FMV.W.X/FMV.D.X.
    case moveToInteger, moveFromInteger

    /// `flags` bit 3: the instruction's format is D.
    static let double: UInt8 = 8
    static let dynamicRounding: UInt8 = 7
}

extension RVDecoder {
    static let floatEncodings: [RVEncoding] = [("s", "00", false), ("d", "01", true)].flatMap { fmt, f, double in
        formatEncodings(fmt, f, double)
    } + [
        RVEncoding("fcvt.s.d", "01000 00 00001 nnnnn rrr ddddd 1010011") { w in
            float(.convert, w, double: false, floatDestination: true, roundingMode: true)
        },
        RVEncoding("fcvt.d.s", "01000 01 00000 nnnnn rrr ddddd 1010011") { w in
            float(.convert, w, double: true, floatDestination: true, roundingMode: true)
        },
        RVEncoding("fmv.x.w", "11100 00 00000 nnnnn 000 ddddd 1010011") { w in
            float(.moveToInteger, w, double: false, floatDestination: false)
        },
        RVEncoding("fmv.x.d", "11100 01 00000 nnnnn 000 ddddd 1010011") { w in
            float(.moveToInteger, w, double: true, floatDestination: false)
        },
        RVEncoding("fmv.w.x", "11110 00 00000 nnnnn 000 ddddd 1010011") { w in
            float(.moveFromInteger, w, double: false, floatDestination: true)
        },
        RVEncoding("fmv.d.x", "11110 01 00000 nnnnn 000 ddddd 1010011") { w in
            float(.moveFromInteger, w, double: true, floatDestination: true)
        },
    ]

    /// The encodings that exist once per format (fmt = "00" for S, "01" for D).
    private static func formatEncodings(_ fmt: String, _ f: String, _ double: Bool) -> [RVEncoding] {
        let width = double ? "011" : "010"
        var table: [RVEncoding] = [
            RVEncoding("fl\(fmt == "s" ? "w" : "d")", "iiiiiiiiiiii nnnnn \(width) ddddd 0000111") { w in
                var d = float(.load, w, double: double, floatDestination: true)
                d?.imm = RVInstruction.immI(w)
                return d
            },
            RVEncoding("fs\(fmt == "s" ? "w" : "d")", "iiiiiii sssss nnnnn \(width) iiiii 0100111") { w in
                var d = float(.store, w, double: double, floatDestination: false)
                d?.imm = RVInstruction.immS(w)
                return d
            },
            RVEncoding("fsqrt.\(fmt)", "01011 \(f) 00000 nnnnn rrr ddddd 1010011") { w in
                float(.sqrt, w, double: double, floatDestination: true, roundingMode: true)
            },
            RVEncoding("fclass.\(fmt)", "11100 \(f) 00000 nnnnn 001 ddddd 1010011") { w in
                float(.classify, w, double: double, floatDestination: false)
            },
        ]
        // Rounded arithmetic: funct5 and the op.
        for (name, funct5, op) in [("fadd", "00000", RVFloatOp.add), ("fsub", "00001", .sub),
                                   ("fmul", "00010", .mul), ("fdiv", "00011", .div)] {
            table.append(RVEncoding("\(name).\(fmt)", "\(funct5) \(f) sssss nnnnn rrr ddddd 1010011") { w in
                float(op, w, double: double, floatDestination: true, roundingMode: true)
            })
        }
        // funct3 selects the operation; no rounding.
        for (name, funct5, funct3, op, floatDestination) in [
            ("fsgnj", "00100", "000", RVFloatOp.sgnj, true), ("fsgnjn", "00100", "001", .sgnjn, true),
            ("fsgnjx", "00100", "010", .sgnjx, true), ("fmin", "00101", "000", .min, true),
            ("fmax", "00101", "001", .max, true), ("feq", "10100", "010", .eq, false),
            ("flt", "10100", "001", .lt, false), ("fle", "10100", "000", .le, false),
        ] {
            table.append(RVEncoding("\(name).\(fmt)", "\(funct5) \(f) sssss nnnnn \(funct3) ddddd 1010011") { w in
                float(op, w, double: double, floatDestination: floatDestination)
            })
        }
        // Conversions with an integer: rs2 selects W, WU, L, LU.
        for (type, rs2, to, from) in [("w", "00000", RVFloatOp.toW, RVFloatOp.fromW), ("wu", "00001", .toWU, .fromWU),
                                      ("l", "00010", .toL, .fromL), ("lu", "00011", .toLU, .fromLU)] {
            table.append(RVEncoding("fcvt.\(type).\(fmt)", "11000 \(f) \(rs2) nnnnn rrr ddddd 1010011") { w in
                float(to, w, double: double, floatDestination: false, roundingMode: true)
            })
            table.append(RVEncoding("fcvt.\(fmt).\(type)", "11010 \(f) \(rs2) nnnnn rrr ddddd 1010011") { w in
                float(from, w, double: double, floatDestination: true, roundingMode: true)
            })
        }
        // R4: rs3 in [31:27].
        for (name, opcode, op) in [("fmadd", "1000011", RVFloatOp.madd), ("fmsub", "1000111", .msub),
                                   ("fnmsub", "1001011", .nmsub), ("fnmadd", "1001111", .nmadd)] {
            table.append(RVEncoding("\(name).\(fmt)", "ccccc \(f) sssss nnnnn rrr ddddd \(opcode)") { w in
                float(op, w, double: double, floatDestination: true, roundingMode: true)
            })
        }
        return table
    }

    /// One F/D instruction; nil (not this encoding: illegal) for a reserved static rm.
    private static func float(_ op: RVFloatOp, _ w: UInt32, double: Bool, floatDestination: Bool,
                              roundingMode: Bool = false) -> RVInstruction? {
        var flags: UInt8 = double ? RVFloatOp.double : 0
        if roundingMode {
            let rm = UInt8(truncatingIfNeeded: RVInstruction.bits(w, 14, 12))
            guard rm != 5 && rm != 6 else { return nil }
            flags |= rm
        }
        var d = RVInstruction(group: .float, op: op.rawValue, raw: w, rd: RVInstruction.rd(w), rs1: RVInstruction.rs1(w),
                              rs2: RVInstruction.rs2(w), rs3: RVInstruction.rs3(w), flags: flags)
        if floatDestination { d.rd = RVInstruction.rd(w) }
        return d
    }
}
