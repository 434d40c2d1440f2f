/// The GICv2 Virtualization Extensions (ARM IHI 0048B chapter 5): the virtual interface
/// control registers GICH_* a hypervisor programs (§5.3), the list-register state machine the
/// virtual CPU interface GICV_* drives (§5.4, `GICv2VirtualCPUInterface.swift`), the maintenance
/// interrupt, and the virtual IRQ/FIQ lines into the cores.
///
/// Per CPU there are four list registers (GICH_VTR.ListRegs = 3, as on the A15 MPCore and
/// GIC-400). A list register GICH_LRn holds VirtualID [9:0], PhysicalID [19:10] when HW = 1 or
/// CPUID [12:10] and EOI [19] when HW = 0, Priority [27:23] (the top five bits of the virtual
/// priority), State [29:28] (0 invalid, 1 pending, 2 active, 3 pending and active), Grp1 [30],
/// HW [31]. GICH_EISR, GICH_ELRSR and GICH_MISR are computed from the list registers and
/// GICH_HCR whenever they are read (they are views of that state, §5.3.4–5.3.7).
///
/// The GICH window is 0x200 bytes of registers; the banked window (`gich`) shows the accessing
/// CPU's, the alias window (`gich-alias`, A15 MPCore / GIC-400 at GICH + 0x1000) shows CPU n's
/// at n × 0x200 (QEMU hw/cpu/a15mpcore.c maps the same). Accesses: aligned 32-bit only; others
/// abort. Offsets without a register read as zero and ignore writes.
final class GICv2HypervisorInterface: MMIODevice {
    let name: String
    unowned let gic: GICv2
    let perCPUAliases: Bool

    init(gic: GICv2, name: String, perCPUAliases: Bool) {
        self.gic = gic
        self.name = name
        self.perCPUAliases = perCPUAliases
    }

    /// The CPU whose interface an access reaches and the register offset, or nil for an access
    /// the window refuses.
    private func target(offset: UInt64, size: Int, cpu: Int) -> (cpu: Int, offset: UInt64)? {
        guard size == 4, offset & 3 == 0, cpu >= 0, cpu < gic.cpuCount else { return nil }
        guard perCPUAliases else { return (cpu, offset) }
        // CPU n's registers at n × 0x200; windows of CPUs the GIC does not serve are unmapped
        // (QEMU maps one 0x200 region per CPU and nothing else there).
        let owner = Int(truncatingIfNeeded: offset >> 9)
        guard offset < 0x1000, owner < gic.cpuCount else { return nil }
        return (owner, offset & 0x1FF)
    }

    func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard let t = target(offset: offset, size: size, cpu: cpu) else { return nil }
        return UInt64(gic.hypervisorRead(offset: t.offset, cpu: t.cpu))
    }

    func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard let t = target(offset: offset, size: size, cpu: cpu) else { return false }
        gic.hypervisorWrite(offset: t.offset, value: UInt32(truncatingIfNeeded: value), cpu: t.cpu)
        return true
    }
}

// MARK: - Register semantics

extension GICv2 {
    static let listRegisterCount = 4

    // GICH_HCR (§5.3.1): En [0], UIE [1], LRENPIE [2], NPIE [3], VGrp0EIE [4], VGrp0DIE [5],
    // VGrp1EIE [6], VGrp1DIE [7], EOICount [31:27].
    static let hcrEn: UInt32 = 1 << 0
    static let hcrUIE: UInt32 = 1 << 1
    static let hcrLRENPIE: UInt32 = 1 << 2
    static let hcrNPIE: UInt32 = 1 << 3
    static let hcrVGrp0EIE: UInt32 = 1 << 4
    static let hcrVGrp0DIE: UInt32 = 1 << 5
    static let hcrVGrp1EIE: UInt32 = 1 << 6
    static let hcrVGrp1DIE: UInt32 = 1 << 7
    static let hcrEOICountShift: UInt32 = 27
    static let hcrWritable: UInt32 = 0xF800_00FF

