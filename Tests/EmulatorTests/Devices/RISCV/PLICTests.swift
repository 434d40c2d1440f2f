import XCTest
import Emulator
import Profiles

/// PLIC offsets (RISC-V PLIC spec v1.0.0, "Memory Map").
enum PLICMap {
    static func priority(_ id: Int) -> UInt64 { UInt64(id) * 4 }
    static let pending: UInt64 = 0x1000
    static func enable(_ context: Int, word: Int = 0) -> UInt64 { 0x2000 + UInt64(context) * 0x80 + UInt64(word) * 4 }
    static func threshold(_ context: Int) -> UInt64 { 0x20_0000 + UInt64(context) * 0x1000 }
    static func claim(_ context: Int) -> UInt64 { threshold(context) + 4 }
}

final class PLICTests: XCTestCase {
    static let meip = 11, seip = 9

    func makePLIC(_ host: DeviceTestHost, supervisor: [Bool], sources: UInt64 = 40) -> PLIC {
        PLIC(spec: deviceSpec("plic", kind: "plic", properties: [("sources", sources), ("priority-bits", 3)]),
             hartHasSupervisor: supervisor, host: host)
    }

    func claim(_ plic: PLIC, _ context: Int) -> UInt64? {
        plic.read(offset: PLICMap.claim(context), size: 4, cpu: 0)
    }

    func complete(_ plic: PLIC, _ context: Int, _ id: UInt64) {
        XCTAssertTrue(plic.write(offset: PLICMap.claim(context), size: 4, value: id, cpu: 0))
    }

    func testPriorityThresholdClaimAndComplete() {
        let host = DeviceTestHost(cores: 2)
        let plic = makePLIC(host, supervisor: [true, true])
        XCTAssertEqual(plic.contexts, [PLIC.Context(hart: 0, mode: .machine), PLIC.Context(hart: 0, mode: .supervisor),
                                       PLIC.Context(hart: 1, mode: .machine), PLIC.Context(hart: 1, mode: .supervisor)])
        for (id, priority) in [(5, 3), (7, 2), (10, 3)] {
            XCTAssertTrue(plic.write(offset: PLICMap.priority(id), size: 4, value: UInt64(priority), cpu: 0))
        }
        XCTAssertTrue(plic.write(offset: PLICMap.enable(1), size: 4, value: 1 << 5 | 1 << 7 | 1 << 10, cpu: 0))
        XCTAssertEqual(plic.read(offset: PLICMap.enable(1), size: 4, cpu: 0), 1 << 5 | 1 << 7 | 1 << 10)

        plic.setSource(7, level: true)
        XCTAssertEqual(host.lines[0]?[Self.seip], true)        // context 1 = hart 0 S-mode
        XCTAssertNil(host.lines[0]?[Self.meip])                // context 0 has nothing enabled
        XCTAssertNil(host.lines[1])
        plic.setSource(10, level: true)
        plic.setSource(5, level: true)
        XCTAssertEqual(plic.read(offset: PLICMap.pending, size: 4, cpu: 0), 1 << 5 | 1 << 7 | 1 << 10)

        // Threshold: EIP needs a priority strictly above it.
        XCTAssertTrue(plic.write(offset: PLICMap.threshold(1), size: 4, value: 3, cpu: 0))
        XCTAssertEqual(plic.read(offset: PLICMap.threshold(1), size: 4, cpu: 0), 3)
        XCTAssertEqual(host.lines[0]?[Self.seip], false)
        XCTAssertTrue(plic.write(offset: PLICMap.threshold(1), size: 4, value: 2, cpu: 0))
        XCTAssertEqual(host.lines[0]?[Self.seip], true)

        // Highest priority first, the lowest ID among equals; claims clear the pending bits.
        XCTAssertEqual(claim(plic, 1), 5)
        XCTAssertEqual(plic.read(offset: PLICMap.pending, size: 4, cpu: 0), 1 << 7 | 1 << 10)
        XCTAssertEqual(claim(plic, 1), 10)
        XCTAssertEqual(host.lines[0]?[Self.seip], false)       // 7 (priority 2) is not above 2
        // The claim is not affected by the threshold (spec, "Interrupt Claim Process").
        XCTAssertEqual(claim(plic, 1), 7)
        XCTAssertEqual(claim(plic, 1), 0)
        XCTAssertEqual(plic.read(offset: PLICMap.pending, size: 4, cpu: 0), 0)

        // Completion of a source whose wire is still high: a new request at once.
        complete(plic, 1, 10)
        XCTAssertTrue(plic.isPending(10))
        XCTAssertEqual(host.lines[0]?[Self.seip], true)
        // A source whose wire dropped while in service is not pending after completion.
        plic.setSource(5, level: false)
        complete(plic, 1, 5)
        XCTAssertFalse(plic.isPending(5))
        // Completing a source that is not in service changes nothing.
        complete(plic, 1, 5)
        XCTAssertFalse(plic.isPending(5))
        XCTAssertEqual(claim(plic, 1), 10)
    }

