/// Execution of group `.media`: one switch; the instructions of each family live in their own
/// file (Saturating, ParallelAddSub, PackExtend, Reverse, Divide); the bit-field
/// instructions are one expression each, below.
extension ARMCore {
    func execMedia(_ d: ARMInstruction) {
        guard let op = MediaOp.decoded(d.op) else { takeUndefined(); return }
        let r = self.r
        let rd = Int(d.rd)
        switch op {
        case .qadd, .qsub, .qdadd, .qdsub: execSaturatingAddSubtract(d, op)
        case .ssat: execSaturate(d, signed: true)
        case .usat: execSaturate(d, signed: false)
        case .ssat16: execSaturate16(d, signed: true)
        case .usat16: execSaturate16(d, signed: false)

        case .parallelAddSub: execParallelAddSubtract(d)
        case .sel: r[rd] = select(r[Int(d.rn)], r[Int(d.rm)])
        case .usad8: r[rd] = sumOfAbsoluteDifferences(r[Int(d.rn)], r[Int(d.rm)])
        case .usada8: r[rd] = sumOfAbsoluteDifferences(r[Int(d.rn)], r[Int(d.rm)]) &+ r[Int(d.rs)]

        case .pkhbt: r[rd] = packBottomTop(r[Int(d.rn)], r[Int(d.rm)], d.shiftAmount)
        case .pkhtb: r[rd] = packTopBottom(r[Int(d.rn)], r[Int(d.rm)], d.shiftAmount)

        case .uxtb: r[rd] = rotated(d) & 0xFF
        case .uxth: r[rd] = rotated(d) & 0xFFFF
        case .uxtb16: r[rd] = rotated(d) & 0x00FF_00FF
        case .sxtb: r[rd] = signExtend8(rotated(d))
        case .sxth: r[rd] = signExtend16(rotated(d))
        case .sxtb16: r[rd] = signExtendBytes16(rotated(d))
        case .uxtab: r[rd] = r[Int(d.rn)] &+ (rotated(d) & 0xFF)
        case .uxtah: r[rd] = r[Int(d.rn)] &+ (rotated(d) & 0xFFFF)
        case .uxtab16: r[rd] = addHalfwords(r[Int(d.rn)], rotated(d) & 0x00FF_00FF)
        case .sxtab: r[rd] = r[Int(d.rn)] &+ signExtend8(rotated(d))
        case .sxtah: r[rd] = r[Int(d.rn)] &+ signExtend16(rotated(d))
        case .sxtab16: r[rd] = addHalfwords(r[Int(d.rn)], signExtendBytes16(rotated(d)))

        case .rev: r[rd] = r[Int(d.rm)].byteSwapped
        case .rev16: r[rd] = reverseHalfwordBytes(r[Int(d.rm)])
        case .revsh: r[rd] = reverseSignedHalfword(r[Int(d.rm)])
        case .rbit: r[rd] = reverseBits(r[Int(d.rm)])
        case .clz: r[rd] = UInt32(r[Int(d.rm)].leadingZeroBitCount)

        // Bit fields: the decoder made msb/lsb/width into a mask and shift amounts (A8.8.20
        // BFC, A8.8.21 BFI, A8.8.164 SBFX = (Rn LSL (31 − msb)) ASR (32 − width), A8.8.246 UBFX).
        case .bfc: r[rd] &= ~d.imm
        case .bfi: r[rd] = (r[rd] & ~d.imm) | ((r[Int(d.rn)] &<< UInt32(d.shiftAmount)) & d.imm)
        case .sbfx: r[rd] = UInt32(bitPattern: Int32(bitPattern: r[Int(d.rn)] &<< UInt32(d.shiftAmount)) &>> d.imm)
        case .ubfx: r[rd] = (r[Int(d.rn)] &>> UInt32(d.shiftAmount)) & d.imm

        case .sdiv: execDivide(d, signed: true)
        case .udiv: execDivide(d, signed: false)
        }
    }

    /// ROR(R[m], rotation) of the extend instructions (rotation 0, 8, 16 or 24).
    @inline(__always)
    private func rotated(_ d: ARMInstruction) -> UInt32 {
        rotateRight(r[Int(d.rm)], UInt32(d.shiftAmount))
    }
}
