import XCTest
import Emulator
import Profiles

final class RISCVPlatformDevicesTests: XCTestCase {
    static func hart(modes: [String]) -> CoreSlot {
        var features = Features()
        features.privilegeModes = modes
        let profile = CoreProfile(name: "test-hart", architecture: .rv64, description: "test",
                                  file: "test.toml", inherits: [], idRegisters: [],
                                  systemRegisters: [], features: features, caches: [])
        return CoreSlot(profile: profile, cluster: 0, mpidr: 0, clusterSize: 1)
    }

    static func region(_ name: String, _ base: UInt64, _ size: UInt64) -> MemoryRegion {
        MemoryRegion(name: name, base: base, size: size)
    }

    static func machine(_ name: String, cores: [CoreSlot], devices: [DeviceSpec]) -> MachineDescription {
        MachineDescription(
            name: name, description: "test", file: "cpu-profiles/machines/\(name).toml",
            architecture: .rv64, cores: cores,
            ram: [region("ram", 0x8000_0000, 0x800_0000)], devices: devices,
            boot: BootProtocol(entryMode: .machine, security: .nonSecure, secondaries: .allAtEntry,
                               psciConduit: .none, semihosting: false),
            options: [], smp: nil)
    }

    /// QEMU riscv virt's devices (hw/riscv/virt.c memory map).
    static let virtDevices = [
        deviceSpec("test", kind: "sifive-test", regions: [region("test", 0x10_0000, 0x1000)]),
        deviceSpec("clint", kind: "clint", regions: [region("clint", 0x200_0000, 0x1_0000)],
                   properties: [("timebase", 10_000_000)]),
        deviceSpec("plic", kind: "plic", regions: [region("plic", 0xC00_0000, 0x60_0000)],
                   properties: [("sources", 95), ("max-priority", 7)]),
        deviceSpec("uart0", kind: "ns16550a", regions: [region("uart0", 0x1000_0000, 0x100)], interrupts: [10],
                   properties: [("clock-frequency", 3_686_400)]),
    ]

    static let fullModes = ["m", "s", "u"]

    func testBuildsAVirtLikeMachine() throws {
        let host = DeviceTestHost(cores: 2)
        let cores = [Self.hart(modes: Self.fullModes), Self.hart(modes: Self.fullModes)]
        let platform = try RISCVPlatformDevices.build(machine: Self.machine("virt-riscv", cores: cores,
                                                                            devices: Self.virtDevices), host: host)
        XCTAssertEqual(platform.mmio.map(\.region.name), ["test", "clint", "plic", "uart0"])
        XCTAssertEqual(platform.mmio.map(\.device.name), ["test", "clint", "plic", "uart0"])
        let clint = try XCTUnwrap(platform.aclint)
        XCTAssertEqual(clint.hartCount, 2)
        XCTAssertEqual(clint.timebaseFrequency, 10_000_000)
        XCTAssertNil(platform.sswi)
        XCTAssertNotNil(platform.testFinisher)
        let plic = try XCTUnwrap(platform.plic)
        XCTAssertEqual(plic.sourceCount, 95)
        XCTAssertEqual(plic.maxPriority, 7)
        XCTAssertEqual(plic.contexts.count, 4)
        XCTAssertEqual(platform.uarts.count, 1)

        // The UART is wired to PLIC source 10; hart 1's S context (3) takes it.
        _ = plic.write(offset: PLICMap.priority(10), size: 4, value: 1, cpu: 0)
        _ = plic.write(offset: PLICMap.enable(3), size: 4, value: 1 << 10, cpu: 0)
        _ = platform.uarts[0].write(offset: 1, size: 1, value: 0x02, cpu: 0)
        XCTAssertEqual(host.lines[1]?[9], true)

        // MTIP is high on every hart out of reset (MTIME 0 ≥ MTIMECMP 0).
        XCTAssertEqual(host.lines[0]?[7], true)
        XCTAssertEqual(host.lines[1]?[7], true)
        // Timer events reach the CLINT.
        _ = clint.write(offset: CLINT.mtimecmp(0), size: 8, value: 50, cpu: 0)
        XCTAssertEqual(host.lines[0]?[7], false)
        host.time[0] = 50
        platform.timerEvent(cpu: 0)
        XCTAssertEqual(host.lines[0]?[7], true)
    }

