/// The hypervisor extension's instructions (privileged spec v1.12 §8.3): the hypervisor
/// virtual-machine loads and stores HLV.B/BU/H/HU/W/WU/D, HLVX.HU/WU and HSV.B/H/W/D, and the
/// fences HFENCE.VVMA and HFENCE.GVMA.
///
/// - On a hart without H every one of them is an illegal instruction.
/// - From VS/VU: virtual instruction (§8.6.1). From U: illegal, except HLV/HLVX/HSV when
///   hstatus.HU = 1. HFENCE.GVMA in HS-mode with mstatus.TVM = 1: illegal (§8.3.2).
/// - HLV/HSV access memory as V = 1 would at the privilege hstatus.SPVP selects (VS or VU),
///   two-stage translated with vsstatus.SUM and MXR; HLVX needs execute permission instead of
///   read permission. Their faults carry guest virtual addresses (GVA = 1).
/// - The fences flush every cached translation (the TLB keeps no VMIDs or ASIDs): a superset
///   of what either asks for.
enum RVHypervisorFlags {
    /// log2 of the access size in bits 0–1.
    static let sizeMask: UInt8 = 3
    static let unsigned: UInt8 = 1 << 2
    static let execute: UInt8 = 1 << 3
}

extension RVDecoder {
    static let hypervisorEncodings: [RVEncoding] = {
        let loads: [(String, String, String, UInt8)] = [
            ("hlv.b", "0110000", "00000", 0), ("hlv.bu", "0110000", "00001", 0 | RVHypervisorFlags.unsigned),
            ("hlv.h", "0110010", "00000", 1), ("hlv.hu", "0110010", "00001", 1 | RVHypervisorFlags.unsigned),
            ("hlvx.hu", "0110010", "00011", 1 | RVHypervisorFlags.unsigned | RVHypervisorFlags.execute),
            ("hlv.w", "0110100", "00000", 2), ("hlv.wu", "0110100", "00001", 2 | RVHypervisorFlags.unsigned),
            ("hlvx.wu", "0110100", "00011", 2 | RVHypervisorFlags.unsigned | RVHypervisorFlags.execute),
            ("hlv.d", "0110110", "00000", 3),
        ]
        let stores: [(String, String, UInt8)] = [
            ("hsv.b", "0110001", 0), ("hsv.h", "0110011", 1), ("hsv.w", "0110101", 2), ("hsv.d", "0110111", 3),
        ]
        var list = loads.map { name, funct7, rs2, flags in
            RVEncoding(name, "\(funct7) \(rs2) sssss 100 ddddd 1110011") { w in
                RVInstruction(group: .system, op: RVSystemOp.hypervisorLoad.rawValue, raw: w, rd: RVInstruction.rd(w),
                              rs1: RVInstruction.rs1(w), flags: flags)
            }
        }
        list += stores.map { name, funct7, flags in
            RVEncoding(name, "\(funct7) ttttt sssss 100 00000 1110011") { w in
                RVInstruction(group: .system, op: RVSystemOp.hypervisorStore.rawValue, raw: w, rs1: RVInstruction.rs1(w),
                              rs2: RVInstruction.rs2(w), flags: flags)
            }
        }
        list.append(RVEncoding("hfence.vvma", "0010001 ttttt sssss 000 00000 1110011") { w in
            RVInstruction(group: .system, op: RVSystemOp.hfenceVVMA.rawValue, raw: w, rs1: RVInstruction.rs1(w), rs2: RVInstruction.rs2(w))
        })
        list.append(RVEncoding("hfence.gvma", "0110001 ttttt sssss 000 00000 1110011") { w in
            RVInstruction(group: .system, op: RVSystemOp.hfenceGVMA.rawValue, raw: w, rs1: RVInstruction.rs1(w), rs2: RVInstruction.rs2(w))
        })
        return list
    }()
}

