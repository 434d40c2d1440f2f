/// Execution of the data-processing instructions (ARM ARM A8.8: AND … MVN, MOVW/MOVT). The
/// decoder has chosen the exact operation, so each case is the instruction's pseudocode with
/// the operand form already known. Reading the PC as Rn or Rm gives the address + 8 (r[15]).
extension ARMCore {
    func execDataProcessing(_ d: ARMInstruction) {
        guard let op = DataProcessingOp.decoded(d.op) else { takeUndefined(); return }
        let r = self.r
        let rd = Int(d.rd)
        switch op {
        // MARK: S = 0, immediate
        case .andImm: r[rd] = r[Int(d.rn)] & d.imm
        case .eorImm: r[rd] = r[Int(d.rn)] ^ d.imm
        case .subImm: r[rd] = r[Int(d.rn)] &- d.imm
        case .rsbImm: r[rd] = d.imm &- r[Int(d.rn)]
        case .addImm: r[rd] = r[Int(d.rn)] &+ d.imm
        case .adcImm: r[rd] = r[Int(d.rn)] &+ d.imm &+ carryIn
        case .sbcImm: r[rd] = r[Int(d.rn)] &- d.imm &- borrowIn
        case .rscImm: r[rd] = d.imm &- r[Int(d.rn)] &- borrowIn
        case .orrImm: r[rd] = r[Int(d.rn)] | d.imm
        case .movImm: r[rd] = d.imm
        case .bicImm: r[rd] = r[Int(d.rn)] & ~d.imm
        case .mvnImm: r[rd] = ~d.imm

        // MARK: S = 0, register LSL #n
        case .andLSL: r[rd] = r[Int(d.rn)] & lslOperand(d)
        case .eorLSL: r[rd] = r[Int(d.rn)] ^ lslOperand(d)
        case .subLSL: r[rd] = r[Int(d.rn)] &- lslOperand(d)
        case .rsbLSL: r[rd] = lslOperand(d) &- r[Int(d.rn)]
        case .addLSL: r[rd] = r[Int(d.rn)] &+ lslOperand(d)
        case .adcLSL: r[rd] = r[Int(d.rn)] &+ lslOperand(d) &+ carryIn
        case .sbcLSL: r[rd] = r[Int(d.rn)] &- lslOperand(d) &- borrowIn
        case .rscLSL: r[rd] = lslOperand(d) &- r[Int(d.rn)] &- borrowIn
        case .orrLSL: r[rd] = r[Int(d.rn)] | lslOperand(d)
        case .movLSL: r[rd] = lslOperand(d)
        case .bicLSL: r[rd] = r[Int(d.rn)] & ~lslOperand(d)
        case .mvnLSL: r[rd] = ~lslOperand(d)

        // MARK: S = 0, register with another immediate shift
        case .andShift: r[rd] = r[Int(d.rn)] & shiftedOperand(d)
        case .eorShift: r[rd] = r[Int(d.rn)] ^ shiftedOperand(d)
        case .subShift: r[rd] = r[Int(d.rn)] &- shiftedOperand(d)
        case .rsbShift: r[rd] = shiftedOperand(d) &- r[Int(d.rn)]
        case .addShift: r[rd] = r[Int(d.rn)] &+ shiftedOperand(d)
        case .adcShift: r[rd] = r[Int(d.rn)] &+ shiftedOperand(d) &+ carryIn
        case .sbcShift: r[rd] = r[Int(d.rn)] &- shiftedOperand(d) &- borrowIn
        case .rscShift: r[rd] = shiftedOperand(d) &- r[Int(d.rn)] &- borrowIn
        case .orrShift: r[rd] = r[Int(d.rn)] | shiftedOperand(d)
        case .movShift: r[rd] = shiftedOperand(d)
        case .bicShift: r[rd] = r[Int(d.rn)] & ~shiftedOperand(d)
        case .mvnShift: r[rd] = ~shiftedOperand(d)

        // MARK: S = 1, arithmetic
        case .subsImm: r[rd] = subtractSettingFlags(r[Int(d.rn)], d.imm)
        case .rsbsImm: r[rd] = subtractSettingFlags(d.imm, r[Int(d.rn)])
        case .addsImm: r[rd] = addSettingFlags(r[Int(d.rn)], d.imm)
        case .adcsImm: r[rd] = addWithCarrySettingFlags(r[Int(d.rn)], d.imm)
        case .sbcsImm: r[rd] = addWithCarrySettingFlags(r[Int(d.rn)], ~d.imm)
        case .rscsImm: r[rd] = addWithCarrySettingFlags(~r[Int(d.rn)], d.imm)
        case .cmpImm: _ = subtractSettingFlags(r[Int(d.rn)], d.imm)
        case .cmnImm: _ = addSettingFlags(r[Int(d.rn)], d.imm)

        case .subsLSL: r[rd] = subtractSettingFlags(r[Int(d.rn)], lslOperand(d))
        case .rsbsLSL: r[rd] = subtractSettingFlags(lslOperand(d), r[Int(d.rn)])
        case .addsLSL: r[rd] = addSettingFlags(r[Int(d.rn)], lslOperand(d))
        case .adcsLSL: r[rd] = addWithCarrySettingFlags(r[Int(d.rn)], lslOperand(d))
        case .sbcsLSL: r[rd] = addWithCarrySettingFlags(r[Int(d.rn)], ~lslOperand(d))
        case .rscsLSL: r[rd] = addWithCarrySettingFlags(~r[Int(d.rn)], lslOperand(d))
        case .cmpLSL: _ = subtractSettingFlags(r[Int(d.rn)], lslOperand(d))
        case .cmnLSL: _ = addSettingFlags(r[Int(d.rn)], lslOperand(d))

        case .subsShift: r[rd] = subtractSettingFlags(r[Int(d.rn)], shiftedOperand(d))
        case .rsbsShift: r[rd] = subtractSettingFlags(shiftedOperand(d), r[Int(d.rn)])
        case .addsShift: r[rd] = addSettingFlags(r[Int(d.rn)], shiftedOperand(d))
        case .adcsShift: r[rd] = addWithCarrySettingFlags(r[Int(d.rn)], shiftedOperand(d))
        case .sbcsShift: r[rd] = addWithCarrySettingFlags(r[Int(d.rn)], ~shiftedOperand(d))
        case .rscsShift: r[rd] = addWithCarrySettingFlags(~r[Int(d.rn)], shiftedOperand(d))
        case .cmpShift: _ = subtractSettingFlags(r[Int(d.rn)], shiftedOperand(d))
        case .cmnShift: _ = addSettingFlags(r[Int(d.rn)], shiftedOperand(d))

        // MARK: S = 1, logical, immediate (C from the rotation when it is not zero)
        case .andsImm: r[rd] = logicalImmediateFlags(r[Int(d.rn)] & d.imm, d)
        case .eorsImm: r[rd] = logicalImmediateFlags(r[Int(d.rn)] ^ d.imm, d)
        case .tstImm: _ = logicalImmediateFlags(r[Int(d.rn)] & d.imm, d)
        case .teqImm: _ = logicalImmediateFlags(r[Int(d.rn)] ^ d.imm, d)
        case .orrsImm: r[rd] = logicalImmediateFlags(r[Int(d.rn)] | d.imm, d)
        case .movsImm: r[rd] = logicalImmediateFlags(d.imm, d)
        case .bicsImm: r[rd] = logicalImmediateFlags(r[Int(d.rn)] & ~d.imm, d)
        case .mvnsImm: r[rd] = logicalImmediateFlags(~d.imm, d)

        // MARK: S = 1, logical, register (C from Shift_C)
        case .andsReg:
            let (b, c) = immShiftedValueCarry(r[Int(d.rm)], d.shiftType, d.shiftAmount)
            r[rd] = logicalFlags(r[Int(d.rn)] & b, c)
        case .eorsReg:
            let (b, c) = immShiftedValueCarry(r[Int(d.rm)], d.shiftType, d.shiftAmount)
            r[rd] = logicalFlags(r[Int(d.rn)] ^ b, c)
        case .tstReg:
            let (b, c) = immShiftedValueCarry(r[Int(d.rm)], d.shiftType, d.shiftAmount)
            _ = logicalFlags(r[Int(d.rn)] & b, c)
        case .teqReg:
            let (b, c) = immShiftedValueCarry(r[Int(d.rm)], d.shiftType, d.shiftAmount)
            _ = logicalFlags(r[Int(d.rn)] ^ b, c)
        case .orrsReg:
            let (b, c) = immShiftedValueCarry(r[Int(d.rm)], d.shiftType, d.shiftAmount)
            r[rd] = logicalFlags(r[Int(d.rn)] | b, c)
        case .movsReg:
            let (b, c) = immShiftedValueCarry(r[Int(d.rm)], d.shiftType, d.shiftAmount)
            r[rd] = logicalFlags(b, c)
        case .bicsReg:
            let (b, c) = immShiftedValueCarry(r[Int(d.rm)], d.shiftType, d.shiftAmount)
            r[rd] = logicalFlags(r[Int(d.rn)] & ~b, c)
        case .mvnsReg:
            let (b, c) = immShiftedValueCarry(r[Int(d.rm)], d.shiftType, d.shiftAmount)
            r[rd] = logicalFlags(~b, c)

        // MARK: General forms
        case .generalImm:
            let carry = d.flags & DataProcessingFlags.immCarryChanges != 0
                ? d.flags & DataProcessingFlags.immCarry != 0 : flagC
            dataProcessingGeneral(d, operand2: d.imm, shifterCarry: carry)
        case .generalReg:
            let (b, c) = immShiftedValueCarry(r[Int(d.rm)], d.shiftType, d.shiftAmount)
            dataProcessingGeneral(d, operand2: b, shifterCarry: c)
        case .generalRegShiftedReg:
            let (b, c) = registerShiftedValueCarry(r[Int(d.rm)], d.shiftType, r[Int(d.rs)])
            dataProcessingGeneral(d, operand2: b, shifterCarry: c)

        // MARK: 16-bit immediates
        case .movw: r[rd] = d.imm
        case .movt: r[rd] = (r[rd] & 0xFFFF) | d.imm
        }
    }

