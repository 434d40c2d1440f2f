import XCTest
@testable import Profiles

/// `SystemRegisterSpec.write`: RES0, RES1, read-only and RAZ/WI bits are kept as the masks say.
final class SystemRegisterSpecTests: XCTestCase {
    func testHSCTLRWriteMasking() throws {
        let hsctlr = try XCTUnwrap(try shippedStore().core("cortex-a15").systemRegister("HSCTLR"))
        // __do_hyp_init on a little-endian kernel writes 0x30C5187F with M set (ref §2); FI is RAZ/WI.
        XCTAssertEqual(hsctlr.write(0x30C5_187F | 0x0020_0000, over: hsctlr.reset), 0x30C5_187F)
        // Writing zero keeps only RES1; writing all ones sets only writable and RES1 bits.
        XCTAssertEqual(hsctlr.write(0, over: hsctlr.reset) & 0xFFFF_FFFF, 0x30C5_0878)
        XCTAssertEqual(hsctlr.write(0xFFFF_FFFF, over: 0) & 0xFFFF_FFFF, 0x30C5_0878 | 0x4208_1007)
    }

    func testReadOnlyBitsKeepTheOldValue() {
        let pmcr = SystemRegisterSpec(name: "PMCR", reset: 0x410F_3000, res0: 0x7C0, readOnly: 0xFFFF_F800, razWI: 0x6)
        XCTAssertEqual(pmcr.write(0x0000_003F, over: pmcr.reset), 0x410F_3039, "E D X DP set; P, C read as zero")
        XCTAssertEqual(pmcr.write(0xFFFF_FFFF, over: pmcr.reset) & 0xFFFF_FFFF, 0x410F_3039)
        XCTAssertEqual(pmcr.write(0, over: 0x410F_3039), 0x410F_3000)
    }

    func testACTLROnlySMPIsWritable() throws {
        let actlr = try XCTUnwrap(try shippedStore().core("cortex-a7").systemRegister("ACTLR"))
        XCTAssertEqual(actlr.write(0xFFFF_FFFF, over: actlr.reset) & 0xFFFF_FFFF, 0x40)
        XCTAssertEqual(actlr.write(0, over: 0x40), 0)
    }

    func testSCTLRReset() throws {
        let sctlr = try XCTUnwrap(try shippedStore().core("cortex-a15").systemRegister("SCTLR"))
        XCTAssertEqual(sctlr.write(sctlr.reset, over: sctlr.reset), sctlr.reset, "the reset value survives a write-back")
        XCTAssertEqual(sctlr.write(0x1, over: sctlr.reset) & 0xFFFF_FFFF, 0x00C5_0059, "M set, CP15BEN cleared, RES1 kept")
        XCTAssertEqual(sctlr.write(0x0800_0000, over: sctlr.reset) & 0x0800_0000, 0, "NMFI is read-only")
    }
}
