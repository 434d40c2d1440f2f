/// Branches (A5.5, A8.8.18 B, A8.8.25 BL/BLX (immediate), A8.8.26 BLX (register), A8.8.27 BX,
/// A8.8.28 BXJ).
enum BranchOp: UInt8 {
    case b, bl, blxImmediate, bx, blxRegister
}

extension ARMDecoder {
    static let branchEncodings: [ARMEncoding] = [
        ARMEncoding("B", "cccc 1010 iiii iiii iiii iiii iiii iiii") { w in
            ARMInstruction(group: .branch, op: BranchOp.b.rawValue, raw: w, imm: branchOffset(w))
        },
        ARMEncoding("BL", "cccc 1011 iiii iiii iiii iiii iiii iiii") { w in
            ARMInstruction(group: .branch, op: BranchOp.bl.rawValue, raw: w, imm: branchOffset(w))
        },
        // BLX (immediate) always switches to Thumb: the H bit is offset bit 1.
        ARMEncoding("BLX (immediate)", "1111 101h iiii iiii iiii iiii iiii iiii") { w in
            ARMInstruction(group: .branch, op: BranchOp.blxImmediate.rawValue, raw: w,
                           imm: branchOffset(w) | (ARMInstruction.bit(w, 24) ? 2 : 0))
        },
        ARMEncoding("BX", "cccc 0001 0010 1111 1111 1111 0001 mmmm") { w in
            ARMInstruction(group: .branch, op: BranchOp.bx.rawValue, raw: w, rm: ARMInstruction.reg(w, 0))
        },
        // BXJ: a core without Jazelle hardware acceleration executes it as BX (A8.8.28).
        ARMEncoding("BXJ", "cccc 0001 0010 1111 1111 1111 0010 mmmm") { w in
            ARMInstruction(group: .branch, op: BranchOp.bx.rawValue, raw: w, rm: ARMInstruction.reg(w, 0))
        },
        ARMEncoding("BLX (register)", "cccc 0001 0010 1111 1111 1111 0011 mmmm") { w in
            let m = ARMInstruction.reg(w, 0)
            return m == 15 ? nil : ARMInstruction(group: .branch, op: BranchOp.blxRegister.rawValue, raw: w, rm: m)
        },
    ]

    /// SignExtend(imm24:'00', 32).
    static func branchOffset(_ w: UInt32) -> UInt32 {
        UInt32(bitPattern: Int32(bitPattern: w << 8) >> 6)
    }
}

extension ARMCore {
    @inline(never)   // a tail call from `execute`, which then needs no registers saved
    func execBranch(_ d: ARMInstruction) {
        switch BranchOp(rawValue: d.op) {
        case .b?:
            branchWritePC(r[15] &+ d.imm)
        case .bl?:
            r[14] = currentPC &+ 4
            branchWritePC(r[15] &+ d.imm)
        case .blxImmediate?:
            r[14] = currentPC &+ 4
            bxWritePC((r[15] &+ d.imm) | 1)
        case .bx?:
            bxWritePC(r[Int(d.rm)])
        case .blxRegister?:
            let target = r[Int(d.rm)]
            r[14] = currentPC &+ 4
            bxWritePC(target)
        case nil:
            takeUndefined()
        }
    }
}
