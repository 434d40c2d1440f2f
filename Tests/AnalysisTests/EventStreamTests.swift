import XCTest
import Analysis
import Emulator
import Profiles

/// The event stream a sink sees: what the diagnosis is built on, checked on real images.
final class EventStreamTests: XCTestCase {
    /// kvm-init-3.13 on tc2: CPU 0 cross-calls every CPU with SGIs, each CPU enters Hyp by HVC
    /// and writes the Hyp translation registers and HSCTLR, the cores sleep in WFI between
    /// calls. Each of those shows up as the typed event, with the right core and syndrome.
    func testARMCrossCallEvents() throws {
        let run = try DiagnosedRun(image: "images/arm/kvm-init-3.13.elf", machine: "tc2")
        XCTAssertEqual(run.outcome.exitCode, 0)
        let events = run.events
        // HVC into Hyp: HSR.EC 0x12, taken from SVC to HYP.
        XCTAssertTrue(events.contains {
            if case .exceptionTaken(let x) = $0.kind {
                return x.name == "HVC" && x.fromMode == "SVC" && x.toMode == "HYP" && x.syndrome.first?.register == "HSR"
                    && (x.syndrome.first?.value ?? 0) >> 26 == 0x12
            }
            return false
        })
        // Every CPU writes HSCTLR with M set, once, and returns from Hyp.
        for cpu in 0..<5 {
            let writes = events.filter {
                if case .systemRegisterWrite("HSCTLR", _, let new) = $0.kind { return $0.core == cpu && new & 1 == 1 }
                return false
            }
            XCTAssertEqual(writes.count, 1, "CPU \(cpu)")
            XCTAssertTrue(events.contains { if case .exceptionReturn("SVC", _) = $0.kind { return $0.core == cpu }; return false })
        }
        // A cross-call SGI from CPU 0 (not SGI 0, which releases the secondaries from the boot
        // pen): sent (on CPU 0), pending (on the target), taken (the target's GICC_IAR read
        // names CPU 0 as the source), in that order.
        let sent = try XCTUnwrap(events.firstIndex {
            if case .ipiSent(2, let sgi, "GICD_SGIR") = $0.kind { return $0.core == 0 && sgi != 0 }
            return false
        })
        guard case .ipiSent(_, let sgi, _) = events[sent].kind else { return XCTFail() }
        let pending = try XCTUnwrap(events[sent...].firstIndex { if case .ipiPending(0, sgi) = $0.kind { return $0.core == 2 }; return false })
        let taken = try XCTUnwrap(events[pending...].firstIndex { if case .ipiTaken(0?, sgi) = $0.kind { return $0.core == 2 }; return false })
        XCTAssertLessThan(sent, pending)
        XCTAssertLessThan(pending, taken)
        // The target was asleep in WFI and woke for it; the IRQ exception came before the ack.
        XCTAssertTrue(events[..<taken].contains { if case .sleep("WFI") = $0.kind { return $0.core == 2 }; return false })
        XCTAssertTrue(events[..<taken].contains { if case .wake = $0.kind { return $0.core == 2 }; return false })
        XCTAssertTrue(events[pending..<taken].contains {
            if case .exceptionTaken(let x) = $0.kind { return $0.core == 2 && x.name == "IRQ" }
            return false
        })
        // The console bytes are the console; device registers are MMIO events.
        let bytes = events.compactMap { e -> UInt8? in if case .consoleByte(let b) = e.kind { return b }; return nil }
        XCTAssertEqual(bytes, run.result.console)
        XCTAssertTrue(events.contains { if case .mmio("gicd", 0x2C00_1F00, 4, _, true) = $0.kind { return true }; return false })
        // Every event is stamped with its core's time, never ahead of what the core ran.
        for e in events { XCTAssertLessThanOrEqual(e.time, run.machine.inspectableCores[e.core].time) }
    }

    /// smp-hsm under the built-in SBI: SBI calls (HSM hart_start) and CSR writes.
    func testRISCVFirmwareAndTrapEvents() throws {
        let run = try DiagnosedRun(image: "images/riscv/smp-hsm.elf", machine: "virt-riscv", smp: 4, bios: "sbi")
        XCTAssertEqual(run.outcome.exitCode, 0)
        let calls = run.events.compactMap { e -> String? in
            if case .firmwareCall("SBI", let function, _, _) = e.kind { return function }
            return nil
        }
        XCTAssertTrue(calls.contains("hsm fid 0"), "\(Set(calls))")   // hart_start
        // hart_start is called by hart 0 only (it starts the others).
        XCTAssertEqual(Set(run.events.compactMap { e -> Int? in
            if case .firmwareCall("SBI", "hsm fid 0", _, _) = e.kind { return e.core }
            return nil
        }), [0])
        XCTAssertTrue(run.events.contains { if case .systemRegisterWrite("stvec", _, _) = $0.kind { return true }; return false })
    }

    /// With nothing attached, the machine builds no events (the cold paths test one flag).
    func testNoSinkNoObservation() throws {
        let run = try DiagnosedRun(image: "images/arm/hello.elf", machine: "tc2", diagnose: false)
        XCTAssertTrue((run.machine as? MachineBase)?.observed ?? false)   // the recorder is attached
        let root = try repositoryRoot()
        let store = try Profiles.ProfileStore(directory: root.appendingPathComponent("cpu-profiles").path)
        let m = try makeMachine(try store.machine("tc2", smp: nil, bios: nil))
        XCTAssertEqual((m as? MachineBase)?.observed, false)
    }
}
