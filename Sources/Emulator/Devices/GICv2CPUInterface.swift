/// The GICv2 CPU interface register window (GICC_*, IHI 0048B §4.4), banked by the accessing
/// CPU: each core sees its own interface at the same address.
///
/// Accesses: aligned 32-bit only (§4.1.4); other widths are refused (external abort). Offsets
/// with no register read as zero and ignore writes; write-only registers read as zero.
final class GICv2CPUInterface: MMIODevice {
    let name: String
    unowned let gic: GICv2

    init(gic: GICv2, name: String) {
        self.gic = gic
        self.name = name
    }

    func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard size == 4, offset & 3 == 0, cpu >= 0, cpu < gic.cpuCount else { return nil }
        return UInt64(gic.cpuInterfaceRead(offset: offset, cpu: cpu))
    }

    func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard size == 4, offset & 3 == 0, cpu >= 0, cpu < gic.cpuCount else { return false }
        gic.cpuInterfaceWrite(offset: offset, value: UInt32(truncatingIfNeeded: value), cpu: cpu)
        return true
    }
}

// MARK: - Register semantics

extension GICv2 {
    /// GICC_IIDR of GIC-400: ProductID 0x02, architecture version 2, revision 1, ARM (0x43B).
    static let cpuInterfaceIIDR: UInt32 = 0x0202_143B

    func cpuInterfaceRead(offset: UInt64, cpu: Int) -> UInt32 {
        switch offset {
        case 0x00: return cpuControl[cpu]
        case 0x04: return UInt32(priorityMask[cpu])
        case 0x08: return binaryPoint[cpu]
        case 0x0C: return acknowledge(cpu: cpu, aliased: false)
        case 0x14: return runningPriority[cpu] == GICv2.idlePriority ? 0xFF : UInt32(runningPriority[cpu])
        case 0x18: return highestPending(cpu: cpu, aliased: false)
        case 0x1C: return aliasedBinaryPoint[cpu]
        case 0x20: return acknowledge(cpu: cpu, aliased: true)
        case 0x28: return highestPending(cpu: cpu, aliased: true)
        case 0xD0..<0xE0:
            let n = Int(offset - 0xD0) >> 2
            return n < activePriorityWords ? activePriorities[cpu << 2 | n] : 0
        case 0xE0..<0xF0:
            let n = Int(offset - 0xE0) >> 2
            return n < activePriorityWords ? nsActivePriorities[cpu << 2 | n] : 0
        case 0xFC: return GICv2.cpuInterfaceIIDR
        default:
            // GICC_EOIR, GICC_AEOIR and GICC_DIR are write-only; reserved offsets read as zero.
            return 0
        }
    }

    func cpuInterfaceWrite(offset: UInt64, value: UInt32, cpu: Int) {
        switch offset {
        case 0x00:
            cpuControl[cpu] = value & GICv2.ctlrWritable
        case 0x04:
            priorityMask[cpu] = UInt8(truncatingIfNeeded: value) & priorityFieldMask
        case 0x08:
            // Values below the minimum binary point read back as the minimum (§4.4.3).
            binaryPoint[cpu] = max(value & 7, minimumBinaryPoint)
        case 0x10:
            endOfInterrupt(cpu: cpu, value: value, aliased: false)
        case 0x1C:
            aliasedBinaryPoint[cpu] = max(value & 7, minimumBinaryPoint + 1)
        case 0x24:
            endOfInterrupt(cpu: cpu, value: value, aliased: true)
        case 0xD0..<0xE0:
            let n = Int(offset - 0xD0) >> 2
            guard n < activePriorityWords else { return }
            activePriorities[cpu << 2 | n] = value & activePriorityWordMask
            recomputeRunningPriority(cpu: cpu)
        case 0xE0..<0xF0:
            let n = Int(offset - 0xE0) >> 2
            guard n < activePriorityWords else { return }
            nsActivePriorities[cpu << 2 | n] = value & activePriorityWordMask
            recomputeRunningPriority(cpu: cpu)
        case 0x1000:
            // GICC_DIR deactivates only in split-EOI mode; otherwise the write is
            // UNPREDICTABLE (§4.4.15) and, as in QEMU, ignored.
            guard cpuControl[cpu] & GICv2.ctlrEOImodeS != 0 else { return }
            let id = Int(value & 0x3FF)
            guard id < interruptCount else { return }
            deactivate(id: id, cpu: cpu)
            updateLines(afterChangeOf: id, cpu: cpu)
            return
        default:
            // GICC_IAR, RPR, HPPIR, AIAR, AHPPIR and IIDR are read-only; reserved offsets.
            return
        }
        updateLines(cpu: cpu)
    }

