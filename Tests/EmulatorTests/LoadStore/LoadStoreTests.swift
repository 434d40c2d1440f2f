import XCTest
@testable import Emulator

/// Single loads and stores: addressing modes, writeback, widths, sign extension, alignment,
/// aborts (ARM ARM A8.8.62 ff.).
final class LoadStoreTests: XCTestCase {
    let data = LS.data

    func testImmediateOffsetPreIndexedAndPostIndexed() throws {
        let core = try ARMHarness.exec("""
            ldr r0, [r1, #4]
            ldr r2, [r3, #-4]!
            ldr r4, [r5], #8
            """, steps: 3) { c in
            for i: UInt32 in 0..<4 { LS.poke(c, self.data + 4 * i, 0x1000 + i) }
            c.r[1] = self.data
            c.r[3] = self.data + 12
            c.r[5] = self.data
        }
        XCTAssertEqual(core.r[0], 0x1001)
        XCTAssertEqual(core.r[1], data, "offset addressing does not write back")
        XCTAssertEqual(core.r[2], 0x1002)
        XCTAssertEqual(core.r[3], data + 8, "pre-indexed writes the offset address back")
        XCTAssertEqual(core.r[4], 0x1000, "post-indexed accesses the base")
        XCTAssertEqual(core.r[5], data + 8, "post-indexed writes base + offset back")
    }

    func testRegisterOffsetShifts() throws {
        let core = try ARMHarness.exec("""
            ldr r0, [r1, r2, lsl #2]
            ldr r3, [r1, -r2]
            ldrb r4, [r1, r5, asr #32]
            ldr r6, [r8, r7, rrx]
            ldr r9, [r11, r10, ror #4]
            ldr r12, [r1, r5, lsr #32]
            """, steps: 6) { c in
            for i: UInt32 in 0..<4 { LS.poke(c, self.data + 4 * i, 0x2000 + i) }
            LS.poke(c, self.data - 4, 0xAB00_0000)
            c.r[1] = self.data
            c.r[2] = 3                    // LSL #2 → 12; −r2 → −3 (unaligned)
            c.r[5] = 0x8000_0000          // ASR #32 → −1; LSR #32 → 0
            c.r[7] = 0x10                 // RRX with C = 1 → 0x8000_0008
            c.r[8] = self.data &- 0x8000_0008
            c.r[10] = 0x81                // ROR #4 → 0x1000_0008
            c.r[11] = self.data &- 0x1000_0008
            c.flagC = true
        }
        XCTAssertEqual(core.r[0], 0x2003)
        XCTAssertEqual(core.r[3], 0x00AB_0000, "data − 3: bytes 00 00 AB 00, unaligned allowed (SCTLR.A = 0)")
        XCTAssertEqual(core.r[4], 0xAB, "ASR #32 of a negative register is −1")
        XCTAssertEqual(core.r[6], 0x2000, "RRX shifts the carry flag in")
        XCTAssertEqual(core.r[9], 0x2000, "ROR wraps the low bits to the top")
        XCTAssertEqual(core.r[12], 0x2000, "LSR #32 gives 0")
    }

    func testLiteralUsesAlignedPCPlus8() throws {
        let core = try ARMHarness.exec("""
            ldr r0, 1f
            udf #0
            udf #1
            1: .word 0xCAFEF00D
            """, steps: 1)
        XCTAssertEqual(core.r[0], 0xCAFE_F00D)
    }

    func testStoresWidthsAndWriteback() throws {
        let core = try ARMHarness.exec("""
            str r0, [r1, #4]!
            strb r2, [r3, #1]
            strh r4, [r5], #-2
            """, steps: 3) { c in
            c.r[0] = 0x1122_3344
            c.r[1] = self.data
            c.r[2] = 0x1FF
            c.r[3] = self.data + 8
            c.r[4] = 0xABCD_1234
            c.r[5] = self.data + 12
        }
        XCTAssertEqual(LS.peek(core, data + 4), 0x1122_3344)
        XCTAssertEqual(core.r[1], data + 4)
        XCTAssertEqual(LS.peek(core, data + 8), 0x0000_FF00, "STRB stores the low byte only")
        XCTAssertEqual(LS.peek(core, data + 12), 0x0000_1234, "STRH stores the low halfword only")
        XCTAssertEqual(core.r[5], data + 10)
    }

    func testStoreOfPCStoresAddressPlus8() throws {
        let core = try ARMHarness.exec("str pc, [r1]", steps: 1) { c in c.r[1] = self.data }
        XCTAssertEqual(LS.peek(core, data), ARMHarness.ramBase + 8)
    }

