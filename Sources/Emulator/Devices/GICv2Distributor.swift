/// The GICv2 Distributor register window (GICD_*, IHI 0048B §4.3), sharing its state with the
/// CPU interface through the `GICv2` object.
///
/// Accesses: every register takes aligned 32-bit accesses; GICD_IPRIORITYRn, GICD_ITARGETSRn,
/// GICD_CPENDSGIRn and GICD_SPENDSGIRn also take byte accesses (§4.1.4). Any other width or
/// alignment is refused (`nil` / `false`: the bus raises an external abort). Offsets with no
/// register, and registers of interrupts the GIC does not implement, read as zero and ignore
/// writes.
final class GICv2Distributor: MMIODevice {
    let name: String
    unowned let gic: GICv2

    init(gic: GICv2, name: String) {
        self.gic = gic
        self.name = name
    }

    func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard GICv2Distributor.accepts(offset: offset, size: size), cpu >= 0, cpu < gic.cpuCount else {
            return nil
        }
        if size == 1 {
            return UInt64(gic.distributorReadByte(offset: Int(offset), cpu: cpu))
        }
        return UInt64(gic.distributorReadWord(offset: Int(offset), cpu: cpu))
    }

    func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard GICv2Distributor.accepts(offset: offset, size: size), cpu >= 0, cpu < gic.cpuCount else {
            return false
        }
        if size == 1 {
            gic.distributorWriteByte(offset: Int(offset), value: UInt8(truncatingIfNeeded: value), cpu: cpu)
        } else {
            gic.distributorWriteWord(offset: Int(offset), value: UInt32(truncatingIfNeeded: value), cpu: cpu)
        }
        gic.updateAllLines()
        return true
    }

    static func accepts(offset: UInt64, size: Int) -> Bool {
        switch size {
        case 4: return offset & 3 == 0
        case 1: return isByteAccessible(offset)
        default: return false
        }
    }

    static func isByteAccessible(_ offset: UInt64) -> Bool {
        (0x400..<0xC00).contains(offset) || (0xF10..<0xF30).contains(offset)
    }

    /// GICD_PIDR4–7, PIDR0–3, CIDR0–3 at 0xFD0–0xFFC: the GIC-400 values (CoreLink GIC-400 TRM,
    /// DDI 0471; QEMU's `gic_id_gicv2` holds the same bytes). PIDR0/PIDR1 = 0x90/0xB4: part
    /// number 0x490 and ARM's JEP106 code; PIDR2 = 0x2B: ArchRev 2; CIDR0–3 = 0x0D 0xF0 0x05 0xB1.
    static let identification: [UInt32] = [
        0x04, 0x00, 0x00, 0x00, 0x90, 0xB4, 0x2B, 0x00, 0x0D, 0xF0, 0x05, 0xB1,
    ]
}

// MARK: - Register semantics

extension GICv2 {
    /// GICD_IIDR of GIC-400: ProductID 0x02, variant 0, revision 1, implementer 0x43B (ARM).
    static let distributorIIDR: UInt32 = 0x0200_143B

    /// GICD_ICFGR0: SGIs are edge-triggered, read-only. GICD_ICFGR1: GIC-400's PPIs 25–31 are
    /// level-sensitive with Int_config[0] reading 1, read-only. GICD_ICFGRn≥2 read 0x55555555
    /// with Int_config[1] (edge) programmable. Values from the GIC-400 TRM's register summary;
    /// TI SYS/BIOS's Cortex-A15 interrupt driver uses the same reset table.
    static let icfgrSGI: UInt32 = 0xAAAA_AAAA
    static let icfgrPPI: UInt32 = 0x5554_0000

