import Profiles

/// mstatus fields (privileged spec §3.1.6, RV64).
enum MSTATUS {
    static let SIE: UInt64 = 1 << 1
    static let MIE: UInt64 = 1 << 3
    static let SPIE: UInt64 = 1 << 5
    static let MPIE: UInt64 = 1 << 7
    static let SPP: UInt64 = 1 << 8
    static let MPPShift: UInt64 = 11
    static let MPP: UInt64 = 3 << 11
    static let FS: UInt64 = 3 << 13
    static let MPRV: UInt64 = 1 << 17
    static let SUM: UInt64 = 1 << 18
    static let MXR: UInt64 = 1 << 19
    static let TVM: UInt64 = 1 << 20
    static let TW: UInt64 = 1 << 21
    static let TSR: UInt64 = 1 << 22
    static let UXL: UInt64 = 3 << 32
    static let SXL: UInt64 = 3 << 34
    /// H extension (§8.2.x "Machine Status Register"): the V of the trap taken into M, and
    /// whether mtval holds a guest virtual address.
    static let GVA: UInt64 = 1 << 38
    static let MPV: UInt64 = 1 << 39
    /// The sstatus view (§4.1.1).
    static let sstatusMask: UInt64 = SIE | SPIE | SPP | FS | SUM | MXR | UXL | (1 << 63) | (3 << 9) | (3 << 15)
}

/// Interrupt numbers and mip/mie bits (§3.1.9).
enum RVInterrupt {
    static let SSI: UInt64 = 1
    static let MSI: UInt64 = 3
    static let STI: UInt64 = 5
    static let MTI: UInt64 = 7
    static let SEI: UInt64 = 9
    static let MEI: UInt64 = 11
    /// H extension (§8.2.4): VS-level software, timer and external, supervisor guest external.
    static let VSSI: UInt64 = 2
    static let VSTI: UInt64 = 6
    static let VSEI: UInt64 = 10
    static let SGEI: UInt64 = 12
    static let vsBits: UInt64 = (1 << VSSI) | (1 << VSTI) | (1 << VSEI)
    /// Bits software may write in mip from M-mode (SSIP, STIP, SEIP); SSIP from S-mode.
    static let mipWritable: UInt64 = (1 << SSI) | (1 << STI) | (1 << SEI)
    static let supervisorBits: UInt64 = (1 << SSI) | (1 << STI) | (1 << SEI)
    static let allBits: UInt64 = supervisorBits | (1 << MSI) | (1 << MTI) | (1 << MEI)
}

/// The hart's CSRs as stored values; the access rules live in `RVCSRAccess.swift`.
struct RVCSRState {
    var misa: UInt64
    var mstatus: UInt64
    var medeleg: UInt64 = 0
    var mideleg: UInt64 = 0
    var mie: UInt64 = 0
    /// The software-writable part of mip (SSIP, STIP, SEIP); device lines are OR'ed in.
    var mipSoftware: UInt64 = 0
    var mtvec: UInt64 = 0
    var mscratch: UInt64 = 0
    var mepc: UInt64 = 0
    var mcause: UInt64 = 0
    var mtval: UInt64 = 0
    var mcounteren: UInt64 = 0
    var mcountinhibit: UInt64 = 0
    var menvcfg: UInt64 = 0
    var stvec: UInt64 = 0
    var sscratch: UInt64 = 0
    var sepc: UInt64 = 0
    var scause: UInt64 = 0
    var stval: UInt64 = 0
    var satp: UInt64 = 0
    var scounteren: UInt64 = 0
    var senvcfg: UInt64 = 0
    var stimecmp: UInt64 = .max
    /// F/D: frm [7:5] and fflags [4:0] (RISCV/Float/RVFloatState.swift).
    var fcsr: UInt64 = 0
    // The hypervisor extension (privileged spec chapter 8; RVHypervisorCSRs.swift). The VS
    // interrupt enables live in `mie` (bits 2, 6, 10, 12: hie is a view of them) and VSSIP in
    // `hvip` (hip.VSSIP and mip.VSSIP are aliases of it).
    var hstatus: UInt64 = 0
    var hedeleg: UInt64 = 0
    var hideleg: UInt64 = 0
    var hvip: UInt64 = 0
    var hcounteren: UInt64 = 0
    var henvcfg: UInt64 = 0
    var htimedelta: UInt64 = 0
    var htval: UInt64 = 0
    var htinst: UInt64 = 0
    var hgatp: UInt64 = 0
    var mtval2: UInt64 = 0
    var mtinst: UInt64 = 0
    var vsstatus: UInt64 = 0
    var vstvec: UInt64 = 0
    var vsscratch: UInt64 = 0
    var vsepc: UInt64 = 0
    var vscause: UInt64 = 0
    var vstval: UInt64 = 0
    var vsatp: UInt64 = 0
    var vstimecmp: UInt64 = .max
    /// mcycle/minstret = virtual time / instructions retired + these offsets (written values).
    var mcycleOffset: UInt64 = 0
    var minstretOffset: UInt64 = 0
    /// PMP configuration and addresses, stored with their WARL rules (§3.7); enforced by `RVPMP`.
    var pmpcfg: [UInt8]
    var pmpaddr: [UInt64]

    init(slot: CoreSlot) {
        let p = slot.profile
        misa = p.idRegister("misa") ?? 0
        // UXL = SXL = 2 (64-bit) where U/S exist (§3.1.6.2).
        var status: UInt64 = 0
        if p.features.privilegeModes.contains("u") { status |= 2 << 32 }
        if p.features.privilegeModes.contains("s") { status |= 2 << 34 }
        mstatus = status
        if p.features.isaExtensions.contains("h") {
            hstatus = 2 << 32      // VSXL = 2: VS-mode is 64-bit (read-only here, as QEMU 7.2)
            vsstatus = 2 << 32     // vsstatus.UXL = 2
            // mideleg's VS bits (and SGEI, as QEMU 7.2) are read-only one (§8.4.2).
            mideleg = RVInterrupt.vsBits | (1 << RVInterrupt.SGEI)
        }
        let entries = max(0, min(64, p.features.pmpEntries))
        pmpcfg = Array(repeating: 0, count: entries)
        pmpaddr = Array(repeating: 0, count: entries)
    }
}
