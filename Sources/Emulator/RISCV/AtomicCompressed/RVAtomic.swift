/// RV64A (unprivileged spec chapter 8, "A" Standard Extension): LR/SC and the AMOs, word and
/// doubleword. One thread runs the whole machine in program order, so the aq/rl bits (kept in
/// `flags`: bit 1 = aq, bit 0 = rl) order nothing and every AMO is trivially atomic.
///
/// Alignment (§8.2, §8.4: LR/SC and AMOs require natural alignment, with no emulation), with the
/// causes QEMU 7.2 reports (trans_rva.c.inc makes every access MO_ALIGN; LR is a plain load, an
/// AMO goes through TCG's atomic helpers, which report misalignment as a store, and
/// riscv_cpu_do_unaligned_access maps a load to cause 4 and a store to cause 6):
/// - LR: load address misaligned (4);
/// - AMO: store/AMO address misaligned (6), before memory is touched;
/// - SC: store/AMO address misaligned (6), checked before the reservation. QEMU instead compares
///   the address with its reservation first and fails a misaligned SC with rd = 1 without
///   trapping (an LR never reserves a misaligned address); the spec (§8.2: "an address-misaligned
///   exception ... will be generated") and Spike trap, and a trap is what helps a developer.
/// An AMO's access fault on the read half is reported as a load access fault (5), as QEMU does
/// when it emulates the AMO as a load then a store; a fault on the write half is cause 7.
enum RVAtomicOp: UInt8, CaseIterable {
    case lrW, scW, amoswapW, amoaddW, amoxorW, amoandW, amoorW, amominW, amomaxW, amominuW, amomaxuW
    case lrD, scD, amoswapD, amoaddD, amoxorD, amoandD, amoorD, amominD, amomaxD, amominuD, amomaxuD

    /// Bytes accessed: 4 for the .W forms, 8 for the .D forms.
    var size: Int { rawValue >= RVAtomicOp.lrD.rawValue ? 8 : 4 }

    /// The operation an `RVInstruction.op` holds, or nil for a value no decoder produces: raw
    /// values are the declaration order, so a range check and a bit cast replace the
    /// synthesized `init(rawValue:)` on the hot path (`RVAtomicTests` checks every case).
    @inline(__always)
    static func decoded(_ op: UInt8) -> RVAtomicOp? {
        op <= RVAtomicOp.amomaxuD.rawValue ? unsafeBitCast(op, to: RVAtomicOp.self) : nil
    }
}

extension RVDecoder {
    /// funct5 (bits 31:27) of each operation (the spec's chapter 24 listings; opcode AMO = 0101111).
    private static let atomicFunct5: [(name: String, funct5: String, word: RVAtomicOp, double: RVAtomicOp)] = [
        ("lr", "00010", .lrW, .lrD), ("sc", "00011", .scW, .scD),
        ("amoswap", "00001", .amoswapW, .amoswapD), ("amoadd", "00000", .amoaddW, .amoaddD),
        ("amoxor", "00100", .amoxorW, .amoxorD), ("amoand", "01100", .amoandW, .amoandD),
        ("amoor", "01000", .amoorW, .amoorD), ("amomin", "10000", .amominW, .amominD),
        ("amomax", "10100", .amomaxW, .amomaxD), ("amominu", "11000", .amominuW, .amominuD),
        ("amomaxu", "11100", .amomaxuW, .amomaxuD),
    ]

    static let atomicEncodings: [RVEncoding] = atomicFunct5.flatMap { form in
        [(".w", "010", form.word), (".d", "011", form.double)].map { suffix, funct3, op in
            // LR has no rs2: the field must be zero (QEMU's insn32.decode fixes it; other
            // values are unclaimed, hence illegal).
            let rs2 = form.name == "lr" ? "00000" : "ttttt"
            return RVEncoding(form.name + suffix, "\(form.funct5) a r \(rs2) sssss \(funct3) ddddd 0101111") { w in
                RVInstruction(group: .atomic, op: op.rawValue, raw: w, rd: RVInstruction.rd(w),
                              rs1: RVInstruction.rs1(w), rs2: RVInstruction.rs2(w),
                              flags: UInt8(truncatingIfNeeded: (w >> 25) & 3))
            }
        }
    }
}

