import XCTest
@testable import Emulator
import Profiles

/// Every class of MMU fault, in every translation regime, on both sides (data and
/// instruction), with the exact syndrome and fault address registers (ARM ARM DDI 0406C
/// B3.13.3 tables B3-23/B3-24 fault status encodings in DFSR/IFSR, B3.13.6 HSR ISS for the
/// abort classes, and the DFAR/IFAR, HDFAR/HIFAR and HPFAR register descriptions in B4.1).
/// Cross-checked against QEMU 7.2 target/arm (tlb_helper.c `arm_fi_to_sfsc`/`arm_fi_to_lfsc`,
/// `arm_deliver_fault`, `merge_syn_data_abort`; ptw.c `get_phys_addr_v6`/`_lpae`).
///
/// Fault matrix — class × regime × side → the test asserting BOTH the syndrome and the address
/// (S = this file, SD = ARMShortDescriptorTests, LD = ARMLongDescriptorTests, LS/EX =
/// LoadStoreTests/ExclusiveTests):
///
/// | class                      | PL1 short-descriptor                 | PL1 long-descriptor (EAE)        | Hyp (HSCTLR.M, HTTBR)         | stage 2 (HCR.VM, NS guest)           |
/// |----------------------------|--------------------------------------|----------------------------------|-------------------------------|--------------------------------------|
/// | translation L1, data       | S testShortTranslationLevel1Data     | S testLongTranslationLevel1Data  | LD testHypDataAbortReportsEC0x25WithWnR | S testStage2TranslationLevel1DataAndFetch |
/// | translation L1, instr.     | S testShortTranslationLevel1Fetch    | S testLongTranslationLevel1Fetch | LD testHypMMUWithoutIdentityMapLoops… | S testStage2TranslationLevel1DataAndFetch |
/// | translation L2, data       | S testShortTranslationLevel2DataCarriesTheDomain | LD testPL1WalkThroughThreeLevels | S testHypTranslationLevel2And3 | S testStage2TranslationLevels2And3 |
/// | translation L2, instr.     | S testShortTranslationLevel2Fetch    | S testLongTranslationLevel2And3Fetch | S testHypTranslationLevel2And3 | S testStage2TranslationLevels2And3 |
/// | translation L3, data/instr.| — (no level 3)                       | S testLongTranslationLevel3Data, …Level2And3Fetch | S testHypTranslationLevel2And3 | S testStage2TranslationLevels2And3 |
/// | access flag, data          | S testShortAccessFlagSectionAndPage  | S testLongAccessFlagLevel3Data   | S testHypAccessFlagDataAndFetch | S testStage2AccessFlagDataAndFetch |
/// | access flag, instr.        | S testShortAccessFlagFetch           | S testLongAccessFlagLevel2Fetch  | S testHypAccessFlagDataAndFetch | S testStage2AccessFlagDataAndFetch |
/// | permission: RO write       | SD testWriteToReadOnlySection…       | S testLongPermissionWriteToReadOnlyAndAPTable | S testHypPermissionWriteToReadOnly | LD testStage2TranslatesIPAsAndFaultsToHypWithHPFAR |
/// | permission: PL0 vs PL1     | SD testUserModeAccessesUsePL0…, S testShortPermissionPL0PageAndFetch | S testLongPermissionPL0ReadOfPL1Page | — (PL2 only) | — (no PL0/PL1 split; S2AP no access: S testStage2PermissionNoAccessRead) |
/// | permission: XN             | SD testFetchFromExecuteNeverSection…, S testShortXNSmallPageFetch | S testLongXNAndXNTableFetch | S testHypXNPageFetch | LD testStage2ExecuteNeverIsAPrefetchAbortEC0x20 |
/// | permission: PXN            | S testShortPXNSectionAndPageTableFetch | S testLongPXNBlockFetch        | — (PXN ignored at PL2)        | —                                    |
/// | permission: WXN / UWXN     | S testShortWXNAndUWXNFetch           | S testLongWXNFetch               | LD testHypWXNMakesWritable…   | —                                    |
/// | alignment (SCTLR.A), data  | SD testAlignmentFault…, S testShortAlignmentWithSCTLRAReportsWnR | S testLongFormatAlignmentFault | S testHypAlignmentWithHSCTLRA | S testGuestAlignmentAndStage1FaultsStayAtPL1 |
/// | alignment always (LDREX/STREX/LDRD/STRD) | S testAlignmentAlwaysCheckedForExclusivesAndDual, LS/EX | S testLongFormatAlignmentAlwaysCheckedForExclusivesAndDual | S testHypAlignmentWithHSCTLRA | — |
/// | fault address of a page-crossing access | S testFaultAddressOfAnAccessCrossingIntoAnUnmappedPage | — | — | — |
/// | domain, data               | SD testNoAccessDomain…, S testShortDomainFaultsOnWriteAndPageTable | — (no domains) | — | — |
/// | domain, instr.             | S testShortDomainFaultOnFetch        | —                                | —                             | —                                    |
/// | stage 2 IPA out of range  | —                                    | —                                | —                             | S testStage2IPABeyondVTCRSizeIsALevel1TranslationFault |
/// | stage 2 on the stage 1 walk (S1PTW) | —                           | —                                | —                             | LD testStage2FaultOnAStage1WalkSetsS1PTW (data, translation), S testStage2S1PTWPermissionDataAndFetch |
///
/// Stage 1 faults of a guest under stage 2 stay at PL1 (Non-secure DFSR/DFAR, HSR untouched):
/// S testGuestAlignmentAndStage1FaultsStayAtPL1. Data endianness of SCTLR.EE / HSCTLR.EE at
/// exception entry and SCTLR/HSCTLR C and I read-back: the last tests of this file.
final class ARMFaultSyndromeTests: XCTestCase {
    typealias T = ARMMMUTest
    typealias L = ARMLongDescriptorTests

