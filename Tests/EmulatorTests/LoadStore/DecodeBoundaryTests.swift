import XCTest
@testable import Emulator

/// The load/store groups' patterns must claim exactly their encodings: not the hints in the
/// unconditional space (PLD/PLI, owned by the hint group), not SRS/RFE, not the media or
/// multiply spaces that share bits with them.
final class DecodeBoundaryTests: XCTestCase {
    private let ours: Set<ARMGroup> = [.loadStore, .loadStoreMultiple, .exclusive]

    func testUnconditionalSpaceIsNotClaimed() {
        let words: [(UInt32, String)] = [
            (0xF5D1_F000, "pld [r1]"), (0xF591_F000, "pldw [r1]"), (0xF4D1_F000, "pli [r1]"),
            (0xF7D1_F002, "pld [r1, r2]"), (0xF6D1_F002, "pli [r1, r2]"),
            (0xF8CD_0513, "srsia sp, #19"), (0xF890_0A00, "rfeia r0"),
            (0xF591_0000, "1111 0101 … (unallocated)"), (0xF1C0_00B0, "1111 000 … extra load/store shape"),
            (0xF57F_F04F, "dsb sy"), (0xF57F_F05F, "dmb sy"),
        ]
        for (w, name) in words {
            XCTAssertFalse(ours.contains(ARMDecoder.decode(w).group), "\(name) (0x\(String(w, radix: 16))) claimed by a load/store group")
        }
    }

    func testNeighbouringSpacesAreNotClaimed() {
        let words: [(UInt32, String)] = [
            (0xE6A1_0011, "ssat r1, #2, r1 (media, bit 4 = 1)"),
            (0xE000_0291, "mul r0, r1, r2"),
            (0xE0C1_0293, "smull (op2 = 00)"),
            (0xE1A0_0001, "mov r0, r1"),
            (0xE1B2_1E9F, "ldaex (ARMv8)"),
        ]
        for (w, name) in words {
            XCTAssertFalse(ours.contains(ARMDecoder.decode(w).group), "\(name) claimed by a load/store group")
        }
    }

    func testRepresentativeEncodingsDecodeToTheirGroup() {
        let cases: [(UInt32, ARMGroup, String)] = [
            (0xE591_0004, .loadStore, "LDR (immediate)"),
            (0xE59F_0000, .loadStore, "LDR (immediate)"),          // literal
            (0xE791_0102, .loadStore, "LDR (register)"),
            (0xE4B1_0004, .loadStore, "LDR (immediate)"),          // ldrt
            (0xE1D1_00B2, .loadStore, "LDRH (immediate)"),
            (0xE191_00B2, .loadStore, "LDRH (register)"),
            (0xE1C1_20D8, .loadStore, "LDRD (immediate)"),
            (0xE92D_4010, .loadStoreMultiple, "STM"),              // push {r4, lr}
            (0xE8BD_8010, .loadStoreMultiple, "LDM"),              // pop {r4, pc}
            (0xE8FD_8000, .loadStoreMultiple, "LDM (User registers / exception return)"),
            (0xE191_0F9F, .exclusive, "LDREX"),
            (0xE101_0092, .exclusive, "SWP"),
        ]
        for (w, group, name) in cases {
            XCTAssertEqual(ARMDecoder.decode(w).group, group, name)
            XCTAssertEqual(ARMDecoder.encodingName(w), name)
        }
    }

    func testTFormsAndLDRDWithoutTForm() {
        let ldrt = ARMDecoder.decode(0xE4B1_0004)                  // ldrt r0, [r1], #4
        XCTAssertEqual(ldrt.op, LoadStoreOp.ldrt.rawValue)
        let ldrht = ARMDecoder.decode(0xE0F1_00B2)                 // ldrht r0, [r1], #2
        XCTAssertEqual(ldrht.op, LoadStoreOp.ldrht.rawValue)
        // LDRD with P = 0, W = 1: no T form; QEMU leaves it unclaimed (UNDEFINED).
        XCTAssertEqual(ARMDecoder.decode(0xE0E1_00D0).group, .undefined)
    }
}
