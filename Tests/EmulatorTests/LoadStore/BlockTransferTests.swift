import XCTest
@testable import Emulator

/// LDM/STM: the four addressing modes, writeback, PUSH/POP, the base in the list, aborts,
/// and the `^` forms (A8.8.58 ff., B9.3.5–7).
final class BlockTransferTests: XCTestCase {
    let data = LS.data

    func testStoreMultipleAllModesWithWriteback() throws {
        let core = try ARMHarness.exec("""
            stmia r8!, {r1, r2, r3}
            stmib r9!, {r1, r2, r3}
            stmda r10!, {r1, r2, r3}
            stmdb r11!, {r1, r2, r3}
            """, steps: 4) { c in
            c.r[1] = 0x11; c.r[2] = 0x22; c.r[3] = 0x33
            c.r[8] = self.data
            c.r[9] = self.data + 0x100
            c.r[10] = self.data + 0x200
            c.r[11] = self.data + 0x300
        }
        func words(_ a: UInt32) -> [UInt32] { (0..<3).map { LS.peek(core, a + 4 * UInt32($0)) } }
        XCTAssertEqual(words(data), [0x11, 0x22, 0x33], "IA starts at Rn")
        XCTAssertEqual(core.r[8], data + 12)
        XCTAssertEqual(words(data + 0x104), [0x11, 0x22, 0x33], "IB starts at Rn + 4")
        XCTAssertEqual(core.r[9], data + 0x10C)
        XCTAssertEqual(words(data + 0x200 - 8), [0x11, 0x22, 0x33], "DA ends at Rn")
        XCTAssertEqual(core.r[10], data + 0x200 - 12)
        XCTAssertEqual(words(data + 0x300 - 12), [0x11, 0x22, 0x33], "DB ends at Rn − 4")
        XCTAssertEqual(core.r[11], data + 0x300 - 12)
    }

    func testLoadMultipleAllModesWithWriteback() throws {
        let core = try ARMHarness.exec("""
            ldmia r8!, {r0, r1}
            ldmib r9!, {r2, r3}
            ldmda r10!, {r4, r5}
            ldmdb r11!, {r6, r7}
            ldm r12, {r12, lr}
            """, steps: 5) { c in
            for i: UInt32 in 0..<8 { LS.poke(c, self.data + 4 * i, 0xA0 + i) }
            c.r[8] = self.data          // r0, r1 ← A0, A1
            c.r[9] = self.data          // r2, r3 ← A1, A2
            c.r[10] = self.data + 12    // r4, r5 ← A2, A3
            c.r[11] = self.data + 12    // r6, r7 ← A1, A2
            c.r[12] = self.data + 16    // base in the list, no writeback: loaded
        }
        XCTAssertEqual([core.r[0], core.r[1]], [0xA0, 0xA1])
        XCTAssertEqual(core.r[8], data + 8)
        XCTAssertEqual([core.r[2], core.r[3]], [0xA1, 0xA2])
        XCTAssertEqual(core.r[9], data + 8)
        XCTAssertEqual([core.r[4], core.r[5]], [0xA2, 0xA3])
        XCTAssertEqual(core.r[10], data + 4)
        XCTAssertEqual([core.r[6], core.r[7]], [0xA1, 0xA2])
        XCTAssertEqual(core.r[11], data + 4)
        XCTAssertEqual([core.r[12], core.r[14]], [0xA4, 0xA5])
    }

    func testPushPopWithPC() throws {
        let core = try ARMHarness.exec("""
            push {r4, lr}
            pop {r5, pc}
            """, steps: 2) { c in
            c.r[4] = 0x4444
            c.r[14] = ARMHarness.ramBase + 0x40
        }
        XCTAssertEqual(core.r[5], 0x4444)
        XCTAssertEqual(core.r[15], ARMHarness.ramBase + 0x40, "POP {pc} branches")
        XCTAssertEqual(core.r[13], ARMHarness.ramBase + 0x8_0000, "SP back where it started")
        XCTAssertEqual(LS.peek(core, ARMHarness.ramBase + 0x8_0000 - 8), 0x4444)
        XCTAssertEqual(LS.peek(core, ARMHarness.ramBase + 0x8_0000 - 4), ARMHarness.ramBase + 0x40)
    }

    func testStoreMultipleWithBaseInListStoresOriginalBase() throws {
        // stmia r1!, {r0, r1, r2}: UNKNOWN for a base that is not the lowest register; QEMU
        // stores the original value.
        let core = try ARMHarness.exec(".word 0xE8A10007", steps: 1) { c in
            c.r[0] = 0xA; c.r[2] = 0xC
            c.r[1] = self.data
        }
        XCTAssertEqual(LS.peek(core, data), 0xA)
        XCTAssertEqual(LS.peek(core, data + 4), data)
        XCTAssertEqual(LS.peek(core, data + 8), 0xC)
        XCTAssertEqual(core.r[1], data + 12)
    }

    func testStoreMultipleOfPCStoresAddressPlus8() throws {
        let core = try ARMHarness.exec("stmia r0, {r1, pc}", steps: 1) { c in c.r[0] = self.data }
        XCTAssertEqual(LS.peek(core, data + 4), ARMHarness.ramBase + 8)
    }

    func testUnalignedBaseAlwaysFaults() throws {
        let core = try ARMHarness.exec("ldmia r0!, {r1, r2}", steps: 1) { c in c.r[0] = self.data + 2 }
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(LS.dfsr(core), 0x1)
        XCTAssertEqual(core.r[0], data + 2)
    }

