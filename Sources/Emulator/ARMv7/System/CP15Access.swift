/// MRC/MCR/MRRC/MCRR to CP15 and CP14: permission checks (B3.17), then the register's
/// semantics. Values come from the profile; masks from the profile's system-register specs.
extension ARMCore {
    /// Read a coprocessor register; nil = UNDEFINED.
    func coprocessorRead(_ key: CP15Key) -> UInt64? {
        guard let reg = CP15Register.table[key], available(reg), permitted(reg.access, write: false) else { return nil }
        switch reg.kind {
        case .id(let name):
            return readIdentification(name)
        case .stored(let name, let reset):
            let v = cp15.stored[name] ?? resetValue(name, reset)
            return key.is64Bit ? v : v & 0xFFFF_FFFF
        case .noop:
            return nil
        case .special(let s):
            return readSpecial(s, key: key)
        }
    }

    /// Write a coprocessor register; false = UNDEFINED.
    func coprocessorWrite(_ key: CP15Key, _ value: UInt64) -> Bool {
        guard let reg = CP15Register.table[key], available(reg), permitted(reg.access, write: true) else { return false }
        switch reg.kind {
        case .id:
            return false
        case .stored(let name, let reset):
            let old = cp15.stored[name] ?? resetValue(name, reset)
            let new = key.is64Bit ? value : (old & 0xFFFF_FFFF_0000_0000) | (value & 0xFFFF_FFFF)
            cp15.stored[name] = profile.systemRegister(name)?.write(new, over: old) ?? new
            return true
        case .noop:
            return true
        case .special(let s):
            writeSpecial(s, value, key64: key.is64Bit)
            return true
        }
    }

    /// Hyp registers exist with the Virtualization Extensions, Secure-only ones with the
    /// Security Extensions.
    private func available(_ reg: CP15Register) -> Bool {
        switch reg.access {
        case .hyp: return features.virtualization
        case .secure, .secureWriteOnly: return features.security
        default: return true
        }
    }

    private func permitted(_ access: CP15Register.Access, write: Bool) -> Bool {
        switch access {
        case .pl1: return mode != .usr
        case .pl1ReadOnly: return mode != .usr && !write
        case .pl0: return true
        case .pl0ReadOnly: return !write || mode != .usr
        case .hyp: return mode == .hyp || (mode == .mon && cp15.scrNS)
        case .secure: return mode != .usr && isSecure
        case .secureWriteOnly: return mode != .usr && (!write || isSecure)
        case .operation: return mode != .usr && write
        case .operationPL0: return write
        }
    }

    /// Whether PL0 may make this access at all (an access UNDEFINED at PL0 is not trapped).
    func pl0MayAccess(_ key: CP15Key, write: Bool) -> Bool {
        guard let reg = CP15Register.table[key] else { return false }
        switch reg.access {
        case .pl0: return true
        case .pl0ReadOnly: return !write
        case .operationPL0: return write
        default: return false
        }
    }

    private func resetValue(_ name: String, _ fallback: UInt64) -> UInt64 {
        profile.systemRegister(name)?.reset ?? fallback
    }

    /// Identification registers; Non-secure PL1 reads of MIDR see VPIDR (B4.1.105).
    private func readIdentification(_ name: String) -> UInt64? {
        if name == "MIDR" && features.virtualization && !isSecure && mode != .hyp {
            return UInt64(vpidr)
        }
        return profile.idRegister(name)
    }

    var midr: UInt32 { UInt32(truncatingIfNeeded: profile.idRegister("MIDR") ?? 0) }
    var vpidr: UInt32 { UInt32(truncatingIfNeeded: cp15.stored["VPIDR"] ?? UInt64(midr)) }
    var vmpidr: UInt32 { UInt32(truncatingIfNeeded: cp15.stored["VMPIDR"] ?? slot.mpidr) }

