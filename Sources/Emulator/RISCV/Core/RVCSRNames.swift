/// CSR names by number, as the privileged spec's tables 2.2–2.6 (v1.12) and the H extension
/// (chapter 8) list them: what events and injections call a CSR. Numbers not listed print as
/// `csr0xNNN`.
enum RVCSRNames {
    static let byNumber: [UInt16: String] = {
        var t: [UInt16: String] = [
            0x001: "fflags", 0x002: "frm", 0x003: "fcsr",
            0x100: "sstatus", 0x104: "sie", 0x105: "stvec", 0x106: "scounteren", 0x10A: "senvcfg",
            0x140: "sscratch", 0x141: "sepc", 0x142: "scause", 0x143: "stval", 0x144: "sip",
            0x14D: "stimecmp", 0x180: "satp",
            0x200: "vsstatus", 0x204: "vsie", 0x205: "vstvec", 0x240: "vsscratch", 0x241: "vsepc",
            0x242: "vscause", 0x243: "vstval", 0x244: "vsip", 0x24D: "vstimecmp", 0x280: "vsatp",
            0x300: "mstatus", 0x301: "misa", 0x302: "medeleg", 0x303: "mideleg", 0x304: "mie",
            0x305: "mtvec", 0x306: "mcounteren", 0x30A: "menvcfg", 0x320: "mcountinhibit",
            0x340: "mscratch", 0x341: "mepc", 0x342: "mcause", 0x343: "mtval", 0x344: "mip",
            0x34A: "mtinst", 0x34B: "mtval2", 0x747: "mseccfg",
            0x600: "hstatus", 0x602: "hedeleg", 0x603: "hideleg", 0x604: "hie", 0x605: "htimedelta",
            0x606: "hcounteren", 0x607: "hgeie", 0x60A: "henvcfg", 0x643: "htval", 0x644: "hip",
            0x645: "hvip", 0x64A: "htinst", 0x680: "hgatp", 0xE12: "hgeip",
            0xB00: "mcycle", 0xB02: "minstret", 0xC00: "cycle", 0xC01: "time", 0xC02: "instret",
            0xF11: "mvendorid", 0xF12: "marchid", 0xF13: "mimpid", 0xF14: "mhartid", 0xF15: "mconfigptr",
        ]
        for i in 0..<16 { t[0x3A0 + UInt16(i)] = "pmpcfg\(i)" }
        for i in 0..<64 { t[0x3B0 + UInt16(i)] = "pmpaddr\(i)" }
        return t
    }()

    static func name(_ number: UInt16) -> String {
        byNumber[number] ?? "csr0x" + String(number, radix: 16, uppercase: true)
    }
}
