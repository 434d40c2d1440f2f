import XCTest
@testable import Profiles

/// The files in cpu-profiles: every one loads, and carries the values the reference gives.
final class ShippedProfilesTests: XCTestCase {
    func testEveryShippedProfileAndMachineLoads() throws {
        let store = try shippedStore()
        XCTAssertEqual(store.coreNames(), ["cortex-a15", "cortex-a15-r4p0", "cortex-a7", "rv64gch", "sifive-e51",
                                           "sifive-s7", "sifive-u54", "sifive-u74"])
        XCTAssertEqual(store.machineNames(), ["fu740", "tc2", "vexpress-a15", "virt-arm", "virt-riscv", "virt-riscv-mixed-h"])
        for name in store.coreNames() {
            let profile = try store.core(name)
            XCTAssertEqual(profile.name, name)
            XCTAssertEqual(profile.architecture, name.hasPrefix("cortex") ? .armv7a : .rv64)
            XCTAssertTrue(profile.file.hasSuffix("/cores/\(name).toml"), profile.file)
        }
        for name in store.machineNames() {
            XCTAssertEqual(try store.machine(name).name, name)
        }
    }

    func testCortexA15Values() throws {
        let a15 = try shippedStore().core("cortex-a15")
        XCTAssertEqual(a15.idRegister("MIDR"), 0x412F_C0F1)
        XCTAssertEqual(a15.idRegister("CTR"), 0x8444_C004)
        XCTAssertEqual(a15.idRegister("FPSID"), 0x4104_30F0)
        XCTAssertEqual(a15.idRegister("DBGDIDR"), 0x3515_F021)
        XCTAssertEqual(a15.idRegisters.first?.name, "MIDR", "file order is kept")
        XCTAssertEqual(a15.idRegisters.map(\.name).suffix(3), ["FPSID", "CLIDR", "DBGDIDR"])
        XCTAssertEqual(a15.systemRegisters.map(\.name), ["SCTLR", "HSCTLR", "ACTLR", "PMCR", "L2CTLR"])
        XCTAssertEqual(a15.systemRegister("SCTLR")?.reset, 0x00C5_0078)
        let hsctlr = try XCTUnwrap(a15.systemRegister("HSCTLR"))
        XCTAssertEqual(hsctlr.res1, 0x30C5_0878)
        XCTAssertEqual(hsctlr.res0, 0x8D12_E780)
        XCTAssertEqual(hsctlr.razWI, 0x0020_0000)
        XCTAssertEqual(hsctlr.writableMask & 0xFFFF_FFFF, 0x4208_1007, "M A C I WXN EE TE")
        XCTAssertEqual(a15.systemRegister("PMCR")?.reset, 0x410F_3000)
        XCTAssertTrue(a15.features.virtualization && a15.features.security && a15.features.lpae)
        XCTAssertEqual(a15.features.gicPriorityBits, 5)
        XCTAssertEqual(a15.inherits, [])
        XCTAssertEqual(a15.caches.map(\.ccsidr), [0x701F_E00A, 0x201F_E00A, 0x711F_E07A])
        XCTAssertEqual(a15.caches.map(\.sizeBytes), [32768, 32768, 2_359_296])
        XCTAssertEqual(a15.caches.map(\.csselr), [0, 1, 2])
    }

    func testCortexA7UsesTheRealCacheGeometry() throws {
        let a7 = try shippedStore().core("cortex-a7")
        XCTAssertEqual(a7.idRegister("MIDR"), 0x410F_C075)
        let l1i = try XCTUnwrap(a7.caches.first { $0.level == 1 && $0.kind == .instruction })
        XCTAssertEqual([l1i.ccsidr, UInt64(l1i.sizeBytes), UInt64(l1i.ways), UInt64(l1i.lineBytes)],
                       [0x203F_E009, 32768, 2, 32])
        let l1d = try XCTUnwrap(a7.caches.first { $0.level == 1 && $0.kind == .data })
        XCTAssertEqual([l1d.ccsidr, UInt64(l1d.sizeBytes), UInt64(l1d.ways), UInt64(l1d.lineBytes)],
                       [0x700F_E01A, 32768, 4, 64])
        XCTAssertEqual(a7.systemRegister("PMCR")?.reset, 0x4107_2000)
        XCTAssertEqual(a7.systemRegister("HSCTLR")?.razWI, 0x0020_0000)
    }