    private func readSpecial(_ s: CP15Register.Special, key: CP15Key) -> UInt64? {
        let secure = isSecure
        switch s {
        case .mpidr:
            return UInt64(features.virtualization && !secure && mode != .hyp ? vmpidr : UInt32(truncatingIfNeeded: slot.mpidr))
        case .ccsidr:
            // CSSELR selects the cache; a selection with no cache reads UNKNOWN: 0.
            return profile.caches.first { $0.csselr == cp15.csselr & 0xF }?.ccsidr ?? 0
        case .csselr: return UInt64(cp15.csselr)
        case .sctlr: return UInt64(cp15.sctlr(secure: secure))
        case .scr: return UInt64(cp15.scr)
        case .hcr: return UInt64(cp15.hcr)
        case .hsctlr: return UInt64(cp15.hsctlr)
        case .vbar: return UInt64(cp15.vbar(secure: secure))
        case .mvbar: return UInt64(cp15.mvbar)
        case .hvbar: return UInt64(cp15.hvbar)
        case .ttbcr: return UInt64(cp15.ttbcr(secure: secure))
        case .dfsr: return UInt64(secure ? cp15.dfsrBank.1 : cp15.dfsrBank.0)
        case .ifsr: return UInt64(secure ? cp15.ifsrBank.1 : cp15.ifsrBank.0)
        case .dfar: return UInt64(secure ? cp15.dfarBank.1 : cp15.dfarBank.0)
        case .ifar: return UInt64(secure ? cp15.ifarBank.1 : cp15.ifarBank.0)
        case .hsr: return UInt64(cp15.hsr)
        case .hdfar: return UInt64(cp15.hdfar)
        case .hifar: return UInt64(cp15.hifar)
        case .hpfar: return UInt64(cp15.hpfar)
        case .vpidr: return UInt64(vpidr)
        case .vmpidr: return UInt64(vmpidr)
        case .l2ctlr:
            // [25:24] = cores in the cluster − 1, read-only (A15/A7 TRM, L2CTLR).
            let spec = profile.systemRegister("L2CTLR")
            let v = cp15.stored["L2CTLR"] ?? spec?.reset ?? 0
            return (v & ~0x0300_0000) | (UInt64(max(slot.clusterSize - 1, 0) & 3) << 24)
        case .cbar:
            return UInt64(machine.peripheralBase)
        case .isr:
            return virtualInterruptStatus(physical: (irqLine ? 1 << 7 : 0) | (fiqLine ? 1 << 6 : 0))
        case .pmccntr:
            return pmuCycleCount
        case .timer(let t):
            guard features.genericTimer, let timer = machine.platform?.timer, timerAccessAllowed(t) else { return nil }
            let v = timer.read(t, cpu: index)
            return key.is64Bit ? v : v & 0xFFFF_FFFF
        case .ttbr0:
            let v = cp15.ttbr0(secure: secure)
            return key.is64Bit ? v : v & 0xFFFF_FFFF
        case .ttbr1:
            let v = cp15.ttbr1(secure: secure)
            return key.is64Bit ? v : v & 0xFFFF_FFFF
        case .dacr: return UInt64(cp15.dacr(secure: secure))
        case .htcr: return UInt64(cp15.htcr)
        case .vtcr: return UInt64(cp15.vtcr)
        case .httbr: return cp15.httbr
        case .vttbr: return cp15.vttbr
        case .tlbInvalidate, .icacheInvalidate:
            return nil
        }
    }

