import Foundation
import XCTest
@testable import Images

/// Damaged copies of the fixtures, made by a fixed walk over every length and over every byte and
/// every aligned 2-, 4- and 8-byte field of the file: ELF header, program headers, segment bytes,
/// symbol and string tables, section headers (no randomness, so a failure names the exact
/// mutation). Each copy must load or be refused with an ImageError; a trap in the
/// loader would end the test process.
final class ImageFuzzTests: XCTestCase {
    private static let fixtures = ["arm-tiny.elf", "armeb-tiny.elf", "riscv64-tiny.elf"]
    private var path = ""

    override func setUp() {
        path = Fixtures.scratchPath("fuzz-\(name.filter { $0.isLetter || $0.isNumber })")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: path)
    }

    func testEveryTruncationIsRefused() throws {
        for fixture in Self.fixtures {
            let original = try Fixtures.bytes(fixture)
            for length in 0..<original.count {
                // The section header table ends the file, so every cut loses part of it.
                let outcome = try load(Array(original.prefix(length)))
                if case .loaded = outcome {
                    XCTFail("\(fixture) cut to \(length) bytes loaded")
                }
            }
        }
    }

    func testByteAndWordMutationsLoadOrFailCleanly() throws {
        let bytePatterns: [(String, (UInt8) -> UInt8)] = [
            ("xor 0x01", { $0 ^ 0x01 }), ("xor 0x80", { $0 ^ 0x80 }), ("0x00", { _ in 0x00 }), ("0xFF", { _ in 0xFF }),
        ]
        let wordPatterns: [UInt64] = [0, 0xFFFF_FFFF, 0xFFFF_FFF0, 0x8000_0000, 0x7FFF_FFFF, 0x0000_FFFF,
                                      0xFFFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000]
        var loaded = 0
        var refused = 0
        for fixture in Self.fixtures {
            let original = try Fixtures.bytes(fixture)
            for offset in original.indices {
                for (patternName, pattern) in bytePatterns {
                    var bytes = original
                    bytes[offset] = pattern(bytes[offset])
                    switch try load(bytes) {
                    case .loaded: loaded += 1
                    case .refused: refused += 1
                    case .otherError(let error):
                        XCTFail("\(fixture) byte \(offset) \(patternName): \(type(of: error)) \(error)")
                    }
                }
            }
            // Whole fields: offsets, sizes, addresses and counts set to extremes.
            let wordSize = original[4] == 2 ? 8 : 4
            for offset in stride(from: 0, to: original.count, by: 2) {
                for size in Set([2, 4, wordSize]).sorted() where offset % size == 0 && offset + size <= original.count {
                    for value in wordPatterns {
                        var bytes = original
                        bytes.setLittleEndian(value, at: offset, size: size)
                        switch try load(bytes) {
                        case .loaded: loaded += 1
                        case .refused: refused += 1
                        case .otherError(let error):
                            XCTFail("\(fixture) \(size)-byte field at \(offset) = \(Hex.number(value)): \(type(of: error)) \(error)")
                        }
                    }
                }
            }
        }
        // Both outcomes occur: the walk reaches fields the loader ignores and ones it rejects.
        XCTAssertGreaterThan(loaded, 0)
        XCTAssertGreaterThan(refused, 0)
    }

    private enum Outcome { case loaded, refused, otherError(Error) }

    private func load(_ bytes: [UInt8]) throws -> Outcome {
        try Fixtures.write(bytes, to: path)
        do {
            let image = try ImageLoader.load(path: path)
            // Whatever loaded must be consistent and usable without trapping.
            for segment in image.segments {
                XCTAssertLessThanOrEqual(UInt64(segment.data.count), segment.memorySize)
                XCTAssertGreaterThan(segment.memorySize, 0)
            }
            _ = image.symbols.symbolize(image.entry)
            _ = try? image.check(machine: image.machine, is64Bit: image.is64Bit,
                                 ram: [(base: 0x8000_0000, size: 0x4000_0000)], machineName: "fuzz")
            return .loaded
        } catch let error as ImageError {
            XCTAssertEqual(error.path, path)
            XCTAssertFalse(error.description.contains("\n"))
            XCTAssertFalse(error.message.isEmpty)
            return .refused
        } catch {
            return .otherError(error)
        }
    }
}
