/// Alignment an access demands (ARM ARM A3.2.1, table A3-1).
public enum ARMAlignment {
    /// LDR/STR/LDRH/STRH/…: fault on a misaligned address only when SCTLR.A (HSCTLR.A in Hyp)
    /// is set; otherwise the access is performed unaligned.
    case natural
    /// LDM/STM, LDRD/STRD, LDREX/STREX, SRS/RFE: the address must be word aligned, always.
    case word
    /// LDREXD/STREXD: doubleword aligned, always.
    case doubleword
}

/// Data accesses by the interpreter. With translation off for the current mode (`translates`,
/// kept by `syncMMU`) virtual = physical: RAM is served inline, anything else goes to the bus.
/// With translation on, the access goes through the software TLB (ARMv7/MMU): a hit on the
/// access kind's tag is RAM the regime may use without further checks; a miss, a page-crossing
/// access or a device goes to `translatedLoad`/`translatedStore`. Alignment is checked first
/// (alignment faults take priority over MMU faults, B3.12.?). A failed access has already
/// taken the data abort when these return nil / false: the instruction must stop without
/// writing anything back.
extension ARMCore {
    @inline(__always)
    private func misaligned(_ va: UInt32, size: UInt32, _ align: ARMAlignment) -> Bool {
        switch align {
        case .natural:
            guard va & (size &- 1) != 0 else { return false }
            return (mode == .hyp ? cp15.hsctlr & HSCTLR.A : cp15.sctlr(secure: isSecure) & SCTLR.A) != 0
        case .word: return va & 3 != 0
        case .doubleword: return va & 7 != 0
        }
    }

    @inline(__always)
    func load32(_ va: UInt32, _ align: ARMAlignment = .natural) -> UInt32? {
        if (va & 3 != 0 || align == .doubleword) && misaligned(va, size: 4, align) {
            takeDataAbort(address: va, kind: .alignment, write: false)
            return nil
        }
        if translates {
            let vpn = va >> 12
            let e = mmu.dataSet + Int(vpn & ARMMMU.indexMask)
            if e.pointee.readTag == vpn && va & 0xFFF <= 0xFFC {
                let v = (ram.bytes + Int(e.pointee.ramPage | (va & 0xFFF))).loadUnaligned(as: UInt32.self)
                return cpsrE ? v.byteSwapped : v
            }
            guard let v = translatedLoad(va, size: 4) else { return nil }
            return cpsrE ? UInt32(truncatingIfNeeded: v).byteSwapped : UInt32(truncatingIfNeeded: v)
        }
        let off = va &- ramBase
        if off <= ramSize &- 4 {
            let v = (ram.bytes + Int(off)).loadUnaligned(as: UInt32.self)
            return cpsrE ? v.byteSwapped : v
        }
        guard let v = slowLoad(va, size: 4) else { return nil }
        return cpsrE ? UInt32(truncatingIfNeeded: v).byteSwapped : UInt32(truncatingIfNeeded: v)
    }

    @inline(__always)
    func load16(_ va: UInt32, _ align: ARMAlignment = .natural) -> UInt32? {
        if va & 1 != 0 && misaligned(va, size: 2, align) {
            takeDataAbort(address: va, kind: .alignment, write: false)
            return nil
        }
        if translates {
            let vpn = va >> 12
            let e = mmu.dataSet + Int(vpn & ARMMMU.indexMask)
            if e.pointee.readTag == vpn && va & 0xFFF <= 0xFFE {
                let v = (ram.bytes + Int(e.pointee.ramPage | (va & 0xFFF))).loadUnaligned(as: UInt16.self)
                return UInt32(cpsrE ? v.byteSwapped : v)
            }
            guard let v = translatedLoad(va, size: 2) else { return nil }
            let h = UInt16(truncatingIfNeeded: v)
            return UInt32(cpsrE ? h.byteSwapped : h)
        }
        let off = va &- ramBase
        if off <= ramSize &- 2 {
            let v = (ram.bytes + Int(off)).loadUnaligned(as: UInt16.self)
            return UInt32(cpsrE ? v.byteSwapped : v)
        }
        guard let v = slowLoad(va, size: 2) else { return nil }
        let h = UInt16(truncatingIfNeeded: v)
        return UInt32(cpsrE ? h.byteSwapped : h)
    }

