import Foundation
import Profiles

/// A RAM region other than the machine's main RAM (e.g. vexpress-a15's on-chip SRAM): plain
/// memory on the bus. Data accesses work as in RAM; instructions are fetched from the main RAM
/// only (a fetch from here takes a prefetch abort, noted as a finding).
final class RAMDevice: MMIODevice {
    let name: String
    private let bytes: UnsafeMutablePointer<UInt8>
    private let count: Int

    init(region: MemoryRegion) {
        name = region.name
        count = Int(min(region.size, 1 << 30))
        // As the main RAM: zeroed pages come from the kernel when first touched, so a machine
        // with 32 MiB of SRAM it never uses starts as fast as one without (an eagerly zeroed
        // array cost more than the whole of a short boot).
        let p = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        precondition(p != MAP_FAILED, "cannot reserve \(count) bytes for RAM region \(region.name)")
        bytes = p!.assumingMemoryBound(to: UInt8.self)
    }

    deinit { munmap(bytes, count) }

    func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard offset <= UInt64(count), UInt64(size) <= UInt64(count) - offset else { return nil }
        var v: UInt64 = 0
        for i in 0..<size { v |= UInt64(bytes[Int(offset) + i]) << UInt64(8 * i) }
        return v
    }

    func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard offset <= UInt64(count), UInt64(size) <= UInt64(count) - offset else { return false }
        for i in 0..<size { bytes[Int(offset) + i] = UInt8(truncatingIfNeeded: value >> UInt64(8 * i)) }
        return true
    }
}
