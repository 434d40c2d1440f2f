import Foundation
import XCTest
@testable import Profiles

/// The shipped `cpu-profiles` directory: found by walking up from this source file (symlinks
/// resolved, so a scratch package that links the test sources in still finds the repository),
/// else from `$HETBOOT_PROFILES`.
func shippedProfilesDirectory() throws -> String {
    var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    while url.path != "/" {
        let candidate = url.appendingPathComponent("cpu-profiles")
        if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("cores").path) {
            return candidate.path
        }
        url = url.deletingLastPathComponent()
    }
    if let fromEnvironment = ProcessInfo.processInfo.environment["HETBOOT_PROFILES"] { return fromEnvironment }
    throw XCTSkip("cpu-profiles not found above \(#filePath)")
}

func shippedStore() throws -> ProfileStore {
    try ProfileStore(directory: try shippedProfilesDirectory())
}

/// A profile directory in /tmp that a test fills with files of its own; removed by `remove()`.
final class ScratchProfiles {
    private static var counter = 0
    let directory: String

    init() throws {
        Self.counter += 1
        directory = NSTemporaryDirectory() + "hetboot-profiles-\(ProcessInfo.processInfo.processIdentifier)-\(Self.counter)"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory + "/cores", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/machines", withIntermediateDirectories: true)
    }

    /// Copies the shipped core profiles in (machines refer to them).
    func copyShippedCores() throws {
        let shipped = try shippedProfilesDirectory() + "/cores"
        for name in try FileManager.default.contentsOfDirectory(atPath: shipped) where name.hasSuffix(".toml") {
            try FileManager.default.copyItem(atPath: "\(shipped)/\(name)", toPath: "\(directory)/cores/\(name)")
        }
    }

    func shippedText(_ relativePath: String) throws -> String {
        try String(contentsOfFile: try shippedProfilesDirectory() + "/" + relativePath, encoding: .utf8)
    }

    func core(_ name: String, _ text: String) throws {
        try text.write(toFile: path(core: name), atomically: true, encoding: .utf8)
    }

    func machine(_ name: String, _ text: String) throws {
        try text.write(toFile: path(machine: name), atomically: true, encoding: .utf8)
    }

    func path(core name: String) -> String { "\(directory)/cores/\(name).toml" }
    func path(machine name: String) -> String { "\(directory)/machines/\(name).toml" }

