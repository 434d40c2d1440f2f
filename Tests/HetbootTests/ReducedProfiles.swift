import Foundation

/// A profile directory for OpenSBI runs while hetboot has no F/D and no H instructions:
/// cpu-profiles/ copied, plus the test harts of Tests/HetbootTests/Fixtures/cores (rv64imac-su:
/// rv64gch without F, D, H; sifive-u74-nofd: the U74 without F, D), and fu740 rebuilt with
/// sifive-u74-nofd harts. OpenSBI initialises f0–f31 when misa has F or D and touches H CSRs
/// when misa has H; on these harts it does neither (QEMU's counterpart: -cpu rv64,f=off,d=off,h=off).
enum ReducedProfiles {
    static let fixtures = CLI.root.appendingPathComponent("Tests/HetbootTests/Fixtures/cores")

    /// Built once per test process.
    static let directory: String = {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("hetboot-reduced-profiles-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: dir)
        do {
            try fm.copyItem(at: CLI.root.appendingPathComponent("cpu-profiles"), to: dir)
            for name in try fm.contentsOfDirectory(atPath: fixtures.path) where name.hasSuffix(".toml") {
                try fm.copyItem(at: fixtures.appendingPathComponent(name), to: dir.appendingPathComponent("cores/\(name)"))
            }
            let fu740 = dir.appendingPathComponent("machines/fu740.toml")
            let text = try String(contentsOf: fu740, encoding: .utf8)
                .replacingOccurrences(of: "profile = \"sifive-u74\"", with: "profile = \"sifive-u74-nofd\"")
            try text.write(to: fu740, atomically: true, encoding: .utf8)
        } catch {
            return "/nonexistent: \(error)"
        }
        return dir.path
    }()
}

/// Debian's OpenSBI 1.1 (package opensbi).
enum DebianOpenSBI {
    static let directory = "/usr/lib/riscv64-linux-gnu/opensbi/generic"
    static let elf = directory + "/fw_dynamic.elf"
    static let bin = directory + "/fw_dynamic.bin"
    static var installed: Bool { FileManager.default.fileExists(atPath: elf) && FileManager.default.fileExists(atPath: bin) }
}
