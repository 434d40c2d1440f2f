/// A file read as raw bytes, for firmware that may come as a flat binary (QEMU's `-bios FILE`
/// takes an ELF or a raw image, `hw/riscv/boot.c` riscv_load_firmware).
public enum RawImage {
    /// Every byte of the regular file at `path`. Throws an ImageError naming `path` when the
    /// file cannot be read, is empty (the message says `expected`), or holds more than `maxSize`
    /// bytes (checked before the file is read, so a huge file costs nothing).
    public static func load(path: String, maxSize: UInt64, limit: String,
                            expected: String = "a firmware image (an RV64 ELF executable or a raw .bin)") throws -> [UInt8] {
        let file = try ImageFile(path: path)
        guard file.size > 0 else {
            throw ImageError(path: path, message: "empty; expected \(expected)")
        }
        guard file.size <= maxSize else {
            throw ImageError(path: path, message: "\(file.size) bytes as a raw image, larger than \(limit) (\(Hex.number(maxSize)) bytes)")
        }
        return try file.read(offset: 0, length: file.size)
    }
}

extension RawImage {
    /// Whether the file at `path` starts with the ELF magic (gABI "ELF Identification"), so
    /// that a loader taking both forms knows which one it has. Throws when it cannot be read.
    public static func hasELFMagic(path: String) throws -> Bool {
        let file = try ImageFile(path: path)
        guard file.size >= 4 else { return false }
        return try file.read(offset: 0, length: 4) == [0x7F, 0x45, 0x4C, 0x46]
    }
}
