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

    /// `--bios FILE`: every hart starts in M-mode at the firmware's entry with a0 = mhartid,
    /// a1 = the device tree and a2 = fw_dynamic_info (magic "OSBI", version 2, next_addr = the
    /// payload's entry, next_mode = S, options 0, boot_hart 0 — QEMU 7.2 hw/riscv/boot.c
    /// riscv_rom_copy_firmware_info). This firmware checks all of it, opens memory with PMP,
    /// MRETs to the payload in S-mode; the payload reads mhartid, which traps from S-mode back
    /// to the firmware, which passes through the finisher. Each failed check has its own code.
    static func checkingFirmware(bootHart: Int) -> String { """
        csrr t0, mhartid
        li t3, 1
        bne a0, t0, fail
        li t0, \(bootHart)             # the first hart with S-mode
        bne a0, t0, park
        li t3, 2
        lwu t1, 0(a1)
        li t2, 0xedfe0dd0
        bne t1, t2, fail
        li t3, 3
        ld t1, 0(a2)
        li t2, 0x4942534f
        bne t1, t2, fail
        li t3, 4
        ld t1, 8(a2)
        li t2, 2
        bne t1, t2, fail
        li t3, 5
        ld t1, 16(a2)
        li t2, 0x80200000
        bne t1, t2, fail
        li t3, 6
        ld t1, 24(a2)
        li t2, 1
        bne t1, t2, fail
        li t3, 7
        ld t1, 32(a2)
        bnez t1, fail
        li t3, 8
        ld t1, 40(a2)
        bnez t1, fail
        li t0, -1
        csrw pmpaddr0, t0
        li t0, 0x1f                # NAPOT, R W X: all memory to S and U
        csrw pmpcfg0, t0
        la t0, trap
        csrw mtvec, t0
        ld t0, 16(a2)
        csrw mepc, t0
        li t0, 0x1800
        csrc mstatus, t0
        li t0, 0x800               # MPP = S
        csrs mstatus, t0
        mret
        .balign 4                  # mtvec BASE: direct mode needs 4-byte alignment
    trap:
        li t3, 9
        csrr t0, mcause
        li t1, 2                   # illegal instruction
        bne t0, t1, fail
        li t3, 10
        csrr t0, mstatus
        srli t0, t0, 11
        andi t0, t0, 3
        li t1, 1                   # from S-mode
        bne t0, t1, fail
        li t0, 0x100000
        li t1, 0x5555
        sw t1, 0(t0)
    park:
        wfi
        j park
    fail:
        slli t3, t3, 16
        li t4, 0x3333
        or t3, t3, t4
        li t0, 0x100000
        sw t3, 0(t0)
        j park
    """ }

    /// Relink an assembled image at `address`.
    static func relink(_ elf: String, at address: UInt64, suffix: String) throws -> String {
        let obj = elf.replacingOccurrences(of: ".elf", with: ".o")
        let out = elf.replacingOccurrences(of: ".elf", with: "-\(suffix).elf")
        try CLI.tool("ld.lld", ["-N", "--image-base=0", "-Ttext=0x\(String(address, radix: 16))", "-e", "_start", obj, "-o", out])
        return out
    }

    func testFirmwareFileGetsFwDynamicInfoAndEntersThePayloadInSMode() throws {
        let payload = try Self.relink(try CLI.buildRISCVImage("csrr t0, mhartid\n1: j 1b"), at: 0x8020_0000, suffix: "payload")
        for (machine, bootHart) in [("virt-riscv", 0), ("fu740", 1)] {
            let firmware = try CLI.buildRISCVImage(Self.checkingFirmware(bootHart: bootHart))
            var args = ["run", payload, "--machine", machine, "--bios", firmware, "--max-instructions", "1000000"]
            if machine == "virt-riscv" { args += ["--smp", "2"] }
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 0, "\(machine): \(r.stdout)\(r.stderr)")
            XCTAssertTrue(r.stdout.contains("sifive_test: pass"), r.stdout)
        }
    }

    /// QEMU's -bios takes a raw image too and puts it at the start of RAM (riscv_load_firmware,
    /// firmware_load_addr).
    func testRawBinAtTheRAMBase() throws {
        let elf = try CLI.buildRISCVImage(Self.checkingFirmware(bootHart: 0))
        let bin = elf.replacingOccurrences(of: ".elf", with: ".bin")
        try CLI.tool("llvm-objcopy", ["-O", "binary", elf, bin])
        let payload = try Self.relink(try CLI.buildRISCVImage("csrr t0, mhartid\n1: j 1b"), at: 0x8020_0000, suffix: "payload")
        let r = try CLI.run(["run", payload, "--machine", "virt-riscv", "--bios", bin, "--max-instructions", "1000000"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("sifive_test: pass"), r.stdout)
    }

    func testARMImageOnRISCVMachineIsRefused() throws {
        let r = try CLI.run(["run", "images/arm/hello.elf", "--machine", "virt-riscv"])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("hello.elf"), r.stderr)
    }
}
