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

/// Builds a `MachineDescription` from a machine file, the options in force, `--smp` (or the
/// machine's profile list, `harts=`) and `--bios`.
struct MachineBuilder {
    let machine: MachineFile
    let spec: MachineSpec
    let smp: Int?
    /// `--bios`, already checked (nil: the file's `[boot] firmware`). RISC-V only.
    let bios: BootProtocol.Firmware?
    /// Resolves a core profile by name (the store's `core(_:)`), and the names it knows.
    let core: (String) throws -> CoreProfile
    let coreNames: [String]

    func build() throws -> MachineDescription {
        let chosen = try chosenValues()
        let mix = try profileMix()
        let count = try coreCount(mix: mix)

        var boot = machine.boot
        var features: [FeatureSetting] = []
        var clears: [(bits: NamedValue, label: String)] = []
        var changedBy: String?   // the last option value that changed a feature or an id register
        for (_, value) in chosen {
            if let v = value.boot.entryMode { boot.entryMode = v }
            if let v = value.boot.security { boot.security = v }
            if let v = value.boot.secondaries { boot.secondaries = v }
            if let v = value.boot.psciConduit { boot.psciConduit = v }
            if let v = value.boot.semihosting { boot.semihosting = v }
            if let v = value.boot.firmware { boot.firmware = v }
            features = FeatureKeys.merge(features, value.features)
            clears += value.clearIDBits.map { ($0, "\(value.label).clear-id-bits.\($0.name)") }
            if !value.features.isEmpty || !value.clearIDBits.isEmpty { changedBy = value.label }
        }
        if let bios {
            boot.firmware = bios
            boot.entryMode = MachineFile.entryMode(for: bios)
        }

        let clusters: [MachineFile.Cluster]
        if let mix {
            clusters = mix.groups.enumerated().map {
                MachineFile.Cluster(id: $0.offset, profile: $0.element.profile, count: $0.element.count, label: "--machine")
            }
        } else {
            clusters = machine.clusters
        }
        let sizes = clusters.map { $0.count ?? count ?? machine.smp?.defaultCount ?? 1 }
        let total = sizes.reduce(0, +)
        try checkCoreCount(total)
        var cores: [CoreSlot] = []
        for (cluster, size) in zip(clusters, sizes) {
            var profile = try loadProfile(cluster, key: mix != nil ? "--machine" : "\(cluster.label).profile")
            FeatureKeys.apply(features, to: &profile.features)
            for clear in clears {
                guard let i = profile.idRegisters.firstIndex(where: { $0.name == clear.bits.name }) else {
                    throw ProfileError(file: machine.file, key: clear.label,
                                       message: "\(profile.name) has no ID register \(clear.bits.name)")
                }
                profile.idRegisters[i].value &= ~clear.bits.value
            }
            if machine.architecture == .rv64, let changedBy {
                try checkRV64(profile, changedBy: changedBy, cpu: cores.count)
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
                // RISC-V has no cluster register; clusterSize there is the machine's hart count.
                let reported = machine.architecture == .rv64 ? total : size
                cores.append(CoreSlot(profile: profile, cluster: cluster.id, mpidr: mpidr, clusterSize: reported))
            }
        }

        try checkBoot(boot, cores: cores, chosen: chosen)
        return MachineDescription(
            name: machine.name, description: machine.description, file: machine.file,
            architecture: machine.architecture, cores: cores, ram: machine.ram,
            devices: machine.devices.filter { device in
                // `when = "option=value"`: only while that option has that value.
                machine.deviceConditions.allSatisfy { c in
                    c.device != device.name || chosen.contains { $0.option.name == c.option && $0.value.value == c.value }
                }
            },
            boot: boot,
            options: chosen.map { MachineOption(name: $0.option.name, allowed: $0.option.values.map(\.value),
                                                value: $0.value.value) },
            smp: machine.smp, deviceTreeRoot: machine.deviceTreeRoot)
    }