    func testR4P0InheritsAndDiffersOnlyInMIDR() throws {
        let store = try shippedStore()
        let r2p1 = try store.core("cortex-a15")
        let r4p0 = try store.core("cortex-a15-r4p0")
        XCTAssertEqual(r4p0.inherits, ["cortex-a15"])
        XCTAssertEqual(r4p0.idRegister("MIDR"), 0x414F_C0F0)
        XCTAssertEqual(r4p0.idRegisters.map(\.name), r2p1.idRegisters.map(\.name), "MIDR keeps its place")
        XCTAssertEqual(ProfileStore.differences(r2p1, r4p0),
                       [ProfileDifference(item: "MIDR", a: "0x412FC0F1", b: "0x414FC0F0")])
        XCTAssertEqual(r4p0.systemRegisters, r2p1.systemRegisters)
        XCTAssertEqual(r4p0.caches, r2p1.caches)
        XCTAssertEqual(r4p0.features, r2p1.features)
    }

    func testDifferencesBetweenA15AndA7() throws {
        let store = try shippedStore()
        let diffs = ProfileStore.differences(try store.core("cortex-a15"), try store.core("cortex-a7"))
        XCTAssertEqual(diffs.map(\.item), [
            "MIDR", "CTR", "ID_MMFR0", "ID_MMFR1", "FPSID", "DBGDIDR", "PMCR reset",
            "L1 data cache", "L1 instruction cache", "L2 unified cache",
        ])
        XCTAssertEqual(diffs[0], ProfileDifference(item: "MIDR", a: "0x412FC0F1", b: "0x410FC075"))
        XCTAssertEqual(diffs[6], ProfileDifference(item: "PMCR reset", a: "0x410F3000", b: "0x41072000"))
        XCTAssertEqual(diffs[8], ProfileDifference(
            item: "L1 instruction cache",
            a: "32 KiB, 2-way, 64 B lines (CCSIDR 0x201FE00A)",
            b: "32 KiB, 2-way, 32 B lines (CCSIDR 0x203FE009)"))
        XCTAssertEqual(diffs[9].a, "2304 KiB, 16-way, 64 B lines (CCSIDR 0x711FE07A)")
        XCTAssertEqual(diffs[9].b, "512 KiB, 8-way, 64 B lines (CCSIDR 0x707FE03A)")
        XCTAssertEqual(ProfileStore.differences(try store.core("cortex-a7"), try store.core("cortex-a7")), [])
    }

    func testDifferencesNameAbsentValuesAndWideValues() throws {
        let a = CoreProfile(name: "a", architecture: .rv64, description: "", file: "", inherits: [],
                            idRegisters: [NamedValue(name: "marchid", value: 0x8000_0000_0000_0007)],
                            systemRegisters: [SystemRegisterSpec(name: "mstatus", reset: 0)],
                            features: Features(), caches: [])
        var b = a
        b.idRegisters = [NamedValue(name: "mimpid", value: 1)]
        b.systemRegisters = []
        b.features.isaExtensions = ["i", "m"]
        XCTAssertEqual(ProfileStore.differences(a, b), [
            ProfileDifference(item: "marchid", a: "0x8000000000000007", b: "absent"),
            ProfileDifference(item: "mimpid", a: "absent", b: "0x00000001"),
            ProfileDifference(item: "mstatus reset", a: "0x00000000", b: "absent"),
            ProfileDifference(item: "mstatus RES0", a: "0x00000000", b: "absent"),
            ProfileDifference(item: "mstatus RES1", a: "0x00000000", b: "absent"),
            ProfileDifference(item: "mstatus read-only", a: "0x00000000", b: "absent"),
            ProfileDifference(item: "mstatus RAZ/WI", a: "0x00000000", b: "absent"),
            ProfileDifference(item: "feature isa-extensions", a: "none", b: "i, m"),
        ])
    }

