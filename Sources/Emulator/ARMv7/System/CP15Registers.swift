/// The CP15 (and CP14 debug ID) registers an ARMv7-A core with the Security, Virtualization,
/// LPAE and Generic Timer extensions has, by encoding (ARM ARM B3.17 / B4.1, tables B3-42 …
/// B3-53). The encodings are the architecture's; every value comes from the core's profile.
struct CP15Register {
    enum Access {
        /// PL1 read/write (PL0: UNDEFINED).
        case pl1
        /// PL1 read-only; writes UNDEFINED.
        case pl1ReadOnly
        /// Read/write at PL0 too (TPIDRURW).
        case pl0
        /// Read at PL0, read/write at PL1 (TPIDRURO).
        case pl0ReadOnly
        /// Hyp mode, or Monitor mode (B3.17.? "Hyp mode registers are accessible from Monitor
        /// mode when SCR.NS = 1"); UNDEFINED elsewhere.
        case hyp
        /// Secure PL1 only (SCR, SDER, MVBAR); UNDEFINED in Non-secure state.
        case secure
        /// Writable at Secure PL1, readable at any PL1 (NSACR).
        case secureWriteOnly
        /// Write-only operation (cache, TLB and barrier maintenance); reads UNDEFINED.
        case operation
        /// A write-only operation also allowed at PL0 (CP15ISB/DSB/DMB).
        case operationPL0
    }

    enum Kind {
        /// An identification register: the profile's value.
        case id(String)
        /// A plain register: stored, reset value and masks from the profile when it names it.
        case stored(name: String, reset: UInt64)
        /// Handled by the core (banked, side effects, derived).
        case special(Special)
        /// Accepted and ignored: maintenance with no architectural state in hetboot.
        case noop
    }

    enum Special {
        case mpidr, ccsidr, csselr, sctlr, scr, hcr, hsctlr, vbar, mvbar, hvbar, ttbcr
        case dfsr, ifsr, dfar, ifar, hsr, hdfar, hifar, hpfar, l2ctlr, vpidr, vmpidr
        case cbar, isr, pmccntr, timer(GenericTimer.Register)
        case ttbr0, ttbr1, dacr, htcr, vtcr, httbr, vttbr
        case tlbInvalidate(ARMTLBIOperation, innerShareable: Bool), icacheInvalidate
    }

    let name: String
    let access: Access
    let kind: Kind
}

