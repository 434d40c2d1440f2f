/// A core profile: everything that distinguishes one core model from another, read from
/// `cpu-profiles/cores/NAME.toml` (after `inherits` has been resolved). Code asks the profile,
/// never the core's name.
public struct CoreProfile: Sendable, Equatable {
    /// The profile's name (the file name without `.toml`).
    public var name: String
    /// `armv7-a` or `rv64`.
    public var architecture: Architecture
    /// One line for humans ("ARM Cortex-A15 r2p1").
    public var description: String
    /// The file the profile was read from (the leaf file when it inherits).
    public var file: String
    /// The chain of profiles this one inherits from, nearest first.
    public var inherits: [String]
    /// Read-only identification registers by their architectural name (`MIDR`, `CTR`, `ID_PFR0`,
    /// `CLIDR`, `FPSID`, `MVFR0`, `DBGDIDR`, … / `misa`, `mvendorid`, `marchid`, `mimpid`),
    /// in the order the file gives them. RISC-V `misa` is the reset value the hart reports; its
    /// letters are checked against `features` (RV64Rules).
    public var idRegisters: [NamedValue]
    /// Writable system registers with reset value and masks, by architectural name
    /// (`SCTLR`, `HSCTLR`, `ACTLR`, `PMCR`, `L2CTLR`, …), in file order.
    public var systemRegisters: [SystemRegisterSpec]
    /// Architectural features the core implements.
    public var features: Features
    /// Cache levels as CCSIDR describes them (ARM) or as the core's manual does (RISC-V).
    public var caches: [CacheSpec]
    /// The device-tree `compatible` of the core's `/cpus/cpu@N` node ("arm,cortex-a15"), when
    /// the profile gives one.
    public var compatible: String?

    public init(name: String, architecture: Architecture, description: String, file: String,
                inherits: [String], idRegisters: [NamedValue], systemRegisters: [SystemRegisterSpec],
                features: Features, caches: [CacheSpec], compatible: String? = nil) {
        self.name = name
        self.architecture = architecture
        self.description = description
        self.file = file
        self.inherits = inherits
        self.idRegisters = idRegisters
        self.systemRegisters = systemRegisters
        self.features = features
        self.caches = caches
        self.compatible = compatible
    }

    /// The value of an identification register, if the profile gives it.
    public func idRegister(_ name: String) -> UInt64? {
        idRegisters.first { $0.name == name }?.value
    }

    /// The spec of a writable system register, if the profile gives it.
    public func systemRegister(_ name: String) -> SystemRegisterSpec? {
        systemRegisters.first { $0.name == name }
    }
}

public enum Architecture: String, Sendable, Equatable, CaseIterable {
    case armv7a = "armv7-a"
    case rv64 = "rv64"
}

public struct NamedValue: Sendable, Equatable {
    public var name: String
    public var value: UInt64
    public init(name: String, value: UInt64) {
        self.name = name
        self.value = value
    }
}

/// A writable system register: its reset value and which bits a write cannot change.
/// A write stores `(new & writable) | (old & ~writable)` then forces RES1 bits to 1 and RES0 and
/// RAZ/WI bits to 0, where `writable = ~(res0 | res1 | readOnly | razWI)`.
public struct SystemRegisterSpec: Sendable, Equatable {
    public var name: String
    public var reset: UInt64
    /// Reserved, should-be-zero: always reads 0, writes ignored.
    public var res0: UInt64
    /// Reserved, should-be-one: always reads 1, writes ignored.
    public var res1: UInt64
    /// Bits that keep their reset value whatever is written.
    public var readOnly: UInt64
    /// Implemented as read-as-zero, write-ignored on this core (e.g. HSCTLR.FI on some cores).
    public var razWI: UInt64

    public init(name: String, reset: UInt64, res0: UInt64 = 0, res1: UInt64 = 0,
                readOnly: UInt64 = 0, razWI: UInt64 = 0) {
        self.name = name
        self.reset = reset
        self.res0 = res0
        self.res1 = res1
        self.readOnly = readOnly
        self.razWI = razWI
    }

    /// The bits a write may change.
    public var writableMask: UInt64 { ~(res0 | res1 | readOnly | razWI) }

    /// The value after writing `new` over `old`.
    public func write(_ new: UInt64, over old: UInt64) -> UInt64 {
        let w = writableMask
        return (((new & w) | (old & ~w)) | res1) & ~(res0 | razWI)
    }
}

