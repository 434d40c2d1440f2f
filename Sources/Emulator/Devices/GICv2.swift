import Profiles

/// The ARM Generic Interrupt Controller, architecture version 2 (ARM IHI 0048B), of the GIC-400
/// class found on TC2 and inside QEMU's `vexpress-a15`: one Distributor and one CPU interface
/// per core. This file holds the shared state, the interrupt inputs and the signalling to the
/// cores; `GICv2Distributor.swift` and `GICv2CPUInterface.swift` hold the two register windows.
///
/// Security: the model is a GIC **without** the Security Extensions' Secure / Non-secure register
/// views (GICD_TYPER.SecurityExtn = 0). Every access sees one view, the one the spec gives a GIC
/// without the extensions (IHI 0048B §4.3.1, §4.4.1: the registers have the Secure copy's
/// layout) — which is what QEMU's GIC does on a board without EL3. Interrupt groups are
/// implemented all the same, as GICv2 requires: GICD_IGROUPRn, GICD_CTLR.EnableGrp0/1,
/// GICC_CTLR.EnableGrp0/EnableGrp1/AckCtl/FIQEn/CBPR, GICC_ABPR/AIAR/AEOIR/AHPPIR (the aliased
/// Group 1 registers). Group 0 is signalled as FIQ when GICC_CTLR.FIQEn is set, otherwise as IRQ;
/// Group 1 always as IRQ. GICC_CTLR.EOImodeS (bit 9) governs EOIR, AEOIR and DIR, as in QEMU
/// (EOImodeNS, bit 10, is stored but has no effect without a Non-secure view).
///
/// Interrupt state (§3.2.4): an interrupt is pending when its pending latch is set (edge seen,
/// GICD_ISPENDR write, SGI sent) or, for a level-sensitive interrupt, while its input is high.
/// SGIs and PPIs (IDs 0–31) are banked per CPU; SGIs remember which CPUs sent them. SPIs are
/// global (1-of-N: the first target CPU to acknowledge takes the interrupt).
///
/// Hot state lives in flat arrays indexed by CPU, 32-bit word or interrupt ID; no access
/// allocates.
public final class GICv2 {
    public let name: String
    public let cpuCount: Int
    /// Interrupt IDs implemented: 32 private ones plus the SPIs, at most 1020.
    public let interruptCount: Int
    /// Implemented priority bits (5 on Cortex-A15/A7: fields keep the top 5 bits, mask 0xF8).
    public let priorityBits: Int

    /// The Distributor register window (map it at the `gicd` region).
    public private(set) lazy var distributor: MMIODevice = GICv2Distributor(gic: self, name: "gicd")
    /// The CPU interface register window (map it at the `gicc` region).
    public private(set) lazy var cpuInterface: MMIODevice = GICv2CPUInterface(gic: self, name: "gicc")
    /// The virtual interface control window, banked by the accessing CPU (map it at `gich`).
    public private(set) lazy var hypervisorInterface: MMIODevice =
        GICv2HypervisorInterface(gic: self, name: "gich", perCPUAliases: false)
    /// The virtual interface control of every CPU, 0x200 bytes each in CPU order (map it at
    /// `gich-alias`, the A15 MPCore / GIC-400 window at GICH + 0x1000).
    public private(set) lazy var hypervisorAliases: MMIODevice =
        GICv2HypervisorInterface(gic: self, name: "gich-alias", perCPUAliases: true)
    /// The virtual CPU interface the guest uses in place of GICC (map it at `gicv`).
    public private(set) lazy var virtualCPUInterface: MMIODevice = GICv2VirtualCPUInterface(gic: self, name: "gicv")

    /// The Virtualization Extensions (IHI 0048B chapter 5): GICH and GICV exist.
    public let hasVirtualization: Bool
    /// The maintenance interrupt's PPI (IDs 16–31), or nil when none is wired.
    public let maintenanceInterrupt: Int?
    /// Priority bits of the virtual interface: the GIC's own, at most the five a list
    /// register's Priority field holds (§5.3.x, GICH_LRn[27:23]).
    public let virtualPriorityBits: Int

    unowned let host: DeviceHost

