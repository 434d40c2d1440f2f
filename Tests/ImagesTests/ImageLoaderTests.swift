import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import Images

final class ImageLoaderTests: XCTestCase {
    func testLoadsTheARMFixture() throws {
        let path = Fixtures.path("arm-tiny.elf")
        let image = try ImageLoader.load(path: path)
        XCTAssertEqual(image.path, path)
        XCTAssertEqual(image.machine, .arm)
        XCTAssertFalse(image.is64Bit)
        XCTAssertTrue(image.isLittleEndian)
        XCTAssertEqual(image.entry, 0x8000_0000)

        XCTAssertEqual(image.segments.count, 2)
        let text = image.segments[0]
        XCTAssertEqual(text.physicalAddress, 0x8000_0000)
        XCTAssertEqual(text.virtualAddress, 0x8000_0000)
        XCTAssertEqual(text.data.count, 0x34)
        XCTAssertEqual(text.memorySize, 0x34)
        XCTAssertEqual(text.flags, ImageSegment.PF_R | ImageSegment.PF_X)
        XCTAssertEqual(Array(text.data.prefix(4)), [0x24, 0x00, 0x9F, 0xE5])   // ldr r0, [pc, #36]
        let data = image.segments[1]
        XCTAssertEqual(data.physicalAddress, 0x8000_0040)
        XCTAssertEqual(data.data, [0x78, 0x56, 0x34, 0x12])                   // counter: .word 0x12345678
        XCTAssertEqual(data.memorySize, 0x104)                                 // + 256 bytes of .bss
        XCTAssertTrue(data.isWritable)
        XCTAssertFalse(data.isExecutable)
    }

    func testARMFixtureSymbols() throws {
        let symbols = try ImageLoader.load(path: Fixtures.path("arm-tiny.elf")).symbols
        // $a/$d/$t mapping symbols and the null symbol are not in the table.
        XCTAssertEqual(symbols.symbols.map(\.name), ["_start", "spin", "thumb_helper", "counter", "buffer"])
        XCTAssertEqual(symbols.address(of: "_start"), 0x8000_0000)
        XCTAssertEqual(symbols.address(of: "spin"), 0x8000_001C)
        XCTAssertEqual(symbols.address(of: "thumb_helper"), 0x8000_0030)      // Thumb bit cleared
        XCTAssertEqual(symbols.address(of: "counter"), 0x8000_0040)
        XCTAssertNil(symbols.address(of: "$d"))
        XCTAssertNil(symbols.address(of: "missing"))
        XCTAssertEqual(symbols.symbols.first { $0.name == "spin" }?.size, 20)
        XCTAssertEqual(symbols.symbols.first { $0.name == "spin" }?.isFunction, true)
        XCTAssertEqual(symbols.symbols.first { $0.name == "counter" }?.isFunction, false)

        XCTAssertEqual(symbols.symbolize(0x8000_0000), "_start")
        XCTAssertEqual(symbols.symbolize(0x8000_0014), "_start+0x14")
        XCTAssertEqual(symbols.symbolize(0x8000_001C), "spin")
        XCTAssertEqual(symbols.symbolize(0x8000_002C), "spin+0x10")            // literal pool, under $d
        XCTAssertEqual(symbols.symbolize(0x8000_0032), "thumb_helper+0x2")
        XCTAssertEqual(symbols.symbolize(0x8000_0038), "0x80000038")           // padding after thumb_helper
        XCTAssertEqual(symbols.symbolize(0x8000_0100), "buffer+0xbc")
        XCTAssertEqual(symbols.symbolize(0x8000_0144), "0x80000144")           // one past buffer
        XCTAssertEqual(symbols.symbolize(0x7000_0000), "0x70000000")
    }

    func testLoadsTheRISCV64Fixture() throws {
        let image = try ImageLoader.load(path: Fixtures.path("riscv64-tiny.elf"))
        XCTAssertEqual(image.machine, .riscv)
        XCTAssertEqual(image.machine.description, "RISC-V")
        XCTAssertTrue(image.is64Bit)
        XCTAssertTrue(image.isLittleEndian)
        XCTAssertEqual(image.entry, 0x8000_0000)
        XCTAssertEqual(image.segments.map(\.physicalAddress), [0x8000_0000, 0x8000_0020])
        XCTAssertEqual(image.segments[0].data.count, 20)
        XCTAssertEqual(image.segments[1].memorySize, 8)
        // $x, $d and the assembler's .Lpcrel_hi0 label are left out.
        XCTAssertEqual(image.symbols.symbols.map(\.name), ["_start", "counter"])
        XCTAssertEqual(image.symbols.symbolize(0x8000_0008), "_start+0x8")
    }