extension CP15Register {
    /// The register table: built once.
    static let table: [CP15Key: CP15Register] = {
        var t: [CP15Key: CP15Register] = [:]
        func reg(_ k: CP15Key, _ name: String, _ access: Access, _ kind: Kind) { t[k] = CP15Register(name: name, access: access, kind: kind) }
        func id(_ o1: UInt8, _ n: UInt8, _ m: UInt8, _ o2: UInt8, _ name: String) { reg(.mcr(o1, n, m, o2), name, .pl1ReadOnly, .id(name)) }
        func rw(_ o1: UInt8, _ n: UInt8, _ m: UInt8, _ o2: UInt8, _ name: String, reset: UInt64 = 0, _ a: Access = .pl1) {
            reg(.mcr(o1, n, m, o2), name, a, .stored(name: name, reset: reset))
        }
        func op(_ o1: UInt8, _ n: UInt8, _ m: UInt8, _ o2: UInt8, _ name: String, _ a: Access = .operation) { reg(.mcr(o1, n, m, o2), name, a, .noop) }
        func sp(_ o1: UInt8, _ n: UInt8, _ m: UInt8, _ o2: UInt8, _ name: String, _ a: Access, _ s: Special) { reg(.mcr(o1, n, m, o2), name, a, .special(s)) }

        // c0: identification (B4.1.? MIDR … ID_ISAR5); c0,c0,{4,7} alias MIDR (B4.1.105).
        id(0, 0, 0, 0, "MIDR"); id(0, 0, 0, 4, "MIDR"); id(0, 0, 0, 7, "MIDR")
        id(0, 0, 0, 1, "CTR")
        reg(.mcr(0, 0, 0, 2), "TCMTR", .pl1ReadOnly, .stored(name: "TCMTR", reset: 0))
        reg(.mcr(0, 0, 0, 3), "TLBTR", .pl1ReadOnly, .stored(name: "TLBTR", reset: 0))
        sp(0, 0, 0, 5, "MPIDR", .pl1ReadOnly, .mpidr)
        reg(.mcr(0, 0, 0, 6), "REVIDR", .pl1ReadOnly, .stored(name: "REVIDR", reset: 0))
        for (o2, n) in ["ID_PFR0", "ID_PFR1", "ID_DFR0", "ID_AFR0", "ID_MMFR0", "ID_MMFR1", "ID_MMFR2", "ID_MMFR3"].enumerated() {
            id(0, 0, 1, UInt8(o2), n)
        }
        for (o2, n) in ["ID_ISAR0", "ID_ISAR1", "ID_ISAR2", "ID_ISAR3", "ID_ISAR4", "ID_ISAR5"].enumerated() {
            id(0, 0, 2, UInt8(o2), n)
        }
        sp(1, 0, 0, 0, "CCSIDR", .pl1ReadOnly, .ccsidr)
        id(1, 0, 0, 1, "CLIDR")
        reg(.mcr(1, 0, 0, 7), "AIDR", .pl1ReadOnly, .stored(name: "AIDR", reset: 0))
        sp(2, 0, 0, 0, "CSSELR", .pl1, .csselr)
        sp(4, 0, 0, 0, "VPIDR", .hyp, .vpidr)
        sp(4, 0, 0, 5, "VMPIDR", .hyp, .vmpidr)

        // c1: system control.
        sp(0, 1, 0, 0, "SCTLR", .pl1, .sctlr)
        rw(0, 1, 0, 1, "ACTLR")
        rw(0, 1, 0, 2, "CPACR")
        sp(0, 1, 1, 0, "SCR", .secure, .scr)
        rw(0, 1, 1, 1, "SDER", .secure)
        rw(0, 1, 1, 2, "NSACR", .secureWriteOnly)
        sp(4, 1, 0, 0, "HSCTLR", .hyp, .hsctlr)
        rw(4, 1, 0, 1, "HACTLR", .hyp)
        sp(4, 1, 1, 0, "HCR", .hyp, .hcr)
        rw(4, 1, 1, 1, "HDCR", .hyp)
        rw(4, 1, 1, 2, "HCPTR", .hyp)
        rw(4, 1, 1, 3, "HSTR", .hyp)
        rw(4, 1, 1, 7, "HACR", .hyp)

        // c2, c3: translation table base and control, domains.
        // Stored by the core: the MMU reads them on every walk (ARMv7/MMU).
        sp(0, 2, 0, 0, "TTBR0", .pl1, .ttbr0)
        sp(0, 2, 0, 1, "TTBR1", .pl1, .ttbr1)
        sp(0, 2, 0, 2, "TTBCR", .pl1, .ttbcr)
        sp(4, 2, 0, 2, "HTCR", .hyp, .htcr)
        sp(4, 2, 1, 2, "VTCR", .hyp, .vtcr)
        sp(0, 3, 0, 0, "DACR", .pl1, .dacr)
        reg(.mcrr(0, 2), "TTBR0", .pl1, .special(.ttbr0))
        reg(.mcrr(1, 2), "TTBR1", .pl1, .special(.ttbr1))
        reg(.mcrr(4, 2), "HTTBR", .hyp, .special(.httbr))
        reg(.mcrr(6, 2), "VTTBR", .hyp, .special(.vttbr))

        // c5, c6: fault status and address.
        sp(0, 5, 0, 0, "DFSR", .pl1, .dfsr)
        sp(0, 5, 0, 1, "IFSR", .pl1, .ifsr)
        rw(0, 5, 1, 0, "ADFSR")
        rw(0, 5, 1, 1, "AIFSR")
        rw(4, 5, 1, 0, "HADFSR", .hyp)
        rw(4, 5, 1, 1, "HAIFSR", .hyp)
        sp(4, 5, 2, 0, "HSR", .hyp, .hsr)
        sp(0, 6, 0, 0, "DFAR", .pl1, .dfar)
        sp(0, 6, 0, 2, "IFAR", .pl1, .ifar)
        sp(4, 6, 0, 0, "HDFAR", .hyp, .hdfar)
        sp(4, 6, 0, 2, "HIFAR", .hyp, .hifar)
        sp(4, 6, 0, 4, "HPFAR", .hyp, .hpfar)

        // c7: cache maintenance, address translation, barriers (B4.2.1).
        op(0, 7, 0, 4, "NOP (wait for interrupt, ARMv6)")
        sp(0, 7, 1, 0, "ICIALLUIS", .operation, .icacheInvalidate)
        op(0, 7, 1, 6, "BPIALLIS")
        rw(0, 7, 4, 0, "PAR")
        reg(.mcrr(0, 7), "PAR", .pl1, .stored(name: "PAR", reset: 0))
        sp(0, 7, 5, 0, "ICIALLU", .operation, .icacheInvalidate)
        sp(0, 7, 5, 1, "ICIMVAU", .operation, .icacheInvalidate)
        op(0, 7, 5, 4, "CP15ISB", .operationPL0)
        op(0, 7, 5, 6, "BPIALL")
        op(0, 7, 5, 7, "BPIMVA")
        op(0, 7, 6, 1, "DCIMVAC")
        op(0, 7, 6, 2, "DCISW")
        op(0, 7, 10, 1, "DCCMVAC")
        op(0, 7, 10, 2, "DCCSW")
        op(0, 7, 10, 4, "CP15DSB", .operationPL0)
        op(0, 7, 10, 5, "CP15DMB", .operationPL0)
        op(0, 7, 11, 1, "DCCMVAU")
        op(0, 7, 14, 1, "DCCIMVAC")
        op(0, 7, 14, 2, "DCCISW")

        // c8: TLB maintenance (B4.2.2, table B4-?): the software TLB of ARMv7/MMU. Instruction,
        // data and unified forms act alike (hetboot has one TLB per core); the IS forms reach
        // every core of the machine.
        for (m, o2, n, op) in [(3, 0, "TLBIALLIS", .all), (3, 1, "TLBIMVAIS", .mva), (3, 2, "TLBIASIDIS", .asid), (3, 3, "TLBIMVAAIS", .mvaAllASIDs),
                               (5, 0, "ITLBIALL", .all), (5, 1, "ITLBIMVA", .mva), (5, 2, "ITLBIASID", .asid),
                               (6, 0, "DTLBIALL", .all), (6, 1, "DTLBIMVA", .mva), (6, 2, "DTLBIASID", .asid),
                               (7, 0, "TLBIALL", .all), (7, 1, "TLBIMVA", .mva), (7, 2, "TLBIASID", .asid), (7, 3, "TLBIMVAA", .mvaAllASIDs)]
                as [(UInt8, UInt8, String, ARMTLBIOperation)] {
            sp(0, 8, m, o2, n, .operation, .tlbInvalidate(op, innerShareable: m == 3))
        }
        for (m, o2, n, op) in [(3, 0, "TLBIALLHIS", .allHyp), (3, 1, "TLBIMVAHIS", .mvaHyp), (3, 4, "TLBIALLNSNHIS", .allNonSecureNonHyp),
                               (7, 0, "TLBIALLH", .allHyp), (7, 1, "TLBIMVAH", .mvaHyp), (7, 4, "TLBIALLNSNH", .allNonSecureNonHyp)]
                as [(UInt8, UInt8, String, ARMTLBIOperation)] {
            sp(4, 8, m, o2, n, .hyp, .tlbInvalidate(op, innerShareable: m == 3))
        }

        // c9: performance monitors (B4.1.116 …) and the L2 control registers (A15/A7 TRMs §4.3).
        rw(0, 9, 12, 0, "PMCR")
        rw(0, 9, 12, 1, "PMCNTENSET")
        rw(0, 9, 12, 2, "PMCNTENCLR")
        rw(0, 9, 12, 3, "PMOVSR")
        op(0, 9, 12, 4, "PMSWINC")
        rw(0, 9, 12, 5, "PMSELR")
        rw(0, 9, 12, 6, "PMCEID0", .pl1ReadOnly)
        rw(0, 9, 12, 7, "PMCEID1", .pl1ReadOnly)
        sp(0, 9, 13, 0, "PMCCNTR", .pl1, .pmccntr)
        rw(0, 9, 13, 1, "PMXEVTYPER")
        rw(0, 9, 13, 2, "PMXEVCNTR")
        rw(0, 9, 14, 0, "PMUSERENR")
        rw(0, 9, 14, 1, "PMINTENSET")
        rw(0, 9, 14, 2, "PMINTENCLR")
        sp(1, 9, 0, 2, "L2CTLR", .pl1, .l2ctlr)
        rw(1, 9, 0, 3, "L2ECTLR")

        // c10: memory attributes.
        rw(0, 10, 2, 0, "PRRR")   // MAIR0 when TTBCR.EAE = 1: the same storage (B4.1.?).
        rw(0, 10, 2, 1, "NMRR")   // MAIR1
        rw(0, 10, 3, 0, "AMAIR0")
        rw(0, 10, 3, 1, "AMAIR1")
        rw(4, 10, 2, 0, "HMAIR0", .hyp)
        rw(4, 10, 2, 1, "HMAIR1", .hyp)
        rw(4, 10, 3, 0, "HAMAIR0", .hyp)
        rw(4, 10, 3, 1, "HAMAIR1", .hyp)

        // c12: vectors and interrupt status.
        sp(0, 12, 0, 0, "VBAR", .pl1, .vbar)
        sp(0, 12, 0, 1, "MVBAR", .secure, .mvbar)
        sp(0, 12, 1, 0, "ISR", .pl1ReadOnly, .isr)
        sp(4, 12, 0, 0, "HVBAR", .hyp, .hvbar)

        // c13: process and thread IDs.
        rw(0, 13, 0, 0, "FCSEIDR")
        rw(0, 13, 0, 1, "CONTEXTIDR")
        rw(0, 13, 0, 2, "TPIDRURW", .pl0)
        rw(0, 13, 0, 3, "TPIDRURO", .pl0ReadOnly)
        rw(0, 13, 0, 4, "TPIDRPRW")
        rw(4, 13, 0, 2, "HTPIDR", .hyp)

        // c14: Generic Timer (B4.1.21 …); PL0 and NS-PL1 permissions checked by the accessor.
        sp(0, 14, 0, 0, "CNTFRQ", .pl0ReadOnly, .timer(.cntfrq))
        sp(0, 14, 1, 0, "CNTKCTL", .pl1, .timer(.cntkctl))
        sp(0, 14, 2, 0, "CNTP_TVAL", .pl0, .timer(.cntpTval))
        sp(0, 14, 2, 1, "CNTP_CTL", .pl0, .timer(.cntpCtl))
        sp(0, 14, 3, 0, "CNTV_TVAL", .pl0, .timer(.cntvTval))
        sp(0, 14, 3, 1, "CNTV_CTL", .pl0, .timer(.cntvCtl))
        sp(4, 14, 1, 0, "CNTHCTL", .hyp, .timer(.cnthctl))
        sp(4, 14, 2, 0, "CNTHP_TVAL", .hyp, .timer(.cnthpTval))
        sp(4, 14, 2, 1, "CNTHP_CTL", .hyp, .timer(.cnthpCtl))
        reg(.mcrr(0, 14), "CNTPCT", .pl0ReadOnly, .special(.timer(.cntpct)))
        reg(.mcrr(1, 14), "CNTVCT", .pl0ReadOnly, .special(.timer(.cntvct)))
        reg(.mcrr(2, 14), "CNTP_CVAL", .pl0, .special(.timer(.cntpCval)))
        reg(.mcrr(3, 14), "CNTV_CVAL", .pl0, .special(.timer(.cntvCval)))
        reg(.mcrr(4, 14), "CNTVOFF", .hyp, .special(.timer(.cntvoff)))
        reg(.mcrr(6, 14), "CNTHP_CVAL", .hyp, .special(.timer(.cnthpCval)))

        // c15: IMPLEMENTATION DEFINED — the configuration base address (A15/A7 TRM §4.3.?).
        sp(4, 15, 0, 0, "CBAR", .pl1ReadOnly, .cbar)

        // CP14 debug ID registers Linux and firmware read (C11.11).
        reg(CP15Key(coproc: 14, opc1: 0, crn: 0, crm: 0, opc2: 0), "DBGDIDR", .pl0ReadOnly, .id("DBGDIDR"))
        reg(CP15Key(coproc: 14, opc1: 0, crn: 0, crm: 1, opc2: 0), "DBGDSCRint", .pl0ReadOnly, .stored(name: "DBGDSCRint", reset: 0))
        reg(CP15Key(coproc: 14, opc1: 0, crn: 1, crm: 0, opc2: 0), "DBGDRAR", .pl0ReadOnly, .stored(name: "DBGDRAR", reset: 0))
        reg(CP15Key(coproc: 14, opc1: 0, crn: 2, crm: 0, opc2: 0), "DBGDSAR", .pl0ReadOnly, .stored(name: "DBGDSAR", reset: 0))
        return t
    }()
}
