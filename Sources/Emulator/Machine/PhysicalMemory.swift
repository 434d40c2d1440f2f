import Foundation

/// The machine's RAM, with the cache of decoded instructions that lives beside it.
///
/// RAM is one host allocation, served inline by the cores' load/store fast path. Decoded
/// instructions are cached per 4 KiB page of RAM, shared by every core (decoding depends on the
/// ISA, never on the core profile: feature checks happen at execution). A store into a page that
/// holds decoded instructions clears the entries it overlaps, so self-modifying code and loaders
/// see their new instructions (ARM ARM A3.5.4 lets us be stricter than the architecture here:
/// we never execute stale code).
public final class PhysicalMemory {
    public let base: UInt64
    public let size: UInt64
    public let bytes: UnsafeMutableRawPointer

    /// Bytes per cached decoded entry, and log2 of the instruction granule (ARM 4 bytes → 2).
    public let entryStride: Int
    public let granuleShift: Int
    static let pageShift = 12
    static let pageSize = 1 << pageShift

    /// One pointer per RAM page: nil until something executes from the page.
    let decodedPages: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    let pageCount: Int

    public init(base: UInt64, size: UInt64, entryStride: Int, granuleShift: Int) {
        precondition(size > 0 && size % UInt64(PhysicalMemory.pageSize) == 0, "RAM size must be whole pages")
        self.base = base
        self.size = size
        self.entryStride = entryStride
        self.granuleShift = granuleShift
        // Zeroed pages come from the kernel lazily, so a 1 GiB machine costs only what it touches.
        bytes = UnsafeMutableRawPointer(mmap(nil, Int(size), PROT_READ | PROT_WRITE,
                                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0))
        precondition(bytes != UnsafeMutableRawPointer(bitPattern: -1), "cannot reserve \(size) bytes of guest RAM")
        pageCount = Int(size >> UInt64(PhysicalMemory.pageShift))
        decodedPages = .allocate(capacity: pageCount)
        decodedPages.initialize(repeating: nil, count: pageCount)
    }

    deinit {
        for i in 0..<pageCount { decodedPages[i]?.deallocate() }
        decodedPages.deallocate()
        munmap(bytes, Int(size))
    }

    /// The decoded-entry array of the page holding RAM offset `offset` (allocated zeroed —
    /// an all-zero entry means "not decoded yet").
    @inline(__always)
    func decodedPage(offset: UInt64) -> UnsafeMutableRawPointer {
        let index = Int(truncatingIfNeeded: offset >> UInt64(PhysicalMemory.pageShift))
        if let page = decodedPages[index] { return page }
        let bytesPerPage = (PhysicalMemory.pageSize >> granuleShift) * entryStride
        let page = UnsafeMutableRawPointer.allocate(byteCount: bytesPerPage, alignment: 16)
        page.initializeMemory(as: UInt8.self, repeating: 0, count: bytesPerPage)
        decodedPages[index] = page
        return page
    }

    /// Forget decoded instructions overlapping `[offset, offset + length)`. Called on every
    /// store to RAM; costs one load when the page holds no code.
    @inline(__always)
    func invalidateDecoded(offset: UInt64, length: Int) {
        let index = Int(truncatingIfNeeded: offset >> UInt64(PhysicalMemory.pageShift))
        guard let page = decodedPages[index] else { return }
        invalidateSlow(page: page, offset: offset, length: length)
    }

    @inline(never)
    func invalidateSlow(page: UnsafeMutableRawPointer, offset: UInt64, length: Int) {
        let mask = UInt64(PhysicalMemory.pageSize - 1)
        let first = Int(truncatingIfNeeded: offset & mask) >> granuleShift
        let lastByte = min(Int(truncatingIfNeeded: offset & mask) + max(length, 1) - 1, PhysicalMemory.pageSize - 1)
        // An instruction longer than a granule (RISC-V 32-bit at a 2-byte granule) starting in
        // the granule before is overwritten too.
        let start = granuleShift < 2 && first > 0 ? first - 1 : first
        let last = lastByte >> granuleShift
        (page + start * entryStride).initializeMemory(as: UInt8.self, repeating: 0,
                                                      count: (last - start + 1) * entryStride)
        // A store running into the next page (unaligned) invalidates there too.
        let endOffset = offset &+ UInt64(max(length, 1) - 1)
        if endOffset >> UInt64(PhysicalMemory.pageShift) != offset >> UInt64(PhysicalMemory.pageShift),
           endOffset < size {
            invalidateDecoded(offset: endOffset & ~mask, length: Int(truncatingIfNeeded: (endOffset & mask) + 1))
        }
    }

    /// Drop every decoded instruction (e.g. after loading an image).
    public func invalidateAllDecoded() {
        for i in 0..<pageCount {
            if let page = decodedPages[i] {
                page.deallocate()
                decodedPages[i] = nil
            }
        }
    }

    /// Whether `[address, address + length)` lies inside RAM.
    @inline(__always)
    public func contains(_ address: UInt64, length: UInt64) -> Bool {
        address >= base && address - base <= size &- length && length <= size
    }

    /// A little-endian read of 1, 2, 4 or 8 bytes for reports and checkers (not the cores'
    /// path); nil outside RAM.
    public func peek(_ address: UInt64, size: Int) -> UInt64? {
        guard contains(address, length: UInt64(size)) else { return nil }
        let p = bytes + Int(address - base)
        switch size {
        case 1: return UInt64(p.load(as: UInt8.self))
        case 2: return UInt64(p.loadUnaligned(as: UInt16.self))
        case 8: return p.loadUnaligned(as: UInt64.self)
        default: return UInt64(p.loadUnaligned(as: UInt32.self))
        }
    }

    /// Copy bytes into RAM (image loading); the caller has checked the range.
    public func load(_ data: [UInt8], at address: UInt64) {
        precondition(contains(address, length: UInt64(data.count)))
        data.withUnsafeBytes { src in
            if let p = src.baseAddress { (bytes + Int(address - base)).copyMemory(from: p, byteCount: data.count) }
        }
        invalidateAllDecoded()
    }

    /// Zero a range of RAM (.bss); the caller has checked the range.
    public func zero(at address: UInt64, length: UInt64) {
        precondition(contains(address, length: length))
        (bytes + Int(address - base)).initializeMemory(as: UInt8.self, repeating: 0, count: Int(length))
    }
}