    @inline(__always)
    func load8(_ va: UInt32) -> UInt32? {
        if translates {
            let vpn = va >> 12
            let e = mmu.dataSet + Int(vpn & ARMMMU.indexMask)
            if e.pointee.readTag == vpn {
                return UInt32(ram.bytes.load(fromByteOffset: Int(e.pointee.ramPage | (va & 0xFFF)), as: UInt8.self))
            }
            guard let v = translatedLoad(va, size: 1) else { return nil }
            return UInt32(truncatingIfNeeded: v & 0xFF)
        }
        let off = va &- ramBase
        if off < ramSize {
            return UInt32(ram.bytes.load(fromByteOffset: Int(off), as: UInt8.self))
        }
        guard let v = slowLoad(va, size: 1) else { return nil }
        return UInt32(truncatingIfNeeded: v & 0xFF)
    }

    @inline(__always)
    @discardableResult
    func store32(_ va: UInt32, _ value: UInt32, _ align: ARMAlignment = .natural) -> Bool {
        if (va & 3 != 0 || align == .doubleword) && misaligned(va, size: 4, align) {
            takeDataAbort(address: va, kind: .alignment, write: true)
            return false
        }
        let v = cpsrE ? value.byteSwapped : value
        if translates {
            let vpn = va >> 12
            let e = mmu.dataSet + Int(vpn & ARMMMU.indexMask)
            if e.pointee.writeTag == vpn && va & 0xFFF <= 0xFFC {
                storeRAM(e.pointee.ramPage | (va & 0xFFF), v, size: 4)
                return true
            }
            return translatedStore(va, size: 4, value: UInt64(v))
        }
        let off = va &- ramBase
        if off <= ramSize &- 4 {
            (ram.bytes + Int(off)).storeBytes(of: v, as: UInt32.self)
            ram.invalidateDecoded(offset: UInt64(off), length: 4)
            if machine.openExclusiveTags != 0 { machine.observeStore(va, size: 4, by: index) }
            return true
        }
        return slowStore(va, size: 4, value: UInt64(v))
    }

    @inline(__always)
    @discardableResult
    func store16(_ va: UInt32, _ value: UInt32, _ align: ARMAlignment = .natural) -> Bool {
        if va & 1 != 0 && misaligned(va, size: 2, align) {
            takeDataAbort(address: va, kind: .alignment, write: true)
            return false
        }
        let h = UInt16(truncatingIfNeeded: value)
        let v = cpsrE ? h.byteSwapped : h
        if translates {
            let vpn = va >> 12
            let e = mmu.dataSet + Int(vpn & ARMMMU.indexMask)
            if e.pointee.writeTag == vpn && va & 0xFFF <= 0xFFE {
                storeRAM(e.pointee.ramPage | (va & 0xFFF), UInt32(v), size: 2)
                return true
            }
            return translatedStore(va, size: 2, value: UInt64(v))
        }
        let off = va &- ramBase
        if off <= ramSize &- 2 {
            (ram.bytes + Int(off)).storeBytes(of: v, as: UInt16.self)
            ram.invalidateDecoded(offset: UInt64(off), length: 2)
            if machine.openExclusiveTags != 0 { machine.observeStore(va, size: 2, by: index) }
            return true
        }
        return slowStore(va, size: 2, value: UInt64(v))
    }

