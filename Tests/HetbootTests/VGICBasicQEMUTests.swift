import Foundation
import XCTest

/// `arm/vgic-basic` prints the same lines on hetboot and on QEMU 7.2 (the oracle for the GICv2
/// virtual interface): vexpress-a15 with secure=off starts the image in HYP on both.
final class VGICBasicQEMUTests: XCTestCase {
    static let image = "images/arm/vgic-basic.elf"

    func testVGICBasicMatchesQEMU() throws {
        let ours = try CLI.run(["run", Self.image, "--machine", "vexpress-a15,secure=off"])
        XCTAssertEqual(ours.status, 0, ours.stdout + ours.stderr)
        let oursLines = ours.consoleLines
        XCTAssertEqual(oursLines.last, "vgic-basic: PASS", ours.stdout)

        let qemuLines = try QEMU.consoleLines("qemu-system-arm", [
            "-M", "vexpress-a15,secure=off,virtualization=on", "-cpu", "cortex-a15", "-semihosting",
            "-nographic", "-monitor", "none", "-audiodev", "none,id=none",
            "-kernel", CLI.root.appendingPathComponent(Self.image).path], timeout: 60)
        assertListRegisterWalk(qemuLines, "QEMU 7.2")
        XCTAssertEqual(oursLines, qemuLines)
    }

    /// On both machines hetboot shows LR0 in each state of IHI 0048B §5.4 in turn, each after
    /// the event that causes it, with the status registers the hypervisor read at that point,
    /// then each maintenance condition raised by the guest's access that causes it.
    func testListRegisterWalksEveryStateOnBothMachines() throws {
        for machine in ["tc2", "vexpress-a15,secure=off"] {
            let r = try CLI.run(["run", Self.image, "--machine", machine])
            XCTAssertEqual(r.status, 0, machine + ": " + r.stdout + r.stderr)
            assertListRegisterWalk(r.consoleLines, machine)
        }
    }

    /// Asserts the image's story in `lines` (hetboot's or QEMU's console).
    func assertListRegisterWalk(_ lines: [String], _ who: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let partTwo = lines.firstIndex(where: { $0.hasPrefix("hyp: HVC #3") }) else {
            XCTFail("\(who): no end of part 1 in\n\(lines.joined(separator: "\n"))", file: file, line: line)
            return
        }
        // Part 1: the hypervisor's lines in order: (what happened, GICH_MISR, EISR, ELRSR, LR0).
        let steps: [(prefix: String, misr: String, eisr: String, elrsr: String, lr0: String)] = [
            ("hyp: before entry", "0x0", "0x0", "0xC", "0x15080403 (pending)"),
            ("hyp: HVC #1, guest acked", "0x0", "0x0", "0xC", "0x25080403 (active)"),
            ("hyp: SGI 3 injected again", "0x0", "0x0", "0xC", "0x35080403 (pending+active)"),
            ("hyp: HVC #2, guest EOIed", "0x0", "0x0", "0xC", "0x15080403 (pending)"),
            ("hyp: HVC #1, guest acked", "0x0", "0x0", "0xC", "0x25080403 (active)"),
            // The EOI maintenance interrupt: LR0 invalid with EOI set, not yet free in ELRSR.
            ("hyp: maintenance", "0x1", "0x1", "0xC", "0x05080403 (invalid)"),
            ("hyp: handled", "0x0", "0x0", "0xD", "0x00000000 (invalid)"),
        ]
        let hyp = lines[..<partTwo].filter { line in steps.contains { line.hasPrefix($0.prefix + ":") } }
        XCTAssertEqual(hyp.count, steps.count + 1, "\(who): \(hyp)", file: file, line: line)   // + interrupt 100's ack
        for (i, step) in steps.enumerated() where i < hyp.count {
            let expected = "\(step.prefix): MISR=\(step.misr) EISR=\(step.eisr) ELRSR=\(step.elrsr) LR0=\(step.lr0)"
            XCTAssertTrue(hyp[i].hasPrefix(expected), "\(who) step \(i): \(hyp[i]), expected \(expected)",
                          file: file, line: line)
        }
        // Interrupt 100 (HW = 1): active while the guest handles it, invalid at the end of part 1.
        XCTAssertTrue(lines[..<partTwo].contains { $0.hasPrefix("hyp: HVC #1") && $0.hasSuffix("LR1=0xA6019064 (active)") },
                      who, file: file, line: line)
        XCTAssertTrue(lines.contains { $0.hasPrefix("hyp: part 1 done") && $0.hasSuffix("LR1=0x86019064 (invalid)") },
                      who, file: file, line: line)

        // Each state change and maintenance interrupt follows the access that causes it.
        let order = [
            "guest: GICV_IAR=0x403", "hyp: HVC #1", "hyp: SGI 3 injected again", "guest: GICV_EOIR=0x403",
            "hyp: HVC #2", "guest: GICV_IAR=0x403", "hyp: HVC #1", "guest: GICV_EOIR=0x403",
            "hyp: maintenance: MISR=0x1 EISR=0x1", "guest: GICV_IAR=0x64", "hyp: HVC #1", "guest: GICV_EOIR=0x64",
            "hyp: HVC #3", "hyp: physical SPI 100 active=0, maintenance interrupts=1",
            // No pending: raised by the acknowledge of the only pending LR, before the guest
            // prints what it read.
            "hyp: NPIE set: HCR=0x00000009 MISR=0x0",
            "hyp: maintenance: HCR=0x00000009 MISR=0x8", "hyp: handled: HCR=0x00000001 MISR=0x0",
            "guest: GICV_IAR=0x28",
            // LR entry not present: the EOI of an interrupt no LR holds counts in EOICount.
            "hyp: interrupt 40 moved out of the LRs: HCR=0x00000005", "guest: GICV_EOIR=0x28",
            "hyp: maintenance: HCR=0x08000005 MISR=0x4", "hyp: 1 EOI(s) of interrupts in no LR",
            "hyp: handled: HCR=0x00000001 MISR=0x0",
            // Underflow: the EOI of 41 leaves one valid LR (42).
            "hyp: HVC #4, UIE set: HCR=0x00000003 MISR=0x0", "guest: GICV_IAR=0x29", "guest: GICV_EOIR=0x29",
            "hyp: maintenance: HCR=0x00000003 MISR=0x2 EISR=0x0 ELRSR=0x7", "hyp: handled: HCR=0x00000001 MISR=0x0",
            "guest: GICV_IAR=0x2A", "guest: GICV_EOIR=0x2A",
            "hyp: HVC #0", "hyp: final: HCR=0x00000001 MISR=0x0 EISR=0x0 ELRSR=0xF",
            "hyp: maintenance interrupts=4 (MISR EOI, NP, LRENP, U)", "vgic-basic: PASS",
        ]
        var next = lines.startIndex
        for event in order {
            guard let at = lines[next...].firstIndex(where: { $0.hasPrefix(event) }) else {
                XCTFail("\(who): no \"\(event)\" after line \(next) in\n\(lines.joined(separator: "\n"))",
                        file: file, line: line)
                return
            }
            next = at + 1
        }
    }
}
