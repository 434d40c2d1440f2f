/// One PT_LOAD program header of an image, with the bytes it takes from the file.
public struct ImageSegment: Sendable {
    /// `p_paddr`: where the segment is loaded in the machine's physical memory.
    public var physicalAddress: UInt64
    /// `p_vaddr`: where the code expects it once its MMU is on (equal to the physical address
    /// in most bare-metal images).
    public var virtualAddress: UInt64
    /// The segment's `p_filesz` bytes from the file.
    public var data: [UInt8]
    /// `p_memsz`, at least `data.count`: the bytes past `data` are zero-filled (.bss).
    public var memorySize: UInt64
    /// `p_flags`: `PF_R`, `PF_W`, `PF_X` (see the static constants).
    public var flags: UInt32

    public static let PF_X: UInt32 = 1
    public static let PF_W: UInt32 = 2
    public static let PF_R: UInt32 = 4

    public init(physicalAddress: UInt64, virtualAddress: UInt64, data: [UInt8], memorySize: UInt64, flags: UInt32) {
        self.physicalAddress = physicalAddress
        self.virtualAddress = virtualAddress
        self.data = data
        self.memorySize = memorySize
        self.flags = flags
    }

    public var isExecutable: Bool { flags & Self.PF_X != 0 }
    public var isWritable: Bool { flags & Self.PF_W != 0 }
    public var isReadable: Bool { flags & Self.PF_R != 0 }
}