extension RISCVCore {
    func execAtomic(_ d: RVInstruction) {
        guard let op = RVAtomicOp.decoded(d.op) else { return illegalInstruction(d) }
        let address = x[Int(d.rs1)]
        switch op {
        case .lrW, .lrD: loadReserved(d, address, size: op.size)
        case .scW, .scD: storeConditional(d, address, size: op.size)
        default: memoryOperation(d, op, address)
        }
    }

    /// LR: load, sign-extend a word, and register the reservation (§8.2).
    private func loadReserved(_ d: RVInstruction, _ address: UInt64, size: Int) {
        if address & UInt64(size &- 1) != 0 {
            return takeException(.loadMisaligned, tval: address)
        }
        guard let value = load(address, size: size) else { return }
        reserve(address)
        x[Int(d.rd)] = size == 4 ? RVWord.signExtend(value) : value
    }

    /// SC: store only while this hart's reservation covers `address`; rd = 0 on success, 1 on
    /// failure. Every SC releases the reservation, whether it succeeds, fails or traps (§8.2).
    private func storeConditional(_ d: RVInstruction, _ address: UInt64, size: Int) {
        if address & UInt64(size &- 1) != 0 {
            return takeException(.storeMisaligned, tval: address)   // the trap drops the reservation
        }
        let value = x[Int(d.rs2)]
        guard checkAndClearReservation(address) else {
            x[Int(d.rd)] = 1
            return
        }
        // A store that faults (a read-only device, say) leaves rd alone; the trap already
        // happened and the reservation is gone.
        guard store(address, size: size, value) else { return }
        x[Int(d.rd)] = 0
    }

    /// AMO: load, combine with rs2, store the result, and return the loaded value in rd (a word
    /// sign-extended) — only once both accesses have succeeded (§8.4).
    private func memoryOperation(_ d: RVInstruction, _ op: RVAtomicOp, _ address: UInt64) {
        let size = op.size
        if address & UInt64(size &- 1) != 0 {
            return takeException(.storeMisaligned, tval: address)
        }
        let source = x[Int(d.rs2)]   // read before rd is written: rd may be rs2
        guard let old = loadForAMO(address, size: size) else { return }   // faults as a store/AMO
        let new = RISCVCore.amoResult(op, old, source)
        guard store(address, size: size, new) else { return }
        x[Int(d.rd)] = size == 4 ? RVWord.signExtend(old) : old
    }

    /// The value an AMO stores. For the .W forms `old` holds the 32 loaded bits zero-extended
    /// and only the low 32 bits of the result are stored, so add/and/or/xor need no masking;
    /// min/max compare the 32-bit values, signed or unsigned.
    @inline(__always)
    static func amoResult(_ op: RVAtomicOp, _ old: UInt64, _ source: UInt64) -> UInt64 {
        let oldW = UInt32(truncatingIfNeeded: old), sourceW = UInt32(truncatingIfNeeded: source)
        switch op {
        case .amoswapW, .amoswapD: return source
        case .amoaddW, .amoaddD: return old &+ source
        case .amoxorW, .amoxorD: return old ^ source
        case .amoandW, .amoandD: return old & source
        case .amoorW, .amoorD: return old | source
        case .amominW: return Int32(bitPattern: oldW) <= Int32(bitPattern: sourceW) ? old : source
        case .amomaxW: return Int32(bitPattern: oldW) >= Int32(bitPattern: sourceW) ? old : source
        case .amominuW: return oldW <= sourceW ? old : source
        case .amomaxuW: return oldW >= sourceW ? old : source
        case .amominD: return Int64(bitPattern: old) <= Int64(bitPattern: source) ? old : source
        case .amomaxD: return Int64(bitPattern: old) >= Int64(bitPattern: source) ? old : source
        case .amominuD: return old <= source ? old : source
        case .amomaxuD: return old >= source ? old : source
        case .lrW, .scW, .lrD, .scD: return old   // not AMOs: execAtomic never sends them here
        }
    }
}
