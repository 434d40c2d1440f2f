import Profiles

/// The flattened device tree of a RISC-V machine, as QEMU's `virt` board writes it
/// (`hw/riscv/virt.c`, `create_fdt` and the `create_fdt_*` helpers, QEMU 7.2) for the devices
/// hetboot models: root, `/chosen`, `/poweroff` and `/reboot`, `/memory@…`, `/cpus` with one
/// `cpu@N` per hart, its `interrupt-controller` and the `cpu-map`, and `/soc` with the UARTs,
/// the test finisher, the PLIC and the CLINT.
///
/// Nodes, properties and phandle numbers come in the order QEMU's blob has them, so a
/// `dtc -I dtb -O dts` of both trees compares line by line.
///
/// Where the harts differ from QEMU's (which are all alike), the tree says what real SiFive
/// device trees say: a hart without S-mode has no `mmu-type` and `status = "disabled"` (the
/// FU540's E51 and FU740's S7 monitor harts; OpenSBI parks such harts), and only an M-mode
/// PLIC context.
public enum RISCVDeviceTree {
    public static let compatible = "riscv-virtio"
    public static let model = "riscv-virtio,qemu"
    /// QEMU's ns16550a input clock (`create_fdt_uart`).
    static let ns16550Clock: UInt32 = 3_686_400

    /// Interrupt numbers, the bits of mip (privileged spec 20211203 §3.1.9), as `riscv,cpu-intc`
    /// cells.
    static let machineSoftware: UInt32 = 3
    static let machineTimer: UInt32 = 7
    static let supervisorExternal: UInt32 = 9
    static let machineExternal: UInt32 = 11

    /// sifive_test finisher values (`hw/misc/sifive_test.c`): pass = power off, reset.
    static let finisherPass: UInt32 = 0x5555
    static let finisherReset: UInt32 = 0x7777

    /// The blob for `machine`; `bootargs` becomes `/chosen/bootargs` when not empty (QEMU
    /// leaves out an empty command line). Throws `ProfileError` for a machine the tree cannot
    /// describe, `DeviceTreeError` if libfdt fails.
    public static func build(machine: MachineDescription, bootargs: String?) throws -> [UInt8] {
        let plan = try RISCVDeviceTreePlan(machine)
        let fdt = try DeviceTreeBuilder()

        // Phandles in QEMU's order: harts from the last to the first (cpu, then its
        // interrupt controller), then the PLIC, then the test finisher.
        var cpuHandles = [Phandle?](repeating: nil, count: plan.harts.count)
        var intcHandles = [Phandle?](repeating: nil, count: plan.harts.count)
        for i in plan.harts.indices.reversed() {
            cpuHandles[i] = try fdt.allocatePhandle()
            intcHandles[i] = try fdt.allocatePhandle()
        }
        let cpus = cpuHandles.compactMap { $0 }
        let intcs = intcHandles.compactMap { $0 }
        let plic = plan.plic == nil ? nil : try fdt.allocatePhandle()
        var tests: [Phandle] = []
        for _ in plan.tests { tests.append(try fdt.allocatePhandle()) }

        try fdt.beginNode("")
        try fdt.property("#address-cells", u32: 2)
        try fdt.property("#size-cells", u32: 2)
        // A board the machine file names (`[device-tree]`, e.g. fu740) instead of QEMU virt.
        try fdt.property("compatible", strings: machine.deviceTreeRoot?.compatible ?? [compatible])
        try fdt.property("model", string: machine.deviceTreeRoot?.model ?? model)

        try fdt.beginNode("chosen")
        if let bootargs, !bootargs.isEmpty { try fdt.property("bootargs", string: bootargs) }
        if let uart = plan.uarts.first {
            try fdt.property("stdout-path", string: "/soc/" + RISCVDeviceTreePlan.nodeName(uart))
        }
        try fdt.endNode()

        if let test = tests.first {
            try syscon(fdt, "poweroff", compatible: "syscon-poweroff", regmap: test, value: finisherPass)
            try syscon(fdt, "reboot", compatible: "syscon-reboot", regmap: test, value: finisherReset)
        }

        for region in machine.ram {
            try fdt.beginNode("memory@\(String(region.base, radix: 16))")
            try fdt.property("device_type", string: "memory")
            try fdt.reg([(region.base, region.size)])
            try fdt.endNode()
        }

        try cpusNode(fdt, plan, cpus: cpus, intcs: intcs)

        try fdt.beginNode("soc")
        try fdt.property("#address-cells", u32: 2)
        try fdt.property("#size-cells", u32: 2)
        try fdt.property("compatible", string: "simple-bus")
        try fdt.property("ranges")
        for uart in plan.uarts { try uartNode(fdt, uart, plic: plic) }
        for (test, handle) in zip(plan.tests, tests) {
            try fdt.beginNode(RISCVDeviceTreePlan.nodeName(test))
            try fdt.phandle(handle)
            try fdt.reg(regions(test))
            try fdt.property("compatible", strings: ["sifive,test1", "sifive,test0", "syscon"])
            try fdt.endNode()
        }
        if let device = plan.plic, let plic {
            try plicNode(fdt, plan, device, handle: plic, intcs: intcs)
        }
        if let sswi = plan.sswi {
            try aclintNodes(fdt, plan, sswi: sswi, intcs: intcs)
        } else {
            try clintNode(fdt, plan, intcs: intcs)
        }
        try fdt.endNode()   // soc

        try fdt.endNode()   // root
        return try fdt.finish()
    }

