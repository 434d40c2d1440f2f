import XCTest
import Emulator
import Profiles

/// The tree of an FU740-like machine on QEMU virt's map: hart 0 a monitor hart without S-mode
/// or MMU, harts 1–4 application harts with Sv39.
final class RISCVDeviceTreeTests: XCTestCase {
    static func profile(_ name: String, isa: [String], modes: [String], mmu: [String]) -> CoreProfile {
        var features = Features()
        features.isaExtensions = isa
        features.privilegeModes = modes
        features.mmuModes = mmu
        return CoreProfile(name: name, architecture: .rv64, description: name, file: "\(name).toml",
                           inherits: [], idRegisters: [], systemRegisters: [], features: features,
                           caches: [])
    }

    static let application = profile("u74-like", isa: ["i", "m", "a", "f", "d", "c", "zicsr", "zifencei"],
                                      modes: ["m", "s", "u"], mmu: ["bare", "sv39"])
    static let monitor = profile("s7-like", isa: ["i", "m", "a", "c", "zicsr", "zifencei"],
                                 modes: ["m", "u"], mmu: ["bare"])

    static func device(_ name: String, _ kind: String, _ base: UInt64, _ size: UInt64,
                       interrupts: [Int] = [], properties: [(String, UInt64)] = []) -> DeviceSpec {
        DeviceSpec(name: name, kind: kind, regions: [MemoryRegion(name: name, base: base, size: size)],
                   interrupts: interrupts,
                   properties: properties.map { NamedValue(name: $0.0, value: $0.1) })
    }

    static let devices = [
        device("clint", "clint", 0x200_0000, 0x1_0000, properties: [("timebase", 1_000_000)]),
        device("plic", "plic", 0xC00_0000, 0x400_0000, properties: [("sources", 95)]),
        device("uart0", "ns16550a", 0x1000_0000, 0x100, interrupts: [10]),
        device("test", "sifive-test", 0x10_0000, 0x1000),
    ]

    static func machine(cores: [CoreSlot]? = nil, devices: [DeviceSpec] = devices,
                        architecture: Architecture = .rv64) -> MachineDescription {
        let harts = cores ?? [CoreSlot(profile: monitor, cluster: 0, mpidr: 0, clusterSize: 5)]
            + (1...4).map { CoreSlot(profile: application, cluster: 0, mpidr: UInt64($0), clusterSize: 5) }
        return MachineDescription(
            name: "virt-riscv", description: "test", file: "machines/virt-riscv.toml",
            architecture: architecture, cores: harts,
            ram: [MemoryRegion(name: "dram", base: 0x8000_0000, size: 0x4000_0000)],
            devices: devices,
            boot: BootProtocol(entryMode: .machine, security: .secure, secondaries: .allAtEntry,
                               psciConduit: .none, semihosting: false),
            options: [], smp: nil)
    }

    private var blob: [UInt8] = []

    override func setUpWithError() throws {
        blob = try RISCVDeviceTree.build(machine: Self.machine(), bootargs: "console=ttyS0 earlycon")
        try DeviceTree.validate(blob)
    }

    private func string(_ path: String, _ name: String) -> String? {
        DeviceTree.strings(blob, path: path, name: name)?.first
    }

    private func cells(_ path: String, _ name: String) -> [UInt32]? {
        DeviceTree.cells(blob, path: path, name: name)
    }

    func testRootAndSoc() {
        XCTAssertEqual(string("/", "compatible"), "riscv-virtio")
        XCTAssertEqual(string("/", "model"), "riscv-virtio,qemu")
        XCTAssertEqual(cells("/", "#address-cells"), [2])
        XCTAssertEqual(cells("/", "#size-cells"), [2])
        XCTAssertEqual(string("/soc", "compatible"), "simple-bus")
        XCTAssertEqual(DeviceTree.property(blob, path: "/soc", name: "ranges"), [])
    }

    func testHartISAStringsModesAndStatus() {
        XCTAssertEqual(string("/cpus/cpu@0", "riscv,isa"), "rv64imac_zicsr_zifencei")
        XCTAssertNil(DeviceTree.property(blob, path: "/cpus/cpu@0", name: "mmu-type"))
        XCTAssertEqual(string("/cpus/cpu@0", "status"), "disabled")
        for hart in 1...4 {
            let path = "/cpus/cpu@\(hart)"
            XCTAssertEqual(string(path, "riscv,isa"), "rv64imafdc_zicsr_zifencei")
            XCTAssertEqual(string(path, "mmu-type"), "riscv,sv39")
            XCTAssertEqual(string(path, "status"), "okay")
            XCTAssertEqual(string(path, "device_type"), "cpu")
            XCTAssertEqual(string(path, "compatible"), "riscv")
            XCTAssertEqual(cells(path, "reg"), [UInt32(hart)])
            XCTAssertEqual(string(path + "/interrupt-controller", "compatible"), "riscv,cpu-intc")
            XCTAssertEqual(cells(path + "/interrupt-controller", "#interrupt-cells"), [1])
            XCTAssertNotNil(DeviceTree.property(blob, path: path + "/interrupt-controller",
                                                name: "interrupt-controller"))
        }
        XCTAssertFalse(DeviceTree.hasNode(blob, path: "/cpus/cpu@5"))
    }

