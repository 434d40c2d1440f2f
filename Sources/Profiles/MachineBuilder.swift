/// A `--machine` argument in QEMU's spelling: `NAME[,option=value…]`, e.g. `tc2`,
/// `vexpress-a15,secure=off,smp=2`.
struct MachineSpec {
    var name: String
    /// In the order given; keys are distinct.
    var options: [(key: String, value: String)]

    init(parsing text: String, directory: String) throws {
        func fail(_ message: String) -> ProfileError {
            ProfileError(file: directory, key: "--machine", message: message)
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty else {
            throw fail("\"\(text)\" names no machine; expected NAME[,option=value…]")
        }
        name = first
        options = []
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else {
                throw fail("\"\(part)\" in \"\(text)\" is not option=value")
            }
            let key = String(part[..<equals])
            let value = String(part[part.index(after: equals)...])
            guard !key.isEmpty, !value.isEmpty else {
                throw fail("\"\(part)\" in \"\(text)\" is not option=value")
            }
            guard !options.contains(where: { $0.key == key }) else {
                throw fail("option \(key) is given twice in \"\(text)\"")
            }
            options.append((key, value))
        }
    }
}

/// Builds a `MachineDescription` from a machine file, the options in force and `--smp`.
struct MachineBuilder {
    let machine: MachineFile
    let spec: MachineSpec
    let smp: Int?
    /// Resolves a core profile by name (the store's `core(_:)`), and the names it knows.
    let core: (String) throws -> CoreProfile
    let coreNames: [String]

    func build() throws -> MachineDescription {
        let chosen = try chosenValues()
        let count = try coreCount()

        var boot = machine.boot
        var features: [FeatureSetting] = []
        var clears: [(bits: NamedValue, label: String)] = []
        for (_, value) in chosen {
            if let v = value.boot.entryMode { boot.entryMode = v }
            if let v = value.boot.security { boot.security = v }
            if let v = value.boot.secondaries { boot.secondaries = v }
            if let v = value.boot.psciConduit { boot.psciConduit = v }
            if let v = value.boot.semihosting { boot.semihosting = v }
            features = FeatureKeys.merge(features, value.features)
            clears += value.clearIDBits.map { ($0, "\(value.label).clear-id-bits.\($0.name)") }
        }

        let sizes = machine.clusters.map { $0.count ?? count ?? machine.smp?.defaultCount ?? 1 }
        try checkCoreCount(sizes.reduce(0, +))
        var cores: [CoreSlot] = []
        for (cluster, size) in zip(machine.clusters, sizes) {
            var profile = try loadProfile(cluster)
            FeatureKeys.apply(features, to: &profile.features)
            for clear in clears {
                guard let i = profile.idRegisters.firstIndex(where: { $0.name == clear.bits.name }) else {
                    throw ProfileError(file: machine.file, key: clear.label,
                                       message: "\(profile.name) has no ID register \(clear.bits.name)")
                }
                profile.idRegisters[i].value &= ~clear.bits.value
            }
            try fillClusterSize(&profile, size: size, cluster: cluster)
            for index in 0..<size {
                let mpidr: UInt64
                switch machine.architecture {
                case .armv7a:
                    // MPIDR (ARM ARM B4.1.106): bit 31 = 1 (multiprocessing format),
                    // Aff1 [15:8] = cluster, Aff0 [7:0] = core in the cluster.
                    mpidr = 0x8000_0000 | UInt64(cluster.id) << 8 | UInt64(index)
                case .rv64:
                    mpidr = UInt64(cores.count)   // mhartid: harts are numbered in logical order
                }
                cores.append(CoreSlot(profile: profile, cluster: cluster.id, mpidr: mpidr, clusterSize: size))
            }
        }

        try checkBoot(boot, cores: cores, chosen: chosen)
        return MachineDescription(
            name: machine.name, description: machine.description, file: machine.file,
            architecture: machine.architecture, cores: cores, ram: machine.ram, devices: machine.devices,
            boot: boot,
            options: chosen.map { MachineOption(name: $0.option.name, allowed: $0.option.values.map(\.value),
                                                value: $0.value.value) },
            smp: machine.smp)
    }

    // MARK: Options and --smp

    func specError(_ message: String) -> ProfileError {
        ProfileError(file: machine.file, key: "--machine", message: message)
    }

    /// Every option with the value in force, in file order.
    func chosenValues() throws -> [(option: MachineFile.Option, value: MachineFile.OptionValue)] {
        let known = machine.options.map(\.name) + (machine.smp != nil ? ["smp"] : [])
        for given in spec.options where !known.contains(given.key) {
            let list = known.isEmpty ? "it takes no options" : "its options are \(known.joined(separator: ", "))"
            throw specError("\(machine.name) has no option \"\(given.key)\"; \(list)")
        }
        return try machine.options.map { option in
            let wanted = spec.options.first { $0.key == option.name }?.value ?? option.defaultValue
            guard let value = option.values.first(where: { $0.value == wanted }) else {
                let allowed = option.values.map { "\(option.name)=\($0.value)" }
                throw specError("\(option.name)=\(wanted) is not allowed; expected \(TableReader.list(allowed))")
            }
            return (option, value)
        }
    }

