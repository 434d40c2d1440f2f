import XCTest
import Emulator
import Profiles

final class TC2SCCTests: XCTestCase {
    let host = DeviceTestHost(cores: 5)

    func scc(_ clusters: [(id: Int, count: Int)]) -> TC2SCC {
        TC2SCC(spec: deviceSpec("scc", kind: "tc2-scc"), clusters: clusters, host: host)
    }

    func testSysInfoAndClusterConfiguration() {
        let tc2 = scc([(id: 0, count: 2), (id: 1, count: 3)])
        XCTAssertEqual(tc2.read(offset: 0x700, size: 4, cpu: 0), 0x0032_0000)
        XCTAssertEqual(tc2.read(offset: 0x400, size: 4, cpu: 0), 0)
        XCTAssertEqual(tc2.read(offset: 0x500, size: 4, cpu: 0), 1)
        XCTAssertTrue(tc2.write(offset: 0x700, size: 4, value: 0, cpu: 0))
        XCTAssertEqual(tc2.read(offset: 0x700, size: 4, cpu: 0), 0x0032_0000)
        // nCORERESET set for the present cores: A15 bits 2–3, A7 bits 16–18.
        XCTAssertEqual(tc2.read(offset: 0x018, size: 4, cpu: 0), 0b1100 | 0b111 << 16)

        let swapped = scc([(id: 1, count: 1), (id: 0, count: 4)])
        XCTAssertEqual(swapped.read(offset: 0x700, size: 4, cpu: 0), 0x0041_0000)
        XCTAssertEqual(swapped.read(offset: 0x400, size: 4, cpu: 0), 1)
        XCTAssertEqual(swapped.read(offset: 0x500, size: 4, cpu: 0), 0)
    }

    func testSPCMailboxesAndStorage() {
        let tc2 = scc([(id: 0, count: 2), (id: 1, count: 3)])
        XCTAssertTrue(tc2.write(offset: 0xB00 + 0x68 + 4, size: 4, value: 0x8000_8000, cpu: 0))  // A15 cpu 1
        XCTAssertTrue(tc2.write(offset: 0xB00 + 0x78 + 8, size: 4, value: 0x8000_9000, cpu: 0))  // A7 cpu 2
        XCTAssertEqual(tc2.resumeAddress(cluster: 0, cpu: 1), 0x8000_8000)
        XCTAssertEqual(tc2.resumeAddress(cluster: 1, cpu: 2), 0x8000_9000)
        XCTAssertEqual(tc2.resumeAddress(cluster: 1, cpu: 1), 0)
        XCTAssertEqual(tc2.resumeAddress(cluster: 0, cpu: 7), 0)
        XCTAssertTrue(tc2.write(offset: 0xB24, size: 4, value: 0xC13, cpu: 0))
        XCTAssertEqual(tc2.wakeInterruptMask, 0xC13)
        XCTAssertEqual(tc2.read(offset: 0xB24, size: 4, cpu: 0), 0xC13)
        XCTAssertTrue(tc2.write(offset: 0xB24, size: 1, value: 0x01, cpu: 0))
        XCTAssertEqual(tc2.wakeInterruptMask, 0xC01)
        XCTAssertEqual(tc2.read(offset: 0x2000, size: 4, cpu: 0), 0)
        XCTAssertNil(tc2.read(offset: 0x700, size: 8, cpu: 0))
    }
}