    // GICH_MISR (§5.3.4).
    static let misrEOI: UInt32 = 1 << 0
    static let misrU: UInt32 = 1 << 1
    static let misrLRENP: UInt32 = 1 << 2
    static let misrNP: UInt32 = 1 << 3
    static let misrVGrp0E: UInt32 = 1 << 4
    static let misrVGrp0D: UInt32 = 1 << 5
    static let misrVGrp1E: UInt32 = 1 << 6
    static let misrVGrp1D: UInt32 = 1 << 7

    // GICH_VMCR (§5.3.3): the guest's GICV_CTLR bits VMGrp0En [0], VMGrp1En [1], VMAckCtl [2],
    // VMFIQEn [3], VMCBPR [4], VEM [9]; VMABP [20:18], VMBP [23:21], VMPriMask [31:27].
    static let vmcrControlBits: UInt32 = 0x21F
    static let vmcrABPShift: UInt32 = 18
    static let vmcrBPShift: UInt32 = 21
    static let vmcrPriMaskShift: UInt32 = 27

    // GICH_LRn fields.
    static let lrHW: UInt32 = 1 << 31
    static let lrGrp1: UInt32 = 1 << 30
    static let lrEOI: UInt32 = 1 << 19
    static let lrStateShift: UInt32 = 28
    static let lrPending: UInt32 = 1
    static let lrActive: UInt32 = 2

    /// GICH_VTR (§5.3.2): PRIbits [31:29] and PREbits [28:26] = priority bits − 1 (the virtual
    /// interface preempts on every implemented bit), ListRegs [5:0] = list registers − 1:
    /// 0x90000003 with five bits, as the Cortex-A15 MPCore and GIC-400 report.
    var virtualTypeRegister: UInt32 {
        let bits = UInt32(virtualPriorityBits - 1)
        return bits << 29 | bits << 26 | UInt32(GICv2.listRegisterCount - 1)
    }

    /// The writable bits of a list register: everything but the reserved [22:20] and the
    /// Priority bits the virtual interface does not implement.
    var listRegisterWritable: UInt32 {
        0xF08F_FFFF | UInt32(virtualPriorityFieldMask >> 3) << 23
    }

    func hypervisorRead(offset: UInt64, cpu: Int) -> UInt32 {
        switch offset {
        case 0x00: return hypervisorControl[cpu]
        case 0x04: return virtualTypeRegister
        case 0x08: return virtualMachineControl[cpu]
        case 0x10: return maintenanceStatus(cpu: cpu)
        case 0x20: return endOfInterruptStatus(cpu: cpu)
        case 0x30: return emptyListRegisterStatus(cpu: cpu)
        case 0x24, 0x34: return 0   // EISR1 / ELRSR1: list registers 32–63 do not exist
        case 0xF0: return virtualActivePriorities[cpu]
        case 0x100..<0x200:
            let n = Int(offset - 0x100) >> 2
            return n < GICv2.listRegisterCount ? listRegisters[cpu &* GICv2.listRegisterCount &+ n] : 0
        default:
            return 0
        }
    }

    func hypervisorWrite(offset: UInt64, value: UInt32, cpu: Int) {
        switch offset {
        case 0x00:
            hypervisorControl[cpu] = value & GICv2.hcrWritable
        case 0x08:
            writeVirtualMachineControl(value, cpu: cpu)
        case 0xF0:
            virtualActivePriorities[cpu] = value & virtualActivePriorityMask
        case 0x100..<0x200:
            let n = Int(offset - 0x100) >> 2
            guard n < GICv2.listRegisterCount else { return }
            listRegisters[cpu &* GICv2.listRegisterCount &+ n] = value & listRegisterWritable
        default:
            // GICH_VTR, MISR, EISRn and ELRSRn are read-only; reserved offsets.
            return
        }
        updateVirtualInterface(cpu: cpu)
    }

    /// GICH_VMCR write: the binary points read back at least their minimum and the priority
    /// mask keeps the implemented bits (the same rules as the guest's own GICV_BPR/ABPR/PMR).
    func writeVirtualMachineControl(_ value: UInt32, cpu: Int) {
        let bp = max((value >> GICv2.vmcrBPShift) & 7, virtualMinimumBinaryPoint)
        let abp = max((value >> GICv2.vmcrABPShift) & 7, virtualMinimumBinaryPoint + 1)
        let mask = UInt32(UInt8(truncatingIfNeeded: (value >> GICv2.vmcrPriMaskShift) << 3) & virtualPriorityFieldMask) >> 3
        virtualMachineControl[cpu] = (value & GICv2.vmcrControlBits) | bp << GICv2.vmcrBPShift
            | abp << GICv2.vmcrABPShift | mask << GICv2.vmcrPriMaskShift
    }

