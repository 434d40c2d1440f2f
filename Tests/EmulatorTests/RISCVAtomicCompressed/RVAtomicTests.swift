import XCTest
@testable import Emulator

/// RV64A semantics: LR/SC reservations (one and two harts), every AMO in both widths with the
/// signed/unsigned edge values, and the alignment traps (causes as QEMU 7.2 reports them).
/// Registers are set directly, so no other instruction group is needed: a0 = address,
/// a1 = operand, a2/a3/a4 = results.
final class RVAtomicTests: XCTestCase {
    private let data = RVHarness.ramBase + 0x1000
    private let a0 = 10, a1 = 11, a2 = 12, a3 = 13, a4 = 14, a5 = 15
    private let sentinel: UInt64 = 0x5EE5_5EE5_5EE5_5EE5

    private func run(_ source: String, steps: UInt64, memory: [(UInt64, Int, UInt64)] = [],
                     registers: [Int: UInt64]) throws -> RISCVCore {
        try RVHarness.exec(source, steps: steps) { core in
            for (address, size, value) in memory { XCTAssertTrue(core.store(address, size: size, value)) }
            for (r, v) in registers { core.x[r] = v }
        }
    }

    private func memory(_ core: RISCVCore, _ address: UInt64, size: Int = 8) -> UInt64? {
        core.load(address, size: size)
    }

    // MARK: LR/SC

    func testLRSCPairSucceedsAndStores() throws {
        let core = try run("lr.d a2, (a0)\nsc.d a3, a1, (a0)", steps: 2, memory: [(data, 8, 0x1122_3344_5566_7788)],
                           registers: [a0: data, a1: 0xAABB_CCDD_EEFF_0011, a3: sentinel])
        XCTAssertEqual(core.x[a2], 0x1122_3344_5566_7788)
        XCTAssertEqual(core.x[a3], 0, "SC success writes 0")
        XCTAssertEqual(memory(core, data), 0xAABB_CCDD_EEFF_0011)
        XCTAssertFalse(core.reservationValid, "SC releases the reservation")
        XCTAssertEqual(core.pc, RVHarness.ramBase + 4)
    }

    func testLRWSignExtendsAndSCWStoresOnlyTheLowWord() throws {
        let core = try run("lr.w a2, (a0)\nsc.w a3, a1, (a0)", steps: 2,
                           memory: [(data, 4, 0x8000_0000), (data + 4, 4, 0xCAFE_F00D)],
                           registers: [a0: data, a1: 0x1234_5678_9ABC_DEF0, a3: sentinel])
        XCTAssertEqual(core.x[a2], 0xFFFF_FFFF_8000_0000)
        XCTAssertEqual(core.x[a3], 0)
        XCTAssertEqual(memory(core, data), 0xCAFE_F00D_9ABC_DEF0)
    }

    func testSCWithoutLRFailsAndDoesNotStore() throws {
        let core = try run("sc.d a3, a1, (a0)", steps: 1, memory: [(data, 8, 42)],
                           registers: [a0: data, a1: 7, a3: sentinel])
        XCTAssertEqual(core.x[a3], 1, "SC failure writes 1")
        XCTAssertEqual(memory(core, data), 42)
    }

    func testSecondSCAfterOneLRFails() throws {
        let core = try run("lr.d a2, (a0)\nsc.d a3, a1, (a0)\nsc.d a4, a5, (a0)", steps: 3, memory: [(data, 8, 42)],
                           registers: [a0: data, a1: 7, a5: 9, a3: sentinel, a4: sentinel])
        XCTAssertEqual(core.x[a3], 0)
        XCTAssertEqual(core.x[a4], 1)
        XCTAssertEqual(memory(core, data), 7, "the failed SC stored nothing")
    }

