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

    /// Where QEMU's arm boards put a Linux-style raw image: RAM base + 0x10000
    /// (hw/arm/boot.c KERNEL_LOAD_ADDR for 32-bit kernels).
    static let linuxImageOffset: UInt64 = 0x1_0000

    /// Whether this machine boots raw (non-ELF) images the way QEMU boots a Linux zImage: only
    /// machines with a generated device tree (it is what r2 points to).
    public var bootsLinuxImages: Bool { spec.boot.deviceTree != nil }

    /// A Linux-style raw image, booted as QEMU boots `-kernel zImage` (Documentation/arm/booting
    /// and hw/arm/boot.c, checked against QEMU 7.2 virt): the bytes at RAM base + 0x10000, the
    /// device tree at RAM base + min(RAM / 2, 128 MiB) (where QEMU's initrd would start; with no
    /// initrd the tree goes there), CPU 0 entering at the image with r0 = 0, r1 = 0xFFFFFFFF
    /// (no machine number: a DT boot) and r2 = the tree, in the machine's entry mode; the other
    /// cores as the boot protocol says (virt-arm: off until PSCI CPU_ON).
    public func loadLinuxImage(_ bytes: [UInt8], path: String) throws {
        guard bootsLinuxImages, let blob = try ARMDeviceTree.build(machine: spec) else {
            throw MachineError(file: path, message: "not an ELF file, and machine \(spec.name) boots ELF images only (raw Linux-style images need a machine with a device tree, e.g. virt-arm)")
        }
        guard spec.boot.security == .nonSecure else {
            throw MachineError(file: path, message: "a raw Linux-style image on \(spec.name) with Secure entry is not supported (QEMU enters such a kernel in Non-secure state through its own secure boot stub, which hetboot does not model); use an ELF image or secure=off")
        }
        let base = ram.base
        let entry = base + ARMMachine.linuxImageOffset
        let tree = base + ((min(ram.size / 2, 128 << 20) + 0xFFF) & ~0xFFF)
        guard tree > entry, UInt64(bytes.count) <= tree &- entry else {
            throw MachineError(file: path, message: "\(bytes.count) bytes do not fit between 0x\(String(entry, radix: 16)) and the device tree at 0x\(String(tree, radix: 16)) in \(spec.name)'s RAM")
        }
        guard ram.contains(tree, length: UInt64(blob.count)) else {
            throw MachineError(file: path, message: "\(spec.name)'s RAM has no room for the device tree at 0x\(String(tree, radix: 16))")
        }
        ram.load(bytes, at: entry)
        ram.load(blob, at: tree)
        deviceTreeAddress = tree
        boot(entry: UInt32(truncatingIfNeeded: entry))
        guard let primary = cores.first else { return }
        primary.r[0] = 0
        primary.r[1] = 0xFFFF_FFFF
        primary.r[2] = UInt32(truncatingIfNeeded: tree)
    }
}