/// What a core implements. Unknown feature keys in a file are an error.
public struct Features: Sendable, Equatable {
    // ARMv7-A (ID_PFR1 / ID_ISAR0 / ID_MMFR0 say the same; the profile states it plainly).
    public var security: Bool = false          // Security Extensions (TrustZone, Monitor mode)
    public var virtualization: Bool = false    // Virtualization Extensions (Hyp mode, HVC, ERET)
    public var lpae: Bool = false              // Large Physical Address Extension
    public var genericTimer: Bool = false      // Generic Timer (CNTFRQ, CNTPCT, …)
    public var integerDivide: Bool = false     // SDIV/UDIV in ARM state
    public var multiprocessing: Bool = false   // Multiprocessing Extensions (MPIDR MP format)
    public var thumb: Bool = true              // Thumb state implemented (hetboot: not modelled yet)
    /// GIC CPU interface priority bits (5 on A15/A7: priorities masked with 0xF8).
    public var gicPriorityBits: Int = 5
    // RISC-V. The `misa` id register must agree with these (RV64Rules): every single-letter
    // extension here has its misa bit and no other letter has one; misa.S ⇔ "s" mode, misa.U ⇔
    // "u" mode.
    /// ISA extensions, in file order: single letters (`i`, `m`, `a`, `f`, `d`, `c`, `h`, …) and
    /// multi-letter names (`zicsr`, `zifencei`, `zicntr`, `sstc`, …), lower case.
    public var isaExtensions: [String] = []
    /// Privilege modes implemented: `m`, and `s`, `u` when present.
    public var privilegeModes: [String] = []
    /// Translation schemes satp accepts besides Bare (`sv39`, `sv48`, `sv57`). Empty: no MMU —
    /// satp.MODE reads Bare; on a hart without S-mode satp does not exist at all.
    public var mmuModes: [String] = []
    /// Number of PMP entries (pmpaddr0 … pmpaddrN−1); 0 = no PMP.
    public var pmpEntries: Int = 0
    /// What an ordinary load or store to a misaligned address does.
    public var misaligned: MisalignedAccess = .trap
    /// How the page-table walker treats a PTE with A = 0, or D = 0 on a store. nil when the hart
    /// has no MMU (`mmuModes` empty).
    public var adUpdate: ADUpdate?
    /// Whether reading the `time` CSR works in hardware or traps.
    public var timeCSR: TimeCSR = .hardware

    /// Misaligned loads and stores (RISC-V unprivileged spec §2.6: the EEI decides).
    public enum MisalignedAccess: String, Sendable, Equatable, CaseIterable {
        /// Load/store/AMO address-misaligned exception (mcause 4 / 6); M-mode firmware may emulate.
        case trap
        /// Ordinary loads and stores complete (not necessarily atomically); LR/SC and AMOs still
        /// raise the address-misaligned exception.
        case hardware
    }

    /// A/D bits (privileged spec §4.3.1, Svade / Svadu).
    public enum ADUpdate: String, Sendable, Equatable, CaseIterable {
        /// A page fault when A = 0, or D = 0 on a store; software sets the bits (Svade).
        case fault
        /// The walker sets A (and D on a store) in the PTE in memory, atomically (Svadu).
        case hardware
    }

    /// The `time` CSR (0xC01; Zicntr).
    public enum TimeCSR: String, Sendable, Equatable, CaseIterable {
        /// Reads return the platform timer (the CLINT's mtime), subject to mcounteren/scounteren.
        case hardware
        /// Every read raises illegal instruction, so M-mode firmware emulates it from mtime.
        case trap
    }

    public init() {}

    /// Whether an ISA extension (`"h"`, `"sstc"`, …) is implemented.
    public func hasExtension(_ name: String) -> Bool { isaExtensions.contains(name) }

    /// Whether a privilege mode (`"m"`, `"s"`, `"u"`) is implemented.
    public func hasPrivilegeMode(_ mode: String) -> Bool { privilegeModes.contains(mode) }
}

/// One cache as CCSIDR/CLIDR describe it.
public struct CacheSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case instruction, data, unified }
    public var level: Int
    public var kind: Kind
    /// The CCSIDR value a read returns when CSSELR selects this cache (ARM).
    public var ccsidr: UInt64
    public var sizeBytes: Int
    public var ways: Int
    public var lineBytes: Int

    public init(level: Int, kind: Kind, ccsidr: UInt64, sizeBytes: Int, ways: Int, lineBytes: Int) {
        self.level = level
        self.kind = kind
        self.ccsidr = ccsidr
        self.sizeBytes = sizeBytes
        self.ways = ways
        self.lineBytes = lineBytes
    }

    /// CSSELR value that selects this cache: Level[3:1] = level − 1, InD[0] = instruction.
    public var csselr: UInt32 { UInt32((level - 1) << 1) | (kind == .instruction ? 1 : 0) }
}
