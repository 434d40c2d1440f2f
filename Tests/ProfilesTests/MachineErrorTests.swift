import XCTest
@testable import Profiles

/// Bad machine files and machine specs: every error names the file, the key and what was expected.
final class MachineErrorTests: XCTestCase {
    var scratch: ScratchProfiles!

    override func setUpWithError() throws {
        scratch = try ScratchProfiles()
        try scratch.copyShippedCores()
    }

    override func tearDown() { scratch.remove() }

    func testMinimalMachineLoads() throws {
        try scratch.machine("mini", minimalMachine(name: "mini", count: 2))
        let mini = try scratch.store().machine("mini")
        XCTAssertEqual(mini.cores.map(\.mpidr), [0x8000_0000, 0x8000_0001])
        XCTAssertEqual(mini.file, scratch.path(machine: "mini"))
    }

    func testUnknownMachine() throws {
        try scratch.machine("mini", minimalMachine(name: "mini"))
        assertProfileError(file: scratch.directory + "/machines", key: "--machine",
                           contains: ["no machine \"tc3\"", "known machines: mini"]) {
            _ = try scratch.store().machine("tc3")
        }
    }

    func testUnknownKeys() throws {
        try scratch.machine("top", minimalMachine(name: "top", tail: "colour = 1"))
        // `colour` after [boot] belongs to the boot table.
        assertProfileError(file: scratch.path(machine: "top"), key: "boot.colour", contains: ["unknown key", "entry-mode"]) {
            _ = try scratch.store().machine("top")
        }
        try scratch.machine("dev", minimalMachine(name: "dev", devices: """
            [[devices]]
            name = "uart0"
            kind = "pl011"
            irq = 37
            """))
        assertProfileError(file: scratch.path(machine: "dev"), key: "devices[0].irq", contains: ["unknown key", "interrupts"]) {
            _ = try scratch.store().machine("dev")
        }
        try scratch.machine("opt", minimalMachine(name: "opt", tail: """
            [options.secure]
            default = "on"
            on = { entry-mode = "svc", colour = "red" }
            """))
        assertProfileError(file: scratch.path(machine: "opt"), key: "options.secure.on.colour", contains: ["unknown key"]) {
            _ = try scratch.store().machine("opt")
        }
        try scratch.machine("feat", minimalMachine(name: "feat", tail: """
            [options.secure]
            default = "on"
            on = { features = { turbo = true } }
            """))
        assertProfileError(file: scratch.path(machine: "feat"), key: "options.secure.on.features.turbo",
                           contains: ["unknown key"]) {
            _ = try scratch.store().machine("feat")
        }
    }

    func testWrongType() throws {
        try scratch.machine("types", minimalMachine(name: "types", ram: """
            [[ram]]
            name = "dram"
            base = "0x80000000"
            size = "one megabyte"
            """))
        assertProfileError(file: scratch.path(machine: "types"), key: "ram[0].size", contains: ["\"one megabyte\"", "not a hex number"]) {
            _ = try scratch.store().machine("types")
        }
        try scratch.machine("clusters", minimalMachine(name: "clusters").replacingOccurrences(of: "count = 1", with: "count = \"1\""))
        assertProfileError(file: scratch.path(machine: "clusters"), key: "clusters[0].count",
                           contains: ["expected an integer", "the string \"1\""]) {
            _ = try scratch.store().machine("clusters")
        }
    }

    func testMissingBootKey() throws {
        try scratch.machine("boot", minimalMachine(name: "boot", boot: "[boot]\nentry-mode = \"svc\"\nsecurity = \"secure\"\nsemihosting = true\npsci-conduit = \"none\""))
        assertProfileError(file: scratch.path(machine: "boot"), key: "boot.secondaries", contains: ["missing", "sys-flags-pen"]) {
            _ = try scratch.store().machine("boot")
        }
        try scratch.machine("mode", minimalMachine(name: "mode", boot: "[boot]\nentry-mode = \"machine\"\nsecurity = \"secure\"\nsecondaries = \"psci\"\nsemihosting = true\npsci-conduit = \"none\""))
        assertProfileError(file: scratch.path(machine: "mode"), key: "boot.entry-mode",
                           contains: ["\"machine\" is not allowed", "\"svc\", \"hyp\" or \"mon\""]) {
            _ = try scratch.store().machine("mode")
        }
    }

