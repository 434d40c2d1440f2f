/// A hart as checkers see it (InspectableCore).
extension RISCVCore: InspectableCore {
    public var profileName: String { profile.name }
    public var displayName: String { "hart \(index) (\(profile.name))" }

    public func step() -> Bool {
        guard runState == .running, !machine.stopRequested else { return false }
        _ = run(budget: 1)
        return true
    }

    public var stateFingerprint: UInt64 {
        var hash = FNV1a()
        for i in 1..<32 { hash.add(x[i]) }
        hash.add(nextPC)
        hash.add(UInt64(privilege.rawValue) | (virtualized ? 0x100 : 0))
        hash.add(csr.mstatus)
        return hash.value
    }

    public func peek(_ address: UInt64, size: Int) -> UInt64? { ram.peek(address, size: size) }

    /// The load at `nextPC`: LB…LD/LWU (opcode LOAD), LR.W/LR.D, and C.LW/C.LD/C.LWSP/C.LDSP
    /// (unprivileged spec §2.6, §8.2, §16.3–16.4).
    public func nextLoad() -> (address: UInt64, size: Int)? {
        guard let low = peek(nextPC, size: 2) else { return nil }
        let h = UInt32(truncatingIfNeeded: low)
        if h & 3 != 3 {
            let funct3 = h >> 13, op = h & 3
            let rs1p = Int(8 + ((h >> 7) & 7))
            let b12to10: UInt32 = (h >> 7) & 0x38, b12: UInt32 = (h >> 7) & 0x20
            switch (op, funct3) {
            case (0, 2):
                let offset: UInt32 = b12to10 | (h >> 4) & 4 | (h << 1) & 0x40
                return (x[rs1p] &+ UInt64(offset), 4)
            case (0, 3):
                let offset: UInt32 = b12to10 | (h << 1) & 0xC0
                return (x[rs1p] &+ UInt64(offset), 8)
            case (2, 2):
                let offset: UInt32 = b12 | (h >> 2) & 0x1C | (h << 4) & 0xC0
                return (x[2] &+ UInt64(offset), 4)
            case (2, 3):
                let offset: UInt32 = b12 | (h >> 2) & 0x18 | (h << 4) & 0x1C0
                return (x[2] &+ UInt64(offset), 8)
            default: return nil
            }
        }
        guard let word = peek(nextPC, size: 4) else { return nil }
        let w = UInt32(truncatingIfNeeded: word)
        let rs1 = Int((w >> 15) & 0x1F), funct3 = (w >> 12) & 7
        switch w & 0x7F {
        case 0x03:
            let imm = UInt64(bitPattern: Int64(Int32(bitPattern: w) >> 20))
            let sizes = [1, 2, 4, 8, 1, 2, 4, 8]
            return (x[rs1] &+ imm, sizes[Int(funct3)])
        case 0x2F where w >> 27 == 2 && (funct3 == 2 || funct3 == 3):
            return (x[rs1], funct3 == 2 ? 4 : 8)
        default:
            return nil
        }
    }

    public func isIPIPending(interrupt: Int) -> Bool {
        guard interrupt >= 0 && interrupt < 64 else { return false }
        return mip & (1 << UInt64(interrupt)) != 0
    }

    /// Why a pending software interrupt is not taken (§3.1.6.1 global enables, §3.1.9
    /// mie/mip, §4.1.3 sie).
    public func ipiBlockers(interrupt: Int) -> [String] {
        guard interrupt >= 0 && interrupt < 64 else { return [] }
        let bit: UInt64 = 1 << UInt64(interrupt)
        let delegated = csr.mideleg & bit != 0 && hasSupervisor
        let enableName = interrupt == 1 ? (delegated ? "sie.SSIE" : "mie.SSIE") : (interrupt == 3 ? "mie.MSIE" : "mie bit \(interrupt)")
        var reasons: [String] = []
        if csr.mie & bit == 0 { reasons.append("\(enableName) = 0") }
        if delegated {
            if privilege == .machine {
                reasons.append("the hart is in M-mode, where S-level interrupts are not taken")
            } else if privilege == .supervisor && !virtualized && csr.mstatus & MSTATUS.SIE == 0 {
                reasons.append("sstatus.SIE = 0 (interrupts disabled in S-mode)")
            }
        } else if privilege == .machine && csr.mstatus & MSTATUS.MIE == 0 {
            reasons.append("mstatus.MIE = 0 (interrupts disabled in M-mode)")
        }
        return reasons
    }

    public var hasTakeableInterrupt: Bool { pendingInterrupt != nil }

    /// The trap vector of the current privilege: mtvec or stvec (vstvec when V = 1), direct or
    /// vectored (§3.1.7).
    public func vectorSlot(at address: UInt64) -> String? {
        let (tvec, name): (UInt64, String) = privilege == .machine ? (csr.mtvec, "mtvec")
            : (virtualized ? (csr.vstvec, "vstvec") : (csr.stvec, "stvec"))
        let base = tvec & ~3
        guard address >= base else { return nil }
        if address == base { return "\(name) (trap handler)" }
        if tvec & 3 == 1 && address - base < 64 && (address - base) & 3 == 0 {
            return "\(name)+0x\(String(address - base, radix: 16, uppercase: true)) (vectored interrupt \((address - base) >> 2))"
        }
        return nil
    }
}
