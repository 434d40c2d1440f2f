import XCTest

/// A misbehaving guest never crashes hetboot: it takes the architectural exception, and a
/// runaway guest stops at the instruction budget with the per-core report (exit code 4).
final class GuestFaultTests: XCTestCase {
    func testJumpToUnmappedMemoryTakesPrefetchAbortsUntilTheBudget() throws {
        let elf = try CLI.buildImage("""
            ldr r0, =0x00001000
            bx r0
            .ltorg
            """)
        let r = try CLI.run(["run", elf, "--machine", "tc2", "--max-instructions", "20000"])
        XCTAssertEqual(r.status, 4, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("instruction budget exhausted"), r.stdout)
        XCTAssertTrue(r.stdout.contains("instruction fetch from 0x00001000"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[bus-error]"), r.stdout)
    }

    func testUndefinedEncodingsTakeTheUndefinedException() throws {
        // Secure SVC on vexpress-a15: an UND handler counts and returns past the instruction.
        let elf = try CLI.buildImage("""
            adr r0, vectors
            mcr p15, 0, r0, c12, c0, 0      @ VBAR
            mov r5, #0
            udf #1
            .word 0xe7f000f0                @ UDF
            .word 0xf7f0a000                @ unallocated in the unconditional space
            .word 0xee000a10                @ VMSR-space (VFP): UNDEFINED here
            cmp r5, #4
            ldreq r1, =0x20026              @ ADP_Stopped_ApplicationExit
            ldrne r1, =0x20023
            mov r0, #0x18                   @ SYS_EXIT
            svc 0x123456
            b .
            .balign 32
            vectors:
            b .
            b und
            b .
            b .
            b .
            b .
            b .
            b .
            und:
            add r5, r5, #1
            movs pc, lr
            .ltorg
            """)
        let r = try CLI.run(["run", elf, "--machine", "vexpress-a15", "--max-instructions", "100000"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("[unimplemented-instruction]"), r.stdout)
    }

    func testSpinningGuestStopsAtTheBudgetWithTheReport() throws {
        let elf = try CLI.buildImage("nop\nspin: b spin")
        let r = try CLI.run(["run", elf, "--machine", "vexpress-a15,secure=off", "--smp", "2", "--max-instructions", "50000"])
        XCTAssertEqual(r.status, 4, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("spin"), r.stdout)
        XCTAssertTrue(r.stdout.contains("running"), r.stdout)
    }

    func testThumbExceptionEntryIsReportedAsNotSupported() throws {
        // SCTLR.TE = 1 takes exceptions in Thumb state, which hetboot does not run.
        let elf = try CLI.buildImage("""
            mrc p15, 0, r0, c1, c0, 0
            orr r0, r0, #0x40000000
            mcr p15, 0, r0, c1, c0, 0
            take_svc:
            svc #0
            b .
            """)
        let r = try CLI.run(["run", elf, "--machine", "vexpress-a15"])
        XCTAssertEqual(r.status, 5, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("SCTLR.TE"), r.stdout)
        XCTAssertTrue(r.stdout.contains("take_svc"), r.stdout)
    }

    func testSecondaryRAMRegionsHoldData() throws {
        // vexpress-a15's A15 SRAM at 0x2E000000: a store there reads back.
        let elf = try CLI.buildImage("""
            ldr r0, =0x2E000010
            ldr r1, =0x12345678
            str r1, [r0]
            ldr r2, [r0]
            cmp r1, r2
            ldreq r1, =0x20026
            ldrne r1, =0x20023
            mov r0, #0x18
            svc 0x123456
            .ltorg
            """)
        let r = try CLI.run(["run", elf, "--machine", "vexpress-a15"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
    }
}
