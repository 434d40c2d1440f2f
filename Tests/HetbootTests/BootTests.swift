import XCTest

/// The images of `images/` booted through the command line, as a user runs them.
final class BootTests: XCTestCase {
    func testHelloOnTC2PrintsEveryCoreInHypNonSecure() throws {
        let r = try CLI.run(["run", "images/arm/hello.elf", "--machine", "tc2"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let expected = [
            "cpu0: MIDR=0x412FC0F1 MPIDR=0x80000000 mode=HYP security=non-secure",
            "cpu1: MIDR=0x412FC0F1 MPIDR=0x80000001 mode=HYP security=non-secure",
            "cpu2: MIDR=0x410FC075 MPIDR=0x80000100 mode=HYP security=non-secure",
            "cpu3: MIDR=0x410FC075 MPIDR=0x80000101 mode=HYP security=non-secure",
            "cpu4: MIDR=0x410FC075 MPIDR=0x80000102 mode=HYP security=non-secure",
        ]
        for line in expected { XCTAssertTrue(r.lines.contains(line), "missing \(line) in:\n\(r.stdout)") }
        // The per-core report agrees with what the guest printed.
        for (cpu, profile, mpidr) in [(0, "cortex-a15", "0x80000000"), (2, "cortex-a7", "0x80000100")] {
            XCTAssertTrue(r.lines.contains { $0.hasPrefix("\(cpu)  ") && $0.contains(profile) && $0.contains(mpidr) && $0.contains("HYP") },
                          "no report row for CPU \(cpu):\n\(r.stdout)")
        }
    }

    /// Determinism: the same image, machine and flags give the same bytes — console, report
    /// and state hash — also through the Hyp path (MMU, stage 2, the virtual GIC, cross-calls
    /// by SGI) with an odd quantum that interleaves the cores mid-sequence.
    func testSameImageAndFlagsGiveByteIdenticalOutput() throws {
        for (image, machine) in [("smp-boot", "tc2"), ("kvm-init-3.13", "tc2"), ("hyp-guest", "tc2"),
                                 ("vgic-basic", "vexpress-a15,secure=off")] {
            let args = ["run", "images/arm/\(image).elf", "--machine", machine, "--quantum", "777", "--format", "json"]
            let a = try CLI.run(args), b = try CLI.run(args)
            XCTAssertEqual(a.status, 0, "\(image) on \(machine): " + a.stdout + a.stderr)
            XCTAssertEqual(a.stdout, b.stdout, "\(image) on \(machine)")
            XCTAssertTrue(a.stdout.contains("\"stateHash\""), "\(image) on \(machine): no state hash in\n\(a.stdout)")
        }
    }

    func testSMPBootPassesOnTC2AndVexpress() throws {
        for args in [["--machine", "tc2"], ["--machine", "vexpress-a15", "--smp", "1"],
                     ["--machine", "vexpress-a15", "--smp", "2"], ["--machine", "vexpress-a15", "--smp", "4"]] {
            let r = try CLI.run(["run", "images/arm/smp-boot.elf"] + args)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stdout)\(r.stderr)")
        }
    }

    func testJSONReportCarriesOutcomeAndCores() throws {
        let r = try CLI.run(["run", "images/arm/hello.elf", "--machine", "tc2", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(doc?["exitCode"] as? Int, 0)
        XCTAssertEqual((doc?["cores"] as? [Any])?.count, 5)
        XCTAssertTrue((doc?["console"] as? String)?.contains("cpu4: MIDR=0x410FC075") == true)
    }
}
