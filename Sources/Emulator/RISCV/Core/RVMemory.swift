/// Data accesses of a hart. With satp = Bare or in M-mode (without MPRV) addresses are
/// physical; Sv39/Sv48 translation is not implemented yet: using it halts the hart with a
/// finding. RAM is served inline, the rest goes to the bus; a failed access has already taken
/// its exception when these return nil / false.
extension RISCVCore {
    /// The privilege data accesses use (§3.1.6.3: MPRV makes M-mode loads/stores use MPP).
    @inline(__always)
    private var translates: Bool {
        if csr.satp >> 60 == 0 { return false }
        if privilege != .machine { return true }
        return csr.mstatus & MSTATUS.MPRV != 0 && (csr.mstatus & MSTATUS.MPP) != MSTATUS.MPP
    }

    @inline(__always)
    func load(_ va: UInt64, size: Int) -> UInt64? {
        if va & UInt64(size &- 1) != 0 && misalignedTraps {
            takeException(.loadMisaligned, tval: va)
            return nil
        }
        if translates {
            notSupported("Sv39/Sv48 address translation (satp = 0x\(String(csr.satp, radix: 16)))")
            return nil
        }
        let off = va &- ramBase
        if off <= ramSize &- UInt64(size) {
            let p = ram.bytes + Int(off)
            switch size {
            case 1: return UInt64(p.load(as: UInt8.self))
            case 2: return UInt64(p.loadUnaligned(as: UInt16.self))
            case 4: return UInt64(p.loadUnaligned(as: UInt32.self))
            default: return p.loadUnaligned(as: UInt64.self)
            }
        }
        return slowLoad(va, size: size)
    }

    @inline(__always)
    @discardableResult
    func store(_ va: UInt64, size: Int, _ value: UInt64) -> Bool {
        if va & UInt64(size &- 1) != 0 && misalignedTraps {
            takeException(.storeMisaligned, tval: va)
            return false
        }
        if translates {
            notSupported("Sv39/Sv48 address translation (satp = 0x\(String(csr.satp, radix: 16)))")
            return false
        }
        let off = va &- ramBase
        if off <= ramSize &- UInt64(size) {
            let p = ram.bytes + Int(off)
            switch size {
            case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
            case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value), as: UInt16.self)
            case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: value), as: UInt32.self)
            default: p.storeBytes(of: value, as: UInt64.self)
            }
            ram.invalidateDecoded(offset: off, length: size)
            if machine.openReservations != 0 { machine.observeStore(va, size: size, by: index) }
            return true
        }
        return slowStore(va, size: size, value)
    }

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

    // MARK: LR/SC reservations (unprivileged spec §8.2)

    func reserve(_ address: UInt64) {
        if !reservationValid { machine.openReservations += 1 }
        reservation = address
        reservationValid = true
    }

    /// SC: whether the reservation still covers `address`; always releases it.
    func checkAndClearReservation(_ address: UInt64) -> Bool {
        let ok = reservationValid && reservation == address
        clearReservation()
        return ok
    }

    func clearReservation() {
        if reservationValid { machine.openReservations -= 1 }
        reservationValid = false
    }
}
