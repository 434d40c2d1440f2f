import Foundation
import XCTest
@testable import Profiles

/// Bad RISC-V input: hart profiles whose misa and features disagree, bad harts= lists, --bios,
/// RISC-V [boot] tables. Every error names the file, the key and what was expected.
final class RISCVErrorTests: XCTestCase {
    var scratch: ScratchProfiles!

    override func setUpWithError() throws {
        scratch = try ScratchProfiles()
        try scratch.copyShippedCores()
    }

    override func tearDown() { scratch.remove() }

    var virt: String { get throws { try shippedProfilesDirectory() + "/machines/virt-riscv.toml" } }

    func testMinimalRV64ProfileLoads() throws {
        try scratch.core("mini", minimalRV64Profile(name: "mini"))
        let mini = try scratch.store().core("mini")
        XCTAssertEqual(mini.features.isaExtensions, ["i", "m", "a", "c", "zicsr"])
        XCTAssertEqual(mini.features.adUpdate, .fault)
    }

    // MARK: misa against the features

    func testMisaMustMatchTheExtensions() throws {
        // "h" listed, misa without H (the misa the rv64gch brief first proposed).
        try scratch.core("noh", minimalRV64Profile(name: "noh", misa: "0x800000000014112D", features: """
            isa-extensions = ["i", "m", "a", "f", "d", "c", "h"]
            privilege-modes = ["m", "s", "u"]
            mmu-modes = ["sv39"]
            pmp-entries = 16
            misaligned = "hardware"
            ad-update = "hardware"
            time-csr = "hardware"
            """))
        assertProfileError(file: scratch.path(core: "noh"), key: "id-registers.misa",
                           contains: ["misa 0x800000000014112D lacks H (bit 7)", "lists \"h\"", "0x80000000001411AD"]) {
            _ = try scratch.store().core("noh")
        }
        // misa with D, extensions without "d".
        try scratch.core("d", minimalRV64Profile(name: "d", misa: "0x800000000014110D"))
        assertProfileError(file: scratch.path(core: "d"), key: "id-registers.misa",
                           contains: ["has D (bit 3)", "features.isa-extensions does not list \"d\""]) {
            _ = try scratch.store().core("d")
        }
        // misa.S without "s" among the privilege modes.
        try scratch.core("s", minimalRV64Profile(name: "s", features: """
            isa-extensions = ["i", "m", "a", "c"]
            privilege-modes = ["m", "u"]
            mmu-modes = []
            pmp-entries = 0
            misaligned = "trap"
            time-csr = "trap"
            """))
        assertProfileError(file: scratch.path(core: "s"), key: "id-registers.misa",
                           contains: ["has S (bit 18)", "features.privilege-modes does not list \"s\""]) {
            _ = try scratch.store().core("s")
        }
        // A reserved letter (G, bit 6).
        try scratch.core("g", minimalRV64Profile(name: "g", misa: "0x8000000000141145"))
        assertProfileError(file: scratch.path(core: "g"), key: "id-registers.misa", contains: ["has G (bit 6, a reserved letter)"]) {
            _ = try scratch.store().core("g")
        }
    }

    func testMisaFormat() throws {
        try scratch.core("rv32", minimalRV64Profile(name: "rv32", misa: "0x40141105"))
        assertProfileError(file: scratch.path(core: "rv32"), key: "id-registers.misa", contains: ["MXL [63:62] = 0", "MXL = 2"]) {
            _ = try scratch.store().core("rv32")
        }
        try scratch.core("wpri", minimalRV64Profile(name: "wpri", misa: "0x8000000004141105"))
        assertProfileError(file: scratch.path(core: "wpri"), key: "id-registers.misa", contains: ["[61:26]", "0x04000000"]) {
            _ = try scratch.store().core("wpri")
        }
    }

    func testMMUModeWithoutSupervisorMode() throws {
        try scratch.core("nos", minimalRV64Profile(name: "nos", misa: "0x8000000000101105", features: """
            isa-extensions = ["i", "m", "a", "c"]
            privilege-modes = ["m", "u"]
            mmu-modes = ["sv39"]
            pmp-entries = 8
            misaligned = "trap"
            ad-update = "fault"
            time-csr = "trap"
            """))
        assertProfileError(file: scratch.path(core: "nos"), key: "features.mmu-modes",
                           contains: ["\"sv39\"", "privilege-modes lacks \"s\"", "mmu-modes = []"]) {
            _ = try scratch.store().core("nos")
        }
    }

