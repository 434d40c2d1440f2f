/// The virtual asynchronous abort (ARM ARM DDI 0406C.d B1.8.6 "Virtual exceptions in the
/// Virtualization Extensions"): with HCR.AMO set, Non-secure PL1/PL0 sees HCR.VA as an
/// asynchronous abort, masked by CPSR.A, taken to its own Abort mode through its vectors; it is
/// never seen in Hyp mode or Secure state. Virtual IRQ and FIQ (HCR.VI/VF and the GIC's virtual
/// CPU interface) are in `ARMVirtualInterrupts.swift`.
extension ARMCore {
    /// HCR.VA: the virtual asynchronous abort is signalled.
    @inline(__always)
    var virtualAbortPending: Bool { cp15.hcr & HCR.VA != 0 }

    /// A routed virtual abort (HCR.AMO) in Non-secure PL1/PL0, whatever CPSR.A: a WFI wake-up
    /// event (B1.8.13).
    var virtualAbortWakes: Bool {
        hypTrapsApply && virtualAbortPending && cp15.hcr & HCR.AMO != 0
    }

    /// Take the virtual abort if it is routed and CPSR.A does not mask it — after the
    /// interrupts, as QEMU 7.2's `arm_cpu_exec_interrupt` orders VSERR last. `nextPC` is the
    /// instruction to return to.
    @discardableResult
    func takePendingVirtualAbort() -> Bool {
        guard virtualAbortWakes, !cpsrA else { return false }
        // Taking the virtual abort clears HCR.VA (QEMU: "Taking a virtual abort clears
        // HCR_EL2.VSE"). DFSR: asynchronous external abort; DFAR is UNKNOWN (unchanged).
        cp15.hcr &= ~HCR.VA
        currentPC = nextPC
        let long = cp15.ttbcr(secure: false) & (1 << 31) != 0
        cp15.setDFSR(long ? (1 << 9) | 0b010001 : (1 << 10) | 0b0110, secure: false)
        enterPL1Mode(.abt, vector: .dataAbort, link: nextPC &+ 8, maskAbort: true, maskFIQ: false)
        return true
    }
}
