/// A machine file as written (`cpu-profiles/machines/NAME.toml`), checked on its own.
/// `MachineBuilder` applies the options and `--smp` and resolves the core profiles.
///
/// File format:
///
///     name = "tc2"                   # must equal the file name
///     description = "…"
///     architecture = "armv7-a"       # every cluster's profile must be of it
///
///     [[clusters]]                   # logical CPU order: clusters in file order, cores in order
///     id = 0                         # ARM: MPIDR Aff1 = id, Aff0 = index in the cluster
///     profile = "cortex-a15"         # a file in cpu-profiles/cores
///     count = 2                      # required without [smp]; absent with it
///
///     [[ram]]                        # name, base, size (bytes)
///     name = "dram"
///     base = 0x80000000
///     size = 0x40000000
///
///     [[devices]]
///     name = "gic"
///     kind = "gic-v2"                # the model the emulator instantiates
///     regions = [ { name = "gicd", base = 0x2C001000, size = 0x1000 } ]   # optional
///     interrupts = [29, 30]          # optional: interrupt IDs the device drives
///     properties = { spis = 160 }    # optional: integer parameters of the model
///     when = "aclint=on"             # optional: the device exists only with that option value
///
///     [device-tree]                  # rv64 only, optional: the root of the generated DT
///     model = "SiFive HiFive Unmatched A00"       # (default: QEMU virt's)
///     compatible = ["sifive,fu740-c000", "sifive,fu740"]
///     # and in a [[devices]] table (rv64): compatible = ["…"], its node's list instead of the
///     # model's usual one
///
///     [boot]                         # every key of the architecture required
///     entry-mode = "hyp"             # armv7-a: svc | hyp | mon; rv64: machine | supervisor
///     security = "non-secure"        # ARM only: secure | non-secure
///     secondaries = "sys-flags-pen"  # all-at-entry | psci | sys-flags-pen (rv64: all-at-entry)
///     psci-conduit = "smc"           # ARM only: none | smc | hvc
///     device-tree = "linux,dummy-virt" # ARM only, optional: generate a device tree with this
///                                    # root compatible/model and place it as QEMU's virt does
///     semihosting = true
///     firmware = "none"              # rv64 only: none (entry-mode machine) | sbi (entry-mode
///                                    # supervisor); --bios none|sbi|FILE overrides it
///
///     [options.secure]               # QEMU's spelling: --machine NAME,secure=off
///     default = "on"
///     on = { }                       # each value's overrides, any of:
///     off = { entry-mode = "hyp", security = "non-secure",   # [boot] keys,
///             features = { security = false },               # core features (every core),
///             clear-id-bits = { ID_PFR1 = 0x000000F0 } }     # ID register bits to clear
///
///     [smp]                          # omit for a fixed core list; with it, exactly one
///     min = 1                        # cluster, whose core count is --smp N (or default)
///     max = 4
///     default = 1
///     mix-option = "harts"           # optional: the option that gives each core its profile
///
/// Options apply in file order, each value's overrides on top of the previous ones, so a later
/// option can refine what an earlier one set. No two RAM or device regions may overlap.
///
/// A machine with `[smp] mix-option = "harts"` takes `--machine NAME,harts=LIST`, where LIST is
/// `PROFILE[*N]` groups joined by `+` in logical order (mhartid 0 first), N from 1 (the
/// default) to 256: `virt-riscv,harts=rv64gch*2+sifive-u74*2` gives harts 0–1 rv64gch and 2–3
/// sifive-u74. Each group becomes a cluster numbered from 0 (ARM: MPIDR Aff1). The total must lie
/// in [smp]'s range; `harts=` replaces --smp (giving both is an error), and any profile of the
/// machine's architecture may appear.
struct MachineFile {
    struct Cluster {
        var id: Int
        var profile: String
        var count: Int?
        /// `clusters[0]`, for errors.
        var label: String
    }

    struct BootOverrides {
        var entryMode: BootProtocol.EntryMode?
        var security: BootProtocol.Security?
        var secondaries: BootProtocol.Secondaries?
        var psciConduit: BootProtocol.Conduit?
        var semihosting: Bool?
        var firmware: BootProtocol.Firmware?
    }

