import XCTest
@testable import Emulator
import Profiles

/// Running a few RV64I/M instructions on the test hart with registers preset. Code is assembled
/// without C (`rv64im`) so these tests exercise only the 32-bit encodings of this group.
enum RVInt {
    /// A RAM address well away from the code at 0x80000000.
    static let data: UInt64 = 0x8008_0000
    /// mtvec of every run: a trap shows up as nextPC = this.
    static let trapVector: UInt64 = 0x8000_0100
    /// mcause before the run, so that a test expecting cause 0 can tell "trapped with 0" from
    /// "never trapped".
    static let noCause: UInt64 = 0xDEAD

    static func run(_ source: String, steps: UInt64 = 1, march: String = "rv64im",
                    profile: CoreProfile = RVHarness.profile(),
                    _ registers: KeyValuePairs<Int, UInt64> = [:]) throws -> RISCVCore {
        try RVHarness.exec(source, steps: steps, march: march, profile: profile) { core in
            core.csr.mtvec = trapVector
            core.csr.mcause = noCause
            for (r, v) in registers { core.x[r] = v }
        }
    }

    /// Assert that the first instruction (at the RAM base) took exception `cause` with `tval`.
    static func assertTrapped(_ core: RISCVCore, cause: UInt64, tval: UInt64,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(core.csr.mcause, cause, "mcause", file: file, line: line)
        XCTAssertEqual(core.csr.mtval, tval, "mtval", file: file, line: line)
        XCTAssertEqual(core.csr.mepc, RVHarness.ramBase, "mepc", file: file, line: line)
        XCTAssertEqual(core.nextPC, trapVector, "nextPC", file: file, line: line)
    }
}

/// ABI register numbers used by the tests.
enum Reg {
    static let ra = 1, t0 = 5, t1 = 6, t2 = 7
    static let a0 = 10, a1 = 11, a2 = 12, a3 = 13, a4 = 14, a5 = 15, a6 = 16, a7 = 17
    static let s2 = 18, s3 = 19, s4 = 20, s5 = 21, s6 = 22, s7 = 23
}