    func testSCToAnotherAddressFailsAndReleasesTheReservation() throws {
        let core = try run("lr.d a2, (a0)\nsc.d a3, a1, (a4)\nsc.d a3, a1, (a0)", steps: 3,
                           memory: [(data, 8, 42), (data + 8, 8, 43)],
                           registers: [a0: data, a4: data + 8, a1: 7, a3: sentinel])
        XCTAssertEqual(core.x[a3], 1, "the reservation was released by the first (failed) SC")
        XCTAssertEqual(memory(core, data), 42)
        XCTAssertEqual(memory(core, data + 8), 43)
    }

    func testLRToX0StillReserves() throws {
        let core = try run("lr.w zero, (a0)\nsc.w a3, a1, (a0)", steps: 2, memory: [(data, 8, 42)],
                           registers: [a0: data, a1: 7, a3: sentinel])
        XCTAssertEqual(core.x[0], 0)
        XCTAssertEqual(core.x[a3], 0)
        XCTAssertEqual(memory(core, data, size: 4), 7)
    }

    /// Runs `lr.d` on hart 0, lets `interfere` act on hart 1, then runs `sc.d` on hart 0.
    private func twoHarts(interfere: (RISCVCore) -> Void) throws -> (RISCVMachine, RISCVCore) {
        let m = try RVHarness.machine(harts: 2)
        m.ram.load(try RVHarness.assemble("lr.d a2, (a0)\nsc.d a3, a1, (a0)"), at: RVHarness.ramBase)
        m.boot(entry: RVHarness.ramBase)
        let hart0 = m.cores[0]
        XCTAssertTrue(hart0.store(data, size: 8, 42))
        hart0.x[a0] = data
        hart0.x[a1] = 7
        hart0.x[a3] = sentinel
        XCTAssertEqual(hart0.run(budget: 1), 1)
        XCTAssertTrue(hart0.reservationValid)
        interfere(m.cores[1])
        XCTAssertEqual(hart0.run(budget: 1), 1)
        return (m, hart0)
    }

    func testSCFailsAfterAnotherHartStoresToTheReservedAddress() throws {
        let (m, hart0) = try twoHarts { hart1 in XCTAssertTrue(hart1.store(self.data, size: 8, 99)) }
        XCTAssertEqual(hart0.x[a3], 1)
        XCTAssertEqual(hart0.load(data, size: 8), 99, "hart 1's store survives")
        XCTAssertEqual(m.openReservations, 0)
    }

    func testSCFailsAfterAnotherHartStoresIntoTheSameGranule() throws {
        let (_, hart0) = try twoHarts { hart1 in XCTAssertTrue(hart1.store(self.data + 4, size: 4, 99)) }
        XCTAssertEqual(hart0.x[a3], 1)
        XCTAssertEqual(hart0.load(data, size: 8), 99 << 32 | 42)
    }

    func testSCSucceedsWhenAnotherHartStoresElsewhere() throws {
        let (m, hart0) = try twoHarts { hart1 in XCTAssertTrue(hart1.store(self.data + 64, size: 8, 99)) }
        XCTAssertEqual(hart0.x[a3], 0)
        XCTAssertEqual(hart0.load(data, size: 8), 7)
        XCTAssertEqual(m.openReservations, 0)
    }

    // MARK: AMOs

    private struct AMOCase {
        let instruction: String
        let old: UInt64
        let operand: UInt64
        let stored: UInt64
        /// The value rd receives: the old memory value, sign-extended for .w.
        let rd: UInt64
    }

    private func check(_ cases: [AMOCase], width: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        for c in cases {
            // The word (or doubleword) above the operand must stay untouched.
            let core = try run("\(c.instruction) a2, a1, (a0)", steps: 1,
                               memory: [(data, 8, 0), (data + 8, 8, sentinel), (data, width, c.old)],
                               registers: [a0: data, a1: c.operand, a2: sentinel])
            let what = "\(c.instruction) old 0x\(String(c.old, radix: 16)) operand 0x\(String(c.operand, radix: 16))"
            XCTAssertEqual(core.csr.mcause, 0, what, file: file, line: line)
            XCTAssertEqual(core.x[a2], c.rd, "rd of \(what)", file: file, line: line)
            XCTAssertEqual(memory(core, data, size: width), c.stored, "memory after \(what)", file: file, line: line)
            if width == 4 {
                XCTAssertEqual(memory(core, data + 4, size: 4), 0, "upper word after \(what)", file: file, line: line)
            }
            XCTAssertEqual(memory(core, data + 8), sentinel, file: file, line: line)
        }
    }

