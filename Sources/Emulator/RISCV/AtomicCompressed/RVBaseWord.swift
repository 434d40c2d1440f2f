/// Builders of 32-bit base instruction words in the six formats of the unprivileged spec
/// (§2.2–2.3, R/I/S/B/U/J). The C extension uses them to turn each 16-bit instruction into the
/// 32-bit instruction it stands for, which the 32-bit decoder then decodes.
enum RVBaseWord {
    // Major opcodes (spec chapter 24, "RV32/64G Instruction Set Listings").
    static let load: UInt32 = 0b000_0011
    static let loadFP: UInt32 = 0b000_0111
    static let opImm: UInt32 = 0b001_0011
    static let opImm32: UInt32 = 0b001_1011
    static let store: UInt32 = 0b010_0011
    static let storeFP: UInt32 = 0b010_0111
    static let op: UInt32 = 0b011_0011
    static let op32: UInt32 = 0b011_1011
    static let lui: UInt32 = 0b011_0111
    static let branch: UInt32 = 0b110_0011
    static let jalr: UInt32 = 0b110_0111
    static let jal: UInt32 = 0b110_1111
    /// EBREAK: SYSTEM with funct12 = 1.
    static let ebreak: UInt32 = 0x0010_0073

    static func r(_ opcode: UInt32, rd: UInt32, funct3: UInt32, rs1: UInt32, rs2: UInt32, funct7: UInt32 = 0) -> UInt32 {
        funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode
    }

    /// imm: the 12-bit signed immediate (for the RV64 shifts, funct6 and the 6-bit shamt).
    static func i(_ opcode: UInt32, rd: UInt32, funct3: UInt32, rs1: UInt32, imm: Int32) -> UInt32 {
        (UInt32(bitPattern: imm) & 0xFFF) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode
    }

    static func s(_ opcode: UInt32, funct3: UInt32, rs1: UInt32, rs2: UInt32, imm: Int32) -> UInt32 {
        let v = UInt32(bitPattern: imm) & 0xFFF
        return (v >> 5) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (v & 0x1F) << 7 | opcode
    }

    /// offset: the even, 13-bit signed branch offset.
    static func b(funct3: UInt32, rs1: UInt32, rs2: UInt32, offset: Int32) -> UInt32 {
        let v = UInt32(bitPattern: offset)
        return ((v >> 12) & 1) << 31 | ((v >> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12
            | ((v >> 1) & 0xF) << 8 | ((v >> 11) & 1) << 7 | branch
    }

    /// imm: the value the instruction produces (its low 12 bits are zero).
    static func u(_ opcode: UInt32, rd: UInt32, imm: Int32) -> UInt32 {
        UInt32(bitPattern: imm) & 0xFFFF_F000 | rd << 7 | opcode
    }

    /// offset: the even, 21-bit signed jump offset.
    static func j(rd: UInt32, offset: Int32) -> UInt32 {
        let v = UInt32(bitPattern: offset)
        return ((v >> 20) & 1) << 31 | ((v >> 1) & 0x3FF) << 21 | ((v >> 11) & 1) << 20 | ((v >> 12) & 0xFF) << 12
            | rd << 7 | jal
    }
}
