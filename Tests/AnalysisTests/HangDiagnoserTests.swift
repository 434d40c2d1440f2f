import XCTest
import Analysis
import Emulator

/// The hang diagnosis on the scenario images: S1 (a cross-call to a core stalled by an injected
/// fault), S2 (a recursive prefetch abort in Hyp), and the checks that keep it from crying
/// wolf.
final class HangDiagnoserTests: XCTestCase {
    /// S1: CPU 0 (A15) passed Linux 3.9's target check on itself and cross-calls
    /// cpu_init_hyp_mode; CPU 2 (A7) stalls on the HSCTLR write that sets M. The run stops as a
    /// hang with one deadlock finding: CPU 0 waiting for CPU 2, the loop and the word it reads,
    /// the IPI CPU 2 took and never returned from, the injected fault and the last events.
    func testS1DeadlockNamesTheWaitingA15TheStalledA7AndTheInjectedFault() throws {
        let run = try DiagnosedRun(image: "images/arm/kvm-init-3.9.elf", machine: "tc2",
                                   inject: ["cpu2:stall-on-write=HSCTLR.M"])
        XCTAssertEqual(run.outcome, .hang)
        XCTAssertEqual(run.outcome.exitCode, 3)
        let deadlocks = run.findings(.deadlock)
        XCTAssertEqual(deadlocks.count, 1, "\(run.result.findings)")
        let f = try XCTUnwrap(deadlocks.first)
        XCTAssertEqual(f.cores, [0, 2])
        XCTAssertEqual(f.symbol, "smp_call_function_single+0xb8")
        XCTAssertEqual(f.mode, "SVC")
        XCTAssertEqual(f.injected, ["cpu2:stall-on-write=HSCTLR.M"])
        XCTAssertEqual(run.result.injected, ["cpu2:stall-on-write=HSCTLR.M"])
        XCTAssertTrue(f.summary.hasPrefix("CPU 0 (cortex-a15) waits in the cross-call to CPU 2 (cortex-a7); CPU 2 (cortex-a7) stopped at __do_hyp_init_hsctlr_write"), f.summary)
        XCTAssertTrue(f.summary.contains("injected fault cpu2:stall-on-write=HSCTLR.M: writing HSCTLR = 0x30C5187F"), f.summary)
        XCTAssertTrue(f.chain[0].contains("reads 0x8000F0CC (call_data+0x20) = 0x1, unchanged"), f.chain[0])
        XCTAssertTrue(f.chain[1].contains("waits for CPU 2 (cortex-a7): IPI 4 sent through GICD_SGIR"), f.chain[1])
        XCTAssertTrue(f.chain[1].contains("its handler never returned"), f.chain[1])
        XCTAssertTrue(f.chain[2].contains("CPU 2 (cortex-a7) stalled at __do_hyp_init_hsctlr_write in HYP mode"), f.chain[2])
        XCTAssertEqual(f.trigger?.contains("injected fault cpu2:stall-on-write=HSCTLR.M"), true)
        // The last events of both cores: CPU 0 sent the SGI; CPU 2's last is the injected stall
        // after the Hyp translation registers it wrote.
        XCTAssertEqual(f.recentEvents.map(\.core), [0, 2])
        XCTAssertTrue(f.recentEvents[0].events.last?.contains("IPI 4 sent to 2 through GICD_SGIR") ?? false)
        XCTAssertTrue(f.recentEvents[1].events.last?.contains("injected fault") ?? false)
        XCTAssertTrue(f.recentEvents[1].events.contains { $0.contains("HTTBR 0x0 → 0x80010000") })
        // CPU 2 did not perform the write: its HSCTLR still has M clear, and it is stalled on it.
        let cpu2 = run.result.cores[2]
        XCTAssertEqual(cpu2.state, "stalled by an injected fault")
        XCTAssertEqual(cpu2.pcSymbol, "__do_hyp_init_hsctlr_write")
        // Found well before the default budget: within a million instructions of the stall.
        let stall = try XCTUnwrap(run.events.first { if case .injectedFault = $0.kind { return true }; return false })
        XCTAssertLessThan(run.result.totalInstructions, stall.time + 1_000_000)
    }

