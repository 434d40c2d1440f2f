import Foundation
import XCTest
@testable import Emulator
import Profiles

/// A one-core ARM machine for instruction-level tests: a Cortex-A15-like profile written out
/// here (so the tests do not depend on the profile files), 1 MiB of RAM at 0x80000000, no
/// devices. Code is assembled with the Swift toolchain's clang (A32).
enum ARMHarness {
    static let ramBase: UInt32 = 0x8000_0000

    static func profile() -> CoreProfile {
        var f = Features()
        f.security = true
        f.virtualization = true
        f.lpae = true
        f.genericTimer = true
        f.integerDivide = true
        f.multiprocessing = true
        return CoreProfile(
            name: "test-a15", architecture: .armv7a, description: "test core", file: "<test>", inherits: [],
            idRegisters: [NamedValue(name: "MIDR", value: 0x412F_C0F1), NamedValue(name: "CTR", value: 0x8444_C004)],
            systemRegisters: [SystemRegisterSpec(name: "SCTLR", reset: 0x00C5_0078)],
            features: f, caches: [])
    }

    static func machine(cores: Int = 1) throws -> ARMMachine {
        let p = profile()
        let slots = (0..<cores).map { CoreSlot(profile: p, cluster: 0, mpidr: 0x8000_0000 | UInt64($0), clusterSize: cores) }
        let spec = MachineDescription(
            name: "test", description: "test machine", file: "<test>", architecture: .armv7a, cores: slots,
            ram: [MemoryRegion(name: "ram", base: UInt64(ramBase), size: 1 << 20)], devices: [],
            boot: BootProtocol(entryMode: .svc, security: .secure, secondaries: .allAtEntry, psciConduit: .none, semihosting: false),
            options: [], smp: nil)
        return try ARMMachine(spec: spec)
    }

    /// Assemble A32 source (GNU syntax, `.syntax unified` implied) placed at `ramBase`.
    static func assemble(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt32] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-asm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = dir.appendingPathComponent("t.S")
        try (".syntax unified\n.arm\n.text\n.globl _start\n_start:\n" + source + "\n").write(to: src, atomically: true, encoding: .utf8)
        try run("clang", ["--target=armv7a-none-eabi", "-march=armv7ve", "-c", src.path, "-o", dir.appendingPathComponent("t.o").path])
        try run("llvm-objcopy", ["-O", "binary", "--only-section=.text", dir.appendingPathComponent("t.o").path, dir.appendingPathComponent("t.bin").path])
        let data = try Data(contentsOf: dir.appendingPathComponent("t.bin"))
        return stride(from: 0, to: data.count - 3, by: 4).map { i -> UInt32 in
            let b0 = UInt32(data[i]), b1 = UInt32(data[i + 1]) << 8
            let b2 = UInt32(data[i + 2]) << 16, b3 = UInt32(data[i + 3]) << 24
            return b0 | b1 | b2 | b3
        }
    }

    private static func run(_ tool: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            let msg = String(data: err.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
            throw NSError(domain: "ARMHarness", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "\(tool) failed: \(msg)"])
        }
    }

    /// Load `words` at `ramBase`, start core 0 there in `mode` (Secure), run `steps`
    /// instructions, return the machine for inspection.
    static func run(_ words: [UInt32], mode: ARMMode = .svc, steps: UInt64,
                    setup: (ARMCore) -> Void = { _ in }) throws -> ARMMachine {
        let m = try machine()
        var bytes: [UInt8] = []
        for w in words { bytes += [UInt8(w & 0xFF), UInt8(w >> 8 & 0xFF), UInt8(w >> 16 & 0xFF), UInt8(w >> 24)] }
        m.ram.load(bytes, at: UInt64(ramBase))
        let core = m.cores[0]
        core.switchMode(to: mode)
        core.nextPC = ramBase
        core.r[13] = ramBase + 0x8_0000
        setup(core)
        _ = core.run(budget: steps)
        return m
    }

    /// The machine of the last `exec`, kept alive: a core refers to its machine unowned.
    nonisolated(unsafe) static var lastMachine: ARMMachine?

    /// Assemble `source`, run it until it has executed `steps` instructions, return core 0.
    static func exec(_ source: String, steps: UInt64, mode: ARMMode = .svc,
                     setup: (ARMCore) -> Void = { _ in }) throws -> ARMCore {
        let m = try run(assemble(source), mode: mode, steps: steps, setup: setup)
        lastMachine = m
        return m.cores[0]
    }
}
