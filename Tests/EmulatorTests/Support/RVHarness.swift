import Foundation
import XCTest
@testable import Emulator
import Profiles

/// A one-hart RV64GC-like machine for instruction-level tests: the profile is written out here
/// (misa IMAC + S/U, no FP), 1 MiB of RAM at 0x80000000, no devices. Code is assembled with
/// the Swift toolchain's clang.
enum RVHarness {
    static let ramBase: UInt64 = 0x8000_0000

    static func profile(extensions: [String] = ["i", "m", "a", "c", "zicsr", "zifencei", "zicntr"]) -> CoreProfile {
        var f = Features()
        f.isaExtensions = extensions
        f.privilegeModes = ["m", "s", "u"]
        f.mmuModes = ["sv39"]
        f.pmpEntries = 16
        let letters = extensions.filter { $0.count == 1 } + ["s", "u"]
        var misa: UInt64 = 2 << 62
        for l in letters { misa |= 1 << UInt64(l.unicodeScalars.first!.value - 97) }
        return CoreProfile(
            name: "test-rv64", architecture: .rv64, description: "test hart", file: "<test>", inherits: [],
            idRegisters: [NamedValue(name: "misa", value: misa), NamedValue(name: "mvendorid", value: 0),
                          NamedValue(name: "marchid", value: 0), NamedValue(name: "mimpid", value: 0)],
            systemRegisters: [], features: f, caches: [])
    }

    static func machine(harts: Int = 1, profile p: CoreProfile = profile()) throws -> RISCVMachine {
        let slots = (0..<harts).map { CoreSlot(profile: p, cluster: 0, mpidr: UInt64($0), clusterSize: harts) }
        let spec = MachineDescription(
            name: "test-rv", description: "test machine", file: "<test>", architecture: .rv64, cores: slots,
            ram: [MemoryRegion(name: "ram", base: ramBase, size: 1 << 20)], devices: [],
            boot: BootProtocol(entryMode: .machine, security: .secure, secondaries: .allAtEntry, psciConduit: .none, semihosting: false),
            options: [], smp: nil)
        return try RISCVMachine(spec: spec)
    }

    /// Assemble RISC-V source (GNU syntax) placed at `ramBase`; returns the bytes.
    static func assemble(_ source: String, march: String = "rv64imac") throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-rvasm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = dir.appendingPathComponent("t.S")
        try (".option norelax\n.text\n.globl _start\n_start:\n" + source + "\n").write(to: src, atomically: true, encoding: .utf8)
        let obj = dir.appendingPathComponent("t.o").path, bin = dir.appendingPathComponent("t.bin").path
        try tool("clang", ["--target=riscv64-unknown-elf", "-march=\(march)", "-mno-relax", "-c", src.path, "-o", obj])
        try tool("llvm-objcopy", ["-O", "binary", "--only-section=.text", obj, bin])
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: bin)))
    }

    private static func tool(_ name: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [name] + args
        let err = Pipe()
        p.standardError = err
        try p.run()
        let msg = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            throw NSError(domain: "RVHarness", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "\(name) failed: \(msg)"])
        }
    }

    /// The machine of the last `exec`, kept alive: a hart refers to its machine unowned.
    nonisolated(unsafe) static var lastMachine: RISCVMachine?

    /// Assemble `source`, start hart 0 at `ramBase` in M-mode, run `steps` instructions.
    static func exec(_ source: String, steps: UInt64, march: String = "rv64imac",
                     profile p: CoreProfile = profile(), setup: (RISCVCore) -> Void = { _ in }) throws -> RISCVCore {
        let m = try machine(profile: p)
        m.ram.load(try assemble(source, march: march), at: ramBase)
        m.boot(entry: ramBase)
        let core = m.cores[0]
        core.x[2] = ramBase + 0x8_0000
        setup(core)
        _ = core.run(budget: steps)
        lastMachine = m
        return core
    }
}
