/// CSR reads and writes with the privileged spec's access rules (§2.1: the number's bits
/// [9:8] give the lowest privilege, [11:10] = 3 means read-only) and each register's WARL
/// rules. nil / false = illegal instruction; `csrCheck` tells an illegal instruction from a
/// virtual-instruction exception (hypervisor extension, §8.6.1). With V = 1 the S CSR numbers
/// reach the VS registers (§8.2: "swapping"; RVHypervisorCSRs.swift).
extension RISCVCore {
    func csrRead(_ number: UInt16) -> UInt64? {
        guard csrCheck(number, write: false) == .ok else { return nil }
        let n = virtualized ? RVCSRCheck.vsSubstitute(number) : number
        let c = csr
        switch n {
        // Unprivileged counters (Zicntr), gated by mcounteren/scounteren (§3.1.11).
        case 0xC00: return counterAllowed(bit: 0) ? mcycle : nil
        case 0xC01: return counterAllowed(bit: 1) ? (virtualized ? mtime &+ c.htimedelta : mtime) : nil
        case 0xC02: return counterAllowed(bit: 2) ? minstret : nil
        case 0xC03...0xC1F: return counterAllowed(bit: Int(n - 0xC00)) ? 0 : nil
        // Supervisor.
        case 0x100: return sstatus
        case 0x104: return c.mie & c.mideleg & RVInterrupt.supervisorBits
        case 0x105: return c.stvec
        case 0x106: return c.scounteren
        case 0x10A: return c.senvcfg
        case 0x140: return c.sscratch
        case 0x141: return c.sepc & epcMask
        case 0x142: return c.scause
        case 0x143: return c.stval
        case 0x144: return mip & c.mideleg & RVInterrupt.supervisorBits
        case 0x14D: return stimecmpAllowed ? c.stimecmp : nil
        case 0x180: return privilege == .supervisor && !virtualized && c.mstatus & MSTATUS.TVM != 0 ? nil : c.satp
        // Machine information.
        case 0xF11: return profile.idRegister("mvendorid") ?? 0
        case 0xF12: return profile.idRegister("marchid") ?? 0
        case 0xF13: return profile.idRegister("mimpid") ?? 0
        case 0xF14: return slot.mpidr
        case 0xF15: return 0   // mconfigptr: no configuration structure
        // Machine trap setup and handling.
        case 0x300: return mstatusWithSD
        case 0x301: return c.misa
        case 0x302: return c.medeleg
        case 0x303: return c.mideleg
        case 0x304: return c.mie
        case 0x305: return c.mtvec
        case 0x306: return c.mcounteren
        case 0x30A: return c.menvcfg
        case 0x320: return c.mcountinhibit
        case 0x323...0x33F: return 0   // mhpmevent3–31: no events implemented
        case 0x340: return c.mscratch
        case 0x341: return c.mepc & epcMask
        case 0x342: return c.mcause
        case 0x343: return c.mtval
        case 0x344: return mip
        case 0x3A0...0x3AF:
            let i = Int(n - 0x3A0)
            guard i % 2 == 0 else { return nil }   // odd pmpcfg do not exist on RV64
            var v: UInt64 = 0
            for b in 0..<8 where i * 4 + b < c.pmpcfg.count { v |= UInt64(c.pmpcfg[i * 4 + b]) << UInt64(8 * b) }
            return v
        case 0x3B0...0x3EF:
            let i = Int(n - 0x3B0)
            return i < c.pmpaddr.count ? c.pmpaddr[i] : 0
        case 0xB00: return mcycle
        case 0xB02: return minstret
        case 0xB03...0xB1F: return 0   // mhpmcounter3–31
        // Debug triggers: none implemented (tselect reads 0, tdata1 type 0 = no trigger).
        case 0x7A0, 0x7A1, 0x7A2, 0x7A3: return 0
        case 0x001, 0x002, 0x003: return floatCSRRead(n)
        default:
            return hasHypervisor ? hypervisorCSRRead(n) : nil
        }
    }