    /// `/cpus`: timebase, one `cpu@hartid` per hart with its local interrupt controller, and
    /// the topology (`cpu-map`, Linux `Documentation/devicetree/bindings/cpu/cpu-topology.txt`).
    private static func cpusNode(_ fdt: DeviceTreeBuilder, _ plan: RISCVDeviceTreePlan,
                                 cpus: [Phandle], intcs: [Phandle]) throws {
        try fdt.beginNode("cpus")
        try fdt.property("#address-cells", u32: 1)
        try fdt.property("#size-cells", u32: 0)
        // Devicetree Specification v0.4 §3.7-3.8: u32, or u64 when the frequency does not fit.
        if plan.timebase <= UInt64(UInt32.max) {
            try fdt.property("timebase-frequency", u32: UInt32(plan.timebase))
        } else {
            try fdt.property("timebase-frequency", u64: plan.timebase)
        }
        for (hart, (cpu, intc)) in zip(plan.harts, zip(cpus, intcs)) {
            try fdt.beginNode("cpu@\(String(hart.hartID, radix: 16))")
            try fdt.phandle(cpu)
            try fdt.property("device_type", string: "cpu")
            try fdt.reg([(hart.hartID, 0)])
            try fdt.property("status", string: hart.hasSupervisor ? "okay" : "disabled")
            try fdt.property("compatible", string: "riscv")
            try fdt.property("riscv,isa", string: hart.isa)
            if let mmu = hart.mmuType { try fdt.property("mmu-type", string: mmu) }
            try fdt.beginNode("interrupt-controller")
            try fdt.property("#interrupt-cells", u32: 1)
            try fdt.property("interrupt-controller")
            try fdt.property("compatible", string: "riscv,cpu-intc")
            try fdt.phandle(intc)
            try fdt.endNode()
            try fdt.endNode()
        }
        try fdt.beginNode("cpu-map")
        let clusters = Array(Set(plan.harts.map(\.cluster))).sorted()
        for cluster in clusters {
            try fdt.beginNode("cluster\(cluster)")
            for (hart, cpu) in zip(plan.harts, cpus) where hart.cluster == cluster {
                try fdt.beginNode("core\(hart.coreInCluster)")
                try fdt.property("cpu", u32: cpu.value)
                try fdt.endNode()
            }
            try fdt.endNode()
        }
        try fdt.endNode()   // cpu-map
        try fdt.endNode()   // cpus
    }

    /// ns16550a (QEMU virt's UART0) or SiFive UART. The SiFive UART's `clocks` reference to the
    /// PRCI (QEMU `sifive_u`) is left out: hetboot models no clock controller.
    private static func uartNode(_ fdt: DeviceTreeBuilder, _ uart: RISCVDeviceTreePlan.Device,
                                 plic: Phandle?) throws {
        try fdt.beginNode(RISCVDeviceTreePlan.nodeName(uart))
        if let plic, !uart.spec.interrupts.isEmpty {
            try fdt.property("interrupts", cells: uart.spec.interrupts.map { UInt32($0) })
            try fdt.property("interrupt-parent", u32: plic.value)
        }
        if uart.spec.kind == "ns16550a" {
            try fdt.property("clock-frequency", u32: ns16550Clock)
        }
        try fdt.reg(regions(uart))
        try fdt.property("compatible", strings: compatibles(uart, uart.spec.kind == "ns16550a" ? ["ns16550a"] : ["sifive,uart0"]))
        try fdt.endNode()
    }

    /// The PLIC has two contexts per hart with S-mode (M = external interrupt 11, S = 9) and one
    /// for a hart without (M only), in hart order — the layout the PLIC model gives its
    /// contexts, which Linux's driver reads from this list (`drivers/irqchip/irq-sifive-plic.c`).
    private static func plicNode(_ fdt: DeviceTreeBuilder, _ plan: RISCVDeviceTreePlan,
                                 _ device: RISCVDeviceTreePlan.Device, handle: Phandle,
                                 intcs: [Phandle]) throws {
        var contexts: [InterruptSpecifier] = []
        for (hart, intc) in zip(plan.harts, intcs) {
            contexts.append(InterruptSpecifier(controller: intc, cells: [machineExternal]))
            if hart.hasSupervisor {
                contexts.append(InterruptSpecifier(controller: intc, cells: [supervisorExternal]))
            }
        }
        try fdt.beginNode(RISCVDeviceTreePlan.nodeName(device))
        try fdt.phandle(handle)
        try fdt.property("riscv,ndev", u32: UInt32(plan.plicSources))
        try fdt.reg(regions(device))
        try fdt.interruptsExtended(contexts)
        try fdt.property("interrupt-controller")
        try fdt.property("compatible", strings: compatibles(device, ["sifive,plic-1.0.0", "riscv,plic0"]))
        try fdt.property("#address-cells", u32: 0)
        try fdt.property("#interrupt-cells", u32: 1)
        try fdt.endNode()
    }

