/// The long-descriptor (LPAE) translation table format (ARM ARM B3.6): stage 1 of the PL1&0
/// regime when TTBCR.EAE = 1 (TTBR0/TTBR1, T0SZ/T1SZ), stage 1 of the Hyp regime
/// (HTTBR/HTCR), and stage 2 of the Non-secure PL1&0 regime (VTTBR/VTCR) when HCR.VM = 1.
/// Levels 1–3 resolve VA bits [31:30] (or up to [39:30] for a 40-bit IPA), [29:21], [20:12];
/// blocks are 1 GiB (level 1) and 2 MiB (level 2), pages 4 KiB. Output addresses are 40 bits.
///
/// Order of checks (QEMU 7.2 `get_phys_addr_lpae` agrees with B3.12.?): translation fault at
/// the level whose descriptor is invalid, then the access flag, then permissions.
extension ARMCore {
    /// The result of one table lookup: the leaf descriptor, its level and the accumulated
    /// hierarchical attributes of the table descriptors (APTable, XNTable, PXNTable).
    struct LongLookup {
        var descriptor: UInt64 = 0
        var level: UInt32 = 0
        var apTable: UInt32 = 0
        var xnTable = false
        var pxnTable = false
    }

    /// The input-address bits a level resolves start at this bit.
    @inline(__always)
    private static func levelShift(_ level: UInt32) -> UInt64 { 12 &+ 9 &* UInt64(3 &- level) }

    /// Walk from the table at `base` for `input` (of `inputBits` bits), starting at
    /// `startLevel`. `stage1Through2`: the descriptor addresses are IPAs that stage 2
    /// translates (a stage 1 walk of the Non-secure PL1&0 regime with HCR.VM = 1).
    private func longLookup(_ input: UInt64, inputBits: UInt64, startLevel: UInt32, base: UInt64,
                            bigEndian: Bool, stage1Through2: Bool, _ w: inout ARMWalk) -> LongLookup? {
        var out = LongLookup()
        var level = startLevel
        var indexBits = inputBits &- ARMCore.levelShift(level)
        // The first table is aligned to its size (B3.6.6: lower TTBR bits are RES0).
        var table = base & 0xFF_FFFF_FFFF & ~((UInt64(8) << indexBits) &- 1)
        while true {
            let shift = ARMCore.levelShift(level)
            let index = (input >> shift) & ((UInt64(1) << indexBits) &- 1)
            guard let d = tableDoubleword(table | (index << 3), level: level, bigEndian: bigEndian,
                                          stage2: stage1Through2, &w) else { return nil }
            if d & 1 == 0 || (level == 3 && d & 2 == 0) {
                w.fault = ARMTranslationFault(kind: .translation, level: level)
                return nil
            }
            if level < 3 && d & 2 != 0 {
                // Table descriptor (B3.6.1): next-level table, hierarchical attributes.
                out.apTable |= UInt32(truncatingIfNeeded: (d >> 61) & 3)
                out.xnTable = out.xnTable || d & (1 << 60) != 0
                out.pxnTable = out.pxnTable || d & (1 << 59) != 0
                table = d & 0xFF_FFFF_F000
                level &+= 1
                indexBits = 9
                continue
            }
            out.descriptor = d
            out.level = level
            let blockMask = (UInt64(1) << shift) &- 1
            w.physical = (d & 0xFF_FFFF_F000 & ~blockMask) | (input & blockMask)
            // The region in the 32-bit VA space (a stage 2 block maps a range of IPAs; its
            // mask only narrows the stage 1 region when combined in `translate`).
            w.regionMask = UInt32(truncatingIfNeeded: ~blockMask)
            return out
        }
    }

