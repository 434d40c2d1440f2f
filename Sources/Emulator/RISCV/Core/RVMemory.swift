/// Data accesses of a hart. When `mmu.dataDirect` holds (M-mode without MPRV, or satp Bare, and
/// no PMP entry that applies) addresses are physical and RAM is served inline. Otherwise the
/// access goes through the software TLB (RVMMU.swift): a hit on the access kind's tag is RAM
/// the context may use without further checks; a miss walks the page table and checks the PMP
/// (RVTranslate.swift). Anything else goes to the bus. A failed access has already taken its
/// exception when these return nil / false.
extension RISCVCore {
    @inline(__always)
    func load(_ va: UInt64, size: Int) -> UInt64? {
        if va & UInt64(size &- 1) != 0 && misalignedTraps {
            takeException(.loadMisaligned, tval: va)
            return nil
        }
        let off: UInt64
        if mmu.dataDirect {
            off = va &- ramBase
            guard off <= ramSize &- UInt64(size) else { return slowLoad(va, size: size) }
        } else {
            let vpn = va >> 12
            let e = mmu.dataSet + Int(truncatingIfNeeded: vpn & RVMMU.indexMask)
            guard e.pointee.readTag == vpn && (va & 0xFFF) &+ UInt64(size) <= 0x1000 else {
                return translatedLoad(va, size: size)
            }
            off = e.pointee.ramPage | (va & 0xFFF)
        }
        let p = ram.bytes + Int(truncatingIfNeeded: off)
        switch size {
        case 1: return UInt64(p.load(as: UInt8.self))
        case 2: return UInt64(p.loadUnaligned(as: UInt16.self))
        case 4: return UInt64(p.loadUnaligned(as: UInt32.self))
        default: return p.loadUnaligned(as: UInt64.self)
        }
    }

    @inline(__always)
    @discardableResult
    func store(_ va: UInt64, size: Int, _ value: UInt64) -> Bool {
        if va & UInt64(size &- 1) != 0 && misalignedTraps {
            takeException(.storeMisaligned, tval: va)
            return false
        }
        let off: UInt64
        if mmu.dataDirect {
            off = va &- ramBase
            guard off <= ramSize &- UInt64(size) else { return slowStore(va, size: size, value) }
        } else {
            let vpn = va >> 12
            let e = mmu.dataSet + Int(truncatingIfNeeded: vpn & RVMMU.indexMask)
            guard e.pointee.writeTag == vpn && (va & 0xFFF) &+ UInt64(size) <= 0x1000 else {
                return translatedStore(va, size: size, value)
            }
            off = e.pointee.ramPage | (va & 0xFFF)
        }
        writeRAM(off, size: size, value)
        return true
    }