    func testTimebaseMemoryAndTopology() throws {
        XCTAssertEqual(cells("/cpus", "timebase-frequency"), [1_000_000])
        XCTAssertEqual(cells("/cpus", "#address-cells"), [1])
        XCTAssertEqual(cells("/cpus", "#size-cells"), [0])
        XCTAssertEqual(cells("/memory@80000000", "reg"), [0, 0x8000_0000, 0, 0x4000_0000])
        XCTAssertEqual(string("/memory@80000000", "device_type"), "memory")
        for hart in 0...4 {
            let cpu = try XCTUnwrap(cells("/cpus/cpu@\(hart)", "phandle"))
            XCTAssertEqual(cells("/cpus/cpu-map/cluster0/core\(hart)", "cpu"), cpu)
        }
    }

    func testPLICContextsFollowEachHartsModes() throws {
        let plic = "/soc/plic@c000000"
        let intc = try (0...4).map { try XCTUnwrap(cells("/cpus/cpu@\($0)/interrupt-controller", "phandle"))[0] }
        let contexts = try XCTUnwrap(cells(plic, "interrupts-extended"))
        // Hart 0: the M context only; harts 1–4: M then S.
        XCTAssertEqual(contexts.count, 2 + 4 * 4)
        var expected: [UInt32] = [intc[0], 11]
        for hart in 1...4 { expected += [intc[hart], 11, intc[hart], 9] }
        XCTAssertEqual(contexts, expected)
        XCTAssertEqual(cells(plic, "riscv,ndev"), [95])
        XCTAssertEqual(cells(plic, "reg"), [0, 0xC00_0000, 0, 0x400_0000])
        XCTAssertEqual(DeviceTree.strings(blob, path: plic, name: "compatible"),
                       ["sifive,plic-1.0.0", "riscv,plic0"])
        XCTAssertEqual(cells(plic, "#interrupt-cells"), [1])
        XCTAssertEqual(cells(plic, "#address-cells"), [0])
    }

    func testCLINTRaisesMachineSoftwareAndTimerOnEveryHart() throws {
        let clint = "/soc/clint@2000000"
        let lines = try XCTUnwrap(cells(clint, "interrupts-extended"))
        var expected: [UInt32] = []
        for hart in 0...4 {
            let intc = try XCTUnwrap(cells("/cpus/cpu@\(hart)/interrupt-controller", "phandle"))[0]
            expected += [intc, 3, intc, 7]
        }
        XCTAssertEqual(lines, expected)
        XCTAssertEqual(DeviceTree.strings(blob, path: clint, name: "compatible"),
                       ["sifive,clint0", "riscv,clint0"])
        XCTAssertEqual(cells(clint, "reg"), [0, 0x200_0000, 0, 0x1_0000])
    }

    func testUARTChosenAndTestFinisher() throws {
        let serial = "/soc/serial@10000000"
        let plic = try XCTUnwrap(cells("/soc/plic@c000000", "phandle"))
        XCTAssertEqual(string(serial, "compatible"), "ns16550a")
        XCTAssertEqual(cells(serial, "interrupts"), [10])
        XCTAssertEqual(cells(serial, "interrupt-parent"), plic)
        XCTAssertEqual(cells(serial, "clock-frequency"), [3_686_400])
        XCTAssertEqual(cells(serial, "reg"), [0, 0x1000_0000, 0, 0x100])
        XCTAssertEqual(string("/chosen", "stdout-path"), serial)
        XCTAssertEqual(string("/chosen", "bootargs"), "console=ttyS0 earlycon")

        let test = try XCTUnwrap(cells("/soc/test@100000", "phandle"))
        XCTAssertEqual(DeviceTree.strings(blob, path: "/soc/test@100000", name: "compatible"),
                       ["sifive,test1", "sifive,test0", "syscon"])
        XCTAssertEqual(cells("/poweroff", "regmap"), test)
        XCTAssertEqual(cells("/poweroff", "value"), [0x5555])
        XCTAssertEqual(string("/poweroff", "compatible"), "syscon-poweroff")
        XCTAssertEqual(cells("/reboot", "regmap"), test)
        XCTAssertEqual(cells("/reboot", "value"), [0x7777])
        XCTAssertEqual(cells("/reboot", "offset"), [0])
    }

