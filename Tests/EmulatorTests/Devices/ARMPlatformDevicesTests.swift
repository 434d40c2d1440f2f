import XCTest
import Emulator
import Profiles

final class ARMPlatformDevicesTests: XCTestCase {
    static func core(cluster: Int, cpu: Int, clusterSize: Int) -> CoreSlot {
        var features = Features()
        features.gicPriorityBits = 5
        let profile = CoreProfile(name: "test-core", architecture: .armv7a, description: "test",
                                  file: "test.toml", inherits: [], idRegisters: [],
                                  systemRegisters: [], features: features, caches: [])
        return CoreSlot(profile: profile, cluster: cluster,
                        mpidr: 0x8000_0000 | UInt64(cluster << 8 | cpu), clusterSize: clusterSize)
    }

    static func region(_ name: String, _ base: UInt64, _ size: UInt64 = 0x1000) -> MemoryRegion {
        MemoryRegion(name: name, base: base, size: size)
    }

    /// A TC2-like machine: 2 cores in cluster 0, 3 in cluster 1.
    static func machine(devices: [DeviceSpec]) -> MachineDescription {
        let cores = (0..<2).map { core(cluster: 0, cpu: $0, clusterSize: 2) }
            + (0..<3).map { core(cluster: 1, cpu: $0, clusterSize: 3) }
        return MachineDescription(
            name: "tc2", description: "test", file: "cpu-profiles/machines/tc2.toml",
            architecture: .armv7a, cores: cores,
            ram: [region("ram", 0x8000_0000, 0x4000_0000)], devices: devices,
            boot: BootProtocol(entryMode: .hyp, security: .nonSecure, secondaries: .sysFlagsPen,
                               psciConduit: .none, semihosting: false),
            options: [], smp: nil)
    }

    static let tc2Devices = [
        deviceSpec("uart0", kind: "pl011", regions: [region("uart0", 0x1C09_0000)], interrupts: [37]),
        deviceSpec("gic", kind: "gic-v2",
                   regions: [region("gicd", 0x2C00_1000), region("gicc", 0x2C00_2000, 0x2000)],
                   properties: [("spis", 160)]),
        deviceSpec("timer", kind: "generic-timer", interrupts: [29, 30, 27, 26],
                   properties: [("cntfrq", 24_000_000)]),
        deviceSpec("sysregs", kind: "ve-sysregs", regions: [region("sysregs", 0x1C01_0000)]),
        deviceSpec("scc", kind: "tc2-scc", regions: [region("scc", 0x7FFF_0000)]),
    ]

    func testBuildsATC2LikeMachine() throws {
        let host = DeviceTestHost(cores: 5)
        let platform = try ARMPlatformDevices.build(machine: Self.machine(devices: Self.tc2Devices), host: host)
        XCTAssertEqual(platform.mmio.map(\.region.name), ["uart0", "gicd", "gicc", "sysregs", "scc"])
        XCTAssertEqual(platform.mmio.map(\.device.name), ["uart0", "gicd", "gicc", "sysregs", "scc"])
        let gic = try XCTUnwrap(platform.gic)
        XCTAssertEqual(gic.cpuCount, 5)
        XCTAssertEqual(gic.interruptCount, 192)
        XCTAssertEqual(gic.distributor.read(offset: 4, size: 4, cpu: 0), 0x85)
        XCTAssertNotNil(platform.timer)
        XCTAssertNotNil(platform.sysRegs)
        XCTAssertEqual(platform.uarts.count, 1)
        let scc = try XCTUnwrap(platform.scc)
        XCTAssertEqual(scc.read(offset: 0x700, size: 4, cpu: 0), 0x0032_0000)
        XCTAssertEqual(scc.read(offset: 0x500, size: 4, cpu: 0), 1)

        // The UART is wired to SPI 37 of this GIC.
        _ = gic.distributor.write(offset: GICD.ctlr, size: 4, value: 1, cpu: 0)
        _ = gic.distributor.write(offset: GICD.isenabler + 4, size: 4, value: 1 << 5, cpu: 0)
        _ = gic.distributor.write(offset: GICD.itargetsr + 37, size: 1, value: 1 << 4, cpu: 0)
        _ = gic.cpuInterface.write(offset: GICC.ctlr, size: 4, value: 1, cpu: 4)
        _ = gic.cpuInterface.write(offset: GICC.pmr, size: 4, value: 0xF8, cpu: 4)
        let uart = platform.uarts[0]
        _ = uart.write(offset: 0x038, size: 4, value: 0x20, cpu: 0)
        _ = uart.write(offset: 0x000, size: 4, value: 0x41, cpu: 0)
        XCTAssertEqual(host.irq, [false, false, false, false, true])
    }

