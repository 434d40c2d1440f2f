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
///
/// The hypervisor extension's two-stage translation (§8.5) uses the same walker for both stages:
/// - VS-stage (vsatp, when V = 1): as above with vsstatus.SUM and MXR = vsstatus.MXR or
///   mstatus.MXR; every PTE address is a guest physical address, itself translated by the
///   G-stage (an implicit access: a G-stage fault there is a guest-page fault of the original
///   access kind, htval = that GPA, and htinst the pseudoinstruction of §8.6.3 — 0x3000 for the
///   64-bit PTE read, 0x3020 for the A/D write — where QEMU 7.2 writes 0).
/// - G-stage (hgatp Sv39x4/Sv48x4/Sv57x4): the guest physical address has 2 bits more than the
///   Sv mode's virtual address (41, 50, 59) and higher bits must be zero; the root table is
///   16 KiB (2048 entries, the extra bits index it); every leaf must have U = 1 and is checked
///   as a U-mode access; MXR = mstatus.MXR. Any failure is a guest-page fault (20, 21, 23).
/// - HLVX needs execute permission instead of read permission at both stages (§8.3.2).
struct RVWalk {
    enum Fault: UInt8 { case none, page, access, guestPage }

    var physical: UInt64 = 0
    /// What later accesses to this page may do without walking again (R = 1, W = 2, X = 4):
    /// granted by the PTE for this privilege context, with A set, and D for writes.
    var permissions: UInt8 = 0
    var fault = Fault.none
    var superpage = false
    /// For a guest-page fault: the guest physical address that failed, and what htinst gets.
    var guestPhysical: UInt64 = 0
    var instruction: UInt64 = 0

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

/// One stage of translation: where its root table is, how deep it is, and its rules.
struct RVStage {
    var root: UInt64
    var levels: Int
    /// The G-stage of the hypervisor extension (x4 root, U-mode rules, GPA width check).
    var gStage = false
    /// The VS-stage: PTE addresses are guest physical and go through the G-stage.
    var guestTables = false
    /// The privilege the access is checked as, SUM and MXR.
    var mode: RVPrivilege
    var sum: Bool
    var mxr: Bool

    /// The stage an xatp value (satp, vsatp, hgatp) describes; nil for Bare.
    static func levels(_ atp: UInt64) -> Int? {
        switch atp >> 60 {
        case 8: 3
        case 9: 4
        case 10: 5
        default: nil
        }
    }
}

/// htinst pseudoinstructions for guest-page faults on VS-stage PTE accesses (§8.6.3, RV64).
enum RVPseudoInstruction {
    static let pteRead: UInt64 = 0x3000
    static let pteWrite: UInt64 = 0x3020
}

extension RISCVCore {
    /// Walk the page table satp points at for `va` (V = 0). With `commit` false nothing is
    /// written and A/D are not looked at (a side-effect-free probe: LR/SC reservation addresses).
    func walk(_ va: UInt64, access: RVAccess, mode: RVPrivilege, commit: Bool = true) -> RVWalk {
        guard let levels = RVStage.levels(csr.satp) else { return .pageFault }   // unreachable: satp holds only implemented modes
        let status = csr.mstatus
        let stage = RVStage(root: (csr.satp & PTE.ppnMask) << 12, levels: levels, mode: mode,
                            sum: status & MSTATUS.SUM != 0, mxr: status & MSTATUS.MXR != 0)
        return walk(va, access: access, stage: stage, hlvx: false, commit: commit)
    }

    /// The two-stage translation of V = 1 (§8.5): VS-stage by vsatp (Bare: GPA = VA), then
    /// G-stage by hgatp (Bare: HPA = GPA), at the nominal privilege `mode`. A G-stage failure is
    /// `.guestPage` with the guest physical address that failed.
    func walkGuest(_ va: UInt64, access: RVAccess, mode: RVPrivilege, hlvx: Bool = false, commit: Bool = true) -> RVWalk {
        let mmxr = csr.mstatus & MSTATUS.MXR != 0
        var gpa = va
        var permissions: UInt8 = 7
        var superpage = false
        if let levels = RVStage.levels(csr.vsatp) {
            let vs = csr.vsstatus
            let stage = RVStage(root: (csr.vsatp & PTE.ppnMask) << 12, levels: levels, guestTables: true, mode: mode,
                                sum: vs & MSTATUS.SUM != 0, mxr: mmxr || vs & MSTATUS.MXR != 0)
            let w = walk(va, access: access, stage: stage, hlvx: hlvx, commit: commit)
            guard w.fault == .none else { return w }
            gpa = w.physical
            permissions = w.permissions
            superpage = w.superpage
        }
        let g = walkGStage(gpa, access: access, hlvx: hlvx, commit: commit)
        guard g.fault == .none else { return g }
        return RVWalk(physical: g.physical, permissions: permissions & g.permissions, fault: .none,
                      superpage: superpage || g.superpage)
    }

