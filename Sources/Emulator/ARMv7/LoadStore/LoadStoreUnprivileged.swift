/// The unprivileged loads and stores LDRT/STRT/LDRBT/STRBT/LDRHT/STRHT/LDRSBT/LDRSHT
/// (A8.8.66 ff.): always post-indexed, and the access is made as if from PL0
/// (`MemU_unpriv[]`), so a kernel can touch user memory with the user's permissions.
///
/// In Hyp mode these are UNPREDICTABLE; QEMU (`get_a32_user_mem_index`) performs them as PL0
/// accesses, and so do we. Rn = PC and Rn = Rt are UNPREDICTABLE too and behave as in the
/// ordinary forms (see `LoadStore.swift`).
extension ARMCore {
    @inline(never)
    func execUnprivilegedLoadStore(_ d: ARMInstruction, _ address: UInt32, _ offsetAddress: UInt32) {
        switch LoadStoreOp(rawValue: d.op) {
        case .ldrt?:
            guard let v = loadAsUser(address, size: 4) else { return }
            completeLoad(d, offsetAddress, v)
        case .ldrbt?:
            guard let v = loadAsUser(address, size: 1) else { return }
            completeLoad(d, offsetAddress, v)
        case .ldrht?:
            guard let v = loadAsUser(address, size: 2) else { return }
            completeLoad(d, offsetAddress, v)
        case .ldrsbt?:
            guard let v = loadAsUser(address, size: 1) else { return }
            completeLoad(d, offsetAddress, signExtend8(v))
        case .ldrsht?:
            guard let v = loadAsUser(address, size: 2) else { return }
            completeLoad(d, offsetAddress, signExtend16(v))
        case .strt?:
            guard storeAsUser(address, r[Int(d.rd)], size: 4) else { return }
            completeStore(d, offsetAddress)
        case .strbt?:
            guard storeAsUser(address, r[Int(d.rd)], size: 1) else { return }
            completeStore(d, offsetAddress)
        case .strht?:
            guard storeAsUser(address, r[Int(d.rd)], size: 2) else { return }
            completeStore(d, offsetAddress)
        default:
            takeUndefined()
        }
    }

    /// A data read as PL0 would make it: in User mode, or with the PL1&0 regime untranslated
    /// (B3.2.1: with the MMU off nothing is checked), the ordinary access; otherwise translated
    /// and checked with PL0's permissions in the PL1&0 regime.
    func loadAsUser(_ va: UInt32, size: Int) -> UInt32? {
        guard mode != .usr && translatesUser else {
            switch size {
            case 1: return load8(va)
            case 2: return load16(va)
            default: return load32(va)
            }
        }
        if va & UInt32(size &- 1) != 0 && unprivilegedMisaligned {
            takeDataAbort(address: va, kind: .alignment, write: false)
            return nil
        }
        guard let raw = translatedLoad(va, size: size, user: true) else { return nil }
        switch size {
        case 1: return UInt32(truncatingIfNeeded: raw & 0xFF)
        case 2:
            let h = UInt16(truncatingIfNeeded: raw)
            return UInt32(cpsrE ? h.byteSwapped : h)
        default:
            let w = UInt32(truncatingIfNeeded: raw)
            return cpsrE ? w.byteSwapped : w
        }
    }

    /// A data write as PL0 would make it (see `loadAsUser`).
    func storeAsUser(_ va: UInt32, _ value: UInt32, size: Int) -> Bool {
        guard mode != .usr && translatesUser else {
            switch size {
            case 1: return store8(va, value)
            case 2: return store16(va, value)
            default: return store32(va, value)
            }
        }
        if va & UInt32(size &- 1) != 0 && unprivilegedMisaligned {
            takeDataAbort(address: va, kind: .alignment, write: true)
            return false
        }
        let raw: UInt64
        switch size {
        case 1: raw = UInt64(value & 0xFF)
        case 2:
            let h = UInt16(truncatingIfNeeded: value)
            raw = UInt64(cpsrE ? h.byteSwapped : h)
        default: raw = UInt64(cpsrE ? value.byteSwapped : value)
        }
        return translatedStore(va, size: size, value: raw, user: true)
    }

    /// SCTLR.A / HSCTLR.A of the current mode decides alignment checking, as for the ordinary
    /// forms.
    private var unprivilegedMisaligned: Bool {
        (mode == .hyp ? cp15.hsctlr & HSCTLR.A : cp15.sctlr(secure: isSecure) & SCTLR.A) != 0
    }
}