    func csrWrite(_ number: UInt16, _ v: UInt64) -> Bool {
        guard csrCheck(number, write: true) == .ok else { return false }
        let n = virtualized ? RVCSRCheck.vsSubstitute(number) : number
        switch n {
        case 0x100: writeMstatus((csr.mstatus & ~sstatusWritable) | (v & sstatusWritable))
        case 0x104:
            let m = csr.mideleg & RVInterrupt.supervisorBits
            csr.mie = (csr.mie & ~m) | (v & m)
            attention = true
        case 0x105: csr.stvec = legalTvec(v, old: csr.stvec)
        case 0x106: csr.scounteren = v & 0xFFFF_FFFF
        case 0x10A: csr.senvcfg = v & 1
        case 0x140: csr.sscratch = v
        case 0x141: csr.sepc = v & ~1
        case 0x142: csr.scause = v
        case 0x143: csr.stval = v
        case 0x144:
            // Only SSIP is writable through sip, and only when delegated.
            let m = (1 << RVInterrupt.SSI) & csr.mideleg
            csr.mipSoftware = (csr.mipSoftware & ~m) | (v & m)
            attention = true
        case 0x14D:
            guard stimecmpAllowed else { return false }
            csr.stimecmp = v
            machine.requestTimerEvent(cpu: index, atMtime: v)
            attention = true
        case 0x180:
            if privilege == .supervisor && !virtualized && csr.mstatus & MSTATUS.TVM != 0 { return false }
            csr.satp = legalAtp(v, old: csr.satp)
            attention = true   // the run loop resynchronises the MMU (RVTranslate.swift `syncMMU`)
        case 0x300: writeMstatus(v)
        case 0x301: break   // misa: WARL, the extensions cannot be switched off here
        case 0x302:
            // Not ecall-from-M (11), not 14; with H also ecall-from-VS (10), the guest-page
            // faults (20, 21, 23) and the virtual instruction (22) (§8.4.1).
            csr.medeleg = hasSupervisor ? v & (0xB3FF | (hasHypervisor ? 0xF0_0400 : 0)) : 0
        case 0x303:
            // With H the VS interrupts (and SGEI, as QEMU 7.2's HS_MODE_INTERRUPTS) are
            // read-only one: they always reach HS or VS, never M (§8.4.2).
            csr.mideleg = hasSupervisor ? (v & RVInterrupt.supervisorBits) | hypervisorInterruptBits : 0
            attention = true
        case 0x304:
            var writable: UInt64 = hasSupervisor ? RVInterrupt.allBits : (1 << RVInterrupt.MSI) | (1 << RVInterrupt.MTI) | (1 << RVInterrupt.MEI)
            writable |= hypervisorInterruptBits
            csr.mie = v & writable
            attention = true
        case 0x305: csr.mtvec = legalTvec(v, old: csr.mtvec)
        case 0x306: csr.mcounteren = v & 0xFFFF_FFFF
        case 0x30A:
            // FIOM (bit 0) and, with Sstc, STCE (bit 63).
            csr.menvcfg = v & (1 | (hasSstc ? 1 << 63 : 0))
            attention = true
        case 0x320: csr.mcountinhibit = v & 0xFFFF_FFFD
        case 0x323...0x33F: break
        case 0x340: csr.mscratch = v
        case 0x341: csr.mepc = v & ~1
        case 0x342: csr.mcause = v
        case 0x343: csr.mtval = v
        case 0x344:
            var m = hasSupervisor ? RVInterrupt.mipWritable : 0
            if stimecmpEnabled { m &= ~(1 << RVInterrupt.STI) }   // STIP follows stimecmp (Sstc)
            csr.mipSoftware = (csr.mipSoftware & ~m) | (v & m)
            // mip.VSSIP is an alias of hvip.VSSIP (§8.2.3); VSTIP/VSEIP are read-only here.
            if hasHypervisor { csr.hvip = (csr.hvip & ~(1 << RVInterrupt.VSSI)) | (v & (1 << RVInterrupt.VSSI)) }
            attention = true
        case 0x3A0...0x3AF:
            let i = Int(n - 0x3A0)
            guard i % 2 == 0 else { return false }
            for b in 0..<8 where i * 4 + b < csr.pmpcfg.count && csr.pmpcfg[i * 4 + b] & 0x80 == 0 {
                var cfg = UInt8(truncatingIfNeeded: v >> UInt64(8 * b)) & 0x9F
                if cfg & 0x3 == 0x2 { cfg &= ~0x3 }   // R=0,W=1 is reserved: keep it no-access
                csr.pmpcfg[i * 4 + b] = cfg
            }
            attention = true   // PMP enforcement and the TLB follow (`syncMMU`)
        case 0x3B0...0x3EF:
            let i = Int(n - 0x3B0)
            guard i < csr.pmpaddr.count else { break }
            let locked = csr.pmpcfg[i] & 0x80 != 0
            let nextLockedTOR = i + 1 < csr.pmpcfg.count && csr.pmpcfg[i + 1] & 0x98 == 0x88
            if !locked && !nextLockedTOR { csr.pmpaddr[i] = v & ((1 << 54) - 1) }
            attention = true
        case 0xB00: csr.mcycleOffset = v &- time
        case 0xB02: csr.minstretOffset = v &- liveInstructionsRetired
        case 0xB03...0xB1F: break
        case 0x7A0, 0x7A1, 0x7A2, 0x7A3: break
        case 0x001, 0x002, 0x003: return floatCSRWrite(n, v)
        default: return hasHypervisor && hypervisorCSRWrite(n, v)
        }
        return true
    }

