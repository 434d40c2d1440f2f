import Emulator

/// What `hetboot check` reports: per core, what the probe found and what the kernel model
/// makes of it; per machine, the verdict, the KVM CPU mask, what differs between cores and what
/// a vCPU would see of it, the least common denominator of the feature fields, and advice.
public struct CheckReport: Sendable {
    public struct Core: Sendable {
        public var cpu: Int
        public var profile: String
        /// Decoded identity, in order: ("implementer", "ARM (0x41)"), ("part", "Cortex-A15
        /// (0xC0F)"), ("revision", "r2p1") — or mvendorid/marchid/mimpid and the ISA.
        public var identity: [(String, String)]
        /// Feature fields from the ID registers / the ISA, in order.
        public var features: [(String, String)]
        public var hypAvailable: Bool
        /// "ok", or "failed: REASON" (with the hang diagnosis when the probe never finished).
        public var hypInit: String
        /// Accepted as a KVM target under the model, and why (not).
        public var accepted: Bool
        public var reason: String
        /// Why the probe did not run here (excluded cores are not KVM candidates).
        public var excluded: String?
    }

    /// A register (or CSR, or ISA string) whose value differs between cores.
    public struct Difference: Sendable {
        public var register: String
        public var values: [(cpu: Int, value: String)]
        /// What a vCPU reads: "untrapped: reads the physical core", "virtualised (VPIDR)" …
        public var guestView: String
        /// True when a vCPU reads the physical core's value (it changes when the vCPU moves).
        public var untrapped: Bool
    }

    /// The least common denominator of one ID register: each 4-bit field's lowest value.
    public struct CommonValue: Sendable {
        public var register: String
        public var value: String
        /// The fields where cores differ: "[7:4] 2 (CPU 0-1) vs 1 (CPU 2-4)".
        public var fields: [String]
    }

    public struct AffinityCheck: Sendable {
        public var requested: CPUList
        public var offline: CPUList
        /// requested ∩ KVM mask ∩ online.
        public var effective: CPUList
        public var refused: Bool
        public var reason: String
    }

    public var machine: String
    public var architecture: String
    public var kernel: String
    public var kernelDescription: String
    /// "current-cpu" or "every-cpu".
    public var checks: String
    public var cores: [Core]
    /// KVM initialises under this model on this machine (for a current-CPU model: if the check
    /// may run on any CPU, whether it does depends on which — see `perCPUVerdicts`).
    public var accepted: Bool
    public var verdict: String
    /// For a check-the-current-CPU model: what happens if the check runs on each CPU.
    public var perCPUVerdicts: [(cpu: Int, accepted: Bool, verdict: String)]
    /// The CPUs vCPU threads may run on: KVM targets with Hyp/H available and a working init.
    public var kvmMask: CPUList
    public var differences: [Difference]
    public var commonValues: [CommonValue]
    public var warnings: [String]
    public var advice: [String]
    public var affinity: AffinityCheck?
    public var injected: [String]

    /// 0: KVM would initialise (and a requested affinity is satisfiable); 1: refused.
    public var exitCode: Int32 { accepted && !(affinity?.refused ?? false) ? 0 : 1 }
}