    func distributorReadWord(offset: Int, cpu: Int) -> UInt32 {
        switch offset {
        case 0x000:
            return distributorControl
        case 0x004:
            // GICD_TYPER: ITLinesNumber [4:0], CPUNumber [7:5], SecurityExtn [10] = 0.
            return UInt32(wordCount - 1) | UInt32(cpuCount - 1) << 5
        case 0x008:
            return GICv2.distributorIIDR
        case 0x080..<0x100:
            guard let word = bitWord(offset, base: 0x080) else { return 0 }
            return groupWord(word, cpu: cpu)
        case 0x100..<0x200:
            guard let word = bitWord(offset, base: offset < 0x180 ? 0x100 : 0x180) else { return 0 }
            return enabledWord(word, cpu: cpu)
        case 0x200..<0x300:
            guard let word = bitWord(offset, base: offset < 0x280 ? 0x200 : 0x280) else { return 0 }
            return pendingWord(word, cpu: cpu)
        case 0x300..<0x400:
            guard let word = bitWord(offset, base: offset < 0x380 ? 0x300 : 0x380) else { return 0 }
            return activeWord(word, cpu: cpu)
        case 0x400..<0xC00, 0xF10..<0xF30:
            var value: UInt32 = 0
            for lane in 0..<4 {
                value |= UInt32(distributorReadByte(offset: offset + lane, cpu: cpu)) << UInt32(lane * 8)
            }
            return value
        case 0xC00..<0xD00:
            return interruptConfiguration(register: (offset - 0xC00) >> 2)
        case 0xFD0..<0x1000:
            return GICv2Distributor.identification[(offset - 0xFD0) >> 2]
        default:
            // GICD_SGIR is write-only; reserved and IMPLEMENTATION DEFINED offsets read as zero.
            return 0
        }
    }

    func distributorReadByte(offset: Int, cpu: Int) -> UInt8 {
        switch offset {
        case 0x400..<0x800:
            let id = offset - 0x400
            guard id < interruptCount else { return 0 }
            return priority(id: id, cpu: cpu)
        case 0x800..<0xC00:
            let id = offset - 0x800
            // A uniprocessor GIC's ITARGETSRs are RAZ/WI; ITARGETSR0–7 return the reader's own
            // CPU bit in every field (IHI 0048B §4.3.12).
            guard id < interruptCount, cpuCount > 1 else { return 0 }
            return id < 32 ? 1 << UInt8(cpu) : spiTargets[id]
        case 0xF10..<0xF30:
            // GICD_CPENDSGIRn / SPENDSGIRn: a byte per SGI, a bit per source CPU (§4.3.14–15).
            return sgiSources[cpu << 4 | ((offset - 0xF10) & 0xF)]
        default:
            return 0
        }
    }

    func distributorWriteWord(offset: Int, value: UInt32, cpu: Int) {
        switch offset {
        case 0x000:
            distributorControl = value & 3
        case 0x080..<0x100:
            guard let word = bitWord(offset, base: 0x080) else { return }
            let bits = value & implementedBits[word]
            if word == 0 { privateGroup[cpu] = bits } else { spiGroup[word] = bits }
        case 0x100..<0x180:
            guard let word = bitWord(offset, base: 0x100) else { return }
            let bits = value & implementedBits[word]
            if word == 0 { privateEnabled[cpu] |= bits } else { spiEnabled[word] |= bits }
        case 0x180..<0x200:
            guard let word = bitWord(offset, base: 0x180) else { return }
            let bits = value & implementedBits[word]
            // SGIs cannot be disabled on GIC-400.
            if word == 0 { privateEnabled[cpu] &= ~(bits & 0xFFFF_0000) } else { spiEnabled[word] &= ~bits }
        case 0x200..<0x280:
            guard let word = bitWord(offset, base: 0x200) else { return }
            let bits = value & implementedBits[word]
            // SGI pending bits are set through GICD_SGIR / GICD_SPENDSGIRn only (§4.3.7; the
            // SGI bits of GICD_ISPENDR0 ignore writes, as in QEMU).
            if word == 0 { privatePendingLatch[cpu] |= bits & 0xFFFF_0000 } else { spiPendingLatch[word] |= bits }
        case 0x280..<0x300:
            guard let word = bitWord(offset, base: 0x280) else { return }
            let bits = value & implementedBits[word]
            // A level-sensitive interrupt whose input is still high stays pending (§3.2.4).
            if word == 0 {
                privatePendingLatch[cpu] &= ~(bits & 0xFFFF_0000)
            } else {
                spiPendingLatch[word] &= ~bits
            }
        case 0x300..<0x380:
            guard let word = bitWord(offset, base: 0x300) else { return }
            let bits = value & implementedBits[word]
            if word == 0 { privateActive[cpu] |= bits } else { spiActive[word] |= bits }
        case 0x380..<0x400:
            guard let word = bitWord(offset, base: 0x380) else { return }
            let bits = value & implementedBits[word]
            if word == 0 { privateActive[cpu] &= ~bits } else { spiActive[word] &= ~bits }
        case 0x400..<0xC00, 0xF10..<0xF30:
            for lane in 0..<4 {
                distributorWriteByte(offset: offset + lane,
                                     value: UInt8(truncatingIfNeeded: value >> UInt32(lane * 8)), cpu: cpu)
            }
        case 0xC00..<0xD00:
            let register = (offset - 0xC00) >> 2
            // Only Int_config[1] of SPIs is programmable: odd bits of GICD_ICFGRn, n ≥ 2.
            guard register >= 2, register >> 1 < wordCount else { return }
            let word = register >> 1
            let half = UInt32(register & 1) * 16
            var edges: UInt32 = 0
            for i in 0..<16 where value & (2 << UInt32(2 * i)) != 0 {
                edges |= 1 << (half + UInt32(i))
            }
            let halfMask: UInt32 = 0xFFFF << half
            spiEdge[word] = (spiEdge[word] & ~halfMask) | (edges & implementedBits[word])
        case 0xF00:
            sendSGI(value: value, source: cpu)
        default:
            // Read-only registers (GICD_TYPER, GICD_IIDR, ID registers) and reserved offsets.
            return
        }
    }

