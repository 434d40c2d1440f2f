/// Instructions that raise or return from exceptions: SVC, BKPT, HVC, SMC, ERET, UDF, SRS,
/// RFE (A8.8.228, A8.8.24, B9.3.4, B9.3.14, B9.3.3, A8.8.247, B9.3.16, B9.3.13).
enum ExceptionOp: UInt8 {
    case svc, bkpt, hvc, smc, eret, udf, srs, rfe
}

extension ARMDecoder {
    static let exceptionEncodings: [ARMEncoding] = [
        ARMEncoding("SVC", "cccc 1111 iiii iiii iiii iiii iiii iiii") { w in
            ARMInstruction(group: .exception, op: ExceptionOp.svc.rawValue, raw: w, imm: w & 0xFF_FFFF)
        },
        ARMEncoding("BKPT", "cccc 0001 0010 iiii iiii iiii 0111 iiii") { w in
            ARMInstruction(group: .exception, op: ExceptionOp.bkpt.rawValue, raw: w, imm: (w >> 4) & 0xFFF0 | w & 0xF)
        },
        ARMEncoding("HVC", "cccc 0001 0100 iiii iiii iiii 0111 iiii") { w in
            ARMInstruction(group: .exception, op: ExceptionOp.hvc.rawValue, raw: w, imm: (w >> 4) & 0xFFF0 | w & 0xF)
        },
        ARMEncoding("SMC", "cccc 0001 0110 0000 0000 0000 0111 iiii") { w in
            ARMInstruction(group: .exception, op: ExceptionOp.smc.rawValue, raw: w, imm: w & 0xF)
        },
        ARMEncoding("ERET", "cccc 0001 0110 0000 0000 0000 0110 1110") { w in
            ARMInstruction(group: .exception, op: ExceptionOp.eret.rawValue, raw: w)
        },
        ARMEncoding("UDF", "1110 0111 1111 iiii iiii iiii 1111 iiii") { w in
            ARMInstruction(group: .exception, op: ExceptionOp.udf.rawValue, raw: w)
        },
        ARMEncoding("SRS", "1111 100p u1w0 1101 0000 0101 000m mmmm") { w in
            ARMInstruction(group: .exception, op: ExceptionOp.srs.rawValue, raw: w,
                           flags: UInt8(ARMInstruction.bits(w, 24, 21)), imm: w & 0x1F)
        },
        ARMEncoding("RFE", "1111 100p u0w1 nnnn 0000 1010 0000 0000") { w in
            ARMInstruction(group: .exception, op: ExceptionOp.rfe.rawValue, raw: w, rn: ARMInstruction.reg(w, 16),
                           flags: UInt8(ARMInstruction.bits(w, 24, 21)))
        },
    ]
}

extension ARMCore {
    func execException(_ d: ARMInstruction) {
        switch ExceptionOp(rawValue: d.op) {
        case .svc?:
            // ARM semihosting traps SVC 0x123456 in A32 from a privileged mode (as QEMU does).
            if d.imm == 0x12_3456 && mode != .usr && machine.spec.boot.semihosting {
                machine.semihostingCall(self)
                return
            }
            takeSupervisorCall(imm: d.imm)
        case .bkpt?:
            takePrefetchAbort(address: currentPC, kind: .debug)
        case .hvc?:
            executeHVC(d)
        case .smc?:
            executeSMC(d)
        case .eret?:
            if mode == .hyp {
                exceptionReturn(to: elrHyp, psr: bankedSPSR[ARMMode.hyp.bank])
            } else if mode == .usr || mode == .sys {
                takeUndefined()
            } else {
                exceptionReturn(to: r[14], psr: spsr)
            }
        case .udf?:
            takeUndefined()
        case .srs?:
            storeReturnState(d)
        case .rfe?:
            returnFromException(d)
        case nil:
            takeUndefined()
        }
    }

    /// HVC: UNDEFINED without the Virtualization Extensions, in Secure state, in User mode, or
    /// while SCR.HCE = 0 (B9.3.4). The machine's PSCI firmware claims it first when the conduit
    /// is HVC — also on a core without the Virtualization Extensions, as QEMU's virt board does
    /// (target/arm/op_helper.c pre_hvc: a PSCI call overrides the architected behaviour).
    private func executeHVC(_ d: ARMInstruction) {
        guard mode != .usr else { return takeUndefined() }
        if machine.spec.boot.psciConduit == .hvc && mode != .hyp && machine.firmwareCall(self, conduit: .hvc) { return }
        guard features.virtualization, !isSecure else { return takeUndefined() }
        if features.security && cp15.scr & SCR.HCE == 0 { return takeUndefined() }
        takeHypervisorCall(imm: d.imm)
    }

    /// SMC: UNDEFINED without the Security Extensions or in User mode; trapped to Hyp by
    /// HCR.TSC from Non-secure PL1; UNDEFINED in Non-secure state when SCR.SCD = 1 (B9.3.14).
    /// The machine's PSCI firmware claims it first when the conduit is SMC.
    private func executeSMC(_ d: ARMInstruction) {
        guard mode != .usr else { return takeUndefined() }
        if features.virtualization && !isSecure && mode != .hyp && cp15.hcr & HCR.TSC != 0 {
            enterHyp(vector: .hypTrap, preferredReturn: currentPC, hsr: hsr(.smc))
            return
        }
        if machine.spec.boot.psciConduit == .smc && machine.firmwareCall(self, conduit: .smc) { return }
        guard features.security else { return takeUndefined() }
        if !isSecure && cp15.scr & SCR.SCD != 0 { return takeUndefined() }
        takeSecureMonitorCall()
    }

    /// SRS: store LR and SPSR of the current mode to the stack of mode `imm` (B9.3.16).
    private func storeReturnState(_ d: ARMInstruction) {
        guard mode != .usr, mode != .sys, mode != .hyp,
              let target = ARMMode(rawValue: d.imm), target != .hyp,
              target != .mon || isSecure else { return takeUndefined() }
        let p = d.flags & 8 != 0, u = d.flags & 4 != 0, wback = d.flags & 1 != 0
        let base = bankedRegister(13, mode: target)
        var address = u ? base : base &- 8
        if p == u { address &+= 4 }
        guard store32(address, r[14], .word), store32(address &+ 4, spsr, .word) else { return }
        if wback { setBankedRegister(13, mode: target, u ? base &+ 8 : base &- 8) }
    }

    /// RFE: load PC and CPSR from memory (B9.3.13).
    private func returnFromException(_ d: ARMInstruction) {
        guard mode != .usr, mode != .hyp else { return takeUndefined() }
        let p = d.flags & 8 != 0, u = d.flags & 4 != 0, wback = d.flags & 1 != 0
        let n = Int(d.rn)
        let base = r[n]
        var address = u ? base : base &- 8
        if p == u { address &+= 4 }
        guard let newPC = load32(address, .word), let psr = load32(address &+ 4, .word) else { return }
        if wback { r[n] = u ? base &+ 8 : base &- 8 }
        exceptionReturn(to: newPC, psr: psr)
    }
}