    func testRtEqualsRnWithWriteback() throws {
        // UNPREDICTABLE; hetboot follows QEMU: a store sends the original base, a load's value
        // wins over the writeback.
        let core = try ARMHarness.exec("""
            .word 0xE5A11004   @ str r1, [r1, #4]!
            .word 0xE5B22004   @ ldr r2, [r2, #4]!
            """, steps: 2) { c in
            c.r[1] = self.data
            c.r[2] = self.data + 0x100
            LS.poke(c, self.data + 0x104, 0x5555_AAAA)
        }
        XCTAssertEqual(LS.peek(core, data + 4), data)
        XCTAssertEqual(core.r[1], data + 4)
        XCTAssertEqual(core.r[2], 0x5555_AAAA)
    }

    func testSignAndZeroExtension() throws {
        let core = try ARMHarness.exec("""
            ldrsb r0, [r1]
            ldrb r2, [r1]
            ldrsh r3, [r1, #2]
            ldrh r4, [r1, #2]
            ldrsb r5, [r1, #1]
            ldrsh r6, [r1]
            ldrsb r7, [r1, r8]
            """, steps: 7) { c in
            LS.poke(c, self.data, 0x8000_7F80)
            c.r[1] = self.data
            c.r[8] = 3
        }
        XCTAssertEqual(core.r[0], 0xFFFF_FF80)
        XCTAssertEqual(core.r[2], 0x80)
        XCTAssertEqual(core.r[3], 0xFFFF_8000)
        XCTAssertEqual(core.r[4], 0x8000)
        XCTAssertEqual(core.r[5], 0x7F)
        XCTAssertEqual(core.r[6], 0x7F80)
        XCTAssertEqual(core.r[7], 0xFFFF_FF80)
    }

    func testUnprivilegedFormsArePostIndexed() throws {
        let core = try ARMHarness.exec("""
            ldrt r0, [r1], #4
            strbt r2, [r3], #-1
            ldrsht r4, [r5], #2
            ldrsbt r6, [r7], r8
            """, steps: 4) { c in
            LS.poke(c, self.data, 0x0000_8001)
            c.r[1] = self.data
            c.r[2] = 0x77
            c.r[3] = self.data + 0x10
            c.r[5] = self.data
            c.r[7] = self.data
            c.r[8] = 0x20
        }
        XCTAssertEqual(core.r[0], 0x8001)
        XCTAssertEqual(core.r[1], data + 4)
        XCTAssertEqual(LS.peek(core, data + 0x10), 0x77)
        XCTAssertEqual(core.r[3], data + 0xF)
        XCTAssertEqual(core.r[4], 0xFFFF_8001)
        XCTAssertEqual(core.r[5], data + 2)
        XCTAssertEqual(core.r[6], 0x01)
        XCTAssertEqual(core.r[7], data + 0x20)
    }

    // MARK: LDRD / STRD

    func testLoadStoreDual() throws {
        let core = try ARMHarness.exec("""
            ldrd r2, r3, [r1, #8]!
            strd r4, r5, [r6], #-8
            ldrd r8, r9, [r10, r11]
            """, steps: 3) { c in
            LS.poke(c, self.data + 8, 0xAAAA_0001)
            LS.poke(c, self.data + 12, 0xBBBB_0002)
            c.r[1] = self.data
            c.r[4] = 0x4444
            c.r[5] = 0x5555
            c.r[6] = self.data + 0x20
            c.r[10] = self.data + 4     // word aligned, not doubleword aligned: allowed
            c.r[11] = 4
        }
        XCTAssertEqual(core.r[2], 0xAAAA_0001)
        XCTAssertEqual(core.r[3], 0xBBBB_0002)
        XCTAssertEqual(core.r[1], data + 8)
        XCTAssertEqual(LS.peek(core, data + 0x20), 0x4444)
        XCTAssertEqual(LS.peek(core, data + 0x24), 0x5555)
        XCTAssertEqual(core.r[6], data + 0x18)
        XCTAssertEqual(core.r[8], 0xAAAA_0001)
        XCTAssertEqual(core.r[9], 0xBBBB_0002)
    }

    func testLoadDualNeedsWordAlignmentEvenWithSCTLRAClear() throws {
        let core = try ARMHarness.exec("ldrd r2, r3, [r1]", steps: 1) { c in
            c.r[1] = self.data + 2
            c.r[2] = 0x1234
        }
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(LS.dfsr(core), 0x1, "alignment fault")
        XCTAssertEqual(LS.dfar(core), data + 2)
        XCTAssertEqual(core.r[2], 0x1234)
    }