    /// Stage 1 of the PL1&0 regime with TTBCR.EAE = 1 (B3.6.4 "Selecting between TTBR0 and
    /// TTBR1"), or of the Hyp regime (`hyp`: HTTBR, HTCR.T0SZ, HSCTLR).
    func walkLongStage1(_ va: UInt32, access: ARMAccess, user: Bool, secure: Bool, hyp: Bool, stage2: Bool) -> ARMWalk {
        var w = ARMWalk()
        let v = UInt64(va)
        let sctlr = hyp ? cp15.hsctlr : cp15.sctlr(secure: secure)
        var base: UInt64
        var tsz: UInt64
        if hyp {
            tsz = UInt64(cp15.htcr & 7)
            base = cp15.httbr
            if tsz != 0 && v >> (32 &- tsz) != 0 {
                w.fault = ARMTranslationFault(kind: .translation, level: 1)
                return w
            }
        } else {
            let ttbcr = cp15.ttbcr(secure: secure)
            let t0sz = UInt64(ttbcr & 7), t1sz = UInt64((ttbcr >> 16) & 7)
            let inTTBR1 = t1sz != 0 ? v >> (32 &- t1sz) == (UInt64(1) << t1sz) &- 1
                : (t0sz != 0 && v >> (32 &- t0sz) != 0)
            let inTTBR0 = t0sz == 0 || v >> (32 &- t0sz) == 0
            if inTTBR1 {
                if ttbcr & (1 << 23) != 0 {   // EPD1
                    w.fault = ARMTranslationFault(kind: .translation, level: 1)
                    return w
                }
                tsz = t1sz
                base = cp15.ttbr1(secure: secure)
            } else if inTTBR0 {
                if ttbcr & (1 << 7) != 0 {    // EPD0
                    w.fault = ARMTranslationFault(kind: .translation, level: 1)
                    return w
                }
                tsz = t0sz
                base = cp15.ttbr0(secure: secure)
            } else {
                w.fault = ARMTranslationFault(kind: .translation, level: 1)
                return w
            }
        }
        // TxSZ 0 or 1: the walk starts at level 1; 2…7: at level 2 (B3.6.5).
        let start: UInt32 = tsz <= 1 ? 1 : 2
        guard let l = longLookup(v, inputBits: 32 &- tsz, startLevel: start, base: base,
                                 bigEndian: sctlr & SCTLR.EE != 0, stage1Through2: stage2, &w) else { return w }
        let d = l.descriptor
        if d & (1 << 10) == 0 {
            w.fault = ARMTranslationFault(kind: .accessFlag, level: l.level)
            return w
        }
        var ap = UInt32(truncatingIfNeeded: (d >> 6) & 3)
        if l.apTable & 2 != 0 { ap |= 2 }                  // APTable[1]: read-only at every level
        var xn = d & (1 << 54) != 0 || l.xnTable
        let rw: UInt8
        if hyp {
            // Hyp (B3.6.? "Hyp mode stage 1"): AP[2] alone selects read-only; PXN and
            // APTable[0] do not apply to PL2.
            rw = ap & 2 != 0 ? ARMAccess.read.rawValue : ARMAccess.read.rawValue | ARMAccess.write.rawValue
            if sctlr & HSCTLR.WXN != 0 && rw & ARMAccess.write.rawValue != 0 { xn = true }
        } else {
            if l.apTable & 1 != 0 { ap &= ~1 }             // APTable[0]: no PL0 access
            rw = ARMCore.simplifiedAPPermissions(ap, user: user)
            let pxn = d & (1 << 53) != 0 || l.pxnTable
            if pxn && !user { xn = true }
            if sctlr & SCTLR.WXN != 0 && rw & ARMAccess.write.rawValue != 0 { xn = true }
            if !user && sctlr & SCTLR.UWXN != 0
                && ARMCore.simplifiedAPPermissions(ap, user: true) & ARMAccess.write.rawValue != 0 { xn = true }
        }
        // In AArch32 a region is executable only where it is readable (QEMU get_S1prot).
        w.permissions = rw | (rw & ARMAccess.read.rawValue != 0 && !xn ? ARMAccess.fetch.rawValue : 0)
        if w.permissions & access.rawValue == 0 {
            w.fault = ARMTranslationFault(kind: .permission, level: l.level)
        }
        return w
    }

    /// Stage 2 (B3.6.? "Stage 2 translation"): IPA → PA with VTTBR/VTCR. VTCR.T0SZ is a signed
    /// 4-bit value (IPA size 32 − T0SZ, 24…40 bits), SL0 the start level (0: level 2, 1:
    /// level 1), with up to 16 concatenated tables at the start level. S2AP[0] grants reads,
    /// S2AP[1] writes; XN forbids fetches. Faults come back marked `stage2` with the IPA.
    func walkStage2(_ ipa: UInt64, access: ARMAccess, s1ptw: Bool) -> ARMWalk {
        var w = ARMWalk()
        let vtcr = cp15.vtcr
        let t0sz = Int64(Int8(truncatingIfNeeded: UInt8(vtcr & 0xF) << 4) >> 4)
        let inputBits = UInt64(32 &- t0sz)
        let sl0 = (vtcr >> 6) & 3
        let start: UInt32 = sl0 == 1 ? 1 : 2
        func fault(_ kind: ARMTranslationFault.Kind, _ level: UInt32) -> ARMWalk {
            var f = ARMWalk()
            f.fault = ARMTranslationFault(kind: kind, level: level, stage2: true, s1ptw: s1ptw, ipa: ipa)
            return f
        }
        // A start level that does not fit the IPA size (more than 16 concatenated tables, or a
        // level 1 start for an IPA of 30 bits or less), SL0 = 2/3 and an IPA beyond the size
        // VTCR.T0SZ gives are translation faults reported at level 1 whatever the start level
        // (TranslationTableWalkLD: "if !basefound || disabled then level = 1"; QEMU 7.2
        // get_phys_addr_lpae faults with its AArch32 initial level 1 before the start level).
        let indexBits = inputBits &- ARMCore.levelShift(start)
        if sl0 > 1 || inputBits <= ARMCore.levelShift(start) || indexBits > 13 || ipa >> inputBits != 0 {
            return fault(.translation, 1)
        }
        guard let l = longLookup(ipa, inputBits: inputBits, startLevel: start, base: cp15.vttbr,
                                 bigEndian: cp15.hsctlr & HSCTLR.EE != 0, stage1Through2: false, &w) else {
            if var f = w.fault {
                f.stage2 = true
                f.s1ptw = s1ptw
                f.ipa = ipa
                w.fault = f
            }
            return w
        }
        let d = l.descriptor
        if d & (1 << 10) == 0 { return fault(.accessFlag, l.level) }
        let s2ap = UInt8(truncatingIfNeeded: (d >> 6) & 3)
        let rw = s2ap   // S2AP[0] = read (1), S2AP[1] = write (2): the ARMAccess bits
        let x = rw & ARMAccess.read.rawValue != 0 && d & (1 << 54) == 0 ? ARMAccess.fetch.rawValue : 0
        w.permissions = rw | x
        if w.permissions & access.rawValue == 0 { return fault(.permission, l.level) }
        return w
    }
}
