import Profiles

/// RISC-V privilege levels (privileged spec §1.2).
public enum RVPrivilege: UInt8, Sendable {
    case user = 0
    case supervisor = 1
    case machine = 3

    public var name: String {
        switch self {
        case .user: "U"
        case .supervisor: "S"
        case .machine: "M"
        }
    }
}

/// One RV64 hart: the architectural state of the unprivileged and privileged specs plus what
/// the emulator needs to run it. Integer registers live in an unsafe buffer of 33 entries:
/// x0 reads as zero and writes to it are decoded to the sink x[32].
public final class RISCVCore {
    public let index: Int
    public let slot: CoreSlot
    public var profile: CoreProfile { slot.profile }
    let features: Features
    // unowned(unsafe): the machine owns its harts and outlives them (no ARC per access).
    unowned(unsafe) let machine: RISCVMachine
    let ram: PhysicalMemory
    let ramBase: UInt64
    let ramSize: UInt64

    /// x0 … x31, and the x0 sink at 32.
    public let x: UnsafeMutablePointer<UInt64>
    /// f0 … f31 (F/D), 64 bits each; singles are NaN-boxed (RISCV/Float/RVFloatState.swift).
    public let f: UnsafeMutablePointer<UInt64>
    /// The address of the instruction being executed.
    public internal(set) var pc: UInt64 = 0
    /// Where the next instruction comes from.
    var nextPC: UInt64 = 0
    public internal(set) var privilege: RVPrivilege = .machine
    /// The virtualization mode V of the hypervisor extension (privileged spec §8.1): with
    /// `privilege` S it means VS-mode, with U VU-mode. Always false on a hart without H. Every
    /// change raises `attention`, so that `syncMMU` selects the guest's translation regime.
    public internal(set) var virtualized = false
    /// The mode for reports: M, S (HS-mode on a hart with H), U, VS or VU.
    public var modeName: String {
        if virtualized { return privilege == .user ? "VU" : "VS" }
        return privilege.name
    }

    var csr: RVCSRState
    /// The software TLB, the decoded PMP and the access fast-path flags (RISCV/MMU/).
    let mmu = RVMMU()

    /// What the hart implements, from its profile.
    let hasSupervisor: Bool
    let hasUser: Bool
    let hasCompressed: Bool
    let hasFloat: Bool
    let hasDouble: Bool
    let misalignedTraps: Bool
    /// The hypervisor extension ("h" in the profile's isa-extensions).
    let hasHypervisor: Bool

    /// What the next trap writes to htval/mtval2 (a guest physical address, shifted right by
    /// 2) and htinst/mtinst; set just before a guest-page fault is raised, cleared by the trap.
    var trapGuestPhysical: UInt64 = 0
    var trapInstruction: UInt64 = 0
    /// An HLV/HLVX/HSV is executing: its faults carry guest virtual addresses (GVA = 1).
    var hypervisorAccess = false

    public internal(set) var runState: CoreRunState = .running
    public internal(set) var instructionsRetired: UInt64 = 0
    /// Virtual time: instructions retired plus time spent asleep.
    public internal(set) var time: UInt64 = 0
    /// `time` when the current run slice began: `instructionsRetired` is brought up to date at
    /// the end of a slice, so minstret adds what the slice has retired so far.
    var sliceStartTime: UInt64 = 0
    var attention = false
    /// mip bits driven by devices (MSIP, MTIP, MEIP, and the external part of SEIP).
    var mipLines: UInt64 = 0
    /// The LR/SC reservation (unprivileged spec §8.2): address and whether it is held.
    var reservation: UInt64 = 0
    var reservationValid = false

    public internal(set) var haltFinding: Finding?

    /// The built-in SBI firmware's per-hart state: the mtime at which set_timer raises STIP,
    /// and whether the hart sleeps in an HSM retentive suspend.
    var sbiTimer: UInt64 = .max
    var hsmSuspended = false

    init(index: Int, slot: CoreSlot, machine: RISCVMachine, ram: PhysicalMemory) {
        self.index = index
        self.slot = slot
        self.features = slot.profile.features
        self.machine = machine
        self.ram = ram
        ramBase = ram.base
        ramSize = ram.size
        x = .allocate(capacity: 33)
        x.initialize(repeating: 0, count: 33)
        f = .allocate(capacity: 32)
        f.initialize(repeating: 0, count: 32)
        let modes = slot.profile.features.privilegeModes
        hasSupervisor = modes.contains("s")
        hasUser = modes.contains("u")
        hasCompressed = slot.profile.features.isaExtensions.contains("c")
        hasFloat = slot.profile.features.isaExtensions.contains("f")
        hasDouble = hasFloat && slot.profile.features.isaExtensions.contains("d")
        // From the profile: QEMU performs misaligned loads/stores, SiFive cores trap them.
        misalignedTraps = slot.profile.features.misaligned == .trap
        hasHypervisor = slot.profile.features.isaExtensions.contains("h") && modes.contains("s")
        csr = RVCSRState(slot: slot)
    }

    deinit {
        x.deallocate()
        f.deallocate()
    }

    /// Stop this hart for good: the guest asked for something hetboot does not implement yet.
    func notSupported(_ what: String) {
        guard runState != .halted else { return }
        let f = Finding(kind: .notSupported, cores: [index],
                        summary: "hart \(index) (\(profile.name)): \(what) at \(machine.symbolize(pc)) is not supported yet",
                        pc: pc, mode: modeName, instructionCount: instructionsRetired)
        haltFinding = f
        runState = .halted
        attention = true
        machine.report(f)
    }
}
