import Profiles

/// The flattened device tree of an ARM machine whose `[boot] device-tree` asks for one, as
/// QEMU's arm `virt` board writes it (`hw/arm/virt.c`, `create_fdt` and the `fdt_add_*` /
/// `create_*` helpers, QEMU 7.2) for the devices hetboot models: root, `/psci` (when the
/// machine's firmware answers PSCI), `/memory@…`, the PL011 UARTs, the GICv2 (`/intc@…`),
/// `/cpus` with the `cpu-map`, the generic timer, the APB clock the UARTs name, and `/chosen`.
///
/// Nodes, properties and phandles come in the order of QEMU's blob (libfdt inserts each new
/// node and property in front of the earlier ones, so QEMU's blob lists them in reverse of
/// creation), so `dtc -I dtb -O dts` of both trees compares line by line for these nodes.
///
/// Left out, because hetboot does not model them (the machine file lists them): flash,
/// platform bus, fw_cfg, virtio-mmio, PL061 and gpio-keys, PCIe, PL031, the GICv2m frame, the
/// empty `/pmu` node QEMU writes for 32-bit cores, and `/chosen`'s
/// `rng-seed` and `kaslr-seed` (random in QEMU, so never deterministic).
public enum ARMDeviceTree {
    /// QEMU's arm boards allocate phandles from 0x8000 (`qemu_fdt_alloc_phandle`).
    static let firstPhandle: UInt32 = 0x8000
    /// The PL011's APB clock (virt.c `create_fdt`: "clk24mhz").
    static let apbClock: UInt32 = 24_000_000
    /// GIC interrupt specifier cells (Linux `bindings/interrupt-controller/arm,gic.yaml`).
    static let spiType: UInt32 = 0, ppiType: UInt32 = 1
    static let levelHigh: UInt32 = 4
    /// PSCI 0.2 function IDs QEMU lists for a 32-bit core (virt.c `fdt_add_psci_node`).
    static let psciCPUSuspend: UInt32 = 0x8400_0001, psciCPUOff: UInt32 = 0x8400_0002
    static let psciCPUOn: UInt32 = 0x8400_0003, psciMigrate: UInt32 = 0x8400_0005

    /// QEMU creates its tree with 1 MiB of room (`device_tree.c` `create_device_tree`,
    /// FDT_MAX_SIZE) and keeps that size; the blob is padded the same way, so that whether it
    /// fits below an image is decided as QEMU decides it.
    public static let blobSize = 0x10_0000

