import XCTest
@testable import Analysis

final class CPUListTests: XCTestCase {
    func testParsesLinuxStyleListsAndPrintsThemCanonically() throws {
        XCTAssertEqual(try CPUList(parsing: "0-1", cpuCount: 5).cpus, [0, 1])
        XCTAssertEqual(try CPUList(parsing: "4,2-3,0", cpuCount: 5).cpus, [0, 2, 3, 4])
        XCTAssertEqual(try CPUList(parsing: " 2 ", cpuCount: 5).cpus, [2])
        XCTAssertEqual(CPUList([0, 1]).description, "0-1")
        XCTAssertEqual(CPUList([0, 2, 3, 4]).description, "0,2-4")
        XCTAssertEqual(CPUList([3, 1]).description, "1,3")
        XCTAssertEqual(CPUList([]).description, "none")
    }

    func testIntersectionAndSubtraction() {
        let mask = CPUList([0, 1])
        XCTAssertTrue(CPUList([2, 3, 4]).intersection(mask).isEmpty)
        XCTAssertEqual(CPUList([1, 2]).intersection(mask).cpus, [1])
        XCTAssertEqual(CPUList([0, 1, 2]).subtracting(CPUList([1])).cpus, [0, 2])
    }

    func testRejectsMalformedListsWithTheReason() {
        for (text, reason) in [("", "empty"), ("a", "'a' is not"), ("1-", "'1-' is not"), ("3-1", "backwards"),
                               ("0-5", "CPU 5 does not exist"), ("-1", "'-1' is not"), ("1,,2", "'' is not"),
                               ("1-2-3", "'1-2-3' is not")] {
            XCTAssertThrowsError(try CPUList(parsing: text, cpuCount: 5), text) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(text): \(error)")
            }
        }
    }
}
