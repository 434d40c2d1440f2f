import CLibELF

extension ImageLoader {
    /// The defined code and data symbols of every SHT_SYMTAB section, global and weak symbols
    /// first (so `SymbolTable.address(of:)` prefers them over a local of the same name), each
    /// group in file order. An image without section headers or without a symbol table simply
    /// has no symbols; a symbol table or its string table running past the end of the file is
    /// refused (the section header table itself was checked by `checkTables`).
    static func loadSymbols(_ elf: OpaquePointer, sectionCount: Int, is64Bit: Bool,
                            machine: ELFMachine, file: ImageFile) throws -> [ImageSymbol] {
        guard sectionCount > 0 else { return [] }
        var globals: [ImageSymbol] = []
        var locals: [ImageSymbol] = []
        var section: OpaquePointer?
        while let next = elf_nextscn(elf, section) {
            section = next
            var sectionHeader = GElf_Shdr()
            guard gelf_getshdr(next, &sectionHeader) != nil else {
                throw ImageError(path: file.path, message: "cannot read a section header (libelf: \(libelfMessage()))")
            }
            guard sectionHeader.sh_type == UInt32(SHT_SYMTAB) else { continue }
            try readSymbolTable(elf, section: next, header: sectionHeader, sectionCount: sectionCount,
                                is64Bit: is64Bit, machine: machine, file: file,
                                globals: &globals, locals: &locals)
        }
        return globals + locals
    }

    private static func readSymbolTable(_ elf: OpaquePointer, section: OpaquePointer, header: GElf_Shdr,
                                        sectionCount: Int, is64Bit: Bool, machine: ELFMachine,
                                        file: ImageFile, globals: inout [ImageSymbol],
                                        locals: inout [ImageSymbol]) throws {
        let index = elf_ndxscn(section)
        func failure(_ problem: String) -> ImageError {
            ImageError(path: file.path, message: "section \(index) (SHT_SYMTAB): \(problem)")
        }
        let entrySize: UInt64 = is64Bit ? 24 : 16   // sizeof(Elf64_Sym), sizeof(Elf32_Sym)
        guard header.sh_entsize == entrySize else {
            throw failure("sh_entsize is \(header.sh_entsize), expected \(entrySize)")
        }
        guard file.contains(offset: header.sh_offset, length: header.sh_size) else {
            throw failure("truncated: sh_offset \(Hex.number(header.sh_offset)) + sh_size \(Hex.number(header.sh_size)) runs past the end of the file (\(file.size) bytes)")
        }
        // sh_link names the string table holding the symbols' names.
        guard header.sh_link != 0, Int(header.sh_link) < sectionCount,
              let strings = elf_getscn(elf, Int(header.sh_link)) else {
            throw failure("sh_link \(header.sh_link) does not name a section (there are \(sectionCount))")
        }
        var stringsHeader = GElf_Shdr()
        guard gelf_getshdr(strings, &stringsHeader) != nil, stringsHeader.sh_type == UInt32(SHT_STRTAB) else {
            throw failure("sh_link \(header.sh_link) does not name a string table (SHT_STRTAB)")
        }
        guard file.contains(offset: stringsHeader.sh_offset, length: stringsHeader.sh_size) else {
            throw failure("truncated: its string table (section \(header.sh_link), sh_offset \(Hex.number(stringsHeader.sh_offset)) + sh_size \(Hex.number(stringsHeader.sh_size))) runs past the end of the file (\(file.size) bytes)")
        }
        guard let data = elf_getdata(section, nil) else {
            throw failure("cannot read its contents (libelf: \(libelfMessage()))")
        }
        let count = UInt64(UInt(bitPattern: data.pointee.d_size)) / entrySize
        guard count <= UInt64(Int32.max) else {
            throw failure("\(count) symbols is more than libelf can index")
        }

        // Symbol 0 is the reserved null symbol (gABI "Symbol Table").
        for symbolIndex in 0..<Int32(count) where symbolIndex > 0 {
            var symbol = GElf_Sym()
            guard gelf_getsym(data, symbolIndex, &symbol) != nil else {
                throw failure("cannot read symbol \(symbolIndex) (libelf: \(libelfMessage()))")
            }
            // st_info: binding in bits 7:4, type in bits 3:0 (ELF32_ST_BIND / ELF32_ST_TYPE).
            let type = Int32(symbol.st_info & 0xF)
            let binding = Int32(symbol.st_info >> 4)
            guard type == STT_NOTYPE || type == STT_OBJECT || type == STT_FUNC,
                  symbol.st_shndx != UInt16(SHN_UNDEF) else { continue }
            guard let name = elf_strptr(elf, Int(header.sh_link), Int(symbol.st_name)) else {
                throw failure("symbol \(symbolIndex): st_name \(Hex.number(UInt64(symbol.st_name))) is not a string in section \(header.sh_link) (libelf: \(libelfMessage()))")
            }
            var address = symbol.st_value
            // AAELF32 "Symbol Values": an STT_FUNC symbol for Thumb code has bit 0 set, which
            // marks the instruction set and is not part of the address.
            if machine == .arm && type == STT_FUNC { address &= ~1 }
            let imageSymbol = ImageSymbol(name: String(cString: name), address: address,
                                          size: symbol.st_size, isFunction: type == STT_FUNC)
            if binding == STB_LOCAL { locals.append(imageSymbol) } else { globals.append(imageSymbol) }
        }
    }
}
