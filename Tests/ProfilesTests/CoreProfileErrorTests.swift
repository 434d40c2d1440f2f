import XCTest
@testable import Profiles

/// Bad core profiles: every error names the file, the key and what was expected.
final class CoreProfileErrorTests: XCTestCase {
    var scratch: ScratchProfiles!

    override func setUpWithError() throws { scratch = try ScratchProfiles() }
    override func tearDown() { scratch.remove() }

    func testMinimalProfileLoads() throws {
        try scratch.core("mini", minimalARMProfile(name: "mini"))
        let mini = try scratch.store().core("mini")
        XCTAssertEqual(mini.idRegisters.count, 21)
        XCTAssertEqual(mini.caches.count, 2)
    }

    func testUnknownTopLevelKey() throws {
        try scratch.core("bad", minimalARMProfile(name: "bad", extra: "colour = \"blue\""))
        assertProfileError(file: scratch.path(core: "bad"), key: "colour", contains: ["unknown key", "id-registers"]) {
            _ = try scratch.store().core("bad")
        }
    }

    func testUnknownFeature() throws {
        try scratch.core("bad", minimalARMProfile(name: "bad", features: "security = true\nhyperthreading = true"))
        assertProfileError(file: scratch.path(core: "bad"), key: "features.hyperthreading",
                           contains: ["unknown key", "virtualization"]) {
            _ = try scratch.store().core("bad")
        }
    }

    func testRISCVFeatureInARMProfileIsUnknown() throws {
        try scratch.core("bad", minimalARMProfile(name: "bad", features: "pmp-entries = 16"))
        assertProfileError(file: scratch.path(core: "bad"), key: "features.pmp-entries", contains: ["unknown key"]) {
            _ = try scratch.store().core("bad")
        }
    }

    func testMissingFeature() throws {
        try scratch.core("bad", minimalARMProfile(name: "bad", features: "security = true"))
        assertProfileError(file: scratch.path(core: "bad"), key: "features.virtualization", contains: ["missing"]) {
            _ = try scratch.store().core("bad")
        }
    }

    func testUnknownRegisterField() throws {
        try scratch.core("bad", minimalARMProfile(name: "bad", tables: "[system-registers.PMCR]\nrest = 1\n"))
        assertProfileError(file: scratch.path(core: "bad"), key: "system-registers.PMCR.rest",
                           contains: ["unknown key", "reset, res0, res1, read-only, raz-wi"]) {
            _ = try scratch.store().core("bad")
        }
    }

    func testWrongTypes() throws {
        try scratch.core("bad", minimalARMProfile(name: "bad", features: """
            security = true
            virtualization = 1
            """))
        assertProfileError(file: scratch.path(core: "bad"), key: "features.virtualization",
                           contains: ["expected true or false", "the integer 1"]) {
            _ = try scratch.store().core("bad")
        }

        try scratch.core("hex", minimalARMProfile(name: "hex", idRegisters: "MIDR = \"0xZZ\""))
        assertProfileError(file: scratch.path(core: "hex"), key: "id-registers.MIDR", contains: ["not a hex number"]) {
            _ = try scratch.store().core("hex")
        }

        try scratch.core("float", minimalARMProfile(name: "float", idRegisters: "MIDR = 1.5"))
        assertProfileError(file: scratch.path(core: "float"), key: "id-registers.MIDR",
                           contains: ["expected an integer", "floating-point"]) {
            _ = try scratch.store().core("float")
        }
    }

    func testMissingMIDR() throws {
        let text = minimalARMProfile(name: "nomidr").replacingOccurrences(of: "MIDR = 0x410FC075\n", with: "")
        try scratch.core("nomidr", text)
        assertProfileError(file: scratch.path(core: "nomidr"), key: "id-registers.MIDR",
                           contains: ["missing", "armv7-a profile must give MIDR"]) {
            _ = try scratch.store().core("nomidr")
        }
    }

    func testARMValueWiderThan32Bits() throws {
        let text = minimalARMProfile(name: "wide").replacingOccurrences(of: "CTR = 0x84448003", with: "CTR = 0x1_8444_8003")
        try scratch.core("wide", text)
        assertProfileError(file: scratch.path(core: "wide"), key: "id-registers.CTR",
                           contains: ["0x0000000184448003", "does not fit in 32 bits"]) {
            _ = try scratch.store().core("wide")
        }
    }

    func testNegativeValue() throws {
        try scratch.core("neg", minimalARMProfile(name: "neg", idRegisters: "MIDR = -1"))
        assertProfileError(file: scratch.path(core: "neg"), key: "id-registers.MIDR", contains: ["negative"]) {
            _ = try scratch.store().core("neg")
        }
    }

    func testNameMustMatchFile() throws {
        try scratch.core("one", minimalARMProfile(name: "two"))
        assertProfileError(file: scratch.path(core: "one"), key: "name", contains: ["\"two\"", "expected \"one\""]) {
            _ = try scratch.store().core("one")
        }
    }

