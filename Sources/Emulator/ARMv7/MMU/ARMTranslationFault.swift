/// A fault found by translation (ARM ARM B3.12.1 "Types of MMU faults"): what failed, at which
/// lookup level and stage, and what the fault registers need to report it.
struct ARMTranslationFault: Equatable {
    enum Kind: Equatable {
        case translation
        case accessFlag
        case domain
        case permission
        /// A synchronous external abort on a translation table walk: the descriptor address
        /// hit no RAM and no device.
        case walkExternalAbort
    }

    var kind: Kind
    /// The lookup level, 1…3 (B3.12.3: short-descriptor faults are level 1 or 2).
    var level: UInt32
    /// The short-descriptor domain (DFSR.Domain, B4.1.52), when the walk got that far.
    var domain: UInt32 = 0
    /// A fault of the stage 2 (IPA → PA) translation: taken to Hyp mode with HPFAR.
    var stage2 = false
    /// Stage 2 fault on the stage 1 table walk (HSR.ISS.S1PTW, B3.13.6).
    var s1ptw = false
    /// The intermediate physical address whose stage 2 translation faulted.
    var ipa: UInt64 = 0

    /// FS[4:0] of the short-descriptor DFSR/IFSR (B3.13.3, table B3-23).
    var shortFS: UInt32 {
        let second = level >= 2
        switch kind {
        case .translation: return second ? 0b00111 : 0b00101
        case .accessFlag: return second ? 0b00110 : 0b00011
        case .domain: return second ? 0b01011 : 0b01001
        case .permission: return second ? 0b01111 : 0b01101
        case .walkExternalAbort: return second ? 0b01110 : 0b01100
        }
    }

    /// STATUS[5:0] of the long-descriptor DFSR/IFSR and of HSR's DFSC/IFSC (B3.13.3, table
    /// B3-24): the fault type in the upper bits, the level in [1:0].
    var longStatus: UInt32 {
        let ll = level & 3
        switch kind {
        case .translation: return 0b000100 | ll
        case .accessFlag: return 0b001000 | ll
        case .permission: return 0b001100 | ll
        case .walkExternalAbort: return 0b010100 | ll
        case .domain: return 0b111100 | ll
        }
    }
}

/// What a translation produced: the output address and the accesses the page allows to the
/// privilege it was walked for (`ARMAccess` bits), or the fault.
struct ARMWalk {
    var physical: UInt64 = 0
    var permissions: UInt8 = 0
    /// The VA mask of the mapping: 0xFFFFF000 for a 4 KiB page, wider for a section,
    /// supersection, large page or block (after stage 2, the smaller of the two stages').
    var regionMask: UInt32 = 0xFFFF_F000
    var fault: ARMTranslationFault?
}
