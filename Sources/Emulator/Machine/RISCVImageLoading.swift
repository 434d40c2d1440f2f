import Images

extension RISCVMachine {
    /// Check `image` against the machine (RISC-V, 64-bit, little-endian, every segment in the
    /// main RAM), copy its segments, take its symbols, and start the harts at the entry.
    public func load(_ image: LoadedImage) throws {
        try image.check(machine: .riscv, is64Bit: true, ram: [(base: ram.base, size: ram.size)],
                        machineName: spec.name)
        for segment in image.segments {
            ram.zero(at: segment.physicalAddress, length: segment.memorySize)
            ram.load(segment.data, at: segment.physicalAddress)
        }
        let symbols = image.symbols
        symbolize = { symbols.symbolize($0) }
        // QEMU's placement (hw/riscv/boot.c): the device tree at the end of DRAM (below 3 GiB),
        // aligned down to 2 MiB; fw_dynamic_info right after the 10-word reset vector in the
        // mask ROM (OpenSBI's fw_dynamic.h layout: magic, version 2, next_addr, next_mode = S,
        // options, boot_hart).
        var devices = spec
        devices.devices.removeAll { $0.kind == "mrom" }
        let tree = try RISCVDeviceTree.build(machine: devices, bootargs: nil)
        let top = min(ram.base &+ ram.size, ram.base < 0xC000_0000 ? 0xC000_0000 : .max)
        let treeAddress = (top &- UInt64(tree.count)) & ~(0x20_0000 - 1)
        guard treeAddress >= ram.base, ram.contains(treeAddress, length: UInt64(tree.count)),
              !image.segments.contains(where: { $0.physicalAddress < treeAddress &+ UInt64(tree.count) && treeAddress < $0.physicalAddress &+ $0.memorySize })
        else {
            throw MachineError(file: image.path, message: "the image overlaps where the device tree goes (0x\(String(treeAddress, radix: 16)))")
        }
        ram.load(tree, at: treeAddress)
        var info: UInt64 = 0
        if let rom = spec.devices.first(where: { $0.kind == "mrom" })?.regions.first, rom.size >= 0x28 + 48 {
            info = rom.base + 0x28
            for (i, v) in [0x4942_534F, 2, image.entry, 1, 0, 0].enumerated() {
                _ = bus.write(info + UInt64(8 * i), size: 8, value: v, cpu: 0)
            }
        }
        boot(entry: image.entry, deviceTree: treeAddress, dynamicInfo: info)
    }
}
