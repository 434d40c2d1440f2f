/// Why the GIC does not signal an interrupt to a CPU interface: what a hang diagnosis says
/// about an SGI that stays pending (IHI 0048B §3.2 "Interrupt prioritization", §4.3.2
/// GICD_CTLR, §4.4.1 GICC_CTLR, §4.4.2 GICC_PMR).
extension GICv2 {
    /// Whether interrupt `id` is pending for `cpu` (for an SGI: from any source).
    public func isPending(id: Int, cpu: Int) -> Bool {
        guard cpu >= 0 && cpu < cpuCount, id >= 0, id >> 5 < wordCount else { return false }
        return pendingWord(id >> 5, cpu: cpu) & (1 << UInt32(id & 31)) != 0
    }

    /// The reasons the GIC holds back `id` from `cpu`; empty when it would signal it.
    public func signalBlockers(id: Int, cpu: Int) -> [String] {
        guard cpu >= 0 && cpu < cpuCount, id >= 0, id >> 5 < wordCount else { return [] }
        var reasons: [String] = []
        let bit: UInt32 = 1 << UInt32(id & 31)
        let group1 = isGroup1(id: id, cpu: cpu)
        let groupBit: UInt32 = group1 ? 2 : 1
        if distributorControl & groupBit == 0 {
            reasons.append("GICD_CTLR does not forward Group \(group1 ? 1 : 0) interrupts")
        }
        if cpuControl[cpu] & groupBit == 0 {
            reasons.append("GICC_CTLR of CPU \(cpu) has Group \(group1 ? 1 : 0) disabled")
        }
        if enabledWord(id >> 5, cpu: cpu) & bit == 0 {
            reasons.append("interrupt \(id) is disabled (GICD_ISENABLER\(id >> 5) bit \(id & 31) clear)")
        }
        if activeWord(id >> 5, cpu: cpu) & bit != 0 {
            reasons.append("interrupt \(id) is still active on CPU \(cpu) (never EOIed)")
        }
        let p = priority(id: id, cpu: cpu)
        if p >= priorityMask[cpu] {
            reasons.append("GICC_PMR = 0x\(String(priorityMask[cpu], radix: 16, uppercase: true)) masks its priority 0x\(String(p, radix: 16, uppercase: true))")
        } else if !canPreempt(id: id, cpu: cpu) {
            reasons.append("the running priority 0x\(String(runningPriority[cpu], radix: 16, uppercase: true)) of an active interrupt blocks its priority 0x\(String(p, radix: 16, uppercase: true))")
        }
        return reasons
    }
}