    /// `--smp N`, or `smp=N` in the spec (they must agree), checked against [smp].
    func coreCount() throws -> Int? {
        var fromSpec: Int?
        if let text = spec.options.first(where: { $0.key == "smp" })?.value {
            guard let n = Int(text) else { throw specError("smp=\(text): expected a number of cores") }
            fromSpec = n
        }
        if let smp, let fromSpec, smp != fromSpec {
            throw ProfileError(file: machine.file, key: "--smp",
                               message: "\(smp) contradicts smp=\(fromSpec) in --machine")
        }
        guard let count = smp ?? fromSpec else { return nil }
        guard let range = machine.smp else {
            let list = machine.clusters.map { "\($0.count ?? 1) × \($0.profile)" }.joined(separator: " + ")
            throw ProfileError(file: machine.file, key: "--smp",
                               message: "\(machine.name) has a fixed core list (\(list)); it takes no --smp")
        }
        guard (range.min...range.max).contains(count) else {
            let takes = range.min == range.max ? "\(range.min)" : "\(range.min) to \(range.max)"
            throw ProfileError(file: machine.file, key: "--smp",
                               message: "\(machine.name) takes \(takes) cores, not \(count)")
        }
        return count
    }

    // MARK: Cores

    func loadProfile(_ cluster: MachineFile.Cluster) throws -> CoreProfile {
        guard coreNames.contains(cluster.profile) else {
            throw ProfileError(file: machine.file, key: "\(cluster.label).profile",
                               message: "no core profile \"\(cluster.profile)\"; known profiles: \(coreNames.joined(separator: ", "))")
        }
        let profile = try core(cluster.profile)
        guard profile.architecture == machine.architecture else {
            throw ProfileError(file: machine.file, key: "\(cluster.label).profile",
                               message: "\(profile.name) is \(profile.architecture.rawValue) but \(machine.name) is \(machine.architecture.rawValue)")
        }
        return profile
    }

    /// L2CTLR[25:24] ("number of processors" in the Cortex-A15 and Cortex-A7 TRMs' L2CTLR
    /// description; arm-v7-tc2.md §1) reads as the cluster's core count minus one. The profile leaves the field 0; the machine fills it in,
    /// and a cluster larger than the field can say is an error.
    func fillClusterSize(_ profile: inout CoreProfile, size: Int, cluster: MachineFile.Cluster) throws {
        guard let i = profile.systemRegisters.firstIndex(where: { $0.name == "L2CTLR" }) else { return }
        guard size <= 4 else {
            throw ProfileError(file: machine.file, key: cluster.count != nil ? "\(cluster.label).count" : "--smp",
                               message: "\(size) cores: \(profile.name) reports its cluster size in L2CTLR[25:24], so a cluster has at most 4 cores")
        }
        let field: UInt64 = 0x0300_0000
        profile.systemRegisters[i].reset = (profile.systemRegisters[i].reset & ~field) | (UInt64(size - 1) << 24)
        profile.systemRegisters[i].readOnly |= field
    }

    /// A GICv2 distributor serves at most 8 CPU interfaces (GICD_ITARGETSR has one bit per
    /// CPU; GICv2 architecture specification §4.3.12); no machine has more than 256 cores.
    func checkCoreCount(_ total: Int) throws {
        let limit = machine.devices.contains { $0.kind == "gic-v2" } ? 8 : 256
        guard total <= limit else {
            let reason = limit == 8 ? "its gic-v2 serves at most 8 CPUs" : "a machine has at most 256 cores"
            throw ProfileError(file: machine.file, key: machine.smp != nil ? "--smp" : "clusters",
                               message: "\(total) cores in all, but \(reason)")
        }
    }

    // MARK: Boot

    /// The entry mode, security state and PSCI conduit must exist on every core.
    func checkBoot(_ boot: BootProtocol, cores: [CoreSlot],
                   chosen: [(option: MachineFile.Option, value: MachineFile.OptionValue)]) throws {
        let inForce = chosen.map { "\($0.option.name)=\($0.value.value)" }.joined(separator: ",")
        let settings = chosen.isEmpty ? "" : " (with \(inForce))"
        for (cpu, slot) in cores.enumerated() {
            let f = slot.profile.features
            func fail(_ key: String, _ message: String) -> ProfileError {
                ProfileError(file: machine.file, key: "boot.\(key)",
                             message: "\(message), which \(slot.profile.name) (CPU \(cpu)) lacks\(settings)")
            }
            switch machine.architecture {
            case .armv7a:
                if boot.entryMode == .hyp, !f.virtualization {
                    throw fail("entry-mode", "hyp needs the Virtualization Extensions")
                }
                if boot.entryMode == .mon, !f.security { throw fail("entry-mode", "mon needs the Security Extensions") }
                if boot.security == .secure, !f.security {
                    throw fail("security", "secure needs the Security Extensions")
                }
                if boot.psciConduit == .smc, !f.security {
                    throw fail("psci-conduit", "smc needs the Security Extensions")
                }
                if boot.psciConduit == .hvc, !f.virtualization {
                    throw fail("psci-conduit", "hvc needs the Virtualization Extensions")
                }
            case .rv64:
                if boot.entryMode == .supervisor, !f.privilegeModes.contains("s") {
                    throw fail("entry-mode", "supervisor needs S-mode")
                }
            }
        }
    }
}
