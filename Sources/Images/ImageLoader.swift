import CLibELF

/// Loads ELF executables through libelf. Every value the file controls (offsets, sizes, counts,
/// addresses) is checked before use, so a damaged or hostile file is refused with an ImageError
/// and never traps.
public enum ImageLoader {
    /// Reads the ELF executable at `path`: its class, machine, byte order, entry point, PT_LOAD
    /// segments (with their file bytes) and symbols. Throws an ImageError naming `path` when the
    /// file cannot be read, is not an ELF executable, or is truncated or inconsistent. Whether
    /// the image suits a machine is `LoadedImage.check`'s question, not this one's.
    public static func load(path: String) throws -> LoadedImage {
        let file = try ImageFile(path: path)
        let identification = try readIdentification(file)

        guard elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE) else {
            throw ImageError(path: path, message: "libelf refused ELF version \(EV_CURRENT): \(libelfMessage())")
        }
        // ELF_C_READ: libelf reads what it needs with pread; nothing is mapped or written.
        guard let elf = elf_begin(file.descriptor, ELF_C_READ, nil) else {
            throw ImageError(path: path, message: "malformed ELF file (libelf: \(libelfMessage()))")
        }
        defer { elf_end(elf) }

        guard elf_kind(elf) == ELF_K_ELF else {
            throw ImageError(path: path, message: "not an ELF file (libelf does not recognise it)")
        }
        var header = GElf_Ehdr()
        guard gelf_getehdr(elf, &header) != nil else {
            throw ImageError(path: path, message: "malformed ELF header (libelf: \(libelfMessage()))")
        }
        guard header.e_type == UInt16(ET_EXEC) else {
            throw ImageError(path: path, message: "e_type is \(describeType(header.e_type)), expected ET_EXEC (an executable linked at fixed addresses)")
        }
        let machine = ELFMachine(rawValue: header.e_machine)
        let tables = try checkTables(elf, header: header, is64Bit: identification.is64Bit,
                                     isLittleEndian: identification.isLittleEndian, file: file)
        let segments = try loadSegments(elf, count: tables.programHeaderCount, is64Bit: identification.is64Bit, file: file)
        let symbols = try loadSymbols(elf, sectionCount: tables.sectionCount, is64Bit: identification.is64Bit,
                                      machine: machine, file: file)
        return LoadedImage(path: path, is64Bit: identification.is64Bit, machine: machine,
                           isLittleEndian: identification.isLittleEndian, entry: header.e_entry,
                           segments: segments, symbols: SymbolTable(symbols))
    }

    /// e_ident, read and checked before libelf sees the file, so the first problems a user meets
    /// (a text file, a truncated download) get plain messages (gABI "ELF Identification").
    private static func readIdentification(_ file: ImageFile) throws -> (is64Bit: Bool, isLittleEndian: Bool) {
        let magic: [UInt8] = [0x7F, 0x45, 0x4C, 0x46]   // "\x7fELF"
        let identification = try file.read(offset: 0, length: min(file.size, 16))
        guard identification.starts(with: magic) else {
            throw ImageError(path: file.path, message: "not an ELF file (no \\x7fELF magic)")
        }
        guard identification.count == 16 else {
            throw ImageError(path: file.path, message: "truncated ELF header: the file is \(file.size) bytes, e_ident alone needs 16")
        }
        let is64Bit: Bool
        switch identification[4] {   // EI_CLASS
        case 1: is64Bit = false
        case 2: is64Bit = true
        case let other:
            throw ImageError(path: file.path, message: "e_ident[EI_CLASS] is \(other), expected 1 (ELFCLASS32) or 2 (ELFCLASS64)")
        }
        let isLittleEndian: Bool
        switch identification[5] {   // EI_DATA
        case 1: isLittleEndian = true
        case 2: isLittleEndian = false
        case let other:
            throw ImageError(path: file.path, message: "e_ident[EI_DATA] is \(other), expected 1 (ELFDATA2LSB) or 2 (ELFDATA2MSB)")
        }
        let headerSize: UInt64 = is64Bit ? 64 : 52
        guard file.size >= headerSize else {
            throw ImageError(path: file.path, message: "truncated ELF header: the file is \(file.size) bytes, an \(is64Bit ? "ELF64" : "ELF32") header needs \(headerSize)")
        }
        return (is64Bit, isLittleEndian)
    }

    /// The PT_LOAD segments with a non-zero p_memsz, in program header order, with their bytes.
    private static func loadSegments(_ elf: OpaquePointer, count: Int, is64Bit: Bool,
                                     file: ImageFile) throws -> [ImageSegment] {
        var segments: [ImageSegment] = []
        for index in 0..<count {
            var programHeader = GElf_Phdr()
            guard gelf_getphdr(elf, Int32(index), &programHeader) != nil else {
                throw ImageError(path: file.path, message: "cannot read program header \(index) (libelf: \(libelfMessage()))")
            }
            guard programHeader.p_type == UInt32(PT_LOAD), programHeader.p_memsz > 0 else { continue }
            segments.append(try loadSegment(programHeader, index: index, is64Bit: is64Bit, file: file))
        }
        guard !segments.isEmpty else {
            throw ImageError(path: file.path, message: "no PT_LOAD segment with a non-zero p_memsz: nothing to load")
        }
        return segments
    }

    private static func loadSegment(_ programHeader: GElf_Phdr, index: Int, is64Bit: Bool,
                                    file: ImageFile) throws -> ImageSegment {
        let fileSize = programHeader.p_filesz
        let memorySize = programHeader.p_memsz
        func failure(_ problem: String) -> ImageError {
            ImageError(path: file.path, message: "program header \(index) (PT_LOAD): \(problem)")
        }
        guard fileSize <= memorySize else {
            throw failure("p_filesz \(Hex.number(fileSize)) exceeds p_memsz \(Hex.number(memorySize))")
        }
        // An ELF32 segment must end within the 32-bit address space; an ELF64 one within 64 bits.
        let addressLimit: UInt64? = is64Bit ? nil : 1 << 32
        for (name, start) in [("p_paddr", programHeader.p_paddr), ("p_vaddr", programHeader.p_vaddr)] {
            let (end, overflow) = start.addingReportingOverflow(memorySize)
            if overflow || addressLimit.map({ end > $0 }) == true {
                throw failure("\(name) \(Hex.address(start)) + p_memsz \(Hex.number(memorySize)) runs past the end of the \(is64Bit ? 64 : 32)-bit address space")
            }
        }
        var data: [UInt8] = []
        if fileSize > 0 {   // a .bss-only segment's p_offset means nothing
            guard file.contains(offset: programHeader.p_offset, length: fileSize) else {
                throw failure("truncated: p_offset \(Hex.number(programHeader.p_offset)) + p_filesz \(Hex.number(fileSize)) runs past the end of the file (\(file.size) bytes)")
            }
            data = try file.read(offset: programHeader.p_offset, length: fileSize)
        }
        return ImageSegment(physicalAddress: programHeader.p_paddr, virtualAddress: programHeader.p_vaddr,
                            data: data, memorySize: memorySize, flags: programHeader.p_flags)
    }

    private static func describeType(_ type: UInt16) -> String {
        switch Int32(type) {
        case ET_NONE: return "ET_NONE"
        case ET_REL: return "ET_REL (a relocatable object: link it first)"
        case ET_DYN: return "ET_DYN (a shared object or position-independent executable)"
        case ET_CORE: return "ET_CORE (a core dump)"
        default: return Hex.number(UInt64(type))
        }
    }

    /// libelf's message for its last error on this thread.
    static func libelfMessage() -> String {
        guard let message = elf_errmsg(-1) else { return "unknown error" }
        return String(cString: message)
    }
}
