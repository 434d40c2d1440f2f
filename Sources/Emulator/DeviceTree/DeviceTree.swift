import CLibFDT

/// Checks and reads flattened device-tree blobs through libfdt. The reader is small: enough for
/// tests and reports to look a property up by path.
public enum DeviceTree {
    /// The size of a version-17 header (Devicetree Specification v0.4 §5.2).
    static let headerSize = 40

    /// Throws unless the blob is a complete, well-formed tree: `fdt_check_header`, then
    /// `fdt_check_full` (structure block, strings, node nesting, property names).
    public static func validate(_ blob: [UInt8]) throws {
        guard blob.count >= headerSize else {
            throw DeviceTreeError.invalidBlob(reason: "\(blob.count) bytes is shorter than the \(headerSize)-byte header")
        }
        try withAligned(blob) { fdt in
            var rc = fdt_check_header(fdt)
            guard rc == 0 else { throw DeviceTreeError.libfdt(operation: "fdt_check_header", node: "/", code: rc) }
            rc = fdt_check_full(fdt, blob.count)
            guard rc == 0 else { throw DeviceTreeError.libfdt(operation: "fdt_check_full", node: "/", code: rc) }
        }
    }

    /// The raw value of property `name` of the node at `path`, or nil when the blob is not a
    /// valid tree, the node does not exist or has no such property.
    public static func property(_ blob: [UInt8], path: String, name: String) -> [UInt8]? {
        guard (try? validate(blob)) != nil else { return nil }
        return withAligned(blob) { fdt -> [UInt8]? in
            let node = fdt_path_offset(fdt, path)
            guard node >= 0 else { return nil }
            var length: Int32 = 0
            guard let value = fdt_getprop(fdt, node, name, &length), length >= 0 else { return nil }
            return Array(UnsafeRawBufferPointer(start: value, count: Int(length)))
        }
    }

    /// A property read as big-endian 32-bit cells; nil when absent or not a whole number of cells.
    public static func cells(_ blob: [UInt8], path: String, name: String) -> [UInt32]? {
        guard let bytes = property(blob, path: path, name: name), bytes.count % 4 == 0 else { return nil }
        return stride(from: 0, to: bytes.count, by: 4).map { i -> UInt32 in
            let high = UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16
            let low = UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
            return high | low
        }
    }

    /// A property read as a `<stringlist>`; nil when absent or not NUL-terminated.
    public static func strings(_ blob: [UInt8], path: String, name: String) -> [String]? {
        guard let bytes = property(blob, path: path, name: name), bytes.last == 0 else { return nil }
        return bytes.dropLast().split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether a node exists at `path` in a valid tree.
    public static func hasNode(_ blob: [UInt8], path: String) -> Bool {
        guard (try? validate(blob)) != nil else { return false }
        return withAligned(blob) { fdt_path_offset($0, path) >= 0 }
    }

    /// One node of a tree: its full path and its properties in blob order.
    public struct Node: Equatable, Sendable {
        public var path: String
        public var properties: [(name: String, value: [UInt8])]
        public static func == (a: Node, b: Node) -> Bool {
            a.path == b.path && a.properties.elementsEqual(b.properties) { $0.name == $1.name && $0.value == $1.value }
        }
        public func property(_ name: String) -> [UInt8]? { properties.first { $0.name == name }?.value }
    }

    /// Every node of a valid tree in blob order (depth first), or nil when the blob is not one.
    public static func nodes(_ blob: [UInt8]) -> [Node]? {
        guard (try? validate(blob)) != nil else { return nil }
        return withAligned(blob) { fdt -> [Node]? in
            var result: [Node] = []
            var names: [String] = []
            var depth: Int32 = 0
            var offset: Int32 = 0
            // fdt_next_node leaves the root with depth -1 (and a valid offset), else fails.
            while offset >= 0 && depth >= 0 {
                guard let cName = fdt_get_name(fdt, offset, nil) else { return nil }
                let level = Int(depth)
                names = Array(names.prefix(level))
                names.append(String(cString: cName))
                let path = level == 0 ? "/" : "/" + names.dropFirst().joined(separator: "/")
                var properties: [(name: String, value: [UInt8])] = []
                var p = fdt_first_property_offset(fdt, offset)
                while p >= 0 {
                    var nameRef: UnsafePointer<CChar>?
                    var length: Int32 = 0
                    guard let value = fdt_getprop_by_offset(fdt, p, &nameRef, &length), let nameRef, length >= 0 else { return nil }
                    properties.append((String(cString: nameRef), Array(UnsafeRawBufferPointer(start: value, count: Int(length)))))
                    p = fdt_next_property_offset(fdt, p)
                }
                result.append(Node(path: path, properties: properties))
                offset = fdt_next_node(fdt, offset, &depth)
            }
            return result
        }
    }

    /// libfdt requires the tree 8-byte aligned; an array's storage makes no such promise.
    private static func withAligned<T>(_ blob: [UInt8], _ body: (UnsafeRawPointer) throws -> T) rethrows -> T {
        let copy = UnsafeMutableRawPointer.allocate(byteCount: max(blob.count, 1), alignment: 8)
        defer { copy.deallocate() }
        blob.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { copy.copyMemory(from: base, byteCount: bytes.count) }
        }
        return try body(UnsafeRawPointer(copy))
    }
}