    func testWordAMOs() throws {
        let min32: UInt64 = 0x8000_0000, max32: UInt64 = 0x7FFF_FFFF, ones32: UInt64 = 0xFFFF_FFFF
        let sextMin: UInt64 = 0xFFFF_FFFF_8000_0000, sextOnes: UInt64 = .max
        try check([
            AMOCase(instruction: "amoswap.w", old: min32, operand: 0xDEAD_BEEF_0000_0005, stored: 5, rd: sextMin),
            AMOCase(instruction: "amoadd.w", old: ones32, operand: 1, stored: 0, rd: sextOnes),
            AMOCase(instruction: "amoadd.w", old: max32, operand: 1, stored: min32, rd: max32),
            AMOCase(instruction: "amoxor.w", old: 0xF0F0_F0F0, operand: 0xFFFF_FFFF_0FF0_0FF0, stored: 0xFF00_FF00, rd: 0xFFFF_FFFF_F0F0_F0F0),
            AMOCase(instruction: "amoand.w", old: 0xF0F0_F0F0, operand: 0x0FF0_0FF0, stored: 0x00F0_00F0, rd: 0xFFFF_FFFF_F0F0_F0F0),
            AMOCase(instruction: "amoor.w", old: 0x0000_F0F0, operand: 0x0F00_0000, stored: 0x0F00_F0F0, rd: 0xF0F0),
            // Signed vs unsigned, 32-bit compares.
            AMOCase(instruction: "amomin.w", old: min32, operand: max32, stored: min32, rd: sextMin),
            AMOCase(instruction: "amomax.w", old: min32, operand: max32, stored: max32, rd: sextMin),
            AMOCase(instruction: "amominu.w", old: min32, operand: max32, stored: max32, rd: sextMin),
            AMOCase(instruction: "amomaxu.w", old: min32, operand: max32, stored: min32, rd: sextMin),
            AMOCase(instruction: "amomin.w", old: ones32, operand: 1, stored: ones32, rd: sextOnes),
            AMOCase(instruction: "amomax.w", old: ones32, operand: 1, stored: 1, rd: sextOnes),
            AMOCase(instruction: "amominu.w", old: ones32, operand: 1, stored: 1, rd: sextOnes),
            AMOCase(instruction: "amomaxu.w", old: ones32, operand: 1, stored: ones32, rd: sextOnes),
            // Only the operand's low 32 bits count: 0x1_0000_0000 is 0 as a word.
            AMOCase(instruction: "amominu.w", old: ones32, operand: 0x1_0000_0000, stored: 0, rd: sextOnes),
            AMOCase(instruction: "amomaxu.w", old: 1, operand: 0x1_0000_0000, stored: 1, rd: 1),
            AMOCase(instruction: "amomin.w", old: 5, operand: 0x0000_0000_FFFF_FFFF, stored: ones32, rd: 5),
            AMOCase(instruction: "amomax.w", old: ones32, operand: 0x7FFF_FFFF_0000_0000, stored: 0, rd: sextOnes),
        ], width: 4)
    }

