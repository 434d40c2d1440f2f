import Images
import Profiles

extension ARMMachine {
    /// Check `image` against the machine (ARM, 32-bit, little-endian, every segment in the
    /// main RAM — the region instructions are fetched from), copy its segments to RAM
    /// (zero-filling each segment's tail), take its symbols for reports, and put the cores at
    /// the entry as the boot protocol says.
    public func load(_ image: LoadedImage) throws {
        try image.check(machine: .arm, is64Bit: false, ram: [(base: ram.base, size: ram.size)],
                        machineName: spec.name)
        for segment in image.segments {
            ram.zero(at: segment.physicalAddress, length: segment.memorySize)
            ram.load(segment.data, at: segment.physicalAddress)
        }
        try placeDeviceTree(below: image)
        let symbols = image.symbols
        symbolize = { symbols.symbolize($0) }
        boot(entry: UInt32(truncatingIfNeeded: image.entry))
    }

    /// A machine with a generated device tree (`[boot] device-tree`) gets it where QEMU puts it
    /// for an ELF image (hw/arm/boot.c `arm_setup_direct_kernel_boot`): at the RAM base when
    /// the image lies wholly above it (then the tree must end by the image's lowest address)
    /// or wholly below it; an image that covers the RAM base leaves no room and gets none. The
    /// guest finds it there by convention — nothing is passed in registers.
    func placeDeviceTree(below image: LoadedImage) throws {
        guard let blob = try ARMDeviceTree.build(machine: spec) else { return }
        let low = image.segments.map(\.physicalAddress).min() ?? 0
        let high = image.segments.map { $0.physicalAddress &+ $0.memorySize }.max() ?? 0
        let base = ram.base, size = UInt64(blob.count)
        let fits = (low >= base && low - base >= size) || high <= base
        guard fits, ram.contains(base, length: size) else { return }
        ram.load(blob, at: base)
        deviceTreeAddress = base
    }
}
