/// Zicsr (unprivileged spec §9): CSRRW, CSRRS, CSRRC and their immediate forms. CSRRW with
/// rd = x0 does not read; CSRRS/CSRRC with rs1 = x0 (or uimm = 0) do not write, so they may
/// read a read-only CSR.
enum RVCSROp: UInt8 {
    case rw, rs, rc, rwi, rsi, rci
}

extension RVDecoder {
    static let csrEncodings: [RVEncoding] = [
        ("csrrw", "001", RVCSROp.rw), ("csrrs", "010", .rs), ("csrrc", "011", .rc),
        ("csrrwi", "101", .rwi), ("csrrsi", "110", .rsi), ("csrrci", "111", .rci),
    ].map { name, funct3, op in
        RVEncoding(name, "cccccccccccc sssss \(funct3) ddddd 1110011") { w in
            RVInstruction(group: .csr, op: op.rawValue, raw: w, rd: RVInstruction.rd(w), rs1: RVInstruction.rs1(w),
                          imm: UInt64(w >> 20))
        }
    }
}

extension RISCVCore {
    func execCSR(_ d: RVInstruction) {
        let number = UInt16(truncatingIfNeeded: d.imm)
        let op = RVCSROp(rawValue: d.op) ?? .rw
        let immediate = op == .rwi || op == .rsi || op == .rci
        let source = immediate ? UInt64(d.rs1) : x[Int(d.rs1)]
        let writes: Bool
        switch op {
        case .rw, .rwi: writes = true
        default: writes = d.rs1 != 0
        }
        switch csrCheck(number, write: writes) {
        case .ok: break
        case .illegal: return illegalInstruction(d)
        case .virtualInstruction: return virtualInstruction(d)
        }
        var old: UInt64 = 0
        if !((op == .rw || op == .rwi) && d.rd == 32) {
            guard let v = csrRead(number) else { return illegalInstruction(d) }
            old = v
        } else if !csrExists(number) {
            return illegalInstruction(d)
        }
        if runState == .halted { return }
        if writes {
            let new: UInt64
            switch op {
            case .rw, .rwi: new = source
            case .rs, .rsi: new = old | source
            case .rc, .rci: new = old & ~source
            }
            if machine.observed {
                if noteCSRWrite(number, new) { return }
                guard csrWrite(number, new) else { return illegalInstruction(d) }
                machine.emit(.systemRegisterWrite(register: RVCSRNames.name(number), old: old, new: csrRead(number) ?? new), cpu: index)
            } else {
                guard csrWrite(number, new) else { return illegalInstruction(d) }
            }
        }
        x[Int(d.rd)] = old
    }

    /// Whether reading the CSR would succeed (CSRRW with rd = x0 still needs the CSR to exist).
    private func csrExists(_ n: UInt16) -> Bool {
        let saved = csr
        defer { csr = saved }
        return csrRead(n) != nil
    }
}