    func testDoublewordAMOs() throws {
        let min64: UInt64 = 0x8000_0000_0000_0000, max64: UInt64 = 0x7FFF_FFFF_FFFF_FFFF, ones: UInt64 = .max
        try check([
            AMOCase(instruction: "amoswap.d", old: min64, operand: 5, stored: 5, rd: min64),
            AMOCase(instruction: "amoadd.d", old: ones, operand: 2, stored: 1, rd: ones),
            AMOCase(instruction: "amoadd.d", old: 0xFFFF_FFFF, operand: 1, stored: 0x1_0000_0000, rd: 0xFFFF_FFFF),
            AMOCase(instruction: "amoxor.d", old: 0xF0F0_0000_0000_F0F0, operand: 0xFFFF_0000_0000_FFFF, stored: 0x0F0F_0000_0000_0F0F, rd: 0xF0F0_0000_0000_F0F0),
            AMOCase(instruction: "amoand.d", old: 0xF0F0_0000_0000_F0F0, operand: 0xFF00_0000_0000_00FF, stored: 0xF000_0000_0000_00F0, rd: 0xF0F0_0000_0000_F0F0),
            AMOCase(instruction: "amoor.d", old: 0x8000_0000_0000_0000, operand: 1, stored: 0x8000_0000_0000_0001, rd: min64),
            AMOCase(instruction: "amomin.d", old: min64, operand: max64, stored: min64, rd: min64),
            AMOCase(instruction: "amomax.d", old: min64, operand: max64, stored: max64, rd: min64),
            AMOCase(instruction: "amominu.d", old: min64, operand: max64, stored: max64, rd: min64),
            AMOCase(instruction: "amomaxu.d", old: min64, operand: max64, stored: min64, rd: min64),
            AMOCase(instruction: "amomin.d", old: ones, operand: 1, stored: ones, rd: ones),
            AMOCase(instruction: "amomax.d", old: ones, operand: 1, stored: 1, rd: ones),
            AMOCase(instruction: "amominu.d", old: ones, operand: 1, stored: 1, rd: ones),
            AMOCase(instruction: "amomaxu.d", old: ones, operand: 1, stored: ones, rd: ones),
            // A word-sized 0x8000_0000 is positive as a doubleword.
            AMOCase(instruction: "amomin.d", old: 0x8000_0000, operand: 1, stored: 1, rd: 0x8000_0000),
        ], width: 8)
    }

    func testAMOWithRdEqualToRs2UsesTheOldOperand() throws {
        let core = try run("amoadd.d a1, a1, (a0)", steps: 1, memory: [(data, 8, 100)], registers: [a0: data, a1: 5])
        XCTAssertEqual(core.x[a1], 100)
        XCTAssertEqual(memory(core, data), 105)
    }

    func testAMOToX0StillStores() throws {
        let core = try run("amoswap.d zero, a1, (a0)", steps: 1, memory: [(data, 8, 100)], registers: [a0: data, a1: 5])
        XCTAssertEqual(core.x[0], 0)
        XCTAssertEqual(memory(core, data), 5)
    }

    func testOrderingBitsDoNotChangeTheResult() throws {
        let core = try run("amoadd.w.aqrl a2, a1, (a0)\nlr.d.aq a3, (a0)\nsc.d.rl a4, a1, (a0)", steps: 3,
                           memory: [(data, 8, 100)], registers: [a0: data, a1: 5, a4: sentinel])
        XCTAssertEqual(core.x[a2], 100)
        XCTAssertEqual(core.x[a3], 105)
        XCTAssertEqual(core.x[a4], 0)
        XCTAssertEqual(memory(core, data), 5)
    }

    // MARK: Alignment and faults

    private func expectTrap(_ source: String, address: UInt64, cause: UInt64, file: StaticString = #filePath, line: UInt = #line) throws {
        let core = try run(source, steps: 1, memory: [(data, 8, 42), (data + 8, 8, 43)],
                           registers: [a0: address, a1: 7, a2: sentinel])
        XCTAssertEqual(core.csr.mcause, cause, source, file: file, line: line)
        XCTAssertEqual(core.csr.mtval, address, source, file: file, line: line)
        XCTAssertEqual(core.csr.mepc, RVHarness.ramBase, source, file: file, line: line)
        XCTAssertEqual(core.x[a2], sentinel, "\(source): rd must not be written", file: file, line: line)
        XCTAssertEqual(memory(core, data), 42, source, file: file, line: line)
        XCTAssertEqual(memory(core, data + 8), 43, source, file: file, line: line)
        XCTAssertFalse(core.reservationValid, source, file: file, line: line)
    }