    /// Whether the current mode may access CSR `n` (§2.1, and §8.6.1 for V = 1): the privilege
    /// and read-only rules every CSR shares, the S and H CSRs' existence, and the traps
    /// mstatus.TVM, hstatus.VTVM and the counter-enable registers set.
    func csrCheck(_ n: UInt16, write: Bool) -> RVCSRCheck {
        let needed = UInt8((n >> 8) & 3)
        if write && (n >> 10) & 3 == 3 { return .illegal }
        if needed == 1 && !hasSupervisor { return .illegal }
        if needed == 2 && !hasHypervisor { return .illegal }
        if privilege == .machine { return .ok }
        if !virtualized {
            // HS-mode may use the hypervisor-level numbers (bits [9:8] = 2) too (§8.1).
            let level: UInt8 = privilege == .user ? 0 : (hasHypervisor ? 2 : 1)
            if level < needed { return .illegal }
            if n >= 0xC00 && n <= 0xC1F { return counterCheck(bit: Int(n - 0xC00)) }
            if n == 0x680 && csr.mstatus & MSTATUS.TVM != 0 { return .illegal }   // hgatp (§8.2.10)
            return .ok
        }
        // V = 1: M CSRs are illegal; H and VS CSRs (and, from VU, S CSRs) that HS-mode could
        // access raise the virtual-instruction exception.
        if needed == 3 { return .illegal }
        if needed == 2 { return RVCSRCheck.isHypervisorCSR(n, sstc: hasSstc) ? .virtualInstruction : .illegal }
        if needed == 1 {
            guard RVCSRCheck.isSupervisorCSR(n, sstc: hasSstc) else { return .illegal }
            if privilege == .user { return .virtualInstruction }
            if n == 0x180 && csr.hstatus & HSTATUS.VTVM != 0 { return .virtualInstruction }
            if n == 0x14D { return vstimecmpCheck }
            return .ok
        }
        if n >= 0xC00 && n <= 0xC1F { return counterCheck(bit: Int(n - 0xC00)) }
        return .ok
    }

    /// Counters (§3.1.11, §8.2.5 hcounteren, §8.6.1): mcounteren decides illegal; in V = 1
    /// hcounteren, and in VU scounteren, decide the virtual-instruction exception.
    private func counterCheck(bit: Int) -> RVCSRCheck {
        let b = UInt64(bit)
        guard (csr.mcounteren >> b) & 1 != 0 else { return .illegal }
        if virtualized {
            if (csr.hcounteren >> b) & 1 == 0 { return .virtualInstruction }
            if privilege == .user && (csr.scounteren >> b) & 1 == 0 { return .virtualInstruction }
            return .ok
        }
        if privilege == .user && (csr.scounteren >> b) & 1 == 0 {
            return .illegal
        }
        return .ok
    }

    private func counterAllowed(bit: Int) -> Bool {
        privilege == .machine || counterCheck(bit: bit) == .ok
    }

    var hasSstc: Bool { profile.features.isaExtensions.contains("sstc") }
    /// Sstc's stimecmp drives STIP when menvcfg.STCE is set.
    var stimecmpEnabled: Bool { hasSstc && csr.menvcfg & (1 << 63) != 0 }
    private var stimecmpAllowed: Bool {
        guard hasSstc else { return false }
        if privilege == .machine { return true }
        return csr.menvcfg & (1 << 63) != 0 && csr.mcounteren & 2 != 0
    }
    /// stimecmp from VS-mode reaches vstimecmp when henvcfg.STCE and hcounteren.TM allow it
    /// (Sstc spec §3; QEMU 7.2 csr.c sstc_hmode).
    private var vstimecmpCheck: RVCSRCheck {
        guard stimecmpAllowed else { return .illegal }
        return csr.henvcfg & (1 << 63) != 0 && csr.hcounteren & 2 != 0 ? .ok : .virtualInstruction
    }

