import Foundation
import XCTest

/// Hangs without a wait-for chain: every core asleep with nothing that could wake it, and a core
/// spinning on memory nobody else can change. Exit code 3 and a finding that says, per core, why.
final class HangFindingTests: XCTestCase {
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
        let elf = try CLI.buildRISCVImage("""
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
        let r = try CLI.run(["run", elf, "--machine", "virt-riscv", "--smp", "2"])
        XCTAssertEqual(r.status, 3, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("[deadlock] hart 0 (rv64gch) spins at wait waiting for memory no other core can change: hart 1 (rv64gch) sleeps in WFI"), r.stdout)
        XCTAssertTrue(r.stdout.contains("(flag) = 0x0, unchanged"), r.stdout)
    }
}
