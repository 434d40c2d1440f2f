/// Address translation for one access, the TLB refill, the slow paths of translated loads,
/// stores and fetches, and keeping the MMU's cached context in step with CP15 and the mode.
///
/// Regimes (ARM ARM B3.1): in Hyp mode the Non-secure PL2 regime (stage 1 with HTTBR/HTCR when
/// HSCTLR.M = 1, never a stage 2); elsewhere the PL1&0 regime of the current security state —
/// stage 1 when SCTLR.M = 1 (short- or long-descriptor per TTBCR.EAE), then in Non-secure
/// state stage 2 when HCR.VM = 1 (with SCTLR.M = 0 the VA is the IPA).
extension ARMCore {
    /// The physical address for an access at `va`, walking and checking the current regime
    /// (`user`: as PL0 — User mode, or LDRT/STRT — in the PL1&0 regime), refilling the TLB
    /// for RAM pages. nil: the abort has been taken.
    func translate(_ va: UInt32, access: ARMAccess, user unprivileged: Bool) -> UInt64? {
        let user = unprivileged || mode == .usr
        let w = resolve(va, access: access, user: user)
        if let f = w.fault {
            if access == .fetch {
                takePrefetchAbort(address: va, kind: .mmu(f))
            } else {
                takeDataAbort(address: va, kind: .mmu(f), write: access == .write)
            }
            return nil
        }
        // Refill: only 4 KiB pages lying wholly in RAM get fast-path tags.
        let page = w.physical & ~0xFFF
        let ramOffset = page &- ram.base
        if ramOffset < ram.size && ram.base & 0xFFF == 0 && ramOffset <= UInt64(UInt32.max) {
            let context: ARMTLBContext = mode == .hyp && !user ? .hyp : (user ? .pl0 : .pl1)
            let vpn = va >> 12
            mmu.fill(context, va: va, ARMTLBEntry(
                readTag: w.permissions & ARMAccess.read.rawValue != 0 ? vpn : ARMTLBEntry.invalid,
                writeTag: w.permissions & ARMAccess.write.rawValue != 0 ? vpn : ARMTLBEntry.invalid,
                execTag: w.permissions & ARMAccess.fetch.rawValue != 0 ? vpn : ARMTLBEntry.invalid,
                ramPage: UInt32(truncatingIfNeeded: ramOffset)), regionMask: w.regionMask)
        }
        return w.physical
    }

    /// The translation of `va` for `access` in the current regime, or its fault: walks only,
    /// no exception, no TLB change. Every access from User mode is a PL0 access.
    func resolve(_ va: UInt32, access: ARMAccess, user unprivileged: Bool) -> ARMWalk {
        let user = unprivileged || mode == .usr
        let hypRegime = mode == .hyp && !user
        let secure = hypRegime ? false : (mode == .hyp ? false : isSecure)
        var w: ARMWalk
        let stage2 = !hypRegime && !secure && features.virtualization && cp15.hcr & HCR.VM != 0
        if hypRegime {
            if cp15.hsctlr & HSCTLR.M != 0 {
                w = walkLongStage1(va, access: access, user: false, secure: false, hyp: true, stage2: false)
            } else {
                w = ARMWalk(physical: UInt64(va), permissions: 7)
            }
        } else if cp15.sctlr(secure: secure) & SCTLR.M != 0 {
            if cp15.ttbcr(secure: secure) & (1 << 31) != 0 {
                w = walkLongStage1(va, access: access, user: user, secure: secure, hyp: false, stage2: stage2)
            } else {
                w = walkShortDescriptor(va, access: access, user: user, secure: secure, stage2: stage2)
            }
        } else {
            w = ARMWalk(physical: UInt64(va), permissions: 7)
        }
        if w.fault == nil && stage2 {
            let s2 = walkStage2(w.physical, access: access, s1ptw: false)
            if let f = s2.fault {
                w.fault = f
            } else {
                w.physical = s2.physical
                w.permissions &= s2.permissions
                w.regionMask |= s2.regionMask
            }
        }
        return w
    }