    /// The CLINT raises each hart's machine software (3) and machine timer (7) interrupts.
    private static func clintNode(_ fdt: DeviceTreeBuilder, _ plan: RISCVDeviceTreePlan,
                                  intcs: [Phandle]) throws {
        let lines = intcs.flatMap {
            [InterruptSpecifier(controller: $0, cells: [machineSoftware]),
             InterruptSpecifier(controller: $0, cells: [machineTimer])]
        }
        try fdt.beginNode(RISCVDeviceTreePlan.nodeName(plan.clint))
        try fdt.interruptsExtended(lines)
        try fdt.reg(regions(plan.clint))
        try fdt.property("compatible", strings: compatibles(plan.clint, ["sifive,clint0", "riscv,clint0"]))
        try fdt.endNode()
    }

    /// With an ACLINT SSWI (QEMU virt `aclint=on`) QEMU 7.2 describes the CLINT window as the
    /// ACLINT devices it is (`create_fdt_socket_aclint`): `mswi@…` (the first 16 KiB, machine
    /// software interrupts), `mtimer@…` (the rest: MTIME, then MTIMECMP) and `sswi@…`
    /// (supervisor software interrupts, 3 = IRQ_S_SOFT 1), in the blob in the reverse of the
    /// order QEMU creates them, properties as QEMU's blob has them.
    private static func aclintNodes(_ fdt: DeviceTreeBuilder, _ plan: RISCVDeviceTreePlan,
                                    sswi: RISCVDeviceTreePlan.Device, intcs: [Phandle]) throws {
        let swiSize: UInt64 = 0x4000          // RISCV_ACLINT_SWI_SIZE
        let mtimeOffset: UInt64 = 0x7FF8      // RISCV_ACLINT_DEFAULT_MTIME (from the MTIMER base)
        let supervisorSoftware: UInt32 = 1
        func lines(_ cause: UInt32) -> [InterruptSpecifier] {
            intcs.map { InterruptSpecifier(controller: $0, cells: [cause]) }
        }
        let clint = plan.clint.spec.regions[0]

        try fdt.beginNode(RISCVDeviceTreePlan.nodeName(sswi))
        try fdt.property("#interrupt-cells", u32: 0)
        try fdt.property("interrupt-controller")
        try fdt.interruptsExtended(lines(supervisorSoftware))
        try fdt.reg(regions(sswi))
        try fdt.property("compatible", string: "riscv,aclint-sswi")
        try fdt.endNode()

        let mtimer = clint.base &+ swiSize, mtimerSize = clint.size &- swiSize
        try fdt.beginNode("mtimer@\(String(mtimer, radix: 16))")
        try fdt.interruptsExtended(lines(machineTimer))
        try fdt.reg([(mtimer &+ mtimeOffset, mtimerSize &- mtimeOffset), (mtimer, mtimeOffset)])
        try fdt.property("compatible", string: "riscv,aclint-mtimer")
        try fdt.endNode()

        try fdt.beginNode("mswi@\(String(clint.base, radix: 16))")
        try fdt.property("#interrupt-cells", u32: 0)
        try fdt.property("interrupt-controller")
        try fdt.interruptsExtended(lines(machineSoftware))
        try fdt.reg([(clint.base, swiSize)])
        try fdt.property("compatible", string: "riscv,aclint-mswi")
        try fdt.endNode()
    }

    /// `/poweroff` or `/reboot`: a write of `value` at offset 0 of the test finisher
    /// (Linux `bindings/power/reset/syscon-poweroff.yaml`, `syscon-reboot.yaml`).
    private static func syscon(_ fdt: DeviceTreeBuilder, _ name: String, compatible: String,
                               regmap: Phandle, value: UInt32) throws {
        try fdt.beginNode(name)
        try fdt.property("value", u32: value)
        try fdt.property("offset", u32: 0)
        try fdt.property("regmap", u32: regmap.value)
        try fdt.property("compatible", string: compatible)
        try fdt.endNode()
    }

    /// The device's `compatible` from the machine file, else the model's usual list.
    private static func compatibles(_ device: RISCVDeviceTreePlan.Device, _ usual: [String]) -> [String] {
        device.spec.compatible.isEmpty ? usual : device.spec.compatible
    }

    private static func regions(_ device: RISCVDeviceTreePlan.Device) -> [(address: UInt64, size: UInt64)] {
        device.spec.regions.map { ($0.base, $0.size) }
    }
}
