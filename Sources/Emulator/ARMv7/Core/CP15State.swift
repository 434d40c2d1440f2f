import Profiles

/// Bits of SCTLR/HSCTLR/SCR/HCR the emulator acts on (ARM ARM B4.1.130, B4.1.67, B4.1.129,
/// B4.1.48).
enum SCTLR {
    static let M: UInt32 = 1 << 0
    static let A: UInt32 = 1 << 1
    static let V: UInt32 = 1 << 13
    static let WXN: UInt32 = 1 << 19
    static let UWXN: UInt32 = 1 << 20
    static let AFE: UInt32 = 1 << 29
    static let EE: UInt32 = 1 << 25
    static let TE: UInt32 = 1 << 30
}
enum HSCTLR {
    static let M: UInt32 = 1 << 0
    static let A: UInt32 = 1 << 1
    static let WXN: UInt32 = 1 << 19
    static let EE: UInt32 = 1 << 25
    static let TE: UInt32 = 1 << 30
}
enum SCR {
    static let NS: UInt32 = 1 << 0
    static let IRQ: UInt32 = 1 << 1
    static let FIQ: UInt32 = 1 << 2
    static let EA: UInt32 = 1 << 3
    static let FW: UInt32 = 1 << 4
    static let AW: UInt32 = 1 << 5
    static let SCD: UInt32 = 1 << 7
    static let HCE: UInt32 = 1 << 8
}
enum HCR {
    static let VM: UInt32 = 1 << 0
    static let FMO: UInt32 = 1 << 3
    static let IMO: UInt32 = 1 << 4
    static let AMO: UInt32 = 1 << 5
    static let VF: UInt32 = 1 << 6
    static let VI: UInt32 = 1 << 7
    static let DC: UInt32 = 1 << 12
    static let TSC: UInt32 = 1 << 19
    static let TGE: UInt32 = 1 << 27
}

/// The CP15 state of one core. Registers the interpreter consults on its paths (SCTLR, SCR,
/// HCR, HSCTLR, vector bases, fault registers) are stored properties; the rest live in
/// `stored`, keyed by their architectural name, with the masks the profile gives.
struct CP15State {
    // Banked by security state (B3.15.2): index 0 = Non-secure, 1 = Secure.
    var sctlrBank: (UInt32, UInt32)
    var vbarBank: (UInt32, UInt32) = (0, 0)
    var ttbcrBank: (UInt32, UInt32) = (0, 0)
    var dfsrBank: (UInt32, UInt32) = (0, 0)
    var ifsrBank: (UInt32, UInt32) = (0, 0)
    var dfarBank: (UInt32, UInt32) = (0, 0)
    var ifarBank: (UInt32, UInt32) = (0, 0)
    var mvbar: UInt32 = 0
    var scr: UInt32 = 0
    var hcr: UInt32 = 0
    var hsctlr: UInt32
    var hvbar: UInt32 = 0
    var hsr: UInt32 = 0
    var hdfar: UInt32 = 0
    var hifar: UInt32 = 0
    var hpfar: UInt32 = 0
    var csselr: UInt32 = 0
    // Translation table bases and controls (B4.1.153 TTBR0, B4.1.154 TTBR1, B4.1.43 DACR,
    // banked like SCTLR; B4.1.76 HTCR, B4.1.77 HTTBR, B4.1.159 VTCR, B4.1.160 VTTBR). The
    // 64-bit TTBRs hold the LPAE format; a 32-bit MCR reaches the low word.
    var ttbr0Bank: (UInt64, UInt64) = (0, 0)
    var ttbr1Bank: (UInt64, UInt64) = (0, 0)
    var dacrBank: (UInt32, UInt32) = (0, 0)
    var htcr: UInt32 = 0
    var vtcr: UInt32 = 0
    var httbr: UInt64 = 0
    var vttbr: UInt64 = 0
    /// Every other register, by name, with its current value.
    var stored: [String: UInt64] = [:]

