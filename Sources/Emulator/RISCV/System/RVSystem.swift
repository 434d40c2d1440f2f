/// SYSTEM and MISC-MEM instructions (unprivileged spec §2.7–2.8, privileged spec §3.3):
/// ECALL, EBREAK, MRET, SRET, WFI, FENCE, FENCE.I, SFENCE.VMA; and the hypervisor extension's
/// HLV/HLVX/HSV and HFENCE (RVHypervisor.swift).
enum RVSystemOp: UInt8 {
    case ecall, ebreak, mret, sret, wfi, fence, fenceI, sfenceVMA
    case hypervisorLoad, hypervisorStore, hfenceVVMA, hfenceGVMA
}

extension RVDecoder {
    static let systemEncodings: [RVEncoding] = [
        RVEncoding("ecall", "0000000 00000 00000 000 00000 1110011") { w in RVInstruction(group: .system, op: RVSystemOp.ecall.rawValue, raw: w) },
        RVEncoding("ebreak", "0000000 00001 00000 000 00000 1110011") { w in RVInstruction(group: .system, op: RVSystemOp.ebreak.rawValue, raw: w) },
        RVEncoding("mret", "0011000 00010 00000 000 00000 1110011") { w in RVInstruction(group: .system, op: RVSystemOp.mret.rawValue, raw: w) },
        RVEncoding("sret", "0001000 00010 00000 000 00000 1110011") { w in RVInstruction(group: .system, op: RVSystemOp.sret.rawValue, raw: w) },
        RVEncoding("wfi", "0001000 00101 00000 000 00000 1110011") { w in RVInstruction(group: .system, op: RVSystemOp.wfi.rawValue, raw: w) },
        RVEncoding("sfence.vma", "0001001 sssss nnnnn 000 00000 1110011") { w in
            RVInstruction(group: .system, op: RVSystemOp.sfenceVMA.rawValue, raw: w, rs1: RVInstruction.rs1(w), rs2: RVInstruction.rs2(w))
        },
    ] + hypervisorEncodings + [
        // FENCE ignores its fields (reserved encodings execute as a fence); FENCE.TSO and PAUSE too.
        RVEncoding("fence", "---- ---- ---- ----- 000 ----- 0001111") { w in RVInstruction(group: .system, op: RVSystemOp.fence.rawValue, raw: w) },
        RVEncoding("fence.i", "------------ ----- 001 ----- 0001111") { w in RVInstruction(group: .system, op: RVSystemOp.fenceI.rawValue, raw: w) },
    ]
}

extension RISCVCore {
    func execSystem(_ d: RVInstruction) {
        switch RVSystemOp(rawValue: d.op) {
        case .ecall?:
            // From VU the cause is 8 as from U; from VS it is 10 (§8.6.4), which the built-in
            // SBI never sees: a guest's SBI calls go to its hypervisor.
            switch privilege {
            case .user: takeException(.ecallFromU, tval: 0)
            case .supervisor:
                if virtualized { return takeException(.ecallFromVS, tval: 0) }
                if machine.firmwareCall(self) { return }
                takeException(.ecallFromS, tval: 0)
            case .machine: takeException(.ecallFromM, tval: 0)
            }
        case .ebreak?:
            takeException(.breakpoint, tval: pc)
        case .mret?:
            guard privilege == .machine else { return illegalInstruction(d) }
            machineReturn()
        case .sret?:
            // TSR traps SRET in (H)S-mode; U-mode never may (§3.1.6.5). From VU, and from VS
            // with hstatus.VTSR, it is a virtual instruction (§8.6.1).
            if virtualized {
                if privilege == .user || csr.hstatus & HSTATUS.VTSR != 0 { return virtualInstruction(d) }
            } else if privilege == .user || (privilege == .supervisor && csr.mstatus & MSTATUS.TSR != 0) {
                return illegalInstruction(d)
            }
            supervisorReturn()
        case .wfi?:
            // TW makes WFI illegal below M; in U-mode it is illegal (QEMU's choice when S exists).
            // With TW = 0: in VU, and in VS with hstatus.VTW, a virtual instruction (§8.6.1).
            if privilege != .machine && csr.mstatus & MSTATUS.TW != 0 { return illegalInstruction(d) }
            if virtualized {
                if privilege == .user || csr.hstatus & HSTATUS.VTW != 0 { return virtualInstruction(d) }
            } else if privilege == .user {
                return illegalInstruction(d)
            }
            waitForInterrupt()
        case .fence?, .fenceI?:
            // One thread runs the machine in program order, and stores clear the decoded
            // instructions they overwrite: nothing to order or flush.
            break
        case .sfenceVMA?:
            // In VS-mode it orders the VS-stage (flushing everything is a superset); from VU,
            // or VS with hstatus.VTVM, a virtual instruction (§8.6.1).
            if virtualized {
                if privilege == .user || csr.hstatus & HSTATUS.VTVM != 0 { return virtualInstruction(d) }
            } else if privilege == .user || (privilege == .supervisor && csr.mstatus & MSTATUS.TVM != 0) {
                return illegalInstruction(d)
            }
            // rs1 = x0: every address; otherwise the page holding x[rs1]. rs2 (the ASID) is
            // ignored: the TLB does not keep ASIDs, so flushing regardless is a superset.
            flushTLB(address: d.rs1 == 0 ? nil : x[Int(d.rs1)])
        case .hypervisorLoad?, .hypervisorStore?, .hfenceVVMA?, .hfenceGVMA?:
            execHypervisor(d)
        case nil:
            illegalInstruction(d)
        }
    }

    /// WFI: sleep until an interrupt is pending and enabled in mie, whatever the global enables
    /// (§3.3.3).
    func waitForInterrupt() {
        if mip & csr.mie != 0 { return }
        runState = .waitForInterrupt
        attention = true
        if machine.observed { machine.emit(.sleep("WFI"), cpu: index) }
    }

    /// A sleeping hart's wake condition.
    var hasWakeUpInterrupt: Bool { mip & csr.mie != 0 }
}
