/// The kinds of memory access the MMU and the PMP tell apart. The raw value is the permission
/// bit an access needs, as in a PTE's R/W/X (privileged spec §4.3.1) shifted down by one and
/// in pmpcfg's R/W/X (§3.7.1): R = 1, W = 2, X = 4.
enum RVAccess: UInt8 {
    case load = 1
    case store = 2
    case fetch = 4

    /// Page faults (§4.3.2 steps 2–8): instruction 12, load 13, store/AMO 15.
    var pageFault: RVException {
        switch self {
        case .fetch: .instructionPageFault
        case .load: .loadPageFault
        case .store: .storePageFault
        }
    }

    /// Guest-page faults (§8.5: a G-stage translation failure): instruction 20, load 21,
    /// store/AMO 23.
    var guestPageFault: RVException {
        switch self {
        case .fetch: .instructionGuestPageFault
        case .load: .loadGuestPageFault
        case .store: .storeGuestPageFault
        }
    }

    /// Access faults (PMP and PMA violations, page-table accesses outside memory): 1, 5, 7.
    var accessFault: RVException {
        switch self {
        case .fetch: .instructionAccessFault
        case .load: .loadAccessFault
        case .store: .storeAccessFault
        }
    }
}

/// One translation in the software TLB: a 4 KiB virtual page of one privilege context and the
/// RAM page it maps to. Each access kind has its own tag, holding the virtual page number when
/// that kind may use the page without walking or checking anything, and `RVTLBEntry.invalid`
/// otherwise, so the hit test is a single compare (QEMU's softmmu TLB does the same with its
/// addr_read / addr_write / addr_code). A tag is set only when all of these hold for the whole
/// page: the PTE (or Bare) allows the access for the context, A is set (and D for writes), the
/// PMP grants it uniformly over the page, and the page is RAM. Anything else takes the slow path.
struct RVTLBEntry {
    static let invalid = UInt64.max

    var readTag: UInt64 = RVTLBEntry.invalid
    var writeTag: UInt64 = RVTLBEntry.invalid
    var execTag: UInt64 = RVTLBEntry.invalid
    /// The page's offset in RAM (4 KiB aligned).
    var ramPage: UInt64 = 0
}

/// A hart's MMU and PMP state: the software TLB, the PMP entries decoded into address ranges,
/// and the flags the hot paths test.
///
/// TLB contexts. There is one 256-entry direct-mapped set per privilege context: U, S with
/// SUM = 0, S with SUM = 1, and M (M-mode is never translated, but locked PMP entries restrict
/// it, so it caches PMP results as an identity mapping), and for the hypervisor extension's
/// guest regime (V = 1, two-stage translation) VU, VS with vsstatus.SUM = 0 and with SUM = 1:
/// host and guest translations never share a set, so V changes (guest entry and exit) only
/// select other sets. A satp change flushes the host sets, a vsatp, hgatp or vsstatus.MXR
/// change the guest sets; HFENCE.VVMA and HFENCE.GVMA flush everything. Privilege changes (traps, xRET) and
/// MPRV/MPP/SUM changes only select another set: nothing is flushed, and Linux's SUM toggling
/// around every user copy costs nothing. Everything is flushed when satp, MXR or any PMP CSR
/// changes (rare), and by SFENCE.VMA. ASIDs are not used: a satp write flushes, which is always
/// allowed (a TLB may drop entries at any time).
final class RVMMU {
    static let entriesPerSet = 256
    static let indexMask: UInt64 = 255
    static let setCount = 7

    let tlb: UnsafeMutablePointer<RVTLBEntry>
    /// The sets data accesses and instruction fetches use now (chosen by `syncMMU`).
    var dataSet: UnsafeMutablePointer<RVTLBEntry>
    var fetchSet: UnsafeMutablePointer<RVTLBEntry>
    /// Data accesses use physical addresses and need no PMP check: the load/store fast path.
    var dataDirect = true
    /// Likewise for instruction fetch.
    var fetchDirect = true
    /// The RAM offset of the run loop's current fetch page.
    var fetchRAMPage: UInt64 = 0
    /// The effective privilege of loads and stores (§3.1.6.3: MPP when MPRV = 1 in M-mode).
    var dataMode: RVPrivilege = .machine
    /// Whether loads and stores are translated as V = 1 (V = 1, or MPRV with MPV in M-mode).
    var dataVirtual = false

    /// The context the TLB contents were computed in: when one of these changes, flush.
    var satp: UInt64 = 0
    var mxr = false
    var vsatp: UInt64 = 0
    var hgatp: UInt64 = 0
    var vsmxr = false
    var pmpcfgSeen: [UInt8] = []
    var pmpaddrSeen: [UInt64] = []

    /// Whether some entry was filled from a superpage: an address-specific SFENCE.VMA must then
    /// flush everything, because a superpage is cached as many 4 KiB entries.
    var holdsSuperpages = false

    /// PMP: the active entries in priority order, whether the hart implements any entry, and
    /// whether an active entry is locked (only then is M-mode checked).
    var pmp: [RVPMPRegion] = []
    var pmpImplemented = false
    var pmpLocksMachine = false

    init() {
        let count = RVMMU.entriesPerSet * RVMMU.setCount
        tlb = .allocate(capacity: count)
        tlb.initialize(repeating: RVTLBEntry(), count: count)
        dataSet = tlb + 3 * RVMMU.entriesPerSet
        fetchSet = dataSet
    }

    deinit {
        tlb.deinitialize(count: RVMMU.entriesPerSet * RVMMU.setCount)
        tlb.deallocate()
    }

    /// The set caching translations for `mode` (and, in S-mode, the SUM bit — vsstatus.SUM
    /// when `virtual`), in the host or the guest regime.
    @inline(__always)
    func set(for mode: RVPrivilege, sum: Bool, virtual: Bool = false) -> UnsafeMutablePointer<RVTLBEntry> {
        var index: Int
        switch mode {
        case .user: index = 0
        case .supervisor: index = sum ? 2 : 1
        case .machine: index = 3
        }
        if virtual && mode != .machine { index &+= 4 }
        return tlb + index &* RVMMU.entriesPerSet
    }

    /// Whether accesses at `mode` are subject to PMP checks at all (§3.7.1: S and U always are
    /// once an entry is implemented — with no entry matching they fail; M only under a lock).
    @inline(__always)
    func pmpChecks(_ mode: RVPrivilege) -> Bool {
        mode == .machine ? pmpLocksMachine : pmpImplemented
    }

    /// The host regime's sets (U, S, S+SUM, M) and the guest regime's (VU, VS, VS+SUM).
    static let hostSets = 0..<4
    static let guestSets = 4..<7

    func flushAll() {
        tlb.update(repeating: RVTLBEntry(), count: RVMMU.entriesPerSet * RVMMU.setCount)
        holdsSuperpages = false
    }

    /// Forget one regime's translations (`holdsSuperpages` stays: the other regime may hold some).
    func flush(sets: Range<Int>) {
        (tlb + sets.lowerBound &* RVMMU.entriesPerSet).update(repeating: RVTLBEntry(), count: sets.count &* RVMMU.entriesPerSet)
    }

    /// Drop the entries that could hold virtual page `vpn`, in every set (another page sharing
    /// the slot goes too: a TLB may forget anything at any time).
    func flush(page vpn: UInt64) {
        let i = Int(truncatingIfNeeded: vpn & RVMMU.indexMask)
        for s in 0..<RVMMU.setCount { tlb[s &* RVMMU.entriesPerSet &+ i] = RVTLBEntry() }
    }
}
