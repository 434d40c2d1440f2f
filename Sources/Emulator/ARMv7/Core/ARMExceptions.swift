/// Exception entry and routing (ARM ARM B1.8, B1.9 pseudocode `TakeUndefInstrException` …,
/// and B1.8.4 for the Hyp mode entry). Every method leaves `nextPC` at the vector, so an
/// instruction that raises an exception simply returns.
extension ARMCore {
    /// Vector offsets (B1.8.1, table B1-3).
    enum Vector: UInt32 {
        case reset = 0x00, undefined = 0x04, supervisorCall = 0x08, prefetchAbort = 0x0C
        case dataAbort = 0x10, hypTrap = 0x14, irq = 0x18, fiq = 0x1C
    }

    /// HSR exception classes used here (B3.13.6).
    enum HSRClass: UInt32 {
        case unknown = 0x00, wfiWfe = 0x01, mcrMrcCP15 = 0x03, mcrrMrrcCP15 = 0x04
        case mcrMrcCP14 = 0x05, hcptr = 0x07, mrrcCP14 = 0x0C, svcHyp = 0x11, hvc = 0x12, smc = 0x13
        case prefetchAbortGuest = 0x20, prefetchAbortHyp = 0x21, dataAbortGuest = 0x24, dataAbortHyp = 0x25
    }

    /// The base of the vector table for exceptions taken to a PL1 mode other than Monitor.
    private var pl1VectorBase: UInt32 {
        cp15.sctlr(secure: isSecure) & SCTLR.V != 0 ? 0xFFFF_0000 : cp15.vbar(secure: isSecure)
    }

    /// Enter a PL1 mode (B1.9.1 `EnterMode`-style): SPSR ← CPSR, LR ← return link, mode,
    /// masks, endianness and instruction set from SCTLR, branch to the vector.
    func enterPL1Mode(_ target: ARMMode, vector: Vector, link: UInt32, maskAbort: Bool, maskFIQ: Bool) {
        let saved = cpsr
        let from = mode, fromSecure = isSecure
        // Monitor is always Secure; the other modes use the SCTLR of the state we are in.
        let secureTarget = target == .mon || isSecure
        let sctlr = cp15.sctlr(secure: secureTarget)
        let base: UInt32 = target == .mon ? cp15.mvbar
            : (sctlr & SCTLR.V != 0 ? 0xFFFF_0000 : cp15.vbar(secure: secureTarget))
        switchMode(to: target)
        spsr = saved
        r[14] = link
        cpsrI = true
        // Pseudocode TakeDataAbortException & co: A and F are set unless the core has the
        // Security but not the Virtualization Extensions, is Non-secure, and SCR.AW/FW say no.
        let plainNS = features.security && !features.virtualization && !secureTarget
        if maskAbort && (!plainNS || cp15.scr & SCR.AW != 0) { cpsrA = true }
        if maskFIQ && (!plainNS || cp15.scr & SCR.FW != 0) { cpsrF = true }
        cpsrE = sctlr & SCTLR.EE != 0
        nextPC = base &+ vector.rawValue
        attention = true
        clearExclusive()   // ClearExclusiveLocal on exception entry (A3.4.1 note)
        if machine.observed { noteExceptionEntry(vector, from: from, fromSecure: fromSecure) }
        if sctlr & SCTLR.TE != 0 { notSupported("exception entry in Thumb state (SCTLR.TE = 1)") }
    }

    /// Enter Hyp mode (B1.8.4 / pseudocode `EnterHypMode`).
    func enterHyp(vector: Vector, preferredReturn: UInt32, hsr: UInt32) {
        let saved = cpsr
        let from = mode
        switchMode(to: .hyp)
        bankedSPSR[ARMMode.hyp.bank] = saved
        elrHyp = preferredReturn
        cp15.hsr = hsr
        if cp15.scr & SCR.EA == 0 { cpsrA = true }
        if cp15.scr & SCR.FIQ == 0 { cpsrF = true }
        if cp15.scr & SCR.IRQ == 0 { cpsrI = true }
        cpsrE = cp15.hsctlr & HSCTLR.EE != 0
        nextPC = (cp15.hvbar & ~0x1F) &+ vector.rawValue
        attention = true
        clearExclusive()
        if machine.observed { noteExceptionEntry(vector, from: from, fromSecure: false, hsrValue: hsr) }
        if cp15.hsctlr & HSCTLR.TE != 0 { notSupported("exception entry to Hyp in Thumb state (HSCTLR.TE = 1)") }
    }

