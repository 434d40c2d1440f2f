import Foundation
import XCTest
@testable import Profiles

/// The RISC-V files in cpu-profiles: the values the sources give, and the machines they make.
final class ShippedRISCVTests: XCTestCase {
    func testRV64GCHIsQEMU72sDefaultHart() throws {
        let hart = try shippedStore().core("rv64gch")
        XCTAssertEqual(hart.idRegister("misa"), 0x8000_0000_0014_11AD)
        XCTAssertEqual(RV64Rules.letters(0x8000_0000_0014_11AD), "ACDFHIMSU")
        XCTAssertEqual(hart.idRegisters.map(\.name), ["misa", "mvendorid", "marchid", "mimpid"])
        XCTAssertEqual(hart.idRegister("mvendorid"), 0)
        XCTAssertEqual(hart.idRegister("marchid"), 0x07_02_00, "QEMU 7.2.0: (7 << 16) | (2 << 8) | 0")
        XCTAssertEqual(hart.idRegister("mimpid"), 0x07_02_00)
        let f = hart.features
        XCTAssertEqual(f.isaExtensions, ["i", "m", "a", "f", "d", "c", "h", "zicsr", "zifencei", "zicntr", "sstc"])
        XCTAssertTrue(f.hasExtension("h") && f.hasExtension("sstc") && !f.hasExtension("smaia"))
        XCTAssertEqual(f.privilegeModes, ["m", "s", "u"])
        XCTAssertEqual(f.mmuModes, ["sv39", "sv48", "sv57"])
        XCTAssertEqual(f.pmpEntries, 16)
        XCTAssertEqual(f.misaligned, .hardware)
        XCTAssertEqual(f.adUpdate, .hardware)
        XCTAssertEqual(f.timeCSR, .hardware)
        XCTAssertEqual(hart.caches, [])
        XCTAssertEqual(hart.systemRegisters, [])
    }

    func testSiFiveHarts() throws {
        let store = try shippedStore()
        let u74 = try store.core("sifive-u74")
        XCTAssertEqual(u74.idRegister("misa"), 0x8000_0000_0014_112D)
        XCTAssertEqual(u74.idRegister("mvendorid"), 0x489)
        XCTAssertEqual(u74.idRegister("marchid"), 0x8000_0000_0000_0007)
        XCTAssertEqual(u74.idRegister("mimpid"), 0x2018_1004)
        XCTAssertEqual(u74.features.mmuModes, ["sv39"])
        XCTAssertEqual(u74.features.adUpdate, .fault)
        XCTAssertEqual(u74.features.misaligned, .trap)
        XCTAssertEqual(u74.features.timeCSR, .trap)
        XCTAssertFalse(u74.features.hasExtension("h"))
        XCTAssertEqual(u74.caches.map(\.sizeBytes), [32768, 32768, 2_097_152])
        XCTAssertEqual(u74.caches.map(\.ways), [4, 8, 16])

        let s7 = try store.core("sifive-s7")
        XCTAssertEqual(s7.idRegister("misa"), 0x8000_0000_0010_1105)
        XCTAssertEqual(RV64Rules.letters(0x8000_0000_0010_1105), "ACIMU")
        XCTAssertEqual(s7.features.privilegeModes, ["m", "u"])
        XCTAssertEqual(s7.features.mmuModes, [])
        XCTAssertNil(s7.features.adUpdate, "no MMU, no A/D policy")
        XCTAssertFalse(s7.features.hasPrivilegeMode("s"))

        let u54 = try store.core("sifive-u54")
        XCTAssertEqual(u54.idRegister("marchid"), 1)
        XCTAssertEqual(u54.features.adUpdate, .fault)
        XCTAssertEqual(u54.caches.map(\.ways), [8, 8, 32])

        let e51 = try store.core("sifive-e51")
        XCTAssertEqual(e51.idRegister("misa"), 0x8000_0000_0010_1105)
        XCTAssertEqual(e51.features.mmuModes, [])
        XCTAssertEqual(e51.caches.map(\.kind), [.instruction, .unified])
    }

