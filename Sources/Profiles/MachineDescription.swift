/// A machine, read from `cpu-profiles/machines/NAME.toml` and then configured with options
/// (`--machine tc2,secure=off`, `--smp N`): the cores with their profiles, the memory map, the
/// devices and how the firmware enters the cores.
public struct MachineDescription: Sendable, Equatable {
    public var name: String
    public var description: String
    public var file: String
    public var architecture: Architecture
    /// Every core, in logical CPU order (CPU 0 first). For ARM, the logical order is also the GIC
    /// CPU-interface number.
    public var cores: [CoreSlot]
    public var ram: [MemoryRegion]
    public var devices: [DeviceSpec]
    public var boot: BootProtocol
    /// The options the machine accepts and the values in force, in QEMU's spelling.
    public var options: [MachineOption]
    /// `-smp` limits: `nil` when the core list is fixed (e.g. TC2).
    public var smp: SMPRange?
    /// RISC-V: the device tree's root `model` and `compatible` (`[device-tree]`), nil for QEMU
    /// virt's ("riscv-virtio,qemu", "riscv-virtio").
    public var deviceTreeRoot: DeviceTreeRoot?

    public init(name: String, description: String, file: String, architecture: Architecture,
                cores: [CoreSlot], ram: [MemoryRegion], devices: [DeviceSpec], boot: BootProtocol,
                options: [MachineOption], smp: SMPRange?, deviceTreeRoot: DeviceTreeRoot? = nil) {
        self.deviceTreeRoot = deviceTreeRoot
        self.name = name
        self.description = description
        self.file = file
        self.architecture = architecture
        self.cores = cores
        self.ram = ram
        self.devices = devices
        self.boot = boot
        self.options = options
        self.smp = smp
    }

    /// The first device of a kind, if any.
    public func device(kind: String) -> DeviceSpec? { devices.first { $0.kind == kind } }
}

/// One core of a machine.
public struct CoreSlot: Sendable, Equatable {
    public var profile: CoreProfile
    /// Cluster number (ARM: MPIDR Aff1). RISC-V: the `[[clusters]]` entry's id, or the group's
    /// index in a `harts=` list — informational only (no RISC-V register reports it).
    public var cluster: Int
    /// The MPIDR a read returns (ARM) / the mhartid (RISC-V: 0, 1, 2 … in logical order, so on
    /// fu740 hart 0 is the S7 monitor hart).
    public var mpidr: UInt64
    /// ARM: number of cores in this core's cluster (L2CTLR[25:24] reports it minus one).
    /// RISC-V: number of harts of the whole machine.
    public var clusterSize: Int

    public init(profile: CoreProfile, cluster: Int, mpidr: UInt64, clusterSize: Int) {
        self.profile = profile
        self.cluster = cluster
        self.mpidr = mpidr
        self.clusterSize = clusterSize
    }
}

public struct MemoryRegion: Sendable, Equatable {
    public var name: String
    public var base: UInt64
    public var size: UInt64
    public init(name: String, base: UInt64, size: UInt64) {
        self.name = name
        self.base = base
        self.size = size
    }
    public var end: UInt64 { base &+ size }
    public func contains(_ address: UInt64, length: UInt64 = 1) -> Bool {
        address >= base && length <= size && address - base <= size - length
    }
}

/// A device on the bus. `kind` selects the model (ARM: `gic-v2`, `generic-timer`, `pl011`,
/// `ve-sysregs`, `tc2-scc`; RISC-V: `mrom`, `sifive-test`, `clint`, `plic`, `ns16550a`,
/// `sifive-uart` — each machine file's header comment lists the kinds it uses and their
/// properties); `regions` are its MMIO windows; `interrupts` its interrupt IDs (GIC INTIDs /
/// PLIC source IDs); `properties` any further integer parameters the model takes (e.g. `cntfrq`,
/// `timebase`).
public struct DeviceSpec: Sendable, Equatable {
    public var name: String
    public var kind: String
    public var regions: [MemoryRegion]
    public var interrupts: [Int]
    public var properties: [NamedValue]
    /// RISC-V: the device tree node's `compatible` list; empty = the model's usual one.
    public var compatible: [String]

    public init(name: String, kind: String, regions: [MemoryRegion], interrupts: [Int],
                properties: [NamedValue], compatible: [String] = []) {
        self.compatible = compatible
        self.name = name
        self.kind = kind
        self.regions = regions
        self.interrupts = interrupts
        self.properties = properties
    }

    public func property(_ name: String) -> UInt64? { properties.first { $0.name == name }?.value }
}

/// The root of a RISC-V machine's device tree: what board this is, for software that tells
/// boards apart by it (OpenSBI's generic platform, Linux).
public struct DeviceTreeRoot: Sendable, Equatable {
    public var model: String
    public var compatible: [String]
    public init(model: String, compatible: [String]) {
        self.model = model
        self.compatible = compatible
    }
}

