/// Why an image could not be loaded, or does not fit a machine: the file and the problem, printed
/// on one line as "<path>: <message>".
public struct ImageError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        // One line, whatever the file name or a libelf message contained.
        let line = "\(path): \(message)"
        return String(line.map { $0.isNewline ? " " : $0 })
    }
}