    /// HSR value: EC, IL = 1 (32-bit instruction), ISS.
    @inline(__always)
    func hsr(_ ec: HSRClass, _ iss: UInt32 = 0) -> UInt32 {
        (ec.rawValue << 26) | (1 << 25) | (iss & 0x1FF_FFFF)
    }

    /// The Undefined Instruction exception for the instruction at `currentPC`.
    func takeUndefined() {
        if mode == .hyp {
            enterHyp(vector: .undefined, preferredReturn: currentPC, hsr: hsr(.unknown))
        } else if mode == .usr && routesPL0ToHyp {
            enterHyp(vector: .hypTrap, preferredReturn: currentPC, hsr: hsr(.unknown))
        } else {
            enterPL1Mode(.und, vector: .undefined, link: currentPC &+ 4, maskAbort: false, maskFIQ: false)
        }
    }

    /// SVC (B1.9.4).
    func takeSupervisorCall(imm: UInt32) {
        if mode == .hyp {
            enterHyp(vector: .supervisorCall, preferredReturn: currentPC &+ 4, hsr: hsr(.svcHyp, imm & 0xFFFF))
        } else if mode == .usr && routesPL0ToHyp {
            enterHyp(vector: .hypTrap, preferredReturn: currentPC &+ 4, hsr: hsr(.svcHyp, imm & 0xFFFF))
        } else {
            enterPL1Mode(.svc, vector: .supervisorCall, link: currentPC &+ 4, maskAbort: false, maskFIQ: false)
        }
    }

    /// HVC (B1.9.? "Hypervisor Call exception"): from Non-secure PL1 to the Hyp trap vector;
    /// from Hyp mode to the vector at +0x08.
    func takeHypervisorCall(imm: UInt32) {
        if mode == .hyp {
            enterHyp(vector: .supervisorCall, preferredReturn: currentPC &+ 4, hsr: hsr(.hvc, imm & 0xFFFF))
        } else {
            enterHyp(vector: .hypTrap, preferredReturn: currentPC &+ 4, hsr: hsr(.hvc, imm & 0xFFFF))
        }
    }

    /// SMC to Monitor mode (B1.9.? "Secure Monitor Call exception").
    func takeSecureMonitorCall() {
        enterPL1Mode(.mon, vector: .supervisorCall, link: currentPC &+ 4, maskAbort: true, maskFIQ: true)
    }

    /// NS PL0 exceptions go to Hyp when HCR.TGE is set (B1.8.? "Routing general exceptions").
    private var routesPL0ToHyp: Bool {
        features.virtualization && !isSecure && cp15.hcr & HCR.TGE != 0
    }

    /// Fault status encodings in the two formats (B3.13.3, tables B3-23 short and B3-24 long).
    enum FaultKind: Equatable {
        case alignment, externalAbort, debug
        /// A fault found by translation (ARMv7/MMU).
        case mmu(ARMTranslationFault)

        var shortFS: UInt32 {
            switch self {
            case .alignment: 0b00001
            case .externalAbort: 0b01000
            case .debug: 0b00010
            case .mmu(let f): f.shortFS
            }
        }
        var longStatus: UInt32 {
            switch self {
            case .alignment: 0b100001
            case .externalAbort: 0b010000
            case .debug: 0b100010
            case .mmu(let f): f.longStatus
            }
        }
        /// External aborts (on the access or on its table walk) may be routed to Monitor mode.
        var isExternal: Bool {
            if case .mmu(let f) = self { return f.kind == .walkExternalAbort }
            return self == .externalAbort
        }
        /// The short-descriptor DFSR.Domain field.
        var domain: UInt32 {
            if case .mmu(let f) = self { return f.domain & 0xF }
            return 0
        }
        var stage2Fault: ARMTranslationFault? {
            if case .mmu(let f) = self, f.stage2 { return f }
            return nil
        }
    }