    func testLoadDualOddRtIsUndefined() throws {
        // ldrd r1, r2, [r0]: UNPREDICTABLE; QEMU UNDEFs.
        XCTAssertEqual(ARMDecoder.decode(0xE1C010D0).group, .undefined)
        let core = try ARMHarness.exec(".word 0xE1C010D0", steps: 1)
        XCTAssertEqual(core.mode, .und)
    }

    func testLoadDualBigEndianKeepsRtAtLowerAddress() throws {
        let core = try ARMHarness.exec("ldrd r2, r3, [r1]", steps: 1) { c in
            LS.poke(c, self.data, 0x1122_3344)
            LS.poke(c, self.data + 4, 0x5566_7788)
            c.r[1] = self.data
            c.cpsrE = true
        }
        XCTAssertEqual(core.r[2], 0x4433_2211)
        XCTAssertEqual(core.r[3], 0x8877_6655)
    }

    // MARK: Alignment and aborts

    func testUnalignedLoadWithSCTLRAClear() throws {
        let core = try ARMHarness.exec("""
            ldr r0, [r1, #1]
            ldrh r2, [r1, #3]
            str r3, [r1, #9]
            """, steps: 3) { c in
            LS.poke(c, self.data, 0x4433_2211)
            LS.poke(c, self.data + 4, 0x8877_6655)
            c.r[1] = self.data
            c.r[3] = 0xDDCC_BBAA
        }
        XCTAssertEqual(core.mode, .svc)
        XCTAssertEqual(core.r[0], 0x5544_3322, "ARMv7 unaligned LDR reads the four bytes, no rotation")
        XCTAssertEqual(core.r[2], 0x5544)
        XCTAssertEqual(LS.peek(core, data + 8), 0xCCBB_AA00)
        XCTAssertEqual(LS.peek(core, data + 12), 0x0000_00DD)
    }

    func testUnalignedLoadFaultsWithSCTLRASet() throws {
        let core = try ARMHarness.exec("ldr r0, [r1, #1]!", steps: 1) { c in
            LS.enableAlignmentChecks(c)
            c.r[0] = 0x5A5A
            c.r[1] = self.data
        }
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(LS.dfsr(core), 0x1)
        XCTAssertEqual(LS.dfar(core), data + 1)
        XCTAssertEqual(core.r[1], data, "no writeback after an abort")
        XCTAssertEqual(core.r[0], 0x5A5A)
        XCTAssertEqual(core.r[14], ARMHarness.ramBase + 8, "LR_abt = aborting instruction + 8")
        XCTAssertEqual(core.r[15], 0x10, "data abort vector")
    }

    func testByteAccessNeverFaultsOnAlignment() throws {
        let core = try ARMHarness.exec("ldrb r0, [r1, #1]", steps: 1) { c in
            LS.enableAlignmentChecks(c)
            LS.poke(c, self.data, 0x0000_BB00)
            c.r[1] = self.data
        }
        XCTAssertEqual(core.mode, .svc)
        XCTAssertEqual(core.r[0], 0xBB)
    }

    func testLoadFromUnmappedMemoryTakesExternalAbortAndKeepsBase() throws {
        let core = try ARMHarness.exec("ldr r0, [r1, #4]!", steps: 1) { c in
            c.r[1] = 0x0000_1000
        }
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(LS.dfsr(core), 0x8, "synchronous external abort, read")
        XCTAssertEqual(LS.dfar(core), 0x1004)
        XCTAssertEqual(core.r[1], 0x1000)
    }

    func testStoreToUnmappedMemoryReportsWrite() throws {
        let core = try ARMHarness.exec("str r0, [r1], #4", steps: 1) { c in
            c.r[1] = 0x0000_2000
        }
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(LS.dfsr(core), 0x808, "external abort, WnR = 1")
        XCTAssertEqual(core.r[1], 0x2000)
    }

    // MARK: Loads to the PC

    func testLoadToPCBranches() throws {
        let core = try ARMHarness.exec("ldr pc, [r1], #4", steps: 1) { c in
            LS.poke(c, self.data, ARMHarness.ramBase + 0x100)
            c.r[1] = self.data
        }
        XCTAssertEqual(core.r[15], ARMHarness.ramBase + 0x100)
        XCTAssertEqual(core.r[1], data + 4)
        XCTAssertEqual(core.runState, .running)
    }

    func testLoadToPCWithThumbBitHaltsWithFinding() throws {
        let core = try ARMHarness.exec("ldr pc, [r1]", steps: 1) { c in
            LS.poke(c, self.data, ARMHarness.ramBase + 0x101)
            c.r[1] = self.data
        }
        XCTAssertEqual(core.runState, .halted)
        XCTAssertNotNil(core.haltFinding)
    }
}
