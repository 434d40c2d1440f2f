import XCTest
@testable import Profiles

/// TOMLKit sorts keys; `KeyOrder` recovers the file's order from the text.
final class KeyOrderTests: XCTestCase {
    func testTopLevelAndTableKeysKeepFileOrder() throws {
        let text = """
            zeta = 1
            alpha = "a # not a comment [x]"   # comment with = and [y]
            mid = '''
            multi [line] = "literal"
            '''
            [regs]
            PMCR = 1
            ACTLR = { reset = 0, "quoted key" = 2 }
            CTR = 3
            """
        let reader = try TableReader.parse(text, file: "t.toml")
        XCTAssertEqual(reader.table.keys, ["alpha", "mid", "regs", "zeta"], "TOMLKit sorts")
        XCTAssertEqual(reader.keys, ["zeta", "alpha", "mid", "regs"])
        let regs = try XCTUnwrap(try reader.table("regs"))
        XCTAssertEqual(regs.keys, ["PMCR", "ACTLR", "CTR"])
        let actlr = try XCTUnwrap(try regs.table("ACTLR"))
        XCTAssertEqual(actlr.keys, ["reset", "quoted key"])
    }

    func testArraysOfTablesDottedKeysAndSubtables() throws {
        let text = """
            [[devices]]
            name = "b"
            properties = { z = 1, a = 2 }
            [[devices]]
            name = "a"
            regions = [ { size = 1, base = 2 },
                        { name = "x", base = 3, size = 4 } ]
            [devices.properties]
            y = 1
            b = 2
            [system-registers.SCTLR]
            reset = 1
            [system-registers.HSCTLR]
            reset = 2
            [system-registers.ACTLR]
            reset = 3
            [options]
            secure.default = "on"
            secure.on = {}
            secure.off = {}
            abc.default = "x"
            abc.x = {}
            """
        let reader = try TableReader.parse(text, file: "t.toml")
        let devices = try XCTUnwrap(try reader.tables("devices"))
        XCTAssertEqual(devices[0].label, "devices[0]")
        XCTAssertEqual(try devices[0].table("properties")?.keys, ["z", "a"])
        XCTAssertEqual(try devices[1].table("properties")?.keys, ["y", "b"])
        let regions = try XCTUnwrap(try devices[1].tables("regions"))
        XCTAssertEqual(regions[0].keys, ["size", "base"])
        XCTAssertEqual(regions[1].label, "devices[1].regions[1]")
        XCTAssertEqual(try reader.table("system-registers")?.keys, ["SCTLR", "HSCTLR", "ACTLR"])
        let options = try XCTUnwrap(try reader.table("options"))
        XCTAssertEqual(options.keys, ["secure", "abc"])
        XCTAssertEqual(try options.table("secure")?.keys, ["default", "on", "off"])
    }

    func testScannerSurvivesAnyText() {
        // Never traps or loops, whatever it is given (the parser rejects such text first).
        for text in ["[", "[[", "a = \"unterminated", "a = '''", "= 1", "a.b.", "{ , }", "x = [ [ {", "\\",
                     "a = \"\\u12", "[a.\"b", "\u{0}\u{FF}", String(repeating: "[", count: 1000)] {
            let order = KeyOrder(source: text)
            XCTAssertEqual(order.sorted(["b", "a"], in: ["nowhere"]), ["a", "b"])
        }
    }

    func testOptionsApplyInFileOrderNotAlphabetically() throws {
        // "zz" comes first in the file and sets hyp; "aa" (applied after it) sets svc back.
        let scratch = try ScratchProfiles()
        defer { scratch.remove() }
        try scratch.copyShippedCores()
        try scratch.machine("order", minimalMachine(name: "order", tail: """
            [options.zz]
            default = "on"
            on = { entry-mode = "hyp", security = "non-secure" }
            [options.aa]
            default = "on"
            on = { entry-mode = "svc" }
            """))
        let machine = try scratch.store().machine("order")
        XCTAssertEqual(machine.options.map(\.name), ["zz", "aa"])
        XCTAssertEqual(machine.boot.entryMode, .svc)
        XCTAssertEqual(machine.boot.security, .nonSecure)
    }
}