    func testFeatureRules() throws {
        func check(_ name: String, misa: String = "0x8000000000141105", _ features: String, key: String,
                   contains: [String], line: UInt = #line) throws {
            try scratch.core(name, minimalRV64Profile(name: name, misa: misa, features: features))
            assertProfileError(file: scratch.path(core: name), key: key, contains: contains, {
                _ = try scratch.store().core(name)
            }, line: line)
        }
        let rest = "pmp-entries = 8\nmisaligned = \"trap\"\ntime-csr = \"trap\""
        try check("adnommu", misa: "0x8000000000101105",
                  "isa-extensions = [\"i\", \"m\", \"a\", \"c\"]\nprivilege-modes = [\"m\", \"u\"]\nmmu-modes = []\nad-update = \"fault\"\n\(rest)",
                  key: "features.ad-update", contains: ["no MMU", "remove it"])
        try check("noad", "isa-extensions = [\"i\", \"m\", \"a\", \"c\"]\nprivilege-modes = [\"m\", \"s\", \"u\"]\nmmu-modes = [\"sv39\"]\n\(rest)",
                  key: "features.ad-update", contains: ["missing", "ad-update only with an MMU"])
        try check("bare", "isa-extensions = [\"i\"]\nprivilege-modes = [\"m\"]\nmmu-modes = [\"bare\", \"sv39\"]\n\(rest)",
                  key: "features.mmu-modes[0]", contains: ["\"bare\" is not allowed", "Bare is always accepted"])
        try check("sv48", "isa-extensions = [\"i\", \"m\", \"a\", \"c\"]\nprivilege-modes = [\"m\", \"s\", \"u\"]\nmmu-modes = [\"sv48\"]\nad-update = \"fault\"\n\(rest)",
                  key: "features.mmu-modes", contains: ["\"sv48\" without \"sv39\""])
        try check("sletter", "isa-extensions = [\"i\", \"m\", \"a\", \"c\", \"s\"]\nprivilege-modes = [\"m\", \"s\", \"u\"]\nmmu-modes = [\"sv39\"]\nad-update = \"fault\"\n\(rest)",
                  key: "features.isa-extensions[4]", contains: ["a privilege mode", "privilege-modes"])
        try check("twice", "isa-extensions = [\"i\", \"m\", \"m\"]\n\(rest)",
                  key: "features.isa-extensions[2]", contains: ["\"m\" is listed twice"])
        try check("sonly", misa: "0x8000000000041105",
                  "isa-extensions = [\"i\", \"m\", \"a\", \"c\"]\nprivilege-modes = [\"m\", \"s\"]\nmmu-modes = [\"sv39\"]\nad-update = \"fault\"\n\(rest)",
                  key: "features.privilege-modes", contains: ["\"s\" without \"u\""])
        try check("dnof", misa: "0x800000000014110D",
                  "isa-extensions = [\"i\", \"m\", \"a\", \"c\", \"d\"]\nprivilege-modes = [\"m\", \"s\", \"u\"]\nmmu-modes = [\"sv39\"]\nad-update = \"fault\"\n\(rest)",
                  key: "features.isa-extensions", contains: ["\"d\" without \"f\""])
        try check("hnos", misa: "0x8000000000101185",
                  "isa-extensions = [\"i\", \"m\", \"a\", \"c\", \"h\"]\nprivilege-modes = [\"m\", \"u\"]\nmmu-modes = []\n\(rest)",
                  key: "features.isa-extensions", contains: ["\"h\"", "lacks \"s\""])
        try check("word", "isa-extensions = [\"i\"]\nprivilege-modes = [\"m\"]\nmmu-modes = []\npmp-entries = 0\nmisaligned = \"emulate\"\ntime-csr = \"trap\"",
                  key: "features.misaligned", contains: ["\"emulate\" is not allowed", "\"trap\" or \"hardware\""])
    }

    func testVariantErrorNamesTheFileThatSetTheValue() throws {
        try scratch.core("base", minimalRV64Profile(name: "base"))
        try scratch.core("child", """
            name = "child"
            architecture = "rv64"
            inherits = "base"

            [features]
            isa-extensions = ["i", "m", "a", "c", "zicsr", "h"]
            """)
        assertProfileError(file: scratch.path(core: "base"), key: "id-registers.misa", contains: ["lacks H (bit 7)"]) {
            _ = try scratch.store().core("child")
        }
        try scratch.core("fixed", """
            name = "fixed"
            architecture = "rv64"
            inherits = "base"

            [id-registers]
            misa = "0x8000000000141185"

            [features]
            isa-extensions = ["i", "m", "a", "c", "zicsr", "h"]
            """)
        XCTAssertEqual(try scratch.store().core("fixed").idRegister("misa"), 0x8000_0000_0014_1185)
    }

    // MARK: harts=

