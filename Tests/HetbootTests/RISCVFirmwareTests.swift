import XCTest

/// RISC-V boots: `--bios none` (every hart in M-mode at the entry, a0 = mhartid, a1 = device
/// tree) and the built-in SBI firmware (`--bios sbi`: an S-mode payload on the boot hart, the
/// others started through HSM).
final class RISCVFirmwareTests: XCTestCase {
    /// Print "hart N" through SBI DBCN from each hart; hart 0 starts hart 1 with HSM, waits
    /// until HSM reports it started and it has printed, then shuts down through SRST.
    static let payload = """
        mv s0, a0                  # hartid
        bnez s0, secondary
        li a0, '0'
        call say
        li a7, 0x48534D            # HSM hart_start(1, secondary_entry, 0x1234)
        li a6, 0
        li a0, 1
        la a1, secondary_entry
        li a2, 0x1234
        ecall
        bnez a0, fail
        la t0, flag
    1:  lw t1, 0(t0)
        beqz t1, 1b
        li a7, 0x48534D            # hart_get_status(1) = 0 (started)
        li a6, 2
        li a0, 1
        ecall
        bnez a0, fail
        bnez a1, fail
        li a7, 0x10                # BASE get_spec_version = 2.0
        li a6, 0
        ecall
        li t0, 0x2000000
        bne a1, t0, fail
        li a7, 0x53525354          # SRST shutdown, no reason
        li a6, 0
        li a0, 0
        li a1, 0
        ecall
    fail:
        li a7, 0x53525354
        li a6, 0
        li a0, 0
        li a1, 1
        ecall
    secondary_entry:
        li t0, 0x1234              # a1 = opaque
        bne a1, t0, fail
        li a0, '1'
        call say
        la t0, flag
        li t1, 1
        sw t1, 0(t0)
    2:  wfi
        j 2b
    secondary:
        j fail                     # only hart 0 starts at the entry under SBI
    say:                           # print "hart <a0>\\n" with DBCN console_write_byte
        mv t2, a0
        li a7, 0x4442434E
        li a6, 2
        li a0, 'h'
        ecall
        li a0, 'a'
        ecall
        li a0, 'r'
        ecall
        li a0, 't'
        ecall
        li a0, ' '
        ecall
        mv a0, t2
        ecall
        li a0, '\\n'
        ecall
        ret
        .balign 8
    flag: .word 0
    """

    func testBuiltInSBIBootsAnSModePayloadAndStartsHartsWithHSM() throws {
        let elf = try CLI.buildRISCVImage(Self.payload)
        let r = try CLI.run(["run", elf, "--machine", "virt-riscv", "--smp", "2", "--bios", "sbi"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.lines.starts(with: ["hart 0", "hart 1"]), r.stdout)
        XCTAssertTrue(r.stdout.contains("SBI system_reset: shutdown"), r.stdout)
        // The report shows hart 0 in S-mode.
        XCTAssertTrue(r.lines.contains { $0.hasPrefix("0 ") && $0.contains(" S ") }, r.stdout)
    }

    func testBiosNoneStartsEveryHartInMachineModeWithHartIDAndDeviceTree() throws {
        // Each hart checks a0 = mhartid and that a1 points at a device tree (magic d00dfeed,
        // big-endian), then hart 0 passes through the finisher.
        let elf = try CLI.buildRISCVImage("""
            csrr t0, mhartid
            bne a0, t0, bad
            lwu t1, 0(a1)
            li t2, 0xedfe0dd0
            bne t1, t2, bad
            bnez a0, park
            li t0, 0x100000
            li t1, 0x5555
            sw t1, 0(t0)
        park: wfi
            j park
        bad:
            li t0, 0x100000
            li t1, 0x13333
            sw t1, 0(t0)
            j park
        """)
        let r = try CLI.run(["run", elf, "--machine", "virt-riscv", "--smp", "4", "--quantum", "5"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("sifive_test"), r.stdout)
    }

    func testFirmwareFileIsRefusedClearly() throws {
        let r = try CLI.run(["run", "images/arm/hello.elf", "--machine", "virt-riscv", "--bios", "README.md"])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("--bios"), r.stderr)
    }

    func testARMImageOnRISCVMachineIsRefused() throws {
        let r = try CLI.run(["run", "images/arm/hello.elf", "--machine", "virt-riscv"])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("hello.elf"), r.stderr)
    }
}
