import Foundation
import XCTest

/// The KVM hyp-init images under schedules other than the default: the CPU that reaches the
/// initcall first runs kvm_arch_init (with `--quantum 1` that is CPU 1, not CPU 0), and the
/// cross-calls then run the init on every other CPU, CPU 0 included, through SGIs.
final class KVMInitTests: XCTestCase {
    func testAnotherWinnerInitialisesEveryCPUThroughSGIs() throws {
        let r = try CLI.run(["run", "images/arm/kvm-init-3.9.elf", "--machine", "tc2", "--quantum", "1"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let lines = r.lines
        XCTAssertTrue(lines.contains("kvm-init-3.9: 5 cpus online, kvm_arch_init runs on cpu1"), r.stdout)
        XCTAssertTrue(lines.contains("kvm: target check on cpu1 (MIDR 0x412FC0F1): KVM_ARM_TARGET_CORTEX_A15"), r.stdout)
        for (cpu, midr) in [(0, "0x412FC0F1"), (2, "0x410FC075"), (4, "0x410FC075")] {
            XCTAssertTrue(lines.contains("cpu\(cpu) (MIDR \(midr)): Hyp initialised, HSCTLR=0x30C5187F"), r.stdout)
        }
        XCTAssertTrue(lines.contains { $0.hasPrefix("kvm-init-3.9: latent bug: the target check ran on cpu1 only") }, r.stdout)
    }

    func testOnEachCPUFromASecondary() throws {
        let r = try CLI.run(["run", "images/arm/kvm-init-3.13.elf", "--machine", "tc2", "--quantum", "1"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.lines.contains("kvm-init-3.13: 5 cpus online, kvm_arch_init runs on cpu1"), r.stdout)
        XCTAssertEqual(r.lines.filter { $0.hasSuffix("Hyp initialised, HSCTLR=0x30C5187F") }.count, 5, r.stdout)
    }

    /// S2 with CPU 1 as the caller: CPU 0 loops at the prefetch-abort vector in HYP, and CPU 1
    /// spins in smp_call_function_single waiting for it — the state the hang diagnosis will
    /// start from.
    func testMissingIdentityMapLeavesTheCallerSpinning() throws {
        let r = try CLI.run(["run", "images/arm/hyp-identity-missing.elf", "--machine", "tc2", "--quantum", "1",
                             "--max-instructions", "600000", "--format", "json"])
        XCTAssertEqual(r.status, 4, r.stdout + r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let cores = try XCTUnwrap(json["cores"] as? [[String: Any]])
        XCTAssertEqual(cores.count, 5)
        XCTAssertEqual(cores[0]["mode"] as? String, "HYP")
        XCTAssertEqual(cores[0]["symbol"] as? String, "__kvm_hyp_init+0xc")
        XCTAssertEqual(cores[1]["mode"] as? String, "SVC")
        XCTAssertTrue((cores[1]["symbol"] as? String)?.hasPrefix("smp_call_function_single+") ?? false, "\(cores[1])")
        XCTAssertEqual(cores[2]["state"] as? String, "sleeping in WFI")
    }
}
