import XCTest
@testable import Emulator

/// LDREX/STREX (all sizes), CLREX, the global monitor across cores, SWP/SWPB (A3.4, A8.8).
final class ExclusiveTests: XCTestCase {
    let data = LS.data

    func testStoreExclusiveSucceedsThenFailsAfterCLREX() throws {
        let core = try ARMHarness.exec("""
            ldrex r0, [r1]
            strex r2, r3, [r1]
            ldrex r4, [r1]
            clrex
            strex r5, r6, [r1]
            """, steps: 5) { c in
            LS.poke(c, self.data, 0x77)
            c.r[1] = self.data
            c.r[2] = 0xFF; c.r[5] = 0xFF
            c.r[3] = 0x1234
            c.r[6] = 0x5678
        }
        XCTAssertEqual(core.r[0], 0x77)
        XCTAssertEqual(core.r[2], 0, "STREX after LDREX succeeds")
        XCTAssertEqual(core.r[4], 0x1234)
        XCTAssertEqual(core.r[5], 1, "STREX after CLREX fails")
        XCTAssertEqual(LS.peek(core, data), 0x1234, "the failed STREX stored nothing")
        XCTAssertFalse(core.exclusiveOpen)
    }

    func testStoreExclusiveWithoutLoadOrAfterSuccessFails() throws {
        let core = try ARMHarness.exec("""
            strex r2, r3, [r1]
            ldrex r0, [r1]
            strex r4, r3, [r1]
            strex r5, r6, [r1]
            """, steps: 4) { c in
            c.r[1] = self.data
            c.r[3] = 0xAAAA
            c.r[6] = 0xBBBB
        }
        XCTAssertEqual(core.r[2], 1, "no open tag")
        XCTAssertEqual(core.r[4], 0)
        XCTAssertEqual(core.r[5], 1, "a successful STREX closes the monitor")
        XCTAssertEqual(LS.peek(core, data), 0xAAAA)
    }

    func testStoreExclusiveToOtherAddressFails() throws {
        let core = try ARMHarness.exec("""
            ldrex r0, [r1]
            strex r2, r3, [r4]
            """, steps: 2) { c in
            c.r[1] = self.data
            c.r[4] = self.data + 0x40
            c.r[3] = 0xAAAA
        }
        XCTAssertEqual(core.r[2], 1)
        XCTAssertEqual(LS.peek(core, data + 0x40), 0)
    }

    func testByteHalfwordAndDoublewordExclusives() throws {
        let core = try ARMHarness.exec("""
            ldrexb r0, [r1]
            strexb r2, r3, [r1]
            ldrexh r4, [r5]
            strexh r6, r3, [r5]
            ldrexd r8, r9, [r10]
            strexd r11, r2, r3, [r10]
            """, steps: 6) { c in
            LS.poke(c, self.data, 0x8180)
            LS.poke(c, self.data + 8, 0x1111)
            LS.poke(c, self.data + 12, 0x2222)
            c.r[1] = self.data + 1
            c.r[5] = self.data + 2
            c.r[10] = self.data + 8
            c.r[3] = 0xC3C3_C3C3
        }
        XCTAssertEqual(core.r[0], 0x81, "zero-extended byte")
        XCTAssertEqual(core.r[2], 0)
        XCTAssertEqual(core.r[4], 0)
        XCTAssertEqual(core.r[6], 0)
        XCTAssertEqual(LS.peek(core, data), 0xC3C3_C380, "byte at +1 and halfword at +2 stored")
        XCTAssertEqual([core.r[8], core.r[9]], [0x1111, 0x2222])
        XCTAssertEqual(core.r[11], 0)
        XCTAssertEqual(LS.peek(core, data + 8), 0, "Rt = r2 (the STREXB status, 0)")
        XCTAssertEqual(LS.peek(core, data + 12), 0xC3C3_C3C3)
    }

    func testExclusivesNeedNaturalAlignmentEvenWithSCTLRAClear() throws {
        let h = try ARMHarness.exec("ldrexh r0, [r1]", steps: 1) { c in c.r[1] = self.data + 1 }
        XCTAssertEqual(h.mode, .abt)
        XCTAssertEqual(LS.dfsr(h), 0x1)
        XCTAssertEqual(LS.dfar(h), data + 1)

        let d = try ARMHarness.exec("ldrexd r0, r1, [r2]", steps: 1) { c in c.r[2] = self.data + 4 }
        XCTAssertEqual(d.mode, .abt, "LDREXD needs doubleword alignment")
        XCTAssertEqual(LS.dfsr(d), 0x1)

        let s = try ARMHarness.exec("strex r0, r1, [r2]", steps: 1) { c in c.r[2] = self.data + 2; c.r[0] = 7 }
        XCTAssertEqual(s.mode, .abt, "alignment is checked before the monitor")
        XCTAssertEqual(LS.dfsr(s), 0x801)
        XCTAssertEqual(s.r[0], 7, "status register untouched")
    }

    func testLoadExclusiveFromUnmappedMemoryAborts() throws {
        let core = try ARMHarness.exec("ldrex r0, [r1]", steps: 1) { c in c.r[1] = 0x1000; c.r[0] = 7 }
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(LS.dfsr(core), 0x8)
        XCTAssertEqual(core.r[0], 7)
        XCTAssertFalse(core.exclusiveOpen, "no tag for an aborted load")
    }

