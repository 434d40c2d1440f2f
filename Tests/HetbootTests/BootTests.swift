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

    func testSameImageAndFlagsGiveByteIdenticalOutput() throws {
        let a = try CLI.run(["run", "images/arm/smp-boot.elf", "--machine", "tc2", "--quantum", "777"])
        let b = try CLI.run(["run", "images/arm/smp-boot.elf", "--machine", "tc2", "--quantum", "777"])
        XCTAssertEqual(a.status, 0, a.stdout + a.stderr)
        XCTAssertEqual(a.stdout, b.stdout)
        XCTAssertTrue(a.stdout.contains("state hash: 0x"))
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
