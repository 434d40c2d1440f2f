import Foundation

/// The `cpu-profiles` directory: core profiles in `cores/NAME.toml`, machines in
/// `machines/NAME.toml`. Files are read when asked for; a resolved core profile is kept for the
/// store's lifetime.
public final class ProfileStore {
    public let directory: String
    private let coreFiles: [String]
    private let machineFiles: [String]
    private var resolvedCores: [String: CoreProfile] = [:]

    public init(directory: String) throws {
        self.directory = directory
        coreFiles = try Self.tomlNames(in: directory + "/cores", store: directory)
        machineFiles = try Self.tomlNames(in: directory + "/machines", store: directory)
    }

    /// Finds `cpu-profiles`: `$HETBOOT_PROFILES` when set; else the first `cpu-profiles` (with a
    /// `cores/` inside) in the current directory or one of its parents; else the same walk up from
    /// the executable's directory (so `swift run hetboot` and an installed binary beside the
    /// repository both find it).
    public static func defaultDirectory() -> String? {
        if let fromEnvironment = ProcessInfo.processInfo.environment["HETBOOT_PROFILES"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        if let found = search(upFrom: FileManager.default.currentDirectoryPath) { return found }
        for executable in executablePaths() {
            let resolved = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
            if let found = search(upFrom: resolved.deletingLastPathComponent().path) { return found }
        }
        return nil
    }

    /// Core profile names (file names without `.toml`), sorted.
    public func coreNames() -> [String] { coreFiles }

    /// Machine names, sorted.
    public func machineNames() -> [String] { machineFiles }

    /// The core profile `name`, with `inherits` resolved and every check passed.
    public func core(_ name: String) throws -> CoreProfile {
        if let cached = resolvedCores[name] { return cached }
        let leaf = try layer(name)
        var ancestors: [CoreLayer] = []
        var child = leaf
        while let parent = child.inherits {
            let chain = [leaf.name] + ancestors.map(\.name)
            if chain.contains(parent) {
                throw ProfileError(file: child.file, key: "inherits",
                                   message: "inheritance cycle: \((chain + [parent]).joined(separator: " → "))")
            }
            guard coreFiles.contains(parent) else {
                throw ProfileError(file: child.file, key: "inherits",
                                   message: "no core profile \"\(parent)\"; known profiles: \(coreFiles.joined(separator: ", "))")
            }
            let next = try layer(parent)
            guard next.architecture == child.architecture else {
                throw ProfileError(file: child.file, key: "inherits",
                                   message: "\"\(parent)\" is \(next.architecture.rawValue) but \(child.name) is \(child.architecture.rawValue)")
            }
            ancestors.append(next)
            child = next
        }
        let profile = try CoreResolver.resolve(leaf, ancestors: ancestors)
        resolvedCores[name] = profile
        return profile
    }

    /// The machine `spec` (`NAME[,option=value…]`, QEMU's spelling, `smp=N` allowed) with its
    /// options applied and, for a machine with `[smp]`, `smp` cores (or `smp=N`, or the default).
    public func machine(_ spec: String, smp: Int? = nil) throws -> MachineDescription {
        try machine(spec, smp: smp, bios: nil)
    }

    /// As `machine(_:smp:)`, with the CLI's `--bios` for a RISC-V machine: `none` (no firmware,
    /// the image runs from reset in M-mode), `sbi` (hetboot's SBI model, the image runs in
    /// S-mode) or the path of a firmware image (checked here: it must be a readable file).
    /// nil keeps the machine file's `[boot] firmware`. An ARM machine takes no `--bios`.
    /// `spec` may give a RISC-V machine's hart list: `virt-riscv,harts=rv64gch*2+sifive-u74*2`.
    public func machine(_ spec: String, smp: Int?, bios: String?) throws -> MachineDescription {
        let parsed = try MachineSpec(parsing: spec, directory: machinesDirectory)
        guard machineFiles.contains(parsed.name) else {
            throw ProfileError(file: machinesDirectory, key: "--machine",
                               message: "no machine \"\(parsed.name)\"; known machines: \(machineFiles.joined(separator: ", "))")
        }
        let machine = try MachineFile.read(file: "\(machinesDirectory)/\(parsed.name).toml", expectedName: parsed.name)
        var firmware: BootProtocol.Firmware?
        if let bios {
            guard machine.architecture == .rv64 else {
                throw ProfileError(file: machine.file, key: "--bios",
                                   message: "\(bios): \(machine.name) is \(machine.architecture.rawValue); --bios (none, sbi or a firmware file) is for rv64 machines")
            }
            firmware = try Self.firmware(bios: bios)
        }
        let builder = MachineBuilder(machine: machine, spec: parsed, smp: smp, bios: firmware,
                                     core: { try self.core($0) }, coreNames: coreFiles)
        return try builder.build()
    }

    /// `--bios`: `none`, `sbi`, or a path that must name a readable regular file (the error names
    /// the path as the file).
    static func firmware(bios: String) throws -> BootProtocol.Firmware {
        if let named = MachineFile.FirmwareName(rawValue: bios) { return named.firmware }
        let expected = "expected none, sbi or the path of a readable firmware image"
        guard !bios.isEmpty else { throw ProfileError(file: bios, key: "--bios", message: "empty; \(expected)") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: bios, isDirectory: &isDirectory) else {
            throw ProfileError(file: bios, key: "--bios", message: "no such file; \(expected)")
        }
        guard !isDirectory.boolValue else {
            throw ProfileError(file: bios, key: "--bios", message: "a directory; \(expected)")
        }
        guard FileManager.default.isReadableFile(atPath: bios) else {
            throw ProfileError(file: bios, key: "--bios", message: "not readable; \(expected)")
        }
        return .file(bios)
    }

    /// Every id register, system register reset value and mask, feature and cache in which `a`
    /// and `b` differ — nothing that is equal. See `ProfileDifference`.
    public static func differences(_ a: CoreProfile, _ b: CoreProfile) -> [ProfileDifference] {
        ProfileDifference.list(a, b)
    }

    // MARK: Files

    private var coresDirectory: String { directory + "/cores" }
    private var machinesDirectory: String { directory + "/machines" }

    private func layer(_ name: String) throws -> CoreLayer {
        guard coreFiles.contains(name) else {
            throw ProfileError(file: coresDirectory, key: "",
                               message: "no core profile \"\(name)\"; known profiles: \(coreFiles.joined(separator: ", "))")
        }
        return try CoreLayer.read(file: "\(coresDirectory)/\(name).toml", expectedName: name)
    }

    private static func tomlNames(in directory: String, store: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ProfileError(file: store, key: "",
                               message: "not a profile directory: \(directory) is missing (expected cores/ and machines/)")
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ProfileError(file: directory, key: "", message: "cannot list the directory (\(error.localizedDescription))")
        }
        return entries.filter { $0.hasSuffix(".toml") && $0.count > 5 }.map { String($0.dropLast(5)) }.sorted()
    }

    private static func search(upFrom start: String) -> String? {
        var url = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            let candidate = url.appendingPathComponent("cpu-profiles")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("cores").path,
                                              isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate.path
            }
            let parent = url.deletingLastPathComponent().standardizedFileURL
            if url.path == "/" || parent.path == url.path { return nil }
            url = parent
        }
    }

    private static func executablePaths() -> [String] {
        var paths: [String] = []
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            paths.append(link)
        }
        if let argument = CommandLine.arguments.first, !argument.isEmpty {
            paths.append(argument.hasPrefix("/") ? argument
                         : FileManager.default.currentDirectoryPath + "/" + argument)
        }
        return paths
    }
}