    /// S3: hart 0 cross-calls harts 1-3 with SSWI IPIs inside stop_machine; they spin in
    /// multi_cpu_stop with sstatus.SIE = 0. One deadlock finding names every hart, the pending
    /// IPI, the mask and the write that set it; the fixed variants pass.
    func testS3DeadlockNamesEveryHartAndWhyItCannotTakeTheIPI() throws {
        let run = try DiagnosedRun(image: "images/riscv/stop-machine-ipi.elf", machine: "virt-riscv,aclint=on", smp: 4, bios: "sbi")
        XCTAssertEqual(run.outcome, .hang)
        XCTAssertEqual(run.result.findings.count, 1)
        let f = try XCTUnwrap(run.findings(.deadlock).first)
        XCTAssertEqual(f.cores, [0, 1, 2, 3])
        XCTAssertEqual(f.symbol, "csd_lock_wait")
        XCTAssertEqual(f.mode, "S")
        XCTAssertEqual(f.injected, [])
        XCTAssertEqual(f.summary, "hart 0 (rv64gch) waits in the cross-call to harts 1-3; harts 1-3 spin at multi_cpu_stop+0x64 with the IPI pending: sstatus.SIE = 0 (interrupts disabled in S-mode) since multi_cpu_stop+0xc")
        XCTAssertTrue(f.chain[0].hasPrefix("hart 0 (rv64gch) spins at csd_lock_wait in S mode"), f.chain[0])
        XCTAssertTrue(f.chain[0].contains("(csd+0x10) = 0x1, unchanged"), f.chain[0])
        for hart in 1...3 {
            let link = try XCTUnwrap(f.chain.first { $0.contains("waits for hart \(hart) (rv64gch)") })
            XCTAssertTrue(link.contains("IPI 1 sent through ACLINT SSWI at smp_call_function_many+0x42"), link)
            XCTAssertTrue(link.contains("is still pending; hart \(hart) (rv64gch) cannot take it: sstatus.SIE = 0 (interrupts disabled in S-mode) since instruction"), link)
            XCTAssertTrue(link.contains("(SIE 1→0) at multi_cpu_stop+0xc)"), link)
            XCTAssertTrue(f.chain.contains { $0.contains("hart \(hart) (rv64gch) spins at multi_cpu_stop+0x64 in S mode") })
        }
        for image in ["images/riscv/stop-machine-ipi-sbi-rfence.elf", "images/riscv/stop-machine-ipi-local.elf"] {
            let fixed = try DiagnosedRun(image: image, machine: "virt-riscv,aclint=on", smp: 4, bios: "sbi")
            XCTAssertEqual(fixed.outcome.exitCode, 0, image)
            XCTAssertEqual(fixed.result.findings, [], image)
        }
    }

    /// S1 fixed: Linux 3.10 refuses before any Hyp init, so the same injection changes nothing.
    func testS1With310RefusesWithoutHanging() throws {
        let run = try DiagnosedRun(image: "images/arm/kvm-init-3.10.elf", machine: "tc2",
                                   inject: ["cpu2:stall-on-write=HSCTLR.M"])
        XCTAssertEqual(run.outcome.exitCode, 0)
        XCTAssertEqual(run.result.findings, [])
        XCTAssertTrue(String(decoding: run.result.console, as: UTF8.self).contains("kvm: Error, CPU 2 not supported!"))
    }

    /// S2: the HSCTLR write that turns the Hyp MMU on leaves the next fetch unmapped; the abort's
    /// vector is in the same page. One recursive-exception finding: the first prefetch abort
    /// (HSR EC 0x21, HIFAR = the instruction after the write), the write itself, the vector it
    /// now loops at.
    func testS2RecursiveExceptionNamesTheFaultAndTheHSCTLRWrite() throws {
        let run = try DiagnosedRun(image: "images/arm/hyp-identity-missing.elf", machine: "tc2")
        XCTAssertEqual(run.outcome, .hang)
        let f = try XCTUnwrap(run.findings(.recursiveException).first, "\(run.result.findings)")
        XCTAssertEqual(run.result.findings.count, 1)
        XCTAssertEqual(f.cores, [0])
        XCTAssertEqual(f.mode, "HYP")
        XCTAssertEqual(f.symbol, "__kvm_hyp_init+0xc")
        XCTAssertTrue(f.summary.contains("prefetch abort in Hyp taken (HSR 0x86000007: EC 0x21, HIFAR 0x80004084) at __do_hyp_init_hsctlr_write+0x4"), f.summary)
        XCTAssertTrue(f.summary.contains("right after HSCTLR was written at __do_hyp_init_hsctlr_write (M 0→1"), f.summary)
        XCTAssertTrue(f.summary.contains("now looping at __kvm_hyp_init+0xc = HVBAR+0x0C (prefetch abort)"), f.summary)
        // Since the first fault, not since the diagnosis.
        let first = try XCTUnwrap(run.events.first {
            if case .exceptionTaken(let x) = $0.kind { return x.name == "prefetch abort in Hyp" }
            return false
        })
        XCTAssertEqual(f.instructionCount, first.time)
        XCTAssertEqual(f.trigger, "@\(first.time) __do_hyp_init_hsctlr_write+0x4: prefetch abort in Hyp taken, HYP → HYP, vector __kvm_hyp_init+0xc (HSR=0x86000007 HIFAR=0x80004084)")
    }