    func testDifferencesBetweenRV64GCHAndU74() throws {
        let store = try shippedStore()
        let diffs = ProfileStore.differences(try store.core("rv64gch"), try store.core("sifive-u74"))
        XCTAssertEqual(diffs.map(\.item), [
            "misa", "mvendorid", "marchid", "mimpid",
            "feature isa-extensions", "feature mmu-modes", "feature pmp-entries", "feature misaligned",
            "feature ad-update", "feature time-csr",
            "L1 instruction cache", "L1 data cache", "L2 unified cache",
        ])
        XCTAssertEqual(diffs[0], ProfileDifference(item: "misa", a: "0x80000000001411AD (ACDFHIMSU)",
                                                   b: "0x800000000014112D (ACDFIMSU)"))
        XCTAssertEqual(diffs[2], ProfileDifference(item: "marchid", a: "0x00070200", b: "0x8000000000000007"))
        XCTAssertEqual(diffs[4].a, "i, m, a, f, d, c, h, zicsr, zifencei, zicntr, sstc")
        XCTAssertEqual(diffs[4].b, "i, m, a, f, d, c, zicsr, zifencei, zicntr")
        XCTAssertEqual(diffs[5], ProfileDifference(item: "feature mmu-modes", a: "sv39, sv48, sv57", b: "sv39"))
        XCTAssertEqual(diffs[6], ProfileDifference(item: "feature pmp-entries", a: "16", b: "8"))
        XCTAssertEqual(diffs[10], ProfileDifference(item: "L1 instruction cache", a: "absent",
                                                    b: "32 KiB, 4-way, 64 B lines"))

        let s7 = try store.core("sifive-s7")
        let u74 = try store.core("sifive-u74")
        let monitor = ProfileStore.differences(s7, u74)
        XCTAssertEqual(monitor.map(\.item), [
            "misa", "feature isa-extensions", "feature privilege-modes", "feature mmu-modes", "feature ad-update",
            "L1 instruction cache", "L1 data cache",
        ])
        XCTAssertEqual(monitor[3], ProfileDifference(item: "feature mmu-modes", a: "none", b: "sv39"))
        XCTAssertEqual(monitor[4], ProfileDifference(item: "feature ad-update", a: "none (no MMU)", b: "fault"))
        XCTAssertEqual(ProfileStore.differences(u74, u74), [])
    }

    func testFU740() throws {
        let fu740 = try shippedStore().machine("fu740")
        XCTAssertEqual(fu740.architecture, .rv64)
        XCTAssertEqual(fu740.cores.map(\.profile.name),
                       ["sifive-s7", "sifive-u74", "sifive-u74", "sifive-u74", "sifive-u74"])
        XCTAssertEqual(fu740.cores.map(\.mpidr), [0, 1, 2, 3, 4], "mhartid; hart 0 is the S7")
        XCTAssertEqual(fu740.cores.map(\.cluster), [0, 1, 1, 1, 1])
        XCTAssertEqual(fu740.cores.map(\.clusterSize), [5, 5, 5, 5, 5], "RISC-V: the machine's hart count")
        let hart0 = fu740.cores[0].profile.features
        XCTAssertFalse(hart0.hasPrivilegeMode("s"))
        XCTAssertEqual(hart0.mmuModes, [])
        for slot in fu740.cores.dropFirst() {
            XCTAssertEqual(slot.profile.features.privilegeModes, ["m", "s", "u"])
            XCTAssertEqual(slot.profile.features.mmuModes, ["sv39"])
        }
        XCTAssertEqual(fu740.devices.map(\.kind), ["mrom", "sifive-test", "clint", "plic", "sifive-uart", "sifive-uart"])
        XCTAssertEqual(fu740.device(kind: "plic")?.property("sources"), 69)
        XCTAssertEqual(fu740.device(kind: "plic")?.regions.first, MemoryRegion(name: "plic", base: 0xC00_0000, size: 0x400_0000))
        XCTAssertEqual(fu740.device(kind: "clint")?.property("timebase"), 1_000_000)
        XCTAssertEqual(fu740.devices.filter { $0.kind == "sifive-uart" }.map(\.interrupts), [[39], [40]])
        XCTAssertEqual(fu740.devices.filter { $0.kind == "sifive-uart" }.map { $0.regions[0].base },
                       [0x1001_0000, 0x1001_1000])
        XCTAssertEqual(fu740.ram, [MemoryRegion(name: "dram", base: 0x8000_0000, size: 0x4000_0000)])
        XCTAssertEqual(fu740.boot, BootProtocol(entryMode: .machine, security: .nonSecure, secondaries: .allAtEntry,
                                                psciConduit: .none, semihosting: false, firmware: .none))
        XCTAssertNil(fu740.smp)
    }

