import CLibFDT

/// A node's handle for references from other nodes (Devicetree Specification v0.4 §2.3.3):
/// 1 … 0xFFFF_FFFE; 0 and 0xFFFF_FFFF are not valid phandles.
public struct Phandle: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt32
    public var description: String { "<\(value)>" }
}

/// One entry of an `interrupts-extended` list: the controller and its `#interrupt-cells` cells
/// (for a RISC-V hart's `riscv,cpu-intc`, one cell: the `mip` bit number).
public struct InterruptSpecifier: Equatable, Sendable {
    public var controller: Phandle
    public var cells: [UInt32]
    public init(controller: Phandle, cells: [UInt32]) {
        self.controller = controller
        self.cells = cells
    }
}

/// Writes a flattened device tree front to back through libfdt's sequential-write API
/// (`fdt_create`, `fdt_begin_node`, `fdt_property*`, `fdt_end_node`, `fdt_finish`). Every libfdt
/// return code is checked; a failure is a thrown `DeviceTreeError`. When the buffer fills up, it
/// is doubled with `fdt_resize` and the call repeated (libfdt undoes a call that ran out of
/// space, so the retry is exact).
///
/// The builder remembers each open node's `#address-cells` / `#size-cells` so that `reg`
/// encodes addresses and sizes with the cells the parent declares (defaults 2 and 1, §2.3.5).
public final class DeviceTreeBuilder {
    /// The largest buffer the builder will grow to. libfdt sizes are `int`.
    public static let maximumCapacity = 1 << 30

    private struct OpenNode {
        var name: String
        var addressCells: Int?
        var sizeCells: Int?
        /// libfdt's sequential writer needs every property of a node before its first child.
        var hasChild = false
    }

    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var open: [OpenNode] = []
    private var rootDone = false
    private var finished = false
    private var lastPhandle: UInt32 = 0

    /// Starts an empty tree with an empty memory-reservation map. Phandles count up from
    /// `firstPhandle` (QEMU's arm boards start at 0x8000, its riscv boards at 1).
    public init(initialCapacity: Int = 0x4000, firstPhandle: UInt32 = 1) throws {
        lastPhandle = min(max(firstPhandle, 1), 0xFFFF_FFFE) - 1
        capacity = min(max(initialCapacity, 0x400), DeviceTreeBuilder.maximumCapacity)
        buffer = DeviceTreeBuilder.allocate(capacity)
        let size = Int32(capacity)
        try call("fdt_create") { fdt_create($0, size) }
        try call("fdt_finish_reservemap") { fdt_finish_reservemap($0) }
    }

    deinit { buffer.deallocate() }

    /// The path of the node being written ("/" for the root, "" before it is opened).
    public var currentPath: String {
        guard !open.isEmpty else { return "" }
        let names = open.dropFirst().map(\.name)
        return "/" + names.joined(separator: "/")
    }

    /// A fresh phandle, counting up from the first one.
    public func allocatePhandle() throws -> Phandle {
        guard lastPhandle < 0xFFFF_FFFE else {
            throw DeviceTreeError.misuse(node: currentPath, message: "no phandle values left")
        }
        lastPhandle += 1
        return Phandle(value: lastPhandle)
    }

    // MARK: Nodes

    /// Opens a node: the root is the first node and has the empty name; every other node is a
    /// child of the node currently open.
    public func beginNode(_ name: String) throws {
        try checkOpenForWriting()
        if open.isEmpty {
            guard !rootDone else {
                throw DeviceTreeError.misuse(node: "/", message: "the root node is already closed; a tree has one root")
            }
            guard name.isEmpty else {
                throw DeviceTreeError.misuse(node: "", message: "the first node must be the root, named \"\"; got \"\(name)\"")
            }
        } else {
            guard !name.isEmpty, !name.contains("/"), !name.utf8.contains(0) else {
                throw DeviceTreeError.misuse(node: currentPath, message: "\"\(name)\" is not a node name; expected a non-empty name without / or NUL")
            }
            open[open.count - 1].hasChild = true
        }
        let path = open.isEmpty ? "/" : currentPath + (open.count == 1 ? "" : "/") + name
        try name.withCString { cname in
            try call("fdt_begin_node(\"\(name)\")", node: path) { fdt_begin_node($0, cname) }
        }
        open.append(OpenNode(name: name))
    }

