/// The hart's interpreter loop: fetch from the decoded-instruction cache (a 2-byte granule per
/// entry, so compressed and 32-bit instructions share it), dispatch on the group.
extension RISCVCore {
    static let entryStride = MemoryLayout<RVInstruction>.stride

    /// Run until `budget` instructions have retired, the hart stops, or the machine stops.
    func run(budget: UInt64) -> UInt64 {
        let start = time
        sliceStartTime = start
        let end = start &+ budget
        let base = ramBase
        let size = ramSize
        let stride = RISCVCore.entryStride
        var pageIndex: UInt64 = .max
        var page = UnsafeMutableRawPointer(bitPattern: 16)!
        while time < end {
            if attention {
                attention = false
                if serviceAttention() { break }
            }
            let at = nextPC
            pc = at
            let off = at &- base
            guard off <= size &- 2 else {
                time &+= 1
                fetchFault(at)
                continue
            }
            if off >> 12 != pageIndex {
                pageIndex = off >> 12
                page = ram.decodedPage(offset: off)
            }
            let entry = (page + Int((off & 0xFFF) >> 1) &* stride).assumingMemoryBound(to: RVInstruction.self)
            if entry.pointee.group == .undecoded {
                let low = UInt32((ram.bytes + Int(off)).loadUnaligned(as: UInt16.self))
                if low & 3 == 3 {
                    guard off <= size &- 4 else {
                        time &+= 1
                        fetchFault(at &+ 2)
                        continue
                    }
                    entry.pointee = RVDecoder.decode32((ram.bytes + Int(off)).loadUnaligned(as: UInt32.self))
                } else {
                    entry.pointee = RVDecoder.decode16(low)
                }
            }
            let insn = entry.pointee
            nextPC = at &+ UInt64(insn.length)
            time &+= 1
            if insn.length == 2 && !hasCompressed {
                illegalInstruction(insn)
                continue
            }
            execute(insn)
        }
        let executed = time &- start
        instructionsRetired &+= executed
        sliceStartTime = time
        return executed
    }

    @inline(never)
    func serviceAttention() -> Bool {
        if machine.stopRequested || runState != .running { return true }
        takePendingInterrupt()
        return runState != .running
    }

    @inline(never)
    private func fetchFault(_ address: UInt64) {
        machine.noteBusError(address: address, write: false, cpu: index, pc: pc, fetch: true)
        takeException(.instructionAccessFault, tval: address)
    }

    @inline(__always)
    func execute(_ d: RVInstruction) {
        switch d.group {
        case .integer: execInteger(d)
        case .loadStore: execLoadStore(d)
        case .branch: execBranch(d)
        case .multiply: execMultiply(d)
        case .atomic: execAtomic(d)
        case .csr: execCSR(d)
        case .system: execSystem(d)
        case .float:
            if hasFloat { notSupported("F/D floating-point instructions") } else { illegalInstruction(d) }
        case .illegal, .undecoded: illegalInstruction(d)
        }
    }

    /// A jump or branch target: IALIGN is 16 bits with C, 32 without (instruction-address-
    /// misaligned exception, tval = the target).
    @inline(__always)
    func jump(to target: UInt64) {
        if target & (hasCompressed ? 1 : 3) != 0 {
            takeException(.instructionMisaligned, tval: target)
            return
        }
        nextPC = target
    }
}
