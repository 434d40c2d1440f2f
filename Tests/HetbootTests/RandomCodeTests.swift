import Foundation
import XCTest

/// The guest never crashes the host: seeded random instruction streams, with registers
/// pointing at RAM and at every device, run on each machine until the budget or until the
/// guest ends the run. Whatever the guest does, hetboot must answer with one of its own exit
/// codes (0 pass, 1 guest failure, 3 hang, 4 budget, 5 not supported) and its report — never
/// a Swift trap (overflow, index out of range, unwrap of nil), which kills the process with a
/// signal. The seeds are fixed, so a failure here reproduces.
final class RandomCodeTests: XCTestCase {
    private static let words = 3072
    private static let budget = "300000"

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
                CLI.assertNoCrash(r, "seed \(seed) on \(machine)")
            }
        }
    }

    // MARK: ARM

    /// Where an ARM platform puts RAM and its devices, for the registers the random code
    /// starts with.
    private struct ARMPlatform {
        var link: String, ram: String, gicd: String, gicc: String, uart: String, other: String, top: String
        /// Versatile Express (vexpress-a15, tc2): GIC through the A15 tile's CBAR, the VE
        /// system registers.
        static let versatileExpress = ARMPlatform(link: "0x80000000", ram: "0x80001000", gicd: "0x2C001000",
                                                  gicc: "0x2C002000", uart: "0x1C090000", other: "0x1C010000",
                                                  top: "0x7FFF0000")
        /// QEMU's virt map (virt-arm): the image above the device tree at the RAM base; r4 at
        /// the GICH/GICV windows.
        static let virt = ARMPlatform(link: "0x40100000", ram: "0x40101000", gicd: "0x08000000",
                                      gicc: "0x08010000", uart: "0x09000000", other: "0x08030000",
                                      top: "0x3FFFF000")
    }

    private func randomARMImage(seed: UInt64, on platform: ARMPlatform) throws -> String {
        var rng = SplitMix64(state: seed)
        var code = ""
        for _ in 0..<Self.words {
            var w = UInt32(truncatingIfNeeded: rng.next())
            // Three quarters unconditional (AL), so most words execute rather than skip.
            if rng.next() & 3 != 0 { w = (w & 0x0FFF_FFFF) | 0xE000_0000 }
            code += String(format: ".word 0x%08x\n", w)
        }
        // Every vector returns past the instruction that trapped; r0–r5 point at RAM, the
        // GIC distributor and CPU interface, the UART, the system registers (or GICH) and
        // the end of the space below RAM.
        return try CLI.buildImage("""
            adr r0, vectors
            mcr p15, 0, r0, c12, c0, 0      @ VBAR
            ldr r0, =\(platform.ram)
            ldr r1, =\(platform.gicd)
            ldr r2, =\(platform.gicc)
            ldr r3, =\(platform.uart)
            ldr r4, =\(platform.other)
            ldr r5, =\(platform.top)
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
            """, address: platform.link)
    }

    func testRandomARMCodeNeverCrashesHetboot() throws {
        for seed: UInt64 in [1, 2, 3, 4, 5, 6] {
            let ve = try randomARMImage(seed: seed, on: .versatileExpress)
            let virt = try randomARMImage(seed: seed, on: .virt)
            for (elf, machine) in [(ve, "vexpress-a15"), (ve, "tc2"), (virt, "virt-arm"),
                                   (virt, "virt-arm,virtualization=on,cpus=cortex-a15+cortex-a7")] {
                let r = try CLI.run(["run", elf, "--machine", machine, "--max-instructions", Self.budget])
                CLI.assertNoCrash(r, "seed \(seed) on \(machine)")
            }
        }
    }
}