    /// Closes the node opened last.
    public func endNode() throws {
        try checkOpenForWriting()
        guard !open.isEmpty else {
            throw DeviceTreeError.misuse(node: "", message: "endNode with no node open")
        }
        try call("fdt_end_node") { fdt_end_node($0) }
        open.removeLast()
        if open.isEmpty { rootDone = true }
    }

    // MARK: Properties

    /// An empty property (a boolean such as `interrupt-controller` or `ranges`).
    public func property(_ name: String) throws {
        try property(name, bytes: [])
    }

    /// A property with the given raw value.
    public func property(_ name: String, bytes: [UInt8]) throws {
        guard bytes.count <= Int(Int32.max) else {
            throw DeviceTreeError.misuse(node: currentPath, message: "property \(name) is too long for a flattened tree")
        }
        try writeProperty(name) { fdt, cname in
            // A zero-length value still needs a valid pointer for libfdt's memcpy.
            var value = bytes
            if value.isEmpty { value = [0] }
            return value.withUnsafeBytes { fdt_property(fdt, cname, $0.baseAddress, Int32(bytes.count)) }
        }
        noteCells(name, bytes)
    }

    /// A one-cell property (`fdt_property_u32`).
    public func property(_ name: String, u32 value: UInt32) throws {
        try writeProperty(name) { fdt, cname in fdt_property_u32(fdt, cname, value) }
        noteCells(name, DeviceTreeBuilder.bigEndian([value]))
    }

    /// A two-cell property (`fdt_property_u64`).
    public func property(_ name: String, u64 value: UInt64) throws {
        try writeProperty(name) { fdt, cname in fdt_property_u64(fdt, cname, value) }
    }

    /// A `<prop-encoded-array>` of 32-bit cells.
    public func property(_ name: String, cells: [UInt32]) throws {
        try property(name, bytes: DeviceTreeBuilder.bigEndian(cells))
    }

    /// A NUL-terminated string.
    public func property(_ name: String, string: String) throws {
        try property(name, strings: [string])
    }

    /// A `<stringlist>`: the strings one after the other, each NUL-terminated.
    public func property(_ name: String, strings: [String]) throws {
        var bytes: [UInt8] = []
        for string in strings {
            guard !string.utf8.contains(0) else {
                throw DeviceTreeError.misuse(node: currentPath, message: "property \(name): string \"\(string)\" contains NUL")
            }
            bytes += Array(string.utf8) + [0]
        }
        try property(name, bytes: bytes)
    }

    /// This node's `phandle`.
    public func phandle(_ handle: Phandle) throws {
        try property("phandle", u32: handle.value)
    }

    /// `reg`: (address, size) pairs, each encoded in the `#address-cells` / `#size-cells` cells
    /// the parent node declares.
    public func reg(_ entries: [(address: UInt64, size: UInt64)]) throws {
        let parent = open.count >= 2 ? open[open.count - 2] : nil
        let addressCells = parent?.addressCells ?? 2
        let sizeCells = parent?.sizeCells ?? 1
        var cells: [UInt32] = []
        for entry in entries {
            cells += try encode(entry.address, in: addressCells, property: "reg")
            cells += try encode(entry.size, in: sizeCells, property: "reg")
        }
        try property("reg", cells: cells)
    }

    /// `interrupts-extended`: for each interrupt, the controller's phandle then its cells.
    public func interruptsExtended(_ specifiers: [InterruptSpecifier]) throws {
        var cells: [UInt32] = []
        for specifier in specifiers {
            cells.append(specifier.controller.value)
            cells += specifier.cells
        }
        try property("interrupts-extended", cells: cells)
    }

    // MARK: Finishing

    /// Closes the tree (`fdt_finish`) and returns the blob. `extraSpace` bytes of free space are
    /// added at the end through `fdt_open_into`, for firmware that edits the tree in place, and
    /// more if needed for the blob to be `totalSize` bytes (QEMU's arm boards keep 1 MiB).
    public func finish(extraSpace: Int = 0, totalSize: Int = 0) throws -> [UInt8] {
        try checkOpenForWriting()
        guard open.isEmpty, rootDone else {
            throw DeviceTreeError.misuse(node: currentPath, message: rootDone || !open.isEmpty
                ? "finish with nodes still open" : "finish before the root node was written")
        }
        try call("fdt_finish") { fdt_finish($0) }
        finished = true
        // fdt_header.totalsize, big-endian at offset 4 (Devicetree Specification §5.2).
        let total = Int(UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        guard total <= capacity else {
            throw DeviceTreeError.invalidBlob(reason: "fdt_finish reported totalsize \(total) beyond the \(capacity)-byte buffer")
        }
        let extra = max(extraSpace, totalSize - total)
        guard extra > 0 else {
            return Array(UnsafeRawBufferPointer(start: buffer, count: total))
        }
        guard extra <= DeviceTreeBuilder.maximumCapacity - total else {
            throw DeviceTreeError.misuse(node: "/", message: "extra space \(extra) makes the blob larger than \(DeviceTreeBuilder.maximumCapacity) bytes")
        }
        let size = total + extra
        let opened = DeviceTreeBuilder.allocate(size)
        defer { opened.deallocate() }
        let rc = fdt_open_into(buffer, opened, Int32(size))
        guard rc == 0 else { throw DeviceTreeError.libfdt(operation: "fdt_open_into", node: "/", code: rc) }
        return Array(UnsafeRawBufferPointer(start: opened, count: size))
    }

    // MARK: Private

    /// libfdt wants the tree 8-byte aligned (FDT_ERR_ALIGNMENT).
    static func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        return p
    }

