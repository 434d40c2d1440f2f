import Foundation
import XCTest

/// Runs the built `hetboot` binary the way a user does, from the package root.
enum CLI {
    /// The package root (where Package.swift, images/ and cpu-profiles/ are).
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// The `hetboot` executable next to the test bundle.
    static let binary: URL = {
        var dir = Bundle.main.bundleURL
        if dir.pathExtension == "xctest" { dir.deleteLastPathComponent() }
        for candidate in [dir, Bundle.main.bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()] {
            let b = candidate.appendingPathComponent("hetboot")
            if FileManager.default.isExecutableFile(atPath: b.path) { return b }
        }
        return dir.appendingPathComponent("hetboot")
    }()

    struct Result {
        var status: Int32
        /// The process died of a signal (a Swift trap is SIGILL or SIGTRAP): `status` is then
        /// the signal number, not an exit code.
        var crashed = false
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    static func run(_ args: [String]) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = root
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read before waiting: a full pipe would block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, crashed: p.terminationReason == .uncaughtSignal,
                      stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// A run of random guest input ended the way hetboot ends runs — one of its own exit codes
    /// (0 pass, 1 guest failure, 3 hang, 4 budget, 5 not supported) and its report — and not
    /// with a signal (a Swift trap) or a bad-input refusal.
    static func assertNoCrash(_ r: Result, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(r.crashed, "\(what): hetboot died of signal \(r.status)\n\(r.stderr)", file: file, line: line)
        guard !r.crashed else { return }
        XCTAssertTrue([0, 1, 3, 4, 5].contains(r.status), "\(what): exit \(r.status)\n\(r.stdout)\(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stdout.contains("instructions retired:"), "\(what): no run report\n\(r.stdout)", file: file, line: line)
    }

    /// Whether a tool is on PATH.
    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Assemble and link a small A32 image at `address` (the VE RAM base unless given) with
    /// the toolchain's clang and ld.lld, into a temporary directory; returns the ELF path.
    static func buildImage(_ source: String, name: String = "t", address: String = "0x80000000") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let src = dir.appendingPathComponent("\(name).S")
        try (".syntax unified\n.arm\n.text\n.globl _start\n_start:\n" + source + "\n").write(to: src, atomically: true, encoding: .utf8)
        let obj = dir.appendingPathComponent("\(name).o").path, elf = dir.appendingPathComponent("\(name).elf").path
        try tool("clang", ["--target=armv7a-none-eabi", "-march=armv7ve", "-c", src.path, "-o", obj])
        try tool("ld.lld", ["-N", "-Ttext=\(address)", "-e", "_start", obj, "-o", elf])
        return elf
    }

    /// Assemble and link a small RV64 image at 0x80000000.
    static func buildRISCVImage(_ source: String, march: String = "rv64imac") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-cli-rv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let src = dir.appendingPathComponent("t.S")
        try (".option norelax\n.text\n.globl _start\n_start:\n" + source + "\n").write(to: src, atomically: true, encoding: .utf8)
        let obj = dir.appendingPathComponent("t.o").path, elf = dir.appendingPathComponent("t.elf").path
        try tool("clang", ["--target=riscv64-unknown-elf", "-march=\(march)", "-mno-relax", "-c", src.path, "-o", obj])
        try tool("ld.lld", ["-N", "-Ttext=0x80000000", "-e", "_start", obj, "-o", elf])
        return elf
    }

    static func tool(_ name: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [name] + args
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "CLI", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "\(name) failed"])
        }
    }
}