    func testBadHartsSpelling() throws {
        let store = try shippedStore()
        let virt = try virt
        for (list, expected) in [
            ("rv64gch++sifive-u74", "group 2 is empty"),
            ("rv64gch*2+", "group 2 is empty"),
            ("*2", "group 1 \"*2\" names no profile"),
            ("rv64gch**2", "more than one *"),
            ("rv64gch*two", "\"two\" in \"rv64gch*two\" is not a count"),
            ("rv64gch*", "\"\" in \"rv64gch*\" is not a count"),
            ("rv64gch*0", "asks for 0 cores; expected 1 to 256"),
            ("rv64gch*-1", "is not a count"),
        ] {
            let error = assertProfileError(file: virt, key: "--machine", contains: [expected]) {
                _ = try store.machine("virt-riscv,harts=\(list)")
            }
            XCTAssertTrue(error?.message.hasPrefix("harts=\(list)") == true, error?.message ?? "")
        }
    }

    func testHartsCountAndProfiles() throws {
        let store = try shippedStore()
        let virt = try virt
        assertProfileError(file: virt, key: "--machine", contains: ["harts=rv64gch*9 gives 9 cores", "takes 1 to 8"]) {
            _ = try store.machine("virt-riscv,harts=rv64gch*9")
        }
        assertProfileError(file: virt, key: "--machine",
                           contains: ["no core profile \"rv64gcx\"", "known rv64 profiles: rv64gch, sifive-e51, sifive-s7, sifive-u54, sifive-u74"]) {
            _ = try store.machine("virt-riscv,harts=rv64gch+rv64gcx*2")
        }
        assertProfileError(file: virt, key: "--machine", contains: ["cortex-a7 is armv7-a but virt-riscv is rv64"]) {
            _ = try store.machine("virt-riscv,harts=cortex-a7")
        }
        let both = assertProfileError(file: virt, key: "--smp", contains: ["--smp 2", "harts=rv64gch*2", "give one of them"]) {
            _ = try store.machine("virt-riscv,harts=rv64gch*2", smp: 2)
        }
        XCTAssertEqual(both?.description, "\(virt): --smp: --smp 2 and harts=rv64gch*2 in --machine both set the core count; give one of them")
        assertProfileError(file: virt, key: "--machine", contains: ["smp=2 and harts=rv64gch", "give one of them"]) {
            _ = try store.machine("virt-riscv,smp=2,harts=rv64gch")
        }
        assertProfileError(file: try shippedProfilesDirectory() + "/machines/fu740.toml", key: "--machine",
                           contains: ["fu740 has no option \"harts\"", "it takes no options"]) {
            _ = try store.machine("fu740,harts=sifive-u74*4")
        }
    }

    // MARK: --bios and [boot]

    func testBIOSErrors() throws {
        let store = try shippedStore()
        let missing = scratch.directory + "/no-such-firmware.bin"
        let error = assertProfileError(file: missing, key: "--bios", contains: ["no such file", "none, sbi or"]) {
            _ = try store.machine("virt-riscv", smp: nil, bios: missing)
        }
        XCTAssertEqual(error?.description, "\(missing): --bios: no such file; expected none, sbi or the path of a readable firmware image")
        assertProfileError(file: scratch.directory, key: "--bios", contains: ["a directory"]) {
            _ = try store.machine("virt-riscv", smp: nil, bios: scratch.directory)
        }
        assertProfileError(file: try shippedProfilesDirectory() + "/machines/tc2.toml", key: "--bios",
                           contains: ["tc2 is armv7-a", "rv64 machines"]) {
            _ = try store.machine("tc2", smp: nil, bios: "sbi")
        }
    }

    func testSBINeedsAHartWithSupervisorMode() throws {
        assertProfileError(file: try virt, key: "boot.firmware",
                           contains: ["no hart has S-mode", "--bios sbi"]) {
            _ = try shippedStore().machine("virt-riscv,harts=sifive-s7*2+sifive-e51", smp: nil, bios: "sbi")
        }
        // Without SBI the same harts run the image in M-mode.
        XCTAssertEqual(try shippedStore().machine("virt-riscv,harts=sifive-s7*2+sifive-e51").cores.count, 3)
    }

