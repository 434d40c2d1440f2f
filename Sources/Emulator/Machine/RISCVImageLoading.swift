import Images

extension RISCVMachine {
    /// Bytes of the mask ROM that QEMU's reset vector (10 words) and fw_dynamic_info (six
    /// doublewords) take (`hw/riscv/boot.c` riscv_setup_rom_reset_vec, riscv_rom_copy_firmware_info).
    static let resetVectorAndInfoSize: UInt64 = 0x28 + 48

    /// Check `image` against the machine (RISC-V, 64-bit, little-endian, every segment in the
    /// main RAM), copy its segments, take its symbols, and start the harts. With `--bios FILE`
    /// the firmware is loaded first and `image` is its payload (QEMU's `-bios FILE -kernel
    /// IMAGE`): every hart starts in the firmware, which finds the payload's entry in
    /// fw_dynamic_info.
    public func load(_ image: LoadedImage) throws {
        let rom = spec.devices.first(where: { $0.kind == "mrom" })?.regions.first
        var firmware: RISCVFirmwareImage?
        if case .file(let path) = spec.boot.firmware {
            firmware = try RISCVFirmwareImage.load(path: path, machine: self)
        }
        try image.check(machine: .riscv, is64Bit: true, ram: [(base: ram.base, size: ram.size)],
                        machineName: spec.name)
        if let firmware {
            // QEMU's riscv_load_kernel puts an ELF kernel at its own addresses whatever they
            // are; a payload on top of the firmware would be overwritten by it (or overwrite it).
            for (i, s) in image.segments.enumerated() where firmware.overlaps(s.physicalAddress, s.memorySize) {
                throw MachineError(file: image.path, message: "segment \(i) (\(Self.hex(s.physicalAddress))..\(Self.hex(s.physicalAddress &+ s.memorySize))) overlaps the firmware \(firmware.path); expected a payload linked clear of it (OpenSBI's fw_dynamic payloads start at 0x80200000)")
            }
            for segment in firmware.segments {
                ram.zero(at: segment.address, length: segment.memorySize)
                ram.load(segment.data, at: segment.address)
            }
        }
        for segment in image.segments {
            ram.zero(at: segment.physicalAddress, length: segment.memorySize)
            ram.load(segment.data, at: segment.physicalAddress)
        }
        let symbols = image.symbols
        if let firmware {
            let firmwareSymbols = firmware.symbols
            symbolize = { firmware.contains($0) ? firmwareSymbols.symbolize($0) : symbols.symbolize($0) }
        } else {
            symbolize = { symbols.symbolize($0) }
        }
        // QEMU's placement (hw/riscv/boot.c): the device tree at the end of DRAM (below 3 GiB),
        // aligned down to 2 MiB; fw_dynamic_info right after the 10-word reset vector in the
        // mask ROM (OpenSBI's fw_dynamic.h layout: magic, version 2, next_addr, next_mode = S,
        // options, boot_hart; riscv_rom_copy_firmware_info writes boot_hart = 0).
        var devices = spec
        devices.devices.removeAll { $0.kind == "mrom" }
        let tree = try RISCVDeviceTree.build(machine: devices, bootargs: nil)
        let top = min(ram.base &+ ram.size, ram.base < 0xC000_0000 ? 0xC000_0000 : .max)
        let treeAddress = (top &- UInt64(tree.count)) & ~(0x20_0000 - 1)
        let treeSize = UInt64(tree.count)
        guard treeAddress >= ram.base, ram.contains(treeAddress, length: treeSize),
              !image.segments.contains(where: { $0.physicalAddress < treeAddress &+ treeSize && treeAddress < $0.physicalAddress &+ $0.memorySize })
        else {
            throw MachineError(file: image.path, message: "the image overlaps where the device tree goes (\(Self.hex(treeAddress)))")
        }
        if let firmware, firmware.overlaps(treeAddress, treeSize) {
            throw MachineError(file: firmware.path, message: "the firmware overlaps where the device tree goes (\(Self.hex(treeAddress))..\(Self.hex(treeAddress &+ treeSize)))")
        }
        ram.load(tree, at: treeAddress)
        var info: UInt64 = 0
        if let rom, rom.size >= Self.resetVectorAndInfoSize {
            info = rom.base + 0x28
            for (i, v) in [0x4942_534F, 2, image.entry, 1, 0, 0].enumerated() {
                _ = bus.write(info + UInt64(8 * i), size: 8, value: v, cpu: 0)
            }
        }
        boot(entry: firmware?.entry ?? image.entry, deviceTree: treeAddress, dynamicInfo: info)
    }

    static func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
}
