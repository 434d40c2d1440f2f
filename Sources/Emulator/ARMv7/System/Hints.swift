/// Hints, barriers and preload (A5.2.11 "MSR (immediate), and hints", A5.7.1 "Memory hints,
/// Advanced SIMD instructions, and miscellaneous instructions").
enum HintOp: UInt8 {
    case nop, yield, wfe, wfi, sev, barrier, preload
}

extension ARMDecoder {
    static let hintEncodings: [ARMEncoding] = [
        ARMEncoding("hint", "cccc 0011 0010 0000 1111 0000 hhhh hhhh") { w in
            let op: HintOp
            switch w & 0xFF {
            case 1: op = .yield
            case 2: op = .wfe
            case 3: op = .wfi
            case 4: op = .sev
            default: op = .nop   // NOP, DBG #n and the unallocated hints execute as NOP
            }
            return ARMInstruction(group: .hint, op: op.rawValue, raw: w)
        },
        ARMEncoding("DSB/DMB/ISB", "1111 0101 0111 1111 1111 0000 01oo xxxx") { w in
            ARMBarrierKind(w) == nil ? nil : ARMInstruction(group: .hint, op: HintOp.barrier.rawValue, raw: w)
        },
        ARMEncoding("PLD/PLDW (immediate)", "1111 0101 u-01 nnnn 1111 iiii iiii iiii") { w in
            ARMInstruction(group: .hint, op: HintOp.preload.rawValue, raw: w)
        },
        ARMEncoding("PLD/PLDW (register)", "1111 0111 u-01 nnnn 1111 iiii itt0 mmmm") { w in
            ARMInstruction(group: .hint, op: HintOp.preload.rawValue, raw: w)
        },
        ARMEncoding("PLI (immediate)", "1111 0100 u101 nnnn 1111 iiii iiii iiii") { w in
            ARMInstruction(group: .hint, op: HintOp.preload.rawValue, raw: w)
        },
        ARMEncoding("PLI (register)", "1111 0110 u101 nnnn 1111 iiii itt0 mmmm") { w in
            ARMInstruction(group: .hint, op: HintOp.preload.rawValue, raw: w)
        },
    ]
}

/// DSB (0100), DMB (0101), ISB (0110); the others in that space are UNPREDICTABLE/UNDEFINED.
func ARMBarrierKind(_ w: UInt32) -> UInt32? {
    let k = (w >> 4) & 0xF
    return (4...6).contains(k) ? k : nil
}

extension ARMCore {
    @inline(never)   // a tail call from `execute`, which then needs no registers saved
    func execHint(_ d: ARMInstruction) {
        switch HintOp(rawValue: d.op) {
        case .wfi?:
            // HCR.TWI traps a WFI that would sleep in Non-secure PL1/PL0 (B1.14.9).
            if !(irqLine || fiqLine || virtualInterruptWakes || virtualAbortWakes) && trapWaitToHyp(wfe: false, raw: d.raw) { return }
            waitForInterrupt()
        case .wfe?:
            // HCR.TWE likewise traps a WFE that would sleep.
            if !(eventRegister || hasUnmaskedInterrupt) && trapWaitToHyp(wfe: true, raw: d.raw) { return }
            waitForEvent()
        case .sev?:
            machine.sendEvent()
        case .nop?, .yield?, .barrier?, .preload?:
            // One thread runs the whole machine and every access is performed in program
            // order: barriers have nothing to wait for. Preloads have no architectural effect.
            break
        case nil:
            takeUndefined()
        }
    }

    /// WFI (B1.8.13): sleep until an interrupt is signalled, masked or not (a virtual one too).
    func waitForInterrupt() {
        if irqLine || fiqLine || virtualInterruptWakes || virtualAbortWakes { return }
        runState = .waitForInterrupt
        attention = true
        if machine.observed { emit(.sleep("WFI")) }
    }

    /// WFE: consume the event register, or sleep until an event or an interrupt.
    func waitForEvent() {
        if eventRegister {
            eventRegister = false
            return
        }
        if hasUnmaskedInterrupt { return }
        runState = .waitForEvent
        attention = true
        if machine.observed { emit(.sleep("WFE")) }
    }
}
