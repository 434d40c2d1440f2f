/// Address translation and protection for one access, the TLB refill, and keeping the MMU's
/// cached context in step with the CSRs.
extension RISCVCore {
    /// The physical address for an access of `size` bytes (inside one 4 KiB page) at `va` by
    /// privilege `mode`, after the page-table walk (when satp is on and `mode` is below M; with
    /// `virtual`, the two-stage translation of V = 1) and the PMP check; the TLB entry for the
    /// page is refilled on the way (not for HLVX, whose read needs execute permission). nil:
    /// the page fault, guest-page fault or access fault (tval = `va`) has been taken.
    func translate(_ va: UInt64, size: Int, access: RVAccess, mode: RVPrivilege, virtual: Bool,
                   hlvx: Bool = false) -> UInt64? {
        var physical = va
        var permissions: UInt8 = 7
        var superpage = false
        if virtual {
            let w = walkGuest(va, access: access, mode: mode, hlvx: hlvx)
            switch w.fault {
            case .none: break
            case .page:
                takeException(access.pageFault, tval: va)
                return nil
            case .guestPage:
                trapGuestPhysical = w.guestPhysical >> 2
                trapInstruction = w.instruction
                takeException(access.guestPageFault, tval: va)
                return nil
            case .access:
                takeException(access.accessFault, tval: va)
                return nil
            }
            physical = w.physical
            permissions = w.permissions
            superpage = w.superpage
        } else if mode != .machine && csr.satp >> 60 != 0 {
            let w = walk(va, access: access, mode: mode)
            switch w.fault {
            case .none: break
            case .page:
                takeException(access.pageFault, tval: va)
                return nil
            case .access, .guestPage:
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
        if ramPage < ramSize && ramBase & 0xFFF == 0 && !hlvx {
            if checked { permissions &= mmu.pmpPagePermissions(page, mode: mode) }
            let vpn = va >> 12
            let sum = (virtual ? csr.vsstatus : csr.mstatus) & MSTATUS.SUM != 0
            let e = mmu.set(for: mode, sum: sum, virtual: virtual) + Int(truncatingIfNeeded: vpn & RVMMU.indexMask)
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
        if mmu.dataVirtual {
            let w = walkGuest(va, access: .load, mode: mmu.dataMode, commit: false)
            return w.fault == .none ? w.physical : nil
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

    /// Bring the MMU's cached context up to date with privilege, V, mstatus, satp, vsstatus,
    /// vsatp, hgatp and the PMP CSRs. Called when a run slice starts and whenever `attention`
    /// is serviced: every change of those (traps, xRET, CSR writes, SFENCE.VMA, HFENCE,
    /// power-on) raises `attention` first.
    func syncMMU() {
        let m = mmu
        let status = csr.mstatus
        let mxr = status & MSTATUS.MXR != 0
        let vsmxr = csr.vsstatus & MSTATUS.MXR != 0
        let pmpChanged = csr.pmpcfg != m.pmpcfgSeen || csr.pmpaddr != m.pmpaddrSeen
        // PMP and mstatus.MXR apply to both regimes; satp only to the host's; vsatp, hgatp and
        // vsstatus.MXR only to the guest's (V = 1 and HLV/HSV).
        let hostChanged = csr.satp != m.satp
        let guestChanged = csr.vsatp != m.vsatp || csr.hgatp != m.hgatp || vsmxr != m.vsmxr
        if pmpChanged || mxr != m.mxr || hostChanged || guestChanged {
            if pmpChanged { m.decodePMP(cfg: csr.pmpcfg, addr: csr.pmpaddr) }
            if pmpChanged || mxr != m.mxr || (hostChanged && guestChanged) {
                m.flushAll()
            } else {
                m.flush(sets: hostChanged ? RVMMU.hostSets : RVMMU.guestSets)
            }
            m.satp = csr.satp
            m.mxr = mxr
            m.vsatp = csr.vsatp
            m.hgatp = csr.hgatp
            m.vsmxr = vsmxr
        }
        var dataMode = privilege
        var dataVirtual = virtualized
        if privilege == .machine && status & MSTATUS.MPRV != 0 {
            // MPRV: loads and stores as if in MPP, and with H in V = MPV (§8.2.x, mstatus.MPV).
            dataMode = RVPrivilege(rawValue: UInt8(truncatingIfNeeded: (status & MSTATUS.MPP) >> MSTATUS.MPPShift)) ?? .user
            dataVirtual = dataMode != .machine && status & MSTATUS.MPV != 0
        }
        let sum = status & MSTATUS.SUM != 0
        let vsum = csr.vsstatus & MSTATUS.SUM != 0
        let paging = csr.satp >> 60 != 0
        let guestPaging = csr.vsatp >> 60 != 0 || csr.hgatp >> 60 != 0
        m.dataMode = dataMode
        m.dataVirtual = dataVirtual
        m.dataSet = m.set(for: dataMode, sum: dataVirtual ? vsum : sum, virtual: dataVirtual)
        m.fetchSet = m.set(for: privilege, sum: virtualized ? vsum : sum, virtual: virtualized)
        let dataTranslated = dataVirtual ? guestPaging : paging && dataMode != .machine
        let fetchTranslated = virtualized ? guestPaging : paging && privilege != .machine
        m.dataDirect = !dataTranslated && !m.pmpChecks(dataMode)
        m.fetchDirect = !fetchTranslated && !m.pmpChecks(privilege)
    }
}
