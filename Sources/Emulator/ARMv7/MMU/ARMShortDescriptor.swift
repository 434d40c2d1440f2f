/// The short-descriptor translation table format (ARM ARM B3.5) for the PL1&0 stage 1
/// translation when TTBCR.EAE = 0: sections, supersections, large and small pages, domains,
/// AP[2:0] (or the simplified AP[2:1] model with SCTLR.AFE), XN and PXN.
///
/// Check order, where the ARM ARM's flowchart (B3.12.? figure B3-22) leaves room, follows
/// QEMU 7.2 `get_phys_addr_v6`: translation, then domain (checked for a page table before its
/// level 2 lookup, reported at level 2), then for Client domains XN on a fetch, the access
/// flag, and the access permissions. A Manager domain allows every access, fetch included.
extension ARMCore {
    func walkShortDescriptor(_ va: UInt32, access: ARMAccess, user: Bool, secure: Bool, stage2: Bool) -> ARMWalk {
        var w = ARMWalk()
        let ttbcr = cp15.ttbcr(secure: secure)
        let sctlr = cp15.sctlr(secure: secure)
        let bigEndian = sctlr & SCTLR.EE != 0
        // TTBCR.N splits the space (B3.5.4): VA[31:32-N] = 0 uses TTBR0, whose table shrinks
        // to 16 KiB >> N; anything else uses TTBR1. PD0/PD1 forbid walks through a TTBR.
        let n = ttbcr & 7
        let useTTBR1 = n != 0 && va >> (32 &- n) != 0
        if ttbcr & (useTTBR1 ? 0x20 : 0x10) != 0 {
            w.fault = ARMTranslationFault(kind: .translation, level: 1)
            return w
        }
        let l1Address: UInt32
        if useTTBR1 {
            l1Address = (UInt32(truncatingIfNeeded: cp15.ttbr1(secure: secure)) & 0xFFFF_C000) | ((va >> 20) << 2)
        } else {
            let base = UInt32(truncatingIfNeeded: cp15.ttbr0(secure: secure)) & (0xFFFF_FFFF << (14 &- n))
            l1Address = base | (((va << n) >> (20 &+ n)) << 2)
        }
        guard let l1 = tableWord(UInt64(l1Address), level: 1, bigEndian: bigEndian, stage2: stage2, &w) else { return w }
        let type = l1 & 3
        if type == 0 {
            w.fault = ARMTranslationFault(kind: .translation, level: 1)
            return w
        }
        // Type 0b11 is a section with PXN set on a core with PXN (the A15/A7 have it).
        let isPageTable = type == 1
        let isSupersection = !isPageTable && l1 & (1 << 18) != 0
        let domain = isSupersection ? 0 : (l1 >> 5) & 0xF
        let level: UInt32 = isPageTable ? 2 : 1
        let domainAccess = (cp15.dacr(secure: secure) >> (domain &* 2)) & 3
        if domainAccess == 0 || domainAccess == 2 {
            w.fault = ARMTranslationFault(kind: .domain, level: level, domain: domain)
            return w
        }
        var ap: UInt32
        var xn: Bool
        var pxn: Bool
        if isPageTable {
            pxn = l1 & (1 << 2) != 0
            let l2Address = (l1 & 0xFFFF_FC00) | ((va >> 10) & 0x3FC)
            guard let l2 = tableWord(UInt64(l2Address), level: 2, bigEndian: bigEndian, stage2: stage2, &w) else {
                w.fault?.domain = domain
                return w
            }
            switch l2 & 3 {
            case 0:
                w.fault = ARMTranslationFault(kind: .translation, level: 2, domain: domain)
                return w
            case 1:   // large page, 64 KiB
                w.physical = UInt64((l2 & 0xFFFF_0000) | (va & 0xFFFF))
                xn = l2 & (1 << 15) != 0
                w.regionMask = 0xFFFF_0000
            default:  // small page, 4 KiB
                w.physical = UInt64((l2 & 0xFFFF_F000) | (va & 0xFFF))
                xn = l2 & 1 != 0
            }
            ap = ((l2 >> 7) & 4) | ((l2 >> 4) & 3)
        } else {
            if isSupersection {
                // PA[39:32] from the extended base address fields (B3.5.1, figure B3-4).
                let high = UInt64((l1 >> 20) & 0xF) << 32 | UInt64((l1 >> 5) & 0xF) << 36
                w.physical = high | UInt64((l1 & 0xFF00_0000) | (va & 0x00FF_FFFF))
            } else {
                w.physical = UInt64((l1 & 0xFFF0_0000) | (va & 0x000F_FFFF))
            }
            w.regionMask = isSupersection ? 0xFF00_0000 : 0xFFF0_0000
            xn = l1 & (1 << 4) != 0
            pxn = l1 & 1 != 0
            ap = ((l1 >> 13) & 4) | ((l1 >> 10) & 3)
        }
        if domainAccess == 3 {
            w.permissions = 7
            return w
        }
        if pxn && !user { xn = true }
        if xn && access == .fetch {
            w.fault = ARMTranslationFault(kind: .permission, level: level, domain: domain)
            return w
        }
        var rw: UInt8
        if sctlr & SCTLR.AFE != 0 {
            // The simplified model (B3.7.1): AP[0] is the access flag, AP[2:1] the permissions;
            // A15/A7 do not manage the flag in hardware, so a clear flag faults.
            if ap & 1 == 0 {
                w.fault = ARMTranslationFault(kind: .accessFlag, level: level, domain: domain)
                return w
            }
            rw = ARMCore.simplifiedAPPermissions(ap >> 1, user: user)
        } else {
            rw = ARMCore.shortAPPermissions(ap, user: user)
        }
        // WXN/UWXN (B3.7.3) apply to both formats.
        if sctlr & SCTLR.WXN != 0 && rw & ARMAccess.write.rawValue != 0 { xn = true }
        if !user && sctlr & SCTLR.UWXN != 0 {
            let userRW = sctlr & SCTLR.AFE != 0 ? ARMCore.simplifiedAPPermissions(ap >> 1, user: true)
                : ARMCore.shortAPPermissions(ap, user: true)
            if userRW & ARMAccess.write.rawValue != 0 { xn = true }
        }
        w.permissions = rw | (rw != 0 && !xn ? ARMAccess.fetch.rawValue : 0)
        if w.permissions & access.rawValue == 0 {
            w.fault = ARMTranslationFault(kind: .permission, level: level, domain: domain)
        }
        return w
    }

    /// AP[2:0] (B3.7.1, table B3-8): read and write permission for PL1 or PL0.
    static func shortAPPermissions(_ ap: UInt32, user: Bool) -> UInt8 {
        let r = ARMAccess.read.rawValue, rw = ARMAccess.read.rawValue | ARMAccess.write.rawValue
        switch ap & 7 {
        case 1: return user ? 0 : rw
        case 2: return user ? r : rw
        case 3: return rw
        case 5: return user ? 0 : r
        case 6, 7: return r
        default: return 0   // 0b000 no access, 0b100 reserved
        }
    }

    /// AP[2:1] of the simplified model and of long descriptors (B3.7.1, table B3-9).
    static func simplifiedAPPermissions(_ ap21: UInt32, user: Bool) -> UInt8 {
        let r = ARMAccess.read.rawValue, rw = ARMAccess.read.rawValue | ARMAccess.write.rawValue
        switch ap21 & 3 {
        case 0: return user ? 0 : rw
        case 1: return rw
        case 2: return user ? 0 : r
        default: return r
        }
    }
}
