import Profiles

/// The TC2 (V2P-CA15_A7) Serial Configuration Controller at 0x7FFF0000, with the Serial Power
/// Controller's registers at +0xB00 — the registers Linux's `arch/arm/mach-vexpress/tc2_pm.c`
/// and `spc.c` touch.
///
/// The SCC describes two cluster slots: slot 0 is the "A15" slot (A15_CONF 0x400, SYS_INFO
/// [19:16], RESET_CTRL bits 2+cpu, SPC A15_BX_ADDR0 +0x68) and slot 1 the "A7" slot (A7_CONF
/// 0x500, SYS_INFO [23:20], RESET_CTRL bits 16+cpu, A7_BX_ADDR0 +0x78). Everything is derived
/// from the cluster list given at construction (the machine's clusters in order), never from
/// core names:
/// - A15_CONF / A7_CONF [3:0]: the slot's cluster ID (MPIDR Aff1), read-only.
/// - SYS_INFO [19:16] / [23:20]: the number of cores in slot 0 / slot 1, read-only.
/// - RESET_CTRL (0x018): resets with nCORERESET set for every present core (all cores out of
///   reset); stored.
/// - SPC WAKE_INT_MASK (+0x24) and the per-CPU BX_ADDR mailboxes (+0x68 / +0x78, 4 bytes per
///   CPU): stored; `resumeAddress(cluster:cpu:)` lets the machine's power model read them.
/// - Every other offset of the 4 KB window is plain storage, reset to zero (PERF_LVL, COMMS,
///   PWC_STATUS, PWRDN_EN, STANDBYWFI_STAT… — no power-controller behaviour: a DVFS or
///   SYS_CFG request through the SPC never completes, and STANDBYWFI_STAT reads what was
///   written, zero by default).
public final class TC2SCC: MMIODevice {
    public let name: String
    /// The cluster slots: (cluster ID, cores), slot 0 first. At most two.
    public let clusters: [(id: Int, count: Int)]

    /// The 4 KB register window as words.
    var storage: [UInt32]

    static let windowWords = 0x1000 / 4
    static let resetControl: UInt64 = 0x018
    static let a15Configuration: UInt64 = 0x400
    static let a7Configuration: UInt64 = 0x500
    static let systemInfo: UInt64 = 0x700
    static let spcBase: UInt64 = 0xB00
    static let wakeInterruptMask: UInt64 = spcBase + 0x24
    static let a15BXAddress0: UInt64 = spcBase + 0x68
    static let a7BXAddress0: UInt64 = spcBase + 0x78

    /// - Parameter clusters: the machine's clusters in slot order (at most two are used; cluster
    ///   IDs keep their low 4 bits, core counts are clamped to 0–15).
    public init(spec: DeviceSpec, clusters: [(id: Int, count: Int)], host: DeviceHost) {
        name = spec.name
        self.clusters = Array(clusters.prefix(2))
        storage = [UInt32](repeating: 0, count: TC2SCC.windowWords)
        var reset: UInt32 = 0
        for (slot, cluster) in self.clusters.enumerated() {
            // nCORERESET: A15 cpu n at bit 2+n, A7 cpu n at bit 16+n (tc2_pm.c).
            let first = slot == 0 ? 2 : 16
            for cpu in 0..<min(max(cluster.count, 0), slot == 0 ? 14 : 16) {
                reset |= 1 << UInt32(first + cpu)
            }
        }
        storage[Int(TC2SCC.resetControl) >> 2] = reset
    }

    /// The cluster ID in slot `slot` ([3:0] of A15_CONF / A7_CONF), 0 for an absent slot.
    func clusterID(slot: Int) -> UInt32 {
        slot < clusters.count ? UInt32(truncatingIfNeeded: clusters[slot].id) & 0xF : 0
    }

    func coreCount(slot: Int) -> UInt32 {
        slot < clusters.count ? UInt32(min(max(clusters[slot].count, 0), 15)) : 0
    }

    /// The warm-boot address software left in the SPC mailbox of core `cpu` of the cluster
    /// whose MPIDR Aff1 is `cluster` (0 when none or when the core has no mailbox). As in
    /// spc.c, a cluster that is not slot 0's uses the A7 mailboxes.
    public func resumeAddress(cluster: Int, cpu: Int) -> UInt32 {
        guard cpu >= 0, cpu < 4 else { return 0 }
        let base = !clusters.isEmpty && cluster == clusters[0].id ? TC2SCC.a15BXAddress0 : TC2SCC.a7BXAddress0
        return storage[Int(base >> 2) + cpu]
    }

    /// SPC WAKE_INT_MASK as software last wrote it.
    public var wakeInterruptMask: UInt32 { storage[Int(TC2SCC.wakeInterruptMask >> 2)] }

    public func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard let lane = RegisterLane(offset: offset, size: size) else { return nil }
        return lane.extract(readRegister(lane.register))
    }

    public func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard let lane = RegisterLane(offset: offset, size: size), lane.shift == 0 else { return false }
        writeRegister(lane.register, value: UInt32(truncatingIfNeeded: value), mask: lane.mask)
        return true
    }

    func readRegister(_ offset: UInt64) -> UInt32 {
        switch offset {
        case TC2SCC.a15Configuration: return clusterID(slot: 0)
        case TC2SCC.a7Configuration: return clusterID(slot: 1)
        case TC2SCC.systemInfo: return coreCount(slot: 0) << 16 | coreCount(slot: 1) << 20
        default:
            let index = Int(truncatingIfNeeded: offset >> 2)
            return offset < 0x1000 ? storage[index] : 0
        }
    }

    /// A narrow write (`mask` < 32 bits) changes only its own byte lanes of the stored word.
    func writeRegister(_ offset: UInt64, value: UInt32, mask: UInt32) {
        switch offset {
        case TC2SCC.a15Configuration, TC2SCC.a7Configuration, TC2SCC.systemInfo:
            return
        default:
            guard offset < 0x1000 else { return }
            let index = Int(offset >> 2)
            storage[index] = (storage[index] & ~mask) | (value & mask)
        }
    }
}
