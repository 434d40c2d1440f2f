/// Single loads and stores: LDR/STR/LDRB/STRB (A8.8.62 ff.), LDRH/STRH/LDRSB/LDRSH and
/// LDRD/STRD (A8.8.72 ff.), in offset, pre-indexed and post-indexed forms.
///
/// Order of effects, as QEMU's `op_load_ri`/`op_store_ri` (target/arm/tcg/translate.c) does it:
/// the access first; if it aborted (the memory function has taken the Data Abort already) the
/// instruction ends with Rn untouched; then the base writeback; for a load, the loaded value
/// last. UNPREDICTABLE register overlaps therefore resolve as QEMU resolves them:
/// - load with writeback and Rt == Rn: Rt gets the loaded value (it is written after the base);
/// - store with writeback and Rt == Rn: the original Rn is stored (Rt is read before writeback);
/// - LDRD with writeback and Rn ∈ {Rt, Rt2}: the writeback wins (QEMU `op_ldrd_ri` writes the
///   two registers, then the base);
/// - writeback to Rn = PC (literal with W = 1, or post-indexed): a branch to the written-back
///   address with bits [1:0] cleared (QEMU `store_reg(s, 15, …)`);
/// - Rm = PC reads the instruction's address + 8, as any register read of the PC.
extension ARMCore {
    func execLoadStore(_ d: ARMInstruction) {
        // Rn = PC (the literal forms) reads address + 8, which in ARM state is already
        // Align(PC, 4).
        let base = r[Int(d.rn)]
        let offsetAddress = base &+ (d.flags & LoadStoreFlags.registerOffset != 0 ? registerOffset(d) : d.imm)
        let address = d.flags & LoadStoreFlags.preIndex != 0 ? offsetAddress : base
        switch LoadStoreOp(rawValue: d.op) {
        case .ldr?:
            guard let v = load32(address) else { return }
            completeLoad(d, offsetAddress, v)
        case .ldrb?:
            guard let v = load8(address) else { return }
            completeLoad(d, offsetAddress, v)
        case .ldrh?:
            guard let v = load16(address) else { return }
            completeLoad(d, offsetAddress, v)
        case .ldrsb?:
            guard let v = load8(address) else { return }
            completeLoad(d, offsetAddress, signExtend8(v))
        case .ldrsh?:
            guard let v = load16(address) else { return }
            completeLoad(d, offsetAddress, signExtend16(v))
        case .str?:
            guard store32(address, r[Int(d.rd)]) else { return }
            completeStore(d, offsetAddress)
        case .strb?:
            guard store8(address, r[Int(d.rd)]) else { return }
            completeStore(d, offsetAddress)
        case .strh?:
            guard store16(address, r[Int(d.rd)]) else { return }
            completeStore(d, offsetAddress)
        case .ldrd?:
            loadDual(d, address, offsetAddress)
        case .strd?:
            storeDual(d, address, offsetAddress)
        case .ldrt?, .ldrbt?, .ldrht?, .ldrsbt?, .ldrsht?, .strt?, .strbt?, .strht?:
            execUnprivilegedLoadStore(d, address, offsetAddress)
        case nil:
            takeUndefined()
        }
    }

    /// The register offset: `Shift(R[m], shift_t, shift_n, APSR.C)` (A8.4.3), subtracted when
    /// U = 0.
    @inline(__always)
    func registerOffset(_ d: ARMInstruction) -> UInt32 {
        let m = r[Int(d.rm)]
        let amount = UInt32(d.shiftAmount)
        let shifted: UInt32
        switch d.shiftType {
        case 0: shifted = m << amount
        case 1: shifted = m >> amount                                       // 32 → 0
        case 2: shifted = UInt32(bitPattern: Int32(bitPattern: m) >> amount) // 32 → sign
        case 3: shifted = m >> amount | m << (32 &- amount)
        default: shifted = (flagC ? 0x8000_0000 : 0) | m >> 1               // RRX
        }
        return d.flags & LoadStoreFlags.add != 0 ? shifted : 0 &- shifted
    }

    /// Base writeback; Rn = PC branches (QEMU's choice for this UNPREDICTABLE case).
    @inline(__always)
    func writeBackBase(_ n: UInt8, _ value: UInt32) {
        if n == 15 { branchWritePC(value) } else { r[Int(n)] = value }
    }

    /// Writeback, then Rt ← value; Rt = PC is an interworking branch (`LoadWritePC`, A2.3.1).
    @inline(__always)
    func completeLoad(_ d: ARMInstruction, _ offsetAddress: UInt32, _ value: UInt32) {
        if d.flags & LoadStoreFlags.writeback != 0 { writeBackBase(d.rn, offsetAddress) }
        if d.rd == 15 { loadWritePC(value) } else { r[Int(d.rd)] = value }
    }

    @inline(__always)
    func completeStore(_ d: ARMInstruction, _ offsetAddress: UInt32) {
        if d.flags & LoadStoreFlags.writeback != 0 { writeBackBase(d.rn, offsetAddress) }
    }

    // MARK: LDRD / STRD (A8.8.72–74, A8.8.210–211)

    /// Two word accesses, word alignment required whatever SCTLR.A says (MemA). Rt is the word
    /// at the lower address in either endianness. Both registers are written only after both
    /// loads succeeded, so `ldrd r2, r3, [r2]` that aborts on the second word leaves r2 intact.
    /// Rt = 14 (Rt2 = PC) is UNPREDICTABLE; QEMU writes the PC with `store_reg` (a branch with
    /// bits [1:0] cleared), which is what `branchWritePC` does.
    private func loadDual(_ d: ARMInstruction, _ address: UInt32, _ offsetAddress: UInt32) {
        guard let low = load32(address, .word), let high = load32(address &+ 4, .word) else { return }
        let t = Int(d.rd)
        r[t] = low
        if t == 14 { branchWritePC(high) } else { r[t + 1] = high }
        if d.flags & LoadStoreFlags.writeback != 0 { writeBackBase(d.rn, offsetAddress) }
    }

    /// Rt = 14 stores R14 and the PC (address + 8), as QEMU does.
    private func storeDual(_ d: ARMInstruction, _ address: UInt32, _ offsetAddress: UInt32) {
        let t = Int(d.rd)
        guard store32(address, r[t], .word), store32(address &+ 4, r[t + 1], .word) else { return }
        completeStore(d, offsetAddress)
    }
}