    /// Bring the MMU's cached context up to date with the mode, the security state and the
    /// translation registers. Called when a run slice starts and whenever `attention` is
    /// serviced: exception entry and return, mode changes, and writes to SCTLR, HSCTLR, HCR,
    /// SCR, TTBR0/1, TTBCR, DACR, HTTBR, HTCR, VTTBR, VTCR raise it first.
    func syncMMU() {
        let secure = mode == .hyp ? false : isSecure
        var c = ARMTranslationContext()
        c.secure = secure
        c.sctlr = cp15.sctlr(secure: secure)
        c.ttbcr = cp15.ttbcr(secure: secure)
        c.ttbr0 = cp15.ttbr0(secure: secure)
        c.ttbr1 = cp15.ttbr1(secure: secure)
        c.dacr = cp15.dacr(secure: secure)
        c.hsctlr = cp15.hsctlr
        c.htcr = cp15.htcr
        c.httbr = cp15.httbr
        c.stage2 = !secure && features.virtualization && cp15.hcr & HCR.VM != 0
        c.vtcr = cp15.vtcr
        c.vttbr = cp15.vttbr
        if c != mmu.context {
            mmu.context = c
            mmu.flushAll()
        }
        translatesUser = c.sctlr & SCTLR.M != 0 || c.stage2
        let context: ARMTLBContext
        if mode == .hyp {
            translates = c.hsctlr & HSCTLR.M != 0
            context = .hyp
        } else {
            translates = translatesUser
            context = mode == .usr ? .pl0 : .pl1
        }
        mmu.dataSet = mmu.set(context)
        mmu.fetchSet = mmu.dataSet
    }

    // MARK: Physical accesses

    /// Read `size` bytes (1, 2, 4, 8) at physical address `pa` in memory order: RAM, else a
    /// device; nil when nothing answers.
    func physicalRead(_ pa: UInt64, size: Int) -> UInt64? {
        let off = pa &- ram.base
        if off < ram.size && ram.size &- off >= UInt64(size) {
            let p = ram.bytes + Int(truncatingIfNeeded: off)
            switch size {
            case 1: return UInt64(p.load(as: UInt8.self))
            case 2: return UInt64(p.loadUnaligned(as: UInt16.self))
            case 4: return UInt64(p.loadUnaligned(as: UInt32.self))
            default: return p.loadUnaligned(as: UInt64.self)
            }
        }
        if size == 8 {
            guard let lo = machine.bus.read(pa, size: 4, cpu: index),
                  let hi = machine.bus.read(pa &+ 4, size: 4, cpu: index) else { return nil }
            return (lo & 0xFFFF_FFFF) | hi << 32
        }
        return machine.bus.read(pa, size: size, cpu: index)
    }

    /// A translation table word (short descriptors) at `address`: through stage 2 when the
    /// walk's addresses are IPAs, in the endianness SCTLR.EE / HSCTLR.EE selects (B3.5.?,
    /// B3.6.?: "translation table lookups use the endianness of SCTLR.EE"). nil: the fault
    /// is in `w`.
    func tableWord(_ address: UInt64, level: UInt32, bigEndian: Bool, stage2: Bool, _ w: inout ARMWalk) -> UInt32? {
        guard let pa = tableAddress(address, stage2: stage2, &w) else { return nil }
        guard let raw = physicalRead(pa, size: 4) else {
            w.fault = ARMTranslationFault(kind: .walkExternalAbort, level: level)
            return nil
        }
        let v = UInt32(truncatingIfNeeded: raw)
        return bigEndian ? v.byteSwapped : v
    }

    /// A long descriptor at `address` (see `tableWord`).
    func tableDoubleword(_ address: UInt64, level: UInt32, bigEndian: Bool, stage2: Bool, _ w: inout ARMWalk) -> UInt64? {
        guard let pa = tableAddress(address, stage2: stage2, &w) else { return nil }
        guard let raw = physicalRead(pa, size: 8) else {
            w.fault = ARMTranslationFault(kind: .walkExternalAbort, level: level)
            return nil
        }
        return bigEndian ? raw.byteSwapped : raw
    }

    /// The physical address of a stage 1 descriptor: its IPA through stage 2 when stage 2 is
    /// on — a fault there is a stage 2 fault on the stage 1 walk (S1PTW).
    private func tableAddress(_ address: UInt64, stage2: Bool, _ w: inout ARMWalk) -> UInt64? {
        guard stage2 else { return address }
        let s = walkStage2(address, access: .read, s1ptw: true)
        if let f = s.fault {
            w.fault = f
            return nil
        }
        return s.physical
    }

    // MARK: Translated slow paths

    /// A load that missed the TLB (or crosses a page, or is not RAM): translated, then read
    /// from RAM or a device. Returns the bytes in memory order (the caller applies CPSR.E).
    @inline(never)
    func translatedLoad(_ va: UInt32, size: Int, user: Bool = false) -> UInt64? {
        if Int(va & 0xFFF) &+ size > 0x1000 {
            var v: UInt64 = 0
            for i in 0..<size {
                guard let b = translatedLoad(va &+ UInt32(i), size: 1, user: user) else { return nil }
                v |= b << UInt64(8 * i)
            }
            return v
        }
        guard let pa = translate(va, access: .read, user: user) else { return nil }
        if let v = physicalRead(pa, size: size) { return v }
        machine.noteBusError(address: pa, write: false, cpu: index, pc: currentPC)
        takeDataAbort(address: va, kind: .externalAbort, write: false)
        return nil
    }

