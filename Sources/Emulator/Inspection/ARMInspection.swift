/// An ARM core as checkers see it (InspectableCore).
extension ARMCore: InspectableCore {
    public var profileName: String { profile.name }
    public var modeName: String { mode.name }
    public var displayName: String { "CPU \(index) (\(profile.name))" }

    public func step() -> Bool {
        guard runState == .running, !machine.stopRequested else { return false }
        _ = run(budget: 1)
        return true
    }

    public var stateFingerprint: UInt64 {
        var hash = FNV1a()
        for i in 0..<15 { hash.add(r[i]) }
        hash.add(nextPC)
        hash.add(cpsr)
        return hash.value
    }

    public func peek(_ address: UInt64, size: Int) -> UInt64? { ram.peek(address, size: size) }

    /// The load at `nextPC` (A32): LDR/LDRB with an immediate or shifted-register offset
    /// (A8.8.63–A8.8.70), LDRH/LDRSB/LDRSH with an immediate offset (A8.8.80…), LDREX/B/H/D
    /// (A8.8.75…). The address is the one the access uses: Rn, ± the offset unless
    /// post-indexed. Read through the physical view, as `peek` reads.
    public func nextLoad() -> (address: UInt64, size: Int)? {
        guard let raw = peek(UInt64(nextPC), size: 4) else { return nil }
        let w = UInt32(truncatingIfNeeded: raw)
        guard w >> 28 != 0xF else { return nil }
        let rn = Int((w >> 16) & 0xF)
        let base = rn == 15 ? nextPC &+ 8 : r[rn]
        let up = w & (1 << 23) != 0, pre = w & (1 << 24) != 0
        func indexed(_ offset: UInt32) -> UInt64 { UInt64(pre ? (up ? base &+ offset : base &- offset) : base) }
        switch (w >> 25) & 7 {
        case 0b010 where w & (1 << 20) != 0:
            return (indexed(w & 0xFFF), w & (1 << 22) != 0 ? 1 : 4)
        case 0b011 where w & (1 << 20) != 0 && w & 0x10 == 0:
            let rm = r[Int(w & 0xF)], amount = (w >> 7) & 0x1F
            let offset: UInt32
            switch (w >> 5) & 3 {
            case 0: offset = rm << amount
            case 1: offset = amount == 0 ? 0 : rm >> amount
            case 2: offset = UInt32(bitPattern: Int32(bitPattern: rm) >> (amount == 0 ? 31 : amount))
            default: offset = amount == 0 ? rm : (rm >> amount) | (rm << (32 - amount))
            }
            return (indexed(offset), w & (1 << 22) != 0 ? 1 : 4)
        case 0b000:
            if (w >> 20) & 0xF9 == 0x19 && w & 0xFFF == 0xF9F {
                // LDREX (0x19), LDREXD (0x1B), LDREXB (0x1D), LDREXH (0x1F).
                let sizes = [4, 8, 1, 2]
                return (UInt64(r[rn]), sizes[Int((w >> 21) & 3)])
            }
            if w & 0x90 == 0x90 && w & 0x60 != 0 && w & (1 << 20) != 0 && w & (1 << 22) != 0 {
                let offset = (w >> 4) & 0xF0 | w & 0xF
                return (indexed(offset), (w >> 5) & 3 == 1 ? 2 : ((w >> 5) & 3 == 2 ? 1 : 2))
            }
            return nil
        default:
            return nil
        }
    }

    public func isIPIPending(interrupt: Int) -> Bool {
        machine.platform?.gic?.isPending(id: interrupt, cpu: index) ?? false
    }

    public func ipiBlockers(interrupt: Int) -> [String] {
        var reasons = machine.platform?.gic?.signalBlockers(id: interrupt, cpu: index) ?? []
        if !interruptUnmasked(fiq: false) {
            reasons.append("IRQs are masked (CPSR.I = 1 in \(mode.name) mode)")
        }
        return reasons
    }

    public var hasTakeableInterrupt: Bool { hasUnmaskedInterrupt }

    /// The vector table of the current mode (B1.8.1): HVBAR in Hyp, MVBAR in Monitor, else
    /// VBAR or the high vectors; the slot names of table B1-3 (Hyp: B1-?, +0x14 Hyp trap).
    public func vectorSlot(at address: UInt64) -> String? {
        let base: UInt32, register: String
        switch mode {
        case .hyp: base = cp15.hvbar & ~0x1F; register = "HVBAR"
        case .mon: base = cp15.mvbar & ~0x1F; register = "MVBAR"
        default:
            if cp15.sctlr(secure: isSecure) & SCTLR.V != 0 { base = 0xFFFF_0000; register = "0xFFFF0000" }
            else { base = cp15.vbar(secure: isSecure); register = "VBAR" }
        }
        guard address >= UInt64(base), address - UInt64(base) < 0x20 else { return nil }
        let offset = Int(address - UInt64(base)) & ~3
        let names = mode == .hyp
            ? ["reset (unused)", "undefined instruction", "HVC/SVC", "prefetch abort", "data abort", "Hyp trap", "IRQ", "FIQ"]
            : ["reset", "undefined instruction", "SVC/SMC", "prefetch abort", "data abort", "not used", "IRQ", "FIQ"]
        return "\(register)+0x\(String(format2: offset)) (\(names[offset >> 2]))"
    }
}

extension String {
    /// Two upper-case hex digits.
    init(format2 value: Int) {
        let s = String(value & 0xFF, radix: 16, uppercase: true)
        self = s.count < 2 ? "0" + s : s
    }
}
