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
        let symbols = image.symbols
        symbolize = { symbols.symbolize($0) }
        boot(entry: UInt32(truncatingIfNeeded: image.entry))
    }
}
