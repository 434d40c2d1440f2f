import Foundation
import XCTest
@testable import Emulator

/// All 49152 16-bit code points against an independent decoder: LLVM's disassembler (llvm-mc,
/// which prints a compressed instruction as the 32-bit instruction it expands to). For each
/// halfword, the disassembly of the halfword must equal the disassembly of `expand`'s word, and
/// LLVM must reject exactly the halfwords `expand` rejects — with the differences listed in
/// `llvmText(forHalf:)` and `llvmAccepts…`, which are LLVM's, not the spec's.
final class RVCompressedOracleTests: XCTestCase {
    private static let attributes = "-mattr=+m,+a,+c,+f,+d"

    /// Disassemble `words` (each `bytes` long); nil for an encoding llvm-mc calls invalid.
    private func disassemble(_ words: [UInt32], bytes: Int) throws -> [String?] {
        var input = ""
        input.reserveCapacity(words.count * 20)
        for w in words {
            input += (0..<bytes).map { "0x" + String((w >> (8 * UInt32($0))) & 0xFF, radix: 16) }.joined(separator: " ") + "\n"
        }
        // Files rather than pipes: llvm-mc's output is larger than a pipe buffer.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hetboot-rvc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in.txt"), outURL = dir.appendingPathComponent("out.txt")
        let errURL = dir.appendingPathComponent("err.txt")
        try input.write(to: inURL, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["llvm-mc", "--disassemble", "-triple=riscv64", Self.attributes]
        p.standardInput = try FileHandle(forReadingFrom: inURL)
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus == 127 { throw XCTSkip("llvm-mc is not available") }
        let out = try Data(contentsOf: outURL), err = try Data(contentsOf: errURL)

        // "<stdin>:LINE:COL: warning: invalid instruction encoding" marks rejected lines.
        var invalid = Set<Int>()
        for line in String(decoding: err, as: UTF8.self).split(separator: "\n") where line.contains("invalid instruction encoding") {
            let parts = line.split(separator: ":")
            if parts.count > 1, let n = Int(parts[1]) { invalid.insert(n - 1) }
        }
        var texts = String(decoding: out, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix("\t") && $0 != "\t.text" }
            .map { $0.split(whereSeparator: { $0 == "\t" || $0 == " " }).joined(separator: " ") }
            .makeIterator()
        var result: [String?] = []
        for i in 0..<words.count {
            if invalid.contains(i) {
                result.append(nil)
            } else {
                guard let t = texts.next() else {
                    XCTFail("llvm-mc printed fewer instructions than expected")
                    return result
                }
                result.append(t)
            }
        }
        XCTAssertNil(texts.next(), "llvm-mc printed more instructions than expected")
        return result
    }

    /// What LLVM prints for the halfword, rewritten into what it prints for the base
    /// instruction: LLVM keeps HINTs in their compressed spelling, and expands c.mv to
    /// `addi rd, rs2, 0` where the spec (§16.5) says `add rd, x0, rs2`.
    private func llvmText(forHalf text: String, half: UInt32) -> String {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        let mnemonic = parts[0]
        let operands = parts.count > 1 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
        switch (mnemonic, operands.count) {
        case ("c.nop", 1): return "li zero, \(operands[0])"
        case ("c.li", 2): return operands == ["zero", "0"] ? "nop" : "li \(operands[0]), \(operands[1])"
        case ("c.lui", 2):
            // The compressed spelling shows the signed 6-bit field; lui shows 20 bits unsigned.
            let field = Int(operands[1]) ?? 0
            return "lui \(operands[0]), \(field < 0 ? field + (1 << 20) : field)"
        case ("c.slli", 2): return "slli \(operands[0]), \(operands[0]), \(operands[1])"
        case ("c.slli64", 1): return "slli \(operands[0]), \(operands[0]), 0"
        case ("c.srli64", 1): return "srli \(operands[0]), \(operands[0]), 0"
        case ("c.srai64", 1): return "srai \(operands[0]), \(operands[0]), 0"
        case ("c.mv", 2): return "add \(operands[0]), zero, \(operands[1])"
        // 100 0 … 10 is c.mv; c.addi rd, 0 also prints as mv, and does expand to addi.
        case ("mv", 2) where half & 0xF003 == 0x8002: return "add \(operands[0]), zero, \(operands[1])"
        case ("c.add", 2): return "add \(operands[0]), \(operands[0]), \(operands[1])"
        default: return text
        }
    }

    /// Code points LLVM 14 accepts that the spec (and QEMU's insn16.decode) reserve: the
    /// all-zero halfword (LLVM's `unimp`) and c.lui with nzimm = 0.
    private func llvmAcceptsReserved(_ text: String) -> Bool {
        text == "unimp" || (text.hasPrefix("lui ") || text.hasPrefix("c.lui ")) && text.hasSuffix(", 0")
    }

    func testEveryHalfwordAgainstLLVM() throws {
        let halves = (UInt32(0)..<0x1_0000).filter { $0 & 3 != 3 }
        let halfTexts = try disassemble(halves, bytes: 2)
        let expanded = halves.map { RVDecoder.expand($0) }
        let words = expanded.compactMap { $0 }
        let wordTexts = try disassemble(words, bytes: 4)
        var wordText: [UInt32: String] = [:]
        for (w, t) in zip(words, wordTexts) {
            XCTAssertNotNil(t, "llvm-mc rejects the expansion 0x\(String(w, radix: 16))")
            wordText[w] = t
        }

        var agreed = 0, failures = 0
        for (i, half) in halves.enumerated() {
            let name = "0x\(String(half, radix: 16))"
            switch (halfTexts[i], expanded[i]) {
            case (nil, nil):
                agreed += 1
            case (let text?, nil):
                if llvmAcceptsReserved(text) { agreed += 1 } else {
                    failures += 1
                    XCTFail("\(name): LLVM decodes it as \(text), expand says reserved")
                }
            case (nil, let w?):
                failures += 1
                XCTFail("\(name): LLVM says reserved, expand gives 0x\(String(w, radix: 16))")
            case (let text?, let w?):
                let want = llvmText(forHalf: text, half: half)
                if want == wordText[w] { agreed += 1 } else {
                    failures += 1
                    XCTFail("\(name): LLVM \(text) (as \(want)), expand 0x\(String(w, radix: 16)) = \(wordText[w] ?? "?")")
                }
            }
            if failures > 20 { return XCTFail("too many mismatches, stopping") }
        }
        XCTAssertEqual(agreed, halves.count)
        // Guard against a silently broken oracle: almost every code point must decode.
        XCTAssertGreaterThan(halfTexts.compactMap { $0 }.count, 46_000)
    }
}