    @inline(__always)
    @discardableResult
    func store8(_ va: UInt32, _ value: UInt32) -> Bool {
        if translates {
            let vpn = va >> 12
            let e = mmu.dataSet + Int(vpn & ARMMMU.indexMask)
            if e.pointee.writeTag == vpn {
                storeRAM(e.pointee.ramPage | (va & 0xFFF), value, size: 1)
                return true
            }
            return translatedStore(va, size: 1, value: UInt64(value & 0xFF))
        }
        let off = va &- ramBase
        if off < ramSize {
            ram.bytes.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: Int(off), as: UInt8.self)
            ram.invalidateDecoded(offset: UInt64(off), length: 1)
            if machine.openExclusiveTags != 0 { machine.observeStore(va, size: 1, by: index) }
            return true
        }
        return slowStore(va, size: 1, value: UInt64(value & 0xFF))
    }

    /// A store through the TLB to RAM offset `off` (`v` in memory order): clears the decoded
    /// instructions it overwrites and, by physical address, other cores' exclusive tags.
    @inline(__always)
    private func storeRAM(_ off: UInt32, _ v: UInt32, size: Int) {
        let p = ram.bytes + Int(off)
        switch size {
        case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: v), as: UInt16.self)
        default: p.storeBytes(of: v, as: UInt32.self)
        }
        ram.invalidateDecoded(offset: UInt64(off), length: size)
        if machine.openExclusiveTags != 0 { machine.observeStore(ramBase &+ off, size: size, by: index) }
    }

    /// Outside RAM: a device, or a synchronous external abort (DFSR.FS 0b01000).
    @inline(never)
    private func slowLoad(_ va: UInt32, size: Int) -> UInt64? {
        // A RAM access that straddles the end of RAM lands here too: split it by bytes.
        if let v = machine.bus.read(UInt64(va), size: size, cpu: index) { return v }
        if UInt64(va) >= ram.base, UInt64(va) < ram.base + ram.size {
            var v: UInt64 = 0
            for i in 0..<size {
                guard let b = load8(va &+ UInt32(i)) else { return nil }
                v |= UInt64(b) << UInt64(8 * i)
            }
            return v
        }
        machine.noteBusError(address: UInt64(va), write: false, cpu: index, pc: currentPC)
        takeDataAbort(address: va, kind: .externalAbort, write: false)
        return nil
    }

    @inline(never)
    private func slowStore(_ va: UInt32, size: Int, value: UInt64) -> Bool {
        if machine.bus.write(UInt64(va), size: size, value: value, cpu: index) { return true }
        if UInt64(va) >= ram.base, UInt64(va) < ram.base + ram.size {
            for i in 0..<size {
                guard store8(va &+ UInt32(i), UInt32(truncatingIfNeeded: value >> UInt64(8 * i))) else { return false }
            }
            return true
        }
        machine.noteBusError(address: UInt64(va), write: true, cpu: index, pc: currentPC)
        takeDataAbort(address: va, kind: .externalAbort, write: true)
        return false
    }

    // MARK: Exclusive monitors (A3.4)

    /// The Exclusives Reservation Granule from CTR.ERG (log2 of words), 8 bytes minimum.
    var exclusiveGranuleMask: UInt32 {
        let erg = (UInt32(truncatingIfNeeded: profile.idRegister("CTR") ?? 0) >> 20) & 0xF
        let bytes: UInt32 = erg == 0 ? 2048 : UInt32(4) << min(erg, 9)
        return ~(max(bytes, 8) - 1)
    }

    /// LDREX*: tag the address in the local and the global monitor.
    func markExclusive(_ va: UInt32, size: UInt32) {
        exclusiveTag = exclusivePhysical(va)
        exclusiveSize = size
        if !exclusiveOpen { machine.openExclusiveTags += 1 }
        exclusiveOpen = true
    }

    /// STREX*: whether the store may happen (both monitors still hold the tag for this address
    /// and size). Always clears the local monitor.
    func checkAndClearExclusive(_ va: UInt32, size: UInt32) -> Bool {
        let ok = exclusiveOpen && exclusiveTag == exclusivePhysical(va) && exclusiveSize == size
        clearExclusive()
        return ok
    }

    /// CLREX, exception entry/return: ClearExclusiveLocal.
    func clearExclusive() {
        if exclusiveOpen { machine.openExclusiveTags -= 1 }
        exclusiveOpen = false
    }
}
