/// The interpreter loop: fetch from the decoded-instruction cache (decoding a word the first
/// time it executes), check the condition, dispatch on the instruction's group.
extension ARMCore {
    static let entryStride = MemoryLayout<ARMInstruction>.stride

    /// Run until `budget` instructions have retired, the core stops (sleep, halt) or the
    /// machine asks every core to stop. Returns the number of instructions retired.
    func run(budget: UInt64) -> UInt64 {
        // `time` advances per instruction (devices read it mid-quantum: CNTPCT, SYS_24MHZ).
        let start = time
        let end = start &+ budget
        let stride = ARMCore.entryStride
        // The current fetch page: its virtual page number, RAM offset and decoded page, found
        // by `fetchPage` (translated or not) when execution leaves it. Forgotten whenever
        // `attention` is serviced — every mode, translation-register and TLB change raises it.
        // Decoded pages are never freed while a run is going.
        var fetchTag: UInt32 = .max
        var fetchRAMPage: UInt32 = 0
        var page = UnsafeMutableRawPointer(bitPattern: 16)!
        syncMMU()
        while time < end {
            if attention {
                attention = false
                if serviceAttention() { break }
                syncMMU()
                fetchTag = .max
            }
            let pc = nextPC
            currentPC = pc
            if pc >> 12 != fetchTag {
                let p = fetchPage(pc)
                guard p & 0xFFF == 0 else {
                    time &+= 1
                    if p == ARMFetch.uncached { executeUncached(pc) }
                    continue
                }
                fetchTag = pc >> 12
                fetchRAMPage = p
                page = ram.decodedPage(offset: UInt64(p))
            }
            let inPage = pc & 0xFFF
            let entry = (page + Int(inPage >> 2) &* stride).assumingMemoryBound(to: ARMInstruction.self)
            if entry.pointee.group == .undecoded { decode(into: entry, at: pc, ramOffset: fetchRAMPage | inPage) }
            let insn = entry.pointee
            r[15] = pc &+ 8
            nextPC = pc &+ 4
            time &+= 1
            if insn.cond == 14 || conditionPassed(insn.cond) {
                execute(insn)
            }
        }
        let executed = time &- start
        instructionsRetired &+= executed
        r[15] = nextPC
        return executed
    }

    /// The first execution of a word: decode it into its cache entry (out of the loop: it runs
    /// once per word), marking an injected stall point.
    @inline(never)
    func decode(into entry: UnsafeMutablePointer<ARMInstruction>, at pc: UInt32, ramOffset: UInt32) {
        entry.pointee = ARMDecoder.decode((ram.bytes + Int(ramOffset)).loadUnaligned(as: UInt32.self))
        if machine.hasStallPoints { markStallPoint(entry, at: pc) }
    }

    /// Look at what changed outside the instruction stream. Returns true when the core must
    /// stop running now.
    @inline(never)
    func serviceAttention() -> Bool {
        if machine.stopRequested || runState != .running { return true }
        if irqLine || fiqLine || virtualInterruptSignalled { takePendingInterrupt() }
        if runState == .running && virtualAbortPending { takePendingVirtualAbort() }
        return runState != .running
    }

    /// ConditionPassed() (A8.3, table A8-1).
    @inline(__always)
    func conditionPassed(_ cond: UInt8) -> Bool {
        switch cond {
        case 0: return flagZ
        case 1: return !flagZ
        case 2: return flagC
        case 3: return !flagC
        case 4: return flagN
        case 5: return !flagN
        case 6: return flagV
        case 7: return !flagV
        case 8: return flagC && !flagZ
        case 9: return !flagC || flagZ
        case 10: return flagN == flagV
        case 11: return flagN != flagV
        case 12: return !flagZ && flagN == flagV
        case 13: return flagZ || flagN != flagV
        default: return true
        }
    }

    @inline(__always)
    func execute(_ d: ARMInstruction) {
        switch d.group {
        case .dataProcessing: execDataProcessing(d)
        case .multiply: execMultiply(d)
        case .media: execMedia(d)
        case .loadStore: execLoadStore(d)
        case .loadStoreMultiple: execLoadStoreMultiple(d)
        case .exclusive: execExclusive(d)
        case .branch: execBranch(d)
        case .status: execStatus(d)
        case .exception: execException(d)
        case .coprocessor: execCoprocessor(d)
        case .hint: execHint(d)
        case .stallPoint: execStallPoint(d)
        case .undefined, .undecoded: takeUndefined()
        case .unimplemented: execUnimplemented(d)
        }
    }

    /// VFP/Advanced SIMD: not modelled. The guest sees what a core with the FP unit disabled
    /// shows (UNDEFINED, as with CPACR.cp10/cp11 = 0); the run reports it once per core.
    @inline(never)
    func execUnimplemented(_ d: ARMInstruction) {
        // VFP (CP10/CP11) instructions are not modelled, but HCPTR may trap them to Hyp first.
        let w = d.raw
        let vfp = w >> 28 != 0xF && ((w >> 24) & 0xF == 0xE || (w >> 25) & 7 == 6) && (w >> 9) & 7 == 5
        if vfp && trapCoprocessorAccessToHyp(cp: UInt8(truncatingIfNeeded: (w >> 8) & 0xF), raw: w) { return }
        machine.noteUnimplemented(cpu: index, pc: currentPC, word: d.raw)
        takeUndefined()
    }
}
