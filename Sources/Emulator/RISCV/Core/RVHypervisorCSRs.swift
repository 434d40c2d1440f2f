/// The hypervisor extension's CSRs (privileged spec v1.12 chapter 8, §8.2): the HS-mode
/// registers (hstatus … hgatp), the VS registers that stand in for the S registers while V = 1
/// (vsstatus … vsatp), and mtval2/mtinst. QEMU 7.2 target/riscv/csr.c is the tie-breaker where
/// the spec leaves a choice:
/// - GEILEN = 0 (QEMU 7.2 without the AIA): hgeie and hgeip read zero, hstatus.VGEIN is zero.
/// - hstatus.VSXL is fixed at 2 (64-bit VS-mode) and VSBE at 0 (little-endian).
/// - hgatp: VMID has 14 bits (VMIDLEN = 14 on RV64; QEMU 7.2 keeps every bit written, so
///   KVM's all-ones probe reads back 14 bits there too). MODE is WARL over Bare and the x4
///   modes of the Sv modes the profile lists; an unsupported MODE keeps the old one (§8.2.10:
///   "not ignored as it is for satp" — the other fields are still written). PPN[1:0] read
///   zero: the x4 root tables are 16 KiB aligned.
enum HSTATUS {
    static let VSBE: UInt64 = 1 << 5
    static let GVA: UInt64 = 1 << 6
    static let SPV: UInt64 = 1 << 7
    static let SPVP: UInt64 = 1 << 8
    static let HU: UInt64 = 1 << 9
    static let VTVM: UInt64 = 1 << 20
    static let VTW: UInt64 = 1 << 21
    static let VTSR: UInt64 = 1 << 22
    static let VSXL64: UInt64 = 2 << 32
    static let writable: UInt64 = GVA | SPV | SPVP | HU | VTVM | VTW | VTSR
}

enum HGATP {
    static let modeShift: UInt64 = 60
    static let vmidShift: UInt64 = 44
    static let vmidMask: UInt64 = 0x3FFF << 44
    static let ppnMask: UInt64 = (1 << 44) - 1
}

/// What a CSR access may do in the current mode.
enum RVCSRCheck {
    case ok, illegal, virtualInstruction

    /// While V = 1 these S CSR numbers reach the VS registers (§8.2, "When V=1, the VS CSRs
    /// substitute for the corresponding supervisor CSRs"); the others are unchanged.
    static func vsSubstitute(_ n: UInt16) -> UInt16 {
        switch n {
        case 0x100, 0x104, 0x105, 0x140, 0x141, 0x142, 0x143, 0x144, 0x14D, 0x180: return n &+ 0x100
        default: return n
        }
    }

    /// The implemented hypervisor and VS CSRs (bits [9:8] = 2): from VS/VU they raise the
    /// virtual-instruction exception, other numbers stay illegal (§8.6.1).
    static func isHypervisorCSR(_ n: UInt16, sstc: Bool) -> Bool {
        switch n {
        case 0x600, 0x602, 0x603, 0x604, 0x605, 0x606, 0x607, 0x60A, 0x643, 0x644, 0x645, 0x64A, 0x680, 0xE12,
             0x200, 0x204, 0x205, 0x240, 0x241, 0x242, 0x243, 0x244, 0x280:
            return true
        case 0x24D: return sstc
        default: return false
        }
    }

    /// The implemented supervisor CSRs (bits [9:8] = 1): from VU-mode a virtual instruction.
    static func isSupervisorCSR(_ n: UInt16, sstc: Bool) -> Bool {
        switch n {
        case 0x100, 0x104, 0x105, 0x106, 0x10A, 0x140, 0x141, 0x142, 0x143, 0x144, 0x180: return true
        case 0x14D: return sstc
        default: return false
        }
    }
}

extension RISCVCore {
    /// The mie/mideleg bits the hypervisor extension adds: VSSI, VSTI, VSEI and SGEI.
    var hypervisorInterruptBits: UInt64 { hasHypervisor ? RVInterrupt.vsBits | (1 << RVInterrupt.SGEI) : 0 }

    /// Sstc's vstimecmp drives VSTIP when menvcfg.STCE and henvcfg.STCE are set.
    var vstimecmpEnabled: Bool { stimecmpEnabled && csr.henvcfg & (1 << 63) != 0 }

    /// The vsstatus fields (the sstatus layout, §8.2.11), with SD when FS is Dirty.
    var vsstatusView: UInt64 {
        let v = csr.vsstatus & MSTATUS.sstatusMask
        return v & MSTATUS.FS == MSTATUS.FS ? v | (1 << 63) : v
    }

