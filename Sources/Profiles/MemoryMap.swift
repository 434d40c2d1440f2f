/// Checks on a machine's physical memory map: every RAM and device region inside the
/// architecture's physical address space, and no two regions overlapping.
enum MemoryMap {
    struct Entry {
        var label: String
        var region: MemoryRegion
        var described: String {
            "\(label) \"\(region.name)\" (\(Hex.format(region.base))–\(Hex.format(region.base &+ region.size &- 1)))"
        }
    }

    static func entries(ram: [MemoryRegion], devices: [DeviceSpec]) -> [Entry] {
        var entries = ram.enumerated().map { Entry(label: "ram[\($0.offset)]", region: $0.element) }
        for (d, device) in devices.enumerated() {
            for (r, region) in device.regions.enumerated() {
                entries.append(Entry(label: "devices[\(d)].regions[\(r)]", region: region))
            }
        }
        return entries
    }

    static func checkNoOverlap(ram: [MemoryRegion], devices: [DeviceSpec], architecture: Architecture,
                               file: String) throws {
        let limit = MachineFile.addressLimit(architecture)
        let all = entries(ram: ram, devices: devices)
        for entry in all {
            let r = entry.region
            guard r.size <= limit, r.base <= limit - r.size else {
                throw ProfileError(file: file, key: "\(entry.label).size",
                                   message: "\(Hex.format(r.base)) + \(Hex.format(r.size)) ends beyond the \(limit.trailingZeroBitCount)-bit physical address space of \(architecture.rawValue)")
            }
        }
        // Regions are few (tens): compare every pair, in file order, so the first overlap
        // reported is the same every time.
        for (i, later) in all.enumerated() {
            for earlier in all[..<i] where later.region.base < earlier.region.end && earlier.region.base < later.region.end {
                throw ProfileError(file: file, key: later.label,
                                   message: "\(later.described) overlaps \(earlier.described)")
            }
        }
    }
}
