import Profiles

/// The fields of the system registers and CSRs an injection (`stall-on-write=HSCTLR.M`) or a
/// report may name, by the architecture's own field names.
public enum SystemRegisterFields {
    /// (field, lowest bit, width).
    typealias Layout = [(String, Int, Int)]

    /// ARMv7-A (ARM ARM DDI 0406C): SCTLR B4.1.130, HSCTLR B4.1.66, HCR B4.1.65, SCR B4.1.129,
    /// TTBCR B4.1.153, HTCR B4.1.76, VTCR B4.1.159.
    static let arm: [String: Layout] = [
        "SCTLR": [("M", 0, 1), ("A", 1, 1), ("C", 2, 1), ("SW", 10, 1), ("Z", 11, 1), ("I", 12, 1), ("V", 13, 1),
                  ("RR", 14, 1), ("HA", 17, 1), ("WXN", 19, 1), ("UWXN", 20, 1), ("FI", 21, 1), ("VE", 24, 1),
                  ("EE", 25, 1), ("NMFI", 27, 1), ("TRE", 28, 1), ("AFE", 29, 1), ("TE", 30, 1)],
        "HSCTLR": [("M", 0, 1), ("A", 1, 1), ("C", 2, 1), ("I", 12, 1), ("WXN", 19, 1), ("FI", 21, 1),
                   ("EE", 25, 1), ("TE", 30, 1)],
        "HCR": [("VM", 0, 1), ("SWIO", 1, 1), ("PTW", 2, 1), ("FMO", 3, 1), ("IMO", 4, 1), ("AMO", 5, 1),
                ("VF", 6, 1), ("VI", 7, 1), ("VA", 8, 1), ("FB", 9, 1), ("BSU", 10, 2), ("DC", 12, 1),
                ("TWI", 13, 1), ("TWE", 14, 1), ("TID0", 15, 1), ("TID1", 16, 1), ("TID2", 17, 1),
                ("TID3", 18, 1), ("TSC", 19, 1), ("TIDCP", 20, 1), ("TAC", 21, 1), ("TSW", 22, 1),
                ("TPC", 23, 1), ("TPU", 24, 1), ("TTLB", 25, 1), ("TVM", 26, 1), ("TGE", 27, 1)],
        "SCR": [("NS", 0, 1), ("IRQ", 1, 1), ("FIQ", 2, 1), ("EA", 3, 1), ("FW", 4, 1), ("AW", 5, 1),
                ("nET", 6, 1), ("SCD", 7, 1), ("HCE", 8, 1), ("SIF", 9, 1)],
        "TTBCR": [("N", 0, 3), ("PD0", 4, 1), ("PD1", 5, 1), ("EAE", 31, 1)],
        "HTCR": [("T0SZ", 0, 3), ("IRGN0", 8, 2), ("ORGN0", 10, 2), ("SH0", 12, 2)],
        "VTCR": [("T0SZ", 0, 4), ("S", 4, 1), ("SL0", 6, 2), ("IRGN0", 8, 2), ("ORGN0", 10, 2), ("SH0", 12, 2)],
    ]

