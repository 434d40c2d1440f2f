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