    /// A stage 2 fault (B3.12.? "Stage 2 fault handling"): always taken to Hyp mode through the
    /// Hyp trap vector with HSR EC 0x20/0x24, the VA in HIFAR/HDFAR and the faulting IPA in
    /// HPFAR[31:4] = IPA[39:12] (B4.1.?). ISS: DFSC/IFSC [5:0] (long format), WnR [6] (data),
    /// S1PTW [7], and for data aborts the instruction syndrome (ARMAbortSyndrome.swift).
    private func takeStage2Abort(_ f: ARMTranslationFault, address: UInt32, fetch: Bool, write: Bool) {
        cp15.hpfar = UInt32(truncatingIfNeeded: (f.ipa >> 12) << 4)
        var iss = f.longStatus | (f.s1ptw ? 1 << 7 : 0)
        if fetch {
            cp15.hifar = address
        } else {
            cp15.hdfar = address
            if write { iss |= 1 << 6 }
            if !f.s1ptw { iss |= dataAbortInstructionSyndrome() }
        }
        enterHyp(vector: .hypTrap, preferredReturn: currentPC,
                 hsr: hsr(fetch ? .prefetchAbortGuest : .dataAbortGuest, iss))
    }

    /// A data abort for `address` (B1.9.7). In Hyp mode it is taken in Hyp with HSR.EC 0x25;
    /// a stage 2 fault goes to Hyp with EC 0x24.
    func takeDataAbort(address: UInt32, kind: FaultKind, write: Bool) {
        if let f = kind.stage2Fault {
            takeStage2Abort(f, address: address, fetch: false, write: write)
            return
        }
        if mode == .hyp || (mode == .usr && routesPL0ToHyp) {
            let iss = (write ? UInt32(1) << 6 : 0) | kind.longStatus
            cp15.hdfar = address
            enterHyp(vector: mode == .hyp ? .dataAbort : .hypTrap, preferredReturn: currentPC,
                     hsr: hsr(mode == .hyp ? .dataAbortHyp : .dataAbortGuest, iss))
            return
        }
        let secure = isSecure
        cp15.setDFAR(address, secure: secure)
        var status = faultStatus(kind) | (write ? 1 << 11 : 0)
        if status & (1 << 9) == 0 { status |= kind.domain << 4 }
        cp15.setDFSR(status, secure: secure)
        let toMonitor = kind.isExternal && features.security && cp15.scr & SCR.EA != 0
        enterPL1Mode(toMonitor ? .mon : .abt, vector: .dataAbort, link: currentPC &+ 8, maskAbort: true, maskFIQ: toMonitor)
    }

    /// A prefetch abort for the instruction at `currentPC` (B1.9.6); BKPT raises it as a debug
    /// event. IFSR has no Domain field.
    func takePrefetchAbort(address: UInt32, kind: FaultKind) {
        if let f = kind.stage2Fault {
            takeStage2Abort(f, address: address, fetch: true, write: false)
            return
        }
        if mode == .hyp || (mode == .usr && routesPL0ToHyp) {
            cp15.hifar = address
            enterHyp(vector: mode == .hyp ? .prefetchAbort : .hypTrap, preferredReturn: currentPC,
                     hsr: hsr(mode == .hyp ? .prefetchAbortHyp : .prefetchAbortGuest, kind.longStatus))
            return
        }
        let secure = isSecure
        cp15.setIFAR(address, secure: secure)
        cp15.setIFSR(faultStatus(kind), secure: secure)
        let toMonitor = kind.isExternal && features.security && cp15.scr & SCR.EA != 0
        enterPL1Mode(toMonitor ? .mon : .abt, vector: .prefetchAbort, link: currentPC &+ 4, maskAbort: true, maskFIQ: toMonitor)
    }

    /// DFSR/IFSR value in the format of the current translation regime: long (LPAE bit 9 set)
    /// when TTBCR.EAE = 1 (B3.13.3).
    private func faultStatus(_ kind: FaultKind) -> UInt32 {
        if cp15.ttbcr(secure: isSecure) & (1 << 31) != 0 {
            return (1 << 9) | kind.longStatus
        }
        let fs = kind.shortFS
        return ((fs & 0x10) << 6) | (fs & 0xF)
    }

