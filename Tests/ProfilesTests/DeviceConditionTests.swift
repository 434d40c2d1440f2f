import XCTest
@testable import Profiles

/// `[[devices]] when = "option=value"`: a device that exists only with that option value
/// (virt-riscv's ACLINT SSWI with aclint=on, as QEMU's virt board).
final class DeviceConditionTests: XCTestCase {
    func testVirtRISCVHasTheSSWIOnlyWithACLINTOn() throws {
        let store = try shippedStore()
        XCTAssertNil(try store.machine("virt-riscv").device(kind: "aclint-sswi"))
        XCTAssertNil(try store.machine("virt-riscv,aclint=off").device(kind: "aclint-sswi"))
        let on = try store.machine("virt-riscv,aclint=on")
        let sswi = try XCTUnwrap(on.device(kind: "aclint-sswi"))
        XCTAssertEqual(sswi.regions.map(\.base), [0x2F0_0000])
        XCTAssertEqual(on.devices.count, try store.machine("virt-riscv").devices.count + 1)
    }

    func testAConditionNamingNoOptionValueIsAnError() throws {
        let scratch = try ScratchProfiles()
        defer { scratch.remove() }
        try scratch.copyShippedCores()
        var text = try scratch.shippedText("machines/virt-riscv.toml")
        text = text.replacingOccurrences(of: "when = \"aclint=on\"", with: "when = \"aclint=maybe\"")
        try scratch.machine("virt-riscv", text)
        assertProfileError(file: scratch.path(machine: "virt-riscv"), key: "devices[3].when",
                           contains: ["aclint=maybe", "aclint=on"]) {
            _ = try scratch.store().machine("virt-riscv")
        }
        try scratch.machine("virt-riscv", text.replacingOccurrences(of: "when = \"aclint=maybe\"", with: "when = \"aclint\""))
        assertProfileError(file: scratch.path(machine: "virt-riscv"), key: "devices[3].when",
                           contains: ["not option=value"]) {
            _ = try scratch.store().machine("virt-riscv")
        }
    }
}

/// `[device-tree]` and devices' `compatible`: the board a RISC-V machine's device tree names.
final class DeviceTreeIdentityTests: XCTestCase {
    func testFU740NamesTheHiFiveUnmatched() throws {
        let fu740 = try shippedStore().machine("fu740")
        XCTAssertEqual(fu740.deviceTreeRoot?.compatible, ["sifive,hifive-unmatched-a00", "sifive,fu740-c000", "sifive,fu740"])
        XCTAssertEqual(fu740.device(kind: "sifive-uart")?.compatible, ["sifive,fu740-c000-uart", "sifive,uart0"])
        XCTAssertNil(try shippedStore().machine("virt-riscv").deviceTreeRoot)
    }

    func testARMMachineTakesNoDeviceTreeTable() throws {
        let scratch = try ScratchProfiles()
        defer { scratch.remove() }
        try scratch.copyShippedCores()
        let text = try scratch.shippedText("machines/vexpress-a15.toml")
        try scratch.machine("vexpress-a15", text + "\n[device-tree]\nmodel = \"x\"\ncompatible = [\"y\"]\n")
        assertProfileError(file: scratch.path(machine: "vexpress-a15"), key: "device-tree", contains: ["RISC-V"]) {
            _ = try scratch.store().machine("vexpress-a15")
        }
        var rv = try scratch.shippedText("machines/fu740.toml")
        rv = rv.replacingOccurrences(of: "compatible = [\"sifive,hifive-unmatched-a00\", \"sifive,fu740-c000\", \"sifive,fu740\"]", with: "compatible = []")
        try scratch.machine("fu740", rv)
        assertProfileError(file: scratch.path(machine: "fu740"), key: "device-tree.compatible", contains: ["empty"]) {
            _ = try scratch.store().machine("fu740")
        }
    }
}
