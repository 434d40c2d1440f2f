/// hetboot's built-in SBI firmware (RISC-V SBI specification v2.0): what OpenSBI would do for
/// an S-mode payload, done by the machine itself when an S-mode ECALL reaches M-mode.
/// a7 = extension ID, a6 = function ID, a0–a5 arguments; returns a0 = error, a1 = value.
enum SBIExtension: UInt64 {
    case legacySetTimer = 0x00, legacyPutchar = 0x01, legacyGetchar = 0x02, legacyClearIPI = 0x03
    case legacySendIPI = 0x04, legacyShutdown = 0x08
    case base = 0x10
    case time = 0x5449_4D45        // "TIME"
    case ipi = 0x0073_5049         // "sPI"
    case rfence = 0x5246_4E43      // "RFNC"
    case hsm = 0x0048_534D         // "HSM"
    case srst = 0x5352_5354        // "SRST"
    case dbcn = 0x4442_434E        // "DBCN"
}

enum SBIError: Int64 {
    case success = 0, failed = -1, notSupported = -2, invalidParam = -3, denied = -4
    case invalidAddress = -5, alreadyAvailable = -6, alreadyStarted = -7, alreadyStopped = -8
}

/// HSM hart states (SBI §9).
enum SBIHartState: UInt64 {
    case started = 0, stopped = 1, startPending = 2, stopPending = 3, suspended = 4
}

extension RISCVMachine {
    /// SBI implementation ID: none of the registered ones (0 BBL, 1 OpenSBI, …) is hetboot's.
    static let sbiImplementationID: UInt64 = 0x6865_7462   // "hetb"

    /// Handle an ECALL from S-mode when the machine boots with the built-in SBI. Returns false
    /// when there is no such firmware (the ECALL then traps to M-mode as usual).
    func firmwareCall(_ core: RISCVCore) -> Bool {
        guard spec.boot.firmware == .builtinSBI else { return false }
        let a = core.x
        let (error, value) = sbiCall(core, eid: a[17], fid: a[16], args: (a[10], a[11], a[12], a[13]))
        if observed {
            let function = (SBIExtension(rawValue: a[17]).map { "\($0)" } ?? "0x" + String(a[17], radix: 16)) + " fid \(a[16])"
            emit(.firmwareCall(interface: "SBI", function: function, arguments: [a[10], a[11], a[12]],
                               result: error.rawValue), cpu: core.index)
        }
        switch SBIExtension(rawValue: a[17]) {
        case .legacySetTimer?, .legacyPutchar?, .legacyGetchar?, .legacyClearIPI?, .legacySendIPI?, .legacyShutdown?:
            a[10] = UInt64(bitPattern: error == .success ? value.map { Int64(bitPattern: $0) } ?? 0 : error.rawValue)
        default:
            a[10] = UInt64(bitPattern: error.rawValue)
            if let value { a[11] = value }
        }
        return true
    }