    func testTC2() throws {
        let tc2 = try shippedStore().machine("tc2")
        XCTAssertEqual(tc2.cores.map(\.profile.name),
                       ["cortex-a15", "cortex-a15", "cortex-a7", "cortex-a7", "cortex-a7"])
        XCTAssertEqual(tc2.cores.map(\.mpidr),
                       [0x8000_0000, 0x8000_0001, 0x8000_0100, 0x8000_0101, 0x8000_0102])
        XCTAssertEqual(tc2.cores.map(\.cluster), [0, 0, 1, 1, 1])
        XCTAssertEqual(tc2.cores.map(\.clusterSize), [2, 2, 3, 3, 3])
        // L2CTLR[25:24] = cores in the cluster − 1, bit 23 from the profile.
        XCTAssertEqual(tc2.cores.map { $0.profile.systemRegister("L2CTLR")?.reset },
                       [0x0180_0000, 0x0180_0000, 0x0280_0000, 0x0280_0000, 0x0280_0000])
        XCTAssertEqual(tc2.ram, [MemoryRegion(name: "dram", base: 0x8000_0000, size: 0x4000_0000)])
        XCTAssertEqual(tc2.devices.map(\.name),
                       ["gic", "timer", "uart0", "uart1", "uart2", "uart3", "sysregs", "scc"])
        let gic = try XCTUnwrap(tc2.device(kind: "gic-v2"))
        XCTAssertEqual(gic.regions.map(\.name), ["gicd", "gicc", "gich", "gich-alias", "gicv"])
        XCTAssertEqual(gic.regions.map(\.base), [0x2C00_1000, 0x2C00_2000, 0x2C00_4000, 0x2C00_5000, 0x2C00_6000])
        XCTAssertEqual(gic.regions.map(\.size), [0x1000, 0x2000, 0x1000, 0x1000, 0x2000])
        XCTAssertEqual(gic.interrupts, [25], "the maintenance interrupt, PPI 9")
        XCTAssertEqual(gic.property("spis"), 160)
        let timer = try XCTUnwrap(tc2.device(kind: "generic-timer"))
        XCTAssertEqual(timer.interrupts, [29, 30, 27, 26])
        XCTAssertEqual(timer.property("cntfrq"), 24_000_000)
        XCTAssertEqual(tc2.devices.filter { $0.kind == "pl011" }.map(\.interrupts), [[37], [38], [39], [40]])
        XCTAssertEqual(tc2.devices.filter { $0.kind == "pl011" }.map { $0.regions[0].base },
                       [0x1C09_0000, 0x1C0A_0000, 0x1C0B_0000, 0x1C0C_0000])
        XCTAssertEqual(tc2.device(kind: "ve-sysregs")?.properties.map(\.name), ["sys-id", "procid0"],
                       "properties keep file order")
        XCTAssertEqual(tc2.device(kind: "tc2-scc")?.regions.first?.base, 0x7FFF_0000)
        XCTAssertEqual(tc2.boot, BootProtocol(entryMode: .hyp, security: .nonSecure, secondaries: .sysFlagsPen,
                                              psciConduit: .smc, semihosting: true))
        XCTAssertEqual(tc2.boot.firmware, .none, "ARM machines have no RISC-V firmware")
        XCTAssertEqual(tc2.options, [])
        XCTAssertNil(tc2.smp)
    }

    func testVexpressA15Defaults() throws {
        let vexpress = try shippedStore().machine("vexpress-a15")
        XCTAssertEqual(vexpress.cores.count, 1)
        XCTAssertEqual(vexpress.cores[0].profile.name, "cortex-a15-r4p0")
        XCTAssertEqual(vexpress.cores[0].mpidr, 0x8000_0000)
        XCTAssertEqual(vexpress.smp, SMPRange(min: 1, max: 4, defaultCount: 1))
        XCTAssertEqual(vexpress.boot, BootProtocol(entryMode: .svc, security: .secure, secondaries: .allAtEntry,
                                                   psciConduit: .none, semihosting: true))
        XCTAssertEqual(vexpress.options, [
            MachineOption(name: "secure", allowed: ["on", "off"], value: "on"),
            MachineOption(name: "virtualization", allowed: ["on", "off"], value: "on"),
        ])
        XCTAssertEqual(vexpress.ram.first, MemoryRegion(name: "dram", base: 0x8000_0000, size: 0x0800_0000))
        XCTAssertEqual(vexpress.device(kind: "generic-timer")?.property("cntfrq"), 62_500_000)
        XCTAssertEqual(vexpress.device(kind: "ve-sysregs")?.property("procid0"), 0x1400_0237)
        XCTAssertEqual(vexpress.cores[0].profile.idRegister("ID_PFR1"), 0x0001_1011)
    }

