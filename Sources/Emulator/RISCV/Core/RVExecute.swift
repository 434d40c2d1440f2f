/// The hart's interpreter loop: fetch from the decoded-instruction cache (a 2-byte granule per
/// entry, so compressed and 32-bit instructions share it), dispatch on the group.
///
/// Fetch keeps one "current page": the virtual page of the last fetch and the RAM page it maps
/// to, found by `fetchPage` (RVFetch.swift: translation, PMP, or neither) when execution leaves
/// the page. Within the page a fetch costs one compare, translated or not. The current page is
/// forgotten whenever `attention` is serviced — every change of privilege, mstatus, satp or PMP
/// and every SFENCE.VMA raises it. A 32-bit instruction whose upper half lies on the next page
/// is never cached: its second half may map elsewhere, and a store there would not clear it.
extension RISCVCore {
    static let entryStride = MemoryLayout<RVInstruction>.stride

    /// Run until `budget` instructions have retired, the hart stops, or the machine stops.
    func run(budget: UInt64) -> UInt64 {
        let start = time
        sliceStartTime = start
        let end = start &+ budget
        let stride = RISCVCore.entryStride
        var fetchTag: UInt64 = .max   // virtual page number of the current page
        var page = UnsafeMutableRawPointer(bitPattern: 16)!
        syncMMU()
        while time < end {
            if attention {
                attention = false
                if serviceAttention() { break }
                syncMMU()
                fetchTag = .max
            }
            let at = nextPC
            pc = at
            if at >> 12 != fetchTag {
                let r = fetchPage(at)
                guard r < RVFetch.uncached else {
                    time &+= 1
                    if r == RVFetch.uncached { executeUncached(at) }
                    continue
                }
                fetchTag = at >> 12
                mmu.fetchRAMPage = r
                page = ram.decodedPage(offset: r)
            }
            let entry = (page + Int(truncatingIfNeeded: (at & 0xFFF) >> 1) &* stride).assumingMemoryBound(to: RVInstruction.self)
            if entry.pointee.group == .undecoded {
                guard decodeFetched(at, into: entry) else {
                    time &+= 1
                    executeUncached(at)
                    continue
                }
                if machine.hasStallPoints { markStallPoint(entry, at: at) }
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
        case .float: execFloat(d)
        case .stallPoint: execStallPoint(d)
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