    func store() throws -> ProfileStore { try ProfileStore(directory: directory) }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// Asserts that `body` throws a `ProfileError` for `file` and `key` whose message contains every
/// string in `contains`; returns the error for further checks.
@discardableResult
func assertProfileError(file: String, key: String, contains: [String] = [],
                        _ body: () throws -> Void,
                        sourceFile: StaticString = #filePath, line: UInt = #line) -> ProfileError? {
    do {
        try body()
        XCTFail("expected a ProfileError at \(file): \(key)", file: sourceFile, line: line)
        return nil
    } catch let error as ProfileError {
        XCTAssertEqual(error.file, file, "\(error)", file: sourceFile, line: line)
        XCTAssertEqual(error.key, key, "\(error)", file: sourceFile, line: line)
        for text in contains {
            XCTAssertTrue(error.message.contains(text), "\"\(error.message)\" lacks \"\(text)\"",
                          file: sourceFile, line: line)
        }
        XCTAssertFalse(error.description.contains("\n"), "not one line: \(error)", file: sourceFile, line: line)
        return error
    } catch {
        XCTFail("expected a ProfileError, got \(error)", file: sourceFile, line: line)
        return nil
    }
}

/// A minimal complete ARMv7-A profile (every required ID register, one cache level).
func minimalARMProfile(name: String, extra: String = "", idRegisters: String? = nil,
                       features: String? = nil, caches: String? = nil, tables: String = "") -> String {
    let ids = idRegisters ?? """
        MIDR = 0x410FC075
        CTR = 0x84448003
        ID_PFR0 = 0x1131
        ID_PFR1 = 0x11011
        ID_DFR0 = 0x02010555
        ID_AFR0 = 0
        ID_MMFR0 = 0x10101105
        ID_MMFR1 = 0x40000000
        ID_MMFR2 = 0x01240000
        ID_MMFR3 = 0x02102211
        ID_ISAR0 = 0x02101110
        ID_ISAR1 = 0x13112111
        ID_ISAR2 = 0x21232041
        ID_ISAR3 = 0x11112131
        ID_ISAR4 = 0x10011142
        ID_ISAR5 = 0
        MVFR0 = 0x10110222
        MVFR1 = 0x11111111
        FPSID = 0x41023075
        CLIDR = 0x0A200003
        DBGDIDR = 0x3515F005
        """
    let featureText = features ?? """
        security = true
        virtualization = true
        lpae = true
        generic-timer = true
        integer-divide = true
        multiprocessing = true
        thumb = true
        gic-priority-bits = 5
        """
    let cacheText = caches ?? """
        [[caches]]
        level = 1
        kind = "data"
        ccsidr = 0x700FE01A
        size = 32768
        ways = 4
        line = 64

        [[caches]]
        level = 1
        kind = "instruction"
        ccsidr = 0x203FE009
        size = 32768
        ways = 2
        line = 32
        """
    return """
        name = "\(name)"
        architecture = "armv7-a"
        description = "test core \(name)"
        \(extra)

        [id-registers]
        \(ids)

        [system-registers.SCTLR]
        reset = 0x00C50078
        res1 = 0x00C50058
        res0 = 0x84028380

        [features]
        \(featureText)

        \(cacheText)

        \(tables)
        """
}

/// A minimal machine with one cluster of `profile`.
func minimalMachine(name: String, profile: String = "cortex-a7", count: Int = 1,
                    ram: String? = nil, devices: String = "", boot: String? = nil, tail: String = "") -> String {
    """
    name = "\(name)"
    description = "test machine"
    architecture = "armv7-a"

    [[clusters]]
    id = 0
    profile = "\(profile)"
    count = \(count)

    \(ram ?? "[[ram]]\nname = \"dram\"\nbase = 0x80000000\nsize = 0x100000")

    \(devices)

    \(boot ?? "[boot]\nentry-mode = \"svc\"\nsecurity = \"secure\"\nsecondaries = \"all-at-entry\"\npsci-conduit = \"none\"\nsemihosting = true")

    \(tail)
    """
}

/// A minimal complete RV64 profile: by default an RV64IMAC hart with M, S and U and Sv39 (misa
/// ACIMSU). Tests change one line with `replacingOccurrences` or pass their own pieces.
func minimalRV64Profile(name: String, misa: String = "0x8000000000141105", extra: String = "",
                        features: String? = nil) -> String {
    let featureText = features ?? """
        isa-extensions = ["i", "m", "a", "c", "zicsr"]
        privilege-modes = ["m", "s", "u"]
        mmu-modes = ["sv39"]
        pmp-entries = 8
        misaligned = "trap"
        ad-update = "fault"
        time-csr = "hardware"
        """
    return """
        name = "\(name)"
        architecture = "rv64"
        description = "test hart \(name)"
        caches = []
        \(extra)

        [id-registers]
        misa = "\(misa)"
        mvendorid = 0
        marchid = 0
        mimpid = 0

        [features]
        \(featureText)
        """
}

/// A minimal RV64 machine: one cluster, DRAM, no devices; `smp` and `tail` add tables.
func minimalRV64Machine(name: String, profile: String = "rv64gch", count: Int? = 1, smp: String = "",
                        boot: String? = nil, tail: String = "") -> String {
    """
    name = "\(name)"
    description = "test machine"
    architecture = "rv64"

    [[clusters]]
    id = 0
    profile = "\(profile)"
    \(count.map { "count = \($0)" } ?? "")

    \(smp)

    [[ram]]
    name = "dram"
    base = 0x80000000
    size = 0x100000

    \(boot ?? "[boot]\nentry-mode = \"machine\"\nsecondaries = \"all-at-entry\"\nfirmware = \"none\"\nsemihosting = false")

    \(tail)
    """
}