    /// `[boot] firmware` as a file spells it (`--bios` also takes a path).
    enum FirmwareName: String, CaseIterable {
        case none, sbi
        var firmware: BootProtocol.Firmware { self == .none ? .none : .builtinSBI }
    }

    struct OptionValue {
        var value: String
        var boot: BootOverrides
        var features: [FeatureSetting]
        var clearIDBits: [NamedValue]
        /// `options.secure.off`, for errors.
        var label: String
    }

    struct DeviceCondition {
        /// `devices[index]`, for errors.
        var index: Int
        var device: String
        var option: String
        var value: String
    }

    struct Option {
        var name: String
        var defaultValue: String
        var values: [OptionValue]
    }

    var file: String
    var name: String
    var description: String
    var architecture: Architecture
    var clusters: [Cluster]
    var ram: [MemoryRegion]
    var devices: [DeviceSpec]
    /// `devices[i].when`: a device that exists only while an option has a value.
    var deviceConditions: [DeviceCondition]
    var boot: BootProtocol
    var options: [Option]
    var smp: SMPRange?
    var deviceTreeRoot: DeviceTreeRoot?

    static let topLevelKeys = ["name", "description", "architecture", "clusters", "ram", "devices", "boot",
                               "options", "smp", "device-tree"]
    static let bootKeys = ["entry-mode", "security", "secondaries", "psci-conduit", "semihosting", "firmware"]

    /// The keys a [boot] table of the architecture gives.
    static func bootKeys(_ architecture: Architecture) -> [String] {
        architecture == .armv7a ? bootKeys.filter { $0 != "firmware" }
                                : bootKeys.filter { $0 != "security" && $0 != "psci-conduit" }
    }

    /// RISC-V: the mode hetboot enters guest code in follows from the firmware — M-mode for no
    /// firmware or a firmware file, S-mode (on the boot hart) for the built-in SBI model.
    static func entryMode(for firmware: BootProtocol.Firmware) -> BootProtocol.EntryMode {
        firmware == .builtinSBI ? .supervisor : .machine
    }

    /// Physical address space: ARMv7-A with LPAE has 40 bits; RV64 (Sv39–Sv57) 56 bits.
    static func addressLimit(_ architecture: Architecture) -> UInt64 {
        architecture == .armv7a ? 1 << 40 : 1 << 56
    }

    static func entryModes(_ architecture: Architecture) -> [BootProtocol.EntryMode] {
        architecture == .armv7a ? [.svc, .hyp, .mon] : [.machine, .supervisor]
    }