    // MARK: Options, --smp and the profile list

    func specError(_ message: String) -> ProfileError {
        ProfileError(file: machine.file, key: "--machine", message: message)
    }

    /// Every option with the value in force, in file order.
    func chosenValues() throws -> [(option: MachineFile.Option, value: MachineFile.OptionValue)] {
        var known = machine.options.map(\.name)
        if let smp = machine.smp {
            known.append("smp")
            if let mix = smp.mixOption { known.append(mix) }
        }
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

    /// The machine's profile list (`harts=…`), when the spec gives one.
    func profileMix() throws -> ProfileMix? {
        guard let option = machine.smp?.mixOption,
              let text = spec.options.first(where: { $0.key == option })?.value else { return nil }
        return try ProfileMix(parsing: text, option: option, fail: specError)
    }

    /// `--smp N`, or `smp=N` in the spec (they must agree), or the profile list's total —
    /// checked against [smp].
    func coreCount(mix: ProfileMix?) throws -> Int? {
        var fromSpec: Int?
        if let text = spec.options.first(where: { $0.key == "smp" })?.value {
            guard let n = Int(text) else { throw specError("smp=\(text): expected a number of cores") }
            fromSpec = n
        }
        if let mix, let option = machine.smp?.mixOption, let range = machine.smp {
            let list = "\(option)=\(spec.options.first { $0.key == option }?.value ?? "")"
            if let smp {
                throw ProfileError(file: machine.file, key: "--smp",
                                   message: "--smp \(smp) and \(list) in --machine both set the core count; give one of them")
            }
            if let fromSpec {
                throw specError("smp=\(fromSpec) and \(list) both set the core count; give one of them")
            }
            guard (range.min...range.max).contains(mix.total) else {
                throw specError("\(list) gives \(mix.total) cores, but \(machine.name) takes \(takes(range))")
            }
            return nil
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
            throw ProfileError(file: machine.file, key: "--smp",
                               message: "\(machine.name) takes \(takes(range)) cores, not \(count)")
        }
        return count
    }

    /// "1 to 8", or "4" when the range has one value.
    func takes(_ range: SMPRange) -> String {
        range.min == range.max ? "\(range.min)" : "\(range.min) to \(range.max)"
    }

    // MARK: Cores

    /// `key` names where the profile was asked for: `clusters[0].profile`, or `--machine` for
    /// a profile list.
    func loadProfile(_ cluster: MachineFile.Cluster, key: String) throws -> CoreProfile {
        guard coreNames.contains(cluster.profile) else {
            var known = coreNames
            if key == "--machine" {
                // A profile list names profiles of the machine's architecture; list only those
                // (a profile that does not load is left out here and reported when named).
                known = coreNames.filter { (try? core($0))?.architecture == machine.architecture }
            }
            let what = key == "--machine" ? "known \(machine.architecture.rawValue) profiles" : "known profiles"
            throw ProfileError(file: machine.file, key: key,
                               message: "no core profile \"\(cluster.profile)\"; \(what): \(known.joined(separator: ", "))")
        }
        let profile = try core(cluster.profile)
        guard profile.architecture == machine.architecture else {
            throw ProfileError(file: machine.file, key: key,
                               message: "\(profile.name) is \(profile.architecture.rawValue) but \(machine.name) is \(machine.architecture.rawValue)")
        }
        return profile
    }

    /// A machine option that changed a hart's features or misa must leave them consistent.
    func checkRV64(_ profile: CoreProfile, changedBy label: String, cpu: Int) throws {
        guard let misa = profile.idRegister("misa"),
              let problem = RV64Rules.check(misa: misa, features: profile.features) else { return }
        throw ProfileError(file: machine.file, key: label,
                           message: "leaves \(profile.name) (hart \(cpu)) inconsistent: \(problem.key): \(problem.message)")
    }

    /// L2CTLR[25:24] ("number of processors" in the Cortex-A15 and Cortex-A7 TRMs' L2CTLR
    /// description; arm-v7-tc2.md §1) reads as the cluster's core count minus one. The profile leaves the field 0; the machine fills it in,
    /// and a cluster larger than the field can say is an error.
    func fillClusterSize(_ profile: inout CoreProfile, size: Int, cluster: MachineFile.Cluster) throws {
        guard let i = profile.systemRegisters.firstIndex(where: { $0.name == "L2CTLR" }) else { return }
        guard size <= 4 else {
            let key = cluster.label == "--machine" ? "--machine" : cluster.count != nil ? "\(cluster.label).count" : "--smp"
            throw ProfileError(file: machine.file, key: key,
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
            let key = machine.smp == nil ? "clusters" : profileListGiven ? "--machine" : "--smp"
            throw ProfileError(file: machine.file, key: key,
                               message: "\(total) cores in all, but \(reason)")
        }
    }

    var profileListGiven: Bool {
        guard let mix = machine.smp?.mixOption else { return false }
        return spec.options.contains { $0.key == mix }
    }

    // MARK: Boot

    /// The entry mode, security state, PSCI conduit and firmware must work on the cores.
    func checkBoot(_ boot: BootProtocol, cores: [CoreSlot],
                   chosen: [(option: MachineFile.Option, value: MachineFile.OptionValue)]) throws {
        var inForce = chosen.map { "\($0.option.name)=\($0.value.value)" }
        if let bios { inForce.append("--bios \(bios.spelling)") }
        let settings = inForce.isEmpty ? "" : " (with \(inForce.joined(separator: ",")))"
        if machine.architecture == .rv64 {
            try checkRV64Boot(boot, cores: cores, settings: settings)
            return
        }
        for (cpu, slot) in cores.enumerated() {
            let f = slot.profile.features
            func fail(_ key: String, _ message: String) -> ProfileError {
                ProfileError(file: machine.file, key: "boot.\(key)",
                             message: "\(message), which \(slot.profile.name) (CPU \(cpu)) lacks\(settings)")
            }
            if boot.entryMode == .hyp, !f.virtualization {
                throw fail("entry-mode", "hyp needs the Virtualization Extensions")
            }
            if boot.entryMode == .mon, !f.security { throw fail("entry-mode", "mon needs the Security Extensions") }
            if boot.security == .secure, !f.security {
                throw fail("security", "secure needs the Security Extensions")
            }
            // No check of psci-conduit: the firmware model answers SMC or HVC before the
            // architecture would make it UNDEFINED on a core without the Security or the
            // Virtualization Extensions — what QEMU's virt board does (virt.c picks HVC for a
            // core without EL2; op_helper.c pre_hvc/pre_smc let a PSCI call through first).
        }
    }

    /// RISC-V: the entry mode is the firmware's (an option may have changed one of them); the
    /// built-in SBI needs one hart with S-mode to boot — the others may lack it: they stay
    /// parked in the firmware, as under OpenSBI (riscv.md §1). Every hart has M-mode, so no
    /// firmware or a firmware file works on any hart.
    func checkRV64Boot(_ boot: BootProtocol, cores: [CoreSlot], settings: String) throws {
        let expected = MachineFile.entryMode(for: boot.firmware)
        guard boot.entryMode == expected else {
            throw ProfileError(file: machine.file, key: "boot.entry-mode",
                               message: "\"\(boot.entryMode.rawValue)\" contradicts firmware \"\(boot.firmware.spelling)\", which enters guest code in \(expected.rawValue) mode\(settings)")
        }
        if boot.firmware == .builtinSBI, !cores.contains(where: { $0.profile.features.hasPrivilegeMode("s") }) {
            throw ProfileError(file: machine.file, key: "boot.firmware",
                               message: "sbi enters the image in S-mode on the boot hart, but no hart has S-mode\(settings)")
        }
    }
}
