import Foundation
import XCTest

/// The committed ELFs are exactly what `images/build.sh` makes from the sources.
final class ImageBuildTests: XCTestCase {
    func testCommittedImagesMatchAFreshBuild() throws {
        guard CLI.which("clang") != nil, CLI.which("ld.lld") != nil else {
            throw XCTSkip("clang/ld.lld not on PATH: cannot rebuild the images (the Swift toolchain provides them)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["bash", CLI.root.appendingPathComponent("images/build.sh").path, "--check"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
    }
}