    var mcycle: UInt64 { time &+ csr.mcycleOffset }
    /// Instructions retired up to now, within a run slice too.
    var liveInstructionsRetired: UInt64 { instructionsRetired &+ (time &- sliceStartTime) }
    var minstret: UInt64 { liveInstructionsRetired &+ csr.minstretOffset }
    /// The platform timer's mtime as this hart reads it.
    var mtime: UInt64 { machine.mtime(cpu: index) }

    /// mip: software bits, device lines, and STIP from stimecmp under Sstc; with H the VS bits
    /// from hvip and VSTIP from vstimecmp (§8.2.3, hip).
    var mip: UInt64 {
        var v = csr.mipSoftware | mipLines
        if stimecmpEnabled {
            v &= ~(1 << RVInterrupt.STI)
            if mtime >= csr.stimecmp { v |= 1 << RVInterrupt.STI }
        }
        if hasHypervisor {
            v |= csr.hvip & RVInterrupt.vsBits
            if vstimecmpEnabled && mtime &+ csr.htimedelta >= csr.vstimecmp { v |= 1 << RVInterrupt.VSTI }
        }
        return v
    }

    /// mepc/sepc bit 1 reads as zero without the C extension (IALIGN = 32).
    var epcMask: UInt64 { hasCompressed ? ~1 : ~3 }

    private var mstatusWithSD: UInt64 {
        csr.mstatus & MSTATUS.FS == MSTATUS.FS ? csr.mstatus | (1 << 63) : csr.mstatus
    }
    var sstatus: UInt64 { mstatusWithSD & MSTATUS.sstatusMask }
    private var sstatusWritable: UInt64 {
        MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.SPP | MSTATUS.SUM | MSTATUS.MXR | (hasFloat ? MSTATUS.FS : 0)
    }

    /// mstatus with its WARL rules: MPP keeps only implemented modes; S fields need S.
    func writeMstatus(_ v: UInt64) {
        var mask = MSTATUS.MIE | MSTATUS.MPIE
        if hasSupervisor { mask |= MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.SPP | MSTATUS.SUM | MSTATUS.MXR | MSTATUS.TVM | MSTATUS.TSR }
        if hasUser { mask |= MSTATUS.MPRV | MSTATUS.TW }
        if hasFloat { mask |= MSTATUS.FS }
        if hasHypervisor { mask |= MSTATUS.MPV | MSTATUS.GVA }
        var new = (csr.mstatus & ~mask) | (v & mask)
        let mpp = (v & MSTATUS.MPP) >> MSTATUS.MPPShift
        let legal = mpp == 3 || (mpp == 1 && hasSupervisor) || (mpp == 0 && hasUser)
        new = (new & ~MSTATUS.MPP) | ((legal ? mpp : (csr.mstatus & MSTATUS.MPP) >> MSTATUS.MPPShift) << MSTATUS.MPPShift)
        csr.mstatus = new
        attention = true
    }

    /// mtvec/stvec: MODE 0 (direct) or 1 (vectored); MODE ≥ 2 is reserved (privileged spec
    /// §3.1.7, a WARL field). QEMU 7.2 (csr.c write_mtvec/write_stvec) then ignores the whole
    /// write, BASE included, so the register keeps its old value.
    func legalTvec(_ v: UInt64, old: UInt64) -> UInt64 {
        v & 3 <= 1 ? v : old
    }

    /// satp and vsatp: a MODE the hart does not implement leaves the register unchanged
    /// (§4.1.11, §8.2.18).
    func legalAtp(_ v: UInt64, old: UInt64) -> UInt64 {
        implementsTranslationMode(v >> 60) ? v : old
    }

    /// Whether the profile has the Sv39/48/57 mode numbered `mode` (0 = Bare: always).
    func implementsTranslationMode(_ mode: UInt64) -> Bool {
        let modes = profile.features.mmuModes
        return mode == 0 || (mode == 8 && modes.contains("sv39")) || (mode == 9 && modes.contains("sv48"))
            || (mode == 10 && modes.contains("sv57"))
    }
}
