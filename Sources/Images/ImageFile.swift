#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file opened read-only, with its size, read at explicit offsets. The loader checks
/// every range taken from the ELF file against `size` before reading it.
final class ImageFile {
    let path: String
    let descriptor: Int32
    let size: UInt64

    init(path: String) throws {
        self.path = path
        // O_NONBLOCK: opening a FIFO named as an image must not wait for a writer; it is then
        // refused as not a regular file. Reads from a regular file ignore the flag.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw ImageError(path: path, message: "cannot open: \(ImageFile.lastSystemError())")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = ImageFile.lastSystemError()
            close(descriptor)
            throw ImageError(path: path, message: "cannot read the file's status: \(reason)")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw ImageError(path: path, message: "not a regular file")
        }
        self.descriptor = descriptor
        // A regular file's st_size is never negative; clamp rather than trap if it were.
        self.size = UInt64(clamping: status.st_size)
    }

    deinit {
        close(descriptor)
    }

    /// Whether [offset, offset + length) lies inside the file, without overflowing.
    func contains(offset: UInt64, length: UInt64) -> Bool {
        let (end, overflow) = offset.addingReportingOverflow(length)
        return !overflow && end <= size
    }

    /// Exactly `length` bytes at `offset`, which the caller has checked lie inside the file.
    /// Throws if the file cannot be read or has shrunk since it was opened.
    func read(offset: UInt64, length: UInt64) throws -> [UInt8] {
        guard contains(offset: offset, length: length), length <= UInt64(Int.max),
              offset <= UInt64(Int64.max) else {
            throw ImageError(path: path, message: "truncated: \(Hex.number(length)) bytes at offset \(Hex.number(offset)) run past the end of the file (\(size) bytes)")
        }
        let count = Int(length)
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count, let base = buffer.baseAddress {
                let got = pread(descriptor, base + done, count - done, off_t(offset) + off_t(done))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = "cannot read: \(ImageFile.lastSystemError())"
                    break
                }
                if got == 0 {
                    failure = "truncated: the file ended at \(Hex.number(offset &+ UInt64(done))) while reading \(Hex.number(length)) bytes at offset \(Hex.number(offset))"
                    break
                }
                done += got
            }
            // Bytes not read are zero-filled so the array is always fully initialised; the
            // caller never sees them because `failure` is set.
            if done < count, let base = buffer.baseAddress {
                (base + done).initialize(repeating: 0, count: count - done)
            }
            initialized = count
        }
        if let failure { throw ImageError(path: path, message: failure) }
        return bytes
    }

    static func lastSystemError() -> String {
        String(cString: strerror(errno))
    }
}
