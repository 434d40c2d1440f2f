import XCTest
@testable import Emulator

/// mtvec and stvec with a reserved MODE (2 or 3): the write is ignored as a whole, as QEMU 7.2
/// does (`csrw mtvec, 0x80001006` leaves mtvec as it was; checked with qemu-system-riscv64 -M
/// virt -bios none). Found while writing firmware tests: a handler label 2 bytes off a 4-byte
/// boundary gave MODE 2.
final class RVTrapVectorModeTests: XCTestCase {
    func testReservedModeWriteLeavesTheRegisterUnchanged() throws {
        let core = try RVHarness.exec("""
            li t0, 0x80000100
            csrw mtvec, t0
            li t1, 0x80001006
            csrw mtvec, t1
            csrr a0, mtvec
            li t0, 0x80000201
            csrw stvec, t0
            li t1, 0x80002003
            csrw stvec, t1
            csrr a1, stvec
            li t1, 0x80003004
            csrw mtvec, t1
            csrr a2, mtvec
            1: j 1b
            """, steps: 60)
        XCTAssertEqual(core.x[10], 0x8000_0100)   // MODE 2: unchanged
        XCTAssertEqual(core.x[11], 0x8000_0201)   // MODE 3: unchanged (vectored kept)
        XCTAssertEqual(core.x[12], 0x8000_3004)   // MODE 0: written
    }
}