    /// The value GICC_IAR (or, `aliased`, GICC_AIAR) returns, and the acknowledgement it
    /// performs (§3.2.4, §4.4.4): the highest-priority pending interrupt that passes GICC_PMR and
    /// can preempt the running priority becomes active (active and pending if its level input
    /// is still high, or another source CPU still has the SGI pending). Through GICC_IAR a
    /// Group 1 interrupt is acknowledged only when GICC_CTLR.AckCtl is set, otherwise the read
    /// returns 1022; through GICC_AIAR only Group 1 interrupts are seen. 1023 = spurious.
    func acknowledge(cpu: Int, aliased: Bool) -> UInt32 {
        guard let id = highestPendingAbovePriorityMask(cpu: cpu), canPreempt(id: id, cpu: cpu) else {
            return GICv2.spurious
        }
        let group1 = isGroup1(id: id, cpu: cpu)
        if aliased {
            guard group1 else { return GICv2.spurious }
        } else if group1 && cpuControl[cpu] & GICv2.ctlrAckCtl == 0 {
            return 1022
        }
        var value = UInt32(id)
        let bit: UInt32 = 1 << UInt32(id & 31)
        if id < 16 {
            // The lowest-numbered source CPU is served first (QEMU does the same).
            let sources = sgiSources[cpu << 4 | id]
            guard sources != 0 else { return GICv2.spurious }
            let source = sources.trailingZeroBitCount
            setSGISources(target: cpu, sgi: id, sources: sources & ~(1 << UInt8(source)))
            value |= UInt32(source) << 10
            privateActive[cpu] |= bit
            if host.observed { host.emit(.ipiTaken(source: source, interrupt: id), cpu: cpu) }
        } else if id < 32 {
            privatePendingLatch[cpu] &= ~bit
            privateActive[cpu] |= bit
        } else {
            spiPendingLatch[id >> 5] &= ~bit
            spiActive[id >> 5] |= bit
        }
        let level = Int(groupPriority(priority(id: id, cpu: cpu), group1: group1, cpu: cpu))
            >> (minimumBinaryPoint + 1)
        let index = cpu << 2 | level >> 5
        if group1 {
            nsActivePriorities[index] |= 1 << UInt32(level & 31)
        } else {
            activePriorities[index] |= 1 << UInt32(level & 31)
        }
        recomputeRunningPriority(cpu: cpu)
        updateLines(afterChangeOf: id, cpu: cpu)
        return value
    }

    /// GICC_HPPIR / GICC_AHPPIR: the highest-priority pending interrupt passing GICC_PMR, with
    /// the source CPU in [12:10] for an SGI, under the same group rules as acknowledgement.
    func highestPending(cpu: Int, aliased: Bool) -> UInt32 {
        guard let id = highestPendingAbovePriorityMask(cpu: cpu) else { return GICv2.spurious }
        let group1 = isGroup1(id: id, cpu: cpu)
        if aliased {
            guard group1 else { return GICv2.spurious }
        } else if group1 && cpuControl[cpu] & GICv2.ctlrAckCtl == 0 {
            return 1022
        }
        if id < 16 {
            let sources = sgiSources[cpu << 4 | id]
            return UInt32(id) | UInt32(sources.trailingZeroBitCount & 7) << 10
        }
        return UInt32(id)
    }

    /// GICC_EOIR / GICC_AEOIR (§4.4.5, §3.2.5): priority drop of the highest active priority,
    /// and deactivation of the written interrupt unless GICC_CTLR.EOImode splits it off to
    /// GICC_DIR. IDs of interrupts that do not exist (1020–1023 included) are ignored, and so is
    /// an EOI with no active priority. Through GICC_AEOIR only Group 1 interrupts can be ended.
    func endOfInterrupt(cpu: Int, value: UInt32, aliased: Bool) {
        let id = Int(value & 0x3FF)
        guard id < interruptCount else { return }
        if aliased && !isGroup1(id: id, cpu: cpu) { return }
        guard runningPriority[cpu] != GICv2.idlePriority else { return }
        dropPriority(cpu: cpu)
        if cpuControl[cpu] & GICv2.ctlrEOImodeS == 0 {
            deactivate(id: id, cpu: cpu)
        }
        updateLines(afterChangeOf: id, cpu: cpu)
    }

    /// The implemented bits of a GICC_APRn word: one per preemption level (16 levels with 4
    /// priority bits, 32 with 5, all 32 bits of each of four words with 8).
    var activePriorityWordMask: UInt32 {
        let levels = 256 >> (minimumBinaryPoint + 1)
        return levels >= 32 ? 0xFFFF_FFFF : (1 << UInt32(levels)) - 1
    }

    func deactivate(id: Int, cpu: Int) {
        let bit: UInt32 = 1 << UInt32(id & 31)
        if id < 32 {
            privateActive[cpu] &= ~bit
        } else {
            spiActive[id >> 5] &= ~bit
        }
    }

    /// Clear the highest-priority (lowest-numbered) active preemption level of either group.
    func dropPriority(cpu: Int) {
        for n in 0..<activePriorityWords {
            let group0 = activePriorities[cpu << 2 | n]
            let group1 = nsActivePriorities[cpu << 2 | n]
            guard group0 | group1 != 0 else { continue }
            let lowest = (group0 | group1) & ~((group0 | group1) &- 1)
            if group0 & lowest != 0 {
                activePriorities[cpu << 2 | n] = group0 & ~lowest
            } else {
                nsActivePriorities[cpu << 2 | n] = group1 & ~lowest
            }
            break
        }
        recomputeRunningPriority(cpu: cpu)
    }

    /// The running priority is the group priority of the highest active preemption level.
    func recomputeRunningPriority(cpu: Int) {
        for n in 0..<activePriorityWords {
            let bits = activePriorities[cpu << 2 | n] | nsActivePriorities[cpu << 2 | n]
            if bits != 0 {
                let level = n << 5 | bits.trailingZeroBitCount
                runningPriority[cpu] = UInt16(truncatingIfNeeded: level << (minimumBinaryPoint + 1))
                return
            }
        }
        runningPriority[cpu] = GICv2.idlePriority
    }
}
