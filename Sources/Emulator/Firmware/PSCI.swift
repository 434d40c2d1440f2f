import Profiles

/// The PSCI firmware interface (ARM DEN 0022, v1.1) on the machine's conduit (SMC or HVC), as
/// a boot-wrapper or QEMU's built-in PSCI provides it. SMC32 and SMC64 function IDs are both
/// accepted; anything outside the PSCI range is left to the architecture.
enum PSCIFunction: UInt32 {
    case version = 0x8400_0000
    case cpuSuspend = 0x8400_0001
    case cpuOff = 0x8400_0002
    case cpuOn = 0x8400_0003
    case affinityInfo = 0x8400_0004
    case migrateInfoType = 0x8400_0006
    case systemOff = 0x8400_0008
    case systemReset = 0x8400_0009
    case features = 0x8400_000A
}

enum PSCIResult: Int32 {
    case success = 0, notSupported = -1, invalidParameters = -2, denied = -3, alreadyOn = -4
    case onPending = -5, internalFailure = -6, notPresent = -7, disabled = -8, invalidAddress = -9
}

extension ARMMachine {
    /// Handle a firmware call on `conduit`. Returns false when the call is not PSCI (the core
    /// then executes SMC/HVC architecturally).
    func firmwareCall(_ core: ARMCore, conduit: BootProtocol.Conduit) -> Bool {
        let raw = core.r[0]
        // SMC64 IDs (0xC4…) name the same functions with 64-bit arguments; AArch32 callers pass
        // 32-bit values either way.
        let id = raw & 0xBFFF_FFFF
        guard id & 0xFFFF_FFE0 == 0x8400_0000 else { return false }
        if observed {
            let arguments = [core.r[1], core.r[2], core.r[3]].map(UInt64.init)
            emit(.firmwareCall(interface: "PSCI", function: PSCIFunction(rawValue: id).map { "\($0)" } ?? "0x" + hex32(raw),
                               arguments: arguments, result: 0), cpu: core.index)
        }
        let result: UInt32
        switch PSCIFunction(rawValue: id) {
        case .version?:
            result = 0x0001_0001   // PSCI 1.1, as QEMU reports
        case .cpuSuspend?:
            // A standby power state: behave as WFI (QEMU does the same).
            core.waitForInterrupt()
            result = UInt32(bitPattern: PSCIResult.success.rawValue)
        case .cpuOff?:
            core.powerOff()
            return true
        case .cpuOn?:
            result = UInt32(bitPattern: psciCPUOn(mpidr: core.r[1], entry: core.r[2], context: core.r[3]).rawValue)
        case .affinityInfo?:
            if core.r[2] != 0 {
                result = UInt32(bitPattern: PSCIResult.invalidParameters.rawValue)
            } else if let target = psciTarget(core.r[1]) {
                result = target.runState == .off || target.runState == .pen ? 1 : 0
            } else {
                result = UInt32(bitPattern: PSCIResult.invalidParameters.rawValue)
            }
        case .migrateInfoType?:
            result = 2   // no Trusted OS: migration not required
        case .systemOff?:
            requestExit(code: 0, reason: "PSCI SYSTEM_OFF from CPU \(core.index)")
            return true
        case .systemReset?:
            requestReset(reason: "PSCI SYSTEM_RESET from CPU \(core.index)")
            return true
        case .features?:
            let asked = core.r[1] & 0xBFFF_FFFF
            result = PSCIFunction(rawValue: asked) != nil ? 0 : UInt32(bitPattern: PSCIResult.notSupported.rawValue)
        case nil:
            result = UInt32(bitPattern: PSCIResult.notSupported.rawValue)
        }
        core.r[0] = result
        return true
    }

    /// The core a CPU_ON / AFFINITY_INFO target names. The argument holds the MPIDR's affinity
    /// fields only, Aff2–Aff0 in bits [23:0], bits [31:24] zero (DEN 0022D §5.1.4, §5.1.5): a
    /// value with any of those set — e.g. a raw MPIDR read with its bit 31 — names no core and
    /// the call answers INVALID_PARAMETERS, as QEMU 7.2's PSCI does (target/arm/psci.c looks the
    /// value up with arm_get_cpu_by_id, an exact match against mp_affinity, which has no bit 31).
    private func psciTarget(_ target: UInt32) -> ARMCore? {
        guard target & 0xFF00_0000 == 0 else { return nil }
        return cores.first { UInt32(truncatingIfNeeded: $0.slot.mpidr) & 0xFF_FFFF == target }
    }

    /// CPU_ON: start the core with that MPIDR at `entry` in the machine's boot mode, with r0 =
    /// `context` (DEN 0022 §5.6).
    private func psciCPUOn(mpidr: UInt32, entry: UInt32, context: UInt32) -> PSCIResult {
        guard let target = psciTarget(mpidr) else { return .invalidParameters }
        switch target.runState {
        case .off, .pen:
            guard ram.contains(UInt64(entry), length: 4) else { return .invalidAddress }
            target.powerOn(entry: entry, context: context)
            return .success
        case .halted:
            return .internalFailure
        default:
            return .alreadyOn
        }
    }
}