    /// The implemented bits of GICH_APR / GICV_APR0: one per preemption level (32 with five
    /// priority bits).
    var virtualActivePriorityMask: UInt32 {
        let levels = 256 >> (virtualMinimumBinaryPoint + 1)
        return levels >= 32 ? 0xFFFF_FFFF : (1 << UInt32(levels)) - 1
    }

    // MARK: List register views

    func listRegister(_ n: Int, cpu: Int) -> UInt32 {
        listRegisters[cpu &* GICv2.listRegisterCount &+ n]
    }

    func listRegisterState(_ lr: UInt32) -> UInt32 { (lr >> GICv2.lrStateShift) & 3 }

    /// GICH_EISR0 (§5.3.5): LRs whose interrupt was deactivated with EOI maintenance requested
    /// (state invalid, HW = 0, EOI = 1).
    func endOfInterruptStatus(cpu: Int) -> UInt32 {
        var bits: UInt32 = 0
        for n in 0..<GICv2.listRegisterCount {
            let lr = listRegister(n, cpu: cpu)
            if listRegisterState(lr) == 0 && lr & GICv2.lrHW == 0 && lr & GICv2.lrEOI != 0 { bits |= 1 << UInt32(n) }
        }
        return bits
    }

    /// GICH_ELRSR0 (§5.3.6): LRs that hold no interrupt and no EOI maintenance request — the
    /// ones the hypervisor may fill.
    func emptyListRegisterStatus(cpu: Int) -> UInt32 {
        var bits: UInt32 = 0
        for n in 0..<GICv2.listRegisterCount {
            let lr = listRegister(n, cpu: cpu)
            if listRegisterState(lr) == 0 && (lr & GICv2.lrHW != 0 || lr & GICv2.lrEOI == 0) { bits |= 1 << UInt32(n) }
        }
        return bits
    }

    /// GICH_MISR (§5.3.4): the maintenance conditions that hold now.
    func maintenanceStatus(cpu: Int) -> UInt32 {
        let hcr = hypervisorControl[cpu]
        let vmcr = virtualMachineControl[cpu]
        var status: UInt32 = 0
        if endOfInterruptStatus(cpu: cpu) != 0 { status |= GICv2.misrEOI }
        var valid = 0
        var pending = false
        for n in 0..<GICv2.listRegisterCount {
            let state = listRegisterState(listRegister(n, cpu: cpu))
            if state != 0 { valid += 1 }
            if state == GICv2.lrPending { pending = true }
        }
        // Underflow: none or only one of the list registers holds a valid interrupt.
        if hcr & GICv2.hcrUIE != 0 && valid <= 1 { status |= GICv2.misrU }
        // List Register Entry Not Present: EOICount is not zero.
        if hcr & GICv2.hcrLRENPIE != 0 && hcr >> GICv2.hcrEOICountShift != 0 { status |= GICv2.misrLRENP }
        // No Pending: no list register is in the pending state.
        if hcr & GICv2.hcrNPIE != 0 && !pending { status |= GICv2.misrNP }
        let grp0 = vmcr & GICv2.ctlrEnableGrp0 != 0, grp1 = vmcr & GICv2.ctlrEnableGrp1 != 0
        if hcr & GICv2.hcrVGrp0EIE != 0 && grp0 { status |= GICv2.misrVGrp0E }
        if hcr & GICv2.hcrVGrp0DIE != 0 && !grp0 { status |= GICv2.misrVGrp0D }
        if hcr & GICv2.hcrVGrp1EIE != 0 && grp1 { status |= GICv2.misrVGrp1E }
        if hcr & GICv2.hcrVGrp1DIE != 0 && !grp1 { status |= GICv2.misrVGrp1D }
        return status
    }

    // MARK: The virtual CPU interface's view

