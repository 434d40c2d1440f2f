import Profiles

/// What a RISC-V machine description says, checked and put in the terms the device tree needs:
/// the harts with their ISA string, MMU type and modes, and the devices by role. Every problem
/// is a `ProfileError` naming the machine (or profile) file and the key.
struct RISCVDeviceTreePlan {
    struct Hart {
        var index: Int
        var hartID: UInt64
        var cluster: Int
        /// Position within the cluster, for `/cpus/cpu-map/clusterN/coreK`.
        var coreInCluster: Int
        var isa: String
        /// `riscv,sv39` / `riscv,sv48` / `riscv,sv57` from the highest translation mode; nil
        /// without one (no S-mode, or `bare` only).
        var mmuType: String?
        var hasSupervisor: Bool
    }

    struct Device {
        var index: Int
        var spec: DeviceSpec
        var base: UInt64 { spec.regions[0].base }
        var unitName: String { String(base, radix: 16) }
    }

    var harts: [Hart] = []
    var clint: Device
    /// The CLINT's mtime frequency, which is every hart's timebase.
    var timebase: UInt64
    var plic: Device?
    /// `riscv,ndev`: the highest PLIC interrupt source (sources are 1 … ndev; 0 means none).
    var plicSources: UInt64 = 0
    /// ns16550a and sifive-uart devices, in machine order.
    var uarts: [Device] = []
    var tests: [Device] = []
    /// The ACLINT SSWI (QEMU virt `aclint=on`): with it the tree describes the CLINT as
    /// QEMU's ACLINT nodes (MSWI, MTIMER, SSWI) instead of one `clint` node.
    var sswi: Device?

    /// Device kinds the tree describes.
    static let kinds = ["clint", "plic", "ns16550a", "sifive-uart", "sifive-test", "aclint-sswi"]
    /// Translation modes, widest first (the privileged spec's satp.MODE values Sv57, Sv48, Sv39).
    static let mmuModes = ["sv57", "sv48", "sv39"]
    /// The PLIC specification allows sources 1 … 1023.
    static let maxPLICSources: UInt64 = 1023

    init(_ machine: MachineDescription) throws {
        let file = machine.file
        guard machine.architecture == .rv64 else {
            throw ProfileError(file: file, key: "architecture",
                               message: "\"\(machine.architecture.rawValue)\"; a RISC-V device tree needs an rv64 machine")
        }
        guard !machine.cores.isEmpty else {
            throw ProfileError(file: file, key: "cores", message: "none; expected at least one hart")
        }

        var clint: Device?
        var plic: Device?
        var sswi: Device?
        for (i, spec) in machine.devices.enumerated() {
            guard RISCVDeviceTreePlan.kinds.contains(spec.kind) else {
                throw ProfileError(file: file, key: "devices[\(i)].kind",
                                   message: "\"\(spec.kind)\" has no device-tree node; expected \(RISCVDeviceTreePlan.kinds.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            guard !spec.regions.isEmpty else {
                throw ProfileError(file: file, key: "devices[\(i)].regions",
                                   message: "none; expected the MMIO window of \(spec.name)")
            }
            let device = Device(index: i, spec: spec)
            switch spec.kind {
            case "clint":
                if let first = clint { throw RISCVDeviceTreePlan.second(file, i, first) }
                clint = device
            case "plic":
                if let first = plic { throw RISCVDeviceTreePlan.second(file, i, first) }
                plic = device
            case "aclint-sswi":
                if let first = sswi { throw RISCVDeviceTreePlan.second(file, i, first) }
                sswi = device
            case "sifive-test": tests.append(device)
            default: uarts.append(device)
            }
        }

        guard let clint else {
            throw ProfileError(file: file, key: "devices",
                               message: "no clint; expected one, its timebase property gives /cpus timebase-frequency")
        }
        guard let timebase = clint.spec.property("timebase"), timebase > 0 else {
            throw ProfileError(file: file, key: "devices[\(clint.index)].properties.timebase",
                               message: "missing or zero; expected the mtime frequency in Hz")
        }
        self.clint = clint
        self.timebase = timebase
        self.plic = plic
        self.sswi = sswi
        if let plic {
            guard let sources = plic.spec.property("sources"),
                  (1...RISCVDeviceTreePlan.maxPLICSources).contains(sources) else {
                throw ProfileError(file: file, key: "devices[\(plic.index)].properties.sources",
                                   message: "missing or out of range; expected the number of interrupt sources, 1 to \(RISCVDeviceTreePlan.maxPLICSources)")
            }
            plicSources = sources
        }

        for device in uarts + tests {
            for (j, irq) in device.spec.interrupts.enumerated() {
                guard plic != nil else {
                    throw ProfileError(file: file, key: "devices[\(device.index)].interrupts[\(j)]",
                                       message: "\(irq) but the machine has no plic; expected no interrupts")
                }
                guard irq >= 1, UInt64(irq) <= plicSources else {
                    throw ProfileError(file: file, key: "devices[\(device.index)].interrupts[\(j)]",
                                       message: "\(irq); expected a PLIC source from 1 to \(plicSources)")
                }
            }
        }

        var nodeNames: [String: Int] = [:]
        for device in uarts + tests + [plic, clint, sswi].compactMap({ $0 }) {
            let name = RISCVDeviceTreePlan.nodeName(device)
            if let other = nodeNames[name] {
                throw ProfileError(file: file, key: "devices[\(device.index)].regions[0].base",
                                   message: "0x\(device.unitName) is also the base of devices[\(other)]; expected one device per address")
            }
            nodeNames[name] = device.index
        }

        var clusterCount: [Int: Int] = [:]
        for (i, slot) in machine.cores.enumerated() {
            let profile = slot.profile
            guard profile.architecture == .rv64 else {
                throw ProfileError(file: file, key: "cores[\(i)]",
                                   message: "profile \(profile.name) is \(profile.architecture.rawValue); expected an rv64 hart")
            }
            if let other = harts.first(where: { $0.hartID == slot.mpidr }) {
                throw ProfileError(file: file, key: "cores[\(i)]",
                                   message: "hart ID \(slot.mpidr) is also the ID of cores[\(other.index)]; expected unique mhartid values")
            }
            let modes = profile.features.mmuModes
            let mode = RISCVDeviceTreePlan.mmuModes.first { modes.contains($0) }
            let core = clusterCount[slot.cluster, default: 0]
            clusterCount[slot.cluster] = core + 1
            harts.append(Hart(index: i, hartID: slot.mpidr, cluster: slot.cluster, coreInCluster: core,
                              isa: try RISCVISAString.string(for: profile),
                              mmuType: mode.map { "riscv,\($0)" },
                              hasSupervisor: profile.features.privilegeModes.contains("s")))
        }
    }

    /// The node's name under /soc: QEMU's names (`hw/riscv/virt.c`), unit address in hex.
    static func nodeName(_ device: Device) -> String {
        switch device.spec.kind {
        case "clint": return "clint@\(device.unitName)"
        case "plic": return "plic@\(device.unitName)"
        case "sifive-test": return "test@\(device.unitName)"
        case "aclint-sswi": return "sswi@\(device.unitName)"
        default: return "serial@\(device.unitName)"
        }
    }

    private static func second(_ file: String, _ index: Int, _ first: Device) -> ProfileError {
        ProfileError(file: file, key: "devices[\(index)].kind",
                     message: "a second \(first.spec.kind) (the first is devices[\(first.index)]); expected one per machine")
    }
}