    // MARK: Operands

    @inline(__always) private var carryIn: UInt32 { flagC ? 1 : 0 }
    @inline(__always) private var borrowIn: UInt32 { flagC ? 0 : 1 }

    @inline(__always)
    private func lslOperand(_ d: ARMInstruction) -> UInt32 {
        r[Int(d.rm)] &<< UInt32(d.shiftAmount)
    }

    @inline(__always)
    private func shiftedOperand(_ d: ARMInstruction) -> UInt32 {
        immShiftedValue(r[Int(d.rm)], d.shiftType, d.shiftAmount)
    }

    // MARK: Flag setting

    /// a + b with NZCV (AddWithCarry(a, b, '0')).
    @inline(__always)
    private func addSettingFlags(_ a: UInt32, _ b: UInt32) -> UInt32 {
        let result = a &+ b
        setNZCV(result, result < a, (~(a ^ b) & (a ^ result)) >> 31 != 0)
        return result
    }

    /// a − b with NZCV (AddWithCarry(a, NOT(b), '1')): C = no borrow.
    @inline(__always)
    private func subtractSettingFlags(_ a: UInt32, _ b: UInt32) -> UInt32 {
        let result = a &- b
        setNZCV(result, a >= b, ((a ^ b) & (a ^ result)) >> 31 != 0)
        return result
    }