    /// Take a pending, unmasked IRQ or FIQ, if any (B1.8.? asynchronous exception masking).
    /// Called between instructions; `nextPC` is the instruction to return to.
    @discardableResult
    func takePendingInterrupt() -> Bool {
        if fiqLine && interruptUnmasked(fiq: true) {
            takeInterrupt(fiq: true)
            return true
        }
        if irqLine && interruptUnmasked(fiq: false) {
            takeInterrupt(fiq: false)
            return true
        }
        return takePendingVirtualInterrupt()
    }

    /// Whether a physical IRQ/FIQ would be taken now. Routed to Monitor (SCR.IRQ/FIQ) or to
    /// Hyp (HCR.IMO/FMO from Non-secure PL0/PL1) it cannot be masked by CPSR from a lower
    /// level; in Hyp and elsewhere CPSR.I/F mask it.
    func interruptUnmasked(fiq: Bool) -> Bool {
        let masked = fiq ? cpsrF : cpsrI
        if features.security && cp15.scr & (fiq ? SCR.FIQ : SCR.IRQ) != 0 {
            return mode != .mon ? (!isSecure || !masked) : !masked
        }
        if routesInterruptToHyp(fiq: fiq) && mode != .hyp { return true }
        return !masked
    }

    /// A WFE wake-up event: an interrupt that would be taken (B1.8.13).
    var hasUnmaskedInterrupt: Bool {
        (irqLine && interruptUnmasked(fiq: false)) || (fiqLine && interruptUnmasked(fiq: true))
            || hasUnmaskedVirtualInterrupt
    }

    private func routesInterruptToHyp(fiq: Bool) -> Bool {
        features.virtualization && !isSecure && cp15.hcr & (fiq ? HCR.FMO : HCR.IMO) != 0
    }

    private func takeInterrupt(fiq: Bool) {
        // The preferred return address is the next instruction to execute; LR gets +4.
        currentPC = nextPC
        let vector: Vector = fiq ? .fiq : .irq
        if features.security && cp15.scr & (fiq ? SCR.FIQ : SCR.IRQ) != 0 {
            enterPL1Mode(.mon, vector: vector, link: nextPC &+ 4, maskAbort: true, maskFIQ: true)
        } else if mode == .hyp || routesInterruptToHyp(fiq: fiq) {
            enterHyp(vector: vector, preferredReturn: nextPC, hsr: cp15.hsr)
        } else {
            enterPL1Mode(fiq ? .fiq : .irq, vector: vector, link: nextPC &+ 4, maskAbort: true, maskFIQ: fiq)
        }
    }

    /// Exception return from a PL1 mode: `SUBS PC, LR, #n`, `MOVS PC, LR`, `LDM … {…, PC}^`,
    /// `RFE` (B1.9.10): CPSR ← SPSR (when not in User/System), then branch.
    func exceptionReturn(to address: UInt32, psr: UInt32) {
        if mode == .usr || mode == .sys {
            // UNPREDICTABLE; QEMU branches without restoring: do the same.
            bxWritePC(address)
            return
        }
        restoreCPSRChecked(psr)
        nextPC = address & ~3
        if machine.observed { emit(.exceptionReturn(mode: mode.name, address: UInt64(nextPC))) }
    }

    /// CPSR ← psr from an exception return, refusing an illegal target mode as QEMU does
    /// (an unknown mode, Monitor from Non-secure, Hyp from anything but Hyp): the mode then
    /// stays unchanged.
    func restoreCPSRChecked(_ psr: UInt32) {
        var v = psr
        let target = ARMMode(rawValue: psr & 0x1F)
        let legal: Bool
        switch target {
        case nil: legal = false
        case .mon?: legal = features.security && isSecure
        case .hyp?: legal = features.virtualization && (mode == .hyp || mode == .mon) && !(mode == .mon && !cp15.scrNS)
        default: legal = true
        }
        if !legal { v = (v & ~0x1F) | mode.rawValue }
        restoreCPSR(v)
    }
}
