import Foundation

/// What a kernel's KVM accepts, as data (`cpu-profiles/kernels/NAME.toml`): which cores it takes
/// as KVM targets, whether it checks the CPU its init runs on or every CPU, and what a vCPU
/// reads without a trap. `hetboot check` evaluates a machine's probe results against it.
public struct KernelModel: Equatable, Sendable {
    /// Which CPUs the kernel's target check looks at.
    public enum Checks: String, Sendable, Equatable {
        /// Only the CPU that runs KVM's init (Linux 3.9's kvm_arch_init).
        case currentCPU = "current-cpu"
        /// Every online CPU (Linux 3.10 and later; KVM RISC-V's common ISA).
        case everyCPU = "every-cpu"
    }

    /// An ARM KVM target: MIDR implementer and primary part number, and the target's name.
    public struct ARMTarget: Equatable, Sendable {
        public var implementer: UInt64
        public var part: UInt64
        public var name: String
    }

    public var name: String
    public var file: String
    public var description: String
    public var architecture: Architecture
    public var checks: Checks
    /// ARM: the targets kvm_target_cpu() knows.
    public var armTargets: [ARMTarget]
    /// ARM: the HCR value a guest runs with (its TID0–TID3 bits say which ID registers trap).
    public var guestHCR: UInt64?
    /// RISC-V: ISA extensions every hart KVM uses must have (single letters, e.g. "h").
    public var requiredExtensions: [String]
    /// RISC-V: the lowest SBI specification version (major << 24 | minor) and the SBI
    /// extensions KVM needs (by name: RFENCE, IPI, TIME, HSM).
    public var minimumSBIVersion: UInt64?
    public var requiredSBIExtensions: [String]
    /// RISC-V: G-stage translation modes KVM can use, widest first.
    public var gstageModes: [String]

    static func load(file: String) throws -> KernelModel {
        let t = try TableReader.load(file: file)
        try t.allowOnly(["name", "description", "architecture", "checks", "targets", "guest-hcr",
                         "required-extensions", "minimum-sbi-version", "required-sbi-extensions", "gstage-modes"])
        let name = try t.requiredString("name")
        let expected = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        guard name == expected else { throw t.error("name", "is \"\(name)\" but the file is \(expected).toml") }
        guard let architecture = try t.choice("architecture", Architecture.allCases) else {
            throw t.error("architecture", "missing; expected one of: armv7-a, rv64")
        }
        guard let checks = try t.choice("checks", [Checks.currentCPU, .everyCPU]) else {
            throw t.error("checks", "missing; expected current-cpu or every-cpu")
        }
        var targets: [ARMTarget] = []
        for target in try t.tables("targets") ?? [] {
            try target.allowOnly(["implementer", "part", "name"])
            targets.append(ARMTarget(implementer: try target.requiredUInt64("implementer", bits: 8),
                                     part: try target.requiredUInt64("part", bits: 12),
                                     name: try target.requiredString("name")))
        }
        let model = KernelModel(
            name: name, file: file, description: try t.string("description") ?? "",
            architecture: architecture, checks: checks, armTargets: targets,
            guestHCR: try t.uint64("guest-hcr", bits: 32),
            requiredExtensions: try t.stringArray("required-extensions") ?? [],
            minimumSBIVersion: try t.uint64("minimum-sbi-version", bits: 32),
            requiredSBIExtensions: try t.stringArray("required-sbi-extensions") ?? [],
            gstageModes: try t.stringArray("gstage-modes") ?? [])
        switch architecture {
        case .armv7a:
            guard !targets.isEmpty else { throw t.error("targets", "an ARM kernel model needs at least one [[targets]] entry") }
            guard model.guestHCR != nil else { throw t.error("guest-hcr", "missing: the HCR value a guest runs with") }
        case .rv64:
            guard targets.isEmpty else { throw t.error("targets", "ARM targets in a RISC-V kernel model") }
            for e in model.requiredExtensions where e.count != 1 || !e.allSatisfy({ $0.isLetter && $0.isLowercase }) {
                throw t.error("required-extensions", "\"\(e)\" is not a single-letter extension (e.g. \"h\")")
            }
            for m in model.gstageModes where !["sv39x4", "sv48x4", "sv57x4"].contains(m) {
                throw t.error("gstage-modes", "\"\(m)\" is not a G-stage mode (sv39x4, sv48x4, sv57x4)")
            }
        }
        return model
    }
}

extension ProfileStore {
    /// Kernel model names (the files in `kernels/`), sorted.
    public func kernelNames() -> [String] {
        let dir = (directory as NSString).appendingPathComponent("kernels")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The kernel model `name` (`kernels/NAME.toml`).
    public func kernel(_ name: String) throws -> KernelModel {
        let names = kernelNames()
        guard names.contains(name) else {
            throw ProfileError(file: (directory as NSString).appendingPathComponent("kernels"), key: "",
                               message: "no kernel model \"\(name)\"; known models: \(names.joined(separator: ", "))")
        }
        return try KernelModel.load(file: (directory as NSString).appendingPathComponent("kernels/\(name).toml"))
    }
}
