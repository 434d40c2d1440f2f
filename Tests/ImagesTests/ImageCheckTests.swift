import XCTest
@testable import Images

final class ImageCheckTests: XCTestCase {
    private let tc2RAM: [(base: UInt64, size: UInt64)] = [(base: 0x8000_0000, size: 0x4000_0000)]

    func testTheARMFixtureFitsTC2() throws {
        let image = try ImageLoader.load(path: Fixtures.path("arm-tiny.elf"))
        XCTAssertNoThrow(try image.check(machine: .arm, is64Bit: false, ram: tc2RAM, machineName: "tc2"))
        // Any one of several RAM ranges will do.
        XCTAssertNoThrow(try image.check(machine: .arm, is64Bit: false,
                                         ram: [(base: 0, size: 0x1000), (base: 0x8000_0000, size: 0x1000)], machineName: "two-banks"))
    }

    func testRefusesTheRISCVFixtureOnAnARMMachine() throws {
        var image = try ImageLoader.load(path: Fixtures.path("riscv64-tiny.elf"))
        image.path = "images/x.elf"
        XCTAssertThrowsError(try image.check(machine: .arm, is64Bit: false, ram: tc2RAM, machineName: "tc2")) { error in
            XCTAssertEqual("\(error)", "images/x.elf: ELF machine RISC-V, but machine tc2 has ARM cores")
        }
        // On a RISC-V machine with RAM at 0x80000000 it fits.
        XCTAssertNoThrow(try image.check(machine: .riscv, is64Bit: true, ram: tc2RAM, machineName: "virt-riscv"))
    }

    func testRefusesTheWrongClass() throws {
        let image = try ImageLoader.load(path: Fixtures.path("riscv64-tiny.elf"))
        XCTAssertImageError(try image.check(machine: .riscv, is64Bit: false, ram: tc2RAM, machineName: "rv32"),
                            path: image.path, contains: "64-bit (ELFCLASS64) image, but machine rv32 runs 32-bit (ELFCLASS32) images")
    }

    func testRefusesABigEndianImage() throws {
        let image = try ImageLoader.load(path: Fixtures.path("armeb-tiny.elf"))
        XCTAssertImageError(try image.check(machine: .arm, is64Bit: false, ram: tc2RAM, machineName: "tc2"),
                            path: image.path, contains: "big-endian image (ELFDATA2MSB), but machine tc2 runs little-endian code")
    }

    func testRefusesSegmentsOutsideRAM() throws {
        let image = try ImageLoader.load(path: Fixtures.path("arm-tiny.elf"))
        XCTAssertImageError(try image.check(machine: .arm, is64Bit: false, ram: [(base: 0, size: 0x1000_0000)], machineName: "low"),
                            path: image.path, contains: "segment 0 (0x80000000..0x80000034) lies outside RAM (0x00000000..0x10000000)")
        // The .bss part counts: the data segment's file bytes fit, its p_memsz does not.
        XCTAssertImageError(try image.check(machine: .arm, is64Bit: false, ram: [(base: 0x8000_0000, size: 0x80)], machineName: "tiny"),
                            path: image.path, contains: "segment 1 (0x80000040..0x80000144) lies outside RAM (0x80000000..0x80000080)")
        XCTAssertImageError(try image.check(machine: .arm, is64Bit: false, ram: [], machineName: "none"),
                            path: image.path, contains: "segment 0 (0x80000000..0x80000034) lies outside RAM (the machine has no RAM)")
        // A segment straddling two adjacent ranges is not inside one of them.
        XCTAssertImageError(try image.check(machine: .arm, is64Bit: false,
                                            ram: [(base: 0x8000_0000, size: 0x40), (base: 0x8000_0040, size: 0x100)], machineName: "split"),
                            path: image.path, contains: "segment 1 (0x80000040..0x80000144) lies outside RAM (0x80000000..0x80000040, 0x80000040..0x80000140)")
    }

