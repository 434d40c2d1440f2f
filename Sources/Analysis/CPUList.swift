/// A set of CPU (or hart) numbers written as Linux writes CPU masks in sysfs and on the kernel
/// command line: comma-separated numbers and inclusive ranges, `0-1`, `2-4`, `0,2-3`
/// (Documentation/admin-guide/cputopology.rst). `--affinity`, `--offline`, KVM CPU masks and
/// injection targets are all written this way.
public struct CPUList: Equatable, Sendable, CustomStringConvertible {
    /// Sorted, without duplicates.
    public private(set) var cpus: [Int]

    public init<S: Sequence>(_ cpus: S) where S.Element == Int {
        self.cpus = Array(Set(cpus)).sorted()
    }

    /// Parse `LIST`; `cpuCount` bounds every number (CPU n exists for n < cpuCount). The error
    /// says what was wrong, for the caller to prefix with the flag or field it came from.
    public init(parsing text: String, cpuCount: Int) throws {
        var result: [Int] = []
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw CPUListError("empty CPU list (expected e.g. 0-1 or 0,2-4)") }
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2,
                  let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]), low >= 0 else {
                throw CPUListError("'\(part)' is not a CPU number or range (expected e.g. 0-1 or 0,2-4)")
            }
            guard low <= high else { throw CPUListError("range '\(part)' runs backwards") }
            guard high < cpuCount else {
                throw CPUListError("CPU \(high) does not exist (the machine has CPUs 0-\(cpuCount - 1))")
            }
            result.append(contentsOf: low...high)
        }
        self.init(result)
    }

    public var isEmpty: Bool { cpus.isEmpty }
    public func contains(_ cpu: Int) -> Bool { cpus.contains(cpu) }
    public func intersection(_ other: CPUList) -> CPUList { CPUList(cpus.filter(other.contains)) }
    public func subtracting(_ other: CPUList) -> CPUList { CPUList(cpus.filter { !other.contains($0) }) }

    /// The canonical text: consecutive CPUs collapse into a range, two of them included (`0-1`,
    /// as Linux's `%*pbl` prints a mask); the empty list is "none".
    public var description: String {
        guard var start = cpus.first else { return "none" }
        var parts: [String] = []
        var previous = start
        for cpu in cpus.dropFirst() + [Int.min] {
            if cpu == previous + 1 { previous = cpu; continue }
            parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
            start = cpu
            previous = cpu
        }
        return parts.joined(separator: ",")
    }
}

public struct CPUListError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    fileprivate func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