    func testLoadsABigEndianImage() throws {
        let image = try ImageLoader.load(path: Fixtures.path("armeb-tiny.elf"))
        XCTAssertFalse(image.isLittleEndian)
        XCTAssertEqual(image.machine, .arm)
        XCTAssertEqual(image.entry, 0x8000_0000)
        XCTAssertEqual(image.segments.map(\.physicalAddress), [0x8000_0000, 0x8000_0040])
        XCTAssertEqual(image.segments[1].data, [0x12, 0x34, 0x56, 0x78])   // the file's bytes, unswapped
        XCTAssertEqual(image.segments[1].memorySize, 0x104)
        XCTAssertEqual(image.symbols.address(of: "spin"), 0x8000_001C)
        XCTAssertEqual(image.symbols.symbolize(0x8000_0100), "buffer+0xbc")
    }

    /// gABI "Sections", extended numbering: e_phnum PN_XNUM defers the program header count to
    /// section 0's sh_info, e_shnum 0 the section count to section 0's sh_size.
    func testExtendedHeaderCounts() throws {
        let original = try Fixtures.bytes("arm-tiny.elf")
        let sectionZero = Int(original.littleEndian(at: ELF32Layout.e_shoff, size: 4))
        var bytes = original
        bytes.setLittleEndian(0xFFFF, at: 44, size: 2)                         // e_phnum = PN_XNUM
        bytes.setLittleEndian(2, at: sectionZero + 28, size: 4)                // sh_info = 2
        bytes.setLittleEndian(0, at: ELF32Layout.e_shnum, size: 2)             // e_shnum = 0
        bytes.setLittleEndian(9, at: sectionZero + ELF32Layout.sh_size, size: 4)   // sh_size = 9
        let path = Fixtures.scratchPath("extended")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Fixtures.write(bytes, to: path)
        let image = try ImageLoader.load(path: path)
        XCTAssertEqual(image.segments.count, 2)
        XCTAssertEqual(image.symbols.symbols.count, 5)

        bytes.setLittleEndian(0x1000_0000, at: sectionZero + 28, size: 4)
        try expectError(bytes, "truncated: the program header table (268435456 entries at e_phoff 0x34)")
        bytes.setLittleEndian(2, at: sectionZero + 28, size: 4)
        bytes.setLittleEndian(0xFFFF_FFFF, at: sectionZero + ELF32Layout.sh_size, size: 4)
        try expectError(bytes, "truncated: the section header table (4294967295 entries at e_shoff 0x258)")
        bytes.setLittleEndian(0, at: ELF32Layout.e_shoff, size: 4)
        try expectError(bytes, "e_phnum is PN_XNUM (0xffff) but there is no section 0 holding the real count")
    }

    func testRefusesAFIFOWithoutWaiting() throws {
        let path = Fixtures.scratchPath("fifo")
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard mkfifo(path, 0o600) == 0 else { throw XCTSkip("cannot make a FIFO here") }
        XCTAssertImageError(try ImageLoader.load(path: path), path: path, contains: "not a regular file")
    }