    func testOverlappingDevicesNameBoth() throws {
        try scratch.machine("overlap", minimalMachine(name: "overlap", devices: """
            [[devices]]
            name = "uart0"
            kind = "pl011"
            regions = [{ name = "uart0", base = 0x1C090000, size = 0x1000 }]

            [[devices]]
            name = "uart1"
            kind = "pl011"
            regions = [{ name = "uart1", base = 0x1C090800, size = 0x1000 }]
            """))
        assertProfileError(file: scratch.path(machine: "overlap"), key: "devices[1].regions[0]",
                           contains: ["\"uart1\" (0x1C090800–0x1C0917FF)", "overlaps", "devices[0].regions[0] \"uart0\" (0x1C090000–0x1C090FFF)"]) {
            _ = try scratch.store().machine("overlap")
        }
    }

    func testDeviceOverlappingRAM() throws {
        try scratch.machine("ramdev", minimalMachine(name: "ramdev", devices: """
            [[devices]]
            name = "gic"
            kind = "gic-v2"
            regions = [{ name = "gicd", base = 0x800FF000, size = 0x1000 }, { name = "gicc", base = 0x80100000, size = 0x2000 }]
            """))
        assertProfileError(file: scratch.path(machine: "ramdev"), key: "devices[0].regions[0]",
                           contains: ["\"gicd\"", "ram[0] \"dram\" (0x80000000–0x800FFFFF)"]) {
            _ = try scratch.store().machine("ramdev")
        }
    }

    func testZeroSizeAndAddressSpace() throws {
        try scratch.machine("zero", minimalMachine(name: "zero", ram: "[[ram]]\nname = \"dram\"\nbase = 0x80000000\nsize = 0"))
        assertProfileError(file: scratch.path(machine: "zero"), key: "ram[0].size", contains: ["zero"]) {
            _ = try scratch.store().machine("zero")
        }
        try scratch.machine("huge", minimalMachine(name: "huge", ram: "[[ram]]\nname = \"dram\"\nbase = \"0xFFFFFFFFFFFFF000\"\nsize = 0x2000"))
        assertProfileError(file: scratch.path(machine: "huge"), key: "ram[0].size", contains: ["40-bit physical address space"]) {
            _ = try scratch.store().machine("huge")
        }
    }

    func testUnknownProfileInCluster() throws {
        try scratch.machine("ghost", minimalMachine(name: "ghost", profile: "cortex-a9"))
        assertProfileError(file: scratch.path(machine: "ghost"), key: "clusters[0].profile",
                           contains: ["no core profile \"cortex-a9\"", "cortex-a15, cortex-a15-r4p0, cortex-a7"]) {
            _ = try scratch.store().machine("ghost")
        }
    }

    func testBadCoreFileIsReportedAgainstTheCoreFile() throws {
        try scratch.core("cortex-a7", try scratch.shippedText("cores/cortex-a7.toml")
            .replacingOccurrences(of: "MIDR     = 0x410FC075", with: "MIDR = \"r0p5\""))
        try scratch.machine("mini", minimalMachine(name: "mini"))
        assertProfileError(file: scratch.path(core: "cortex-a7"), key: "id-registers.MIDR", contains: ["\"r0p5\""]) {
            _ = try scratch.store().machine("mini")
        }
    }

    func testClusterTooLargeForL2CTLR() throws {
        try scratch.machine("big", minimalMachine(name: "big", count: 5))
        assertProfileError(file: scratch.path(machine: "big"), key: "clusters[0].count",
                           contains: ["5 cores", "L2CTLR[25:24]", "at most 4"]) {
            _ = try scratch.store().machine("big")
        }
    }

    func testSMPOutOfRange() throws {
        let store = try shippedStore()
        let vexpress = try shippedProfilesDirectory() + "/machines/vexpress-a15.toml"
        let error = assertProfileError(file: vexpress, key: "--smp", contains: ["vexpress-a15 takes 1 to 4 cores, not 9"]) {
            _ = try store.machine("vexpress-a15", smp: 9)
        }
        XCTAssertEqual(error?.description, "\(vexpress): --smp: vexpress-a15 takes 1 to 4 cores, not 9")
        assertProfileError(file: vexpress, key: "--smp", contains: ["takes 1 to 4 cores, not 0"]) {
            _ = try store.machine("vexpress-a15,smp=0")
        }
        assertProfileError(file: vexpress, key: "--smp", contains: ["2 contradicts smp=3"]) {
            _ = try store.machine("vexpress-a15,smp=3", smp: 2)
        }
        assertProfileError(file: vexpress, key: "--machine", contains: ["smp=four", "number of cores"]) {
            _ = try store.machine("vexpress-a15,smp=four")
        }
    }