    static func bigEndian(_ cells: [UInt32]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(cells.count * 4)
        for cell in cells {
            bytes += [UInt8(cell >> 24), UInt8(cell >> 16 & 0xFF), UInt8(cell >> 8 & 0xFF), UInt8(cell & 0xFF)]
        }
        return bytes
    }

    private func checkOpenForWriting() throws {
        guard !finished else {
            throw DeviceTreeError.misuse(node: "", message: "the tree is already finished")
        }
    }

    private func writeProperty(_ name: String,
                               _ body: (UnsafeMutableRawPointer, UnsafePointer<CChar>) -> Int32) throws {
        try checkOpenForWriting()
        guard let node = open.last else {
            throw DeviceTreeError.misuse(node: "", message: "property \(name) outside any node")
        }
        guard !node.hasChild else {
            throw DeviceTreeError.misuse(node: currentPath, message: "property \(name) after a child node; properties come first")
        }
        guard !name.isEmpty, !name.utf8.contains(0) else {
            throw DeviceTreeError.misuse(node: currentPath, message: "\"\(name)\" is not a property name")
        }
        try name.withCString { cname in
            try call("fdt_property(\"\(name)\")") { body($0, cname) }
        }
    }

    /// Records `#address-cells` / `#size-cells` for the children's `reg`.
    private func noteCells(_ name: String, _ bytes: [UInt8]) {
        guard name == "#address-cells" || name == "#size-cells", bytes.count == 4, !open.isEmpty else { return }
        let value = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        if name == "#address-cells" { open[open.count - 1].addressCells = value }
        else { open[open.count - 1].sizeCells = value }
    }

    private func encode(_ value: UInt64, in count: Int, property: String) throws -> [UInt32] {
        let fits = count >= 2 || (count == 1 && value <= UInt64(UInt32.max)) || value == 0
        guard fits, count <= 4 else {
            throw DeviceTreeError.cellOverflow(node: currentPath, property: property, value: value, cells: count)
        }
        var cells = [UInt32](repeating: 0, count: count)
        if count >= 1 { cells[count - 1] = UInt32(truncatingIfNeeded: value) }
        if count >= 2 { cells[count - 2] = UInt32(truncatingIfNeeded: value >> 32) }
        return cells
    }

    /// Runs one libfdt call; on FDT_ERR_NOSPACE grows the buffer and repeats it.
    private func call(_ operation: String, node: String? = nil,
                      _ body: (UnsafeMutableRawPointer) -> Int32) throws {
        var rc = body(buffer)
        while rc == -FDT_ERR_NOSPACE {
            try grow(operation: operation, node: node ?? currentPath)
            rc = body(buffer)
        }
        guard rc >= 0 else {
            throw DeviceTreeError.libfdt(operation: operation, node: node ?? currentPath, code: rc)
        }
    }

    private func grow(operation: String, node: String) throws {
        guard capacity <= DeviceTreeBuilder.maximumCapacity / 2 else {
            throw DeviceTreeError.libfdt(operation: operation, node: node, code: -FDT_ERR_NOSPACE)
        }
        let newCapacity = capacity * 2
        let newBuffer = DeviceTreeBuilder.allocate(newCapacity)
        let rc = fdt_resize(buffer, newBuffer, Int32(newCapacity))
        guard rc == 0 else {
            newBuffer.deallocate()
            throw DeviceTreeError.libfdt(operation: "fdt_resize", node: node, code: rc)
        }
        buffer.deallocate()
        buffer = newBuffer
        capacity = newCapacity
    }
}
