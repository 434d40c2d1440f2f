/// An ELF executable read into memory: what the machine loads (segments), where the cores start
/// (entry) and the names of its addresses (symbols).
public struct LoadedImage: Sendable {
    /// The path the image was loaded from, as given; every error about it starts with it.
    public var path: String
    /// ELFCLASS64.
    public var is64Bit: Bool
    public var machine: ELFMachine
    /// ELFDATA2LSB.
    public var isLittleEndian: Bool
    /// `e_entry`, as in the file (for ARM, bit 0 set means the entry point is Thumb code).
    public var entry: UInt64
    /// The PT_LOAD segments with a non-zero `p_memsz`, in program header order.
    public var segments: [ImageSegment]
    public var symbols: SymbolTable

    public init(path: String, is64Bit: Bool, machine: ELFMachine, isLittleEndian: Bool, entry: UInt64,
                segments: [ImageSegment], symbols: SymbolTable) {
        self.path = path
        self.is64Bit = is64Bit
        self.machine = machine
        self.isLittleEndian = isLittleEndian
        self.entry = entry
        self.segments = segments
        self.symbols = symbols
    }
}