    /// 32-bit words of per-interrupt bits: word 0 is SGIs and PPIs, the others SPIs.
    let wordCount: Int
    /// The bits of priority fields an implementation keeps (0xF8 for 5 bits).
    let priorityFieldMask: UInt8
    /// Smallest GICC_BPR value (IHI 0048B §3.3.3): 7 − priority bits, at least 0.
    let minimumBinaryPoint: UInt32
    /// GICC_APRn registers in use: one bit per preemption level.
    let activePriorityWords: Int
    /// One bit per implemented CPU interface.
    let implementedCPUMask: UInt8
    /// Per word, the bits of implemented interrupt IDs.
    let implementedBits: [UInt32]

    // MARK: Distributor state

    /// GICD_CTLR: EnableGrp0 [0], EnableGrp1 [1].
    var distributorControl: UInt32 = 0

    /// Banked SGI/PPI state, indexed by CPU.
    var privateEnabled: [UInt32]
    var privatePendingLatch: [UInt32]
    var privateLineLevel: [UInt32]
    var privateActive: [UInt32]
    var privateGroup: [UInt32]
    /// Bit n set when SGI n is pending on that CPU from at least one source.
    var sgiPending: [UInt32]
    /// Source CPUs of each pending SGI, indexed `cpu * 16 + sgi`.
    var sgiSources: [UInt8]
    /// Banked SGI/PPI priorities, indexed `cpu * 32 + id`.
    var privatePriority: [UInt8]

    /// SPI state, indexed by word (word 0 unused: it is banked above).
    var spiEnabled: [UInt32]
    var spiPendingLatch: [UInt32]
    var spiLineLevel: [UInt32]
    var spiActive: [UInt32]
    var spiGroup: [UInt32]
    /// Int_config[1] of GICD_ICFGRn: set = edge-triggered.
    var spiEdge: [UInt32]
    /// SPI priorities and CPU targets, indexed by interrupt ID (entries below 32 unused).
    var spiPriority: [UInt8]
    var spiTargets: [UInt8]

    // MARK: CPU interface state (indexed by CPU)

    var cpuControl: [UInt32]
    var priorityMask: [UInt8]
    var binaryPoint: [UInt32]
    var aliasedBinaryPoint: [UInt32]
    /// GICC_APRn (Group 0) and GICC_NSAPRn (Group 1), indexed `cpu * 4 + n`: bit L set while an
    /// interrupt of preemption level L is active and not yet priority-dropped.
    var activePriorities: [UInt32]
    var nsActivePriorities: [UInt32]
    /// Group priority of the highest active preemption level; `idlePriority` when none.
    var runningPriority: [UInt16]

    /// The lines last driven into each core.
    var irqLine: [Bool]
    var fiqLine: [Bool]

    // MARK: Virtual interface state (indexed by CPU; `GICv2Virtualization.swift`)

    /// GICH_HCR, GICH_VMCR and GICH_APR.
    var hypervisorControl: [UInt32]
    var virtualMachineControl: [UInt32]
    var virtualActivePriorities: [UInt32]
    /// GICH_LRn, indexed `cpu * listRegisterCount + n`.
    var listRegisters: [UInt32]
    /// The virtual IRQ / FIQ lines last driven into each core, and the maintenance interrupt's
    /// level per CPU.
    var virtualIRQLine: [Bool]
    var virtualFIQLine: [Bool]
    var maintenanceLevel: [Bool]
    /// Smallest GICV_BPR value for the virtual priority bits.
    let virtualMinimumBinaryPoint: UInt32
    /// The bits of a virtual priority a GICV register keeps (0xF8 for 5 bits).
    let virtualPriorityFieldMask: UInt8

    static let idlePriority: UInt16 = 0x100
    static let spurious: UInt32 = 1023

