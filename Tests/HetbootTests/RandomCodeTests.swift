import Foundation
import XCTest

/// The guest never crashes the host: seeded random instruction streams, with registers
/// pointing at RAM and at every device, run on each machine until the budget or until the
/// guest ends the run. Whatever the guest does, hetboot must answer with one of its own exit
/// codes (0 pass, 1 guest failure, 3 hang, 4 budget, 5 not supported) and its report — never
/// a Swift trap (overflow, index out of range, unwrap of nil), which kills the process with a
/// signal. The seeds are fixed, so a failure here reproduces.
final class RandomCodeTests: XCTestCase {
    /// SplitMix64 (Steele, Lea, Flood 2014): a fixed seed gives the same stream everywhere.
    private struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private static let words = 3072
    private static let budget = "300000"

    private func assertNoCrash(_ r: CLI.Result, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(r.crashed, "\(what): hetboot died of signal \(r.status)\n\(r.stderr)", file: file, line: line)
        guard !r.crashed else { return }
        XCTAssertTrue([0, 1, 3, 4, 5].contains(r.status), "\(what): exit \(r.status)\n\(r.stdout)\(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stdout.contains("instructions retired:"), "\(what): no run report\n\(r.stdout)", file: file, line: line)
    }

    // MARK: RISC-V

    /// Major opcodes (unprivileged spec, table 24.1) that random words are steered to half of
    /// the time, so that loads, stores, AMOs, CSR accesses, jumps and FP get exercised; the
    /// other half are raw random words (mostly compressed or illegal encodings).
    private static let rvOpcodes: [UInt32] = [0x03, 0x07, 0x0F, 0x13, 0x1B, 0x23, 0x27, 0x2F, 0x33, 0x37,
                                              0x3B, 0x43, 0x53, 0x63, 0x67, 0x6F, 0x73]

    private func randomRISCVImage(seed: UInt64) throws -> String {
        var rng = SplitMix64(state: seed)
        var code = ""
        for _ in 0..<Self.words {
            let w = UInt32(truncatingIfNeeded: rng.next())
            if rng.next() & 1 == 0 {
                let op = Self.rvOpcodes[Int(rng.next() % UInt64(Self.rvOpcodes.count))]
                code += String(format: ".word 0x%08x\n", (w & ~0x7F) | op)
            } else {
                code += String(format: ".word 0x%08x\n", w)
            }
        }
        // The M-mode handler skips the trapping instruction (whatever its length) and returns;
        // a0–a5 point at RAM, the PLIC, the CLINT, the UART, the finisher and the MROM.
        return try CLI.buildRISCVImage("""
            la t0, handler
            csrw mtvec, t0
            li a0, 0x80001000
            li a1, 0x0C000000
            li a2, 0x02000000
            li a3, 0x10000000
            li a4, 0x00100000
            li a5, 0x00001000
            j code
            .balign 4
            handler:
            csrr t0, mepc
            addi t0, t0, 4
            csrw mepc, t0
            mret
            .balign 4
            code:
            \(code)
            """)
    }

    func testRandomRISCVCodeNeverCrashesHetboot() throws {
        for seed: UInt64 in [1, 2, 3, 4, 5, 6] {
            let elf = try randomRISCVImage(seed: seed)
            for machine in ["virt-riscv", "fu740"] {
                let r = try CLI.run(["run", elf, "--machine", machine, "--max-instructions", Self.budget])
                assertNoCrash(r, "seed \(seed) on \(machine)")
            }
        }
    }

    // MARK: ARM

    private func randomARMImage(seed: UInt64) throws -> String {
        var rng = SplitMix64(state: seed)
        var code = ""
        for _ in 0..<Self.words {
            var w = UInt32(truncatingIfNeeded: rng.next())
            // Three quarters unconditional (AL), so most words execute rather than skip.
            if rng.next() & 3 != 0 { w = (w & 0x0FFF_FFFF) | 0xE000_0000 }
            code += String(format: ".word 0x%08x\n", w)
        }
        // Every vector returns past the instruction that trapped; r0–r5 point at RAM, the
        // GIC distributor and CPU interface, the UART, the system registers and the SCC.
        return try CLI.buildImage("""
            adr r0, vectors
            mcr p15, 0, r0, c12, c0, 0      @ VBAR
            ldr r0, =0x80001000
            ldr r1, =0x2C001000
            ldr r2, =0x2C002000
            ldr r3, =0x1C090000
            ldr r4, =0x1C010000
            ldr r5, =0x7FFF0000
            b code
            .ltorg
            .balign 32
            vectors:
            b code
            movs pc, lr
            movs pc, lr
            subs pc, lr, #0
            subs pc, lr, #4
            movs pc, lr
            subs pc, lr, #4
            subs pc, lr, #4
            code:
            \(code)
            """)
    }

    func testRandomARMCodeNeverCrashesHetboot() throws {
        for seed: UInt64 in [1, 2, 3, 4, 5, 6] {
            let elf = try randomARMImage(seed: seed)
            for machine in ["vexpress-a15", "tc2"] {
                let r = try CLI.run(["run", elf, "--machine", machine, "--max-instructions", Self.budget])
                assertNoCrash(r, "seed \(seed) on \(machine)")
            }
        }
    }
}