    func testMisalignedAMOsRaiseStoreAMOAddressMisaligned() throws {
        try expectTrap("amoadd.w a2, a1, (a0)", address: data + 2, cause: 6)
        try expectTrap("amoswap.w a2, a1, (a0)", address: data + 1, cause: 6)
        try expectTrap("amomaxu.d a2, a1, (a0)", address: data + 4, cause: 6)
        try expectTrap("amoor.d a2, a1, (a0)", address: data + 7, cause: 6)
    }

    func testMisalignedLRRaisesLoadAddressMisaligned() throws {
        try expectTrap("lr.w a2, (a0)", address: data + 2, cause: 4)
        try expectTrap("lr.d a2, (a0)", address: data + 4, cause: 4)
    }

    func testMisalignedSCRaisesStoreAMOAddressMisaligned() throws {
        try expectTrap("sc.w a2, a1, (a0)", address: data + 1, cause: 6)
        try expectTrap("sc.d a2, a1, (a0)", address: data + 4, cause: 6)
    }

    func testAMOOutsideMemoryTakesAnAccessFault() throws {
        // Nothing is mapped at 0x1000 in the test machine; the read half faults first (cause 5,
        // as QEMU's load-then-store emulation of an AMO reports it).
        try expectTrap("amoadd.d a2, a1, (a0)", address: 0x1000, cause: 5)
        try expectTrap("lr.d a2, (a0)", address: 0x1000, cause: 5)
    }

    func testSCToAnUnreservedUnmappedAddressFailsWithoutAFault() throws {
        // No LR can reserve an unmapped address (it faults), so such an SC fails before any access.
        let core = try run("sc.d a2, a1, (a0)", steps: 1, registers: [a0: 0x1000, a1: 7, a2: sentinel])
        XCTAssertEqual(core.csr.mcause, 0)
        XCTAssertEqual(core.x[a2], 1)
    }

    // MARK: Decoding

    func testOpConversionMatchesRawValues() {
        for (i, op) in RVAtomicOp.allCases.enumerated() {
            XCTAssertEqual(Int(op.rawValue), i)
            XCTAssertEqual(RVAtomicOp.decoded(op.rawValue), op)
        }
        XCTAssertNil(RVAtomicOp.decoded(UInt8(RVAtomicOp.allCases.count)))
        XCTAssertNil(RVAtomicOp.decoded(.max))
    }

    func testDecoding() {
        // amomaxu.d.aqrl a2, a1, (a0): 11100 1 1 01011 01010 011 01100 0101111
        let amomaxu: UInt32 = 0b11100_1_1_01011_01010_011_01100_0101111
        let d = RVDecoder.decode32(amomaxu)
        XCTAssertEqual(d.group, .atomic)
        XCTAssertEqual(d.op, RVAtomicOp.amomaxuD.rawValue)
        XCTAssertEqual(d.rd, 12)
        XCTAssertEqual(d.rs1, 10)
        XCTAssertEqual(d.rs2, 11)
        XCTAssertEqual(d.flags, 3)
        XCTAssertEqual(RVDecoder.encodingName(amomaxu), "amomaxu.d")

        // lr.w a2, (a0) is legal; with rs2 != 0 the code point is reserved.
        let lrw: UInt32 = 0b00010_0_0_00000_01010_010_01100_0101111
        XCTAssertEqual(RVDecoder.decode32(lrw).op, RVAtomicOp.lrW.rawValue)
        XCTAssertEqual(RVDecoder.decode32(lrw | 1 << 20).group, .illegal)
        // Widths other than .w/.d (funct3 000: Zabha's .b) and unassigned funct5 are illegal.
        XCTAssertEqual(RVDecoder.decode32(lrw & ~(7 << 12)).group, .illegal)
        XCTAssertEqual(RVDecoder.decode32((lrw & ~(0x1F << 27)) | 0b00110 << 27).group, .illegal)
        // Destination x0 is the sink.
        XCTAssertEqual(RVDecoder.decode32(lrw & ~(0x1F << 7)).rd, 32)
    }
}
