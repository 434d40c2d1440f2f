import Profiles

/// A machine description's device list that the ARM device models cannot build.
public struct DeviceError: Error, CustomStringConvertible, Equatable {
    /// The machine file the device comes from.
    public var file: String
    /// The device's name in that file.
    public var device: String
    public var message: String

    public init(file: String, device: String, message: String) {
        self.file = file
        self.device = device
        self.message = message
    }

    public var description: String { "\(file): device '\(device)': \(message)" }
}

/// The ARM platform devices of one machine, built from its `DeviceSpec`s.
public final class ARMPlatform {
    public let gic: GICv2?
    public let timer: GenericTimer?
    public let sysRegs: VersatileExpressSysRegs?
    public let scc: TC2SCC?
    public let uarts: [PL011]
    /// Every MMIO window to map, in the machine file's device order (a GIC gives two: its
    /// `gicd` then its `gicc` region).
    public let mmio: [(region: MemoryRegion, device: MMIODevice)]

    init(gic: GICv2?, timer: GenericTimer?, sysRegs: VersatileExpressSysRegs?, scc: TC2SCC?,
         uarts: [PL011], mmio: [(region: MemoryRegion, device: MMIODevice)]) {
        self.gic = gic
        self.timer = timer
        self.sysRegs = sysRegs
        self.scc = scc
        self.uarts = uarts
        self.mmio = mmio
    }
}

/// Builds the ARM device models from a machine description: kinds `gic-v2` (regions `gicd`,
/// `gicc`, and for the Virtualization Extensions `gich`, `gich-alias`, `gicv`; interrupts:
/// none or the maintenance PPI; properties `spis`, `priority-bits`), `generic-timer` (no regions; interrupts
/// [secure phys, NS phys, virt, hyp]; property `cntfrq`), `pl011` (one region; optional SPI),
/// `ve-sysregs` (one region; properties `sys-id`, `procid0`, `procid1`, `counter-hz`) and
/// `tc2-scc` (one region; clusters taken from the machine's cores).
///
/// The devices hold `host` unowned (the machine owns the devices and is usually the host; a
/// strong reference would be a cycle): the host must outlive the platform.
public enum ARMPlatformDevices {
    public static let kinds = ["gic-v2", "generic-timer", "pl011", "ve-sysregs", "tc2-scc"]

