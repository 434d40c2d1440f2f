import Profiles

/// The physical address space outside RAM: MMIO windows mapped to devices. Reached only on the
/// cores' slow path (anything that is not RAM), so a short linear search is the right tool.
public final class Bus {
    struct Window {
        var base: UInt64
        var size: UInt64
        var device: MMIODevice
    }
    private var windows: [Window] = []
    /// The machine whose sinks hear of device accesses (set by the machine; it owns the bus).
    unowned(unsafe) var observer: MachineBase?

    public init() {}

    /// Map `device` at `region`. Overlaps were refused when the machine file was read.
    public func map(_ device: MMIODevice, at region: MemoryRegion) {
        windows.append(Window(base: region.base, size: region.size, device: device))
        windows.sort { $0.base < $1.base }
    }

    @inline(__always)
    func window(for address: UInt64, length: UInt64) -> Window? {
        for w in windows where address >= w.base && address - w.base < w.size {
            return address - w.base <= w.size - length ? w : nil
        }
        return nil
    }

    /// A device read; nil when nothing answers (unmapped, or the device refused the access).
    public func read(_ address: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard let w = window(for: address, length: UInt64(size)) else { return nil }
        let value = w.device.read(offset: address - w.base, size: size, cpu: cpu)
        if let o = observer, o.observed, let value {
            o.emit(.mmio(device: w.device.name, address: address, size: size, value: value, write: false), cpu: cpu)
        }
        return value
    }

    /// A device write; false when nothing accepts it.
    public func write(_ address: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard let w = window(for: address, length: UInt64(size)) else { return false }
        if let o = observer, o.observed {
            o.emit(.mmio(device: w.device.name, address: address, size: size, value: value, write: true), cpu: cpu)
        }
        return w.device.write(offset: address - w.base, size: size, value: value, cpu: cpu)
    }

    /// The name of the device at `address`, for reports.
    public func deviceName(at address: UInt64) -> String? {
        window(for: address, length: 1)?.device.name
    }
}