extension RISCVCore {
    func execHypervisor(_ d: RVInstruction) {
        guard hasHypervisor else { return illegalInstruction(d) }
        if virtualized { return virtualInstruction(d) }
        let op = RVSystemOp(rawValue: d.op)
        if op == .hfenceVVMA || op == .hfenceGVMA {
            if privilege == .user { return illegalInstruction(d) }
            if op == .hfenceGVMA && privilege == .supervisor && csr.mstatus & MSTATUS.TVM != 0 {
                return illegalInstruction(d)
            }
            flushTLB()
            return
        }
        if privilege == .user && csr.hstatus & HSTATUS.HU == 0 { return illegalInstruction(d) }
        let mode: RVPrivilege = csr.hstatus & HSTATUS.SPVP != 0 ? .supervisor : .user
        let size = 1 << Int(d.flags & RVHypervisorFlags.sizeMask)
        let va = x[Int(d.rs1)]
        hypervisorAccess = true
        defer { hypervisorAccess = false }
        if op == .hypervisorStore {
            _ = guestStore(va, size: size, x[Int(d.rs2)], mode: mode)
            return
        }
        guard var v = guestLoad(va, size: size, mode: mode, hlvx: d.flags & RVHypervisorFlags.execute != 0) else { return }
        if d.flags & RVHypervisorFlags.unsigned == 0 && size < 8 {
            let shift = UInt64(64 &- 8 &* size)
            v = UInt64(bitPattern: Int64(bitPattern: v << shift) >> Int64(shift))
        }
        x[Int(d.rd)] = v
    }

    /// A load as V = 1 at `mode` would do it, from HS/M-mode (HLV, HLVX).
    private func guestLoad(_ va: UInt64, size: Int, mode: RVPrivilege, hlvx: Bool) -> UInt64? {
        if va & UInt64(size &- 1) != 0 && misalignedTraps {
            takeException(.loadMisaligned, tval: va)
            return nil
        }
        let firstPart = min(size, 0x1000 &- Int(truncatingIfNeeded: va & 0xFFF))
        guard let pa1 = translate(va, size: firstPart, access: .load, mode: mode, virtual: true, hlvx: hlvx) else { return nil }
        if firstPart == size { return physicalLoad(pa1, size: size, va: va) }
        // Misaligned across a page (profiles with misaligned = "hardware"): both pages first.
        let second = va &+ UInt64(firstPart)
        guard let pa2 = translate(second, size: size &- firstPart, access: .load, mode: mode, virtual: true, hlvx: hlvx) else { return nil }
        var value: UInt64 = 0
        for i in 0..<size {
            let (pa, at) = i < firstPart ? (pa1 &+ UInt64(i), va) : (pa2 &+ UInt64(i &- firstPart), second)
            guard let b = physicalLoad(pa, size: 1, va: at) else { return nil }
            value |= b << UInt64(8 &* i)
        }
        return value
    }

    /// A store as V = 1 at `mode` would do it, from HS/M-mode (HSV).
    private func guestStore(_ va: UInt64, size: Int, _ value: UInt64, mode: RVPrivilege) -> Bool {
        if va & UInt64(size &- 1) != 0 && misalignedTraps {
            takeException(.storeMisaligned, tval: va)
            return false
        }
        let firstPart = min(size, 0x1000 &- Int(truncatingIfNeeded: va & 0xFFF))
        guard let pa1 = translate(va, size: firstPart, access: .store, mode: mode, virtual: true) else { return false }
        if firstPart == size { return physicalStore(pa1, size: size, value, va: va) }
        let second = va &+ UInt64(firstPart)
        guard let pa2 = translate(second, size: size &- firstPart, access: .store, mode: mode, virtual: true) else { return false }
        for i in 0..<size {
            let (pa, at) = i < firstPart ? (pa1 &+ UInt64(i), va) : (pa2 &+ UInt64(i &- firstPart), second)
            guard physicalStore(pa, size: 1, value >> UInt64(8 &* i), va: at) else { return false }
        }
        return true
    }
}