    /// S2 fixed and the other passing images: no finding at all — the checker must not cry wolf
    /// on cores that wait in WFI between cross-calls or spin briefly on a lock.
    func testPassingImagesGiveNoFinding() throws {
        for (image, machine) in [("images/arm/hyp-identity-fixed.elf", "tc2"), ("images/arm/kvm-init-3.13.elf", "tc2"),
                                 ("images/arm/smp-boot.elf", "tc2"), ("images/arm/vgic-basic.elf", "tc2"),
                                 ("images/riscv/smp-hsm.elf", "virt-riscv")] {
            let run = try DiagnosedRun(image: image, machine: machine, bios: machine == "virt-riscv" ? "sbi" : nil)
            XCTAssertEqual(run.outcome.exitCode, 0, "\(image): \(run.result.findings)")
            XCTAssertEqual(run.result.findings, [], image)
        }
    }

    /// A dropped IPI: CPU 0's SGI to CPU 1 never becomes pending, CPU 1 sleeps in WFI, and the
    /// finding says so — the IPI was sent and is not pending anywhere.
    func testDroppedIPIIsADeadlockWithTheTargetAsleep() throws {
        let run = try DiagnosedRun(image: "images/arm/kvm-init-3.9.elf", machine: "tc2", inject: ["cpu1:drop-ipi"])
        XCTAssertEqual(run.outcome, .hang)
        let f = try XCTUnwrap(run.findings(.deadlock).first, "\(run.result.findings)")
        XCTAssertEqual(f.cores, [0, 1])
        XCTAssertTrue(f.summary.contains("CPU 0 (cortex-a15) waits in the cross-call to CPU 1 (cortex-a15); CPU 1 (cortex-a15) sleeps in WFI"), f.summary)
        XCTAssertTrue(run.events.contains {
            if case .ipiInjected(0, _, let action) = $0.kind { return $0.core == 1 && action.contains("cpu1:drop-ipi") }
            return false
        })
    }

    /// The diagnosis is part of the deterministic run: two runs, the same findings and hash.
    func testDiagnosisIsDeterministic() throws {
        let a = try DiagnosedRun(image: "images/arm/kvm-init-3.9.elf", machine: "tc2", inject: ["cpu2:stall-on-write=HSCTLR.M"])
        let b = try DiagnosedRun(image: "images/arm/kvm-init-3.9.elf", machine: "tc2", inject: ["cpu2:stall-on-write=HSCTLR.M"])
        XCTAssertEqual(a.result.findings, b.result.findings)
        XCTAssertEqual(a.result.stateHash, b.result.stateHash)
        XCTAssertEqual(a.events, b.events)
    }

    /// Without the diagnosis, S2 runs to the budget, as before the checker existed.
    func testWithoutDiagnosisTheHangRunsToTheBudget() throws {
        let run = try DiagnosedRun(image: "images/arm/hyp-identity-missing.elf", machine: "tc2",
                                   maxInstructions: 1_000_000, diagnose: false)
        XCTAssertEqual(run.outcome, .budgetExhausted)
        XCTAssertEqual(run.result.findings, [])
    }
}