    /// The virtual priority of a list register: its five Priority bits are priority[7:3].
    func virtualPriority(_ lr: UInt32) -> UInt8 {
        UInt8(truncatingIfNeeded: (lr >> 23) & 0x1F) << 3
    }

    /// Group priority of a virtual priority (§3.3.3 applied to GICV_BPR / GICV_ABPR, i.e.
    /// GICH_VMCR.VMBP / VMABP; VMCBPR makes Group 1 use VMBP).
    func virtualGroupPriority(_ priority: UInt8, group1: Bool, cpu: Int) -> UInt16 {
        let vmcr = virtualMachineControl[cpu]
        let shift: UInt32
        if group1 && vmcr & GICv2.ctlrCBPR == 0 {
            shift = (vmcr >> GICv2.vmcrABPShift) & 7
        } else {
            shift = ((vmcr >> GICv2.vmcrBPShift) & 7) + 1
        }
        return UInt16(priority) & UInt16(truncatingIfNeeded: 0xFF << shift) & 0xFF
    }

    /// The virtual running priority: the group priority of the highest active level in
    /// GICH_APR, `idlePriority` when none.
    func virtualRunningPriority(cpu: Int) -> UInt16 {
        let bits = virtualActivePriorities[cpu]
        guard bits != 0 else { return GICv2.idlePriority }
        return UInt16(truncatingIfNeeded: bits.trailingZeroBitCount << (virtualMinimumBinaryPoint + 1))
    }

