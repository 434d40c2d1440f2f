/// The GICv2 virtual CPU interface (GICV_*, IHI 0048B §5.4), banked by the accessing CPU: the
/// register layout of GICC, served from that CPU's list registers and GICH_VMCR
/// (`GICv2Virtualization.swift`). A guest maps it where it expects its CPU interface.
///
/// GICV_CTLR is GICH_VMCR's control bits (EnableGrp0/1, AckCtl, FIQEn, CBPR, EOImode [9]);
/// GICV_PMR its VMPriMask, GICV_BPR / ABPR its VMBP / VMABP; GICV_APR0 is GICH_APR (GICV_NSAPRn
/// read as zero: the virtual interface has one set of active priorities).
///
/// Accesses: aligned 32-bit only; other widths abort. Reserved offsets read as zero and ignore
/// writes; write-only registers read as zero.
final class GICv2VirtualCPUInterface: MMIODevice {
    let name: String
    unowned let gic: GICv2

    init(gic: GICv2, name: String) {
        self.gic = gic
        self.name = name
    }

    func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard size == 4, offset & 3 == 0, cpu >= 0, cpu < gic.cpuCount else { return nil }
        return UInt64(gic.virtualCPUInterfaceRead(offset: offset, cpu: cpu))
    }

    func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard size == 4, offset & 3 == 0, cpu >= 0, cpu < gic.cpuCount else { return false }
        gic.virtualCPUInterfaceWrite(offset: offset, value: UInt32(truncatingIfNeeded: value), cpu: cpu)
        return true
    }
}

// MARK: - Register semantics

extension GICv2 {
    func virtualCPUInterfaceRead(offset: UInt64, cpu: Int) -> UInt32 {
        let vmcr = virtualMachineControl[cpu]
        switch offset {
        case 0x00: return vmcr & GICv2.vmcrControlBits
        case 0x04: return UInt32(virtualPriorityMask(cpu: cpu))
        case 0x08: return (vmcr >> GICv2.vmcrBPShift) & 7
        case 0x0C: return virtualAcknowledge(cpu: cpu, aliased: false)
        case 0x14:
            let running = virtualRunningPriority(cpu: cpu)
            return running == GICv2.idlePriority ? 0xFF : UInt32(running)
        case 0x18: return virtualHighestPending(cpu: cpu, aliased: false)
        case 0x1C: return (vmcr >> GICv2.vmcrABPShift) & 7
        case 0x20: return virtualAcknowledge(cpu: cpu, aliased: true)
        case 0x28: return virtualHighestPending(cpu: cpu, aliased: true)
        case 0xD0: return virtualActivePriorities[cpu]
        case 0xFC: return GICv2.cpuInterfaceIIDR
        default:
            // GICV_EOIR, AEOIR and DIR are write-only; GICV_APR1–3 and NSAPRn read as zero.
            return 0
        }
    }

    func virtualCPUInterfaceWrite(offset: UInt64, value: UInt32, cpu: Int) {
        let vmcr = virtualMachineControl[cpu]
        switch offset {
        case 0x00:
            virtualMachineControl[cpu] = (vmcr & ~GICv2.vmcrControlBits) | (value & GICv2.vmcrControlBits)
        case 0x04:
            let mask = UInt32(UInt8(truncatingIfNeeded: value) & virtualPriorityFieldMask) >> 3
            virtualMachineControl[cpu] = (vmcr & ~(0x1F << GICv2.vmcrPriMaskShift)) | mask << GICv2.vmcrPriMaskShift
        case 0x08:
            let bp = max(value & 7, virtualMinimumBinaryPoint)
            virtualMachineControl[cpu] = (vmcr & ~(7 << GICv2.vmcrBPShift)) | bp << GICv2.vmcrBPShift
        case 0x10:
            virtualEndOfInterrupt(cpu: cpu, value: value, aliased: false)
            return
        case 0x1C:
            let abp = max(value & 7, virtualMinimumBinaryPoint + 1)
            virtualMachineControl[cpu] = (vmcr & ~(7 << GICv2.vmcrABPShift)) | abp << GICv2.vmcrABPShift
        case 0x24:
            virtualEndOfInterrupt(cpu: cpu, value: value, aliased: true)
            return
        case 0xD0:
            virtualActivePriorities[cpu] = value & virtualActivePriorityMask
        case 0x1000:
            virtualDeactivateWrite(value: value, cpu: cpu)
            return
        default:
            return
        }
        updateVirtualInterface(cpu: cpu)
    }
}