    func testSMPOnAFixedMachine() throws {
        let tc2 = try shippedProfilesDirectory() + "/machines/tc2.toml"
        assertProfileError(file: tc2, key: "--smp", contains: ["fixed core list (2 × cortex-a15 + 3 × cortex-a7)"]) {
            _ = try shippedStore().machine("tc2", smp: 2)
        }
    }

    func testUnknownOptionAndValue() throws {
        let store = try shippedStore()
        let vexpress = try shippedProfilesDirectory() + "/machines/vexpress-a15.toml"
        assertProfileError(file: vexpress, key: "--machine",
                           contains: ["secure=maybe is not allowed", "expected secure=on or secure=off"]) {
            _ = try store.machine("vexpress-a15,secure=maybe")
        }
        assertProfileError(file: vexpress, key: "--machine",
                           contains: ["no option \"gic-version\"", "secure, virtualization, smp"]) {
            _ = try store.machine("vexpress-a15,gic-version=3")
        }
        assertProfileError(file: try shippedProfilesDirectory() + "/machines/tc2.toml", key: "--machine",
                           contains: ["tc2 has no option \"secure\"", "it takes no options"]) {
            _ = try store.machine("tc2,secure=off")
        }
        assertProfileError(file: try shippedProfilesDirectory() + "/machines", key: "--machine", contains: ["not option=value"]) {
            _ = try store.machine("vexpress-a15,secure")
        }
        assertProfileError(file: try shippedProfilesDirectory() + "/machines", key: "--machine", contains: ["given twice"]) {
            _ = try store.machine("vexpress-a15,secure=on,secure=off")
        }
    }

    func testBadOptionDefault() throws {
        try scratch.machine("opt", minimalMachine(name: "opt", tail: """
            [options.secure]
            default = "maybe"
            on = { }
            off = { security = "non-secure" }
            """))
        assertProfileError(file: scratch.path(machine: "opt"), key: "options.secure.default",
                           contains: ["\"maybe\"", "on or off"]) {
            _ = try scratch.store().machine("opt")
        }
    }

    func testBootNeedsWhatTheCoresHave() throws {
        try scratch.machine("hyp", minimalMachine(
            name: "hyp",
            boot: "[boot]\nentry-mode = \"hyp\"\nsecurity = \"non-secure\"\nsecondaries = \"psci\"\npsci-conduit = \"smc\"\nsemihosting = false",
            tail: """
                [options.virtualization]
                default = "off"
                on = { }
                off = { features = { virtualization = false } }
                """))
        assertProfileError(file: scratch.path(machine: "hyp"), key: "boot.entry-mode",
                           contains: ["hyp needs the Virtualization Extensions", "cortex-a7 (CPU 0)", "virtualization=off"]) {
            _ = try scratch.store().machine("hyp")
        }
        XCTAssertEqual(try scratch.store().machine("hyp,virtualization=on").boot.entryMode, .hyp)
    }

    func testSMPMachineHasOneClusterWithoutCount() throws {
        try scratch.machine("smp", minimalMachine(name: "smp", tail: "[smp]\nmin = 1\nmax = 4\ndefault = 2"))
        assertProfileError(file: scratch.path(machine: "smp"), key: "clusters[0].count", contains: ["not allowed with [smp]"]) {
            _ = try scratch.store().machine("smp")
        }
        try scratch.machine("range", minimalMachine(name: "range", tail: "[smp]\nmin = 2\nmax = 4\ndefault = 1")
            .replacingOccurrences(of: "count = 1\n", with: ""))
        assertProfileError(file: scratch.path(machine: "range"), key: "smp.default", contains: ["out of range", "2 to 4"]) {
            _ = try scratch.store().machine("range")
        }
    }
}

extension MachineErrorTests {
    func testGICv2ServesAtMostEightCPUs() throws {
        let clusters = (1...2).map { "[[clusters]]\nid = \($0)\nprofile = \"cortex-a15\"\ncount = 4\n" }.joined(separator: "\n")
        try scratch.machine("many", minimalMachine(name: "many", count: 4, devices: """
            \(clusters)
            [[devices]]
            name = "gic"
            kind = "gic-v2"
            regions = [{ name = "gicd", base = 0x2C001000, size = 0x1000 }]
            """))
        assertProfileError(file: scratch.path(machine: "many"), key: "clusters",
                           contains: ["12 cores in all", "gic-v2 serves at most 8 CPUs"]) {
            _ = try scratch.store().machine("many")
        }
    }
}