    private static func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }

    /// `access` (using r0 as the address) at 0x80000004 on VA `va`.
    private func data(_ access: String, _ va: UInt32) -> String {
        """
        ldr r0, =\(Self.hex(va))
        \(access)
        b .
        .ltorg
        """
    }

    /// A branch to `va` from 0x80000004: the fetch at `va` is the third instruction.
    private func fetch(_ va: UInt32) -> String {
        """
        ldr r0, =\(Self.hex(va))
        bx r0
        .ltorg
        """
    }

    /// Asserts a data abort taken to Abort mode (B1.9.7): DFSR, DFAR, LR = faulting PC + 8.
    private func assertDataAbort(_ c: ARMCore, dfsr: UInt32, dfar: UInt32, pc: UInt32 = 0x8000_0004,
                                 secure: Bool = true, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(c.mode, .abt, "Abort mode", file: file, line: line)
        XCTAssertEqual(Self.hex(secure ? c.cp15.dfsrBank.1 : c.cp15.dfsrBank.0), Self.hex(dfsr), "DFSR", file: file, line: line)
        XCTAssertEqual(Self.hex(secure ? c.cp15.dfarBank.1 : c.cp15.dfarBank.0), Self.hex(dfar), "DFAR", file: file, line: line)
        XCTAssertEqual(c.r[14], pc &+ 8, "LR_abt", file: file, line: line)
        XCTAssertEqual(c.nextPC, (secure ? c.cp15.vbarBank.1 : c.cp15.vbarBank.0) + 0x10, "data abort vector", file: file, line: line)
    }

    /// Asserts a prefetch abort (B1.9.6) of the fetch at `ifar`: IFSR, IFAR, LR = IFAR + 4.
    private func assertPrefetchAbort(_ c: ARMCore, ifsr: UInt32, ifar: UInt32, secure: Bool = true,
                                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(c.mode, .abt, "Abort mode", file: file, line: line)
        XCTAssertEqual(Self.hex(secure ? c.cp15.ifsrBank.1 : c.cp15.ifsrBank.0), Self.hex(ifsr), "IFSR", file: file, line: line)
        XCTAssertEqual(Self.hex(secure ? c.cp15.ifarBank.1 : c.cp15.ifarBank.0), Self.hex(ifar), "IFAR", file: file, line: line)
        XCTAssertEqual(c.r[14], ifar &+ 4, "LR_abt", file: file, line: line)
        XCTAssertEqual(c.nextPC, (secure ? c.cp15.vbarBank.1 : c.cp15.vbarBank.0) + 0x0C, "prefetch abort vector", file: file, line: line)
    }

    /// Asserts an abort taken to Hyp mode: HSR, HDFAR or HIFAR, HPFAR when given, ELR_hyp =
    /// the faulting instruction, the vector (0x0C/0x10 from Hyp, 0x14 from a guest), and that
    /// the PL1 fault registers were not written.
    private func assertHypAbort(_ c: ARMCore, hsr: UInt32, hdfar: UInt32? = nil, hifar: UInt32? = nil,
                                hpfar: UInt32? = nil, elr: UInt32, vector: UInt32,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(c.mode, .hyp, "Hyp mode", file: file, line: line)
        XCTAssertEqual(Self.hex(c.cp15.hsr), Self.hex(hsr), "HSR", file: file, line: line)
        if let hdfar { XCTAssertEqual(Self.hex(c.cp15.hdfar), Self.hex(hdfar), "HDFAR", file: file, line: line) }
        if let hifar { XCTAssertEqual(Self.hex(c.cp15.hifar), Self.hex(hifar), "HIFAR", file: file, line: line) }
        if let hpfar { XCTAssertEqual(Self.hex(c.cp15.hpfar), Self.hex(hpfar), "HPFAR", file: file, line: line) }
        XCTAssertEqual(c.elrHyp, elr, "ELR_hyp", file: file, line: line)
        XCTAssertEqual(c.nextPC, T.vectors + vector, "Hyp vector", file: file, line: line)
        XCTAssertEqual(c.cp15.dfsrBank.0 | c.cp15.dfarBank.0 | c.cp15.ifsrBank.0 | c.cp15.ifarBank.0, 0,
                       "Non-secure DFSR/DFAR/IFSR/IFAR untouched", file: file, line: line)
    }

    // MARK: - PL1 short-descriptor (Secure SVC, TTBCR.EAE = 0)

    func testShortTranslationLevel1Data() throws {
        // Level 1 translation fault: FS 0b00101, Domain not valid (0, as QEMU), WnR on the store.
        let load = try ARMHarness.exec(data("ldr r1, [r0]", 0x7000_0004), steps: 2) { c in c.enableShortDescriptorMMU() }
        assertDataAbort(load, dfsr: 0x005, dfar: 0x7000_0004)
        let store = try ARMHarness.exec(data("str r1, [r0]", 0x7000_0004), steps: 2) { c in c.enableShortDescriptorMMU() }
        assertDataAbort(store, dfsr: 0x805, dfar: 0x7000_0004)
    }

    func testShortTranslationLevel1Fetch() throws {
        let c = try ARMHarness.exec(fetch(0x7000_0000), steps: 3) { c in c.enableShortDescriptorMMU() }
        assertPrefetchAbort(c, ifsr: 0x005, ifar: 0x7000_0000)
    }

    func testShortTranslationLevel2DataCarriesTheDomain() throws {
        // B3.13.3 table B3-23: a level 2 translation fault has a valid Domain (the page table's).
        let c = try ARMHarness.exec(data("ldr r1, [r0]", 0x5000_3004), steps: 2) { c in
            c.enableShortDescriptorMMU(dacr: 1 | 1 << 10)
            c.mapL1(0x5000_0000, T.l2 | 5 << 5 | 1)
        }
        assertDataAbort(c, dfsr: 0x057, dfar: 0x5000_3004)
    }

    func testShortTranslationLevel2Fetch() throws {
        // IFSR has no Domain field (B4.1.96).
        let c = try ARMHarness.exec(fetch(0x5000_3000), steps: 3) { c in
            c.enableShortDescriptorMMU(dacr: 1 | 1 << 10)
            c.mapL1(0x5000_0000, T.l2 | 5 << 5 | 1)
        }
        assertPrefetchAbort(c, ifsr: 0x007, ifar: 0x5000_3000)
    }

    func testShortAccessFlagSectionAndPage() throws {
        // SCTLR.AFE = 1: AP[0] is the access flag. Section: FS 0b00011; page: 0b00110 with the
        // page table's domain (2).
        let section = try ARMHarness.exec(data("ldr r1, [r0]", 0x4000_8000), steps: 2) { c in
            c.enableShortDescriptorMMU(sctlrBits: SCTLR.AFE)
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 2))
        }
        assertDataAbort(section, dfsr: 0x003, dfar: 0x4000_8000)
        let page = try ARMHarness.exec(data("str r1, [r0]", 0x5000_0010), steps: 2) { c in
            c.enableShortDescriptorMMU(dacr: 1 | 1 << 4, sctlrBits: SCTLR.AFE)
            c.mapL1(0x5000_0000, T.l2 | 2 << 5 | 1)
            c.poke(T.l2, T.smallPage(T.dataA, ap: 2))
        }
        assertDataAbort(page, dfsr: 0x800 | 0x020 | 0x006, dfar: 0x5000_0010)
    }

    func testShortAccessFlagFetch() throws {
        let c = try ARMHarness.exec(fetch(0x4000_0000), steps: 3) { c in
            c.enableShortDescriptorMMU(sctlrBits: SCTLR.AFE)
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 2))
        }
        assertPrefetchAbort(c, ifsr: 0x003, ifar: 0x4000_0000)
    }

    func testShortPermissionPL0PageAndFetch() throws {
        // AP = 0b001 (PL1 only) on a page in domain 1: a User-mode load is a level 2 permission
        // fault (0b01111) with Domain 1; a User-mode fetch of a PL1-only section is 0b01101.
        let load = try ARMHarness.exec("""
            ldr r0, =0x50000020
            cps #0x10
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 3) { c in
            c.enableShortDescriptorMMU(dacr: 1 | 1 << 2)
            c.mapL1(0x5000_0000, T.l2 | 1 << 5 | 1)
            c.poke(T.l2, T.smallPage(T.dataA, ap: 1))
        }
        assertDataAbort(load, dfsr: 0x01F, dfar: 0x5000_0020, pc: 0x8000_0008)
        XCTAssertEqual(load.spsr & 0x1F, ARMMode.usr.rawValue)
        let prefetch = try ARMHarness.exec("""
            ldr r0, =0x40000000 + (there - _start)
            cps #0x10
            bx r0
            there: mov r2, #2
            .ltorg
            """, steps: 4) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 1))
        }
        assertPrefetchAbort(prefetch, ifsr: 0x00D, ifar: 0x4000_000C)
    }

    func testShortXNSmallPageFetch() throws {
        let c = try ARMHarness.exec(fetch(0x5000_0000), steps: 3) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x5000_0000, T.l2 | 1)
            c.poke(T.l2, T.smallPage(0x8000_0000) | 1)    // XN
        }
        assertPrefetchAbort(c, ifsr: 0x00F, ifar: 0x5000_0000)
    }

    func testShortPXNSectionAndPageTableFetch() throws {
        // PXN (B3.7.2): a section of type 0b11, or bit 2 of a page table descriptor. PL1 fetches
        // fault; the pages stay readable.
        let section = try ARMHarness.exec(fetch(0x4000_0000), steps: 3) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x4000_0000, T.section(0x8000_0000) | 1)
        }
        assertPrefetchAbort(section, ifsr: 0x00D, ifar: 0x4000_0000)
        let table = try ARMHarness.exec(fetch(0x5000_0000), steps: 3) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x5000_0000, T.l2 | 1 << 2 | 1)
            c.poke(T.l2, T.smallPage(0x8000_0000))
        }
        assertPrefetchAbort(table, ifsr: 0x00F, ifar: 0x5000_0000)
        let read = try ARMHarness.exec(data("ldr r1, [r0]", 0x4000_8000), steps: 2) { c in
            c.enableShortDescriptorMMU()
            c.mapL1(0x4000_0000, T.section(0x8000_0000) | 1)
        }
        XCTAssertEqual(read.mode, .svc)
        XCTAssertEqual(read.r[1], T.valueA)
    }

    func testShortWXNAndUWXNFetch() throws {
        // SCTLR.WXN (B3.7.3, both formats): a region writable at PL1 is execute-never. The code
        // runs from a read-only section.
        let wxn = try ARMHarness.exec(fetch(0x4000_0000), steps: 3) { c in
            c.enableShortDescriptorMMU(sctlrBits: SCTLR.WXN)
            c.mapL1(0x8000_0000, T.section(0x8000_0000, ap: 7))
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 3))
        }
        assertPrefetchAbort(wxn, ifsr: 0x00D, ifar: 0x4000_0000)
        // SCTLR.UWXN: a region writable at PL0 is execute-never at PL1; PL1-only writable code
        // (AP = 0b001) still runs.
        let uwxn = try ARMHarness.exec(fetch(0x4000_0000), steps: 3) { c in
            c.enableShortDescriptorMMU(sctlrBits: SCTLR.UWXN)
            c.mapL1(0x8000_0000, T.section(0x8000_0000, ap: 1))
            c.mapL1(0x4000_0000, T.section(0x8000_0000, ap: 3))
        }
        assertPrefetchAbort(uwxn, ifsr: 0x00D, ifar: 0x4000_0000)
    }

    func testShortDomainFaultsOnWriteAndPageTable() throws {
        // Section in no-access domain 1, written: FS 0b01001, Domain 1, WnR.
        let section = try ARMHarness.exec(data("str r1, [r0]", 0x4000_8000), steps: 2) { c in
            c.enableShortDescriptorMMU(dacr: 1)
            c.mapL1(0x4000_0000, T.section(0x8000_0000, domain: 1))
        }
        assertDataAbort(section, dfsr: 0x819, dfar: 0x4000_8000)
        // Page table in no-access domain 3: checked before the level 2 lookup (QEMU
        // get_phys_addr_v6), reported as a level 2 domain fault, FS 0b01011.
        let page = try ARMHarness.exec(data("ldr r1, [r0]", 0x5000_1004), steps: 2) { c in
            c.enableShortDescriptorMMU(dacr: 1)
            c.mapL1(0x5000_0000, T.l2 | 3 << 5 | 1)
            c.poke(T.l2 + 4, T.smallPage(T.dataA))
        }
        assertDataAbort(page, dfsr: 0x03B, dfar: 0x5000_1004)
    }

    func testShortDomainFaultOnFetch() throws {
        let c = try ARMHarness.exec(fetch(0x4000_0000), steps: 3) { c in
            c.enableShortDescriptorMMU(dacr: 1)
            c.mapL1(0x4000_0000, T.section(0x8000_0000, domain: 1))
        }
        assertPrefetchAbort(c, ifsr: 0x009, ifar: 0x4000_0000)
    }

    func testShortAlignmentWithSCTLRAReportsWnR() throws {
        let store = try ARMHarness.exec(data("str r1, [r0]", 0x4000_8002), steps: 2) { c in
            c.enableShortDescriptorMMU(sctlrBits: SCTLR.A)
            c.mapL1(0x4000_0000, T.section(0x8000_0000))
        }
        assertDataAbort(store, dfsr: 0x801, dfar: 0x4000_8002)
        XCTAssertEqual(store.peek(T.dataA), T.valueA, "nothing written")
        let half = try ARMHarness.exec(data("ldrh r1, [r0]", 0x4000_8001), steps: 2) { c in
            c.enableShortDescriptorMMU(sctlrBits: SCTLR.A)
            c.mapL1(0x4000_0000, T.section(0x8000_0000))
        }
        assertDataAbort(half, dfsr: 0x001, dfar: 0x4000_8001)
    }

    func testAlignmentAlwaysCheckedForExclusivesAndDual() throws {
        // SCTLR.A = 0, translation on: LDREX/STREX/LDRD/STRD still need alignment (A3.2.1).
        func run(_ access: String, _ va: UInt32) throws -> ARMCore {
            try ARMHarness.exec(data(access, va), steps: 2) { c in
                c.enableShortDescriptorMMU()
                c.mapL1(0x4000_0000, T.section(0x8000_0000))
            }
        }
        assertDataAbort(try run("ldrex r1, [r0]", 0x4000_8002), dfsr: 0x001, dfar: 0x4000_8002)
        assertDataAbort(try run("strex r2, r1, [r0]", 0x4000_8001), dfsr: 0x801, dfar: 0x4000_8001)
        assertDataAbort(try run("strd r2, r3, [r0]", 0x4000_8002), dfsr: 0x801, dfar: 0x4000_8002)
        assertDataAbort(try run("ldrexd r2, r3, [r0]", 0x4000_8004), dfsr: 0x001, dfar: 0x4000_8004)
        XCTAssertEqual(try run("ldr r1, [r0]", 0x4000_8001).mode, .svc, "plain LDR may be unaligned")
    }

    func testFaultAddressOfAnAccessCrossingIntoAnUnmappedPage() throws {
        // VA 0x40000000–0x400FFFFF mapped, 0x40100000 not. An unaligned word (SCTLR.A = 0)
        // or an LDM/STM crossing the boundary faults on the second page: DFAR = its first
        // byte, as QEMU 7.2 (cputlb.c load_helper/store_helper split the access at the page
        // boundary and fault on the second part). A faulting store writes nothing.
        func run(_ access: String, _ va: UInt32) throws -> ARMCore {
            try ARMHarness.exec(data(access, va), steps: 2) { c in
                c.enableShortDescriptorMMU()
                c.mapL1(0x4000_0000, T.section(0x8000_0000))
                c.poke(0x800F_FFFC, 0x1122_3344)
            }
        }
        assertDataAbort(try run("ldr r1, [r0]", 0x400F_FFFE), dfsr: 0x005, dfar: 0x4010_0000)
        let store = try run("str r0, [r0]", 0x400F_FFFE)
        assertDataAbort(store, dfsr: 0x805, dfar: 0x4010_0000)
        XCTAssertEqual(store.peek(0x800F_FFFC), 0x1122_3344, "nothing written to the first page")
        assertDataAbort(try run("ldm r0, {r1, r2}", 0x400F_FFFC), dfsr: 0x005, dfar: 0x4010_0000)
        assertDataAbort(try run("stm r0, {r1, r2}", 0x400F_FFFC), dfsr: 0x805, dfar: 0x4010_0000)
    }

    // MARK: - PL1 long-descriptor (Secure SVC, TTBCR.EAE = 1)

    /// The three-level map of ARMLongDescriptorTests through TTBR0, TTBCR.EAE, SCTLR.M.
    private func lpae(_ sctlrBits: UInt32 = 0, _ edit: @escaping (ARMCore) -> Void = { _ in }) -> (ARMCore) -> Void {
        { c in
            L.buildThreeLevelMap(c)
            edit(c)
            c.cp15.ttbr0Bank.1 = UInt64(T.l1)
            c.cp15.ttbcrBank.1 = 1 << 31
            c.cp15.vbarBank.1 = T.vectors
            c.cp15.setSCTLR(c.cp15.sctlr(secure: true) | SCTLR.M | sctlrBits, secure: true)
        }
    }

    func testLongTranslationLevel1Data() throws {
        // Long format (B3.13.3 table B3-24): LPAE bit 9, STATUS 0b0001LL, no Domain.
        let c = try ARMHarness.exec(data("ldr r1, [r0]", 0xC000_0008), steps: 2, setup: lpae())
        assertDataAbort(c, dfsr: 0x205, dfar: 0xC000_0008)
    }

    func testLongTranslationLevel1Fetch() throws {
        let c = try ARMHarness.exec(fetch(0xC000_0000), steps: 3, setup: lpae())
        assertPrefetchAbort(c, ifsr: 0x205, ifar: 0xC000_0000)
    }

    func testLongTranslationLevel3Data() throws {
        let c = try ARMHarness.exec(data("str r1, [r0]", 0x4020_1000), steps: 2, setup: lpae())
        assertDataAbort(c, dfsr: 0xA07, dfar: 0x4020_1000)
    }

    func testLongTranslationLevel2And3Fetch() throws {
        assertPrefetchAbort(try ARMHarness.exec(fetch(0x4040_0000), steps: 3, setup: lpae()), ifsr: 0x206, ifar: 0x4040_0000)
        assertPrefetchAbort(try ARMHarness.exec(fetch(0x4020_1000), steps: 3, setup: lpae()), ifsr: 0x207, ifar: 0x4020_1000)
    }

    func testLongAccessFlagLevel3Data() throws {
        let c = try ARMHarness.exec(data("ldr r1, [r0]", 0x4020_0008), steps: 2, setup: lpae(0) { c in
            c.poke64(T.l3, L.block(UInt64(T.dataB), accessFlag: false, page: true))
        })
        assertDataAbort(c, dfsr: 0x20B, dfar: 0x4020_0008)
    }

    func testLongAccessFlagLevel2Fetch() throws {
        let c = try ARMHarness.exec(fetch(0x4000_0000), steps: 3, setup: lpae(0) { c in
            c.poke64(T.l2, L.block(0x8000_0000, accessFlag: false))
        })
        assertPrefetchAbort(c, ifsr: 0x20A, ifar: 0x4000_0000)
    }

    func testLongPermissionWriteToReadOnlyAndAPTable() throws {
        // AP[2:1] = 0b10 (PL1 read-only) on the level 1 block: permission level 1, WnR.
        let block = try ARMHarness.exec(data("str r1, [r0]", 0x4000_8000), steps: 2, setup: lpae(0) { c in
            c.poke64(T.l1 + 8, L.block(0x8000_0000, ap: 2))
        })
        assertDataAbort(block, dfsr: 0xA0D, dfar: 0x4000_8000)
        // APTable[1] on the level 1 table descriptor makes the level 2 block read-only.
        let apTable = try ARMHarness.exec(data("str r1, [r0]", 0x4000_8000), steps: 2, setup: lpae(0) { c in
            c.poke64(T.l1 + 8, L.table(UInt64(T.l2)) | 2 << 61)
        })
        assertDataAbort(apTable, dfsr: 0xA0E, dfar: 0x4000_8000)
    }

    func testLongPermissionPL0ReadOfPL1Page() throws {
        // AP[2:1] = 0b00: PL1 only. From User mode: permission level 3.
        let c = try ARMHarness.exec("""
            ldr r0, =0x40200010
            cps #0x10
            ldr r1, [r0]
            b .
            .ltorg
            """, steps: 3, setup: lpae(0) { c in
                c.poke64(T.l1 + 16, L.block(0x8000_0000, ap: 1))   // code: read/write at PL0 too
            })
        assertDataAbort(c, dfsr: 0x20F, dfar: 0x4020_0010, pc: 0x8000_0008)
    }

    func testLongXNAndXNTableFetch() throws {
        let page = try ARMHarness.exec(fetch(0x4020_0000), steps: 3, setup: lpae(0) { c in
            c.poke64(T.l3, L.block(0x8000_0000, xn: true, page: true))
        })
        assertPrefetchAbort(page, ifsr: 0x20F, ifar: 0x4020_0000)
        let table = try ARMHarness.exec(fetch(0x4000_0000), steps: 3, setup: lpae(0) { c in
            c.poke64(T.l1 + 8, L.table(UInt64(T.l2)) | 1 << 60)
        })
        assertPrefetchAbort(table, ifsr: 0x20E, ifar: 0x4000_0000)
    }

    func testLongPXNBlockFetch() throws {
        let c = try ARMHarness.exec(fetch(0x4000_0000), steps: 3, setup: lpae(0) { c in
            c.poke64(T.l2, L.block(0x8000_0000) | 1 << 53)
        })
        assertPrefetchAbort(c, ifsr: 0x20E, ifar: 0x4000_0000)
    }

    func testLongWXNFetch() throws {
        let c = try ARMHarness.exec(fetch(0x4000_0000), steps: 3, setup: lpae(SCTLR.WXN) { c in
            c.poke64(T.l1 + 16, L.block(0x8000_0000, ap: 2))   // the code: read-only, executable
        })
        assertPrefetchAbort(c, ifsr: 0x20E, ifar: 0x4000_0000)
    }

    func testLongFormatAlignmentFault() throws {
        // TTBCR.EAE = 1 selects the long format for every fault, alignment included: 0b100001.
        let c = try ARMHarness.exec(data("str r1, [r0]", 0x4000_8002), steps: 2, setup: lpae(SCTLR.A))
        assertDataAbort(c, dfsr: 0xA21, dfar: 0x4000_8002)
    }

    func testLongFormatAlignmentAlwaysCheckedForExclusivesAndDual() throws {
        // SCTLR.A = 0 with TTBCR.EAE = 1: LDREX/STREX/LDRD still need alignment (A3.2.1),
        // reported in the long format (STATUS 0b100001, LPAE bit 9, WnR for the store).
        func run(_ access: String) throws -> ARMCore {
            try ARMHarness.exec(data(access, 0x4000_8002), steps: 2, setup: lpae())
        }
        assertDataAbort(try run("ldrex r1, [r0]"), dfsr: 0x221, dfar: 0x4000_8002)
        assertDataAbort(try run("ldrd r2, r3, [r0]"), dfsr: 0x221, dfar: 0x4000_8002)
        assertDataAbort(try run("strex r2, r1, [r0]"), dfsr: 0xA21, dfar: 0x4000_8002)
        XCTAssertEqual(try run("ldr r1, [r0]").mode, .svc, "plain LDR may be unaligned")
    }

    // MARK: - Hyp mode (HSCTLR.M, HTTBR, HTCR): aborts stay in Hyp, EC 0x21 / 0x25

    private func hyp(_ hsctlrBits: UInt32 = HSCTLR.M, _ edit: @escaping (ARMCore) -> Void = { _ in }) -> (ARMCore) -> Void {
        { c in
            c.cp15.scr = SCR.NS | SCR.HCE
            c.cp15.hvbar = T.vectors
            L.buildThreeLevelMap(c)
            edit(c)
            c.cp15.httbr = UInt64(T.l1)
            c.cp15.hsctlr |= hsctlrBits
        }
    }

    func testHypTranslationLevel2And3() throws {
        // EC 0x25 | IL, ISV = 0 (not a stage 2 fault), WnR, DFSC 0b000111.
        let store = try ARMHarness.exec(data("str r1, [r0]", 0x4020_1000), steps: 2, mode: .hyp, setup: hyp())
        assertHypAbort(store, hsr: 0x9600_0047, hdfar: 0x4020_1000, elr: 0x8000_0004, vector: 0x10)
        // EC 0x21 | IL, IFSC 0b000110.
        let prefetch = try ARMHarness.exec(fetch(0x4040_0000), steps: 3, mode: .hyp, setup: hyp())
        assertHypAbort(prefetch, hsr: 0x8600_0006, hifar: 0x4040_0000, elr: 0x4040_0000, vector: 0x0C)
        let fetch3 = try ARMHarness.exec(self.fetch(0x4020_1000), steps: 3, mode: .hyp, setup: hyp())
        assertHypAbort(fetch3, hsr: 0x8600_0007, hifar: 0x4020_1000, elr: 0x4020_1000, vector: 0x0C)
    }

    func testHypAccessFlagDataAndFetch() throws {
        let load = try ARMHarness.exec(data("ldr r1, [r0]", 0x4000_8000), steps: 2, mode: .hyp, setup: hyp(HSCTLR.M) { c in
            c.poke64(T.l2, L.block(0x8000_0000, accessFlag: false))
        })
        assertHypAbort(load, hsr: 0x9600_000A, hdfar: 0x4000_8000, elr: 0x8000_0004, vector: 0x10)
        let prefetch = try ARMHarness.exec(fetch(0x4020_0000), steps: 3, mode: .hyp, setup: hyp(HSCTLR.M) { c in
            c.poke64(T.l3, L.block(0x8000_0000, accessFlag: false, page: true))
        })
        assertHypAbort(prefetch, hsr: 0x8600_000B, hifar: 0x4020_0000, elr: 0x4020_0000, vector: 0x0C)
    }

    func testHypPermissionWriteToReadOnly() throws {
        // Hyp stage 1: AP[2] = 1 is read-only (AP[1] ignored at PL2).
        let c = try ARMHarness.exec(data("str r1, [r0]", 0x4000_8000), steps: 2, mode: .hyp, setup: hyp(HSCTLR.M) { c in
            c.poke64(T.l1 + 8, L.block(0x8000_0000, ap: 3))
        })
        assertHypAbort(c, hsr: 0x9600_004D, hdfar: 0x4000_8000, elr: 0x8000_0004, vector: 0x10)
        XCTAssertEqual(c.peek(T.dataA), T.valueA)
    }

    func testHypXNPageFetch() throws {
        let c = try ARMHarness.exec(fetch(0x4020_0000), steps: 3, mode: .hyp, setup: hyp(HSCTLR.M) { c in
            c.poke64(T.l3, L.block(0x8000_0000, xn: true, page: true))
        })
        assertHypAbort(c, hsr: 0x8600_000F, hifar: 0x4020_0000, elr: 0x4020_0000, vector: 0x0C)
    }

    func testHypAlignmentWithHSCTLRA() throws {
        // HSCTLR.A (not SCTLR.A) governs Hyp accesses; the MMU may be off. DFSC 0b100001.
        let load = try ARMHarness.exec(data("ldr r1, [r0]", 0x8000_8002), steps: 2, mode: .hyp, setup: hyp(HSCTLR.A))
        assertHypAbort(load, hsr: 0x9600_0021, hdfar: 0x8000_8002, elr: 0x8000_0004, vector: 0x10)
        let store = try ARMHarness.exec(data("strh r1, [r0]", 0x4000_8001), steps: 2, mode: .hyp, setup: hyp(HSCTLR.M | HSCTLR.A))
        assertHypAbort(store, hsr: 0x9600_0061, hdfar: 0x4000_8001, elr: 0x8000_0004, vector: 0x10)
        // SCTLR.A does not apply in Hyp.
        let plain = try ARMHarness.exec(data("ldr r1, [r0]", 0x8000_8002), steps: 2, mode: .hyp) { c in
            self.hyp(0)(c)
            c.cp15.setSCTLR(c.cp15.sctlr(secure: false) | SCTLR.A, secure: false)
        }
        XCTAssertEqual(plain.mode, .hyp)
        XCTAssertEqual(plain.nextPC, 0x8000_0008)
        // LDREX needs alignment whatever HSCTLR.A says.
        let ex = try ARMHarness.exec(data("ldrex r1, [r0]", 0x8000_8002), steps: 2, mode: .hyp, setup: hyp(0))
        assertHypAbort(ex, hsr: 0x9600_0021, hdfar: 0x8000_8002, elr: 0x8000_0004, vector: 0x10)
    }

    // MARK: - Stage 2 (Non-secure SVC guest, HCR.VM): EC 0x20 / 0x24 at the Hyp trap vector

    /// Stage 2 at `T.l1` (VTCR SL0 = 1, T0SZ = 0): IPA 0x80000000 (1 GiB) identity read/write;
    /// IPA 0x40000000 → level 2 at `T.l2`: [0] 2 MiB block onto 0x80000000 read/write,
    /// [1] → level 3 at `T.l3`: [0] page onto 0x80009000. Everything else unmapped.
    private func stage2(_ edit: @escaping (ARMCore) -> Void = { _ in }) -> (ARMCore) -> Void {
        { c in
            c.cp15.scr = SCR.NS | SCR.HCE
            c.cp15.hvbar = T.vectors
            c.poke64(T.l1 + 16, L.block(0x8000_0000, ap: 3))
            c.poke64(T.l1 + 8, L.table(UInt64(T.l2)))
            c.poke64(T.l2, L.block(0x8000_0000, ap: 3))
            c.poke64(T.l2 + 8, L.table(UInt64(T.l3)))
            c.poke64(T.l3, L.block(UInt64(T.dataB), ap: 3, page: true))
            c.poke(T.dataA, T.valueA)
            c.poke(T.dataB, T.valueB)
            edit(c)
            c.cp15.vttbr = UInt64(T.l1) | (5 << 48)
            c.cp15.vtcr = 1 << 6
            c.cp15.hcr = HCR.VM
        }
    }

    func testStage2TranslationLevel1DataAndFetch() throws {
        // EC 0x24 | IL | ISV | SAS word | SRT 1 | WnR | DFSC 0b000101; HPFAR[31:4] = IPA[39:12].
        let store = try ARMHarness.exec(data("str r1, [r0]", 0xC000_0010), steps: 2, setup: stage2())
        assertHypAbort(store, hsr: 0x9381_0045, hdfar: 0xC000_0010, hpfar: 0x00C0_0000, elr: 0x8000_0004, vector: 0x14)
        XCTAssertEqual(store.bankedSPSR[ARMMode.hyp.bank] & 0x1F, ARMMode.svc.rawValue)
        // EC 0x20 | IL | IFSC 0b000101.
        let prefetch = try ARMHarness.exec(fetch(0xC000_0000), steps: 3, setup: stage2())
        assertHypAbort(prefetch, hsr: 0x8200_0005, hifar: 0xC000_0000, hpfar: 0x00C0_0000, elr: 0xC000_0000, vector: 0x14)
    }

    func testStage2TranslationLevels2And3() throws {
        let l2 = try ARMHarness.exec(data("ldr r1, [r0]", 0x4040_0004), steps: 2, setup: stage2())
        assertHypAbort(l2, hsr: 0x9381_0006, hdfar: 0x4040_0004, hpfar: 0x0040_4000, elr: 0x8000_0004, vector: 0x14)
        let l3 = try ARMHarness.exec(data("ldrb r3, [r0]", 0x4020_1003), steps: 2, setup: stage2())
        assertHypAbort(l3, hsr: 0x9303_0007, hdfar: 0x4020_1003, hpfar: 0x0040_2010, elr: 0x8000_0004, vector: 0x14)
        let prefetch = try ARMHarness.exec(fetch(0x4020_1000), steps: 3, setup: stage2())
        assertHypAbort(prefetch, hsr: 0x8200_0007, hifar: 0x4020_1000, hpfar: 0x0040_2010, elr: 0x4020_1000, vector: 0x14)
        let fetch2 = try ARMHarness.exec(self.fetch(0x4040_0000), steps: 3, setup: stage2())
        assertHypAbort(fetch2, hsr: 0x8200_0006, hifar: 0x4040_0000, hpfar: 0x0040_4000, elr: 0x4040_0000, vector: 0x14)
    }

    func testStage2IPABeyondVTCRSizeIsALevel1TranslationFault() throws {
        // VTCR.T0SZ = 0 (32-bit IPA), SL0 = 0: the walk starts at level 2 (four concatenated
        // tables at 0x80030000). A stage 1 supersection maps VA 0x60000000 onto IPA
        // 0x1_60000000, beyond the IPA size: a translation fault reported at level 1, not at
        // the start level (TranslationTableWalkLD, QEMU 7.2 get_phys_addr_lpae).
        let s2: UInt32 = 0x8003_0000, s1: UInt32 = 0x8002_0000
        let c = try ARMHarness.exec(data("ldr r1, [r0]", 0x6000_0010), steps: 2) { c in
            self.stage2()(c)
            c.poke64(s2 + (0x8000_0000 >> 21) * 8, L.block(0x8000_0000, ap: 3))
            c.cp15.vttbr = UInt64(s2)
            c.cp15.vtcr = 0
            c.poke(s1 + (0x800 << 2), T.identity)
            c.poke(s1 + (0x600 << 2), 0x6000_0000 | 1 << 20 | 1 << 18 | 3 << 10 | 2)
            c.cp15.ttbr0Bank.0 = UInt64(s1)
            c.cp15.dacrBank.0 = 1
            c.cp15.setSCTLR(c.cp15.sctlr(secure: false) | SCTLR.M, secure: false)
        }
        assertHypAbort(c, hsr: 0x9381_0005, hdfar: 0x6000_0010, hpfar: 0x0160_0000, elr: 0x8000_0004, vector: 0x14)
    }

    func testStage2AccessFlagDataAndFetch() throws {
        let noAF = stage2 { c in c.poke64(T.l2, L.block(0x8000_0000, ap: 3, accessFlag: false)) }
        let load = try ARMHarness.exec(data("ldr r1, [r0]", 0x4000_8000), steps: 2, setup: noAF)
        assertHypAbort(load, hsr: 0x9381_000A, hdfar: 0x4000_8000, hpfar: 0x0040_0080, elr: 0x8000_0004, vector: 0x14)
        let prefetch = try ARMHarness.exec(fetch(0x4000_0000), steps: 3, setup: noAF)
        assertHypAbort(prefetch, hsr: 0x8200_000A, hifar: 0x4000_0000, hpfar: 0x0040_0000, elr: 0x4000_0000, vector: 0x14)
    }

    func testStage2PermissionNoAccessRead() throws {
        // S2AP = 0b00 at level 3: a halfword load (ISV, SAS halfword, SRT 2) is a permission
        // fault level 3; the guest's privilege plays no part.
        let c = try ARMHarness.exec(data("ldrh r2, [r0]", 0x4020_0002), steps: 2, setup: stage2 { c in
            c.poke64(T.l3, L.block(UInt64(T.dataB), ap: 0, page: true))
        })
        assertHypAbort(c, hsr: 0x9342_000F, hdfar: 0x4020_0002, hpfar: 0x0040_2000, elr: 0x8000_0004, vector: 0x14)
    }

    func testStage2S1PTWPermissionDataAndFetch() throws {
        // The guest's stage 1 short-descriptor tables sit at IPAs. Stage 2 maps IPA 0x40000000
        // (the level 2 block) with S2AP = 0b00, so reading a stage 1 descriptor there is a stage
        // 2 permission fault on the walk: S1PTW, no instruction syndrome, HPFAR = the
        // descriptor's IPA, HDFAR/HIFAR = the VA (B3.13.6).
        let s1: UInt32 = 0x8002_0000
        func guest(ttbr0: UInt32, _ edit: @escaping (ARMCore) -> Void) -> (ARMCore) -> Void {
            stage2 { c in
                c.poke64(T.l2, L.block(0x8000_0000, ap: 0))
                c.poke(s1 + (0x800 << 2), T.identity)
                edit(c)
                c.cp15.ttbr0Bank.0 = UInt64(ttbr0)
                c.cp15.dacrBank.0 = 1
                c.cp15.vbarBank.0 = T.vectors
                c.cp15.setSCTLR(c.cp15.sctlr(secure: false) | SCTLR.M, secure: false)
            }
        }
        // Data: VA 0x50000000's page table at IPA 0x40030000.
        let load = try ARMHarness.exec(data("ldr r1, [r0]", 0x5000_1008), steps: 2, setup: guest(ttbr0: s1) { c in
            c.poke(s1 + (0x500 << 2), 0x4003_0000 | 1)
        })
        assertHypAbort(load, hsr: 0x9200_008E, hdfar: 0x5000_1008, hpfar: 0x0040_0300, elr: 0x8000_0004, vector: 0x14)
        // Fetch: the level 1 table itself at IPA 0x40020000: the very first fetch faults on the
        // descriptor at IPA 0x40020000 + (0x800 << 2).
        let prefetch = try ARMHarness.exec("nop", steps: 1, setup: guest(ttbr0: 0x4002_0000) { _ in })
        assertHypAbort(prefetch, hsr: 0x8200_008E, hifar: 0x8000_0000, hpfar: 0x0040_0220, elr: 0x8000_0000, vector: 0x14)
    }

    func testGuestAlignmentAndStage1FaultsStayAtPL1() throws {
        // Under stage 2, alignment faults and stage 1 faults are the guest's own: Non-secure
        // Abort mode, Non-secure DFSR/DFAR, HSR/HPFAR/HDFAR untouched.
        func guest(_ sctlrBits: UInt32) -> (ARMCore) -> Void {
            stage2 { c in
                let s1: UInt32 = 0x8002_0000
                c.poke(s1 + (0x800 << 2), T.identity)
                c.cp15.ttbr0Bank.0 = UInt64(s1)
                c.cp15.dacrBank.0 = 1
                c.cp15.vbarBank.0 = T.vectors
                c.cp15.setSCTLR(c.cp15.sctlr(secure: false) | SCTLR.M | sctlrBits, secure: false)
            }
        }
        let align = try ARMHarness.exec(data("ldr r1, [r0]", 0x8000_8002), steps: 2, setup: guest(SCTLR.A))
        assertDataAbort(align, dfsr: 0x001, dfar: 0x8000_8002, secure: false)
        let translation = try ARMHarness.exec(data("str r1, [r0]", 0x7000_0000), steps: 2, setup: guest(0))
        assertDataAbort(translation, dfsr: 0x805, dfar: 0x7000_0000, secure: false)
        for c in [align, translation] {
            XCTAssertEqual(c.cp15.hsr | c.cp15.hpfar | c.cp15.hdfar, 0)
            XCTAssertEqual(c.cp15.dfsrBank.1 | c.cp15.dfarBank.1, 0, "Secure DFSR/DFAR untouched")
        }
    }

    // MARK: - SCTLR.EE / HSCTLR.EE data endianness, SCTLR/HSCTLR C and I

    func testSCTLREESelectsBigEndianDataInExceptionHandlers() throws {
        // Exception entry sets CPSR.E from SCTLR.EE (B1.9.1): the SVC handler's loads and stores
        // are big-endian.
        let c = try ARMHarness.exec("""
            svc #0
            b .
            .balign 32
            vectors:
            nop
            nop
            ldr r1, [r2]
            str r3, [r2, #4]
            b .
            """, steps: 4) { c in
            c.cp15.vbarBank.1 = 0x8000_0020
            c.cp15.setSCTLR(c.cp15.sctlr(secure: true) | SCTLR.EE, secure: true)
            c.poke(T.dataA, T.valueA)
            c.r[2] = T.dataA
            c.r[3] = 0x1122_3344
        }
        XCTAssertEqual(c.mode, .svc)
        XCTAssertTrue(c.cpsrE)
        XCTAssertEqual(c.cpsr & (1 << 9), 1 << 9, "CPSR.E")
        XCTAssertEqual(c.r[1], T.valueA.byteSwapped)
        XCTAssertEqual(c.peek(T.dataA + 4), 0x4433_2211)
    }

    func testHSCTLREESelectsBigEndianDataInHyp() throws {
        // HVC from Non-secure SVC: Hyp entry sets CPSR.E from HSCTLR.EE (B1.8.4 EnterHypMode),
        // not from SCTLR.EE.
        let c = try ARMHarness.exec("""
            hvc #0
            b .
            .balign 32
            vectors:
            nop
            nop
            nop
            nop
            nop
            ldr r1, [r2]
            str r3, [r2, #4]
            b .
            """, steps: 4) { c in
            c.cp15.scr = SCR.NS | SCR.HCE
            c.cp15.hvbar = 0x8000_0020
            c.cp15.hsctlr |= HSCTLR.EE
            c.poke(T.dataA, T.valueA)
            c.r[2] = T.dataA
            c.r[3] = 0x1122_3344
        }
        XCTAssertEqual(c.mode, .hyp)
        XCTAssertTrue(c.cpsrE)
        XCTAssertEqual(c.r[1], T.valueA.byteSwapped)
        XCTAssertEqual(c.peek(T.dataA + 4), 0x4433_2211)
        // And SCTLR.EE alone leaves Hyp little-endian.
        let le = try ARMHarness.exec("hvc #0\nb .\n.balign 32\nnop\nnop\nnop\nnop\nnop\nldr r1, [r2]\nb .", steps: 3) { c in
            c.cp15.scr = SCR.NS | SCR.HCE
            c.cp15.hvbar = 0x8000_0020
            c.cp15.setSCTLR(c.cp15.sctlr(secure: false) | SCTLR.EE, secure: false)
            c.poke(T.dataA, T.valueA)
            c.r[2] = T.dataA
        }
        XCTAssertEqual(le.mode, .hyp)
        XCTAssertFalse(le.cpsrE)
        XCTAssertEqual(le.r[1], T.valueA)
    }

    /// A one-core machine with the shipped cortex-a15 profile (its SCTLR/HSCTLR RES0/RES1
    /// masks), `source` at 0x80000000, run for `steps` instructions in `mode`.
    private func runOnShippedA15(_ source: String, steps: UInt64, mode: ARMMode, setup: (ARMCore) -> Void = { _ in }) throws -> ARMCore {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("cpu-profiles").path
        let profile = try ProfileStore(directory: dir).core("cortex-a15")
        let spec = MachineDescription(
            name: "test", description: "test machine", file: "<test>", architecture: .armv7a,
            cores: [CoreSlot(profile: profile, cluster: 0, mpidr: 0x8000_0000, clusterSize: 1)],
            ram: [MemoryRegion(name: "ram", base: UInt64(ARMHarness.ramBase), size: 1 << 20)], devices: [],
            boot: BootProtocol(entryMode: .svc, security: .secure, secondaries: .allAtEntry, psciConduit: .none, semihosting: false),
            options: [], smp: nil)
        let m = try ARMMachine(spec: spec)
        var bytes: [UInt8] = []
        for w in try ARMHarness.assemble(source) {
            bytes += [UInt8(w & 0xFF), UInt8(w >> 8 & 0xFF), UInt8(w >> 16 & 0xFF), UInt8(w >> 24)]
        }
        m.ram.load(bytes, at: UInt64(ARMHarness.ramBase))
        ARMHarness.lastMachine = m
        let c = m.cores[0]
        c.switchMode(to: mode)
        c.nextPC = ARMHarness.ramBase
        setup(c)
        _ = c.run(budget: steps)
        return c
    }

    func testSCTLRAndHSCTLRCAndIReadBack() throws {
        // C (bit 2) and I (bit 12) are writable in both (B4.1.130, B4.1.66; the A15 profile
        // keeps them out of its RES0/RES1 masks): software reads back what it enabled, and
        // clearing them reads back clear.
        let source = """
            mrc p15, 0, r0, c1, c0, 0
            orr r0, r0, #0x1000
            orr r0, r0, #0x4
            mcr p15, 0, r0, c1, c0, 0
            mrc p15, 0, r1, c1, c0, 0
            bic r0, r0, #0x1000
            bic r0, r0, #0x4
            mcr p15, 0, r0, c1, c0, 0
            mrc p15, 0, r2, c1, c0, 0
            b .
            """
        let pl1 = try runOnShippedA15(source, steps: 9, mode: .svc)
        XCTAssertEqual(pl1.r[1] & 0x1004, 0x1004)
        XCTAssertEqual(pl1.r[2] & 0x1004, 0)
        XCTAssertEqual(pl1.r[1] & ~0x1004, pl1.r[2] & ~0x1004, "nothing else changed")
        let hyp = try runOnShippedA15(source.replacingOccurrences(of: "p15, 0, r", with: "p15, 4, r"), steps: 9, mode: .hyp) { c in
            c.cp15.scr = SCR.NS | SCR.HCE
        }
        XCTAssertEqual(hyp.mode, .hyp)
        XCTAssertEqual(hyp.r[1] & 0x1004, 0x1004)
        XCTAssertEqual(hyp.r[2] & 0x1004, 0)
        XCTAssertEqual(hyp.r[2] & 0x30C5_0878, 0x30C5_0878, "HSCTLR RES1 bits")
    }
}
