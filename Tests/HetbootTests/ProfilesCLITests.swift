import XCTest

final class ProfilesCLITests: XCTestCase {
    func testDiffA15A7ListsExactlyWhatDiffers() throws {
        let r = try CLI.run(["profiles", "diff", "cortex-a15", "cortex-a7"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let items = r.lines.dropFirst().filter { !$0.isEmpty }.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        for expected in ["MIDR", "CTR", "ID_MMFR0", "ID_MMFR1", "FPSID", "DBGDIDR", "PMCR reset"] {
            XCTAssertTrue(items.contains { $0 == expected || $0.hasPrefix(expected + " ") }, "\(expected) missing:\n\(r.stdout)")
        }
        XCTAssertTrue(r.stdout.contains("cache"), "cache geometry missing:\n\(r.stdout)")
        for equal in ["ID_PFR0", "ID_ISAR0", "CLIDR", "MVFR0", "SCTLR reset", "HSCTLR"] {
            XCTAssertFalse(r.stdout.contains(equal), "\(equal) is equal on both and must not be listed:\n\(r.stdout)")
        }
    }

    func testListAndShow() throws {
        let list = try CLI.run(["profiles", "list"])
        XCTAssertEqual(list.status, 0)
        for name in ["cortex-a15", "cortex-a15-r4p0", "cortex-a7", "tc2", "vexpress-a15"] {
            XCTAssertTrue(list.stdout.contains(name), name)
        }
        let show = try CLI.run(["profiles", "show", "cortex-a15-r4p0"])
        XCTAssertEqual(show.status, 0)
        XCTAssertTrue(show.stdout.contains("0x414FC0F0"), show.stdout)
        XCTAssertTrue(show.stdout.contains("inherits"), show.stdout)
    }
}