/// The other injected faults: a stall at a symbol, after N instructions, a core held in reset.
final class FaultInjectionTests: XCTestCase {
    func testStallAtASymbolStopsOnlyThatCoreThere() throws {
        let run = try DiagnosedRun(image: "images/arm/kvm-init-3.9.elf", machine: "tc2",
                                   inject: ["cpu2:stall-at=__do_hyp_init+0x20"])
        XCTAssertEqual(run.outcome, .hang)
        let f = try XCTUnwrap(run.findings(.deadlock).first, "\(run.result.findings)")
        XCTAssertEqual(f.cores, [0, 2])
        XCTAssertTrue(f.summary.contains("CPU 2 (cortex-a7) stopped at __do_hyp_init+0x20 (injected fault cpu2:stall-at=__do_hyp_init+0x20: reached __do_hyp_init+0x20)"), f.summary)
        // CPUs 0 and 1 ran __do_hyp_init (the same instruction) before, unaffected.
        let console = String(decoding: run.result.console, as: UTF8.self)
        XCTAssertTrue(console.contains("cpu1 (MIDR 0x412FC0F1): Hyp initialised"), console)
        XCTAssertEqual(run.result.cores[2].pcSymbol, "__do_hyp_init+0x20")
    }

    func testStallAfterStopsAtExactlyThatInstructionCount() throws {
        for (image, machine) in [("images/arm/hello.elf", "tc2"), ("images/riscv/hello.elf", "virt-riscv")] {
            let run = try DiagnosedRun(image: image, machine: machine, inject: ["cpu0:stall-after=1234"])
            let core = run.result.cores[0]
            XCTAssertEqual(core.instructions, 1234, image)
            XCTAssertEqual(core.state, "stalled by an injected fault", image)
            XCTAssertTrue(run.events.contains {
                if case .injectedFault(let what) = $0.kind { return $0.core == 0 && what == "cpu0:stall-after=1234: after 1234 instructions" }
                return false
            }, image)
        }
    }

    /// A delayed IPI becomes pending that many of the target's instructions later, and the
    /// cross-call completes: a delay is not a hang.
    func testDelayedIPIArrivesLater() throws {
        let run = try DiagnosedRun(image: "images/arm/kvm-init-3.9.elf", machine: "tc2", inject: ["cpu2:delay-ipi=50000"])
        XCTAssertEqual(run.outcome.exitCode, 0, "\(run.result.findings)")
        XCTAssertEqual(run.result.findings, [])
        let delayed = run.events.filter { if case .ipiInjected(0, 4, _) = $0.kind { return $0.core == 2 }; return false }
        XCTAssertEqual(delayed.count, 1)
        let pending = try XCTUnwrap(run.events.first { e in
            if case .ipiPending(0, 4) = e.kind { return e.core == 2 && e.time > delayed[0].time }
            return false
        })
        XCTAssertGreaterThanOrEqual(pending.time, delayed[0].time + 50_000)
        XCTAssertLessThan(pending.time, delayed[0].time + 50_000 + 10_000)
    }

    /// tc2's firmware model starts every core at the entry; CPU 3 stays off. (The image then
    /// waits for it with a long timeout: the run is cut short.)
    func testHoldInResetKeepsTheCoreOffThroughBoot() throws {
        let run = try DiagnosedRun(image: "images/arm/kvm-init-3.9.elf", machine: "tc2", inject: ["cpu3:hold-in-reset"],
                                   maxInstructions: 2_000_000)
        XCTAssertEqual(run.result.cores[3].state, "off")
        XCTAssertEqual(run.result.cores[3].instructions, 0)
        XCTAssertGreaterThan(run.result.cores[4].instructions, 0)
        XCTAssertTrue(run.events.contains {
            if case .injectedFault("cpu3:hold-in-reset: held in reset, not started") = $0.kind { return $0.core == 3 }
            return false
        })
    }

    /// virt-riscv with the built-in SBI: hart_start of a held hart leaves it stopped.
    func testHoldInResetKeepsAHartOffThroughSBIHartStart() throws {
        let run = try DiagnosedRun(image: "images/riscv/smp-hsm.elf", machine: "virt-riscv", smp: 4, bios: "sbi",
                                   inject: ["hart2:hold-in-reset"], maxInstructions: 2_000_000)
        XCTAssertEqual(run.result.cores[2].state, "off")
        XCTAssertEqual(run.result.cores[2].instructions, 0)
        XCTAssertTrue(String(decoding: run.result.console, as: UTF8.self).contains("smp-hsm: hart 2 status STOPPED"))
    }
}
