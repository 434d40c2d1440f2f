/// Load-Exclusive / Store-Exclusive, CLREX and SWP/SWPB (ARM ARM A3.4 "Synchronization and
/// semaphores", A8.8.75–78, A8.8.212–215, A8.8.32, A8.8.229).
///
/// The monitors themselves (tag, granule, the global monitor clearing other cores' tags on
/// every store) live in the core's memory functions; this file is the instructions' order of
/// effects.
extension ARMCore {
    func execExclusive(_ d: ARMInstruction) {
        switch ExclusiveOp(rawValue: d.op) {
        case .ldrex?: loadExclusive(d, size: 4)
        case .ldrexb?: loadExclusive(d, size: 1)
        case .ldrexh?: loadExclusive(d, size: 2)
        case .ldrexd?: loadExclusiveDual(d)
        case .strex?: storeExclusive(d, size: 4)
        case .strexb?: storeExclusive(d, size: 1)
        case .strexh?: storeExclusive(d, size: 2)
        case .strexd?: storeExclusiveDual(d)
        case .clrex?: clearExclusive()
        case .swp?: swap(d, byte: false)
        case .swpb?: swap(d, byte: true)
        case nil: takeUndefined()
        }
    }

    /// Exclusive accesses must be aligned to their size whatever SCTLR.A says (MemA, and
    /// `ExclusiveMonitorsPass` checks alignment before anything else). Returns false after
    /// taking the alignment fault.
    @inline(__always)
    private func exclusiveAligned(_ address: UInt32, size: UInt32, write: Bool) -> Bool {
        if address & (size &- 1) == 0 { return true }
        takeDataAbort(address: address, kind: .alignment, write: write)
        return false
    }

    // MARK: LDREX, LDREXB, LDREXH, LDREXD

    /// Tag the address (SetExclusiveMonitors) once the load succeeded: an aborted load takes
    /// an exception, whose entry clears the local monitor anyway.
    private func loadExclusive(_ d: ARMInstruction, size: UInt32) {
        let address = r[Int(d.rn)]
        guard exclusiveAligned(address, size: size, write: false) else { return }
        let loaded: UInt32?
        switch size {
        case 1: loaded = load8(address)
        case 2: loaded = load16(address)
        default: loaded = load32(address, .word)
        }
        guard let v = loaded else { return }
        markExclusive(address, size: size)
        r[Int(d.rd)] = v
    }

    /// Rt ← the word at the lower address, Rt2 ← the next, in either endianness (A8.8.77).
    /// Doubleword alignment is checked here rather than by `load32(_, .doubleword)`, whose
    /// fast path only looks at the alignment of addresses with bits [1:0] ≠ 0.
    private func loadExclusiveDual(_ d: ARMInstruction) {
        let address = r[Int(d.rn)]
        guard exclusiveAligned(address, size: 8, write: false) else { return }
        guard let low = load32(address, .word), let high = load32(address &+ 4, .word) else { return }
        markExclusive(address, size: 8)
        let t = Int(d.rd)
        r[t] = low
        r[t + 1] = high
    }

    // MARK: STREX, STREXB, STREXH, STREXD

    /// Alignment first, then `ExclusiveMonitorsPass` (which always returns the local monitor
    /// to Open Access), then the store; Rd ← 0 only once the store did not abort, Rd ← 1 when
    /// the monitors refused. A failing STREX makes no access, so it cannot abort (the ARM ARM
    /// leaves it IMPLEMENTATION DEFINED whether a would-be abort is reported when the monitors
    /// fail; QEMU does not report it either).
    private func storeExclusive(_ d: ARMInstruction, size: UInt32) {
        let address = r[Int(d.rn)]
        guard exclusiveAligned(address, size: size, write: true) else { return }
        guard checkAndClearExclusive(address, size: size) else {
            r[Int(d.rd)] = 1
            return
        }
        let value = r[Int(d.rm)]
        let stored: Bool
        switch size {
        case 1: stored = store8(address, value)
        case 2: stored = store16(address, value)
        default: stored = store32(address, value, .word)
        }
        guard stored else { return }
        r[Int(d.rd)] = 0
    }

    /// Rt to the lower address, Rt2 to the next (A8.8.214). Both words sit in one aligned
    /// doubleword, so they are in the same RAM or device region.
    private func storeExclusiveDual(_ d: ARMInstruction) {
        let address = r[Int(d.rn)]
        guard exclusiveAligned(address, size: 8, write: true) else { return }
        guard checkAndClearExclusive(address, size: 8) else {
            r[Int(d.rd)] = 1
            return
        }
        let t = Int(d.rm)
        guard store32(address, r[t], .word), store32(address &+ 4, r[t + 1], .word) else { return }
        r[Int(d.rd)] = 0
    }

    // MARK: SWP, SWPB

    /// SWP Rt, Rt2, [Rn]: Rt ← old memory value, memory ← Rt2 (read before Rt is written, so
    /// `swp r0, r0, [r1]` swaps). The word form needs word alignment (MemA); with it, the
    /// ARM ARM's rotation of the loaded word is always by zero in ARMv7.
    ///
    /// ARMv7 with the Multiprocessing Extensions makes SWP/SWPB UNDEFINED unless SCTLR.SW
    /// (bit 10) is set. QEMU does not model SCTLR.SW and always executes them
    /// (`trans_SWP`/`trans_SWPB`); we follow QEMU, the tie-breaker, so images tested against it
    /// behave the same here. Rt = PC writes the PC as QEMU's `store_reg` does (a branch with
    /// bits [1:0] cleared).
    private func swap(_ d: ARMInstruction, byte: Bool) {
        let address = r[Int(d.rn)]
        let newValue = r[Int(d.rm)]
        let old: UInt32
        if byte {
            guard let v = load8(address), store8(address, newValue) else { return }
            old = v
        } else {
            guard let v = load32(address, .word), store32(address, newValue, .word) else { return }
            old = v
        }
        if d.rd == 15 { branchWritePC(old) } else { r[Int(d.rd)] = old }
    }
}
