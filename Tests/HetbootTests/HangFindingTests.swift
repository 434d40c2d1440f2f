import Foundation
import XCTest

/// Hangs without a wait-for chain: every core asleep with nothing that could wake it, and a core
/// spinning on memory nobody else can change. Exit code 3 and a finding that says, per core, why.
final class HangFindingTests: XCTestCase {
    /// Hart 0 waits for `flag` to become non-zero; the other harts sleep. Nobody writes it.
    static func spinOnFlag() throws -> String {
        try CLI.buildRISCVImage("""
            csrr t0, mhartid
            bnez t0, sleep
            la t1, flag
        wait:
            lw t2, 0(t1)
            beqz t2, wait
        sleep:
            wfi
            j sleep
            .data
            .globl flag
        flag:
            .word 0
        """)
    }

    /// Every TC2 core masks IRQs and sleeps in WFI: nothing is pending, no timer is armed.
    func testEveryCoreAsleepForever() throws {
        let elf = try CLI.buildImage("cpsid i\nwfi\nb _start")
        let r = try CLI.run(["run", elf, "--machine", "tc2", "--format", "json"])
        XCTAssertEqual(r.status, 3, r.stdout + r.stderr)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let findings = doc["findings"] as? [[String: Any]] ?? []
        XCTAssertEqual(findings.count, 1, "\(findings)")
        let f = try XCTUnwrap(findings.first)
        XCTAssertEqual(f["kind"] as? String, "hang")
        XCTAssertEqual(f["cores"] as? [Int], [0, 1, 2, 3, 4])
        let chain = f["chain"] as? [String] ?? []
        XCTAssertEqual(chain.count, 5)
        XCTAssertEqual(chain.first, "CPU 0 (cortex-a15) sleeps in WFI at _start+0x8 in HYP mode: no interrupt is pending and no timer is armed")
        XCTAssertTrue((f["summary"] as? String ?? "").hasPrefix("CPU 0 (cortex-a15) sleeps in WFI"))
    }

    /// One hart spins on a word nothing will write (the other harts of virt-riscv sleep): a
    /// deadlock with no IPI in it, naming the word and its symbol.
    func testSpinOnAWordNobodyWrites() throws {
        let elf = try Self.spinOnFlag()
        let r = try CLI.run(["run", elf, "--machine", "virt-riscv", "--smp", "2"])
        XCTAssertEqual(r.status, 3, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("[deadlock] hart 0 (rv64gch) spins at wait waiting for memory no other core can change: hart 1 (rv64gch) sleeps in WFI"), r.stdout)
        XCTAssertTrue(r.stdout.contains("(flag) = 0x0, unchanged"), r.stdout)
    }

    /// The word a spinning core reads, and who last wrote it: `run` replays a deadlocked run
    /// with the word watched (the run is deterministic) — S1's call data was last written by
    /// CPU 0 itself when it posted the call; S3's stop-machine state by hart 0.
    func testSpinNamesTheLastWriter() throws {
        let s1 = try CLI.run(["run", "images/arm/kvm-init-3.9.elf", "--machine", "tc2", "--inject", "cpu2:stall-on-write=HSCTLR.M"])
        XCTAssertEqual(s1.status, 3)
        XCTAssertTrue(s1.stdout.contains("reads 0x8000F0CC (call_data+0x20) = 0x1, unchanged, last written by CPU 0 (cortex-a15) at smp_call_function_single+0x88"), s1.stdout)
        let s3 = try CLI.run(["run", "images/riscv/stop-machine-ipi.elf", "--machine", "virt-riscv,aclint=on", "--smp", "4", "--bios", "sbi"])
        XCTAssertEqual(s3.status, 3)
        XCTAssertTrue(s3.stdout.contains("(csd+0x10) = 0x1, unchanged, last written by hart 0 (rv64gch) at smp_call_function_many+0x3a"), s3.stdout)
        XCTAssertTrue(s3.stdout.contains("(state) = 0x1, unchanged, last written by hart 0 (rv64gch) at multi_cpu_stop+0x4e"), s3.stdout)
        // The diagnosis of the spin on a word nobody writes says so.
        let elf = try Self.spinOnFlag()
        let r = try CLI.run(["run", elf, "--machine", "virt-riscv", "--smp", "2"])
        XCTAssertTrue(r.stdout.contains("(flag) = 0x0, unchanged, written by no core since the run began"), r.stdout)
    }
}