    func testVexpressA15Options() throws {
        let store = try shippedStore()
        let nonSecure = try store.machine("vexpress-a15,secure=off")
        XCTAssertEqual(nonSecure.boot.entryMode, .hyp)
        XCTAssertEqual(nonSecure.boot.security, .nonSecure)
        XCTAssertFalse(nonSecure.cores[0].profile.features.security)
        XCTAssertTrue(nonSecure.cores[0].profile.features.virtualization)
        XCTAssertEqual(nonSecure.cores[0].profile.idRegister("ID_PFR1"), 0x0001_1001, "Security field cleared")
        XCTAssertEqual(nonSecure.cores[0].profile.idRegister("ID_DFR0"), 0x0201_0505, "CopSDbg cleared")
        XCTAssertEqual(nonSecure.options.map(\.value), ["off", "on"])

        let neither = try store.machine("vexpress-a15,secure=off,virtualization=off")
        XCTAssertEqual(neither.boot.entryMode, .svc)
        XCTAssertEqual(neither.boot.security, .nonSecure)
        XCTAssertFalse(neither.cores[0].profile.features.virtualization)
        XCTAssertEqual(neither.cores[0].profile.idRegister("ID_PFR1"), 0x0001_0001)

        let secureOnly = try store.machine("vexpress-a15,virtualization=off")
        XCTAssertEqual(secureOnly.boot.entryMode, .svc)
        XCTAssertEqual(secureOnly.boot.security, .secure)

        // The shipped profile is untouched by a machine's options.
        XCTAssertTrue(try store.core("cortex-a15-r4p0").features.security)
    }

    func testVexpressA15SMP() throws {
        let store = try shippedStore()
        let four = try store.machine("vexpress-a15", smp: 4)
        XCTAssertEqual(four.cores.map(\.mpidr), [0x8000_0000, 0x8000_0001, 0x8000_0002, 0x8000_0003])
        XCTAssertEqual(four.cores.map(\.clusterSize), [4, 4, 4, 4])
        XCTAssertEqual(four.cores[0].profile.systemRegister("L2CTLR")?.reset, 0x0380_0000)
        XCTAssertEqual(try store.machine("vexpress-a15,smp=2").cores.count, 2)
        XCTAssertEqual(try store.machine("vexpress-a15,smp=3", smp: 3).cores.count, 3)
    }

    func testDefaultDirectory() throws {
        let shipped = try shippedProfilesDirectory()
        let saved = ProcessInfo.processInfo.environment["HETBOOT_PROFILES"]
        let savedDirectory = FileManager.default.currentDirectoryPath
        defer {
            if let saved { setenv("HETBOOT_PROFILES", saved, 1) } else { unsetenv("HETBOOT_PROFILES") }
            _ = FileManager.default.changeCurrentDirectoryPath(savedDirectory)
        }
        setenv("HETBOOT_PROFILES", "/somewhere/else", 1)
        XCTAssertEqual(ProfileStore.defaultDirectory(), "/somewhere/else")
        unsetenv("HETBOOT_PROFILES")
        // Walking up from a directory inside the repository finds it.
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(shipped + "/machines"))
        let found = try XCTUnwrap(ProfileStore.defaultDirectory())
        XCTAssertEqual(URL(fileURLWithPath: found).resolvingSymlinksInPath().path,
                       URL(fileURLWithPath: shipped).resolvingSymlinksInPath().path)
    }
}