/// How the machine's firmware enters the cores.
public struct BootProtocol: Sendable, Equatable {
    public enum EntryMode: String, Sendable, Equatable { case svc, hyp, mon, machine, supervisor }
    public enum Security: String, Sendable, Equatable { case secure, nonSecure = "non-secure" }
    public enum Secondaries: String, Sendable, Equatable {
        /// Every core starts at the image entry (QEMU's rule for bare ELF images). RISC-V (the
        /// only value an rv64 machine takes): every hart leaves reset at the reset vector — the
        /// base of the `mrom` device, where QEMU's reset stub jumps to the start address — and
        /// `Firmware` says what runs there.
        case allAtEntry = "all-at-entry"
        /// Secondaries are off until the primary calls PSCI CPU_ON.
        case psci
        /// Secondaries wait in the boot monitor's pen: woken by an interrupt, they jump to the
        /// address in SYS_FLAGS when it is non-zero (Versatile Express boot monitor). PSCI, when
        /// a conduit is given, can start them too.
        case sysFlagsPen = "sys-flags-pen"
    }
    public enum Conduit: String, Sendable, Equatable { case none, smc, hvc }

    /// The M-mode firmware of a RISC-V machine (`[boot] firmware`, or `--bios`). It decides the
    /// entry mode: `none` and `file` start in M-mode (entry mode `machine`), `builtinSBI` enters
    /// the image in S-mode (entry mode `supervisor`). ARM machines have `none` (their firmware
    /// model is the boot protocol itself).
    public enum Firmware: Sendable, Equatable {
        /// No firmware: every hart leaves reset at the reset vector (QEMU's MROM stub) and runs
        /// the image in M-mode, as QEMU's `-bios none`.
        case none
        /// hetboot's SBI model stands in for M-mode firmware (riscv.md §5: BASE, TIME, IPI,
        /// RFENCE, HSM, SRST, DBCN, legacy putchar). As OpenSBI does (riscv.md §1): the
        /// lowest-numbered hart with S-mode is the boot hart and enters the image in S-mode with
        /// a0 = mhartid, a1 = FDT address; the other harts with S-mode wait, HSM state STOPPED,
        /// for `sbi_hart_start`; harts without S-mode stay parked in the firmware.
        case builtinSBI
        /// A firmware image (`--bios PATH`, checked to be a readable file) started in M-mode at
        /// reset on every hart, the image being its payload — QEMU's `-bios FILE -kernel IMAGE`.
        case file(String)

        /// `none`, `sbi` or the file's path, as `--bios` spells it.
        public var spelling: String {
            switch self {
            case .none: return "none"
            case .builtinSBI: return "sbi"
            case .file(let path): return path
            }
        }
    }

    public var entryMode: EntryMode
    public var security: Security
    public var secondaries: Secondaries
    public var psciConduit: Conduit
    /// ARM semihosting (SVC 0x123456 in A32) handled by the machine.
    public var semihosting: Bool
    /// RISC-V: the M-mode firmware (see `Firmware`). Always `.none` on ARM machines.
    public var firmware: Firmware
    /// ARM: when set, hetboot generates a device tree whose root `compatible` and `model` are
    /// this string (`linux,dummy-virt` for QEMU's virt board) and places it as QEMU does. RISC-V
    /// machines always get one (their firmware convention passes it in a1).
    public var deviceTree: String?

    public init(entryMode: EntryMode, security: Security, secondaries: Secondaries,
                psciConduit: Conduit, semihosting: Bool, firmware: Firmware = .none, deviceTree: String? = nil) {
        self.entryMode = entryMode
        self.security = security
        self.secondaries = secondaries
        self.deviceTree = deviceTree
        self.psciConduit = psciConduit
        self.semihosting = semihosting
        self.firmware = firmware
    }
}

/// A machine option in QEMU's spelling (`secure=on|off`) and the value in force.
public struct MachineOption: Sendable, Equatable {
    public var name: String
    public var allowed: [String]
    public var value: String
    public init(name: String, allowed: [String], value: String) {
        self.name = name
        self.allowed = allowed
        self.value = value
    }
}

public struct SMPRange: Sendable, Equatable {
    public var min: Int
    public var max: Int
    public var defaultCount: Int
    /// The name of the machine option that lists each core's profile (`harts` on virt-riscv:
    /// `--machine virt-riscv,harts=rv64gch*2+sifive-u74*2`), or nil when every core has the
    /// machine's one profile.
    public var mixOption: String?
    public init(min: Int, max: Int, defaultCount: Int, mixOption: String? = nil) {
        self.min = min
        self.max = max
        self.defaultCount = defaultCount
        self.mixOption = mixOption
    }
}