    /// The G-stage alone for guest physical address `gpa`; a failure of any kind but a PTE
    /// outside memory is a guest-page fault for `gpa`.
    func walkGStage(_ gpa: UInt64, access: RVAccess, hlvx: Bool = false, commit: Bool = true) -> RVWalk {
        guard let levels = RVStage.levels(csr.hgatp) else {
            return RVWalk(physical: gpa, permissions: 7, fault: .none)
        }
        let stage = RVStage(root: (csr.hgatp & PTE.ppnMask) << 12, levels: levels, gStage: true, mode: .user,
                            sum: false, mxr: csr.mstatus & MSTATUS.MXR != 0)
        var w = walk(gpa, access: access, stage: stage, hlvx: hlvx, commit: commit)
        if w.fault == .page {
            w.fault = .guestPage
            w.guestPhysical = gpa
        }
        return w
    }

    /// One stage of the walk (§4.3.2, §8.5).
    private func walk(_ va: UInt64, access: RVAccess, stage: RVStage, hlvx: Bool, commit: Bool) -> RVWalk {
        let levels = stage.levels
        let vaBits = 12 &+ 9 &* levels
        if stage.gStage {
            // GPA: the 2 bits above the Sv width index the 16 KiB root; the rest must be zero.
            guard va >> UInt64(vaBits &+ 2) == 0 else { return .pageFault }
        } else {
            // Canonical: bits 63 … VA-width − 1 all equal (sign extension of the top VA bit).
            let top = Int64(bitPattern: va) >> Int64(vaBits &- 1)
            guard top == 0 || top == -1 else { return .pageFault }
        }
        let mode = stage.mode, sum = stage.sum, mxr = stage.mxr
        var table = stage.root
        var level = levels &- 1
        while true {
            let indexMask: UInt64 = stage.gStage && level == levels &- 1 ? 2047 : 511
            let vpnField = (va >> UInt64(12 &+ 9 &* level)) & indexMask
            let pteAddress = table &+ vpnField &* 8
            // The PTE's host physical address: through the G-stage for VS-stage tables.
            var hostPTE = pteAddress
            if stage.guestTables {
                let g = walkGStage(pteAddress, access: .load, commit: commit)
                switch g.fault {
                case .none: hostPTE = g.physical
                case .guestPage:
                    return RVWalk(fault: .guestPage, guestPhysical: pteAddress, instruction: RVPseudoInstruction.pteRead)
                default: return g
                }
            }
            if mmu.pmpImplemented && !mmu.pmpAllows(hostPTE, size: 8, access: .load, mode: .supervisor) {
                return .accessFault
            }
            let offset = hostPTE &- ramBase
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
            if stage.gStage && !user { return .pageFault }   // G-stage leaves must have U = 1 (§8.5.1)
            let dataAllowed = user ? mode == .user || (mode == .supervisor && sum) : mode == .supervisor
            let execAllowed = user ? mode == .user : mode == .supervisor
            var permissions: UInt8 = 0
            if dataAllowed {
                if hlvx {
                    if pte & PTE.X != 0 { permissions |= RVAccess.load.rawValue }
                } else if pte & PTE.R != 0 || (mxr && pte & PTE.X != 0) {
                    permissions |= RVAccess.load.rawValue
                }
                if pte & PTE.W != 0 { permissions |= RVAccess.store.rawValue }
            }
            if execAllowed && pte & PTE.X != 0 { permissions |= RVAccess.fetch.rawValue }
            guard permissions & access.rawValue != 0 else { return .pageFault }

            if commit {
                let dirty: UInt64 = access == .store ? PTE.D : 0
                if pte & PTE.A == 0 || pte & dirty != dirty {
                    guard features.adUpdate == .hardware else { return .pageFault }
                    if stage.guestTables {
                        // Setting A/D writes the VS-stage PTE: the G-stage must allow a store.
                        let g = walkGStage(pteAddress, access: .store, commit: true)
                        switch g.fault {
                        case .none: break
                        case .guestPage:
                            return RVWalk(fault: .guestPage, guestPhysical: pteAddress, instruction: RVPseudoInstruction.pteWrite)
                        default: return g
                        }
                    }
                    if mmu.pmpImplemented && !mmu.pmpAllows(hostPTE, size: 8, access: .store, mode: .supervisor) {
                        return .accessFault
                    }
                    pte |= PTE.A | dirty
                    slot.storeBytes(of: pte, as: UInt64.self)
                    ram.invalidateDecoded(offset: offset, length: 8)
                    if machine.openReservations != 0 { machine.observeStore(hostPTE, size: 8, by: index) }
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