    func testVirtRISCVDefaultsAndSMP() throws {
        let store = try shippedStore()
        let one = try store.machine("virt-riscv")
        XCTAssertEqual(one.cores.map(\.profile.name), ["rv64gch"])
        XCTAssertEqual(one.smp, SMPRange(min: 1, max: 8, defaultCount: 1, mixOption: "harts"))
        XCTAssertEqual(one.boot.entryMode, .machine)
        XCTAssertEqual(one.boot.firmware, .none)
        XCTAssertEqual(one.boot.secondaries, .allAtEntry)
        XCTAssertEqual(one.ram, [MemoryRegion(name: "dram", base: 0x8000_0000, size: 0x0800_0000)])
        XCTAssertEqual(one.devices.map(\.name), ["mrom", "test", "clint", "plic", "uart0"])
        XCTAssertEqual(one.device(kind: "mrom")?.regions, [MemoryRegion(name: "mrom", base: 0x1000, size: 0xF000)])
        XCTAssertEqual(one.device(kind: "sifive-test")?.regions.first?.base, 0x10_0000)
        XCTAssertEqual(one.device(kind: "clint")?.property("timebase"), 10_000_000)
        let plic = try XCTUnwrap(one.device(kind: "plic"))
        XCTAssertEqual(plic.regions, [MemoryRegion(name: "plic", base: 0xC00_0000, size: 0x60_0000)])
        XCTAssertEqual(plic.properties, [NamedValue(name: "sources", value: 95), NamedValue(name: "max-priority", value: 7)])
        let uart = try XCTUnwrap(one.device(kind: "ns16550a"))
        XCTAssertEqual(uart.regions, [MemoryRegion(name: "uart0", base: 0x1000_0000, size: 0x100)])
        XCTAssertEqual(uart.interrupts, [10])

        let four = try store.machine("virt-riscv", smp: 4)
        XCTAssertEqual(four.cores.map(\.mpidr), [0, 1, 2, 3])
        XCTAssertEqual(four.cores.map(\.clusterSize), [4, 4, 4, 4])
        XCTAssertEqual(Set(four.cores.map(\.profile.name)), ["rv64gch"])
        XCTAssertEqual(try store.machine("virt-riscv,smp=8").cores.count, 8)
    }

    func testHartsOption() throws {
        let store = try shippedStore()
        let mixed = try store.machine("virt-riscv,harts=rv64gch*2+sifive-u74*2")
        XCTAssertEqual(mixed.cores.map(\.profile.name), ["rv64gch", "rv64gch", "sifive-u74", "sifive-u74"])
        XCTAssertEqual(mixed.cores.map(\.mpidr), [0, 1, 2, 3])
        XCTAssertEqual(mixed.cores.map(\.cluster), [0, 0, 1, 1], "one cluster per group")
        XCTAssertEqual(mixed.cores.map(\.clusterSize), [4, 4, 4, 4])
        XCTAssertEqual(mixed.cores.map { $0.profile.features.hasExtension("h") }, [true, true, false, false])

        let counted = try store.machine("virt-riscv,harts=sifive-s7+sifive-u74*3+sifive-s7")
        XCTAssertEqual(counted.cores.map(\.profile.name),
                       ["sifive-s7", "sifive-u74", "sifive-u74", "sifive-u74", "sifive-s7"])
        XCTAssertEqual(counted.cores.map(\.cluster), [0, 1, 1, 1, 2])
        XCTAssertEqual(try store.machine("virt-riscv,harts=sifive-u54").cores.map(\.profile.name), ["sifive-u54"])
    }

    func testMixedHMachineEqualsTheHartsOption() throws {
        let store = try shippedStore()
        let fixed = try store.machine("virt-riscv-mixed-h")
        let listed = try store.machine("virt-riscv,harts=rv64gch*2+sifive-u74*2")
        XCTAssertEqual(fixed.cores, listed.cores)
        XCTAssertEqual(fixed.devices, listed.devices)
        XCTAssertEqual(fixed.ram, listed.ram)
        XCTAssertEqual(fixed.boot, listed.boot)
        XCTAssertNil(fixed.smp)
    }

    func testBIOS() throws {
        let store = try shippedStore()
        let sbi = try store.machine("virt-riscv", smp: 2, bios: "sbi")
        XCTAssertEqual(sbi.boot.firmware, .builtinSBI)
        XCTAssertEqual(sbi.boot.entryMode, .supervisor, "the SBI model enters the image in S-mode")
        XCTAssertEqual(sbi.cores.count, 2)

        let none = try store.machine("virt-riscv", smp: nil, bios: "none")
        XCTAssertEqual(none.boot.firmware, .none)
        XCTAssertEqual(none.boot.entryMode, .machine)

        // fu740 boots under SBI although hart 0 has no S-mode: the firmware parks it.
        let fu740 = try store.machine("fu740", smp: nil, bios: "sbi")
        XCTAssertEqual(fu740.boot.entryMode, .supervisor)

        let scratch = try ScratchProfiles()
        defer { scratch.remove() }
        let image = scratch.directory + "/fw_dynamic.bin"
        try Data([0x73, 0x00, 0x50, 0x10]).write(to: URL(fileURLWithPath: image))
        let file = try store.machine("virt-riscv", smp: nil, bios: image)
        XCTAssertEqual(file.boot.firmware, .file(image))
        XCTAssertEqual(file.boot.firmware.spelling, image)
        XCTAssertEqual(file.boot.entryMode, .machine, "a firmware image starts in M-mode")
    }
}
