import CLibFDT

/// A device tree that could not be written or read. Problems with the machine description or a
/// core profile are reported as `ProfileError` (file, key, what was expected); this type covers
/// libfdt's own failures and wrong use of `DeviceTreeBuilder`.
public enum DeviceTreeError: Error, Equatable, CustomStringConvertible {
    /// A libfdt call returned a negative `FDT_ERR_*` code.
    case libfdt(operation: String, node: String, code: Int32)
    /// A builder call out of order (a property after a child node, `endNode` with no open node,
    /// `finish` with nodes still open) or a value a flattened tree cannot hold.
    case misuse(node: String, message: String)
    /// A value does not fit the cells the parent node declares (`#address-cells`,
    /// `#size-cells`; Devicetree Specification v0.4 §2.3.5).
    case cellOverflow(node: String, property: String, value: UInt64, cells: Int)
    /// A blob that is not a well-formed flattened device tree.
    case invalidBlob(reason: String)

    public var description: String {
        switch self {
        case let .libfdt(operation, node, code):
            return "device tree: \(operation) at \(node.isEmpty ? "/" : node) failed: \(DeviceTreeError.message(code))"
        case let .misuse(node, message):
            return "device tree: \(node.isEmpty ? "/" : node): \(message)"
        case let .cellOverflow(node, property, value, cells):
            return "device tree: \(node): \(property) value 0x\(String(value, radix: 16)) does not fit in \(cells) cell(s)"
        case let .invalidBlob(reason):
            return "device tree blob: \(reason)"
        }
    }

    /// libfdt's text for an error code (`fdt_strerror` takes the negative value).
    static func message(_ code: Int32) -> String {
        guard let text = fdt_strerror(code) else { return "libfdt error \(code)" }
        return String(cString: text)
    }
}
