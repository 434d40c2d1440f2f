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
        let entries = max(0, min(64, p.features.pmpEntries))
        pmpcfg = Array(repeating: 0, count: entries)
        pmpaddr = Array(repeating: 0, count: entries)
    }
}