    /// A store that missed the TLB (see `translatedLoad`); `value` is in memory order.
    @inline(never)
    func translatedStore(_ va: UInt32, size: Int, value: UInt64, user: Bool = false) -> Bool {
        if Int(va & 0xFFF) &+ size > 0x1000 {
            // Translate every byte first, so a fault on the second page writes nothing.
            for i in 0..<size where translate(va &+ UInt32(i), access: .write, user: user) == nil { return false }
            for i in 0..<size {
                guard translatedStore(va &+ UInt32(i), size: 1, value: value >> UInt64(8 * i), user: user) else { return false }
            }
            return true
        }
        guard let pa = translate(va, access: .write, user: user) else { return false }
        let off = pa &- ram.base
        if off < ram.size && ram.size &- off >= UInt64(size) {
            let p = ram.bytes + Int(truncatingIfNeeded: off)
            switch size {
            case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
            case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value), as: UInt16.self)
            default: p.storeBytes(of: UInt32(truncatingIfNeeded: value), as: UInt32.self)
            }
            ram.invalidateDecoded(offset: off, length: size)
            if machine.openExclusiveTags != 0 { machine.observeStore(UInt32(truncatingIfNeeded: pa), size: size, by: index) }
            return true
        }
        if machine.bus.write(pa, size: size, value: value, cpu: index) { return true }
        machine.noteBusError(address: pa, write: true, cpu: index, pc: currentPC)
        takeDataAbort(address: va, kind: .externalAbort, write: true)
        return false
    }

    /// The physical address the exclusive monitors tag for `va`: the TLB's, once the load or
    /// store has filled it; the VA itself with translation off.
    func exclusivePhysical(_ va: UInt32) -> UInt32 {
        guard translates else { return va }
        let vpn = va >> 12
        let e = mmu.dataSet + Int(vpn & ARMMMU.indexMask)
        if e.pointee.readTag == vpn || e.pointee.writeTag == vpn {
            return ramBase &+ (e.pointee.ramPage | (va & 0xFFF))
        }
        return va
    }

    // MARK: Instruction fetch

    /// The RAM offset of the 4 KiB page holding the instruction at `va` when every fetch from
    /// that page may be served from RAM without further checks (bits [11:0] clear);
    /// `ARMFetch.uncached` when this instruction must go through `executeUncached`;
    /// `ARMFetch.faulted` when the fetch has already taken its prefetch abort.
    @inline(never)
    func fetchPage(_ va: UInt32) -> UInt32 {
        if !translates {
            let off = va &- ramBase
            if off <= ramSize &- 4 { return ramBase & 0xFFF == 0 ? off & ~0xFFF : ARMFetch.uncached }
            machine.noteBusError(address: UInt64(va), write: false, cpu: index, pc: va, fetch: true)
            takePrefetchAbort(address: va, kind: .externalAbort)
            return ARMFetch.faulted
        }
        let vpn = va >> 12
        let e = mmu.fetchSet + Int(vpn & ARMMMU.indexMask)
        if e.pointee.execTag != vpn {
            guard translate(va, access: .fetch, user: mode == .usr) != nil else { return ARMFetch.faulted }
            if e.pointee.execTag != vpn { return ARMFetch.uncached }
        }
        return e.pointee.ramPage
    }

    /// Fetch (translated, not cached), decode and execute the instruction at `va`: a page
    /// that is not all RAM, or a fetch from outside RAM (a prefetch abort).
    @inline(never)
    func executeUncached(_ va: UInt32) {
        let pa: UInt64
        if translates {
            guard let p = translate(va, access: .fetch, user: mode == .usr) else { return }
            pa = p
        } else {
            pa = UInt64(va)
        }
        let off = pa &- ram.base
        guard off < ram.size && ram.size &- off >= 4 else {
            machine.noteBusError(address: pa, write: false, cpu: index, pc: va, fetch: true)
            takePrefetchAbort(address: va, kind: .externalAbort)
            return
        }
        let insn = ARMDecoder.decode((ram.bytes + Int(truncatingIfNeeded: off)).loadUnaligned(as: UInt32.self))
        r[15] = va &+ 8
        nextPC = va &+ 4
        if insn.cond == 14 || conditionPassed(insn.cond) {
            execute(insn)
        }
    }
}

/// `fetchPage` results that are not a RAM page offset (those have bits [11:0] clear).
enum ARMFetch {
    static let uncached: UInt32 = 1
    static let faulted: UInt32 = 2
}