    public static func build(machine: MachineDescription, host: DeviceHost) throws -> ARMPlatform {
        func failure(_ spec: DeviceSpec, _ message: String) -> DeviceError {
            DeviceError(file: machine.file, device: spec.name, message: message)
        }

        // Kinds first, and the singletons, so that errors come in file order.
        var seen: [String: String] = [:]
        for spec in machine.devices {
            guard kinds.contains(spec.kind) else {
                throw failure(spec, "unknown kind '\(spec.kind)' (expected one of \(kinds.joined(separator: ", ")))")
            }
            for region in spec.regions where region.size == 0 {
                throw failure(spec, "region '\(region.name)' has size 0")
            }
            if spec.kind != "pl011" {
                if let first = seen[spec.kind] {
                    throw failure(spec, "a second '\(spec.kind)' device (the machine already has '\(first)')")
                }
                seen[spec.kind] = spec.name
            }
        }

        // The GIC first: the timer and the UARTs wire their interrupts into it.
        var gic: GICv2?
        if let spec = machine.device(kind: "gic-v2") {
            gic = try buildGIC(spec, machine: machine, host: host, failure: failure)
        }

        var timer: GenericTimer?
        var sysRegs: VersatileExpressSysRegs?
        var scc: TC2SCC?
        var uarts: [PL011] = []
        var mmio: [(region: MemoryRegion, device: MMIODevice)] = []

        for spec in machine.devices {
            switch spec.kind {
            case "gic-v2":
                guard let gic, let gicd = spec.regions.first(where: { $0.name == "gicd" }),
                      let gicc = spec.regions.first(where: { $0.name == "gicc" }) else { continue }
                mmio.append((gicd, gic.distributor))
                mmio.append((gicc, gic.cpuInterface))
                // GICH and GICV exist only on a GIC with the Virtualization Extensions, which
                // QEMU gives the GIC when the CPUs have EL2 (a15mpcore.c, virt.c): without
                // them the regions stay unmapped and accesses abort.
                guard gic.hasVirtualization else { continue }
                for region in spec.regions {
                    switch region.name {
                    case "gich": mmio.append((region, gic.hypervisorInterface))
                    case "gich-alias": mmio.append((region, gic.hypervisorAliases))
                    case "gicv": mmio.append((region, gic.virtualCPUInterface))
                    default: break
                    }
                }
            case "generic-timer":
                guard let gic else { throw failure(spec, "a generic-timer needs a gic-v2 device for its PPIs") }
                guard spec.regions.isEmpty else {
                    throw failure(spec, "a generic-timer is reached through CP15 and takes no regions")
                }
                guard spec.interrupts.isEmpty || spec.interrupts.count == 4 else {
                    throw failure(spec, "interrupts must list 4 PPIs [secure phys, NS phys, virt, hyp], "
                                        + "got \(spec.interrupts.count)")
                }
                for id in spec.interrupts where !(16...31).contains(id) {
                    throw failure(spec, "interrupt \(id) is not a PPI (16–31)")
                }
                if let frequency = spec.property("cntfrq"), frequency > UInt64(UInt32.max) {
                    throw failure(spec, "property 'cntfrq' = \(frequency) does not fit CNTFRQ (32 bits)")
                }
                timer = GenericTimer(spec: spec, cpuCount: machine.cores.count, gic: gic, host: host)
            case "pl011":
                let region = try singleRegion(spec, failure: failure)
                guard spec.interrupts.count <= 1 else {
                    throw failure(spec, "a pl011 has one interrupt, got \(spec.interrupts.count)")
                }
                if let id = spec.interrupts.first {
                    guard let gic else { throw failure(spec, "interrupt \(id) given but the machine has no gic-v2") }
                    guard id >= 32, id < gic.interruptCount else {
                        throw failure(spec, "interrupt \(id) is not an SPI of the GIC (32–\(gic.interruptCount - 1))")
                    }
                }
                let uart = PL011(spec: spec, gic: gic, host: host)
                uarts.append(uart)
                mmio.append((region, uart))
            case "ve-sysregs":
                let region = try singleRegion(spec, failure: failure)
                if spec.property("counter-hz") == 0 {
                    throw failure(spec, "property 'counter-hz' must be at least 1")
                }
                let regs = VersatileExpressSysRegs(spec: spec, host: host)
                sysRegs = regs
                mmio.append((region, regs))
            case "tc2-scc":
                let region = try singleRegion(spec, failure: failure)
                let clusters = clusterList(machine.cores)
                guard clusters.count <= 2 else {
                    throw failure(spec, "the TC2 SCC describes at most 2 clusters, the machine has \(clusters.count)")
                }
                for cluster in clusters where cluster.id > 15 || cluster.count > 4 {
                    throw failure(spec, "cluster \(cluster.id) with \(cluster.count) cores does not fit the SCC "
                                        + "(IDs 0–15, at most 4 cores)")
                }
                let controller = TC2SCC(spec: spec, clusters: clusters, host: host)
                scc = controller
                mmio.append((region, controller))
            default:
                continue
            }
        }
        return ARMPlatform(gic: gic, timer: timer, sysRegs: sysRegs, scc: scc, uarts: uarts, mmio: mmio)
    }