    /// The blob for `machine`, or nil when the machine asks for none. Throws `ProfileError`
    /// for a machine the tree cannot describe, `DeviceTreeError` if libfdt fails.
    public static func build(machine: MachineDescription) throws -> [UInt8]? {
        guard let rootCompatible = machine.boot.deviceTree else { return nil }
        func missing(_ key: String, _ message: String) -> ProfileError {
            ProfileError(file: machine.file, key: key, message: message)
        }
        guard let gic = machine.device(kind: "gic-v2"),
              let gicd = gic.regions.first(where: { $0.name == "gicd" }),
              let gicc = gic.regions.first(where: { $0.name == "gicc" }) else {
            throw missing("boot.device-tree", "the device tree needs a gic-v2 device with 'gicd' and 'gicc' regions")
        }
        for (i, slot) in machine.cores.enumerated() where slot.profile.compatible == nil {
            throw ProfileError(file: slot.profile.file, key: "compatible",
                               message: "missing; \(machine.name) generates a device tree and CPU \(i)'s /cpus node needs it (e.g. \"arm,cortex-a15\")")
        }
        let uarts = machine.devices.filter { $0.kind == "pl011" }
        let timer = machine.device(kind: "generic-timer")

        let fdt = try DeviceTreeBuilder(firstPhandle: firstPhandle)
        // Phandles in QEMU's order: the clock, the CPUs from the last to the first, the GIC.
        let clock = try fdt.allocatePhandle()
        var cpuHandles: [Phandle] = []
        for _ in machine.cores { cpuHandles.append(try fdt.allocatePhandle()) }
        cpuHandles.reverse()
        let intc = try fdt.allocatePhandle()

        try fdt.beginNode("")
        try fdt.property("interrupt-parent", u32: intc.value)
        try fdt.property("model", string: rootCompatible)
        try fdt.property("#size-cells", u32: 2)
        try fdt.property("#address-cells", u32: 2)
        try fdt.property("compatible", string: rootCompatible)

        if machine.boot.psciConduit != .none {
            try fdt.beginNode("psci")
            try fdt.property("migrate", u32: psciMigrate)
            try fdt.property("cpu_on", u32: psciCPUOn)
            try fdt.property("cpu_off", u32: psciCPUOff)
            try fdt.property("cpu_suspend", u32: psciCPUSuspend)
            try fdt.property("method", string: machine.boot.psciConduit.rawValue)
            // PSCI 1.1, as the firmware model reports (Firmware/PSCI.swift) and QEMU 7.2 does.
            try fdt.property("compatible", strings: ["arm,psci-1.0", "arm,psci-0.2", "arm,psci"])
            try fdt.endNode()
        }

        for region in machine.ram {
            try fdt.beginNode("memory@\(String(region.base, radix: 16))")
            try fdt.reg([(region.base, region.size)])
            try fdt.property("device_type", string: "memory")
            try fdt.endNode()
        }

        for uart in uarts {
            guard let region = uart.regions.first else { continue }
            try fdt.beginNode(nodeName("pl011", region))
            try fdt.property("clock-names", strings: ["uartclk", "apb_pclk"])
            try fdt.property("clocks", cells: [clock.value, clock.value])
            if let id = uart.interrupts.first {
                try fdt.property("interrupts", cells: [spiType, UInt32(truncatingIfNeeded: id &- 32), levelHigh])
            }
            try fdt.reg([(region.base, region.size)])
            try fdt.property("compatible", strings: ["arm,pl011", "arm,primecell"])
            try fdt.endNode()
        }

        try fdt.beginNode(nodeName("intc", gicd))
        try fdt.phandle(intc)
        // With the Virtualization Extensions (cores with EL2), QEMU adds the GICH and GICV
        // windows to `reg` and the maintenance PPI, with flags level-high and no CPU mask
        // (virt.c create_gic / fdt_add_gic_node: ARCH_GIC_MAINT_IRQ, GIC_FDT_IRQ_FLAGS_LEVEL_HI).
        var gicRegions = [(gicd.base, gicd.size), (gicc.base, gicc.size)]
        if machine.cores.allSatisfy({ $0.profile.features.virtualization }),
           let gich = gic.regions.first(where: { $0.name == "gich" }),
           let gicv = gic.regions.first(where: { $0.name == "gicv" }) {
            if let maintenance = gic.interrupts.first {
                try fdt.property("interrupts", cells: [ppiType, UInt32(truncatingIfNeeded: maintenance &- 16), levelHigh])
            }
            gicRegions += [(gich.base, gich.size), (gicv.base, gicv.size)]
        }
        try fdt.reg(gicRegions)
        try fdt.property("compatible", string: "arm,cortex-a15-gic")
        try fdt.property("ranges")
        try fdt.property("#size-cells", u32: 2)
        try fdt.property("#address-cells", u32: 2)
        try fdt.property("interrupt-controller")
        try fdt.property("#interrupt-cells", u32: 3)
        try fdt.endNode()

        try cpusNode(fdt, machine, cpus: cpuHandles)

        if let timer, timer.interrupts.count == 4 {
            // Each PPI's flags carry the mask of CPUs it goes to (bindings/timer/arm,arch_timer.yaml;
            // virt.c fdt_add_timer_nodes, GIC_FDT_IRQ_PPI_CPU_START 8).
            let cpuMask = UInt32(truncatingIfNeeded: (1 << min(machine.cores.count, 8)) - 1)
            let flags = cpuMask << 8 | levelHigh
            try fdt.beginNode("timer")
            try fdt.property("interrupts", cells: timer.interrupts.flatMap {
                [ppiType, UInt32(truncatingIfNeeded: $0 &- 16), flags]
            })
            try fdt.property("always-on")
            try fdt.property("compatible", string: "arm,armv7-timer")
            try fdt.endNode()
        }

        try fdt.beginNode("apb-pclk")
        try fdt.phandle(clock)
        try fdt.property("clock-output-names", string: "clk24mhz")
        try fdt.property("clock-frequency", u32: apbClock)
        try fdt.property("#clock-cells", u32: 0)
        try fdt.property("compatible", string: "fixed-clock")
        try fdt.endNode()

        try fdt.beginNode("chosen")
        if let uart = uarts.first?.regions.first {
            try fdt.property("stdout-path", string: "/" + nodeName("pl011", uart))
        }
        try fdt.endNode()

        try fdt.endNode()   // root
        return try fdt.finish(totalSize: blobSize)
    }

    /// `/cpus`: the topology (Linux `bindings/cpu/cpu-topology.txt`: one socket, a cluster per
    /// MPIDR Aff1) and one `cpu@N` per core, N its index, `reg` its MPIDR affinity (virt.c
    /// `fdt_add_cpu_nodes`). `enable-method = "psci"` whenever there are secondaries to start —
    /// also with `secure=on`, where the guest's own EL3 firmware is expected to answer PSCI
    /// (QEMU 7.2's dumped tree has it there too).
    private static func cpusNode(_ fdt: DeviceTreeBuilder, _ machine: MachineDescription, cpus: [Phandle]) throws {
        try fdt.beginNode("cpus")
        try fdt.property("#size-cells", u32: 0)
        try fdt.property("#address-cells", u32: 1)
        try fdt.beginNode("cpu-map")
        try fdt.beginNode("socket0")
        let clusters = Array(Set(machine.cores.map(\.cluster))).sorted()
        for cluster in clusters {
            try fdt.beginNode("cluster\(cluster)")
            var core = 0
            for (slot, handle) in zip(machine.cores, cpus) where slot.cluster == cluster {
                try fdt.beginNode("core\(core)")
                try fdt.property("cpu", u32: handle.value)
                try fdt.endNode()
                core += 1
            }
            try fdt.endNode()
        }
        try fdt.endNode()   // socket0
        try fdt.endNode()   // cpu-map
        let psci = machine.cores.count > 1
        for (i, (slot, handle)) in zip(machine.cores, cpus).enumerated() {
            try fdt.beginNode("cpu@\(i)")
            try fdt.phandle(handle)
            try fdt.property("reg", u32: UInt32(truncatingIfNeeded: slot.mpidr) & 0xFF_FFFF)
            if psci { try fdt.property("enable-method", string: "psci") }
            try fdt.property("compatible", string: slot.profile.compatible ?? "")
            try fdt.property("device_type", string: "cpu")
            try fdt.endNode()
        }
        try fdt.endNode()   // cpus
    }

    /// `name@unit-address`, the address in lower-case hex without leading zeros.
    static func nodeName(_ name: String, _ region: MemoryRegion) -> String {
        "\(name)@\(String(region.base, radix: 16))"
    }
}
