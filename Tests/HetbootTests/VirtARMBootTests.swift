import Foundation
import XCTest

/// virt-arm boots a bare ELF the way QEMU's virt board does: the device tree at the RAM base
/// when the image leaves 1 MiB there (none otherwise), secondaries off until PSCI CPU_ON over
/// HVC (no EL2) or SMC (virtualization=on, the core in Hyp). The same image runs on QEMU, the
/// oracle, and must end the same way there.
final class VirtARMBootTests: XCTestCase {
    /// CPU 0 checks for the DTB magic at 0x40000000 (what EXPECT_DTB says it must find), starts
    /// CPU 1 with PSCI CPU_ON on the conduit CONDUIT, waits for CPU 1's flag, and exits through
    /// semihosting: pass only if everything held.
    private static let source = """
        .syntax unified
        .arm
        .arch_extension sec
        .arch_extension virt
        .text
        .globl _start
        _start:
            ldr r0, =0x40000000
            ldr r1, [r0]
            ldr r2, =0xEDFE0DD0         @ FDT magic 0xD00DFEED, big-endian in memory
            cmp r1, r2
            moveq r5, #1
            movne r5, #0
            cmp r5, #EXPECT_DTB
            bne fail
            ldr r0, =0x84000003         @ PSCI CPU_ON
            mov r1, #1                  @ MPIDR affinity of CPU 1
            adr r2, secondary
            mov r3, #0
            CONDUIT #0
            cmp r0, #0
            bne fail
        wait:
            ldr r1, flag
            cmp r1, #0x5A
            bne wait
            ldr r1, =0x20026            @ ADP_Stopped_ApplicationExit
            b exit
        fail:
            ldr r1, =0x20023            @ ADP_Stopped_InternalError
        exit:
            mov r0, #0x18               @ SYS_EXIT
            svc 0x123456
            b .
        secondary:
            mov r1, #0x5A
            str r1, flag
            b .
        flag:
            .word 0
            .ltorg
        """

    private func image(at address: String, expectDTB: Bool, conduit: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-virt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let src = dir.appendingPathComponent("t.S"), obj = dir.appendingPathComponent("t.o").path
        let elf = dir.appendingPathComponent("virt-\(address).elf").path
        try Self.source.write(to: src, atomically: true, encoding: .utf8)
        try CLI.tool("clang", ["--target=armv7a-none-eabi", "-march=armv7ve", "-DEXPECT_DTB=\(expectDTB ? 1 : 0)",
                               "-DCONDUIT=\(conduit)", "-c", src.path, "-o", obj])
        try CLI.tool("ld.lld", ["-N", "-Ttext=\(address)", "-e", "_start", obj, "-o", elf])
        return elf
    }