    private func writeSpecial(_ s: CP15Register.Special, _ value: UInt64, key64: Bool) {
        let v = UInt32(truncatingIfNeeded: value)
        let secure = isSecure
        switch s {
        case .csselr: cp15.csselr = v & 0xF
        case .sctlr:
            let old = cp15.sctlr(secure: secure)
            let new = UInt32(truncatingIfNeeded: profile.systemRegister("SCTLR")?.write(UInt64(v), over: UInt64(old)) ?? UInt64(v))
            cp15.setSCTLR(new, secure: secure)
            attention = true   // translation on/off, TLB context (ARMTranslate.swift `syncMMU`)
        case .scr:
            cp15.scr = v & 0x3FFF
            attention = true
        case .hcr:
            cp15.hcr = v
            attention = true
            if v & HCR.DC != 0 { notSupported("HCR.DC = 1 (default cacheable: stage 1 treated as off)") }
        case .hsctlr:
            let new = UInt32(truncatingIfNeeded: profile.systemRegister("HSCTLR")?.write(UInt64(v), over: UInt64(cp15.hsctlr)) ?? UInt64(v))
            cp15.hsctlr = new
            attention = true
        case .vbar:
            if secure { cp15.vbarBank.1 = v & ~0x1F } else { cp15.vbarBank.0 = v & ~0x1F }
        case .mvbar: cp15.mvbar = v & ~0x1F
        case .hvbar: cp15.hvbar = v & ~0x1F
        case .ttbcr:
            if secure { cp15.ttbcrBank.1 = v } else { cp15.ttbcrBank.0 = v }
            attention = true
        case .ttbr0:
            // A 32-bit MCR writes the low word (B4.1.154: the 64-bit view exists with LPAE).
            let old = cp15.ttbr0(secure: secure)
            let new = key64 ? value : (old & 0xFFFF_FFFF_0000_0000) | (value & 0xFFFF_FFFF)
            if secure { cp15.ttbr0Bank.1 = new } else { cp15.ttbr0Bank.0 = new }
            attention = true
        case .ttbr1:
            let old = cp15.ttbr1(secure: secure)
            let new = key64 ? value : (old & 0xFFFF_FFFF_0000_0000) | (value & 0xFFFF_FFFF)
            if secure { cp15.ttbr1Bank.1 = new } else { cp15.ttbr1Bank.0 = new }
            attention = true
        case .dacr:
            if secure { cp15.dacrBank.1 = v } else { cp15.dacrBank.0 = v }
            attention = true
        case .htcr:
            cp15.htcr = v
            attention = true
        case .vtcr:
            cp15.vtcr = v
            attention = true
        case .httbr:
            cp15.httbr = value
            attention = true
        case .vttbr:
            cp15.vttbr = value
            attention = true
        case .tlbInvalidate(let op, let shareable):
            tlbMaintenance(op, operand: v, innerShareable: shareable)
        case .dfsr: cp15.setDFSR(v, secure: secure)
        case .ifsr: cp15.setIFSR(v, secure: secure)
        case .dfar: cp15.setDFAR(v, secure: secure)
        case .ifar: cp15.setIFAR(v, secure: secure)
        case .hsr: cp15.hsr = v
        case .hdfar: cp15.hdfar = v
        case .hifar: cp15.hifar = v
        case .hpfar: cp15.hpfar = v & ~0xF
        case .vpidr: cp15.stored["VPIDR"] = UInt64(v)
        case .vmpidr: cp15.stored["VMPIDR"] = UInt64(v)
        case .l2ctlr:
            let old = cp15.stored["L2CTLR"] ?? profile.systemRegister("L2CTLR")?.reset ?? 0
            cp15.stored["L2CTLR"] = profile.systemRegister("L2CTLR")?.write(UInt64(v), over: old) ?? UInt64(v)
        case .pmccntr:
            pmuCycleCountOffset = UInt64(v) &- time
        case .timer(let t):
            guard features.genericTimer, let timer = machine.platform?.timer, timerAccessAllowed(t) else { return }
            timer.write(t, value: value, cpu: index)
        case .icacheInvalidate, .mpidr, .ccsidr, .isr, .cbar:
            break
        }
    }

    /// PMCCNTR counts virtual time (one cycle per instruction) from when it was written.
    var pmuCycleCount: UInt64 { (time &+ pmuCycleCountOffset) & 0xFFFF_FFFF }

    /// Generic Timer PL0 permissions (CNTKCTL, B8.1.?). CNTFRQ writes need the highest
    /// implemented privilege: Secure PL1, or Hyp when there is no Security Extension.
    func timerAccessAllowed(_ t: GenericTimer.Register) -> Bool {
        if mode == .usr {
            let kctl = machine.platform?.timer?.read(.cntkctl, cpu: index) ?? 0
            switch t {
            case .cntfrq, .cntpct: return kctl & 0x3 != 0
            case .cntvct: return kctl & 0x2 != 0
            case .cntpTval, .cntpCtl, .cntpCval: return kctl & (1 << 9) != 0
            case .cntvTval, .cntvCtl, .cntvCval: return kctl & (1 << 8) != 0
            default: return false
            }
        }
        return true
    }
}
