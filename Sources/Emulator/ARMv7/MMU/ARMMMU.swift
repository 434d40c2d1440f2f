/// The kinds of access translation tells apart; the raw value is the permission bit the
/// access needs in a TLB entry's `permissions` (R = 1, W = 2, X = 4).
enum ARMAccess: UInt8 {
    case read = 1
    case write = 2
    case fetch = 4
}

/// Which translation regime and privilege a TLB set caches (ARM ARM B3.1, B3.3 "the
/// translation regimes"): the PL1&0 regime seen from PL0 and from PL1, and the Non-secure PL2
/// (Hyp) regime. The security state is not part of the set: a change of it flushes the TLB.
enum ARMTLBContext: Int {
    case pl0 = 0, pl1 = 1, hyp = 2
}

/// One translation in the software TLB: a 4 KiB virtual page and the RAM page it maps to, with
/// one tag per access kind holding the virtual page number when that kind may use the page
/// without walking or checking anything, `ARMTLBEntry.invalid` otherwise (as RVTLBEntry and
/// QEMU's softmmu TLB). Only RAM pages get tags; device pages walk on every access.
struct ARMTLBEntry {
    static let invalid = UInt32.max

    var readTag: UInt32 = ARMTLBEntry.invalid
    var writeTag: UInt32 = ARMTLBEntry.invalid
    var execTag: UInt32 = ARMTLBEntry.invalid
    /// The page's offset in RAM (4 KiB aligned).
    var ramPage: UInt32 = 0
}

/// The register values a core's cached translations were computed from. When one of them
/// changes, the whole TLB is flushed: a TLB may drop entries at any time (B3.10.1), so
/// flushing more than the architecture requires is always correct, and these writes are rare
/// next to translations (Linux writes TTBR0 on a context switch, KVM VTTBR on a world switch).
/// Stale entries that software must remove with TLB maintenance (after a page-table write)
/// stay, as the architecture allows.
struct ARMTranslationContext: Equatable {
    var secure = false
    var sctlr: UInt32 = 0
    var ttbcr: UInt32 = 0
    var ttbr0: UInt64 = 0
    var ttbr1: UInt64 = 0
    var dacr: UInt32 = 0
    var hsctlr: UInt32 = 0
    var htcr: UInt32 = 0
    var httbr: UInt64 = 0
    var stage2 = false
    var vtcr: UInt32 = 0
    var vttbr: UInt64 = 0
}

/// TLB maintenance operations (B4.2.2 "TLB maintenance operations", table B4-?): what they
/// invalidate. The instruction, data and unified forms are one operation here.
enum ARMTLBIOperation {
    /// TLBIALL / ITLBIALL / DTLBIALL: the PL1&0 regime of the current security state (and VMID).
    case all
    /// TLBIMVA: one page of one ASID.
    case mva
    /// TLBIASID: one ASID.
    case asid
    /// TLBIMVAA: one page, every ASID.
    case mvaAllASIDs
    /// TLBIALLH: the Hyp regime.
    case allHyp
    /// TLBIMVAH: one page of the Hyp regime.
    case mvaHyp
    /// TLBIALLNSNH: Non-secure PL1&0 entries of every VMID.
    case allNonSecureNonHyp
}

/// A core's MMU state: the software TLB (one 256-entry direct-mapped set per `ARMTLBContext`),
/// the sets the current mode uses, and the context the entries belong to.
///
/// A section, supersection, large page or block is cached as the 4 KiB pages used so far; each
/// slot also records the VA region its translation came from (`regions`), so that a TLB
/// maintenance operation by address removes every page of a large mapping that contains the
/// address, and nothing else.
final class ARMMMU {
    static let entriesPerSet = 256
    static let indexMask: UInt32 = 255
    static let setCount = 3

    struct Region {
        /// The mapping's VA base and mask (0xFFFFF000 for a 4 KiB page); mask 0: empty slot.
        var base: UInt32 = 0
        var mask: UInt32 = 0
    }

    let tlb: UnsafeMutablePointer<ARMTLBEntry>
    let regions: UnsafeMutablePointer<Region>
    /// The sets data accesses and instruction fetches of the current mode use (`syncMMU`).
    var dataSet: UnsafeMutablePointer<ARMTLBEntry>
    var fetchSet: UnsafeMutablePointer<ARMTLBEntry>
    var context = ARMTranslationContext()

    init() {
        let count = ARMMMU.entriesPerSet * ARMMMU.setCount
        tlb = .allocate(capacity: count)
        tlb.initialize(repeating: ARMTLBEntry(), count: count)
        regions = .allocate(capacity: count)
        regions.initialize(repeating: Region(), count: count)
        dataSet = tlb + ARMTLBContext.pl1.rawValue * ARMMMU.entriesPerSet
        fetchSet = dataSet
    }

    deinit {
        tlb.deinitialize(count: ARMMMU.entriesPerSet * ARMMMU.setCount)
        tlb.deallocate()
        regions.deinitialize(count: ARMMMU.entriesPerSet * ARMMMU.setCount)
        regions.deallocate()
    }

    @inline(__always)
    func set(_ c: ARMTLBContext) -> UnsafeMutablePointer<ARMTLBEntry> {
        tlb + c.rawValue &* ARMMMU.entriesPerSet
    }

    /// Fill the slot of `va` in context `c`.
    func fill(_ c: ARMTLBContext, va: UInt32, _ entry: ARMTLBEntry, regionMask: UInt32) {
        let slot = c.rawValue &* ARMMMU.entriesPerSet &+ Int((va >> 12) & ARMMMU.indexMask)
        tlb[slot] = entry
        regions[slot] = Region(base: va & regionMask, mask: regionMask)
    }

    func flushAll() {
        let count = ARMMMU.entriesPerSet * ARMMMU.setCount
        tlb.update(repeating: ARMTLBEntry(), count: count)
        regions.update(repeating: Region(), count: count)
    }

    /// Forget every entry of the given contexts.
    func flush(_ contexts: [ARMTLBContext]) {
        for c in contexts {
            set(c).update(repeating: ARMTLBEntry(), count: ARMMMU.entriesPerSet)
            (regions + c.rawValue &* ARMMMU.entriesPerSet).update(repeating: Region(), count: ARMMMU.entriesPerSet)
        }
    }

    /// Forget every cached page of the mappings that contain `va`, in the given contexts.
    func flush(page va: UInt32, _ contexts: [ARMTLBContext]) {
        for c in contexts {
            let first = c.rawValue &* ARMMMU.entriesPerSet
            for slot in first..<(first &+ ARMMMU.entriesPerSet) {
                let r = regions[slot]
                if r.mask != 0 && va & r.mask == r.base {
                    tlb[slot] = ARMTLBEntry()
                    regions[slot] = Region()
                }
            }
        }
    }
}
