/// The instruction syndrome of a data abort taken to Hyp mode (ARM ARM B3.13.6, "ISS encoding
/// for a Data Abort exception"): ISV [24], SAS [23:22] (access size), SSE [21] (sign
/// extension), SRT [19:16] (the transfer register). A hypervisor emulating an MMIO access
/// (KVM's `io_mem_abort`) needs nothing else from the instruction.
///
/// Reported, as QEMU 7.2 does (`make_issinfo`: valid only without writeback), for a stage 2
/// fault that is not on a stage 1 table walk, caused by a single-register load or store of a
/// word, byte or halfword that is neither post-indexed (LDRT/STRT included) nor writes back.
/// Everything else (LDM/STM, LDRD/STRD, exclusives, SWP, SRS/RFE, writeback forms) has
/// ISV = 0, and the hypervisor must decode the instruction itself.
extension ARMCore {
    /// ISS bits [24:16] for the instruction at `currentPC`, or 0 when it has no syndrome.
    func dataAbortInstructionSyndrome() -> UInt32 {
        let w = resolve(currentPC, access: .fetch, user: mode == .usr)
        guard w.fault == nil, let raw = physicalRead(w.physical, size: 4) else { return 0 }
        return ARMCore.instructionSyndrome(UInt32(truncatingIfNeeded: raw))
    }

    /// ISV/SAS/SSE/SRT of an A32 instruction word (A5.3 load/store word and unsigned byte,
    /// A5.2.8 extra load/store instructions).
    static func instructionSyndrome(_ w: UInt32) -> UInt32 {
        guard w >> 28 != 0xF else { return 0 }
        let preIndexed = w & (1 << 24) != 0
        let writeback = w & (1 << 21) != 0
        guard preIndexed && !writeback else { return 0 }
        let rt = (w >> 12) & 0xF
        var sas: UInt32
        var sse: UInt32 = 0
        if (w >> 26) & 3 == 1 {
            // LDR/STR/LDRB/STRB; register forms have bit 4 clear (bit 4 set is media space).
            if w & (1 << 25) != 0 && w & (1 << 4) != 0 { return 0 }
            sas = w & (1 << 22) != 0 ? 0 : 2
        } else if (w >> 25) & 7 == 0 && w & 0x90 == 0x90 {
            let load = w & (1 << 20) != 0
            switch ((w >> 5) & 3, load) {
            case (1, _): sas = 1                  // LDRH / STRH
            case (2, true): sas = 0; sse = 1      // LDRSB
            case (3, true): sas = 1; sse = 1      // LDRSH
            default: return 0                     // SWP/LDREX (op2 = 0), LDRD/STRD
            }
        } else {
            return 0
        }
        return (1 << 24) | (sas << 22) | (sse << 21) | (rt << 16)
    }
}