    /// - Parameters:
    ///   - spec: `spec.property("spis")` gives the number of SPIs (default 128), rounded up to a
    ///     multiple of 32 (GICD_TYPER.ITLinesNumber counts 32-interrupt lines).
    ///   - cpuCount: CPU interfaces, 1–8 (clamped; `ARMPlatformDevices` rejects others).
    ///   - priorityBits: 4–8 (clamped); 5 on A15/A7.
    ///   - virtualization: give the GIC the Virtualization Extensions (GICH, GICV and, when
    ///     `spec.interrupts` names one, the maintenance interrupt PPI).
    public init(spec: DeviceSpec, cpuCount: Int, priorityBits: Int, virtualization: Bool = false,
                host: DeviceHost) {
        name = spec.name
        self.host = host
        let cpus = min(max(cpuCount, 1), 8)
        self.cpuCount = cpus
        let bits = min(max(priorityBits, 4), 8)
        self.priorityBits = bits
        priorityFieldMask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        minimumBinaryPoint = UInt32(max(0, 7 - bits))
        activePriorityWords = max(1, (256 >> (Int(minimumBinaryPoint) + 1)) / 32)
        implementedCPUMask = UInt8(truncatingIfNeeded: (1 << cpus) - 1)

        let requested = spec.property("spis") ?? 128
        let spis = Int(min(requested, 988) + 31) / 32 * 32
        interruptCount = min(32 + spis, 1020)
        wordCount = (interruptCount + 31) / 32
        var implemented = [UInt32](repeating: 0xFFFF_FFFF, count: wordCount)
        if interruptCount % 32 != 0 {
            implemented[wordCount - 1] = (1 << UInt32(interruptCount % 32)) - 1
        }
        implementedBits = implemented

        // SGIs are permanently enabled on GIC-400 (ISENABLER0[15:0] read as one, as in QEMU).
        privateEnabled = [UInt32](repeating: 0x0000_FFFF, count: cpus)
        privatePendingLatch = [UInt32](repeating: 0, count: cpus)
        privateLineLevel = [UInt32](repeating: 0, count: cpus)
        privateActive = [UInt32](repeating: 0, count: cpus)
        privateGroup = [UInt32](repeating: 0, count: cpus)
        sgiPending = [UInt32](repeating: 0, count: cpus)
        sgiSources = [UInt8](repeating: 0, count: cpus * 16)
        privatePriority = [UInt8](repeating: 0, count: cpus * 32)

        spiEnabled = [UInt32](repeating: 0, count: wordCount)
        spiPendingLatch = [UInt32](repeating: 0, count: wordCount)
        spiLineLevel = [UInt32](repeating: 0, count: wordCount)
        spiActive = [UInt32](repeating: 0, count: wordCount)
        spiGroup = [UInt32](repeating: 0, count: wordCount)
        spiEdge = [UInt32](repeating: 0, count: wordCount)
        spiPriority = [UInt8](repeating: 0, count: wordCount * 32)
        spiTargets = [UInt8](repeating: 0, count: wordCount * 32)

        cpuControl = [UInt32](repeating: 0, count: cpus)
        priorityMask = [UInt8](repeating: 0, count: cpus)
        // GIC-400 reset values: GICC_BPR = the minimum (2 with 5 bits), GICC_ABPR = minimum + 1.
        binaryPoint = [UInt32](repeating: minimumBinaryPoint, count: cpus)
        aliasedBinaryPoint = [UInt32](repeating: minimumBinaryPoint + 1, count: cpus)
        activePriorities = [UInt32](repeating: 0, count: cpus * 4)
        nsActivePriorities = [UInt32](repeating: 0, count: cpus * 4)
        runningPriority = [UInt16](repeating: GICv2.idlePriority, count: cpus)
        irqLine = [Bool](repeating: false, count: cpus)
        fiqLine = [Bool](repeating: false, count: cpus)

        hasVirtualization = virtualization
        maintenanceInterrupt = virtualization ? spec.interrupts.first.flatMap { (16...31).contains($0) ? $0 : nil } : nil
        let virtualBits = min(bits, 5)
        virtualPriorityBits = virtualBits
        virtualPriorityFieldMask = UInt8(truncatingIfNeeded: 0xFF << (8 - virtualBits))
        virtualMinimumBinaryPoint = UInt32(7 - virtualBits)
        hypervisorControl = [UInt32](repeating: 0, count: cpus)
        // GICH_VMCR resets to zero except that VMBP/VMABP read their minimum (QEMU's reset of
        // the virtual interface gives BPR = GIC_VIRT_MIN_BPR, ABPR = min + 1).
        virtualMachineControl = [UInt32](repeating: UInt32(7 - virtualBits) << 21 | UInt32(8 - virtualBits) << 18,
                                         count: cpus)
        virtualActivePriorities = [UInt32](repeating: 0, count: cpus)
        listRegisters = [UInt32](repeating: 0, count: cpus * GICv2.listRegisterCount)
        virtualIRQLine = [Bool](repeating: false, count: cpus)
        virtualFIQLine = [Bool](repeating: false, count: cpus)
        maintenanceLevel = [Bool](repeating: false, count: cpus)
    }

