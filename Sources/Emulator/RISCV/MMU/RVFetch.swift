/// Instruction fetch when it leaves the run loop's fast path: the first instruction on a new
/// page (translated and PMP-checked once for the page), and the instructions that must be
/// fetched on their own — a 32-bit instruction whose upper half lies on the next page, or a
/// page the PMP covers only in part, or one that is not RAM (which faults).
enum RVFetch {
    /// `fetchPage` results that are not a RAM page offset.
    static let uncached: UInt64 = .max - 1
    static let faulted: UInt64 = .max
}

extension RISCVCore {
    /// The RAM offset of the 4 KiB page holding the instruction at `va`, when every
    /// instruction fetch from that page may be served from RAM without further checks;
    /// `RVFetch.uncached` when this instruction must go through `executeUncached`;
    /// `RVFetch.faulted` when the fetch has already taken its exception.
    @inline(never)
    func fetchPage(_ va: UInt64) -> UInt64 {
        if mmu.fetchDirect {
            let off = va &- ramBase
            return off < ramSize && ramBase & 0xFFF == 0 ? off & ~0xFFF : RVFetch.uncached
        }
        let vpn = va >> 12
        let e = mmu.fetchSet + Int(truncatingIfNeeded: vpn & RVMMU.indexMask)
        if e.pointee.execTag != vpn {
            guard translate(va, size: 2, access: .fetch, mode: privilege, virtual: virtualized) != nil else { return RVFetch.faulted }
            if e.pointee.execTag != vpn { return RVFetch.uncached }
        }
        return e.pointee.ramPage
    }

    /// Decode the instruction at `va` on the current page (RAM page `mmu.fetchRAMPage`) into its
    /// cache entry; false when it is a 32-bit instruction running into the next page, which
    /// `executeUncached` must fetch (kept out of the run loop, whose registers are precious).
    @inline(never)
    func decodeFetched(_ va: UInt64, into entry: UnsafeMutablePointer<RVInstruction>) -> Bool {
        let inPage = va & 0xFFF
        let p = ram.bytes + Int(truncatingIfNeeded: mmu.fetchRAMPage | inPage)
        let low = UInt32(p.loadUnaligned(as: UInt16.self))
        if low & 3 != 3 {
            entry.pointee = RVDecoder.decode16(low)
        } else if inPage != 0xFFE {
            entry.pointee = RVDecoder.decode32(p.loadUnaligned(as: UInt32.self))
        } else {
            return false
        }
        return true
    }

    /// Fetch, decode (without caching the result) and execute the instruction at `va`.
    @inline(never)
    func executeUncached(_ va: UInt64) {
        guard let low = fetchHalfword(va) else { return }
        let insn: RVInstruction
        if low & 3 == 3 {
            // The upper half faults with tval = its own address (QEMU reports pc + 2 too).
            guard let high = fetchHalfword(va &+ 2) else { return }
            insn = RVDecoder.decode32(low | high << 16)
        } else {
            insn = RVDecoder.decode16(low)
        }
        nextPC = va &+ UInt64(insn.length)
        if insn.length == 2 && !hasCompressed {
            illegalInstruction(insn)
            return
        }
        execute(insn)
    }

    /// One instruction halfword, translated and checked on its own; nil: the fault was taken.
    private func fetchHalfword(_ va: UInt64) -> UInt32? {
        var physical = va
        if !mmu.fetchDirect {
            let vpn = va >> 12
            let e = mmu.fetchSet + Int(truncatingIfNeeded: vpn & RVMMU.indexMask)
            if e.pointee.execTag == vpn {
                physical = ramBase &+ (e.pointee.ramPage | (va & 0xFFF))
            } else {
                guard let p = translate(va, size: 2, access: .fetch, mode: privilege, virtual: virtualized) else { return nil }
                physical = p
            }
        }
        let off = physical &- ramBase
        guard off <= ramSize &- 2 else {
            fetchFault(physical, tval: va)
            return nil
        }
        return UInt32((ram.bytes + Int(truncatingIfNeeded: off)).loadUnaligned(as: UInt16.self))
    }

    /// An instruction fetch from outside RAM: instruction access fault (tval = the virtual
    /// address); the report names the physical one.
    @inline(never)
    func fetchFault(_ physical: UInt64, tval: UInt64) {
        machine.noteBusError(address: physical, write: false, cpu: index, pc: pc, fetch: true)
        takeException(.instructionAccessFault, tval: tval)
    }
}
