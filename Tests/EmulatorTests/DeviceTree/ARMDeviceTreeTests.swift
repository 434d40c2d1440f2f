import Foundation
import XCTest
@testable import Emulator
import Profiles

/// virt-arm's generated device tree: what a kernel or a hypervisor reads to find its cores,
/// interrupt controller, timer, UART and PSCI — per machine option, as QEMU's virt writes it.
final class ARMDeviceTreeTests: XCTestCase {
    private func store() throws -> ProfileStore {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return try ProfileStore(directory: url.appendingPathComponent("cpu-profiles").path)
    }

    private func tree(_ spec: String, smp: Int? = nil) throws -> [UInt8] {
        let machine = try store().machine(spec, smp: smp)
        return try XCTUnwrap(try ARMDeviceTree.build(machine: machine))
    }

    private func string(_ blob: [UInt8], _ path: String, _ name: String) -> String? {
        DeviceTree.strings(blob, path: path, name: name)?.joined(separator: ",")
    }

    func testDefaultsAnswerPSCIOverHVCAndListTheModelledDevices() throws {
        let blob = try tree("virt-arm", smp: 2)
        XCTAssertEqual(blob.count, ARMDeviceTree.blobSize, "padded to QEMU's 1 MiB")
        XCTAssertEqual(string(blob, "/", "compatible"), "linux,dummy-virt")
        XCTAssertEqual(string(blob, "/psci", "method"), "hvc")
        XCTAssertEqual(string(blob, "/psci", "compatible"), "arm,psci-1.0,arm,psci-0.2,arm,psci")
        XCTAssertEqual(DeviceTree.cells(blob, path: "/psci", name: "cpu_on"), [0x8400_0003])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/memory@40000000", name: "reg"), [0, 0x4000_0000, 0, 0x0800_0000])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/intc@8000000", name: "reg"),
                       [0, 0x0800_0000, 0, 0x1_0000, 0, 0x0801_0000, 0, 0x1_0000])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/pl011@9000000", name: "interrupts"), [0, 1, 4], "SPI 1, level high")
        XCTAssertEqual(string(blob, "/chosen", "stdout-path"), "/pl011@9000000")
        // The timer's PPIs 13, 14, 11, 10 go to both CPUs: flags 0x304.
        XCTAssertEqual(DeviceTree.cells(blob, path: "/timer", name: "interrupts"),
                       [1, 13, 0x304, 1, 14, 0x304, 1, 11, 0x304, 1, 10, 0x304])
        // Phandles as QEMU allocates them: clock 0x8000, CPUs last-first, then the GIC.
        XCTAssertEqual(DeviceTree.cells(blob, path: "/apb-pclk", name: "phandle"), [0x8000])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/cpus/cpu@0", name: "phandle"), [0x8002])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/cpus/cpu@1", name: "phandle"), [0x8001])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/intc@8000000", name: "phandle"), [0x8003])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/", name: "interrupt-parent"), [0x8003])
        XCTAssertEqual(string(blob, "/cpus/cpu@1", "enable-method"), "psci")
        XCTAssertEqual(DeviceTree.cells(blob, path: "/cpus/cpu-map/socket0/cluster0/core1", name: "cpu"), [0x8001])
    }

    func testOneCoreHasNoEnableMethod() throws {
        let blob = try tree("virt-arm")
        XCTAssertTrue(DeviceTree.hasNode(blob, path: "/cpus/cpu@0"))
        XCTAssertNil(DeviceTree.property(blob, path: "/cpus/cpu@0", name: "enable-method"))
        XCTAssertEqual(DeviceTree.cells(blob, path: "/timer", name: "interrupts")?[2], 0x104)
    }

    func testOptionsMovePSCIOrTakeItAway() throws {
        XCTAssertEqual(string(try tree("virt-arm,virtualization=on", smp: 2), "/psci", "method"), "smc")
        let secure = try tree("virt-arm,secure=on", smp: 2)
        XCTAssertFalse(DeviceTree.hasNode(secure, path: "/psci"), "the guest's own EL3 firmware provides PSCI")
        XCTAssertEqual(string(secure, "/cpus/cpu@1", "enable-method"), "psci", "QEMU names PSCI even so")
    }

    func testMixedClustersGetTheirOwnCompatibleAndAffinity() throws {
        let blob = try tree("virt-arm,cpus=cortex-a15*2+cortex-a7*2")
        XCTAssertEqual(string(blob, "/cpus/cpu@0", "compatible"), "arm,cortex-a15")
        XCTAssertEqual(string(blob, "/cpus/cpu@2", "compatible"), "arm,cortex-a7")
        XCTAssertEqual(DeviceTree.cells(blob, path: "/cpus/cpu@2", name: "reg"), [0x100], "MPIDR Aff1 = 1")
        XCTAssertEqual(DeviceTree.cells(blob, path: "/cpus/cpu@3", name: "reg"), [0x101])
        XCTAssertTrue(DeviceTree.hasNode(blob, path: "/cpus/cpu-map/socket0/cluster1/core1"))
    }

    func testMachinesWithoutTheKeyGetNoTree() throws {
        XCTAssertNil(try ARMDeviceTree.build(machine: try store().machine("tc2")))
        XCTAssertNil(try ARMDeviceTree.build(machine: try store().machine("vexpress-a15")))
    }

    /// A profile without `compatible` on a machine that writes a tree names the profile file.
    func testProfileWithoutCompatibleIsReported() throws {
        var machine = try store().machine("virt-arm")
        machine.cores[0].profile.compatible = nil
        XCTAssertThrowsError(try ARMDeviceTree.build(machine: machine)) { error in
            XCTAssertTrue("\(error)".contains("cortex-a15-r4p0.toml"), "\(error)")
            XCTAssertTrue("\(error)".contains("compatible"), "\(error)")
        }
    }
}