    func testSiFiveUARTAndNoBootargs() throws {
        var devices = Self.devices
        devices.insert(Self.device("uart1", "sifive-uart", 0x1001_0000, 0x1000, interrupts: [39]), at: 0)
        let blob = try RISCVDeviceTree.build(machine: Self.machine(devices: devices), bootargs: nil)
        try DeviceTree.validate(blob)
        XCTAssertEqual(DeviceTree.strings(blob, path: "/soc/serial@10010000", name: "compatible"), ["sifive,uart0"])
        XCTAssertEqual(DeviceTree.cells(blob, path: "/soc/serial@10010000", name: "interrupts"), [39])
        XCTAssertEqual(DeviceTree.strings(blob, path: "/chosen", name: "stdout-path"), ["/soc/serial@10010000"])
        XCTAssertNil(DeviceTree.property(blob, path: "/chosen", name: "bootargs"))
    }

    func testSameMachineSameBytes() throws {
        let again = try RISCVDeviceTree.build(machine: Self.machine(), bootargs: "console=ttyS0 earlycon")
        XCTAssertEqual(again, blob)
    }

    func testHartIDsAboveNineAreHexUnitAddresses() throws {
        let cores = [CoreSlot(profile: Self.application, cluster: 0, mpidr: 0x1A, clusterSize: 1)]
        let blob = try RISCVDeviceTree.build(machine: Self.machine(cores: cores), bootargs: nil)
        XCTAssertEqual(DeviceTree.cells(blob, path: "/cpus/cpu@1a", name: "reg"), [0x1A])
    }

    // MARK: Machines the tree cannot describe

    private func assertProfileError(_ machine: MachineDescription, file: String = "machines/virt-riscv.toml",
                                    key: String, line: UInt = #line) {
        XCTAssertThrowsError(try RISCVDeviceTree.build(machine: machine, bootargs: nil), line: line) { error in
            guard let error = error as? ProfileError else {
                return XCTFail("expected a ProfileError, got \(error)", line: line)
            }
            XCTAssertEqual(error.file, file, line: line)
            XCTAssertEqual(error.key, key, "\(error)", line: line)
        }
    }

    func testMachineErrorsNameTheKey() {
        assertProfileError(Self.machine(architecture: .armv7a), key: "architecture")
        assertProfileError(Self.machine(devices: Array(Self.devices.dropFirst())), key: "devices")

        var devices = Self.devices
        devices[0] = Self.device("clint", "clint", 0x200_0000, 0x1_0000)
        assertProfileError(Self.machine(devices: devices), key: "devices[0].properties.timebase")

        devices = Self.devices
        devices[1] = Self.device("plic", "plic", 0xC00_0000, 0x400_0000)
        assertProfileError(Self.machine(devices: devices), key: "devices[1].properties.sources")

        for irq in [0, 96] {
            devices = Self.devices
            devices[2] = Self.device("uart0", "ns16550a", 0x1000_0000, 0x100, interrupts: [irq])
            assertProfileError(Self.machine(devices: devices), key: "devices[2].interrupts[0]")
        }

        devices = Self.devices
        devices.append(Self.device("gic", "gic-v2", 0x800_0000, 0x1000))
        assertProfileError(Self.machine(devices: devices), key: "devices[4].kind")

        devices = Self.devices
        devices.append(Self.device("clint1", "clint", 0x300_0000, 0x1_0000, properties: [("timebase", 1)]))
        assertProfileError(Self.machine(devices: devices), key: "devices[4].kind")

        devices = Self.devices
        devices.append(Self.device("uart1", "ns16550a", 0x1000_0000, 0x100))
        assertProfileError(Self.machine(devices: devices), key: "devices[4].regions[0].base")

        let twins = [CoreSlot(profile: Self.application, cluster: 0, mpidr: 1, clusterSize: 2),
                     CoreSlot(profile: Self.application, cluster: 0, mpidr: 1, clusterSize: 2)]
        assertProfileError(Self.machine(cores: twins), key: "cores[1]")

        let noBase = Self.profile("broken", isa: ["m", "a"], modes: ["m"], mmu: [])
        assertProfileError(Self.machine(cores: [CoreSlot(profile: noBase, cluster: 0, mpidr: 0, clusterSize: 1)]),
                           file: "broken.toml", key: "features.isa-extensions")
    }

    func testHartIDBeyondOneCellIsAnErrorNotATrap() {
        let cores = [CoreSlot(profile: Self.application, cluster: 0, mpidr: 1 << 32, clusterSize: 1)]
        XCTAssertThrowsError(try RISCVDeviceTree.build(machine: Self.machine(cores: cores), bootargs: nil)) { error in
            guard case DeviceTreeError.cellOverflow(let node, "reg", 1 << 32, 1)? = error as? DeviceTreeError else {
                return XCTFail("expected a reg cell overflow, got \(error)")
            }
            XCTAssertEqual(node, "/cpus/cpu@100000000")
        }
    }

    func testBootargsWithNULIsAnError() {
        XCTAssertThrowsError(try RISCVDeviceTree.build(machine: Self.machine(), bootargs: "a\u{0}b")) { error in
            XCTAssertTrue(error is DeviceTreeError, "\(error)")
        }
    }
}
