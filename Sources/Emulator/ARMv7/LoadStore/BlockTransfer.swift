/// LDM/STM in the four addressing modes (A8.8.58–61, A8.8.199–202), PUSH/POP, and the
/// system forms STM (User registers), LDM (User registers), LDM (exception return)
/// (B9.3.5–7).
///
/// Every access is a word access that must be word aligned whatever SCTLR.A says (MemA). The
/// registers are visited lowest first, lowest address first, by walking the set bits of the
/// list (function prologues and epilogues are hot: no arrays, no per-register dispatch).
///
/// Aborts: the memory functions take the Data Abort; the instruction then stops with no
/// writeback and with Rn unchanged even when Rn is in the list (its loaded value is held back
/// until every load succeeded — ARM ARM B1.9.7 asks the base to be restored so the instruction
/// can be restarted). Other registers already loaded keep their new values (UNKNOWN in the
/// ARM ARM; QEMU leaves them loaded too).
extension ARMCore {
    func execLoadStoreMultiple(_ d: ARMInstruction) {
        switch BlockTransferOp(rawValue: d.op) {
        case .ldm?: loadMultiple(d)
        case .stm?: storeMultiple(d)
        case .ldmUser?: loadMultipleUser(d)
        case .stmUser?: storeMultipleUser(d)
        case .ldmExceptionReturn?: loadMultipleExceptionReturn(d)
        case nil: takeUndefined()
        }
    }

    @inline(__always)
    private func lowestAddress(_ d: ARMInstruction, base: UInt32) -> UInt32 {
        base &+ UInt32(bitPattern: Int32(Int8(bitPattern: d.rm)))
    }

    @inline(__always)
    private func writebackValue(_ d: ARMInstruction, base: UInt32) -> UInt32 {
        base &+ UInt32(bitPattern: Int32(Int8(bitPattern: d.rs)))
    }

    /// LDM / POP. A loaded PC is an interworking branch (`LoadWritePC`).
    @inline(__always)
    private func loadMultiple(_ d: ARMInstruction) {
        let n = Int(d.rn)
        let base = r[n]
        var address = lowestAddress(d, base: base)
        var list = d.imm
        var loadedBase: UInt32 = 0
        while list != 0 {
            let i = list.trailingZeroBitCount
            guard let v = load32(address, .word) else { return }
            // R15 is simply parked in r[15] (the PC is written through nextPC below).
            if i == n { loadedBase = v } else { r[i] = v }
            address &+= 4
            list &= list &- 1
        }
        if d.flags & BlockTransferFlags.writeback != 0 {
            r[n] = writebackValue(d, base: base)
        } else if d.imm & (1 << UInt32(n)) != 0 {
            r[n] = loadedBase
        }
        if d.imm & 0x8000 != 0 { loadWritePC(r[15]) }
    }

    /// STM / PUSH. A stored PC is the instruction's address + 8 (PCStoreValue: the Cortex-A15
    /// and A7 store +8, as QEMU does). Rn in the list stores the original Rn even with
    /// writeback — UNKNOWN in the ARM ARM unless it is the lowest register; QEMU's choice.
    @inline(__always)
    private func storeMultiple(_ d: ARMInstruction) {
        let n = Int(d.rn)
        let base = r[n]
        var address = lowestAddress(d, base: base)
        var list = d.imm
        while list != 0 {
            let i = list.trailingZeroBitCount
            guard store32(address, r[i], .word) else { return }
            address &+= 4
            list &= list &- 1
        }
        if d.flags & BlockTransferFlags.writeback != 0 { r[n] = writebackValue(d, base: base) }
    }

    // MARK: System forms (B9.3)

    /// The `^` forms are UNDEFINED in Hyp mode (B9.3.5–7) and UNPREDICTABLE in User mode,
    /// where QEMU (`op_stm`, `do_ldm`: `IS_USER`) UNDEFs; we follow both.
    @inline(__always)
    private var userBankFormsUndefined: Bool { mode == .usr || mode == .hyp }

    /// STM (User registers): R8–R14 come from the User bank; the PC is stored as in STM.
    /// W = 1 is UNPREDICTABLE; QEMU writes back the current mode's Rn, and so do we.
    @inline(never)
    private func storeMultipleUser(_ d: ARMInstruction) {
        if userBankFormsUndefined { takeUndefined(); return }
        let n = Int(d.rn)
        let base = r[n]
        var address = lowestAddress(d, base: base)
        var list = d.imm
        while list != 0 {
            let i = list.trailingZeroBitCount
            let v = i == 15 ? r[15] : bankedRegister(i, mode: .usr)
            guard store32(address, v, .word) else { return }
            address &+= 4
            list &= list &- 1
        }
        if d.flags & BlockTransferFlags.writeback != 0 { r[n] = writebackValue(d, base: base) }
    }

    /// LDM (User registers): the list (never the PC; no writeback, both checked at decode)
    /// goes to the User bank. In System mode (UNPREDICTABLE) that is the current bank, as in
    /// QEMU. The register of the User bank with Rn's number is written last, so an abort
    /// leaves Rn intact.
    @inline(never)
    private func loadMultipleUser(_ d: ARMInstruction) {
        if userBankFormsUndefined { takeUndefined(); return }
        let n = Int(d.rn)
        var address = lowestAddress(d, base: r[n])
        var list = d.imm
        var held: UInt32 = 0
        while list != 0 {
            let i = list.trailingZeroBitCount
            guard let v = load32(address, .word) else { return }
            if i == n { held = v } else { setBankedRegister(i, mode: .usr, v) }
            address &+= 4
            list &= list &- 1
        }
        if d.imm & (1 << UInt32(n)) != 0 { setBankedRegister(n, mode: .usr, held) }
    }

    /// LDM (exception return), B9.3.5: R0–R14 of the current mode, then the writeback, then
    /// CPSR ← SPSR and the branch to the loaded PC (`exceptionReturn` applies the
    /// architecture's checks on the SPSR value). In System mode (UNPREDICTABLE) it branches
    /// without restoring, as `exceptionReturn` documents.
    @inline(never)
    private func loadMultipleExceptionReturn(_ d: ARMInstruction) {
        if userBankFormsUndefined { takeUndefined(); return }
        let n = Int(d.rn)
        let base = r[n]
        var address = lowestAddress(d, base: base)
        var list = d.imm
        var loadedBase: UInt32 = 0
        while list != 0 {
            let i = list.trailingZeroBitCount
            guard let v = load32(address, .word) else { return }
            if i == n { loadedBase = v } else { r[i] = v }
            address &+= 4
            list &= list &- 1
        }
        if d.flags & BlockTransferFlags.writeback != 0 {
            r[n] = writebackValue(d, base: base)
        } else if d.imm & (1 << UInt32(n)) != 0 {
            r[n] = loadedBase
        }
        exceptionReturn(to: r[15], psr: spsr)
    }
}