    func testTOMLSyntaxErrorGivesTheLine() throws {
        try scratch.core("broken", "name = \"broken\"\narchitecture = \"armv7-a\"\n[id-registers\n")
        assertProfileError(file: scratch.path(core: "broken"), key: "", contains: ["TOML syntax error at line 3"]) {
            _ = try scratch.store().core("broken")
        }
    }

    func testMissingParent() throws {
        try scratch.core("child", "name = \"child\"\narchitecture = \"armv7-a\"\ninherits = \"nowhere\"\n")
        assertProfileError(file: scratch.path(core: "child"), key: "inherits",
                           contains: ["no core profile \"nowhere\"", "child"]) {
            _ = try scratch.store().core("child")
        }
    }

    func testInheritanceCycle() throws {
        try scratch.core("a", "name = \"a\"\narchitecture = \"armv7-a\"\ninherits = \"b\"\n")
        try scratch.core("b", "name = \"b\"\narchitecture = \"armv7-a\"\ninherits = \"c\"\n")
        try scratch.core("c", "name = \"c\"\narchitecture = \"armv7-a\"\ninherits = \"a\"\n")
        assertProfileError(file: scratch.path(core: "c"), key: "inherits", contains: ["cycle: a → b → c → a"]) {
            _ = try scratch.store().core("a")
        }
        try scratch.core("self", "name = \"self\"\narchitecture = \"armv7-a\"\ninherits = \"self\"\n")
        assertProfileError(file: scratch.path(core: "self"), key: "inherits", contains: ["itself"]) {
            _ = try scratch.store().core("self")
        }
    }

    func testParentOfAnotherArchitecture() throws {
        try scratch.core("arm", minimalARMProfile(name: "arm"))
        try scratch.core("hart", "name = \"hart\"\narchitecture = \"rv64\"\ninherits = \"arm\"\n")
        assertProfileError(file: scratch.path(core: "hart"), key: "inherits", contains: ["armv7-a", "rv64"]) {
            _ = try scratch.store().core("hart")
        }
    }

    func testChildOverridesFieldByField() throws {
        try scratch.core("base", minimalARMProfile(name: "base"))
        try scratch.core("variant", """
            name = "variant"
            architecture = "armv7-a"
            inherits = "base"

            [id-registers]
            FPSID = 0x41023076
            REVIDR = 1

            [system-registers.SCTLR]
            reset = 0x00C50878

            [features]
            lpae = false

            [[caches]]
            level = 1
            kind = "data"
            ccsidr = 0x701FE00A
            size = 32768
            ways = 2
            line = 64

            [[caches]]
            level = 1
            kind = "instruction"
            ccsidr = 0x201FE00A
            size = 32768
            ways = 2
            line = 64
            """)
        let store = try scratch.store()
        let base = try store.core("base")
        let variant = try store.core("variant")
        XCTAssertEqual(variant.description, "test core base", "description is inherited")
        XCTAssertEqual(variant.inherits, ["base"])
        XCTAssertEqual(variant.file, scratch.path(core: "variant"))
        XCTAssertEqual(variant.idRegister("FPSID"), 0x4102_3076)
        XCTAssertEqual(variant.idRegisters.last?.name, "REVIDR")
        XCTAssertEqual(variant.systemRegister("SCTLR"),
                       SystemRegisterSpec(name: "SCTLR", reset: 0x00C5_0878, res0: 0x8402_8380, res1: 0x00C5_0058))
        XCTAssertFalse(variant.features.lpae)
        XCTAssertTrue(variant.features.virtualization)
        XCTAssertEqual(variant.caches.map(\.lineBytes), [64, 64], "the whole cache list is replaced")
        XCTAssertEqual(ProfileStore.differences(base, variant).map(\.item), [
            "FPSID", "REVIDR", "SCTLR reset", "feature lpae", "L1 data cache", "L1 instruction cache",
        ])
    }

    func testCCSIDRMustDescribeTheGeometry() throws {
        let caches = """
            [[caches]]
            level = 1
            kind = "data"
            ccsidr = 0x700FE01A
            size = 65536
            ways = 4
            line = 64

            [[caches]]
            level = 1
            kind = "instruction"
            ccsidr = 0x203FE009
            size = 32768
            ways = 2
            line = 32
            """
        try scratch.core("geometry", minimalARMProfile(name: "geometry", caches: caches))
        assertProfileError(file: scratch.path(core: "geometry"), key: "caches[0].size",
                           contains: ["65536", "CCSIDR 0x700FE01A describes 128 sets × 4 ways × 64 B", "32768"]) {
            _ = try scratch.store().core("geometry")
        }
        try scratch.core("lines", minimalARMProfile(name: "lines", caches: caches
            .replacingOccurrences(of: "size = 65536", with: "size = 32768")
            .replacingOccurrences(of: "line = 32", with: "line = 64")
            .replacingOccurrences(of: "ways = 2", with: "ways = 1")))
        assertProfileError(file: scratch.path(core: "lines"), key: "caches[1].line", contains: ["64 B does not match"]) {
            _ = try scratch.store().core("lines")
        }
    }

