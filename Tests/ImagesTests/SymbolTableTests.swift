import XCTest
@testable import Images

final class SymbolTableTests: XCTestCase {
    private func symbol(_ name: String, _ address: UInt64, size: UInt64 = 0, function: Bool = false) -> ImageSymbol {
        ImageSymbol(name: name, address: address, size: size, isFunction: function)
    }

    func testSortsByAddressKeepingTheGivenOrderForTies() {
        let table = SymbolTable([symbol("c", 0x30), symbol("a", 0x10), symbol("b2", 0x20), symbol("b1", 0x20)])
        XCTAssertEqual(table.symbols.map(\.name), ["a", "b2", "b1", "c"])
    }

    func testUnsizedSymbolsReach64KiB() {
        let table = SymbolTable([symbol("vectors", 0x8000_0000)])
        XCTAssertEqual(table.symbolize(0x8000_0000), "vectors")
        XCTAssertEqual(table.symbolize(0x8000_FFFF), "vectors+0xffff")
        XCTAssertEqual(table.symbolize(0x8001_0000), "0x80010000")
        XCTAssertEqual(table.symbolize(0x7FFF_FFFF), "0x7fffffff")
    }

    func testSizedSymbolsCoverOnlyTheirSize() {
        let table = SymbolTable([symbol("f", 0x1000, size: 0x10, function: true)])
        XCTAssertEqual(table.symbolize(0x100F), "f+0xf")
        XCTAssertEqual(table.symbolize(0x1010), "0x00001010")
    }

    func testAnEnclosingSymbolWinsWhenTheNearestOneDoesNotCover() {
        let table = SymbolTable([
            symbol("outer", 0x1000, size: 0x100, function: true),
            symbol("inner_object", 0x1020, size: 4),
        ])
        XCTAssertEqual(table.symbolize(0x1022), "inner_object+0x2")
        XCTAssertEqual(table.symbolize(0x1040), "outer+0x40")
    }

    func testAmongSymbolsAtOneAddressFunctionsAndSizesWin() {
        let table = SymbolTable([
            symbol("label", 0x2000),
            symbol("object", 0x2000, size: 8),
            symbol("function", 0x2000, size: 8, function: true),
            symbol("alias", 0x2000, size: 8, function: true),
        ])
        XCTAssertEqual(table.symbolize(0x2004), "function+0x4")   // the first of the best rank
        XCTAssertEqual(table.symbolize(0x2010), "label+0x10")     // only the unsized label reaches
    }

    func testIgnoresMappingSymbolsAndLocalLabels() {
        let table = SymbolTable([
            symbol("$a", 0x100), symbol("$d", 0x104), symbol("$t.1", 0x108), symbol("$x", 0x10C),
            symbol("$xrv64i2p1_m2p0", 0x110), symbol(".Lpcrel_hi0", 0x114), symbol("", 0x118),
            symbol("start", 0xF0), symbol("$data_is_a_name", 0x200),
        ])
        XCTAssertEqual(table.symbols.map(\.name), ["start", "$data_is_a_name"])
        XCTAssertEqual(table.symbolize(0x118), "start+0x28")
    }

    func testAddressOfPrefersTheFirstGivenSymbol() {
        let table = SymbolTable([symbol("handler", 0x3000), symbol("handler", 0x1000)])
        XCTAssertEqual(table.address(of: "handler"), 0x3000)
    }

    func testHugeSymbolsAndTopOfMemoryDoNotOverflow() {
        let table = SymbolTable([
            symbol("everything", 0, size: UInt64.max),
            symbol("top", UInt64.max - 1, size: 0x100),
        ])
        XCTAssertEqual(table.symbolize(UInt64.max), "top+0x1")
        XCTAssertEqual(table.symbolize(0x1234), "everything+0x1234")
        XCTAssertEqual(SymbolTable([]).symbolize(UInt64.max), "0xffffffffffffffff")
    }
}