    func testSegmentOutsideRAMMessage() throws {
        let image = LoadedImage(
            path: "images/x.elf", is64Bit: false, machine: .arm, isLittleEndian: true, entry: 0x8000_0000,
            segments: [
                ImageSegment(physicalAddress: 0x8000_0000, virtualAddress: 0x8000_0000, data: [0, 0, 0, 0], memorySize: 4, flags: 5),
                ImageSegment(physicalAddress: 0, virtualAddress: 0, data: [], memorySize: 0x1000, flags: 6),
            ],
            symbols: SymbolTable([]))
        XCTAssertThrowsError(try image.check(machine: .arm, is64Bit: false, ram: tc2RAM, machineName: "tc2")) { error in
            XCTAssertEqual("\(error)", "images/x.elf: segment 1 (0x00000000..0x00001000) lies outside RAM (0x80000000..0xC0000000)")
        }
    }

    func testHandMadeImagesCannotOverflowTheCheck() {
        let image = LoadedImage(
            path: "huge.elf", is64Bit: true, machine: .riscv, isLittleEndian: true, entry: 0xFFFF_FFFF_FFFF_FFF0,
            segments: [ImageSegment(physicalAddress: 0xFFFF_FFFF_FFFF_FFF0, virtualAddress: 0xFFFF_FFFF_FFFF_FFF0,
                                    data: [], memorySize: 0x100, flags: 5)],
            symbols: SymbolTable([]))
        XCTAssertImageError(try image.check(machine: .riscv, is64Bit: true, ram: [(base: 0, size: UInt64.max)], machineName: "all"),
                            path: "huge.elf", contains: "segment 0 (0xFFFFFFFFFFFFFFF0 + 0x100 bytes, past the top of the address space) lies outside RAM (0x00000000..0xFFFFFFFFFFFFFFFF)")
        // A RAM range reaching past the top of memory holds a segment ending at its last byte.
        var top = image
        top.segments[0].memorySize = 0xF
        XCTAssertNoThrow(try top.check(machine: .riscv, is64Bit: true, ram: [(base: 0xFFFF_FFFF_0000_0000, size: UInt64.max)], machineName: "top"))
    }

    func testRefusesAnEntryPointOutsideExecutableSegments() throws {
        var image = try ImageLoader.load(path: Fixtures.path("arm-tiny.elf"))
        image.entry = 0x8000_0040   // the data segment: loaded, but not PF_X
        XCTAssertImageError(try image.check(machine: .arm, is64Bit: false, ram: tc2RAM, machineName: "tc2"),
                            path: image.path, contains: "entry point 0x80000040 is not inside a loaded executable (PF_X) segment")
        image.entry = 0x8000_0034   // one past the code
        XCTAssertImageError(try image.check(machine: .arm, is64Bit: false, ram: tc2RAM, machineName: "tc2"),
                            path: image.path, contains: "entry point 0x80000034 is not inside")
        image.entry = 0x8000_0031   // thumb_helper, entered in Thumb state (bit 0 set)
        XCTAssertNoThrow(try image.check(machine: .arm, is64Bit: false, ram: tc2RAM, machineName: "tc2"))
    }

    func testEntryMayBeVirtualOrPhysical() throws {
        // Linked to run at 0xC0000000 once the MMU is on, loaded at 0x80000000.
        var image = try ImageLoader.load(path: Fixtures.path("arm-tiny.elf"))
        image.segments[0].virtualAddress = 0xC000_0000
        image.entry = 0xC000_0008
        XCTAssertNoThrow(try image.check(machine: .arm, is64Bit: false, ram: tc2RAM, machineName: "tc2"))
        image.entry = 0x8000_0008
        XCTAssertNoThrow(try image.check(machine: .arm, is64Bit: false, ram: tc2RAM, machineName: "tc2"))
    }

    func testMachineNames() {
        XCTAssertEqual(ELFMachine(rawValue: 40), .arm)
        XCTAssertEqual(ELFMachine(rawValue: 243), .riscv)
        XCTAssertEqual(ELFMachine(rawValue: 183), .aarch64)
        XCTAssertEqual(ELFMachine(rawValue: 62), .x86_64)
        XCTAssertEqual(ELFMachine(rawValue: 3), .other(3))
        XCTAssertEqual(ELFMachine.other(40), .arm)
        XCTAssertEqual(["\(ELFMachine.arm)", "\(ELFMachine.riscv)", "\(ELFMachine.aarch64)", "\(ELFMachine.x86_64)", "\(ELFMachine.other(0xbeef))"],
                       ["ARM", "RISC-V", "AArch64", "x86-64", "machine 0xbeef"])
    }
}
