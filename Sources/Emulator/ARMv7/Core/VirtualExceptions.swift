/// Virtual exceptions (ARM ARM DDI 0406C.d B1.8.? "Virtual exceptions in the Virtualization
/// Extensions"): with HCR.IMO/FMO/AMO set, Non-secure PL1/PL0 sees a virtual IRQ, FIQ or
/// asynchronous abort instead of the physical one (which goes to Hyp, see
/// `interruptUnmasked`/`takeInterrupt`). A virtual exception is masked by CPSR.I/F/A and taken
/// to the ordinary PL1 vector; it is never seen in Hyp mode or Secure state.
extension ARMCore {
    /// The virtual IRQ input. Today only HCR.VI (software injection); the GIC virtual CPU
    /// interface's line is ORed in here (one place), and whatever raises that line must set
    /// `attention` so the core looks at it between instructions.
    @inline(__always)
    var virtualIRQPending: Bool { cp15.hcr & HCR.VI != 0 }
    /// The virtual FIQ input: HCR.VF (and the GIC virtual FIQ line, as for IRQ).
    @inline(__always)
    var virtualFIQPending: Bool { cp15.hcr & HCR.VF != 0 }
    /// The virtual asynchronous abort: HCR.VA.
    @inline(__always)
    var virtualAbortPending: Bool { cp15.hcr & HCR.VA != 0 }

    /// Any virtual exception signalled: the between-instructions check looks further.
    var virtualExceptionSignalled: Bool { virtualIRQPending || virtualFIQPending || virtualAbortPending }

    /// A virtual exception that would wake WFI (B1.8.13: regardless of the CPSR masks): only
    /// in Non-secure PL1/PL0 and only while HCR routes the matching physical exception to Hyp.
    var virtualInterruptPending: Bool {
        guard hypTrapsApply else { return false }
        let hcr = cp15.hcr
        return (virtualIRQPending && hcr & HCR.IMO != 0) || (virtualFIQPending && hcr & HCR.FMO != 0)
            || (virtualAbortPending && hcr & HCR.AMO != 0)
    }

    /// Take a pending virtual exception that CPSR does not mask: abort first, then FIQ, then
    /// IRQ (B1.8.? priorities, as QEMU's arm_cpu_exec_interrupt orders VSERR … VIRQ for a
    /// single level). `nextPC` is the instruction to return to.
    @discardableResult
    func takePendingVirtualException() -> Bool {
        guard hypTrapsApply else { return false }
        let hcr = cp15.hcr
        if virtualAbortPending && hcr & HCR.AMO != 0 && !cpsrA {
            // Taking the virtual abort clears HCR.VA (QEMU: "Taking a virtual abort clears
            // HCR_EL2.VSE"). DFSR: asynchronous external abort; DFAR is UNKNOWN (unchanged).
            cp15.hcr &= ~HCR.VA
            currentPC = nextPC
            let long = cp15.ttbcr(secure: false) & (1 << 31) != 0
            cp15.setDFSR(long ? (1 << 9) | 0b010001 : (1 << 10) | 0b0110, secure: false)
            enterPL1Mode(.abt, vector: .dataAbort, link: nextPC &+ 8, maskAbort: true, maskFIQ: false)
            return true
        }
        if virtualFIQPending && hcr & HCR.FMO != 0 && !cpsrF {
            currentPC = nextPC
            enterPL1Mode(.fiq, vector: .fiq, link: nextPC &+ 4, maskAbort: true, maskFIQ: true)
            return true
        }
        if virtualIRQPending && hcr & HCR.IMO != 0 && !cpsrI {
            currentPC = nextPC
            enterPL1Mode(.irq, vector: .irq, link: nextPC &+ 4, maskAbort: true, maskFIQ: false)
            return true
        }
        return false
    }
}