    func distributorWriteByte(offset: Int, value: UInt8, cpu: Int) {
        switch offset {
        case 0x400..<0x800:
            let id = offset - 0x400
            guard id < interruptCount else { return }
            let masked = value & priorityFieldMask
            if id < 32 { privatePriority[cpu << 5 | id] = masked } else { spiPriority[id] = masked }
        case 0x800..<0xC00:
            let id = offset - 0x800
            // ITARGETSR0–7 are read-only; bits of CPU interfaces that do not exist are RAZ/WI.
            guard id >= 32, id < interruptCount, cpuCount > 1 else { return }
            spiTargets[id] = value & implementedCPUMask
        case 0xF10..<0xF20:
            let sgi = (offset - 0xF10) & 0xF
            setSGISources(target: cpu, sgi: sgi, sources: sgiSources[cpu << 4 | sgi] & ~value)
        case 0xF20..<0xF30:
            let sgi = (offset - 0xF20) & 0xF
            setSGISources(target: cpu, sgi: sgi, sources: sgiSources[cpu << 4 | sgi] | value)
        default:
            return
        }
    }

    /// GICD_SGIR (§4.3.13): TargetListFilter [25:24] (0 = the CPU target list [23:16], 1 = all
    /// CPUs but the requester, 2 = the requester only, 3 = reserved: ignored), NSATT [15]
    /// (meaningless without the Security Extensions, ignored), SGIINTID [3:0]. Each target
    /// records the requesting CPU as a source of the SGI.
    func sendSGI(value: UInt32, source: Int) {
        let sgi = Int(value & 0xF)
        let targetList: UInt8
        switch (value >> 24) & 3 {
        case 0: targetList = UInt8(truncatingIfNeeded: value >> 16)
        case 1: targetList = ~(1 << UInt8(source))
        case 2: targetList = 1 << UInt8(source)
        default: return
        }
        let sourceBit: UInt8 = 1 << UInt8(source)
        var targets = targetList & implementedCPUMask
        while targets != 0 {
            let target = targets.trailingZeroBitCount
            targets &= targets &- 1
            host.deliverIPI(source: source, target: target, interrupt: sgi, via: "GICD_SGIR") { [unowned self] in
                self.setSGISources(target: target, sgi: sgi, sources: self.sgiSources[target << 4 | sgi] | sourceBit)
                // A delayed delivery comes outside the register write that updates the lines.
                self.updateLines(cpu: target)
            }
        }
    }

    /// The word index of a one-bit-per-interrupt register at `offset`, or nil past the
    /// implemented interrupts.
    func bitWord(_ offset: Int, base: Int) -> Int? {
        let word = (offset - base) >> 2
        return word < wordCount ? word : nil
    }

    func interruptConfiguration(register: Int) -> UInt32 {
        switch register {
        case 0: return GICv2.icfgrSGI
        case 1: return GICv2.icfgrPPI
        default:
            let word = register >> 1
            guard word < wordCount else { return 0 }
            let half = UInt32(register & 1) * 16
            let edges = (spiEdge[word] & implementedBits[word]) >> half
            var value: UInt32 = 0
            for i in 0..<16 where (implementedBits[word] >> half) & (1 << UInt32(i)) != 0 {
                value |= 1 << UInt32(2 * i)
                if edges & (1 << UInt32(i)) != 0 { value |= 2 << UInt32(2 * i) }
            }
            return value
        }
    }
}