    /// RISC-V privileged spec 1.12: mstatus/sstatus §3.1.6 / §4.1.1, mie/mip §3.1.9, sie/sip
    /// §4.1.3, satp §4.1.11, hstatus §8.2.1, hgatp §8.2.10, hvip §8.2.4.
    static let riscv: [String: Layout] = [
        "mstatus": [("SIE", 1, 1), ("MIE", 3, 1), ("SPIE", 5, 1), ("MPIE", 7, 1), ("SPP", 8, 1), ("MPP", 11, 2),
                    ("FS", 13, 2), ("MPRV", 17, 1), ("SUM", 18, 1), ("MXR", 19, 1), ("TVM", 20, 1),
                    ("TW", 21, 1), ("TSR", 22, 1), ("MPV", 39, 1), ("GVA", 38, 1)],
        "sstatus": [("SIE", 1, 1), ("SPIE", 5, 1), ("SPP", 8, 1), ("FS", 13, 2), ("SUM", 18, 1), ("MXR", 19, 1)],
        "mie": [("SSIE", 1, 1), ("VSSIE", 2, 1), ("MSIE", 3, 1), ("STIE", 5, 1), ("VSTIE", 6, 1), ("MTIE", 7, 1),
                ("SEIE", 9, 1), ("VSEIE", 10, 1), ("MEIE", 11, 1), ("SGEIE", 12, 1)],
        "mip": [("SSIP", 1, 1), ("VSSIP", 2, 1), ("MSIP", 3, 1), ("STIP", 5, 1), ("VSTIP", 6, 1), ("MTIP", 7, 1),
                ("SEIP", 9, 1), ("VSEIP", 10, 1), ("MEIP", 11, 1), ("SGEIP", 12, 1)],
        "sie": [("SSIE", 1, 1), ("STIE", 5, 1), ("SEIE", 9, 1)],
        "sip": [("SSIP", 1, 1), ("STIP", 5, 1), ("SEIP", 9, 1)],
        "satp": [("PPN", 0, 44), ("ASID", 44, 16), ("MODE", 60, 4)],
        "vsatp": [("PPN", 0, 44), ("ASID", 44, 16), ("MODE", 60, 4)],
        "hgatp": [("PPN", 0, 44), ("VMID", 44, 14), ("MODE", 60, 4)],
        "hstatus": [("VSBE", 5, 1), ("GVA", 6, 1), ("SPV", 7, 1), ("SPVP", 8, 1), ("HU", 9, 1), ("VGEIN", 12, 6),
                    ("VTVM", 20, 1), ("VTW", 21, 1), ("VTSR", 22, 1)],
        "hvip": [("VSSIP", 2, 1), ("VSTIP", 6, 1), ("VSEIP", 10, 1)],
    ]

    /// The mask of `register.field`, or nil when the register has no such field (or hetboot
    /// knows no fields of it). Register names compare without regard to case.
    public static func mask(register: String, field: String, architecture: Architecture) -> UInt64? {
        let table = architecture == .armv7a ? arm : riscv
        guard let layout = table.first(where: { $0.key.lowercased() == register.lowercased() })?.value,
              let (_, low, width) = layout.first(where: { $0.0.lowercased() == field.lowercased() }) else { return nil }
        return (width >= 64 ? UInt64.max : (UInt64(1) << UInt64(width)) - 1) << UInt64(low)
    }

    /// The field names hetboot knows for `register`, for error messages.
    public static func fields(register: String, architecture: Architecture) -> [String] {
        let table = architecture == .armv7a ? arm : riscv
        return table.first(where: { $0.key.lowercased() == register.lowercased() })?.value.map(\.0) ?? []
    }

    /// The system registers (ARM: CP15 by name) or CSRs a core of `architecture` can write.
    public static func registerNames(architecture: Architecture) -> [String] {
        switch architecture {
        case .armv7a: return CP15Register.table.values.map(\.name).sorted()
        case .rv64: return RVCSRNames.byNumber.values.sorted()
        }
    }

    /// The fields that changed between `old` and `new`, e.g. "M 0→1, I 0→1" (registers with a
    /// known layout only; either architecture's names).
    public static func describeChange(register: String, old: UInt64, new: UInt64) -> String {
        let key = register.lowercased()
        guard let layout = (arm.first { $0.key.lowercased() == key } ?? riscv.first { $0.key.lowercased() == key })?.value else {
            return ""
        }
        return layout.compactMap { name, low, width -> String? in
            let mask: UInt64 = (width >= 64 ? .max : (1 << UInt64(width)) - 1)
            let a = (old >> UInt64(low)) & mask, b = (new >> UInt64(low)) & mask
            return a == b ? nil : "\(name) \(a)→\(b)"
        }.joined(separator: ", ")
    }
}