    /// Reads of the H and VS CSRs (after `csrCheck`); nil for numbers that are none of them.
    func hypervisorCSRRead(_ n: UInt16) -> UInt64? {
        let c = csr
        switch n {
        case 0x600: return (c.hstatus & HSTATUS.writable) | HSTATUS.VSXL64
        case 0x602: return c.hedeleg
        case 0x603: return c.hideleg
        case 0x604: return c.mie & hypervisorInterruptBits
        case 0x605: return c.htimedelta
        case 0x606: return c.hcounteren
        case 0x607: return 0   // hgeie: GEILEN = 0
        case 0x60A: return c.henvcfg
        case 0x643: return c.htval
        case 0x644: return mip & hypervisorInterruptBits
        case 0x645: return c.hvip & RVInterrupt.vsBits
        case 0x64A: return c.htinst
        case 0x680: return c.hgatp
        case 0xE12: return 0   // hgeip: GEILEN = 0
        case 0x34A: return c.mtinst
        case 0x34B: return c.mtval2
        // The VS registers. vsie/vsip show the VS bits hideleg delegates, shifted down by one
        // to the S positions (§8.2.12: vsip.SSIP is hip.VSSIP, …).
        case 0x200: return vsstatusView
        case 0x204: return (c.mie & c.hideleg & RVInterrupt.vsBits) >> 1
        case 0x205: return c.vstvec
        case 0x240: return c.vsscratch
        case 0x241: return c.vsepc & epcMask
        case 0x242: return c.vscause
        case 0x243: return c.vstval
        case 0x244: return (mip & c.hideleg & RVInterrupt.vsBits) >> 1
        case 0x24D: return hasSstc ? c.vstimecmp : nil
        case 0x280: return c.vsatp
        default: return nil
        }
    }

    /// Writes of the H and VS CSRs (after `csrCheck`); false for numbers that are none of them.
    func hypervisorCSRWrite(_ n: UInt16, _ v: UInt64) -> Bool {
        switch n {
        case 0x600: csr.hstatus = (csr.hstatus & ~HSTATUS.writable) | (v & HSTATUS.writable)
        // hedeleg: causes 0–8, 12, 13, 15; not the ecalls from HS/VS/M, the guest-page faults
        // or the virtual instruction (§8.2.2).
        case 0x602: csr.hedeleg = v & 0xB1FF
        case 0x603: csr.hideleg = v & RVInterrupt.vsBits; attention = true
        case 0x604:
            let m = hypervisorInterruptBits
            csr.mie = (csr.mie & ~m) | (v & m)
            attention = true
        case 0x605: csr.htimedelta = v; attention = true
        case 0x606: csr.hcounteren = v & 0xFFFF_FFFF
        case 0x607: break
        case 0x60A: csr.henvcfg = v & (1 | (hasSstc ? 1 << 63 : 0)); attention = true
        case 0x643: csr.htval = v
        case 0x644:
            // hip: only VSSIP is writable (an alias of hvip.VSSIP).
            let m: UInt64 = 1 << RVInterrupt.VSSI
            csr.hvip = (csr.hvip & ~m) | (v & m)
            attention = true
        case 0x645: csr.hvip = v & RVInterrupt.vsBits; attention = true
        case 0x64A: csr.htinst = v
        case 0x680:
            var mode = v >> HGATP.modeShift
            if !(mode == 0 || (mode >= 8 && mode <= 10 && implementsTranslationMode(mode))) {
                mode = csr.hgatp >> HGATP.modeShift
            }
            csr.hgatp = mode << HGATP.modeShift | (v & HGATP.vmidMask) | (v & HGATP.ppnMask & ~3)
            attention = true   // a new G-stage regime: `syncMMU` flushes the guest translations
        case 0xE12: break
        case 0x34A: csr.mtinst = v
        case 0x34B: csr.mtval2 = v
        case 0x200:
            var m = MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.SPP | MSTATUS.SUM | MSTATUS.MXR
            if hasFloat { m |= MSTATUS.FS }
            csr.vsstatus = (csr.vsstatus & ~m) | (v & m)
            attention = true
        case 0x204:
            let m = csr.hideleg & RVInterrupt.vsBits
            csr.mie = (csr.mie & ~m) | ((v << 1) & m)
            attention = true
        case 0x205: csr.vstvec = legalTvec(v, old: csr.vstvec)
        case 0x240: csr.vsscratch = v
        case 0x241: csr.vsepc = v & ~1
        case 0x242: csr.vscause = v
        case 0x243: csr.vstval = v
        case 0x244:
            // vsip.SSIP writes hip.VSSIP when hideleg delegates it.
            let m = csr.hideleg & (1 << RVInterrupt.VSSI)
            csr.hvip = (csr.hvip & ~m) | ((v << 1) & m)
            attention = true
        case 0x24D:
            guard hasSstc else { return false }
            csr.vstimecmp = v
            machine.requestTimerEvent(cpu: index, atMtime: v &- csr.htimedelta)
            attention = true
        case 0x280:
            csr.vsatp = legalAtp(v, old: csr.vsatp)
            attention = true
        default: return false
        }
        return true
    }
}
