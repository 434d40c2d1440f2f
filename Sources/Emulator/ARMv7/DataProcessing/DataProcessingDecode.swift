/// Decoding of the data-processing instructions (ARM ARM A5.2.1–A5.2.3, A8.8): the three
/// operand forms of AND … MVN, and MOVW/MOVT.
///
/// Patterns follow the ARM ARM's encodings; like QEMU (`a32.decode`) the should-be-zero Rd of
/// TST/TEQ/CMP/CMN and Rn of MOV/MVN are fixed bits, so a word with them set is UNDEFINED
/// (ARM ARM: UNPREDICTABLE). TST … CMN with S = 0 are not data processing (that is the
/// miscellaneous and halfword-multiply space, A5.2.12/A5.2.7): their patterns fix S = 1.
/// Every closure refuses cond = 1111, the unconditional space (A5.7).
extension ARMDecoder {
    static let dataProcessingEncodings: [ARMEncoding] = [
        // Immediate (A5.2.3): ARMExpandImm_C is done here, once.
        ARMEncoding("AND (immediate)", "cccc 0010 000s nnnn dddd iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("EOR (immediate)", "cccc 0010 001s nnnn dddd iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("SUB (immediate)", "cccc 0010 010s nnnn dddd iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("RSB (immediate)", "cccc 0010 011s nnnn dddd iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("ADD (immediate)", "cccc 0010 100s nnnn dddd iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("ADC (immediate)", "cccc 0010 101s nnnn dddd iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("SBC (immediate)", "cccc 0010 110s nnnn dddd iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("RSC (immediate)", "cccc 0010 111s nnnn dddd iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("TST (immediate)", "cccc 0011 0001 nnnn 0000 iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("TEQ (immediate)", "cccc 0011 0011 nnnn 0000 iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("CMP (immediate)", "cccc 0011 0101 nnnn 0000 iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("CMN (immediate)", "cccc 0011 0111 nnnn 0000 iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("ORR (immediate)", "cccc 0011 100s nnnn dddd iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("MOV (immediate)", "cccc 0011 101s 0000 dddd iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("BIC (immediate)", "cccc 0011 110s nnnn dddd iiii iiii iiii", decodeDataProcessingImmediate),
        ARMEncoding("MVN (immediate)", "cccc 0011 111s 0000 dddd iiii iiii iiii", decodeDataProcessingImmediate),

        // Register with an immediate shift (A5.2.1); MOV covers LSL/LSR/ASR/ROR/RRX (immediate).
        ARMEncoding("AND (register)", "cccc 0000 000s nnnn dddd iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("EOR (register)", "cccc 0000 001s nnnn dddd iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("SUB (register)", "cccc 0000 010s nnnn dddd iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("RSB (register)", "cccc 0000 011s nnnn dddd iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("ADD (register)", "cccc 0000 100s nnnn dddd iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("ADC (register)", "cccc 0000 101s nnnn dddd iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("SBC (register)", "cccc 0000 110s nnnn dddd iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("RSC (register)", "cccc 0000 111s nnnn dddd iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("TST (register)", "cccc 0001 0001 nnnn 0000 iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("TEQ (register)", "cccc 0001 0011 nnnn 0000 iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("CMP (register)", "cccc 0001 0101 nnnn 0000 iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("CMN (register)", "cccc 0001 0111 nnnn 0000 iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("ORR (register)", "cccc 0001 100s nnnn dddd iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("MOV (register)", "cccc 0001 101s 0000 dddd iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("BIC (register)", "cccc 0001 110s nnnn dddd iiii itt0 mmmm", decodeDataProcessingRegister),
        ARMEncoding("MVN (register)", "cccc 0001 111s 0000 dddd iiii itt0 mmmm", decodeDataProcessingRegister),

        // Register-shifted register (A5.2.2); MOV covers LSL/LSR/ASR/ROR (register).
        ARMEncoding("AND (register-shifted register)", "cccc 0000 000s nnnn dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("EOR (register-shifted register)", "cccc 0000 001s nnnn dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("SUB (register-shifted register)", "cccc 0000 010s nnnn dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("RSB (register-shifted register)", "cccc 0000 011s nnnn dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("ADD (register-shifted register)", "cccc 0000 100s nnnn dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("ADC (register-shifted register)", "cccc 0000 101s nnnn dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("SBC (register-shifted register)", "cccc 0000 110s nnnn dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("RSC (register-shifted register)", "cccc 0000 111s nnnn dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("TST (register-shifted register)", "cccc 0001 0001 nnnn 0000 ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("TEQ (register-shifted register)", "cccc 0001 0011 nnnn 0000 ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("CMP (register-shifted register)", "cccc 0001 0101 nnnn 0000 ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("CMN (register-shifted register)", "cccc 0001 0111 nnnn 0000 ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("ORR (register-shifted register)", "cccc 0001 100s nnnn dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("MOV (register-shifted register)", "cccc 0001 101s 0000 dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("BIC (register-shifted register)", "cccc 0001 110s nnnn dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),
        ARMEncoding("MVN (register-shifted register)", "cccc 0001 111s 0000 dddd ssss 0tt1 mmmm", decodeDataProcessingRegisterShifted),

        // 16-bit immediate moves (A8.8.102, A8.8.106).
        ARMEncoding("MOVW", "cccc 0011 0000 iiii dddd iiii iiii iiii") { w in decodeMove16(w, top: false) },
        ARMEncoding("MOVT", "cccc 0011 0100 iiii dddd iiii iiii iiii") { w in decodeMove16(w, top: true) },
    ]

    /// Per ALU opcode, the operation for each form:
    /// (S=0 immediate, S=0 LSL, S=0 other shift, S=1 immediate, S=1 LSL, S=1 other shift).
    /// TST … CMN always have S = 1 (their patterns fix it), so their S=0 entries repeat S=1.
    private static let dataProcessingOps: [(DataProcessingOp, DataProcessingOp, DataProcessingOp,
                                            DataProcessingOp, DataProcessingOp, DataProcessingOp)] = [
        (.andImm, .andLSL, .andShift, .andsImm, .andsReg, .andsReg),
        (.eorImm, .eorLSL, .eorShift, .eorsImm, .eorsReg, .eorsReg),
        (.subImm, .subLSL, .subShift, .subsImm, .subsLSL, .subsShift),
        (.rsbImm, .rsbLSL, .rsbShift, .rsbsImm, .rsbsLSL, .rsbsShift),
        (.addImm, .addLSL, .addShift, .addsImm, .addsLSL, .addsShift),
        (.adcImm, .adcLSL, .adcShift, .adcsImm, .adcsLSL, .adcsShift),
        (.sbcImm, .sbcLSL, .sbcShift, .sbcsImm, .sbcsLSL, .sbcsShift),
        (.rscImm, .rscLSL, .rscShift, .rscsImm, .rscsLSL, .rscsShift),
        (.tstImm, .tstReg, .tstReg, .tstImm, .tstReg, .tstReg),
        (.teqImm, .teqReg, .teqReg, .teqImm, .teqReg, .teqReg),
        (.cmpImm, .cmpLSL, .cmpShift, .cmpImm, .cmpLSL, .cmpShift),
        (.cmnImm, .cmnLSL, .cmnShift, .cmnImm, .cmnLSL, .cmnShift),
        (.orrImm, .orrLSL, .orrShift, .orrsImm, .orrsReg, .orrsReg),
        (.movImm, .movLSL, .movShift, .movsImm, .movsReg, .movsReg),
        (.bicImm, .bicLSL, .bicShift, .bicsImm, .bicsReg, .bicsReg),
        (.mvnImm, .mvnLSL, .mvnShift, .mvnsImm, .mvnsReg, .mvnsReg),
    ]

    /// Opcode and S, as the flags byte every data-processing instruction carries.
    @inline(__always)
    private static func opcodeAndS(_ w: UInt32) -> (opcode: UInt8, s: Bool, flags: UInt8) {
        let opcode = UInt8(truncatingIfNeeded: (w >> 21) & 0xF)
        let s = w & (1 << 20) != 0
        return (opcode, s, opcode << DataProcessingFlags.opcodeShift | (s ? DataProcessingFlags.s : 0))
    }

    static func decodeDataProcessingImmediate(_ w: UInt32) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        var (opcode, s, flags) = opcodeAndS(w)
        let rd = ARMInstruction.reg(w, 12)
        let (value, carryChanges, carry) = armExpandImm(w & 0xFFF)
        if carryChanges { flags |= DataProcessingFlags.immCarryChanges }
        if carry { flags |= DataProcessingFlags.immCarry }
        let forms = dataProcessingOps[Int(opcode)]
        let op: DataProcessingOp = rd == 15 && !ALUOpcode.isTest(opcode) ? .generalImm : (s ? forms.3 : forms.0)
        return ARMInstruction(group: .dataProcessing, op: op.rawValue, raw: w, rd: rd,
                              rn: ARMInstruction.reg(w, 16), flags: flags, imm: value)
    }

    static func decodeDataProcessingRegister(_ w: UInt32) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        let (opcode, s, flags) = opcodeAndS(w)
        let rd = ARMInstruction.reg(w, 12)
        let (type, amount) = ShiftKind.decodeImmShift(type: ARMInstruction.bits(w, 6, 5), imm5: ARMInstruction.bits(w, 11, 7))
        let forms = dataProcessingOps[Int(opcode)]
        let op: DataProcessingOp
        if rd == 15 && !ALUOpcode.isTest(opcode) {
            op = .generalReg
        } else if type == ShiftKind.lsl {
            op = s ? forms.4 : forms.1
        } else {
            op = s ? forms.5 : forms.2
        }
        return ARMInstruction(group: .dataProcessing, op: op.rawValue, raw: w, rd: rd, rn: ARMInstruction.reg(w, 16),
                              rm: ARMInstruction.reg(w, 0), shiftType: type, shiftAmount: amount, flags: flags)
    }

    /// Register-shifted register: any of Rd, Rn, Rm, Rs being the PC is UNPREDICTABLE (A8.8.x
    /// "(register-shifted register)": `if d == 15 || n == 15 || m == 15 || s == 15`); hetboot
    /// makes it UNDEFINED rather than guess at which PC offset a core would read.
    static func decodeDataProcessingRegisterShifted(_ w: UInt32) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        let (opcode, _, flags) = opcodeAndS(w)
        let rd = ARMInstruction.reg(w, 12), rn = ARMInstruction.reg(w, 16)
        let rs = ARMInstruction.reg(w, 8), rm = ARMInstruction.reg(w, 0)
        let usesRd = !ALUOpcode.isTest(opcode)
        let usesRn = opcode != ALUOpcode.mov && opcode != ALUOpcode.mvn
        if rm == 15 || rs == 15 || (usesRd && rd == 15) || (usesRn && rn == 15) {
            return ARMInstruction(group: .undefined, raw: w)
        }
        return ARMInstruction(group: .dataProcessing, op: DataProcessingOp.generalRegShiftedReg.rawValue, raw: w,
                              rd: rd, rn: rn, rm: rm, rs: rs,
                              shiftType: UInt8(truncatingIfNeeded: ARMInstruction.bits(w, 6, 5)), flags: flags)
    }

    /// MOVW/MOVT: imm16 = imm4:imm12; Rd = PC is UNPREDICTABLE, made UNDEFINED here.
    static func decodeMove16(_ w: UInt32, top: Bool) -> ARMInstruction? {
        if w >> 28 == 0xF { return nil }
        let rd = ARMInstruction.reg(w, 12)
        if rd == 15 { return ARMInstruction(group: .undefined, raw: w) }
        let imm16 = (ARMInstruction.bits(w, 19, 16) << 12) | (w & 0xFFF)
        return ARMInstruction(group: .dataProcessing, op: (top ? DataProcessingOp.movt : .movw).rawValue, raw: w,
                              rd: rd, imm: top ? imm16 << 16 : imm16)
    }
}