    func testAbortLeavesBaseUnchanged() throws {
        // The first word is the last of RAM, the second is unmapped.
        let core = try ARMHarness.exec("ldm r0, {r0, r1}", steps: 1) { c in
            LS.poke(c, LS.lastRAMWord, 0x1234)
            c.r[0] = LS.lastRAMWord
        }
        XCTAssertEqual(core.mode, .abt)
        XCTAssertEqual(LS.dfsr(core), 0x8)
        XCTAssertEqual(LS.dfar(core), LS.lastRAMWord &+ 4)
        XCTAssertEqual(core.r[0], LS.lastRAMWord, "a base in the list is restored on abort")

        let wb = try ARMHarness.exec("stmdb r2!, {r3, r4}", steps: 1) { c in c.r[2] = ARMHarness.ramBase + 4 }
        XCTAssertEqual(wb.mode, .abt)
        XCTAssertEqual(LS.dfsr(wb), 0x808)
        XCTAssertEqual(wb.r[2], ARMHarness.ramBase + 4, "no writeback after an abort")
    }

    // MARK: UNPREDICTABLE encodings QEMU UNDEFs

    func testEmptyListIsUndefined() throws {
        XCTAssertEqual(ARMDecoder.decode(0xE890_0000).group, .undefined)   // ldm r0, {}
        let core = try ARMHarness.exec(".word 0xE8900000", steps: 1)
        XCTAssertEqual(core.mode, .und)
    }

    func testLoadMultipleWritebackWithBaseInListIsUndefined() {
        XCTAssertEqual(ARMDecoder.decode(0xE8B0_0003).group, .undefined)   // ldmia r0!, {r0, r1}
        XCTAssertEqual(ARMDecoder.decode(0xE8B0_0006).group, .loadStoreMultiple) // ldmia r0!, {r1, r2}
    }

    func testPCAsBaseIsUndefined() {
        XCTAssertEqual(ARMDecoder.decode(0xE89F_0003).group, .undefined)   // ldm pc, {r0, r1}
    }

    // MARK: System forms

    func testStoreMultipleUserRegistersFromSVC() throws {
        let core = try ARMHarness.exec("stm r0, {r13, r14}^", steps: 1) { c in
            c.setBankedRegister(13, mode: .usr, 0x1111)
            c.setBankedRegister(14, mode: .usr, 0x2222)
            c.r[14] = 0x3333
            c.r[0] = self.data
        }
        XCTAssertEqual(LS.peek(core, data), 0x1111, "User SP, not SP_svc")
        XCTAssertEqual(LS.peek(core, data + 4), 0x2222, "User LR, not LR_svc")
    }

    func testStoreMultipleUserRegistersFromFIQUsesUserR8() throws {
        let core = try ARMHarness.exec("stm r0, {r8}^", steps: 1, mode: .fiq) { c in
            c.setBankedRegister(8, mode: .usr, 0x8888)
            c.r[8] = 0xF1F1
            c.r[0] = self.data
        }
        XCTAssertEqual(LS.peek(core, data), 0x8888)
    }

    func testLoadMultipleUserRegistersFromSVC() throws {
        let core = try ARMHarness.exec("ldm r0, {r13, r14}^", steps: 1) { c in
            LS.poke(c, self.data, 0xAAAA)
            LS.poke(c, self.data + 4, 0xBBBB)
            c.r[0] = self.data
            c.r[14] = 0x3333
        }
        XCTAssertEqual(core.bankedRegister(13, mode: .usr), 0xAAAA)
        XCTAssertEqual(core.bankedRegister(14, mode: .usr), 0xBBBB)
        XCTAssertEqual(core.r[13], ARMHarness.ramBase + 0x8_0000, "SP_svc untouched")
        XCTAssertEqual(core.r[14], 0x3333, "LR_svc untouched")
        XCTAssertEqual(core.mode, .svc)
    }

    func testUserRegisterFormsAreUndefinedInUserAndHypModes() throws {
        let user = try ARMHarness.exec("ldm r0, {r1}^", steps: 1, mode: .usr) { c in c.r[0] = self.data }
        XCTAssertEqual(user.mode, .und)
        XCTAssertEqual(user.r[1], 0, "nothing loaded")
        let hyp = try ARMHarness.exec("stm r0, {r1}^", steps: 1, mode: .hyp) { c in c.r[0] = self.data }
        XCTAssertEqual(hyp.mode, .hyp)
        XCTAssertEqual(hyp.cp15.hsr, 1 << 25, "UNDEFINED in Hyp: HSR.EC = 0 (unknown), IL = 1")
        XCTAssertEqual(hyp.r[15], 0x04, "Hyp undefined-instruction vector")
        XCTAssertEqual(LS.peek(hyp, data), 0, "nothing stored")
        // LDM (User registers) with writeback: UNPREDICTABLE, QEMU UNDEFs.
        XCTAssertEqual(ARMDecoder.decode(0xE8F0_0002).group, .undefined)
    }

    func testLoadMultipleExceptionReturn() throws {
        let core = try ARMHarness.exec("ldmia r0!, {r1, pc}^", steps: 1) { c in
            LS.poke(c, self.data, 0x1111)
            LS.poke(c, self.data + 4, ARMHarness.ramBase + 0x200)
            c.r[0] = self.data
            c.spsr = 0x8000_0010            // User mode, N set
            c.setBankedRegister(13, mode: .usr, 0x5000)
        }
        XCTAssertEqual(core.mode, .usr, "CPSR ← SPSR_svc")
        XCTAssertTrue(core.flagN)
        XCTAssertEqual(core.r[1], 0x1111)
        XCTAssertEqual(core.r[0], data + 8, "writeback happens")
        XCTAssertEqual(core.r[13], 0x5000, "now in the User bank")
        XCTAssertEqual(core.r[15], ARMHarness.ramBase + 0x200)
    }
}
