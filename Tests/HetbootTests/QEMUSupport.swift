import Foundation
import XCTest

/// QEMU, the oracle: runs it the way the comparison tests need and returns what the guest
/// printed, so each test states only its command line and what must match.
enum QEMU {
    /// HSCTLR bits the ARM ARM (DDI 0406C, HSCTLR: bits 3-6, 11, 16, 18, 22, 23, 28, 29) makes
    /// read-as-one and QEMU 7.2 reads as zero: hetboot's 0x30C5187F is QEMU's 0x00001007.
    static let hsctlrRES1: UInt32 = 0x30C5_0878

    /// Whether a hetboot console line and QEMU's differ only in an `HSCTLR=0x…` value, and
    /// that value only in the RES1 bits QEMU leaves clear.
    static func differOnlyInHSCTLRRES1(_ ours: String, _ qemu: String) -> Bool {
        guard let o = hsctlr(ours), let q = hsctlr(qemu) else { return false }
        return ours.replacingOccurrences(of: o.text, with: "") == qemu.replacingOccurrences(of: q.text, with: "")
            && o.value == q.value | hsctlrRES1
    }

    private static func hsctlr(_ line: String) -> (text: String, value: UInt32)? {
        guard let r = line.range(of: "HSCTLR=0x") else { return nil }
        let digits = line[r.upperBound...].prefix(8)
        guard let v = UInt32(digits, radix: 16) else { return nil }
        return ("HSCTLR=0x" + digits, v)
    }

    /// The path of `executable` (e.g. "qemu-system-arm"), or a skip that says why the
    /// comparison cannot run here (CI installs QEMU, so there it always runs).
    static func require(_ executable: String) throws -> String {
        guard let path = CLI.which(executable) else {
            throw XCTSkip("\(executable) is not installed: the comparison with QEMU is skipped (CI installs it)")
        }
        return path
    }

    /// The console lines of a QEMU run (CR LF and LF both end a line; trailing empty lines
    /// dropped). QEMU must end within `timeout` seconds with exit status `status` (nil:
    /// any), else the test fails.
    /// `semihostingOnStderr`: the guest prints through semihosting SYS_WRITEC/WRITE0, which
    /// QEMU 7.2 writes to its stderr (the UART goes to stdout).
    static func consoleLines(_ executable: String, _ args: [String], timeout: Double = 120, status: Int32? = 0,
                             semihostingOnStderr: Bool = false,
                             file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try require(executable))
        p.arguments = args
        let out = Pipe()
        if semihostingOnStderr {
            p.standardOutput = FileHandle.nullDevice
            p.standardError = out
        } else {
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
        }
        try p.run()
        let watchdog = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        watchdog.cancel()
        if let status {
            XCTAssertEqual(p.terminationStatus, status, "QEMU \(args): exit status", file: file, line: line)
        }
        var lines = splitLines(String(decoding: data, as: UTF8.self))
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Lines ended by LF or CR LF: Swift takes "\r\n" as one Character, which a split on "\n"
    /// misses, so split the scalars.
    static func splitLines(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { scalars in
            var line = String(String.UnicodeScalarView(scalars))
            if line.hasSuffix("\r") { line.removeLast() }
            return line
        }
    }
}

extension CLI.Result {
    /// stdout's lines, CR LF (OpenSBI's console) taken as a line end too.
    var textLines: [String] { QEMU.splitLines(stdout) }

    /// The guest's console: every line before hetboot's report (`== image on machine: …`),
    /// trailing empty lines dropped.
    var consoleLines: [String] {
        var lines: [String] = []
        for line in textLines {
            if line.hasPrefix("== ") { break }
            lines.append(line)
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }
}
