import Profiles

/// A RAM region other than the machine's main RAM (e.g. vexpress-a15's on-chip SRAM): plain
/// memory on the bus. Data accesses work as in RAM; instructions are fetched from the main RAM
/// only (a fetch from here takes a prefetch abort, noted as a finding).
final class RAMDevice: MMIODevice {
    let name: String
    private var bytes: [UInt8]

    init(region: MemoryRegion) {
        name = region.name
        bytes = Array(repeating: 0, count: Int(min(region.size, 1 << 30)))
    }

    func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard offset <= UInt64(bytes.count), UInt64(size) <= UInt64(bytes.count) - offset else { return nil }
        var v: UInt64 = 0
        for i in 0..<size { v |= UInt64(bytes[Int(offset) + i]) << UInt64(8 * i) }
        return v
    }

    func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard offset <= UInt64(bytes.count), UInt64(size) <= UInt64(bytes.count) - offset else { return false }
        for i in 0..<size { bytes[Int(offset) + i] = UInt8(truncatingIfNeeded: value >> UInt64(8 * i)) }
        return true
    }
}