    init(slot: CoreSlot) {
        let p = slot.profile
        let sctlrReset = UInt32(truncatingIfNeeded: p.systemRegister("SCTLR")?.reset ?? 0x00C5_0078)
        sctlrBank = (sctlrReset, sctlrReset)
        hsctlr = UInt32(truncatingIfNeeded: p.systemRegister("HSCTLR")?.reset ?? 0x30C5_0878)
    }

    var scrNS: Bool { scr & SCR.NS != 0 }

    @inline(__always) func sctlr(secure: Bool) -> UInt32 { secure ? sctlrBank.1 : sctlrBank.0 }
    @inline(__always) mutating func setSCTLR(_ v: UInt32, secure: Bool) {
        if secure { sctlrBank.1 = v } else { sctlrBank.0 = v }
    }
    @inline(__always) func vbar(secure: Bool) -> UInt32 { secure ? vbarBank.1 : vbarBank.0 }
    @inline(__always) func ttbcr(secure: Bool) -> UInt32 { secure ? ttbcrBank.1 : ttbcrBank.0 }
    @inline(__always) func ttbr0(secure: Bool) -> UInt64 { secure ? ttbr0Bank.1 : ttbr0Bank.0 }
    @inline(__always) func ttbr1(secure: Bool) -> UInt64 { secure ? ttbr1Bank.1 : ttbr1Bank.0 }
    @inline(__always) func dacr(secure: Bool) -> UInt32 { secure ? dacrBank.1 : dacrBank.0 }
    mutating func setDFSR(_ v: UInt32, secure: Bool) { if secure { dfsrBank.1 = v } else { dfsrBank.0 = v } }
    mutating func setIFSR(_ v: UInt32, secure: Bool) { if secure { ifsrBank.1 = v } else { ifsrBank.0 = v } }
    mutating func setDFAR(_ v: UInt32, secure: Bool) { if secure { dfarBank.1 = v } else { dfarBank.0 = v } }
    mutating func setIFAR(_ v: UInt32, secure: Bool) { if secure { ifarBank.1 = v } else { ifarBank.0 = v } }
    func dfsr(secure: Bool) -> UInt32 { secure ? dfsrBank.1 : dfsrBank.0 }
    func ifsr(secure: Bool) -> UInt32 { secure ? ifsrBank.1 : ifsrBank.0 }
    func dfar(secure: Bool) -> UInt32 { secure ? dfarBank.1 : dfarBank.0 }
    func ifar(secure: Bool) -> UInt32 { secure ? ifarBank.1 : ifarBank.0 }
}

/// A coprocessor register encoding: `MRC/MCR pCP, opc1, Rt, CRn, CRm, opc2`, or for the 64-bit
/// `MRRC/MCRR pCP, opc1, Rt, Rt2, CRm` forms `crn = 0xFF` and `opc2 = 0`.
struct CP15Key: Hashable {
    var coproc: UInt8
    var opc1: UInt8
    var crn: UInt8
    var crm: UInt8
    var opc2: UInt8

    static func mcr(_ opc1: UInt8, _ crn: UInt8, _ crm: UInt8, _ opc2: UInt8, coproc: UInt8 = 15) -> CP15Key {
        CP15Key(coproc: coproc, opc1: opc1, crn: crn, crm: crm, opc2: opc2)
    }
    static func mcrr(_ opc1: UInt8, _ crm: UInt8, coproc: UInt8 = 15) -> CP15Key {
        CP15Key(coproc: coproc, opc1: opc1, crn: 0xFF, crm: crm, opc2: 0)
    }

    var is64Bit: Bool { crn == 0xFF }

    var description: String {
        is64Bit ? "p\(coproc), \(opc1), c\(crm) (64-bit)" : "p\(coproc), \(opc1), c\(crn), c\(crm), \(opc2)"
    }
}
