import Images

/// The M-mode firmware given with `--bios FILE`, as QEMU 7.2 takes `-bios FILE`
/// (`hw/riscv/boot.c` riscv_load_firmware): an ELF executable is loaded at its segments'
/// physical addresses (which must lie in the machine's main RAM) and entered at e_entry; any
/// other file is a raw image placed at the base of RAM and entered there (`firmware_load_addr`,
/// the DRAM base on virt and sifive_u).
///
/// hetboot tells the two apart by the ELF magic. A file without it is taken as a raw image only
/// when its name ends in `.bin`, as Debian ships `fw_dynamic.bin`: QEMU would load a text file or
/// a truncated download as raw code, which helps nobody, so hetboot refuses it instead.
struct RISCVFirmwareImage {
    struct Segment {
        var address: UInt64
        var data: [UInt8]
        var memorySize: UInt64
    }

    var path: String
    var entry: UInt64
    var segments: [Segment]
    var symbols: SymbolTable

    static let expected = "expected an RV64 little-endian ELF executable or a raw firmware image named *.bin, as QEMU's -bios takes"

    /// Read and check the firmware for `machine`: an ELF's segments must lie in the main RAM
    /// (hetboot fetches instructions from there only; QEMU would also load an ELF into its ROM),
    /// a raw image must fit it.
    static func load(path: String, machine: RISCVMachine) throws -> RISCVFirmwareImage {
        let ram = machine.ram
        let name = machine.spec.name
        guard try RawImage.hasELFMagic(path: path) else {
            guard path.hasSuffix(".bin") else {
                throw ImageError(path: path, message: "not an ELF file (no \\x7fELF magic) and not named *.bin; \(expected)")
            }
            let data = try RawImage.load(path: path, maxSize: ram.size,
                                         limit: "the RAM of machine \(name)")
            return RISCVFirmwareImage(path: path, entry: ram.base,
                                      segments: [Segment(address: ram.base, data: data, memorySize: UInt64(data.count))],
                                      symbols: SymbolTable([]))
        }
        let image = try ImageLoader.load(path: path)
        try image.check(machine: .riscv, is64Bit: true, ram: [(base: ram.base, size: ram.size)], machineName: name)
        return RISCVFirmwareImage(path: path, entry: image.entry,
                                  segments: image.segments.map { Segment(address: $0.physicalAddress, data: $0.data, memorySize: $0.memorySize) },
                                  symbols: image.symbols)
    }

    /// Whether [address, address + size) meets one of the firmware's segments.
    func overlaps(_ address: UInt64, _ size: UInt64) -> Bool {
        segments.contains { address < $0.address &+ $0.memorySize && $0.address < address &+ size }
    }

    func contains(_ address: UInt64) -> Bool {
        segments.contains { address >= $0.address && address &- $0.address < $0.memorySize }
    }
}
