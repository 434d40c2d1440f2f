import XCTest
import Emulator
import Profiles

final class RISCVISAStringTests: XCTestCase {
    private func isa(_ extensions: [String]) throws -> String {
        var features = Features()
        features.isaExtensions = extensions
        let profile = CoreProfile(name: "hart", architecture: .rv64, description: "hart", file: "hart.toml",
                                  inherits: [], idRegisters: [], systemRegisters: [], features: features,
                                  caches: [])
        return try RISCVISAString.string(for: profile)
    }

    /// The string QEMU 7.2's default rv64 hart carries (`-M virt` dump), from shuffled input.
    func testQEMUDefaultHart() throws {
        XCTAssertEqual(try isa(["zbs", "sstc", "c", "zifencei", "h", "zba", "d", "zicsr", "a", "zbc", "f",
                                "zihintpause", "m", "zbb", "i"]),
                       "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc")
    }

    func testSingleLettersInCanonicalOrderWithoutPrivilegeModes() throws {
        XCTAssertEqual(try isa(["v", "b", "c", "q", "e", "i", "s", "u", "m"]), "rv64iemqcbv")
        XCTAssertEqual(try isa(["c", "a", "m", "i"]), "rv64imac")
        XCTAssertEqual(try isa(["i", "i", "m"]), "rv64im")
    }

    func testMultiLetterGroupsAndCategories() throws {
        // z by category (i, m, a, f, …, b, k, …, v, h), then s alphabetically, then x.
        XCTAssertEqual(try isa(["xtheadba", "svpbmt", "zve64f", "zkt", "zba", "zfh", "zawrs", "zmmul",
                                "zicbom", "svinval", "smaia", "i", "zhinx"]),
                       "rv64i_zicbom_zmmul_zawrs_zfh_zba_zkt_zve64f_zhinx_smaia_svinval_svpbmt_xtheadba")
    }

    func testNoBaseISAIsAProfileError() {
        XCTAssertThrowsError(try isa(["m", "a", "zicsr"])) { error in
            XCTAssertEqual((error as? ProfileError)?.key, "features.isa-extensions")
        }
    }
}