    func testFU740LikeHartWithoutSupervisorHasOnlyAnMContext() throws {
        let host = DeviceTestHost(cores: 5)
        let cores = [Self.hart(modes: ["m", "u"])] + (1...4).map { _ in Self.hart(modes: Self.fullModes) }
        let devices = [
            deviceSpec("clint", kind: "clint", regions: [Self.region("clint", 0x200_0000, 0x1_0000)],
                       properties: [("timebase", 1_000_000)]),
            deviceSpec("plic", kind: "plic", regions: [Self.region("plic", 0xC00_0000, 0x400_0000)],
                       properties: [("sources", 69), ("priority-bits", 3)]),
            deviceSpec("uart0", kind: "sifive-uart", regions: [Self.region("uart0", 0x1001_0000, 0x1000)],
                       interrupts: [39]),
            deviceSpec("uart1", kind: "sifive-uart", regions: [Self.region("uart1", 0x1001_1000, 0x1000)],
                       interrupts: [40]),
        ]
        let platform = try RISCVPlatformDevices.build(machine: Self.machine("fu740", cores: cores, devices: devices),
                                                      host: host)
        let plic = try XCTUnwrap(platform.plic)
        XCTAssertEqual(plic.contexts.count, 9)
        XCTAssertEqual(plic.contexts.first, PLIC.Context(hart: 0, mode: .machine))
        XCTAssertEqual(plic.contexts[1], PLIC.Context(hart: 1, mode: .machine))
        XCTAssertEqual(plic.contexts[2], PLIC.Context(hart: 1, mode: .supervisor))
        XCTAssertEqual(platform.sifiveUARTs.map(\.name), ["uart0", "uart1"])
        XCTAssertEqual(platform.aclint?.timebaseFrequency, 1_000_000)
    }

    func testSplitACLINTAndSSWI() throws {
        let host = DeviceTestHost(cores: 2)
        let cores = [Self.hart(modes: Self.fullModes), Self.hart(modes: Self.fullModes)]
        let devices = [
            deviceSpec("mswi", kind: "aclint-mswi", regions: [Self.region("mswi", 0x200_0000, 0x4000)]),
            deviceSpec("mtimer", kind: "aclint-mtimer", regions: [Self.region("mtimer", 0x200_4000, 0x8000)]),
            deviceSpec("sswi", kind: "aclint-sswi", regions: [Self.region("sswi", 0x2F0_0000, 0x4000)]),
        ]
        let platform = try RISCVPlatformDevices.build(machine: Self.machine("virt-riscv", cores: cores, devices: devices),
                                                      host: host)
        XCTAssertEqual(platform.mmio.map(\.device.name), ["mswi", "mtimer", "sswi"])
        let aclint = try XCTUnwrap(platform.aclint)
        XCTAssertTrue(platform.mmio[0].device === aclint.mswi)
        XCTAssertTrue(platform.mmio[1].device === aclint.mtimer)
        XCTAssertEqual(aclint.timebaseFrequency, 10_000_000)
        host.time = [7, 9]
        XCTAssertEqual(platform.mmio[1].device.read(offset: 0x7FF8, size: 8, cpu: 1), 9)
        _ = platform.mmio[2].device.write(offset: 4, size: 4, value: 1, cpu: 0)
        XCTAssertEqual(host.lines[1]?[1], true)
    }