    func testPriorityAndThresholdAreWARLAndPriorityZeroNeverInterrupts() {
        let host = DeviceTestHost(cores: 1)
        let plic = makePLIC(host, supervisor: [false])
        XCTAssertTrue(plic.write(offset: PLICMap.priority(3), size: 4, value: 0xFFFF_FFFF, cpu: 0))
        XCTAssertEqual(plic.read(offset: PLICMap.priority(3), size: 4, cpu: 0), 7)
        XCTAssertTrue(plic.write(offset: PLICMap.threshold(0), size: 4, value: 0x1F, cpu: 0))
        XCTAssertEqual(plic.read(offset: PLICMap.threshold(0), size: 4, cpu: 0), 7)
        XCTAssertTrue(plic.write(offset: PLICMap.threshold(0), size: 4, value: 0, cpu: 0))

        // Source 4 has priority 0: pending, enabled, yet never signalled nor claimed.
        XCTAssertTrue(plic.write(offset: PLICMap.enable(0), size: 4, value: 1 << 4, cpu: 0))
        plic.setSource(4, level: true)
        XCTAssertTrue(plic.isPending(4))
        XCTAssertNil(host.lines[0])
        XCTAssertEqual(claim(plic, 0), 0)
        XCTAssertTrue(plic.write(offset: PLICMap.priority(4), size: 4, value: 1, cpu: 0))
        XCTAssertEqual(host.lines[0]?[Self.meip], true)
        XCTAssertEqual(claim(plic, 0), 4)
        XCTAssertEqual(host.lines[0]?[Self.meip], false)
    }

    func testMaxPriorityProperty() {
        let host = DeviceTestHost(cores: 1)
        // A power-of-two range is WARL: the low bits are kept.
        let seven = PLIC(spec: deviceSpec("plic", kind: "plic", properties: [("sources", 8), ("max-priority", 7)]),
                         hartHasSupervisor: [false], host: host)
        XCTAssertEqual(seven.maxPriority, 7)
        XCTAssertTrue(seven.write(offset: PLICMap.priority(1), size: 4, value: 0xF, cpu: 0))
        XCTAssertEqual(seven.read(offset: PLICMap.priority(1), size: 4, cpu: 0), 7)
        // Any other range (QEMU num-priorities): values above it are ignored.
        let five = PLIC(spec: deviceSpec("plic", kind: "plic", properties: [("sources", 8), ("max-priority", 5)]),
                        hartHasSupervisor: [false], host: host)
        XCTAssertTrue(five.write(offset: PLICMap.priority(1), size: 4, value: 4, cpu: 0))
        XCTAssertTrue(five.write(offset: PLICMap.priority(1), size: 4, value: 6, cpu: 0))
        XCTAssertEqual(five.read(offset: PLICMap.priority(1), size: 4, cpu: 0), 4)
        XCTAssertTrue(five.write(offset: PLICMap.threshold(0), size: 4, value: 5, cpu: 0))
        XCTAssertTrue(five.write(offset: PLICMap.threshold(0), size: 4, value: 0x8000_0005, cpu: 0))
        XCTAssertEqual(five.read(offset: PLICMap.threshold(0), size: 4, cpu: 0), 5)
        // priority-bits gives 2^bits − 1; the default is 7.
        XCTAssertEqual(PLIC.maxPriority(deviceSpec("p", kind: "plic", properties: [("priority-bits", 32)])), .max)
        XCTAssertEqual(PLIC.maxPriority(deviceSpec("p", kind: "plic", properties: [("priority-bits", 2)])), 3)
        XCTAssertEqual(PLIC.maxPriority(deviceSpec("p", kind: "plic")), 7)
    }

