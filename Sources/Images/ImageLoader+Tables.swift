import CLibELF

/// The program header and section header tables as the ELF header declares them.
struct DeclaredTables {
    var programHeaderCount: Int
    var sectionCount: Int
}

extension ImageLoader {
    /// Checks that the program header and section header tables the ELF header declares lie
    /// inside the file, and that libelf sees the same number of entries.
    ///
    /// The counts come from the header itself, not from elf_getphdrnum / elf_getshdrnum: libelf
    /// quietly shrinks a table that runs past the end of the file (elfutils reports a truncated
    /// section header table as no sections at all), which would turn a truncated image into one
    /// that loads with fewer segments or no symbols.
    static func checkTables(_ elf: OpaquePointer, header: GElf_Ehdr, is64Bit: Bool, isLittleEndian: Bool,
                            file: ImageFile) throws -> DeclaredTables {
        let classWord = is64Bit ? "ELF64" : "ELF32"
        let programHeaderSize: UInt64 = is64Bit ? 56 : 32   // sizeof(Elf64_Phdr), sizeof(Elf32_Phdr)
        let sectionHeaderSize: UInt64 = is64Bit ? 64 : 40   // sizeof(Elf64_Shdr), sizeof(Elf32_Shdr)
        let PN_XNUM: UInt16 = 0xFFFF

        // gABI "Sections", extended numbering: with e_shnum 0 the section count is section 0's
        // sh_size; with e_phnum PN_XNUM the program header count is section 0's sh_info.
        var sectionZero: (size: UInt64, info: UInt64)?
        if header.e_shoff != 0 && (header.e_shnum == 0 || header.e_phnum == PN_XNUM) {
            guard UInt64(header.e_shentsize) == sectionHeaderSize else {
                throw ImageError(path: file.path, message: "e_shentsize is \(header.e_shentsize), expected \(sectionHeaderSize) for \(classWord)")
            }
            guard file.contains(offset: header.e_shoff, length: sectionHeaderSize) else {
                throw ImageError(path: file.path, message: "truncated: section header 0 (at e_shoff \(Hex.number(header.e_shoff)), holding the extended header counts) runs past the end of the file (\(file.size) bytes)")
            }
            let bytes = try file.read(offset: header.e_shoff, length: sectionHeaderSize)
            let field = FieldReader(bytes: bytes, isLittleEndian: isLittleEndian)
            // Elf32_Shdr: sh_size at 20, sh_info at 28; Elf64_Shdr: sh_size at 32, sh_info at 44.
            sectionZero = is64Bit ? (field.read(at: 32, size: 8), field.read(at: 44, size: 4))
                                  : (field.read(at: 20, size: 4), field.read(at: 28, size: 4))
        }
        let sectionCount: UInt64 = header.e_shnum != 0 || header.e_shoff == 0 ? UInt64(header.e_shnum) : sectionZero?.size ?? 0
        let programHeaderCount: UInt64
        if header.e_phnum != PN_XNUM {
            programHeaderCount = UInt64(header.e_phnum)
        } else if let sectionZero {
            programHeaderCount = sectionZero.info
        } else {
            throw ImageError(path: file.path, message: "e_phnum is PN_XNUM (0xffff) but there is no section 0 holding the real count (e_shoff is 0)")
        }

        if programHeaderCount > 0 {
            guard UInt64(header.e_phentsize) == programHeaderSize else {
                throw ImageError(path: file.path, message: "e_phentsize is \(header.e_phentsize), expected \(programHeaderSize) for \(classWord)")
            }
            let (tableSize, overflow) = programHeaderCount.multipliedReportingOverflow(by: programHeaderSize)
            guard !overflow, file.contains(offset: header.e_phoff, length: tableSize) else {
                throw ImageError(path: file.path, message: "truncated: the program header table (\(programHeaderCount) entries at e_phoff \(Hex.number(header.e_phoff))) runs past the end of the file (\(file.size) bytes)")
            }
        }
        if sectionCount > 0 {
            guard header.e_shoff != 0 else {
                throw ImageError(path: file.path, message: "e_shnum is \(sectionCount) but there is no section header table (e_shoff is 0)")
            }
            guard UInt64(header.e_shentsize) == sectionHeaderSize else {
                throw ImageError(path: file.path, message: "e_shentsize is \(header.e_shentsize), expected \(sectionHeaderSize) for \(classWord)")
            }
            let (tableSize, overflow) = sectionCount.multipliedReportingOverflow(by: sectionHeaderSize)
            guard !overflow, file.contains(offset: header.e_shoff, length: tableSize) else {
                throw ImageError(path: file.path, message: "truncated: the section header table (\(sectionCount) entries at e_shoff \(Hex.number(header.e_shoff))) runs past the end of the file (\(file.size) bytes)")
            }
        }
        // Both tables lie inside the file, so each count is below file size / entry size.

        var libelfProgramHeaders = 0
        var libelfSections = 0
        guard elf_getphdrnum(elf, &libelfProgramHeaders) == 0, elf_getshdrnum(elf, &libelfSections) == 0 else {
            throw ImageError(path: file.path, message: "cannot count the program and section headers (libelf: \(libelfMessage()))")
        }
        guard UInt64(UInt(bitPattern: libelfProgramHeaders)) == programHeaderCount,
              UInt64(UInt(bitPattern: libelfSections)) == sectionCount || (sectionCount == 0 && libelfSections <= 1),
              programHeaderCount <= UInt64(Int32.max), sectionCount <= UInt64(Int32.max) else {
            throw ImageError(path: file.path, message: "libelf sees \(libelfProgramHeaders) program headers and \(libelfSections) sections where the ELF header declares \(programHeaderCount) and \(sectionCount)")
        }
        return DeclaredTables(programHeaderCount: Int(programHeaderCount), sectionCount: Int(sectionCount))
    }
}

/// Reads unsigned fields of the file's byte order out of raw header bytes.
struct FieldReader {
    let bytes: [UInt8]
    let isLittleEndian: Bool

    /// The `size`-byte field at `offset`, or 0 where the bytes run out.
    func read(at offset: Int, size: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<size {
            let position = isLittleEndian ? offset + size - 1 - index : offset + index
            let byte = bytes.indices.contains(position) ? bytes[position] : 0
            value = value << 8 | UInt64(byte)
        }
        return value
    }
}