    private func sbiCall(_ core: RISCVCore, eid: UInt64, fid: UInt64,
                         args: (UInt64, UInt64, UInt64, UInt64)) -> (SBIError, UInt64?) {
        switch SBIExtension(rawValue: eid) {
        case .base?:
            switch fid {
            case 0: return (.success, 0x0200_0000)   // SBI 2.0
            case 1: return (.success, RISCVMachine.sbiImplementationID)
            case 2: return (.success, 1)
            case 3:
                let known = SBIExtension(rawValue: args.0) != nil
                return (.success, known ? 1 : 0)
            case 4: return (.success, core.profile.idRegister("mvendorid") ?? 0)
            case 5: return (.success, core.profile.idRegister("marchid") ?? 0)
            case 6: return (.success, core.profile.idRegister("mimpid") ?? 0)
            default: return (.notSupported, nil)
            }
        case .time?, .legacySetTimer?:
            guard eid == SBIExtension.legacySetTimer.rawValue || fid == 0 else { return (.notSupported, nil) }
            setSupervisorTimer(core, at: args.0)
            return (.success, 0)
        case .ipi?:
            guard fid == 0 else { return (.notSupported, nil) }
            return sendSupervisorIPI(from: core, mask: args.0, base: args.1)
        case .legacySendIPI?:
            // The legacy call passes a pointer to the hart mask.
            guard let mask = readGuest(core, args.0) else { return (.invalidAddress, nil) }
            return sendSupervisorIPI(from: core, mask: mask, base: 0)
        case .legacyClearIPI?:
            core.csr.mipSoftware &= ~(1 << RVInterrupt.SSI)
            return (.success, 0)
        case .rfence?:
            // Remote FENCE.I needs nothing (the decoded-instruction cache follows every store);
            // remote SFENCE.VMA and the HFENCE.GVMA/VVMA variants (3–6) flush the target harts'
            // TLBs whole, host and guest translations: a superset of the range and the
            // VMID/ASID. The hart mask is checked as for every SBI function that takes one
            // (SBI v2.0 §3.1, hart mask errors: INVALID_PARAM), and the HFENCE variants are
            // "not supported if one of the target harts doesn't support the hypervisor
            // extension" (§8.4–8.7) — on a mixed machine that is a target's H, not only the
            // caller's (OpenSBI 1.1 looks at the caller's misa alone: it assumes alike harts).
            guard fid <= 6 else { return (.notSupported, nil) }
            guard let targets = supervisorHarts(mask: args.0, base: args.1) else { return (.invalidParam, nil) }
            if fid >= 3 && (!core.hasHypervisor || targets.contains { !$0.hasHypervisor }) { return (.notSupported, nil) }
            if fid >= 1 { for hart in targets { hart.flushTLB() } }
            return (.success, 0)
        case .hsm?:
            return hartStateManagement(core, fid: fid, args: args)
        case .srst?:
            guard fid == 0 else { return (.notSupported, nil) }
            switch args.0 {
            case 0:
                requestExit(code: args.1 == 0 ? 0 : 1, reason: "SBI system_reset: shutdown (reason \(args.1))")
                return (.success, 0)
            case 1, 2:
                requestReset(reason: "SBI system_reset: \(args.0 == 1 ? "cold" : "warm") reboot")
                return (.success, 0)
            default:
                return (.invalidParam, nil)
            }
        case .dbcn?:
            switch fid {
            case 0, 1:
                // console_write / console_read: base address = a1 (low) | a2 (high, RV32 only).
                if fid == 1 { return (.success, 0) }   // no input
                var written: UInt64 = 0
                while written < min(args.0, 1 << 20), let b = readGuestByte(core, args.1 &+ written) {
                    consoleOutput(b, device: "sbi", cpu: core.index)
                    written += 1
                }
                return written == args.0 ? (.success, written) : (.invalidParam, written)
            case 2:
                consoleOutput(UInt8(truncatingIfNeeded: args.0), device: "sbi", cpu: core.index)
                return (.success, 0)
            default:
                return (.notSupported, nil)
            }
        case .legacyPutchar?:
            consoleOutput(UInt8(truncatingIfNeeded: args.0), device: "sbi", cpu: core.index)
            return (.success, 0)
        case .legacyGetchar?:
            return (.failed, nil)
        case .legacyShutdown?:
            requestExit(code: 0, reason: "SBI legacy shutdown")
            return (.success, 0)
        case nil:
            return (.notSupported, nil)
        }
    }

    // MARK: TIME and IPI

    /// set_timer: clear STIP now, raise it when mtime reaches `value` (what OpenSBI does with
    /// the M-mode timer on the hart's behalf).
    private func setSupervisorTimer(_ core: RISCVCore, at value: UInt64) {
        core.csr.mipSoftware &= ~(1 << RVInterrupt.STI)
        core.sbiTimer = value
        requestTimerEvent(cpu: core.index, atMtime: value)
        if mtime(cpu: core.index) >= value { core.csr.mipSoftware |= 1 << RVInterrupt.STI }
        core.attention = true
    }

