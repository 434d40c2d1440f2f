import XCTest
import Emulator
import Profiles

/// With an ACLINT SSWI (virt-riscv,aclint=on) the tree describes the CLINT window as QEMU 7.2
/// does with aclint=on (`create_fdt_socket_aclint`): mswi@2000000, mtimer@2004000 and
/// sswi@2f00000 instead of clint@2000000 — what `qemu-system-riscv64 -M virt,aclint=on,dumpdtb=…`
/// shows, and what OpenSBI and S-mode payloads look for ("riscv,aclint-sswi").
final class RISCVACLINTDeviceTreeTests: XCTestCase {
    private func tree(withSSWI: Bool) throws -> [UInt8] {
        var devices = RISCVDeviceTreeTests.devices
        if withSSWI { devices.append(RISCVDeviceTreeTests.device("sswi", "aclint-sswi", 0x2F0_0000, 0x4000)) }
        let blob = try RISCVDeviceTree.build(machine: RISCVDeviceTreeTests.machine(devices: devices), bootargs: nil)
        try DeviceTree.validate(blob)
        return blob
    }

    func testSSWIReplacesTheCLINTNodeByQEMUsACLINTNodes() throws {
        let blob = try tree(withSSWI: true)
        XCTAssertNil(DeviceTree.cells(blob, path: "/soc/clint@2000000", name: "reg"))
        var intc: [UInt32] = []
        for hart in 0...4 {
            intc.append(try XCTUnwrap(DeviceTree.cells(blob, path: "/cpus/cpu@\(hart)/interrupt-controller", name: "phandle"))[0])
        }
        func lines(_ cause: UInt32) -> [UInt32] { intc.flatMap { [$0, cause] } }

        XCTAssertEqual(DeviceTree.strings(blob, path: "/soc/sswi@2f00000", name: "compatible"), ["riscv,aclint-sswi"])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/soc/sswi@2f00000", name: "reg"), [0, 0x2F0_0000, 0, 0x4000])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/soc/sswi@2f00000", name: "interrupts-extended"), lines(1))
        XCTAssertEqual(DeviceTree.cells(blob, path: "/soc/sswi@2f00000", name: "#interrupt-cells"), [0])

        XCTAssertEqual(DeviceTree.strings(blob, path: "/soc/mswi@2000000", name: "compatible"), ["riscv,aclint-mswi"])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/soc/mswi@2000000", name: "reg"), [0, 0x200_0000, 0, 0x4000])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/soc/mswi@2000000", name: "interrupts-extended"), lines(3))

        // QEMU's blob: reg = <0x00 0x200bff8 0x00 0x4008 0x00 0x2004000 0x00 0x7ff8> (MTIME, then MTIMECMP).
        XCTAssertEqual(DeviceTree.strings(blob, path: "/soc/mtimer@2004000", name: "compatible"), ["riscv,aclint-mtimer"])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/soc/mtimer@2004000", name: "reg"),
                       [0, 0x200_BFF8, 0, 0x4008, 0, 0x200_4000, 0, 0x7FF8])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/soc/mtimer@2004000", name: "interrupts-extended"), lines(7))
    }

    func testWithoutSSWITheCLINTNodeStays() throws {
        let blob = try tree(withSSWI: false)
        XCTAssertEqual(DeviceTree.strings(blob, path: "/soc/clint@2000000", name: "compatible"), ["sifive,clint0", "riscv,clint0"])
        XCTAssertNil(DeviceTree.cells(blob, path: "/soc/sswi@2f00000", name: "reg"))
        XCTAssertNil(DeviceTree.cells(blob, path: "/soc/mswi@2000000", name: "reg"))
    }
}

/// A machine file that names its board (`[device-tree]`, devices' `compatible`) gets that root
/// and those nodes — fu740 as the HiFive Unmatched, so that OpenSBI's generic platform matches
/// "sifive,fu740-c000" as on the board; QEMU virt's otherwise.
final class RISCVBoardDeviceTreeTests: XCTestCase {
    func testBoardRootAndDeviceCompatibles() throws {
        var devices = RISCVDeviceTreeTests.devices
        devices[2] = RISCVDeviceTreeTests.device("uart0", "sifive-uart", 0x1001_0000, 0x1000, interrupts: [39])
        devices[2].compatible = ["sifive,fu740-c000-uart", "sifive,uart0"]
        var machine = RISCVDeviceTreeTests.machine(devices: devices)
        machine.deviceTreeRoot = DeviceTreeRoot(model: "SiFive HiFive Unmatched A00",
                                                compatible: ["sifive,hifive-unmatched-a00", "sifive,fu740-c000", "sifive,fu740"])
        let blob = try RISCVDeviceTree.build(machine: machine, bootargs: nil)
        try DeviceTree.validate(blob)
        XCTAssertEqual(DeviceTree.strings(blob, path: "/", name: "compatible"),
                       ["sifive,hifive-unmatched-a00", "sifive,fu740-c000", "sifive,fu740"])
        XCTAssertEqual(DeviceTree.strings(blob, path: "/", name: "model"), ["SiFive HiFive Unmatched A00"])
        XCTAssertEqual(DeviceTree.strings(blob, path: "/soc/serial@10010000", name: "compatible"),
                       ["sifive,fu740-c000-uart", "sifive,uart0"])
        // Devices without a list keep the model's usual one.
        XCTAssertEqual(DeviceTree.strings(blob, path: "/soc/plic@c000000", name: "compatible"),
                       ["sifive,plic-1.0.0", "riscv,plic0"])
    }

    func testVirtKeepsQEMUsRoot() throws {
        let blob = try RISCVDeviceTree.build(machine: RISCVDeviceTreeTests.machine(), bootargs: nil)
        XCTAssertEqual(DeviceTree.strings(blob, path: "/", name: "compatible"), ["riscv-virtio"])
        XCTAssertEqual(DeviceTree.strings(blob, path: "/", name: "model"), ["riscv-virtio,qemu"])
    }
}
