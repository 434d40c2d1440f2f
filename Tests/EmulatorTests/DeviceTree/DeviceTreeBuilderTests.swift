import XCTest
import Emulator

final class DeviceTreeBuilderTests: XCTestCase {
    /// A root with `#address-cells = 2`, `#size-cells = 1` and one child with a `reg`.
    private func smallTree(_ fdt: DeviceTreeBuilder) throws {
        try fdt.beginNode("")
        try fdt.property("#address-cells", u32: 2)
        try fdt.property("#size-cells", u32: 1)
        try fdt.beginNode("dev@1234567890")
        try fdt.reg([(0x12_3456_7890, 0x1000)])
        try fdt.property("wide", u64: 0x0102_0304_0506_0708)
        try fdt.property("names", strings: ["a", "", "bc"])
        try fdt.property("flag")
        try fdt.endNode()
        try fdt.endNode()
    }

    func testPropertiesReadBack() throws {
        let fdt = try DeviceTreeBuilder()
        try smallTree(fdt)
        let blob = try fdt.finish()
        try DeviceTree.validate(blob)
        let path = "/dev@1234567890"
        XCTAssertEqual(DeviceTree.cells(blob, path: path, name: "reg"), [0x12, 0x3456_7890, 0x1000])
        XCTAssertEqual(DeviceTree.property(blob, path: path, name: "wide"), [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(DeviceTree.strings(blob, path: path, name: "names"), ["a", "", "bc"])
        XCTAssertEqual(DeviceTree.property(blob, path: path, name: "flag"), [])
        XCTAssertNil(DeviceTree.property(blob, path: path, name: "missing"))
        XCTAssertNil(DeviceTree.property(blob, path: "/nowhere", name: "reg"))
        // fdt_finish leaves a compact tree: totalsize is the blob's length.
        XCTAssertEqual(Array(blob[4..<8]), withUnsafeBytes(of: UInt32(blob.count).bigEndian, Array.init))
    }

    func testBufferGrowsPastItsInitialCapacity() throws {
        let fdt = try DeviceTreeBuilder(initialCapacity: 0)
        try fdt.beginNode("")
        for i in 0..<300 {
            try fdt.beginNode("node@\(i)")
            try fdt.property("compatible", string: "hetboot,test-node-with-a-long-compatible-string")
            try fdt.property("index", u32: UInt32(i))
            try fdt.endNode()
        }
        try fdt.endNode()
        let blob = try fdt.finish()
        XCTAssertGreaterThan(blob.count, 0x400 * 8)
        try DeviceTree.validate(blob)
        XCTAssertEqual(DeviceTree.cells(blob, path: "/node@299", name: "index"), [299])
    }

    func testPhandlesAndInterruptsExtended() throws {
        let fdt = try DeviceTreeBuilder()
        let a = try fdt.allocatePhandle(), b = try fdt.allocatePhandle()
        XCTAssertEqual([a.value, b.value], [1, 2])
        try fdt.beginNode("")
        try fdt.beginNode("intc")
        try fdt.phandle(a)
        try fdt.endNode()
        try fdt.beginNode("dev")
        try fdt.interruptsExtended([InterruptSpecifier(controller: a, cells: [3]),
                                    InterruptSpecifier(controller: b, cells: [7, 1])])
        try fdt.endNode()
        try fdt.endNode()
        let blob = try fdt.finish()
        XCTAssertEqual(DeviceTree.cells(blob, path: "/intc", name: "phandle"), [1])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/dev", name: "interrupts-extended"), [1, 3, 2, 7, 1])
    }

    func testExtraSpaceThroughOpenInto() throws {
        let compact = try { () throws -> [UInt8] in
            let fdt = try DeviceTreeBuilder()
            try smallTree(fdt)
            return try fdt.finish()
        }()
        let fdt = try DeviceTreeBuilder()
        try smallTree(fdt)
        let roomy = try fdt.finish(extraSpace: 4096)
        XCTAssertEqual(roomy.count, compact.count + 4096)
        try DeviceTree.validate(roomy)
        XCTAssertEqual(Array(roomy[4..<8]), withUnsafeBytes(of: UInt32(roomy.count).bigEndian, Array.init))
        XCTAssertEqual(DeviceTree.cells(roomy, path: "/dev@1234567890", name: "reg"), [0x12, 0x3456_7890, 0x1000])
    }

    func testRegThatDoesNotFitTheParentsCells() throws {
        let fdt = try DeviceTreeBuilder()
        try fdt.beginNode("")
        try fdt.property("#address-cells", u32: 1)
        try fdt.property("#size-cells", u32: 0)
        try fdt.beginNode("cpu@0")
        XCTAssertThrowsError(try fdt.reg([(0x1_0000_0000, 0)])) { error in
            XCTAssertEqual(error as? DeviceTreeError,
                           .cellOverflow(node: "/cpu@0", property: "reg", value: 0x1_0000_0000, cells: 1))
        }
        XCTAssertThrowsError(try fdt.reg([(0, 1)]))   // #size-cells = 0 holds only 0
        try fdt.reg([(7, 0)])
        try fdt.endNode()
        try fdt.endNode()
        XCTAssertEqual(DeviceTree.cells(try fdt.finish(), path: "/cpu@0", name: "reg"), [7])
    }

    func testMisuseIsAnErrorNotATrap() throws {
        let fdt = try DeviceTreeBuilder()
        XCTAssertThrowsError(try fdt.property("early", u32: 1))          // outside any node
        XCTAssertThrowsError(try fdt.endNode())                          // nothing open
        XCTAssertThrowsError(try fdt.beginNode("notroot"))               // first node is the root
        try fdt.beginNode("")
        XCTAssertThrowsError(try fdt.beginNode("a/b"))
        XCTAssertThrowsError(try fdt.property("s", string: "nul\u{0}inside"))
        try fdt.beginNode("child")
        try fdt.endNode()
        XCTAssertThrowsError(try fdt.property("late", u32: 1)) { error in  // after a child node
            guard case .misuse(node: "/", _)? = error as? DeviceTreeError else {
                return XCTFail("\(error)")
            }
        }
        XCTAssertThrowsError(try fdt.finish())                           // root still open
        try fdt.endNode()
        XCTAssertThrowsError(try fdt.beginNode(""))                      // a second root
        _ = try fdt.finish()
        XCTAssertThrowsError(try fdt.finish())                           // already finished
    }

    func testValidateRejectsDamagedBlobs() throws {
        let fdt = try DeviceTreeBuilder()
        try smallTree(fdt)
        let blob = try fdt.finish()
        XCTAssertThrowsError(try DeviceTree.validate([]))
        XCTAssertThrowsError(try DeviceTree.validate(Array(repeating: 0xFF, count: 64)))
        XCTAssertThrowsError(try DeviceTree.validate(Array(blob.dropLast(8))))   // shorter than totalsize
        var badMagic = blob
        badMagic[0] ^= 0xFF
        XCTAssertThrowsError(try DeviceTree.validate(badMagic))
        // An FDT_BEGIN_NODE tag where the structure block ends: nesting no longer balances.
        var badStructure = blob
        let structOffset = Int(blob[8]) << 24 | Int(blob[9]) << 16 | Int(blob[10]) << 8 | Int(blob[11])
        let structSize = Int(blob[36]) << 24 | Int(blob[37]) << 16 | Int(blob[38]) << 8 | Int(blob[39])
        badStructure[structOffset + structSize - 1] = 1                          // FDT_END -> FDT_BEGIN_NODE
        XCTAssertThrowsError(try DeviceTree.validate(badStructure))
        XCTAssertNil(DeviceTree.property(badStructure, path: "/", name: "#address-cells"))
        XCTAssertFalse(DeviceTree.hasNode(badMagic, path: "/"))
    }
}