    static func read(file: String, expectedName: String) throws -> MachineFile {
        let root = try TableReader.load(file: file)
        try root.allowOnly(topLevelKeys)
        let name = try root.requiredString("name")
        guard name == expectedName else {
            throw root.error("name", "\"\(name)\" differs from the file name; expected \"\(expectedName)\"")
        }
        let description = try root.requiredString("description")
        guard let architecture = try root.choice("architecture", Architecture.allCases) else {
            throw root.error("architecture", "missing; expected \(TableReader.list(Architecture.allCases.map { "\"\($0.rawValue)\"" }))")
        }

        let smp = try readSMP(root)
        let clusters = try readClusters(root, smp: smp)
        let ram = try readRAM(root)
        let (devices, conditions) = try readDevices(root, architecture: architecture)
        try MemoryMap.checkNoOverlap(ram: ram, devices: devices, architecture: architecture, file: file)

        guard let bootTable = try root.table("boot") else {
            throw root.error("boot", "missing; expected a [boot] table with \(bootKeys(architecture).joined(separator: ", "))")
        }
        let boot = try readBoot(bootTable, architecture: architecture)
        let options = try readOptions(root, architecture: architecture)
        if let mix = smp?.mixOption, options.contains(where: { $0.name == mix }) {
            throw root.error("smp.mix-option", "\"\(mix)\" is also an [options] table; expected a name of its own")
        }
        for condition in conditions {
            guard let option = options.first(where: { $0.name == condition.option }),
                  option.values.contains(where: { $0.value == condition.value }) else {
                let known = options.flatMap { o in o.values.map { "\(o.name)=\($0.value)" } }
                throw ProfileError(file: file, key: "devices[\(condition.index)].when",
                                   message: "\"\(condition.option)=\(condition.value)\" is not an option value of this machine; expected one of \(known.isEmpty ? "none (it has no options)" : known.joined(separator: ", "))")
            }
        }

        var deviceTreeRoot: DeviceTreeRoot?
        if let tree = try root.table("device-tree") {
            guard architecture == .rv64 else { throw tree.error("a RISC-V device-tree setting; remove it for armv7-a") }
            try tree.allowOnly(["model", "compatible"])
            let compatible = try tree.stringArray("compatible") ?? []
            guard !compatible.isEmpty else { throw tree.error("compatible", "missing or empty; expected the board's compatible strings") }
            deviceTreeRoot = DeviceTreeRoot(model: try tree.requiredString("model"), compatible: compatible)
        }
        return MachineFile(file: file, name: name, description: description, architecture: architecture,
                           clusters: clusters, ram: ram, devices: devices, deviceConditions: conditions, boot: boot,
                           options: options, smp: smp, deviceTreeRoot: deviceTreeRoot)
    }

    // MARK: Cores

    static func readSMP(_ root: TableReader) throws -> SMPRange? {
        guard let smp = try root.table("smp") else { return nil }
        try smp.allowOnly(["min", "max", "default", "mix-option"])
        let min = try smp.requiredInt("min", in: 1...256)
        let max = try smp.requiredInt("max", in: min...256)
        let defaultCount = try smp.requiredInt("default", in: min...max)
        let mix = try smp.string("mix-option")
        if let mix, !isLowerName(mix) || mix == "smp" {
            throw smp.error("mix-option", mix == "smp" ? "smp is the core count, not a profile list; expected a name such as \"harts\""
                                                       : "\"\(mix)\" is not an option name; expected lower-case letters, digits and -")
        }
        return SMPRange(min: min, max: max, defaultCount: defaultCount, mixOption: mix)
    }

    static func readClusters(_ root: TableReader, smp: SMPRange?) throws -> [Cluster] {
        guard let tables = try root.tables("clusters"), !tables.isEmpty else {
            throw root.error("clusters", "missing; expected at least one [[clusters]] table")
        }
        if smp != nil, tables.count != 1 {
            throw tables[1].error("a machine with [smp] has exactly one cluster, whose size --smp sets")
        }
        var clusters: [Cluster] = []
        for table in tables {
            try table.allowOnly(["id", "profile", "count"])
            let id = try table.requiredInt("id", in: 0...255)
            if clusters.contains(where: { $0.id == id }) {
                throw table.error("id", "cluster \(id) is defined twice")
            }
            let profile = try table.requiredString("profile")
            let count: Int?
            if smp != nil {
                if table.has("count") {
                    throw table.error("count", "not allowed with [smp]: the core count is --smp N (default \(smp?.defaultCount ?? 1))")
                }
                count = nil
            } else {
                count = try table.requiredInt("count", in: 1...256)
            }
            clusters.append(Cluster(id: id, profile: profile, count: count, label: table.label))
        }
        return clusters
    }

    // MARK: Memory map

    static func readRAM(_ root: TableReader) throws -> [MemoryRegion] {
        guard let tables = try root.tables("ram"), !tables.isEmpty else {
            throw root.error("ram", "missing; expected at least one [[ram]] table")
        }
        var ram: [MemoryRegion] = []
        for table in tables {
            try table.allowOnly(["name", "base", "size"])
            let region = try readRegion(table)
            if ram.contains(where: { $0.name == region.name }) {
                throw table.error("name", "RAM region \"\(region.name)\" is defined twice")
            }
            ram.append(region)
        }
        return ram
    }

    static func readRegion(_ table: TableReader) throws -> MemoryRegion {
        let name = try table.requiredString("name")
        guard !name.isEmpty else { throw table.error("name", "empty; expected a name") }
        let base = try table.requiredUInt64("base")
        let size = try table.requiredUInt64("size")
        guard size > 0 else { throw table.error("size", "zero; expected a size in bytes") }
        return MemoryRegion(name: name, base: base, size: size)
    }

    static func readDevices(_ root: TableReader, architecture: Architecture) throws -> ([DeviceSpec], [DeviceCondition]) {
        guard let tables = try root.tables("devices") else { return ([], []) }
        let maxInterrupt = architecture == .armv7a ? 1019 : 4095   // GICv2 INTIDs end at 1019
        var devices: [DeviceSpec] = []
        var conditions: [DeviceCondition] = []
        for table in tables {
            try table.allowOnly(["name", "kind", "regions", "interrupts", "properties", "when", "compatible"])
            let name = try table.requiredString("name")
            guard !name.isEmpty else { throw table.error("name", "empty; expected a name") }
            if devices.contains(where: { $0.name == name }) {
                throw table.error("name", "device \"\(name)\" is defined twice")
            }
            let kind = try table.requiredString("kind")
            guard isLowerName(kind) else {
                throw table.error("kind", "\"\(kind)\" is not a model name; expected lower-case letters, digits and -")
            }
            var regions: [MemoryRegion] = []
            for region in try table.tables("regions") ?? [] {
                try region.allowOnly(["name", "base", "size"])
                let r = try readRegion(region)
                if regions.contains(where: { $0.name == r.name }) {
                    throw region.error("name", "region \"\(r.name)\" of \(name) is defined twice")
                }
                regions.append(r)
            }
            let interrupts = try table.intArray("interrupts", in: 0...maxInterrupt) ?? []
            var properties: [NamedValue] = []
            if let props = try table.table("properties") {
                for key in props.keys {
                    guard isLowerName(key) else {
                        throw props.error(key, "not a property name; expected lower-case letters, digits and -")
                    }
                    properties.append(NamedValue(name: key, value: try props.requiredUInt64(key)))
                }
            }
            if let when = try table.string("when") {
                let parts = when.split(separator: "=", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw table.error("when", "\"\(when)\" is not option=value")
                }
                conditions.append(DeviceCondition(index: devices.count, device: name, option: String(parts[0]), value: String(parts[1])))
            }
            let compatible = try table.stringArray("compatible") ?? []
            if !compatible.isEmpty, architecture != .rv64 {
                throw table.error("compatible", "a RISC-V device-tree setting; remove it for armv7-a")
            }
            devices.append(DeviceSpec(name: name, kind: kind, regions: regions, interrupts: interrupts,
                                      properties: properties, compatible: compatible))
        }
        return (devices, conditions)
    }

    // MARK: Boot and options

    static func readBoot(_ table: TableReader, architecture: Architecture) throws -> BootProtocol {
        let overrides = try readBootOverrides(table, architecture: architecture, allowed: bootKeys + ["device-tree"])
        guard let entryMode = overrides.entryMode else {
            throw table.error("entry-mode", "missing; expected \(TableReader.list(entryModes(architecture).map { "\"\($0.rawValue)\"" }))")
        }
        guard let secondaries = overrides.secondaries else {
            throw table.error("secondaries", architecture == .armv7a ? "missing; expected \"all-at-entry\", \"psci\" or \"sys-flags-pen\""
                                                                     : "missing; expected \"all-at-entry\"")
        }
        guard let semihosting = overrides.semihosting else { throw table.error("semihosting", "missing; expected true or false") }
        let security: BootProtocol.Security
        let conduit: BootProtocol.Conduit
        var firmware = BootProtocol.Firmware.none
        var deviceTree: String?
        switch architecture {
        case .armv7a:
            guard let s = overrides.security else { throw table.error("security", "missing; expected \"secure\" or \"non-secure\"") }
            guard let c = overrides.psciConduit else { throw table.error("psci-conduit", "missing; expected \"none\", \"smc\" or \"hvc\"") }
            security = s
            conduit = c
            deviceTree = try table.string("device-tree")
        case .rv64:
            guard let f = overrides.firmware else { throw table.error("firmware", "missing; expected \"none\" or \"sbi\"") }
            security = .nonSecure
            conduit = .none
            firmware = f
            try checkEntryMode(entryMode, firmware: f, in: table)
        }
        return BootProtocol(entryMode: entryMode, security: security, secondaries: secondaries,
                            psciConduit: conduit, semihosting: semihosting, firmware: firmware,
                            deviceTree: deviceTree)
    }

    /// RISC-V: `entry-mode` must be the one the firmware enters guest code in.
    static func checkEntryMode(_ mode: BootProtocol.EntryMode, firmware: BootProtocol.Firmware,
                               in table: TableReader) throws {
        let expected = entryMode(for: firmware)
        guard mode == expected else {
            let reason = firmware == .builtinSBI ? "the SBI firmware enters the image in S-mode" : "with no firmware the image runs from reset in M-mode"
            throw table.error("entry-mode", "\"\(mode.rawValue)\" contradicts firmware = \"\(firmware.spelling)\": \(reason); expected \"\(expected.rawValue)\"")
        }
    }

    /// The [boot] keys a table gives (a [boot] table, or an option value's overrides).
    static func readBootOverrides(_ table: TableReader, architecture: Architecture,
                                  allowed: [String]) throws -> BootOverrides {
        try table.allowOnly(allowed)
        switch architecture {
        case .rv64:
            for key in ["security", "psci-conduit"] where table.has(key) {
                throw table.error(key, "an ARM boot setting; remove it for rv64")
            }
        case .armv7a:
            if table.has("firmware") { throw table.error("firmware", "a RISC-V boot setting; remove it for armv7-a") }
        }
        if architecture == .rv64 && table.has("device-tree") {
            throw table.error("device-tree", "an ARM boot setting (a RISC-V machine always gets a device tree); remove it for rv64")
        }
        let secondaries: [BootProtocol.Secondaries] = architecture == .armv7a ? [.allAtEntry, .psci, .sysFlagsPen] : [.allAtEntry]
        return BootOverrides(
            entryMode: try table.choice("entry-mode", entryModes(architecture)),
            security: try table.choice("security", [BootProtocol.Security.secure, .nonSecure]),
            secondaries: try table.choice("secondaries", secondaries),
            psciConduit: try table.choice("psci-conduit", [BootProtocol.Conduit.none, .smc, .hvc]),
            semihosting: try table.bool("semihosting"),
            firmware: try table.choice("firmware", FirmwareName.allCases)?.firmware)
    }

    static func readOptions(_ root: TableReader, architecture: Architecture) throws -> [Option] {
        guard let table = try root.table("options") else { return [] }
        var options: [Option] = []
        for name in table.keys {
            guard isLowerName(name), name != "smp" else {
                throw table.error(name, name == "smp" ? "smp is reserved for the [smp] table" : "not an option name; expected lower-case letters, digits and -")
            }
            guard let option = try table.table(name) else { continue }
            var values: [OptionValue] = []
            for value in option.keys where value != "default" {
                guard isLowerName(value) else {
                    throw option.error(value, "not an option value; expected lower-case letters, digits and -")
                }
                guard let overrides = try option.table(value) else { continue }
                let boot = try readBootOverrides(overrides, architecture: architecture,
                                                 allowed: bootKeys + ["features", "clear-id-bits"])
                let features = try overrides.table("features").map {
                    try FeatureKeys.parse($0, architecture: architecture)
                } ?? []
                var clears: [NamedValue] = []
                if let bits = try overrides.table("clear-id-bits") {
                    for register in bits.keys {
                        clears.append(NamedValue(name: register,
                                                 value: try bits.requiredUInt64(register, bits: CoreLayer.registerBits(architecture))))
                    }
                }
                values.append(OptionValue(value: value, boot: boot, features: features, clearIDBits: clears,
                                          label: overrides.label))
            }
            guard !values.isEmpty else {
                throw table.error(name, "no values; expected value tables such as on = { } and off = { … }")
            }
            let allowed = values.map(\.value)
            guard let defaultValue = try option.string("default") else {
                throw option.error("default", "missing; expected one of \(TableReader.list(allowed))")
            }
            guard allowed.contains(defaultValue) else {
                throw option.error("default", "\"\(defaultValue)\" is not one of the values; expected \(TableReader.list(allowed))")
            }
            options.append(Option(name: name, defaultValue: defaultValue, values: values))
        }
        return options
    }

    static func isLowerName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
