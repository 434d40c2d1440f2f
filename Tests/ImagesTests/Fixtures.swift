import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import Images

/// The committed ELF fixtures (see Fixtures/build-fixtures.sh) and scratch files for mutated
/// copies of them. Fixtures are found next to this source file: the package declares no test
/// resources.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// A scratch file of this process, unique per `name`; the caller removes it.
    static func scratchPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("hetboot-images-\(ProcessInfo.processInfo.processIdentifier)-\(name)").path
    }

    /// Replaces the file at `path` with `bytes` (plain open/write: the fuzz tests write tens of
    /// thousands of copies).
    static func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            guard count > 0 else { throw CocoaError(.fileWriteUnknown) }
            written += count
        }
    }
}

/// Little-endian field access into an ELF file's bytes, for patching fixtures in tests.
extension Array where Element == UInt8 {
    func littleEndian(at offset: Int, size: Int) -> UInt64 {
        (0..<size).reduce(UInt64(0)) { $0 | UInt64(self[offset + $1]) << (8 * UInt64($1)) }
    }

    mutating func setLittleEndian(_ value: UInt64, at offset: Int, size: Int) {
        for byte in 0..<size { self[offset + byte] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(byte))) }
    }
}

/// Offsets of the ELF32 fields the tests patch (System V gABI, "ELF Header", "Program Header",
/// "Sections").
enum ELF32Layout {
    static let e_type = 16, e_shoff = 32, e_phentsize = 42, e_shnum = 48
    static let e_phoff = 28
    static let headerSize = 52, programHeaderSize = 32, sectionHeaderSize = 40
    static let p_type = 0, p_offset = 4, p_vaddr = 8, p_paddr = 12, p_filesz = 16, p_memsz = 20, p_flags = 24
    static let sh_type = 4, sh_offset = 16, sh_size = 20, sh_link = 24, sh_entsize = 36

    static func programHeader(_ bytes: [UInt8], _ index: Int) -> Int {
        Int(bytes.littleEndian(at: e_phoff, size: 4)) + index * programHeaderSize
    }

    /// The file offset of the first section header of `type` (2 = SHT_SYMTAB).
    static func sectionHeader(_ bytes: [UInt8], type: UInt64) -> Int? {
        let table = Int(bytes.littleEndian(at: e_shoff, size: 4))
        let count = Int(bytes.littleEndian(at: e_shnum, size: 2))
        return (0..<count).map { table + $0 * sectionHeaderSize }
            .first { bytes.littleEndian(at: $0 + sh_type, size: 4) == type }
    }
}

/// Asserts that `body` throws an ImageError naming `path` whose message contains `fragment`, on
/// one line.
func XCTAssertImageError<T>(_ body: @autoclosure () throws -> T, path: String, contains fragment: String,
                            file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected an ImageError containing \"\(fragment)\"", file: file, line: line)
    } catch let error as ImageError {
        XCTAssertEqual(error.path, path, file: file, line: line)
        XCTAssertTrue(error.message.contains(fragment), "\"\(error.message)\" does not contain \"\(fragment)\"", file: file, line: line)
        XCTAssertTrue(error.description.hasPrefix(path + ": "), error.description, file: file, line: line)
        XCTAssertFalse(error.description.contains("\n"), error.description, file: file, line: line)
    } catch {
        XCTFail("expected an ImageError, got \(type(of: error)): \(error)", file: file, line: line)
    }
}