    // MARK: Inputs

    /// Drive the input of PPI `id` (16–31) of core `cpu`. PPIs are level-sensitive on GIC-400
    /// (GICD_ICFGR1 is read-only): the interrupt is pending while the level is high.
    public func setPPI(cpu: Int, id: Int, level: Bool) {
        guard cpu >= 0, cpu < cpuCount, id >= 16, id < 32 else { return }
        let bit: UInt32 = 1 << UInt32(id)
        let old = privateLineLevel[cpu]
        let new = level ? old | bit : old & ~bit
        guard new != old else { return }
        privateLineLevel[cpu] = new
        updateLines(cpu: cpu)
    }

    /// Drive the input of SPI `id` (32 up to `interruptCount − 1`). An edge-triggered SPI latches
    /// pending on a rising edge; a level-sensitive one is pending while the level is high.
    public func setSPI(id: Int, level: Bool) {
        guard id >= 32, id < interruptCount else { return }
        let word = id >> 5
        let bit: UInt32 = 1 << UInt32(id & 31)
        let old = spiLineLevel[word]
        let new = level ? old | bit : old & ~bit
        guard new != old else { return }
        spiLineLevel[word] = new
        if level && spiEdge[word] & bit != 0 {
            spiPendingLatch[word] |= bit
        }
        updateAllLines()
    }

    /// Whether any interrupt targeted at `cpu` is pending, whatever the enables and priorities:
    /// what a core waiting in the Versatile Express boot monitor's WFI pen wakes for.
    public func hasPendingInterrupt(cpu: Int) -> Bool {
        guard cpu >= 0, cpu < cpuCount else { return false }
        if pendingWord(0, cpu: cpu) != 0 { return true }
        for word in 1..<max(wordCount, 1) {
            var pending = pendingWord(word, cpu: cpu)
            while pending != 0 {
                let id = word << 5 | pending.trailingZeroBitCount
                pending &= pending &- 1
                if targets(id: id, cpu: cpu) { return true }
            }
        }
        return false
    }

    // MARK: State queries

    func pendingWord(_ word: Int, cpu: Int) -> UInt32 {
        if word == 0 {
            // PPIs are level-sensitive; SGIs are pending while some source has one outstanding.
            return privatePendingLatch[cpu] | (privateLineLevel[cpu] & 0xFFFF_0000) | sgiPending[cpu]
        }
        return spiPendingLatch[word] | (spiLineLevel[word] & ~spiEdge[word])
    }

    func enabledWord(_ word: Int, cpu: Int) -> UInt32 {
        word == 0 ? privateEnabled[cpu] : spiEnabled[word]
    }

    func activeWord(_ word: Int, cpu: Int) -> UInt32 {
        word == 0 ? privateActive[cpu] : spiActive[word]
    }

    func groupWord(_ word: Int, cpu: Int) -> UInt32 {
        word == 0 ? privateGroup[cpu] : spiGroup[word]
    }

    func isGroup1(id: Int, cpu: Int) -> Bool {
        groupWord(id >> 5, cpu: cpu) & (1 << UInt32(id & 31)) != 0
    }

    func priority(id: Int, cpu: Int) -> UInt8 {
        id < 32 ? privatePriority[cpu << 5 | id] : spiPriority[id]
    }

    /// Whether SPI `id` is routed to `cpu`. A uniprocessor GIC has RAZ/WI GICD_ITARGETSRs and
    /// sends every SPI to its one CPU (IHI 0048B §4.3.12).
    func targets(id: Int, cpu: Int) -> Bool {
        id < 32 || cpuCount == 1 || spiTargets[id] & (1 << UInt8(cpu)) != 0
    }

    /// The group priority of `priority` for an interrupt of the given group: the bits above the
    /// binary point (IHI 0048B §3.3.3). Group 1 uses GICC_ABPR unless GICC_CTLR.CBPR is set.
    func groupPriority(_ priority: UInt8, group1: Bool, cpu: Int) -> UInt16 {
        let shift: UInt32
        if group1 && cpuControl[cpu] & GICv2.ctlrCBPR == 0 {
            shift = aliasedBinaryPoint[cpu]
        } else {
            shift = binaryPoint[cpu] + 1
        }
        return UInt16(priority) & UInt16(truncatingIfNeeded: 0xFF << shift) & 0xFF
    }