    func testUnknownKindNamesTheFileAndDevice() {
        let devices = Self.tc2Devices + [deviceSpec("eth", kind: "smsc911x", regions: [Self.region("eth", 0x1A00_0000)])]
        XCTAssertThrowsError(try ARMPlatformDevices.build(machine: Self.machine(devices: devices),
                                                          host: DeviceTestHost(cores: 5))) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("cpu-profiles/machines/tc2.toml: device 'eth': unknown kind 'smsc911x'"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }

    func testMalformedDevicesAreRejected() {
        let cases: [(DeviceSpec, String)] = [
            (deviceSpec("gic", kind: "gic-v2", regions: [Self.region("gicd", 0x2C00_1000)]), "exactly one 'gicd' and one 'gicc'"),
            (deviceSpec("gic", kind: "gic-v2", regions: [Self.region("gicd", 0), Self.region("gicc", 0x1000),
                                                         Self.region("gich", 0x4000)]), "needs both a 'gich' and a 'gicv' region"),
            (deviceSpec("gic", kind: "gic-v2", regions: [Self.region("gicd", 0), Self.region("gicc", 0x1000),
                                                         Self.region("gicx", 0x4000)]), "region 'gicx' is not modelled"),
            (deviceSpec("gic", kind: "gic-v2", regions: [Self.region("gicd", 0), Self.region("gicc", 0x1000)],
                        properties: [("priority-bits", 3)]), "'priority-bits' = 3"),
            (deviceSpec("gic", kind: "gic-v2", regions: [Self.region("gicd", 0), Self.region("gicc", 0x1000)],
                        properties: [("spis", 2000)]), "at most 988 SPIs"),
        ]
        for (spec, expected) in cases {
            XCTAssertThrowsError(try ARMPlatformDevices.build(machine: Self.machine(devices: [spec]),
                                                              host: DeviceTestHost(cores: 5))) { error in
                XCTAssertTrue(String(describing: error).contains(expected), String(describing: error))
            }
        }
        let withoutGIC = [deviceSpec("timer", kind: "generic-timer")]
        XCTAssertThrowsError(try ARMPlatformDevices.build(machine: Self.machine(devices: withoutGIC),
                                                          host: DeviceTestHost(cores: 5))) { error in
            XCTAssertTrue(String(describing: error).contains("needs a gic-v2"), String(describing: error))
        }
        var badTimer = Self.tc2Devices
        badTimer[2] = deviceSpec("timer", kind: "generic-timer", interrupts: [29, 30, 27, 40])
        XCTAssertThrowsError(try ARMPlatformDevices.build(machine: Self.machine(devices: badTimer),
                                                          host: DeviceTestHost(cores: 5))) { error in
            XCTAssertTrue(String(describing: error).contains("interrupt 40 is not a PPI"), String(describing: error))
        }
        var badUART = Self.tc2Devices
        badUART[0] = deviceSpec("uart0", kind: "pl011", regions: [Self.region("uart0", 0x1C09_0000)], interrupts: [500])
        XCTAssertThrowsError(try ARMPlatformDevices.build(machine: Self.machine(devices: badUART),
                                                          host: DeviceTestHost(cores: 5))) { error in
            XCTAssertTrue(String(describing: error).contains("interrupt 500 is not an SPI"), String(describing: error))
        }
        let twoSysRegs = Self.tc2Devices + [deviceSpec("sysregs2", kind: "ve-sysregs", regions: [Self.region("s", 0)])]
        XCTAssertThrowsError(try ARMPlatformDevices.build(machine: Self.machine(devices: twoSysRegs),
                                                          host: DeviceTestHost(cores: 5))) { error in
            XCTAssertTrue(String(describing: error).contains("a second 've-sysregs'"), String(describing: error))
        }
    }
}
