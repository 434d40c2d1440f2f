import XCTest
@testable import Emulator
import Profiles

/// Small helpers shared by the data-processing, multiply and media tests.
enum DP {
    /// The flags as a string, upper case = set: "NZCV" / "nzcv", e.g. "nZCv".
    static func nzcv(_ core: ARMCore) -> String {
        (core.flagN ? "N" : "n") + (core.flagZ ? "Z" : "z") + (core.flagC ? "C" : "c") + (core.flagV ? "V" : "v")
    }

    /// Set N Z C V from a string as `nzcv` prints it.
    static func setFlags(_ core: ARMCore, _ s: String) {
        core.flagN = s.contains("N")
        core.flagZ = s.contains("Z")
        core.flagC = s.contains("C")
        core.flagV = s.contains("V")
    }

    /// Execute one instruction with the given registers (and flags), return the core.
    static func one(_ source: String, flags: String = "nzcv", mode: ARMMode = .svc,
                    _ regs: [Int: UInt32] = [:], setup: (ARMCore) -> Void = { _ in }) throws -> ARMCore {
        try ARMHarness.exec(source, steps: 1, mode: mode) { core in
            for (n, v) in regs { core.r[n] = v }
            setFlags(core, flags)
            setup(core)
        }
    }

    /// The Undefined Instruction exception was taken by the first instruction (at ramBase):
    /// Undefined mode, LR_und = its address + 4, PC at the vector (VBAR = 0, SCTLR.V = 0).
    static func assertUndefined(_ core: ARMCore, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(core.mode, .und, "mode", file: file, line: line)
        XCTAssertEqual(core.r[14], ARMHarness.ramBase + 4, "LR_und", file: file, line: line)
        XCTAssertEqual(core.r[15], 0x0000_0004, "PC at the undefined vector", file: file, line: line)
    }

    /// Run `words` on a one-core machine whose profile is the harness's with `change` applied.
    static func run(_ words: [UInt32], steps: UInt64, profile change: (inout CoreProfile) -> Void,
                    setup: (ARMCore) -> Void = { _ in }) throws -> (ARMMachine, ARMCore) {
        var p = ARMHarness.profile()
        change(&p)
        let spec = MachineDescription(
            name: "test", description: "test machine", file: "<test>", architecture: .armv7a,
            cores: [CoreSlot(profile: p, cluster: 0, mpidr: 0x8000_0000, clusterSize: 1)],
            ram: [MemoryRegion(name: "ram", base: UInt64(ARMHarness.ramBase), size: 1 << 20)], devices: [],
            boot: BootProtocol(entryMode: .svc, security: .secure, secondaries: .allAtEntry, psciConduit: .none, semihosting: false),
            options: [], smp: nil)
        let m = try ARMMachine(spec: spec)
        var bytes: [UInt8] = []
        for w in words { bytes += [UInt8(w & 0xFF), UInt8(w >> 8 & 0xFF), UInt8(w >> 16 & 0xFF), UInt8(w >> 24)] }
        m.ram.load(bytes, at: UInt64(ARMHarness.ramBase))
        let core = m.cores[0]
        core.switchMode(to: .svc)
        core.nextPC = ARMHarness.ramBase
        setup(core)
        _ = core.run(budget: steps)
        return (m, core)
    }
}