    func testCLIDRMustMatchTheCaches() throws {
        let text = minimalARMProfile(name: "clidr").replacingOccurrences(of: "CLIDR = 0x0A200003", with: "CLIDR = 0x0A200023")
        try scratch.core("clidr", text)
        assertProfileError(file: scratch.path(core: "clidr"), key: "caches",
                           contains: ["level 2 has a unified cache", "lists no cache"]) {
            _ = try scratch.store().core("clidr")
        }
    }

    func testDuplicateCache() throws {
        let cache = "[[caches]]\nlevel = 1\nkind = \"data\"\nccsidr = 0x700FE01A\nsize = 32768\nways = 4\nline = 64\n"
        try scratch.core("dup", minimalARMProfile(name: "dup", caches: cache + "\n" + cache))
        assertProfileError(file: scratch.path(core: "dup"), key: "caches[1].kind", contains: ["already has a data cache"]) {
            _ = try scratch.store().core("dup")
        }
    }

    func testRES0AndRES1MustNotOverlap() throws {
        try scratch.core("masks", minimalARMProfile(name: "masks", tables: """
            [system-registers.HSCTLR]
            reset = 0x30C50878
            res1 = 0x30C50878
            res0 = 0x8D12E788
            """))
        assertProfileError(file: scratch.path(core: "masks"), key: "system-registers.HSCTLR.res1",
                           contains: ["overlaps res0", "0x00000008"]) {
            _ = try scratch.store().core("masks")
        }
    }

    func testResetMustAgreeWithTheMasks() throws {
        try scratch.core("reset", minimalARMProfile(name: "reset", tables: """
            [system-registers.HSCTLR]
            reset = 0x00000000
            res1 = 0x30C50878
            """))
        assertProfileError(file: scratch.path(core: "reset"), key: "system-registers.HSCTLR.reset",
                           contains: ["clears RES1 bits 0x30C50878"]) {
            _ = try scratch.store().core("reset")
        }
        try scratch.core("noreset", minimalARMProfile(name: "noreset", tables: "[system-registers.ACTLR]\nres0 = 1\n"))
        assertProfileError(file: scratch.path(core: "noreset"), key: "system-registers.ACTLR.reset", contains: ["missing"]) {
            _ = try scratch.store().core("noreset")
        }
    }

    func testUnknownProfile() throws {
        assertProfileError(file: scratch.directory + "/cores", key: "", contains: ["no core profile \"ghost\""]) {
            _ = try scratch.store().core("ghost")
        }
    }

    func testNotAProfileDirectory() throws {
        try FileManager.default.removeItem(atPath: scratch.directory + "/machines")
        assertProfileError(file: scratch.directory, key: "", contains: ["machines is missing"]) {
            _ = try scratch.store()
        }
    }

    /// RV64: 64-bit ids above Int64.max are written as hex strings.
    func testRV64Profile() throws {
        let hart = """
            name = "u74"
            architecture = "rv64"
            description = "SiFive U74-class hart"

            [id-registers]
            misa = "0x800000000014112D"
            mvendorid = 0x489
            marchid = "0x8000000000000007"
            mimpid = 0x20181004

            [features]
            isa-extensions = ["i", "m", "a", "f", "d", "c"]
            privilege-modes = ["m", "s", "u"]
            mmu-modes = ["sv39"]
            pmp-entries = 8
            misaligned = "trap"
            ad-update = "fault"
            time-csr = "trap"

            [[caches]]
            level = 1
            kind = "instruction"
            size = 32768
            ways = 4
            line = 64
            """
        try scratch.core("u74", hart)
        let u74 = try scratch.store().core("u74")
        XCTAssertEqual(u74.idRegister("marchid"), 0x8000_0000_0000_0007)
        XCTAssertEqual(u74.idRegister("misa"), 0x8000_0000_0014_112D)
        XCTAssertEqual(u74.features.mmuModes, ["sv39"])
        XCTAssertEqual(u74.features.pmpEntries, 8)

        try scratch.core("nomisa", hart.replacingOccurrences(of: "name = \"u74\"", with: "name = \"nomisa\"")
            .replacingOccurrences(of: "misa = \"0x800000000014112D\"\n", with: ""))
        assertProfileError(file: scratch.path(core: "nomisa"), key: "id-registers.misa",
                           contains: ["missing", "misa, mvendorid, marchid, mimpid"]) {
            _ = try scratch.store().core("nomisa")
        }

        try scratch.core("sv", hart.replacingOccurrences(of: "name = \"u74\"", with: "name = \"sv\"")
            .replacingOccurrences(of: "\"sv39\"", with: "\"sv40\""))
        assertProfileError(file: scratch.path(core: "sv"), key: "features.mmu-modes[0]", contains: ["\"sv40\"", "\"sv39\""]) {
            _ = try scratch.store().core("sv")
        }

        try scratch.core("ccs", hart.replacingOccurrences(of: "name = \"u74\"", with: "name = \"ccs\"")
            .replacingOccurrences(of: "ways = 4", with: "ways = 4\nccsidr = 0"))
        assertProfileError(file: scratch.path(core: "ccs"), key: "caches[0].ccsidr", contains: ["ARM register"]) {
            _ = try scratch.store().core("ccs")
        }
    }
}