    /// The firmware side of a timer event: the SBI timer's deadline passed.
    func sbiTimerEvent(_ core: RISCVCore) {
        guard core.sbiTimer != .max, mtime(cpu: core.index) >= core.sbiTimer else { return }
        core.csr.mipSoftware |= 1 << RVInterrupt.STI
        core.sbiTimer = .max
        core.attention = true
    }

    /// The harts a hart mask names (SBI v2.0 §3.1): hartid base + bit for every set bit, or
    /// every hart when base = −1. nil when one of them is not "available to the supervisor" —
    /// no such hart, or a hart without S-mode (fu740's S7) —: the caller answers INVALID_PARAM.
    private func supervisorHarts(mask: UInt64, base: UInt64) -> [RISCVCore]? {
        if base == UInt64.max { return cores.filter { $0.hasSupervisor } }
        var targets: [RISCVCore] = []
        for bit in 0..<64 where mask & (1 << UInt64(bit)) != 0 {
            guard let t = cores.first(where: { $0.slot.mpidr == base &+ UInt64(bit) }), t.hasSupervisor else { return nil }
            targets.append(t)
        }
        return targets
    }

    /// send_ipi: set SSIP on every hart in the mask (hart IDs base + bit; base −1 = all).
    private func sendSupervisorIPI(from source: RISCVCore, mask: UInt64, base: UInt64) -> (SBIError, UInt64?) {
        guard let targets = supervisorHarts(mask: mask, base: base) else { return (.invalidParam, nil) }
        for t in targets {
            deliverIPI(source: source.index, target: t.index, interrupt: Int(RVInterrupt.SSI), via: "SBI IPI") {
                t.csr.mipSoftware |= 1 << RVInterrupt.SSI
                t.attention = true
            }
        }
        return (.success, 0)
    }

    // MARK: HSM

    private func hartStateManagement(_ core: RISCVCore, fid: UInt64, args: (UInt64, UInt64, UInt64, UInt64)) -> (SBIError, UInt64?) {
        switch fid {
        case 0:   // hart_start(hartid, start_addr, opaque)
            guard let target = cores.first(where: { $0.slot.mpidr == args.0 }), target.hasSupervisor else {
                return (.invalidParam, nil)
            }
            guard target.runState == .off else { return (.alreadyAvailable, nil) }
            guard ram.contains(args.1, length: 2) else { return (.invalidAddress, nil) }
            target.startInSupervisor(entry: args.1, a1: args.2)
            return (.success, 0)
        case 1:   // hart_stop
            core.runState = .off
            core.attention = true
            return (.success, 0)
        case 2:   // hart_get_status(hartid)
            guard let target = cores.first(where: { $0.slot.mpidr == args.0 }) else { return (.invalidParam, nil) }
            let state: SBIHartState
            switch target.runState {
            case .off, .halted: state = .stopped
            case .waitForInterrupt where target.hsmSuspended: state = .suspended
            default: state = .started
            }
            return (.success, state.rawValue)
        case 3:   // hart_suspend(type, resume_addr, opaque): default retentive suspend only
            guard args.0 == 0 else { return (.notSupported, nil) }
            core.hsmSuspended = true
            core.waitForInterrupt()
            return (.success, 0)
        default:
            return (.notSupported, nil)
        }
    }

    private func readGuest(_ core: RISCVCore, _ address: UInt64) -> UInt64? {
        guard ram.contains(address, length: 8) else { return nil }
        return (ram.bytes + Int(address - ram.base)).loadUnaligned(as: UInt64.self)
    }

    private func readGuestByte(_ core: RISCVCore, _ address: UInt64) -> UInt8? {
        guard ram.contains(address, length: 1) else { return nil }
        return ram.bytes.load(fromByteOffset: Int(address - ram.base), as: UInt8.self)
    }
}

extension RISCVCore {
    /// HSM hart_start (SBI §9.1): S-mode at `entry`, a0 = hartid, a1 = opaque, satp = 0,
    /// sstatus.SIE = 0.
    func startInSupervisor(entry: UInt64, a1: UInt64) {
        powerOn(entry: entry, a0: slot.mpidr, a1: a1, a2: 0)
        delegateToSupervisorAsFirmwareWould()
        privilege = .supervisor
    }
}
