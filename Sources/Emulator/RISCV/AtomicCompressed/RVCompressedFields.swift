/// The fields of the 16-bit formats (unprivileged spec §16.2, "Compressed Instruction Formats",
/// and the per-instruction immediate layouts of §16.3–16.5). Immediates are scattered across the
/// halfword so that the sign bit is always bit 12 and shared bits stay in place; each function
/// below gathers one layout, written as the spec draws it: `inst[12:10] = uimm[5:3]` is
/// `bits(h, 12, 10) << 3`.
enum RVCField {
    @inline(__always) static func bits(_ h: UInt32, _ hi: Int, _ lo: Int) -> UInt32 { RVInstruction.bits(h, hi, lo) }

    /// Sign-extend the low `width` bits of `v`.
    @inline(__always) static func signed(_ v: UInt32, width: Int) -> Int32 {
        let shift = UInt32(32 - width)
        return Int32(bitPattern: v << shift) >> Int32(shift)
    }

    // MARK: Registers

    /// rd or rs1 of the CR/CI/CSS formats: bits 11:7, any of x0–x31.
    static func rd(_ h: UInt32) -> UInt32 { bits(h, 11, 7) }
    /// rs2 of the CR/CSS formats: bits 6:2.
    static func rs2(_ h: UInt32) -> UInt32 { bits(h, 6, 2) }
    /// rd′ (CIW/CL) or rs2′ (CS/CA) in bits 4:2: one of x8–x15.
    static func rdPrime(_ h: UInt32) -> UInt32 { 8 + bits(h, 4, 2) }
    /// rs1′ (CL/CS/CB) or rd′/rs1′ (CA, CB ALU forms) in bits 9:7: one of x8–x15.
    static func rs1Prime(_ h: UInt32) -> UInt32 { 8 + bits(h, 9, 7) }

    // MARK: Immediates

    /// CI: imm[5] = inst[12], imm[4:0] = inst[6:2], signed (c.addi, c.addiw, c.li, c.andi).
    static func ciImmediate(_ h: UInt32) -> Int32 { signed(bits(h, 12, 12) << 5 | bits(h, 6, 2), width: 6) }

    /// CI shifts: shamt[5] = inst[12], shamt[4:0] = inst[6:2] (RV64: all six bits count).
    static func shamt(_ h: UInt32) -> Int32 { Int32(bits(h, 12, 12) << 5 | bits(h, 6, 2)) }

    /// c.lui: nzimm[17] = inst[12], nzimm[16:12] = inst[6:2], signed; returns the value loaded.
    static func luiImmediate(_ h: UInt32) -> Int32 { ciImmediate(h) << 12 }

    /// c.addi16sp: nzimm[9] = inst[12], nzimm[4|6|8:7|5] = inst[6:2], signed.
    static func addi16spImmediate(_ h: UInt32) -> Int32 {
        signed(bits(h, 12, 12) << 9 | bits(h, 6, 6) << 4 | bits(h, 5, 5) << 6 | bits(h, 4, 3) << 7 | bits(h, 2, 2) << 5,
               width: 10)
    }

    /// c.addi4spn (CIW): nzuimm[5:4|9:6|2|3] = inst[12:5].
    static func addi4spnImmediate(_ h: UInt32) -> Int32 {
        Int32(bits(h, 12, 11) << 4 | bits(h, 10, 7) << 6 | bits(h, 6, 6) << 2 | bits(h, 5, 5) << 3)
    }

    /// c.lw/c.sw (CL/CS word): uimm[5:3] = inst[12:10], uimm[2] = inst[6], uimm[6] = inst[5].
    static func wordOffset(_ h: UInt32) -> Int32 { Int32(bits(h, 12, 10) << 3 | bits(h, 6, 6) << 2 | bits(h, 5, 5) << 6) }

    /// c.ld/c.sd/c.fld/c.fsd (CL/CS doubleword): uimm[5:3] = inst[12:10], uimm[7:6] = inst[6:5].
    static func doubleOffset(_ h: UInt32) -> Int32 { Int32(bits(h, 12, 10) << 3 | bits(h, 6, 5) << 6) }

    /// c.lwsp (CI): uimm[5] = inst[12], uimm[4:2|7:6] = inst[6:2].
    static func lwspOffset(_ h: UInt32) -> Int32 { Int32(bits(h, 12, 12) << 5 | bits(h, 6, 4) << 2 | bits(h, 3, 2) << 6) }

    /// c.ldsp/c.fldsp (CI): uimm[5] = inst[12], uimm[4:3|8:6] = inst[6:2].
    static func ldspOffset(_ h: UInt32) -> Int32 { Int32(bits(h, 12, 12) << 5 | bits(h, 6, 5) << 3 | bits(h, 4, 2) << 6) }

    /// c.swsp (CSS): uimm[5:2|7:6] = inst[12:7].
    static func swspOffset(_ h: UInt32) -> Int32 { Int32(bits(h, 12, 9) << 2 | bits(h, 8, 7) << 6) }

    /// c.sdsp/c.fsdsp (CSS): uimm[5:3|8:6] = inst[12:7].
    static func sdspOffset(_ h: UInt32) -> Int32 { Int32(bits(h, 12, 10) << 3 | bits(h, 9, 7) << 6) }

    /// c.j (CJ): offset[11|4|9:8|10|6|7|3:1|5] = inst[12:2], signed.
    static func jumpOffset(_ h: UInt32) -> Int32 {
        let v = bits(h, 12, 12) << 11 | bits(h, 11, 11) << 4 | bits(h, 10, 9) << 8 | bits(h, 8, 8) << 10
            | bits(h, 7, 7) << 6 | bits(h, 6, 6) << 7 | bits(h, 5, 3) << 1 | bits(h, 2, 2) << 5
        return signed(v, width: 12)
    }

    /// c.beqz/c.bnez (CB): offset[8|4:3] = inst[12:10], offset[7:6|2:1|5] = inst[6:2], signed.
    static func branchOffset(_ h: UInt32) -> Int32 {
        let v = bits(h, 12, 12) << 8 | bits(h, 11, 10) << 3 | bits(h, 6, 5) << 6 | bits(h, 4, 3) << 1 | bits(h, 2, 2) << 5
        return signed(v, width: 9)
    }
}