/// The oracle: QEMU's own virt tree (`-M virt,dumpdtb=FILE`). Every node hetboot writes must be
/// in QEMU's tree with the same properties, values and order; only the nodes named below may
/// have more in QEMU's (the random seeds in /chosen). With virtualization=on /intc carries the
/// GICH/GICV regions and the maintenance interrupt, compared like every other property.
final class ARMDeviceTreeQEMUTests: XCTestCase {
    private func qemuTree(_ options: String, smp: Int) throws -> [UInt8]? {
        guard let qemu = ["/usr/bin/qemu-system-arm", "/usr/local/bin/qemu-system-arm"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else { return nil }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-virt-\(UUID().uuidString).dtb")
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = ["-M", "virt\(options),dumpdtb=\(file.path)", "-cpu", "cortex-a15", "-smp", "\(smp)",
                       "-nographic", "-monitor", "none"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return [UInt8](try Data(contentsOf: file))
    }

    private func store() throws -> ProfileStore {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return try ProfileStore(directory: url.appendingPathComponent("cpu-profiles").path)
    }

    func testEveryNodeMatchesQEMUsTree() throws {
        let cases: [(options: String, smp: Int, extraInQEMU: Set<String>)] = [
            ("", 1, ["/chosen"]), ("", 2, ["/chosen"]), ("", 4, ["/chosen"]),
            (",secure=on", 2, ["/chosen"]),
            (",virtualization=on", 2, ["/chosen"]),
        ]
        for c in cases {
            guard let qemuBlob = try qemuTree(c.options, smp: c.smp) else {
                print("ARMDeviceTreeQEMUTests: SKIPPED — qemu-system-arm is not installed")
                throw XCTSkip("qemu-system-arm is not installed")
            }
            let label = "virt\(c.options) smp \(c.smp)"
            let machine = try store().machine("virt-arm\(c.options)", smp: c.smp)
            let ours = try XCTUnwrap(DeviceTree.nodes(try XCTUnwrap(try ARMDeviceTree.build(machine: machine))))
            let theirs = try XCTUnwrap(DeviceTree.nodes(qemuBlob), label)
            XCTAssertEqual(qemuBlob.count, ARMDeviceTree.blobSize, label)
            var lastIndex = -1
            for node in ours {
                guard let index = theirs.firstIndex(where: { $0.path == node.path }) else {
                    XCTFail("\(label): QEMU has no \(node.path)")
                    continue
                }
                XCTAssertGreaterThan(index, lastIndex, "\(label): \(node.path) out of QEMU's node order")
                lastIndex = index
                let names = Set(node.properties.map(\.name))
                let qemuProperties = theirs[index].properties.filter {
                    names.contains($0.name) || !c.extraInQEMU.contains(node.path)
                }
                XCTAssertEqual(qemuProperties.map(\.name), node.properties.map(\.name), "\(label): \(node.path)")
                for (mine, qemu) in zip(node.properties, qemuProperties) where mine.name == qemu.name {
                    if c.extraInQEMU.contains(node.path) && mine.name == "reg" { continue }
                    XCTAssertEqual(mine.value, qemu.value, "\(label): \(node.path) \(mine.name)")
                }
            }
        }
    }
}
