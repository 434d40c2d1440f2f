/// TLB maintenance operations (ARM ARM B3.10.6, B4.2.2): MCR p15, 0/4, Rt, c8, … The operand
/// of the by-MVA forms is the virtual address (with the ASID in [7:0], ignored: hetboot's TLB
/// does not tag entries with ASIDs — a context-changing register write flushes instead — so
/// an ASID-specific operation invalidates at least what it must).
///
/// The Inner Shareable forms (c8, c3) act on every core of the machine (B3.10.? "the operation
/// is broadcast to all processors in the Inner Shareable domain"): the machine owns the cores,
/// and one run is one thread, so the other cores' TLBs are updated before this instruction
/// retires — the completion a DSB after the operation would wait for.
extension ARMCore {
    func tlbMaintenance(_ op: ARMTLBIOperation, operand: UInt32, innerShareable: Bool) {
        if innerShareable {
            for core in machine.cores { core.invalidateTLB(op, operand: operand) }
        } else {
            invalidateTLB(op, operand: operand)
        }
    }

    /// This core's part of a TLB maintenance operation.
    func invalidateTLB(_ op: ARMTLBIOperation, operand: UInt32) {
        switch op {
        case .all, .asid, .allNonSecureNonHyp:
            mmu.flush([.pl0, .pl1])
        case .mva, .mvaAllASIDs:
            mmu.flush(page: operand, [.pl0, .pl1])
        case .allHyp:
            mmu.flush([.hyp])
        case .mvaHyp:
            mmu.flush(page: operand, [.hyp])
        }
        // The run loop's current fetch page may be among those forgotten.
        attention = true
    }
}