    func testContextsFollowEachHartsModes() {
        // FU740-like: hart 0 has no S-mode, harts 1 and 2 do.
        let host = DeviceTestHost(cores: 3)
        let plic = makePLIC(host, supervisor: [false, true, true])
        XCTAssertEqual(plic.contexts.map(\.hart), [0, 1, 1, 2, 2])
        XCTAssertEqual(plic.contexts.map(\.mode), [.machine, .machine, .supervisor, .machine, .supervisor])
        XCTAssertTrue(plic.write(offset: PLICMap.priority(33), size: 4, value: 1, cpu: 0))
        plic.setSource(33, level: true)
        XCTAssertTrue(host.lineEvents.isEmpty)

        XCTAssertTrue(plic.write(offset: PLICMap.enable(0, word: 1), size: 4, value: 1 << 1, cpu: 0))
        XCTAssertEqual(host.lines[0]?[Self.meip], true)
        XCTAssertTrue(plic.write(offset: PLICMap.enable(2, word: 1), size: 4, value: 1 << 1, cpu: 0))
        XCTAssertEqual(host.lines[1]?[Self.seip], true)
        XCTAssertNil(host.lines[1]?[Self.meip])
        XCTAssertTrue(plic.write(offset: PLICMap.enable(3, word: 1), size: 4, value: 1 << 1, cpu: 0))
        XCTAssertEqual(host.lines[2]?[Self.meip], true)
        XCTAssertNil(host.lines[2]?[Self.seip])
        XCTAssertNil(host.lines[0]?[Self.seip])
        XCTAssertEqual(host.lineEvents.count, 3)

        // Hart 1's S context claims it: every context sees it go.
        XCTAssertEqual(claim(plic, 2), 33)
        XCTAssertEqual(host.lines[0]?[Self.meip], false)
        XCTAssertEqual(host.lines[1]?[Self.seip], false)
        XCTAssertEqual(host.lines[2]?[Self.meip], false)
        XCTAssertEqual(claim(plic, 0), 0)

        // Context 5 does not exist: its registers read zero and ignore writes.
        XCTAssertEqual(plic.read(offset: PLICMap.enable(5), size: 4, cpu: 0), 0)
        XCTAssertTrue(plic.write(offset: PLICMap.enable(5), size: 4, value: 0xFFFF_FFFF, cpu: 0))
        XCTAssertEqual(plic.read(offset: PLICMap.threshold(5), size: 4, cpu: 0), 0)
        XCTAssertEqual(plic.read(offset: PLICMap.claim(5), size: 4, cpu: 0), 0)
        XCTAssertTrue(plic.write(offset: PLICMap.claim(5), size: 4, value: 33, cpu: 0))
        XCTAssertFalse(plic.isPending(33))
    }

    func testLevelSourceStaysPendingWhileHigh() {
        let host = DeviceTestHost(cores: 1)
        let plic = makePLIC(host, supervisor: [true])
        _ = plic.write(offset: PLICMap.priority(2), size: 4, value: 1, cpu: 0)
        _ = plic.write(offset: PLICMap.enable(0), size: 4, value: 1 << 2, cpu: 0)
        plic.setSource(2, level: true)
        for _ in 0..<3 {
            XCTAssertEqual(host.lines[0]?[Self.meip], true)
            XCTAssertEqual(claim(plic, 0), 2)
            XCTAssertEqual(host.lines[0]?[Self.meip], false)
            plic.setSource(2, level: true)                     // still high: the gateway waits
            XCTAssertFalse(plic.isPending(2))
            complete(plic, 0, 2)
            XCTAssertTrue(plic.isPending(2))
        }
        // A request that reached the pending bit stays when the wire drops before the claim.
        plic.setSource(2, level: false)
        XCTAssertTrue(plic.isPending(2))
        XCTAssertEqual(claim(plic, 0), 2)
        complete(plic, 0, 2)
        XCTAssertFalse(plic.isPending(2))
        XCTAssertEqual(host.lines[0]?[Self.meip], false)
    }