    /// The highest-priority interrupt the Distributor forwards to `cpu`: enabled, pending, not
    /// active, routed to `cpu`, its group enabled in GICD_CTLR and GICC_CTLR. Ties go to the
    /// lowest ID. Returns the ID, or nil.
    func highestPendingInterrupt(cpu: Int) -> Int? {
        let groups = distributorControl & cpuControl[cpu] & 3
        guard groups != 0 else { return nil }
        var bestID = -1
        var bestPriority = 0x100
        for word in 0..<wordCount {
            var candidates = enabledWord(word, cpu: cpu) & pendingWord(word, cpu: cpu)
                & ~activeWord(word, cpu: cpu)
            let group = groupWord(word, cpu: cpu)
            if groups & 1 == 0 { candidates &= group }
            if groups & 2 == 0 { candidates &= ~group }
            while candidates != 0 {
                let id = word << 5 | candidates.trailingZeroBitCount
                candidates &= candidates &- 1
                guard word == 0 || targets(id: id, cpu: cpu) else { continue }
                let p = Int(priority(id: id, cpu: cpu))
                if p < bestPriority {
                    bestPriority = p
                    bestID = id
                }
            }
        }
        return bestID >= 0 ? bestID : nil
    }

    /// The highest pending interrupt that passes GICC_PMR (what GICC_HPPIR reports), or nil.
    func highestPendingAbovePriorityMask(cpu: Int) -> Int? {
        guard let id = highestPendingInterrupt(cpu: cpu),
              priority(id: id, cpu: cpu) < priorityMask[cpu] else { return nil }
        return id
    }

    /// Whether `id` (already past GICC_PMR) has sufficient priority to preempt: its group
    /// priority is higher (numerically lower) than the running priority.
    func canPreempt(id: Int, cpu: Int) -> Bool {
        let p = priority(id: id, cpu: cpu)
        return groupPriority(p, group1: isGroup1(id: id, cpu: cpu), cpu: cpu) < runningPriority[cpu]
    }

    // MARK: Signalling

    /// Recompute core `cpu`'s IRQ and FIQ and tell the host when they change.
    func updateLines(cpu: Int) {
        var irq = false
        var fiq = false
        if let id = highestPendingAbovePriorityMask(cpu: cpu), canPreempt(id: id, cpu: cpu) {
            if !isGroup1(id: id, cpu: cpu) && cpuControl[cpu] & GICv2.ctlrFIQEn != 0 {
                fiq = true
            } else {
                irq = true
            }
        }
        guard irq != irqLine[cpu] || fiq != fiqLine[cpu] else { return }
        irqLine[cpu] = irq
        fiqLine[cpu] = fiq
        host.setInterruptLines(cpu: cpu, irq: irq, fiq: fiq)
    }

    func updateAllLines() {
        for cpu in 0..<cpuCount { updateLines(cpu: cpu) }
    }

    /// Update the CPUs an interrupt's state change can affect: its own CPU for SGIs and PPIs,
    /// every CPU for SPIs.
    func updateLines(afterChangeOf id: Int, cpu: Int) {
        if id < 32 { updateLines(cpu: cpu) } else { updateAllLines() }
    }

    // MARK: SGI bookkeeping

    func setSGISources(target: Int, sgi: Int, sources: UInt8) {
        sgiSources[target << 4 | sgi] = sources & implementedCPUMask
        let bit: UInt32 = 1 << UInt32(sgi)
        if sgiSources[target << 4 | sgi] != 0 {
            sgiPending[target] |= bit
        } else {
            sgiPending[target] &= ~bit
        }
    }

    // GICC_CTLR bits (the Secure copy's layout, IHI 0048B §4.4.1).
    static let ctlrEnableGrp0: UInt32 = 1 << 0
    static let ctlrEnableGrp1: UInt32 = 1 << 1
    static let ctlrAckCtl: UInt32 = 1 << 2
    static let ctlrFIQEn: UInt32 = 1 << 3
    static let ctlrCBPR: UInt32 = 1 << 4
    static let ctlrEOImodeS: UInt32 = 1 << 9
    /// Bits 0–10 are stored (the FIQ/IRQ bypass-disable bits have no effect: no legacy bypass).
    static let ctlrWritable: UInt32 = 0x7FF
}