    static func buildGIC(_ spec: DeviceSpec, machine: MachineDescription, host: DeviceHost,
                         failure: (DeviceSpec, String) -> DeviceError) throws -> GICv2 {
        let names = spec.regions.map(\.name)
        let known = ["gicd", "gicc", "gich", "gich-alias", "gicv"]
        for name in names where !known.contains(name) {
            throw failure(spec, "region '\(name)' is not modelled "
                                + "(a gic-v2 takes regions 'gicd', 'gicc', 'gich', 'gich-alias' and 'gicv')")
        }
        guard names.filter({ $0 == "gicd" }).count == 1, names.filter({ $0 == "gicc" }).count == 1 else {
            throw failure(spec, "a gic-v2 needs exactly one 'gicd' and one 'gicc' region")
        }
        for name in ["gich", "gich-alias", "gicv"] where names.filter({ $0 == name }).count > 1 {
            throw failure(spec, "a gic-v2 has at most one '\(name)' region")
        }
        let hasGICH = names.contains("gich"), hasGICV = names.contains("gicv")
        guard hasGICH == hasGICV, !names.contains("gich-alias") || hasGICH else {
            throw failure(spec, "the virtual interface needs both a 'gich' and a 'gicv' region "
                                + "('gich-alias' only with them)")
        }
        if let region = spec.regions.first(where: { $0.name == "gich-alias" }),
           region.size < UInt64(machine.cores.count) * 0x200 {
            throw failure(spec, "region 'gich-alias' of 0x\(String(region.size, radix: 16)) bytes is too small "
                                + "for \(machine.cores.count) CPUs' 0x200-byte windows")
        }
        guard spec.interrupts.count <= 1 else {
            throw failure(spec, "a gic-v2 drives one interrupt (its maintenance PPI), got \(spec.interrupts.count)")
        }
        if let id = spec.interrupts.first {
            guard (16...31).contains(id) else {
                throw failure(spec, "maintenance interrupt \(id) is not a PPI (16–31)")
            }
            guard hasGICH else {
                throw failure(spec, "maintenance interrupt \(id) given but no 'gich'/'gicv' regions")
            }
        }
        // The Virtualization Extensions come with cores that have them (a GIC serves one kind).
        let virtualizing = Set(machine.cores.map(\.profile.features.virtualization))
        guard virtualizing.count <= 1 else {
            throw failure(spec, "some cores have the Virtualization Extensions and some do not; "
                                + "the GIC's virtual interface serves all or none")
        }
        let virtualization = hasGICH && virtualizing.first == true
        guard (1...8).contains(machine.cores.count) else {
            throw failure(spec, "a GICv2 serves 1–8 CPU interfaces, the machine has \(machine.cores.count) cores")
        }
        if let spis = spec.property("spis"), spis > 988 {
            throw failure(spec, "property 'spis' = \(spis): a GICv2 has at most 988 SPIs")
        }
        let bits: Int
        if let value = spec.property("priority-bits") {
            guard (4...8).contains(value) else {
                throw failure(spec, "property 'priority-bits' = \(value): expected 4–8")
            }
            bits = Int(value)
        } else {
            let perCore = Set(machine.cores.map(\.profile.features.gicPriorityBits))
            guard perCore.count <= 1 else {
                throw failure(spec, "the cores' profiles disagree on gicPriorityBits (\(perCore.sorted())); "
                                    + "give property 'priority-bits'")
            }
            bits = perCore.first ?? 5
            guard (4...8).contains(bits) else {
                throw failure(spec, "the cores' gicPriorityBits = \(bits): expected 4–8")
            }
        }
        return GICv2(spec: spec, cpuCount: machine.cores.count, priorityBits: bits,
                     virtualization: virtualization, host: host)
    }

    static func singleRegion(_ spec: DeviceSpec, failure: (DeviceSpec, String) -> DeviceError) throws -> MemoryRegion {
        guard spec.regions.count == 1, let region = spec.regions.first else {
            throw failure(spec, "a \(spec.kind) has exactly one region, got \(spec.regions.count)")
        }
        return region
    }

    /// The machine's clusters in order of first appearance in the core list, with their sizes.
    static func clusterList(_ cores: [CoreSlot]) -> [(id: Int, count: Int)] {
        var clusters: [(id: Int, count: Int)] = []
        for core in cores {
            if let index = clusters.firstIndex(where: { $0.id == core.cluster }) {
                clusters[index].count += 1
            } else {
                clusters.append((id: core.cluster, count: 1))
            }
        }
        return clusters
    }
}