    func testCompletionForASourceNotEnabledForTheContextIsIgnored() {
        let host = DeviceTestHost(cores: 1)
        let plic = makePLIC(host, supervisor: [true])
        _ = plic.write(offset: PLICMap.priority(6), size: 4, value: 2, cpu: 0)
        _ = plic.write(offset: PLICMap.enable(0), size: 4, value: 1 << 6, cpu: 0)
        plic.setSource(6, level: true)
        XCTAssertEqual(claim(plic, 0), 6)
        complete(plic, 1, 6)                                   // the S context has 6 disabled
        XCTAssertFalse(plic.isPending(6))
        complete(plic, 0, 0x1_0000_0006)                       // not a source ID
        complete(plic, 0, 0)
        XCTAssertFalse(plic.isPending(6))
        complete(plic, 0, 6)
        XCTAssertTrue(plic.isPending(6))
    }

    func testRegisterBoundsAndWidths() {
        let host = DeviceTestHost(cores: 1)
        let plic = makePLIC(host, supervisor: [true], sources: 40)
        XCTAssertEqual(plic.sourceCount, 40)
        XCTAssertNil(plic.read(offset: PLICMap.priority(1), size: 8, cpu: 0))
        XCTAssertNil(plic.read(offset: PLICMap.priority(1), size: 1, cpu: 0))
        XCTAssertNil(plic.read(offset: PLICMap.priority(1) + 2, size: 4, cpu: 0))
        XCTAssertFalse(plic.write(offset: PLICMap.priority(1), size: 2, value: 1, cpu: 0))
        XCTAssertFalse(plic.write(offset: PLICMap.claim(0), size: 8, value: 1, cpu: 0))
        // Source 0 and sources above N do not exist.
        XCTAssertTrue(plic.write(offset: PLICMap.priority(0), size: 4, value: 7, cpu: 0))
        XCTAssertEqual(plic.read(offset: PLICMap.priority(0), size: 4, cpu: 0), 0)
        XCTAssertTrue(plic.write(offset: PLICMap.priority(41), size: 4, value: 7, cpu: 0))
        XCTAssertEqual(plic.read(offset: PLICMap.priority(41), size: 4, cpu: 0), 0)
        plic.setSource(0, level: true)
        plic.setSource(41, level: true)
        plic.setSource(-1, level: true)
        plic.setSource(Int.max, level: true)
        XCTAssertEqual(plic.read(offset: PLICMap.pending, size: 4, cpu: 0), 0)
        XCTAssertEqual(plic.read(offset: PLICMap.pending + 4, size: 4, cpu: 0), 0)
        XCTAssertEqual(plic.read(offset: PLICMap.pending + 8, size: 4, cpu: 0), 0)   // beyond the last word
        // Enable bit 0 and bits above N are hardwired to zero.
        XCTAssertTrue(plic.write(offset: PLICMap.enable(0), size: 4, value: 0xFFFF_FFFF, cpu: 0))
        XCTAssertEqual(plic.read(offset: PLICMap.enable(0), size: 4, cpu: 0), 0xFFFF_FFFE)
        XCTAssertTrue(plic.write(offset: PLICMap.enable(0, word: 1), size: 4, value: 0xFFFF_FFFF, cpu: 0))
        XCTAssertEqual(plic.read(offset: PLICMap.enable(0, word: 1), size: 4, cpu: 0), 0x1FF)   // IDs 32–40
        XCTAssertEqual(plic.read(offset: PLICMap.enable(0, word: 2), size: 4, cpu: 0), 0)
        // Pending bits are read-only.
        plic.setSource(3, level: true)
        XCTAssertTrue(plic.write(offset: PLICMap.pending, size: 4, value: 0, cpu: 0))
        XCTAssertEqual(plic.read(offset: PLICMap.pending, size: 4, cpu: 0), 1 << 3)
        // Reserved words of a context block and the far end of the window.
        XCTAssertEqual(plic.read(offset: PLICMap.threshold(0) + 8, size: 4, cpu: 0), 0)
        XCTAssertEqual(plic.read(offset: 0x3FF_FFFC, size: 4, cpu: 0), 0)
        XCTAssertEqual(plic.read(offset: UInt64.max - 3, size: 4, cpu: 0), 0)
        XCTAssertTrue(plic.write(offset: UInt64.max - 3, size: 4, value: 1, cpu: 0))
    }
}