    /// Every path out of the loader, good or bad, closes its file descriptor.
    func testLeavesNoFileDescriptorsOpen() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self/fd") else { throw XCTSkip("no /proc/self/fd") }
        let original = try Fixtures.bytes("arm-tiny.elf")
        let truncated = Fixtures.scratchPath("fd-truncated")
        let patched = Fixtures.scratchPath("fd-patched")
        defer {
            try? FileManager.default.removeItem(atPath: truncated)
            try? FileManager.default.removeItem(atPath: patched)
        }
        try Fixtures.write(Array(original.prefix(300)), to: truncated)
        var bytes = original
        bytes.setLittleEndian(3, at: ELF32Layout.e_type, size: 2)
        try Fixtures.write(bytes, to: patched)
        let paths = [Fixtures.path("arm-tiny.elf"), Fixtures.path("riscv64-tiny.elf"), Fixtures.path("build-fixtures.sh"),
                     Fixtures.directory.path, truncated, patched]
        func openDescriptors() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count }

        let before = try openDescriptors()
        for _ in 0..<50 {
            for path in paths { _ = try? ImageLoader.load(path: path) }
        }
        XCTAssertEqual(try openDescriptors(), before)
    }

    func testRefusesAMissingFile() {
        let path = Fixtures.path("no-such-image.elf")
        XCTAssertImageError(try ImageLoader.load(path: path), path: path, contains: "cannot open: No such file or directory")
    }

    func testRefusesADirectory() {
        let path = Fixtures.directory.path
        XCTAssertImageError(try ImageLoader.load(path: path), path: path, contains: "not a regular file")
    }

    func testRefusesATextFile() throws {
        let path = Fixtures.path("build-fixtures.sh")
        XCTAssertImageError(try ImageLoader.load(path: path), path: path, contains: "not an ELF file (no \\x7fELF magic)")
        let empty = Fixtures.scratchPath("empty")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        try Fixtures.write([], to: empty)
        XCTAssertImageError(try ImageLoader.load(path: empty), path: empty, contains: "not an ELF file (no \\x7fELF magic)")
    }

    func testRefusesTruncatedFiles() throws {
        let original = try Fixtures.bytes("arm-tiny.elf")
        let path = Fixtures.scratchPath("truncated")
        defer { try? FileManager.default.removeItem(atPath: path) }

        try Fixtures.write(Array(original.prefix(10)), to: path)
        XCTAssertImageError(try ImageLoader.load(path: path), path: path, contains: "truncated ELF header: the file is 10 bytes, e_ident alone needs 16")
        try Fixtures.write(Array(original.prefix(40)), to: path)
        XCTAssertImageError(try ImageLoader.load(path: path), path: path, contains: "truncated ELF header: the file is 40 bytes, an ELF32 header needs 52")
        try Fixtures.write(Array(original.prefix(70)), to: path)
        XCTAssertImageError(try ImageLoader.load(path: path), path: path, contains: "truncated: the program header table (2 entries at e_phoff 0x34) runs past the end of the file (70 bytes)")
        // Cut inside the code: the tables at the end of the file are gone first.
        let textOffset = Int(original.littleEndian(at: ELF32Layout.programHeader(original, 0) + ELF32Layout.p_offset, size: 4))
        try Fixtures.write(Array(original.prefix(textOffset + 8)), to: path)
        XCTAssertImageError(try ImageLoader.load(path: path), path: path, contains: "truncated: the section header table (9 entries at e_shoff 0x258) runs past the end of the file (136 bytes)")
    }

    func testRefusesASegmentBeyondTheFile() throws {
        var bytes = try Fixtures.bytes("arm-tiny.elf")
        bytes.setLittleEndian(0x1_0000, at: ELF32Layout.programHeader(bytes, 0) + ELF32Layout.p_offset, size: 4)
        try expectError(bytes, "program header 0 (PT_LOAD): truncated: p_offset 0x10000 + p_filesz 0x34 runs past the end of the file (960 bytes)")
    }

    func testRefusesAnImageThatIsNotAnExecutable() throws {
        var bytes = try Fixtures.bytes("arm-tiny.elf")
        bytes.setLittleEndian(3, at: ELF32Layout.e_type, size: 2)   // ET_DYN
        try expectError(bytes, "e_type is ET_DYN (a shared object or position-independent executable), expected ET_EXEC")
        bytes.setLittleEndian(1, at: ELF32Layout.e_type, size: 2)   // ET_REL
        try expectError(bytes, "e_type is ET_REL")
    }

    func testRefusesAnImageWithoutLoadableSegments() throws {
        var bytes = try Fixtures.bytes("arm-tiny.elf")
        for index in 0..<2 {
            bytes.setLittleEndian(0, at: ELF32Layout.programHeader(bytes, index) + ELF32Layout.p_type, size: 4)   // PT_NULL
        }
        try expectError(bytes, "no PT_LOAD segment with a non-zero p_memsz")
    }

    func testRefusesFileSizeAboveMemorySize() throws {
        var bytes = try Fixtures.bytes("arm-tiny.elf")
        bytes.setLittleEndian(0x200, at: ELF32Layout.programHeader(bytes, 1) + ELF32Layout.p_filesz, size: 4)
        try expectError(bytes, "program header 1 (PT_LOAD): p_filesz 0x200 exceeds p_memsz 0x104")
    }

    func testRefusesSegmentsPastTheAddressSpace() throws {
        var bytes = try Fixtures.bytes("arm-tiny.elf")
        bytes.setLittleEndian(0xFFFF_FFF0, at: ELF32Layout.programHeader(bytes, 0) + ELF32Layout.p_paddr, size: 4)
        try expectError(bytes, "program header 0 (PT_LOAD): p_paddr 0xFFFFFFF0 + p_memsz 0x34 runs past the end of the 32-bit address space")
        bytes = try Fixtures.bytes("arm-tiny.elf")
        bytes.setLittleEndian(0xFFFF_FF00, at: ELF32Layout.programHeader(bytes, 1) + ELF32Layout.p_vaddr, size: 4)
        try expectError(bytes, "program header 1 (PT_LOAD): p_vaddr 0xFFFFFF00 + p_memsz 0x104 runs past the end of the 32-bit address space")
    }

    func testRefusesAWrongProgramHeaderSize() throws {
        var bytes = try Fixtures.bytes("arm-tiny.elf")
        bytes.setLittleEndian(40, at: ELF32Layout.e_phentsize, size: 2)
        try expectError(bytes, "e_phentsize is 40, expected 32 for ELF32")
    }

    func testRefusesAProgramHeaderTableBeyondTheFile() throws {
        var bytes = try Fixtures.bytes("arm-tiny.elf")
        bytes.setLittleEndian(UInt64(bytes.count - 40), at: ELF32Layout.e_phoff, size: 4)
        try expectError(bytes, "truncated: the program header table (2 entries at e_phoff 0x398) runs past the end of the file (960 bytes)")
    }

    func testRefusesDamagedSymbolTables() throws {
        let original = try Fixtures.bytes("arm-tiny.elf")
        guard let symtab = ELF32Layout.sectionHeader(original, type: 2) else { return XCTFail("no SHT_SYMTAB") }

        var bytes = original
        bytes.setLittleEndian(0x4000, at: symtab + ELF32Layout.sh_offset, size: 4)
        try expectError(bytes, "(SHT_SYMTAB): truncated: sh_offset 0x4000")
        bytes = original
        bytes.setLittleEndian(0xFFFF_FFF0, at: symtab + ELF32Layout.sh_size, size: 4)
        try expectError(bytes, "(SHT_SYMTAB): truncated")
        bytes = original
        bytes.setLittleEndian(12, at: symtab + ELF32Layout.sh_entsize, size: 4)
        try expectError(bytes, "(SHT_SYMTAB): sh_entsize is 12, expected 16")
        bytes = original
        bytes.setLittleEndian(99, at: symtab + ELF32Layout.sh_link, size: 4)
        try expectError(bytes, "(SHT_SYMTAB): sh_link 99 does not name a section")
        bytes = original
        bytes.setLittleEndian(1, at: symtab + ELF32Layout.sh_link, size: 4)   // .text
        try expectError(bytes, "(SHT_SYMTAB): sh_link 1 does not name a string table")

        // The string table the symbols' names come from, cut off by the file's end.
        let strtabIndex = Int(original.littleEndian(at: symtab + ELF32Layout.sh_link, size: 4))
        let strtab = Int(original.littleEndian(at: ELF32Layout.e_shoff, size: 4)) + strtabIndex * ELF32Layout.sectionHeaderSize
        bytes = original
        bytes.setLittleEndian(0x10_0000, at: strtab + ELF32Layout.sh_size, size: 4)
        try expectError(bytes, "its string table (section \(strtabIndex)")
    }

    func testRefusesASectionHeaderTableBeyondTheFile() throws {
        var bytes = try Fixtures.bytes("arm-tiny.elf")
        bytes.setLittleEndian(UInt64(bytes.count - 100), at: ELF32Layout.e_shoff, size: 4)
        try expectError(bytes, "truncated: the section header table (9 entries at e_shoff 0x35c) runs past the end of the file (960 bytes)")
        // libelf alone would report a cut-off section header table as no sections at all and
        // load the image without symbols.
        bytes = try Fixtures.bytes("arm-tiny.elf")
        bytes = Array(bytes.prefix(bytes.count - 1))
        try expectError(bytes, "truncated: the section header table (9 entries at e_shoff 0x258) runs past the end of the file (959 bytes)")
    }

    func testAnImageWithoutSectionHeadersHasNoSymbols() throws {
        var bytes = try Fixtures.bytes("arm-tiny.elf")
        bytes.setLittleEndian(0, at: ELF32Layout.e_shoff, size: 4)
        bytes.setLittleEndian(0, at: ELF32Layout.e_shnum, size: 2)
        bytes.setLittleEndian(0, at: 50, size: 2)   // e_shstrndx
        let path = Fixtures.scratchPath("stripped")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Fixtures.write(bytes, to: path)
        let image = try ImageLoader.load(path: path)
        XCTAssertEqual(image.segments.count, 2)
        XCTAssertTrue(image.symbols.symbols.isEmpty)
        XCTAssertEqual(image.symbols.symbolize(0x8000_0004), "0x80000004")
    }

    private func expectError(_ bytes: [UInt8], _ fragment: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = Fixtures.scratchPath("patched-\(line)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Fixtures.write(bytes, to: path)
        XCTAssertImageError(try ImageLoader.load(path: path), path: path, contains: fragment, file: file, line: line)
    }
}
