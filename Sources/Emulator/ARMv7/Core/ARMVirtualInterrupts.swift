/// Virtual IRQ and FIQ (ARM ARM B1.8.6 "Virtual exceptions in the Virtualization Extensions",
/// B1.8.13 for WFI): a virtual IRQ is signalled while HCR.VI is set or the GIC's virtual CPU
/// interface drives the core's virtual IRQ input (`virtualIRQLine`); likewise HCR.VF or
/// `virtualFIQLine` for a virtual FIQ. It is taken only in Non-secure PL1 or PL0 while HCR.IMO
/// (FMO) routes physical interrupts to Hyp, masked by CPSR.I (F), and it enters the guest's
/// own IRQ (FIQ) mode through its vectors — an ordinary PL1 interrupt entry.
extension ARMCore {
    /// Either virtual line is signalled (by HCR.VI/VF or the GIC), whatever the routing.
    var virtualInterruptSignalled: Bool {
        virtualIRQLine || virtualFIQLine || cp15.hcr & (HCR.VI | HCR.VF) != 0
    }

    /// The core is where virtual interrupts can be taken: Non-secure PL1/PL0 of a core with
    /// the Virtualization Extensions.
    private var inVirtualInterruptState: Bool {
        features.virtualization && !isSecure && mode != .hyp
    }

    /// A virtual IRQ (`fiq` false) or FIQ that is signalled and routed (HCR.IMO / FMO).
    private func virtualInterruptPending(fiq: Bool) -> Bool {
        if fiq {
            return cp15.hcr & HCR.FMO != 0 && (virtualFIQLine || cp15.hcr & HCR.VF != 0)
        }
        return cp15.hcr & HCR.IMO != 0 && (virtualIRQLine || cp15.hcr & HCR.VI != 0)
    }

    /// WFI wake-up: a routed virtual interrupt in Non-secure PL1/PL0, regardless of CPSR.I/F.
    var virtualInterruptWakes: Bool {
        inVirtualInterruptState && (virtualInterruptPending(fiq: false) || virtualInterruptPending(fiq: true))
    }

    /// A virtual interrupt that would be taken now (WFE wake-up, ISR).
    var hasUnmaskedVirtualInterrupt: Bool {
        inVirtualInterruptState
            && ((virtualInterruptPending(fiq: true) && !cpsrF) || (virtualInterruptPending(fiq: false) && !cpsrI))
    }

    /// ISR.I / ISR.F as Non-secure PL1 sees them with HCR.IMO / FMO set: the virtual lines.
    func virtualInterruptStatus(physical: UInt64) -> UInt64 {
        guard inVirtualInterruptState else { return physical }
        var value = physical
        if cp15.hcr & HCR.IMO != 0 { value = (value & ~(1 << 7)) | (virtualInterruptPending(fiq: false) ? 1 << 7 : 0) }
        if cp15.hcr & HCR.FMO != 0 { value = (value & ~(1 << 6)) | (virtualInterruptPending(fiq: true) ? 1 << 6 : 0) }
        return value
    }

    /// Take a pending, unmasked virtual interrupt, after the physical ones (QEMU 7.2's order in
    /// `arm_cpu_exec_interrupt`: FIQ, IRQ, virtual IRQ, virtual FIQ).
    func takePendingVirtualInterrupt() -> Bool {
        guard inVirtualInterruptState else { return false }
        let fiq: Bool
        if virtualInterruptPending(fiq: false) && !cpsrI {
            fiq = false
        } else if virtualInterruptPending(fiq: true) && !cpsrF {
            fiq = true
        } else {
            return false
        }
        // The preferred return address is the next instruction; LR gets +4 (B1.9.10).
        currentPC = nextPC
        enterPL1Mode(fiq ? .fiq : .irq, vector: fiq ? .fiq : .irq, link: nextPC &+ 4, maskAbort: true, maskFIQ: fiq)
        return true
    }
}