    /// A store to RAM offset `off`: clears the decoded instructions it overwrites and other
    /// harts' reservations on it.
    @inline(__always)
    private func writeRAM(_ off: UInt64, size: Int, _ value: UInt64) {
        let p = ram.bytes + Int(truncatingIfNeeded: off)
        switch size {
        case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value), as: UInt16.self)
        case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: value), as: UInt32.self)
        default: p.storeBytes(of: value, as: UInt64.self)
        }
        ram.invalidateDecoded(offset: off, length: size)
        if machine.openReservations != 0 { machine.observeStore(ramBase &+ off, size: size, by: index) }
    }

    /// The read half of an AMO: translated and protected as a store (privileged spec §4.3.2 and
    /// §3.7.1 treat AMOs as stores: store/AMO page fault 15, access fault 7; QEMU 7.2 probes the
    /// page for writing first), so an AMO on a read-only page faults before it reads. An AMO
    /// should call this, then `store`.
    func loadForAMO(_ va: UInt64, size: Int) -> UInt64? {
        if mmu.dataDirect { return load(va, size: size) }
        let vpn = va >> 12
        let e = mmu.dataSet + Int(truncatingIfNeeded: vpn & RVMMU.indexMask)
        if e.pointee.writeTag != vpn {
            if (va & 0xFFF) &+ UInt64(size) > 0x1000 {
                // Misaligned across pages (AMOs trap on misalignment before getting here).
                return load(va, size: size)
            }
            guard translate(va, size: size, access: .store, mode: mmu.dataMode, virtual: mmu.dataVirtual) != nil else { return nil }
        }
        return load(va, size: size)
    }

    // MARK: The slow paths

    @inline(never)
    private func slowLoad(_ va: UInt64, size: Int) -> UInt64? {
        if let v = machine.bus.read(va, size: size, cpu: index) { return v }
        machine.noteBusError(address: va, write: false, cpu: index, pc: pc)
        takeException(.loadAccessFault, tval: va)
        return nil
    }

    @inline(never)
    private func slowStore(_ va: UInt64, size: Int, _ value: UInt64) -> Bool {
        if machine.bus.write(va, size: size, value: value, cpu: index) { return true }
        machine.noteBusError(address: va, write: true, cpu: index, pc: pc)
        takeException(.storeAccessFault, tval: va)
        return false
    }

    /// A load the TLB could not serve: translate and check, then RAM or the bus.
    @inline(never)
    private func translatedLoad(_ va: UInt64, size: Int) -> UInt64? {
        let inPage = Int(truncatingIfNeeded: va & 0xFFF)
        if inPage &+ size > 0x1000 { return pageCrossingLoad(va, size: size, firstPart: 0x1000 &- inPage) }
        guard let pa = translate(va, size: size, access: .load, mode: mmu.dataMode, virtual: mmu.dataVirtual) else { return nil }
        return physicalLoad(pa, size: size, va: va)
    }

    @inline(never)
    private func translatedStore(_ va: UInt64, size: Int, _ value: UInt64) -> Bool {
        let inPage = Int(truncatingIfNeeded: va & 0xFFF)
        if inPage &+ size > 0x1000 { return pageCrossingStore(va, size: size, value, firstPart: 0x1000 &- inPage) }
        guard let pa = translate(va, size: size, access: .store, mode: mmu.dataMode, virtual: mmu.dataVirtual) else { return false }
        return physicalStore(pa, size: size, value, va: va)
    }

    func physicalLoad(_ pa: UInt64, size: Int, va: UInt64) -> UInt64? {
        let off = pa &- ramBase
        if off <= ramSize &- UInt64(size) {
            let p = ram.bytes + Int(truncatingIfNeeded: off)
            switch size {
            case 1: return UInt64(p.load(as: UInt8.self))
            case 2: return UInt64(p.loadUnaligned(as: UInt16.self))
            case 4: return UInt64(p.loadUnaligned(as: UInt32.self))
            default: return p.loadUnaligned(as: UInt64.self)
            }
        }
        if let v = machine.bus.read(pa, size: size, cpu: index) { return v }
        machine.noteBusError(address: pa, write: false, cpu: index, pc: pc)
        takeException(.loadAccessFault, tval: va)
        return nil
    }

    func physicalStore(_ pa: UInt64, size: Int, _ value: UInt64, va: UInt64) -> Bool {
        let off = pa &- ramBase
        if off <= ramSize &- UInt64(size) {
            writeRAM(off, size: size, value)
            return true
        }
        if machine.bus.write(pa, size: size, value: value, cpu: index) { return true }
        machine.noteBusError(address: pa, write: true, cpu: index, pc: pc)
        takeException(.storeAccessFault, tval: va)
        return false
    }

    /// A misaligned load spanning two pages (profiles with `misaligned = "hardware"`): both
    /// pages are translated and checked before anything is read — a fault on the second reports
    /// that page's first byte, as QEMU does — then the bytes are gathered little-endian.
    private func pageCrossingLoad(_ va: UInt64, size: Int, firstPart: Int) -> UInt64? {
        let second = va &+ UInt64(firstPart)
        guard let pa1 = translate(va, size: firstPart, access: .load, mode: mmu.dataMode, virtual: mmu.dataVirtual),
              let pa2 = translate(second, size: size &- firstPart, access: .load, mode: mmu.dataMode, virtual: mmu.dataVirtual) else { return nil }
        var value: UInt64 = 0
        for i in 0..<size {
            let (pa, at) = i < firstPart ? (pa1 &+ UInt64(i), va) : (pa2 &+ UInt64(i &- firstPart), second)
            guard let b = physicalLoad(pa, size: 1, va: at) else { return nil }
            value |= b << UInt64(8 &* i)
        }
        return value
    }

    private func pageCrossingStore(_ va: UInt64, size: Int, _ value: UInt64, firstPart: Int) -> Bool {
        let second = va &+ UInt64(firstPart)
        guard let pa1 = translate(va, size: firstPart, access: .store, mode: mmu.dataMode, virtual: mmu.dataVirtual),
              let pa2 = translate(second, size: size &- firstPart, access: .store, mode: mmu.dataMode, virtual: mmu.dataVirtual) else { return false }
        for i in 0..<size {
            let (pa, at) = i < firstPart ? (pa1 &+ UInt64(i), va) : (pa2 &+ UInt64(i &- firstPart), second)
            guard physicalStore(pa, size: 1, value >> UInt64(8 &* i), va: at) else { return false }
        }
        return true
    }

    // MARK: LR/SC reservations (unprivileged spec §8.2)

    /// LR: reserve the memory at virtual `address` (just loaded). The reservation holds the
    /// physical address, which is what other harts' stores are compared with.
    func reserve(_ address: UInt64) {
        if !reservationValid { machine.openReservations += 1 }
        reservation = probeDataAddress(address) ?? address
        reservationValid = true
    }

    /// SC: whether the reservation still covers virtual `address`; always releases it. An
    /// address with no translation now fails without touching memory.
    func checkAndClearReservation(_ address: UInt64) -> Bool {
        let ok = reservationValid && reservation == probeDataAddress(address)
        clearReservation()
        return ok
    }

    func clearReservation() {
        if reservationValid { machine.openReservations -= 1 }
        reservationValid = false
    }
}