    /// AddWithCarry(a, b, APSR.C) with NZCV: ADCS, and SBCS/RSCS with one operand inverted.
    @inline(__always)
    private func addWithCarrySettingFlags(_ a: UInt32, _ b: UInt32) -> UInt32 {
        let (result, c, v) = addWithCarry(a, b, flagC)
        setNZCV(result, c, v)
        return result
    }

    @inline(__always)
    private func logicalFlags(_ result: UInt32, _ carry: Bool) -> UInt32 {
        setNZ(result)
        flagC = carry
        return result
    }

    @inline(__always)
    private func logicalImmediateFlags(_ result: UInt32, _ d: ARMInstruction) -> UInt32 {
        setNZ(result)
        if d.flags & DataProcessingFlags.immCarryChanges != 0 {
            flagC = d.flags & DataProcessingFlags.immCarry != 0
        }
        return result
    }

    // MARK: The general path

    /// Any opcode with the operand already shifted: writes to the PC, register-shifted
    /// register forms. Rd = PC without S is ALUWritePC (an interworking branch in ARMv7);
    /// with S it is an exception return (B9.3.20 "SUBS PC, LR and related instructions"):
    /// UNDEFINED in Hyp mode, UNPREDICTABLE in User and System mode (left to
    /// `exceptionReturn`), otherwise CPSR ← SPSR and a branch, with no flag update.
    /// (QEMU treats only SUBS and MOVS this way and lets the other opcodes set flags and
    /// branch; the ARM ARM lists all twelve, and hetboot follows the ARM ARM.)
    @inline(never)
    func dataProcessingGeneral(_ d: ARMInstruction, operand2 b: UInt32, shifterCarry: Bool) {
        let opcode = d.flags >> DataProcessingFlags.opcodeShift
        let setFlags = d.flags & DataProcessingFlags.s != 0
        let a = r[Int(d.rn)]
        let result: UInt32
        var carry = shifterCarry
        var overflow = flagV
        switch opcode {
        case ALUOpcode.and, ALUOpcode.tst: result = a & b
        case ALUOpcode.eor, ALUOpcode.teq: result = a ^ b
        case ALUOpcode.sub, ALUOpcode.cmp: (result, carry, overflow) = addWithCarry(a, ~b, true)
        case ALUOpcode.rsb: (result, carry, overflow) = addWithCarry(~a, b, true)
        case ALUOpcode.add, ALUOpcode.cmn: (result, carry, overflow) = addWithCarry(a, b, false)
        case ALUOpcode.adc: (result, carry, overflow) = addWithCarry(a, b, flagC)
        case ALUOpcode.sbc: (result, carry, overflow) = addWithCarry(a, ~b, flagC)
        case ALUOpcode.rsc: (result, carry, overflow) = addWithCarry(~a, b, flagC)
        case ALUOpcode.orr: result = a | b
        case ALUOpcode.mov: result = b
        case ALUOpcode.bic: result = a & ~b
        default: result = ~b
        }
        if ALUOpcode.isTest(opcode) {
            setNZCV(result, carry, overflow)
            return
        }
        if d.rd == 15 {
            if !setFlags {
                aluWritePC(result)
            } else if mode == .hyp {
                takeUndefined()
            } else {
                exceptionReturn(to: result, psr: spsr)
            }
            return
        }
        r[Int(d.rd)] = result
        if setFlags { setNZCV(result, carry, overflow) }
    }
}
