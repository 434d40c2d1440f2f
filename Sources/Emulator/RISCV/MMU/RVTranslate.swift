/// Address translation and protection for one access, the TLB refill, and keeping the MMU's
/// cached context in step with the CSRs.
extension RISCVCore {
    /// The physical address for an access of `size` bytes (inside one 4 KiB page) at `va` by
    /// privilege `mode`, after the page-table walk (when satp is on and `mode` is below M) and
    /// the PMP check; the TLB entry for the page is refilled on the way. nil: the page fault or
    /// access fault (tval = `va`) has been taken.
    func translate(_ va: UInt64, size: Int, access: RVAccess, mode: RVPrivilege) -> UInt64? {
        var physical = va
        var permissions: UInt8 = 7
        var superpage = false
        if mode != .machine && csr.satp >> 60 != 0 {
            let w = walk(va, access: access, mode: mode)
            switch w.fault {
            case .none: break
            case .page:
                takeException(access.pageFault, tval: va)
                return nil
            case .access:
                takeException(access.accessFault, tval: va)
                return nil
            }
            physical = w.physical
            permissions = w.permissions
            superpage = w.superpage
        }
        let checked = mmu.pmpChecks(mode)
        if checked && !mmu.pmpAllows(physical, size: size, access: access, mode: mode) {
            takeException(access.accessFault, tval: va)
            return nil
        }
        // Refill: only RAM pages (4 KiB aligned in RAM) get fast-path tags.
        let page = physical & ~0xFFF
        let ramPage = page &- ramBase
        if ramPage < ramSize && ramBase & 0xFFF == 0 {
            if checked { permissions &= mmu.pmpPagePermissions(page, mode: mode) }
            let vpn = va >> 12
            let e = mmu.set(for: mode, sum: csr.mstatus & MSTATUS.SUM != 0) + Int(truncatingIfNeeded: vpn & RVMMU.indexMask)
            e.pointee = RVTLBEntry(
                readTag: permissions & RVAccess.load.rawValue != 0 ? vpn : RVTLBEntry.invalid,
                writeTag: permissions & RVAccess.store.rawValue != 0 ? vpn : RVTLBEntry.invalid,
                execTag: permissions & RVAccess.fetch.rawValue != 0 ? vpn : RVTLBEntry.invalid,
                ramPage: ramPage)
            if superpage { mmu.holdsSuperpages = true }
        }
        return physical
    }

    /// The physical address `va` maps to for data accesses now, without side effects or
    /// exceptions; nil when it has none. LR/SC reservations hold physical addresses, so that
    /// another hart's store to the same memory through another mapping breaks them.
    func probeDataAddress(_ va: UInt64) -> UInt64? {
        if mmu.dataDirect { return va }
        let vpn = va >> 12
        let e = mmu.dataSet + Int(truncatingIfNeeded: vpn & RVMMU.indexMask)
        if e.pointee.readTag == vpn || e.pointee.writeTag == vpn {
            return ramBase &+ (e.pointee.ramPage | (va & 0xFFF))
        }
        guard mmu.dataMode != .machine && csr.satp >> 60 != 0 else { return va }
        let w = walk(va, access: .load, mode: mmu.dataMode, commit: false)
        return w.fault == .none ? w.physical : nil
    }

    /// SFENCE.VMA (§4.2.1), and the SBI's remote sfence.vma: forget cached translations — those
    /// of the page holding `address`, or all. ASIDs are ignored (flushing more is allowed).
    func flushTLB(address: UInt64? = nil) {
        if let a = address, !mmu.holdsSuperpages {
            mmu.flush(page: a >> 12)
        } else {
            mmu.flushAll()
        }
        attention = true   // the run loop's current fetch page goes too
    }

    /// Bring the MMU's cached context up to date with privilege, mstatus, satp and the PMP
    /// CSRs. Called when a run slice starts and whenever `attention` is serviced: every change
    /// of those (traps, xRET, CSR writes, SFENCE.VMA, power-on) raises `attention` first.
    func syncMMU() {
        let m = mmu
        let status = csr.mstatus
        let mxr = status & MSTATUS.MXR != 0
        let pmpChanged = csr.pmpcfg != m.pmpcfgSeen || csr.pmpaddr != m.pmpaddrSeen
        if pmpChanged || csr.satp != m.satp || mxr != m.mxr {
            if pmpChanged { m.decodePMP(cfg: csr.pmpcfg, addr: csr.pmpaddr) }
            m.satp = csr.satp
            m.mxr = mxr
            m.flushAll()
        }
        let sum = status & MSTATUS.SUM != 0
        var dataMode = privilege
        if privilege == .machine && status & MSTATUS.MPRV != 0 {
            dataMode = RVPrivilege(rawValue: UInt8(truncatingIfNeeded: (status & MSTATUS.MPP) >> MSTATUS.MPPShift)) ?? .user
        }
        let paging = csr.satp >> 60 != 0
        m.dataMode = dataMode
        m.dataSet = m.set(for: dataMode, sum: sum)
        m.fetchSet = m.set(for: privilege, sum: sum)
        m.dataDirect = !(paging && dataMode != .machine) && !m.pmpChecks(dataMode)
        m.fetchDirect = !(paging && privilege != .machine) && !m.pmpChecks(privilege)
    }
}