    func assertBuildError(_ devices: [DeviceSpec], harts: Int = 2, _ expected: String,
                          file: StaticString = #filePath, line: UInt = #line) {
        let cores = (0..<harts).map { _ in Self.hart(modes: Self.fullModes) }
        XCTAssertThrowsError(try RISCVPlatformDevices.build(machine: Self.machine("virt-riscv", cores: cores, devices: devices),
                                                            host: DeviceTestHost(cores: harts)),
                             file: file, line: line) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("cpu-profiles/machines/virt-riscv.toml: device "), text, file: file, line: line)
            XCTAssertTrue(text.contains(expected), text, file: file, line: line)
            XCTAssertFalse(text.contains("\n"), file: file, line: line)
        }
    }

    func testBadDeviceListsNameTheFileAndDevice() {
        let virt = Self.virtDevices
        assertBuildError(virt + [deviceSpec("eth", kind: "smsc911x", regions: [Self.region("eth", 0x1A00_0000, 0x1000)])],
                         "device 'eth': unknown kind 'smsc911x'")
        assertBuildError(virt + [deviceSpec("plic2", kind: "plic", regions: [Self.region("p", 0xD00_0000, 0x60_0000)],
                                            properties: [("sources", 8)])],
                         "device 'plic2': a second 'plic' device (the machine already has 'plic')")
        assertBuildError([deviceSpec("plic", kind: "plic", regions: [Self.region("plic", 0xC00_0000, 0x60_0000)])],
                         "device 'plic': property 'sources' is required")
        assertBuildError([deviceSpec("plic", kind: "plic", regions: [Self.region("plic", 0xC00_0000, 0x60_0000)],
                                     properties: [("sources", 1024)])],
                         "property 'sources' = 1024: expected 1–1023")
        assertBuildError([deviceSpec("plic", kind: "plic", regions: [Self.region("plic", 0xC00_0000, 0x60_0000)],
                                     properties: [("sources", 8), ("max-priority", 7), ("priority-bits", 2)])],
                         "properties 'max-priority' = 7 and 'priority-bits' = 2 disagree")
        assertBuildError([deviceSpec("plic", kind: "plic", regions: [Self.region("plic", 0xC00_0000, 0x60_0000)],
                                     properties: [("sources", 8), ("max-priority", 0)])],
                         "property 'max-priority' = 0: expected 1–4294967295")
        assertBuildError([deviceSpec("plic", kind: "plic", regions: [Self.region("plic", 0xC00_0000, 0x20_1000)],
                                     properties: [("sources", 8)])],
                         "region 'plic' is 0x201000 bytes; a plic needs at least 0x204000")
        assertBuildError([deviceSpec("uart0", kind: "ns16550a", regions: [Self.region("uart0", 0x1000_0000, 0x100)],
                                     interrupts: [10])],
                         "device 'uart0': interrupt 10 given but the machine has no plic")
        assertBuildError(virt.map { spec in
            spec.kind == "ns16550a"
                ? deviceSpec("uart0", kind: "ns16550a", regions: spec.regions, interrupts: [96]) : spec
        }, "device 'uart0': interrupt 96 is not a source of the PLIC (1–95)")
        assertBuildError(virt + [deviceSpec("mswi", kind: "aclint-mswi", regions: [Self.region("mswi", 0x300_0000, 0x4000)])],
                         "device 'mswi': an 'aclint-mswi' next to the clint 'clint'")
        assertBuildError([deviceSpec("clint", kind: "clint", regions: [Self.region("clint", 0x200_0000, 0x8000)])],
                         "region 'clint' is 0x8000 bytes; a clint needs at least 0xc000")
        assertBuildError([deviceSpec("clint", kind: "clint", regions: [Self.region("clint", 0x200_0000, 0x1_0000)],
                                     properties: [("timebase", 0)])],
                         "property 'timebase' must be at least 1")
        assertBuildError([deviceSpec("test", kind: "sifive-test", regions: [Self.region("test", 0x10_0000, 0x1000)],
                                     interrupts: [3])],
                         "device 'test': a sifive-test takes no 'interrupts'")
        assertBuildError([deviceSpec("test", kind: "sifive-test", regions: [])],
                         "a sifive-test has exactly one region, got 0")
        assertBuildError([deviceSpec("test", kind: "sifive-test", regions: [Self.region("test", 0x10_0000, 0)])],
                         "region 'test' has size 0")
    }
}