    /// QEMU's exit status for the image, or nil (with a visible skip) when QEMU is absent.
    private func qemuStatus(_ elf: String, machineOptions: String) throws -> Int32? {
        guard let qemu = CLI.which("qemu-system-arm") else {
            print("VirtARMBootTests: qemu-system-arm is not installed: the comparison with QEMU is skipped (CI installs it)")
            return nil
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = ["-M", "virt\(machineOptions)", "-cpu", "cortex-a15", "-smp", "2", "-semihosting", "-nographic",
                       "-monitor", "none", "-kernel", elf]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let watchdog = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        p.waitUntilExit()
        watchdog.cancel()
        return p.terminationStatus
    }

    private func check(address: String, expectDTB: Bool, options: String, conduit: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let elf = try image(at: address, expectDTB: expectDTB, conduit: conduit)
        let r = try CLI.run(["run", elf, "--machine", "virt-arm\(options)", "--smp", "2"])
        XCTAssertEqual(r.status, 0, "hetboot virt-arm\(options), image at \(address):\n\(r.stdout)\(r.stderr)", file: file, line: line)
        if let status = try qemuStatus(elf, machineOptions: options) {
            XCTAssertEqual(status, 0, "QEMU virt\(options), image at \(address)", file: file, line: line)
        }
    }

    func testDeviceTreeAtTheRAMBaseAndPSCIOverHVC() throws {
        try check(address: "0x40100000", expectDTB: true, options: "", conduit: "hvc")
    }

    func testNoRoomBelowTheImageMeansNoDeviceTree() throws {
        try check(address: "0x40010000", expectDTB: false, options: "", conduit: "hvc")
    }

    func testVirtualizationMovesPSCIToSMCAndStartsInHyp() throws {
        try check(address: "0x40100000", expectDTB: true, options: ",virtualization=on", conduit: "smc")
        let elf = try image(at: "0x40100000", expectDTB: true, conduit: "smc")
        let r = try CLI.run(["run", elf, "--machine", "virt-arm,virtualization=on", "--smp", "2"])
        XCTAssertTrue(r.stdout.contains("HYP   non-secure"), r.stdout)
    }

    // MARK: Linux-style raw images

    /// A raw image that prints r0, r1, r2 and CPSR's mode and mask bits as QEMU's Linux boot
    /// path leaves them at entry (the flags are UNKNOWN there, Documentation/arm/booting), and
    /// whether r2 points at a device tree, through semihosting SYS_WRITEC.
    private static let rawSource = """
        .syntax unified
        .arm
        .text
        .globl _start
        _start:
            mov r8, r0
            mov r9, r1
            mov r10, r2
            mrs r11, cpsr
            lsl r11, r11, #23           @ keep bits 8:0: the mode and A, I, F
            lsr r11, r11, #23
            add sp, pc, #0x1000
            mov r4, r8
            bl hex
            mov r4, r9
            bl hex
            mov r4, r10
            bl hex
            mov r4, r11
            bl hex
            ldr r4, [r10]               @ the tree's magic, big-endian: 0xEDFE0DD0 read little-endian
            bl hex
            ldr r1, =0x20026
            mov r0, #0x18
            svc 0x123456
            b .
        hex:                            @ r4 as 8 hex digits and a newline
            push {lr}
            mov r5, #8
        1:  mov r6, r4, lsr #28
            cmp r6, #10
            addlt r6, r6, #'0'
            addge r6, r6, #('A' - 10)
            adr r1, ch
            strb r6, [r1]
            mov r0, #3                  @ SYS_WRITEC
            svc 0x123456
            mov r4, r4, lsl #4
            subs r5, r5, #1
            bne 1b
            mov r6, #10
            adr r1, ch
            strb r6, [r1]
            mov r0, #3
            svc 0x123456
            pop {pc}
        ch: .word 0
            .ltorg
        """

    private func rawImage() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-raw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let src = dir.appendingPathComponent("raw.S"), obj = dir.appendingPathComponent("raw.o").path
        let elf = dir.appendingPathComponent("raw.elf").path, bin = dir.appendingPathComponent("zImage").path
        try Self.rawSource.write(to: src, atomically: true, encoding: .utf8)
        try CLI.tool("clang", ["--target=armv7a-none-eabi", "-march=armv7ve", "-c", src.path, "-o", obj])
        try CLI.tool("ld.lld", ["-N", "--image-base=0", "-Ttext=0", "-e", "_start", obj, "-o", elf])
        try CLI.tool("llvm-objcopy", ["-O", "binary", elf, bin])
        return bin
    }

    /// A raw image is loaded at RAM base + 0x10000 and entered with r0 = 0, r1 = 0xFFFFFFFF, r2 =
    /// the device tree at RAM base + 64 MiB (half of 128 MiB), in SVC without EL2 and in HYP
    /// with it — the same as QEMU 7.2 prints.
    func testRawLinuxImageEntryMatchesQEMU() throws {
        let image = try rawImage()
        for options in ["", ",virtualization=on"] {
            let ours = try CLI.run(["run", image, "--machine", "virt-arm\(options)", "--smp", "2"])
            XCTAssertEqual(ours.status, 0, ours.stdout + ours.stderr)
            let mode = options.isEmpty ? "000001D3" : "000001DA"
            XCTAssertEqual(ours.consoleLines, ["00000000", "FFFFFFFF", "44000000", mode, "EDFE0DD0"], options)
            guard CLI.which("qemu-system-arm") != nil else {
                print("VirtARMBootTests: qemu-system-arm is not installed: the comparison with QEMU is skipped (CI installs it)")
                continue
            }
            let qemu = try QEMU.consoleLines("qemu-system-arm", ["-M", "virt\(options)", "-cpu", "cortex-a15", "-smp", "2",
                                                                  "-semihosting", "-nographic", "-monitor", "none",
                                                                  "-kernel", image], timeout: 60, semihostingOnStderr: true)
            XCTAssertEqual(ours.consoleLines, qemu, "virt\(options)")
        }
    }

    func testRawImagesNeedAMachineWithADeviceTreeAndNonSecureEntry() throws {
        let image = try rawImage()
        let tc2 = try CLI.run(["run", image, "--machine", "tc2"])
        XCTAssertEqual(tc2.status, 2)
        XCTAssertTrue(tc2.stderr.contains("zImage") && tc2.stderr.contains("not an ELF"), tc2.stderr)
        let secure = try CLI.run(["run", image, "--machine", "virt-arm,secure=on"])
        XCTAssertEqual(secure.status, 2)
        XCTAssertTrue(secure.stderr.contains("Secure entry is not supported"), secure.stderr)
        XCTAssertTrue(secure.stdout.isEmpty)
    }
}