    func testStoreExclusiveToUnmappedMemoryLeavesStatusUntouched() throws {
        let core = try ARMHarness.exec("strex r0, r1, [r2]", steps: 1) { c in
            c.markExclusive(0x1000, size: 4)
            c.r[0] = 7
            c.r[2] = 0x1000
        }
        XCTAssertEqual(core.mode, .abt, "the monitor passed, the store aborted")
        XCTAssertEqual(LS.dfsr(core), 0x808)
        XCTAssertEqual(core.r[0], 7, "Rd is written only after a store that did not abort")
    }

    /// Core 0 holds a tag; core 1 stores into the same reservation granule; core 0's STREX must
    /// fail (the global monitor, A3.4.2). A store outside the granule leaves the tag alone.
    func testStoreFromAnotherCoreClearsTheTag() throws {
        let words = try ARMHarness.assemble("""
            ldrex r0, [r1]
            strex r2, r3, [r1]
            """)
        func run(otherCoreStoresTo address: UInt32) throws -> (ARMCore, ARMMachine) {
            let m = try ARMHarness.machine(cores: 2)
            let c0 = m.cores[0]
            for (i, w) in words.enumerated() { LS.poke(c0, ARMHarness.ramBase + UInt32(4 * i), w) }
            c0.nextPC = ARMHarness.ramBase
            c0.r[1] = data
            c0.r[3] = 0xC0C0
            XCTAssertEqual(c0.run(budget: 1), 1)
            XCTAssertTrue(c0.exclusiveOpen)
            XCTAssertTrue(m.cores[1].store32(address, 0x1111))
            XCTAssertEqual(c0.run(budget: 1), 1)
            return (c0, m)
        }
        let (c0, m) = try run(otherCoreStoresTo: data + 4)   // same granule (CTR.ERG = 4: 64 bytes)
        XCTAssertEqual(c0.r[2], 1, "STREX fails after another core's store")
        XCTAssertEqual(LS.peek(c0, data), 0)
        XCTAssertEqual(m.openExclusiveTags, 0)

        let (c0b, _) = try run(otherCoreStoresTo: data + 0x100)
        XCTAssertEqual(c0b.r[2], 0, "a store outside the granule does not break the reservation")
        XCTAssertEqual(LS.peek(c0b, data), 0xC0C0)
    }

    func testUnpredictableRegisterChoicesAreUndefined() throws {
        XCTAssertEqual(ARMDecoder.decode(0xE182_1F91).group, .undefined)   // strex r1, r1, [r2]: Rd = Rt
        XCTAssertEqual(ARMDecoder.decode(0xE181_1F92).group, .undefined)   // strex r1, r2, [r1]: Rd = Rn
        XCTAssertEqual(ARMDecoder.decode(0xE1B2_1F9F).group, .undefined)   // ldrexd r1, r2, [r2]: odd Rt
        XCTAssertEqual(ARMDecoder.decode(0xE1B2_EF9F).group, .undefined)   // ldrexd r14, pc: Rt = 14
        XCTAssertEqual(ARMDecoder.decode(0xE19F_0F9F).group, .undefined)   // ldrex r0, [pc]
        XCTAssertEqual(ARMDecoder.decode(0xE1A2_0F93).group, .undefined)   // strexd r0, r3, r4, [r2]: odd Rt
        XCTAssertEqual(ARMDecoder.decode(0xE1A2_5F94).group, .undefined)   // strexd r5, r4, r5, [r2]: Rd = Rt2
        XCTAssertEqual(ARMDecoder.decode(0xE1A2_0F94).group, .exclusive)   // strexd r0, r4, r5, [r2]
        let core = try ARMHarness.exec(".word 0xE1821F91", steps: 1)
        XCTAssertEqual(core.mode, .und)
    }

    func testCLREXDecodes() {
        let d = ARMDecoder.decode(0xF57F_F01F)
        XCTAssertEqual(d.group, .exclusive)
        XCTAssertEqual(d.op, ExclusiveOp.clrex.rawValue)
        XCTAssertNotEqual(ARMDecoder.decode(0xF57F_F05F).group, .exclusive, "DMB is not ours")
    }

    // MARK: SWP / SWPB

    func testSwapWordAndByte() throws {
        let core = try ARMHarness.exec("""
            .word 0xE1010092   @ swp r0, r2, [r1]
            .word 0xE1443095   @ swpb r3, r5, [r4]
            """, steps: 2) { c in
            LS.poke(c, self.data, 0xAAAA_5555)
            LS.poke(c, self.data + 8, 0x0000_00F0)
            c.r[1] = self.data
            c.r[2] = 0x1234_5678
            c.r[4] = self.data + 8
            c.r[5] = 0x1FF
        }
        XCTAssertEqual(core.r[0], 0xAAAA_5555)
        XCTAssertEqual(LS.peek(core, data), 0x1234_5678)
        XCTAssertEqual(core.r[3], 0xF0)
        XCTAssertEqual(LS.peek(core, data + 8), 0xFF)
    }

    func testSwapSameRegisterSwaps() throws {
        let core = try ARMHarness.exec(".word 0xE1010090   @ swp r0, r0, [r1]", steps: 1) { c in
            LS.poke(c, self.data, 0x0BAD)
            c.r[0] = 0x600D
            c.r[1] = self.data
        }
        XCTAssertEqual(core.r[0], 0x0BAD)
        XCTAssertEqual(LS.peek(core, data), 0x600D)
    }
}