    func testRISCVBootTable() throws {
        try scratch.machine("sbi", minimalRV64Machine(
            name: "sbi", boot: "[boot]\nentry-mode = \"machine\"\nsecondaries = \"all-at-entry\"\nfirmware = \"sbi\"\nsemihosting = false"))
        assertProfileError(file: scratch.path(machine: "sbi"), key: "boot.entry-mode",
                           contains: ["\"machine\" contradicts firmware = \"sbi\"", "expected \"supervisor\""]) {
            _ = try scratch.store().machine("sbi")
        }
        try scratch.machine("nofw", minimalRV64Machine(
            name: "nofw", boot: "[boot]\nentry-mode = \"machine\"\nsecondaries = \"all-at-entry\"\nsemihosting = false"))
        assertProfileError(file: scratch.path(machine: "nofw"), key: "boot.firmware", contains: ["missing", "\"none\" or \"sbi\""]) {
            _ = try scratch.store().machine("nofw")
        }
        try scratch.machine("pen", minimalRV64Machine(
            name: "pen", boot: "[boot]\nentry-mode = \"machine\"\nsecondaries = \"psci\"\nfirmware = \"none\"\nsemihosting = false"))
        assertProfileError(file: scratch.path(machine: "pen"), key: "boot.secondaries",
                           contains: ["\"psci\" is not allowed", "expected \"all-at-entry\""]) {
            _ = try scratch.store().machine("pen")
        }
        try scratch.machine("arm", minimalMachine(name: "arm", boot: """
            [boot]
            entry-mode = "svc"
            security = "secure"
            secondaries = "all-at-entry"
            psci-conduit = "none"
            semihosting = true
            firmware = "sbi"
            """))
        assertProfileError(file: scratch.path(machine: "arm"), key: "boot.firmware", contains: ["a RISC-V boot setting"]) {
            _ = try scratch.store().machine("arm")
        }
        let sbi = minimalRV64Machine(
            name: "good", boot: "[boot]\nentry-mode = \"supervisor\"\nsecondaries = \"all-at-entry\"\nfirmware = \"sbi\"\nsemihosting = false")
        try scratch.machine("good", sbi)
        let good = try scratch.store().machine("good")
        XCTAssertEqual(good.boot.firmware, .builtinSBI)
        XCTAssertEqual(try scratch.store().machine("good", smp: nil, bios: "none").boot.entryMode, .machine)
    }

    func testMixOptionSpelling() throws {
        try scratch.machine("mix", minimalRV64Machine(name: "mix", count: nil,
                                                      smp: "[smp]\nmin = 1\nmax = 4\ndefault = 1\nmix-option = \"smp\""))
        assertProfileError(file: scratch.path(machine: "mix"), key: "smp.mix-option", contains: ["smp is the core count"]) {
            _ = try scratch.store().machine("mix")
        }
        try scratch.machine("clash", minimalRV64Machine(
            name: "clash", count: nil, smp: "[smp]\nmin = 1\nmax = 4\ndefault = 1\nmix-option = \"harts\"",
            tail: "[options.harts]\ndefault = \"on\"\non = { }"))
        assertProfileError(file: scratch.path(machine: "clash"), key: "smp.mix-option", contains: ["also an [options] table"]) {
            _ = try scratch.store().machine("clash")
        }
    }

    /// A machine option that changes features is checked against misa like a profile.
    func testOptionThatBreaksAHartIsReported() throws {
        try scratch.machine("opt", minimalRV64Machine(name: "opt", profile: "sifive-u74", tail: """
            [options.mmu]
            default = "on"
            on = { }
            off = { features = { mmu-modes = [] } }
            nos = { features = { privilege-modes = ["m", "u"] } }
            """))
        assertProfileError(file: scratch.path(machine: "opt"), key: "options.mmu.off",
                           contains: ["sifive-u74 (hart 0) inconsistent", "features.ad-update", "no MMU"]) {
            _ = try scratch.store().machine("opt,mmu=off")
        }
        assertProfileError(file: scratch.path(machine: "opt"), key: "options.mmu.nos",
                           contains: ["id-registers.misa", "has S (bit 18)"]) {
            _ = try scratch.store().machine("opt,mmu=nos")
        }
        XCTAssertEqual(try scratch.store().machine("opt").cores[0].profile.features.mmuModes, ["sv39"])
    }

    /// The mix option works for an ARM machine too: each group is a cluster (MPIDR Aff1).
    func testARMMachineWithAProfileList() throws {
        try scratch.machine("big", minimalMachine(name: "big", profile: "cortex-a15",
                                                   tail: "[smp]\nmin = 1\nmax = 8\ndefault = 1\nmix-option = \"cpus\"")
            .replacingOccurrences(of: "count = 1\n", with: ""))
        let big = try scratch.store().machine("big,cpus=cortex-a15*2+cortex-a7")
        XCTAssertEqual(big.cores.map(\.mpidr), [0x8000_0000, 0x8000_0001, 0x8000_0100])
        XCTAssertEqual(big.cores.map(\.clusterSize), [2, 2, 1])
        XCTAssertEqual(big.cores.map { $0.profile.systemRegister("L2CTLR")?.reset }, [0x0180_0000, 0x0180_0000, 0x0080_0000])
        assertProfileError(file: scratch.path(machine: "big"), key: "--machine", contains: ["5 cores", "at most 4"]) {
            _ = try scratch.store().machine("big,cpus=cortex-a7*5")
        }
    }
}