    func virtualPriorityMask(cpu: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: (virtualMachineControl[cpu] >> GICv2.vmcrPriMaskShift) << 3)
    }

    /// The highest-priority pending list register whose group the guest enabled
    /// (GICH_VMCR.VMGrp0En / VMGrp1En) and whose priority passes GICV_PMR; ties go to the
    /// lowest-numbered LR. Returns its index, or nil.
    func highestPendingListRegister(cpu: Int) -> Int? {
        let vmcr = virtualMachineControl[cpu]
        let mask = virtualPriorityMask(cpu: cpu)
        var best: Int?
        var bestPriority: UInt8 = 0xFF
        for n in 0..<GICv2.listRegisterCount {
            let lr = listRegister(n, cpu: cpu)
            guard listRegisterState(lr) == GICv2.lrPending else { continue }
            let enabled = lr & GICv2.lrGrp1 != 0 ? vmcr & GICv2.ctlrEnableGrp1 : vmcr & GICv2.ctlrEnableGrp0
            guard enabled != 0 else { continue }
            let p = virtualPriority(lr)
            if p < mask && (best == nil || p < bestPriority) {
                best = n
                bestPriority = p
            }
        }
        return best
    }

    /// Whether list register `n` (pending, past the mask) preempts the virtual running priority.
    func listRegisterCanPreempt(_ n: Int, cpu: Int) -> Bool {
        let lr = listRegister(n, cpu: cpu)
        return virtualGroupPriority(virtualPriority(lr), group1: lr & GICv2.lrGrp1 != 0, cpu: cpu)
            < virtualRunningPriority(cpu: cpu)
    }

    /// The ID GICV_IAR / GICV_HPPIR report for a list register: VirtualID, with the source CPU
    /// in [12:10] for a software-triggered interrupt (VirtualID < 16, HW = 0).
    func virtualInterruptID(_ lr: UInt32) -> UInt32 {
        let id = lr & 0x3FF
        if id < 16 && lr & GICv2.lrHW == 0 { return id | (lr & 0x1C00) }
        return id
    }

    // MARK: The state machine

    /// GICV_IAR / GICV_AIAR (§5.4): the highest-priority pending LR that passes the mask and
    /// preempts becomes active (pending → active) and its preemption level is set in GICH_APR.
    /// With GICH_HCR.En = 0 the read returns the spurious ID (§5.3.1). The group rules are the
    /// physical interface's: Group 1 through GICV_IAR only with VMAckCtl (else 1022), GICV_AIAR
    /// sees only Group 1.
    func virtualAcknowledge(cpu: Int, aliased: Bool) -> UInt32 {
        guard hypervisorControl[cpu] & GICv2.hcrEn != 0,
              let n = highestPendingListRegister(cpu: cpu), listRegisterCanPreempt(n, cpu: cpu) else {
            return GICv2.spurious
        }
        let index = cpu &* GICv2.listRegisterCount &+ n
        let lr = listRegisters[index]
        let group1 = lr & GICv2.lrGrp1 != 0
        if aliased {
            guard group1 else { return GICv2.spurious }
        } else if group1 && virtualMachineControl[cpu] & GICv2.ctlrAckCtl == 0 {
            return 1022
        }
        listRegisters[index] = (lr & ~(3 << GICv2.lrStateShift)) | GICv2.lrActive << GICv2.lrStateShift
        let level = Int(virtualGroupPriority(virtualPriority(lr), group1: group1, cpu: cpu))
            >> (virtualMinimumBinaryPoint + 1)
        virtualActivePriorities[cpu] |= 1 << UInt32(level & 31)
        updateVirtualInterface(cpu: cpu)
        return virtualInterruptID(lr)
    }

    /// GICV_HPPIR / GICV_AHPPIR: the highest pending LR's ID under the same rules, no change.
    func virtualHighestPending(cpu: Int, aliased: Bool) -> UInt32 {
        guard hypervisorControl[cpu] & GICv2.hcrEn != 0, let n = highestPendingListRegister(cpu: cpu) else {
            return GICv2.spurious
        }
        let lr = listRegister(n, cpu: cpu)
        let group1 = lr & GICv2.lrGrp1 != 0
        if aliased {
            guard group1 else { return GICv2.spurious }
        } else if group1 && virtualMachineControl[cpu] & GICv2.ctlrAckCtl == 0 {
            return 1022
        }
        return virtualInterruptID(lr)
    }

    /// GICV_EOIR / GICV_AEOIR: priority drop (the highest active level in GICH_APR), then —
    /// unless GICH_VMCR.VEM (GICV_CTLR.EOImode) splits it off to GICV_DIR — deactivation of the
    /// LR holding the interrupt. A spurious ID (1020–1023) is ignored altogether, as a write of
    /// one to GICC_EOIR is (§4.4.5; QEMU 7.2's gic_complete_irq likewise). An EOI whose
    /// interrupt is in no LR counts in GICH_HCR.EOICount only if it cleared a bit in GICH_APR
    /// (§5.3.1: "EOIs that do not clear a bit in the Active Priorities register GICH_APR do not
    /// cause an increment"). An EOI with no active priority whose interrupt is still active in
    /// an LR (the guest broke the IAR/EOIR nesting: UNPREDICTABLE) deactivates it, as QEMU 7.2.
    func virtualEndOfInterrupt(cpu: Int, value: UInt32, aliased: Bool) {
        guard value & 0x3FF < 1020 else { return }
        let n = activeListRegister(for: value, cpu: cpu)
        if aliased, let n, listRegister(n, cpu: cpu) & GICv2.lrGrp1 == 0 {
            return   // GICV_AEOIR ends Group 1 interrupts only
        }
        let apr = virtualActivePriorities[cpu]
        virtualActivePriorities[cpu] = apr & (apr &- 1)
        if virtualMachineControl[cpu] & GICv2.ctlrEOImodeS == 0 {
            if let n {
                deactivateListRegister(n, cpu: cpu)
            } else if apr != 0 {
                countEOIWithoutListRegister(cpu: cpu)
            }
        }
        updateVirtualInterface(cpu: cpu)
    }

    /// GICV_DIR: deactivation in split-EOI mode (UNPREDICTABLE otherwise: ignored, as GICC_DIR);
    /// a spurious ID is ignored; an interrupt in no LR counts in EOICount (QEMU 7.2's
    /// gic_deactivate_irq the same).
    func virtualDeactivateWrite(value: UInt32, cpu: Int) {
        guard virtualMachineControl[cpu] & GICv2.ctlrEOImodeS != 0, value & 0x3FF < 1020 else { return }
        if let n = activeListRegister(for: value, cpu: cpu) {
            deactivateListRegister(n, cpu: cpu)
        } else {
            countEOIWithoutListRegister(cpu: cpu)
        }
        updateVirtualInterface(cpu: cpu)
    }

    /// GICH_HCR.EOICount [31:27] + 1 (it wraps in its five bits: the hypervisor is expected
    /// to read and clear it from the LRENP maintenance interrupt).
    func countEOIWithoutListRegister(cpu: Int) {
        hypervisorControl[cpu] = hypervisorControl[cpu] &+ (1 << GICv2.hcrEOICountShift)
    }

    /// The active (or pending and active) LR holding the interrupt an EOIR/DIR value names:
    /// the same VirtualID and, for an SGI with HW = 0, the same source CPU in [12:10] (the
    /// EOIR value must be the one GICV_IAR returned, CPUID included, §4.4.5 / §5.3.8). QEMU 7.2
    /// (gic_virq_is_valid) compares the VirtualID only, so there an SGI EOI naming another
    /// source CPU still ends the LR; here it counts in EOICount.
    func activeListRegister(for value: UInt32, cpu: Int) -> Int? {
        let id = value & 0x3FF
        for n in 0..<GICv2.listRegisterCount {
            let lr = listRegister(n, cpu: cpu)
            guard listRegisterState(lr) & GICv2.lrActive != 0, lr & 0x3FF == id else { continue }
            if id < 16 && lr & GICv2.lrHW == 0 && (lr ^ value) & 0x1C00 != 0 { continue }
            return n
        }
        return nil
    }

    /// Deactivate list register `n` (§5.4): active → invalid, pending and active → pending.
    /// HW = 1 deactivates the physical interrupt PhysicalID in the Distributor — every
    /// deactivation of the virtual interrupt does ("a deactivate of the virtual interrupt also
    /// causes a deactivate of the physical interrupt", GICH_LRn.HW, §5.3.8); an SGI's or a
    /// non-existent PhysicalID is ignored (UNPREDICTABLE). HW = 0 with EOI set leaves the LR
    /// invalid with EOI set: GICH_EISR and MISR.EOI report it until the hypervisor rewrites it.
    func deactivateListRegister(_ n: Int, cpu: Int) {
        let index = cpu &* GICv2.listRegisterCount &+ n
        let lr = listRegisters[index]
        listRegisters[index] = lr & ~(GICv2.lrActive << GICv2.lrStateShift)
        if lr & GICv2.lrHW != 0 {
            let physical = Int((lr >> 10) & 0x3FF)
            guard physical >= 16, physical < interruptCount else { return }
            deactivate(id: physical, cpu: cpu)
            updateLines(afterChangeOf: physical, cpu: cpu)
        }
    }

    // MARK: Signalling

    /// Recompute CPU `cpu`'s virtual IRQ/FIQ and its maintenance interrupt. A pending LR that
    /// passes GICV_PMR and preempts the virtual running priority is signalled as a virtual FIQ
    /// when it is Group 0 and VMFIQEn is set, otherwise as a virtual IRQ; nothing is signalled
    /// while GICH_HCR.En = 0. The maintenance interrupt (a level-sensitive PPI) is asserted
    /// while GICH_HCR.En = 1 and GICH_MISR ≠ 0 (§5.3.1, §5.3.4).
    func updateVirtualInterface(cpu: Int) {
        guard hasVirtualization else { return }
        let enabled = hypervisorControl[cpu] & GICv2.hcrEn != 0
        var virq = false
        var vfiq = false
        if enabled, let n = highestPendingListRegister(cpu: cpu), listRegisterCanPreempt(n, cpu: cpu) {
            let lr = listRegister(n, cpu: cpu)
            if lr & GICv2.lrGrp1 == 0 && virtualMachineControl[cpu] & GICv2.ctlrFIQEn != 0 {
                vfiq = true
            } else {
                virq = true
            }
        }
        if virq != virtualIRQLine[cpu] || vfiq != virtualFIQLine[cpu] {
            virtualIRQLine[cpu] = virq
            virtualFIQLine[cpu] = vfiq
            host.setVirtualInterruptLines(cpu: cpu, irq: virq, fiq: vfiq)
        }
        let maintenance = enabled && maintenanceStatus(cpu: cpu) != 0
        if maintenance != maintenanceLevel[cpu] {
            maintenanceLevel[cpu] = maintenance
            if let id = maintenanceInterrupt { setPPI(cpu: cpu, id: id, level: maintenance) }
        }
    }
}
