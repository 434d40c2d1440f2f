/// The Sv39 / Sv48 / Sv57 page-table walk (privileged spec v1.12 §4.3.2, §4.4–4.6), with
/// QEMU 7.2's target/riscv/cpu_helper.c `get_physical_address` as the tie-breaker.
///
/// - The virtual address must be canonical: bits 63…VA-width equal to the top VA bit (§4.4.1),
///   or a page fault.
/// - PTE reads and the A/D writes are physical accesses checked by the PMP as S-mode loads and
///   stores (§3.7.1, "page-table accesses … effective privilege mode is S"); they must hit RAM.
///   A failure is an access fault of the original access kind (§4.3.2 step 2). (QEMU 7.2 raises a
///   page fault when the PTE address is not memory; the spec says access fault.)
/// - V = 0, reserved bits 63–54 set (this hart has neither Svpbmt nor Svnapot, so PBMT and N are
///   reserved too), W without R, a misaligned superpage, no leaf at level 0, or — as QEMU — a
///   non-leaf PTE with D, A or U set: page fault.
/// - U pages: S-mode may load/store them only with SUM and never executes them; S pages are not
///   accessible from U (§4.3.1). MXR makes X pages readable.
/// - A/D per the profile (`features.adUpdate`): `.hardware` sets A (and D on a store) in the PTE
///   in memory (Svadu); `.fault` raises the page fault (Svade).
struct RVWalk {
    enum Fault: UInt8 { case none, page, access }

    var physical: UInt64 = 0
    /// What later accesses to this page may do without walking again (R = 1, W = 2, X = 4):
    /// granted by the PTE for this privilege context, with A set, and D for writes.
    var permissions: UInt8 = 0
    var fault = Fault.none
    var superpage = false

    static let pageFault = RVWalk(fault: .page)
    static let accessFault = RVWalk(fault: .access)
}

/// PTE bits (§4.4.1).
enum PTE {
    static let V: UInt64 = 1 << 0
    static let R: UInt64 = 1 << 1
    static let W: UInt64 = 1 << 2
    static let X: UInt64 = 1 << 3
    static let U: UInt64 = 1 << 4
    static let G: UInt64 = 1 << 5
    static let A: UInt64 = 1 << 6
    static let D: UInt64 = 1 << 7
    static let ppnShift: UInt64 = 10
    static let ppnMask: UInt64 = (1 << 44) - 1
}

extension RISCVCore {
    /// Walk the page table satp points at for `va`. With `commit` false nothing is written and
    /// A/D are not looked at (a side-effect-free probe: LR/SC reservation addresses).
    func walk(_ va: UInt64, access: RVAccess, mode: RVPrivilege, commit: Bool = true) -> RVWalk {
        let satp = csr.satp
        let levels: Int
        switch satp >> 60 {
        case 8: levels = 3
        case 9: levels = 4
        case 10: levels = 5
        default: return .pageFault   // unreachable: satp holds only the modes the hart has
        }
        // Canonical: bits 63 … VA-width − 1 all equal (sign extension of the top VA bit).
        let top = Int64(bitPattern: va) >> Int64(12 &+ 9 &* levels &- 1)
        guard top == 0 || top == -1 else { return .pageFault }

        let status = csr.mstatus
        let sum = status & MSTATUS.SUM != 0
        let mxr = status & MSTATUS.MXR != 0
        var table = (satp & PTE.ppnMask) << 12
        var level = levels &- 1
        while true {
            let vpnField = (va >> UInt64(12 &+ 9 &* level)) & 511
            let pteAddress = table &+ vpnField &* 8
            if mmu.pmpImplemented && !mmu.pmpAllows(pteAddress, size: 8, access: .load, mode: .supervisor) {
                return .accessFault
            }
            let offset = pteAddress &- ramBase
            guard offset <= ramSize &- 8 else { return .accessFault }
            let slot = ram.bytes + Int(truncatingIfNeeded: offset)
            var pte = slot.loadUnaligned(as: UInt64.self)
            guard pte & PTE.V != 0, pte >> 54 == 0 else { return .pageFault }
            let ppn = (pte >> PTE.ppnShift) & PTE.ppnMask
            if pte & (PTE.R | PTE.W | PTE.X) == 0 {
                // A pointer to the next level.
                guard level > 0, pte & (PTE.D | PTE.A | PTE.U) == 0 else { return .pageFault }
                table = ppn << 12
                level &-= 1
                continue
            }
            // A leaf.
            if pte & PTE.W != 0 && pte & PTE.R == 0 { return .pageFault }
            if level > 0 && ppn & ((1 << UInt64(9 &* level)) &- 1) != 0 { return .pageFault }
            let user = pte & PTE.U != 0
            let dataAllowed = user ? mode == .user || (mode == .supervisor && sum) : mode == .supervisor
            let execAllowed = user ? mode == .user : mode == .supervisor
            var permissions: UInt8 = 0
            if dataAllowed {
                if pte & PTE.R != 0 || (mxr && pte & PTE.X != 0) { permissions |= RVAccess.load.rawValue }
                if pte & PTE.W != 0 { permissions |= RVAccess.store.rawValue }
            }
            if execAllowed && pte & PTE.X != 0 { permissions |= RVAccess.fetch.rawValue }
            guard permissions & access.rawValue != 0 else { return .pageFault }

            if commit {
                let dirty: UInt64 = access == .store ? PTE.D : 0
                if pte & PTE.A == 0 || pte & dirty != dirty {
                    guard features.adUpdate == .hardware else { return .pageFault }
                    if mmu.pmpImplemented && !mmu.pmpAllows(pteAddress, size: 8, access: .store, mode: .supervisor) {
                        return .accessFault
                    }
                    pte |= PTE.A | dirty
                    slot.storeBytes(of: pte, as: UInt64.self)
                    ram.invalidateDecoded(offset: offset, length: 8)
                    if machine.openReservations != 0 { machine.observeStore(pteAddress, size: 8, by: index) }
                }
                // Until D is set, a store must walk again (to set it, or to fault).
                if pte & PTE.D == 0 { permissions &= ~RVAccess.store.rawValue }
            }
            let pageBits = UInt64(12 &+ 9 &* level)
            let physical = (ppn << 12) | (va & ((1 << pageBits) &- 1))
            return RVWalk(physical: physical, permissions: permissions, fault: .none, superpage: level > 0)
        }
    }
}
