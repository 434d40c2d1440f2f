import Profiles

/// Why a core is not executing instructions.
public enum CoreRunState: Equatable, Sendable {
    /// Executing.
    case running
    /// In WFI: wakes on an interrupt signalled by the GIC (masked or not, ARM ARM B1.8.13).
    case waitForInterrupt
    /// In WFE: wakes on SEV from any core, its event register, or an interrupt.
    case waitForEvent
    /// Off: powered down (PSCI CPU_OFF) or never started (PSCI boot: waiting for CPU_ON).
    case off
    /// Held by the boot monitor's pen: wakes on an interrupt, then jumps to SYS_FLAGS if set.
    case pen
    /// Stopped for good by a finding (something hetboot does not support yet).
    case halted
    /// Stopped by an injected fault (`--inject`): it never runs again.
    case stalled
}

/// One ARMv7-A core: the architectural state of ARM ARM B1 plus what the emulator needs to run
/// it. Registers live in unsafe buffers so the interpreter touches them without ARC or
/// exclusivity traffic. During execution `r[15]` reads as the current instruction's address
/// plus 8 (A32 state); a write to the PC goes to `nextPC` through the `*WritePC` helpers.
public final class ARMCore {
    public let index: Int
    public let slot: CoreSlot
    public var profile: CoreProfile { slot.profile }
    let features: Features
    /// `isSecure` for a core without the Security Extensions (see there).
    let securityStateWithoutExtensions: Bool
    // unowned(unsafe): the machine owns its cores and outlives them; a checked unowned
    // reference costs a retain/release on every store (measured: 4% of run time).
    unowned(unsafe) let machine: ARMMachine
    let ram: PhysicalMemory
    /// RAM window of the fast path, in the 32-bit physical space an ARMv7 core without LPAE
    /// translation reaches.
    let ramBase: UInt32
    let ramSize: UInt32

    // MARK: Registers (ARM ARM B1.3.2)

    /// R0–R15 as the current mode sees them.
    public let r: UnsafeMutablePointer<UInt32>
    /// Banked SP, LR and SPSR, indexed by `ARMMode.bank`.
    let bankedSP: UnsafeMutablePointer<UInt32>
    let bankedLR: UnsafeMutablePointer<UInt32>
    let bankedSPSR: UnsafeMutablePointer<UInt32>
    /// R8–R12 of every mode but FIQ, and FIQ's own, while the other set is in `r`.
    let usrR8to12: UnsafeMutablePointer<UInt32>
    let fiqR8to12: UnsafeMutablePointer<UInt32>
    /// ELR_hyp: the return address of an exception taken to Hyp mode.
    public var elrHyp: UInt32 = 0

    // MARK: CPSR (B1.3.3), kept as separate fields for the interpreter

    public internal(set) var mode: ARMMode = .svc
    var flagN = false, flagZ = false, flagC = false, flagV = false, flagQ = false
    /// GE[3:0] of the parallel add/subtract instructions.
    var flagGE: UInt32 = 0
    /// CPSR.E: big-endian data accesses.
    var cpsrE = false
    var cpsrA = true, cpsrI = true, cpsrF = true

    /// Where the next instruction comes from; execution sets it to the current address + 4
    /// before each instruction.
    var nextPC: UInt32 = 0
    /// The address of the instruction being executed.
    var currentPC: UInt32 = 0

    // MARK: Emulator state

    public internal(set) var runState: CoreRunState = .running
    /// Instructions retired.
    public internal(set) var instructionsRetired: UInt64 = 0
    /// Virtual time: instructions retired plus time spent asleep.
    public internal(set) var time: UInt64 = 0
    /// Set when something outside the current instruction needs looking at before the next
    /// one (interrupt lines changed, interrupts unmasked, halt or exit requested).
    var attention = false
    var irqLine = false
    var fiqLine = false
    /// The GIC's virtual IRQ / FIQ inputs (ARMVirtualInterrupts.swift).
    var virtualIRQLine = false
    var virtualFIQLine = false
    /// The WFE event register (B1.8.13).
    var eventRegister = false
    /// The local exclusive monitor (A3.4.1): the tagged address and size, or none.
    var exclusiveTag: UInt32 = 0
    var exclusiveSize: UInt32 = 0
    var exclusiveOpen = false

    /// CP15 and other system state.
    var cp15: CP15State
    /// The software TLB and translation context (ARMv7/MMU).
    let mmu = ARMMMU()
    /// Accesses of the current mode are translated (its regime's MMU or stage 2 is on): the
    /// loads, stores and fetches leave the physical fast path. Set by `syncMMU`.
    var translates = false
    /// The PL1&0 regime translates (LDRT/STRT from PL1 or Hyp).
    var translatesUser = false
    /// PMCCNTR = virtual time + this offset (set by writes to PMCCNTR).
    var pmuCycleCountOffset: UInt64 = 0

    /// Why the core halted, when it did.
    public internal(set) var haltFinding: Finding?

    init(index: Int, slot: CoreSlot, machine: ARMMachine, ram: PhysicalMemory) {
        self.index = index
        self.slot = slot
        self.features = slot.profile.features
        securityStateWithoutExtensions = !slot.profile.features.virtualization && machine.spec.boot.security == .secure
        self.machine = machine
        self.ram = ram
        self.ramBase = UInt32(truncatingIfNeeded: ram.base)
        self.ramSize = UInt32(truncatingIfNeeded: min(ram.size, 0x1_0000_0000 - ram.base))
        r = .allocate(capacity: 16)
        r.initialize(repeating: 0, count: 16)
        bankedSP = .allocate(capacity: 8)
        bankedSP.initialize(repeating: 0, count: 8)
        bankedLR = .allocate(capacity: 8)
        bankedLR.initialize(repeating: 0, count: 8)
        bankedSPSR = .allocate(capacity: 8)
        bankedSPSR.initialize(repeating: 0, count: 8)
        usrR8to12 = .allocate(capacity: 5)
        usrR8to12.initialize(repeating: 0, count: 5)
        fiqR8to12 = .allocate(capacity: 5)
        fiqR8to12.initialize(repeating: 0, count: 5)
        cp15 = CP15State(slot: slot)
    }

    deinit {
        r.deallocate()
        bankedSP.deallocate()
        bankedLR.deallocate()
        bankedSPSR.deallocate()
        usrR8to12.deallocate()
        fiqR8to12.deallocate()
    }

    // MARK: CPSR as a word

    /// The CPSR value (IT, J and T are always zero: hetboot runs A32 only).
    public var cpsr: UInt32 {
        var v = mode.rawValue
        if flagN { v |= 1 << 31 }
        if flagZ { v |= 1 << 30 }
        if flagC { v |= 1 << 29 }
        if flagV { v |= 1 << 28 }
        if flagQ { v |= 1 << 27 }
        v |= (flagGE & 0xF) << 16
        if cpsrE { v |= 1 << 9 }
        if cpsrA { v |= 1 << 8 }
        if cpsrI { v |= 1 << 7 }
        if cpsrF { v |= 1 << 6 }
        return v
    }

    /// Set the flag bits N Z C V Q from a PSR value.
    @inline(__always)
    func setFlags(fromPSR v: UInt32) {
        flagN = v & (1 << 31) != 0
        flagZ = v & (1 << 30) != 0
        flagC = v & (1 << 29) != 0
        flagV = v & (1 << 28) != 0
        flagQ = v & (1 << 27) != 0
    }

    /// Write the whole CPSR from an exception return (an illegal mode was refused by the
    /// caller). A value that asks for Thumb or Jazelle state halts the core with a finding:
    /// hetboot does not run those states.
    func restoreCPSR(_ v: UInt32) {
        setFlags(fromPSR: v)
        flagGE = (v >> 16) & 0xF
        cpsrE = v & (1 << 9) != 0
        cpsrA = v & (1 << 8) != 0
        cpsrI = v & (1 << 7) != 0
        cpsrF = v & (1 << 6) != 0
        if let m = ARMMode(rawValue: v & 0x1F) { switchMode(to: m) }
        attention = true
        if v & (1 << 5) != 0 || v & (1 << 24) != 0 {
            notSupported("returning to Thumb or Jazelle state (SPSR.T/J = 1)")
        }
    }

    /// The SPSR of the current mode; User and System have none (UNPREDICTABLE: reads 0).
    var spsr: UInt32 {
        get { mode.bank == 0 ? 0 : bankedSPSR[mode.bank] }
        set { if mode.bank != 0 { bankedSPSR[mode.bank] = newValue } }
    }

    // MARK: Modes and banked registers (B1.3.2)

    /// Change mode, swapping the banked registers in and out of `r`.
    func switchMode(to new: ARMMode) {
        let old = mode
        if old == new { return }
        bankedSP[old.bank] = r[13]
        if old != .hyp { bankedLR[old.bank] = r[14] } else { bankedLR[0] = r[14] }
        if old == .fiq && new != .fiq {
            for i in 0..<5 { fiqR8to12[i] = r[8 + i]; r[8 + i] = usrR8to12[i] }
        } else if old != .fiq && new == .fiq {
            for i in 0..<5 { usrR8to12[i] = r[8 + i]; r[8 + i] = fiqR8to12[i] }
        }
        mode = new
        r[13] = bankedSP[new.bank]
        r[14] = new == .hyp ? bankedLR[0] : bankedLR[new.bank]
    }

    /// Read a register of another mode's bank without switching (MRS banked, STM user bank).
    func bankedRegister(_ n: Int, mode m: ARMMode) -> UInt32 {
        if m == mode || (m.bank == mode.bank && n != 14) { return r[n] }
        switch n {
        case 8...12:
            if (m == .fiq) == (mode == .fiq) { return r[n] }
            return m == .fiq ? fiqR8to12[n - 8] : usrR8to12[n - 8]
        case 13:
            return bankedSP[m.bank]
        case 14:
            let bank = m == .hyp ? 0 : m.bank
            let currentBank = mode == .hyp ? 0 : mode.bank
            return bank == currentBank ? r[14] : bankedLR[bank]
        default:
            return r[n]
        }
    }

    /// Write a register of another mode's bank without switching (MSR banked, LDM user bank).
    func setBankedRegister(_ n: Int, mode m: ARMMode, _ value: UInt32) {
        switch n {
        case 8...12:
            if (m == .fiq) == (mode == .fiq) { r[n] = value }
            else if m == .fiq { fiqR8to12[n - 8] = value } else { usrR8to12[n - 8] = value }
        case 13:
            if m.bank == mode.bank { r[13] = value } else { bankedSP[m.bank] = value }
        case 14:
            let bank = m == .hyp ? 0 : m.bank
            let currentBank = mode == .hyp ? 0 : mode.bank
            if bank == currentBank { r[14] = value } else { bankedLR[bank] = value }
        default:
            r[n] = value
        }
    }

    // MARK: Security state

    /// Secure state: Monitor mode, or SCR.NS = 0 (B1.5.1). A core without the Security
    /// Extensions has one security state: Non-secure when it has the Virtualization Extensions
    /// (Hyp mode exists only there), otherwise the one the machine's boot protocol names —
    /// an IMPLEMENTATION DEFINED choice, which QEMU makes Non-secure for `has_el3=false`
    /// (target/arm/cpu.h `arm_is_secure_below_el3`), as virt-arm and vexpress-a15,secure=off say.
    public var isSecure: Bool {
        if !features.security { return securityStateWithoutExtensions }
        return mode == .mon || !cp15.scrNS
    }

    var isPrivileged: Bool { mode != .usr }

    // MARK: Writing the PC (A2.3.1)

    /// B, BL: the target is an ARM-state address.
    @inline(__always)
    func branchWritePC(_ address: UInt32) {
        nextPC = address & ~3
    }

    /// BX, BLX, LDR/LDM/POP to PC, and (in ARMv7, ARM state) ALU writes to the PC:
    /// interworking — bit 0 set selects Thumb state.
    @inline(__always)
    func bxWritePC(_ address: UInt32) {
        if address & 1 != 0 {
            nextPC = address & ~1
            notSupported("interworking branch to Thumb state (target 0x\(hex32(address)))")
            return
        }
        // Bit 1 set with bit 0 clear is UNPREDICTABLE in ARM state; QEMU clears it.
        nextPC = address & ~3
    }

    /// ALUWritePC (A2.3.1): in ARM state an interworking write.
    @inline(__always)
    func aluWritePC(_ address: UInt32) { bxWritePC(address) }

    /// LoadWritePC: interworking.
    @inline(__always)
    func loadWritePC(_ address: UInt32) { bxWritePC(address) }

    /// Write a general register from a data-processing or load result: a write to R15 is an
    /// interworking branch.
    @inline(__always)
    func writeRegister(_ n: UInt8, _ value: UInt32) {
        if n == 15 { aluWritePC(value) } else { r[Int(n)] = value }
    }

    // MARK: Halting with a finding

    /// Stop this core for good: the guest asked for something hetboot does not implement yet.
    /// Never silently wrong: the finding names the instruction and the core.
    func notSupported(_ what: String) {
        guard runState != .halted else { return }
        let f = Finding(kind: .notSupported, cores: [index],
                        summary: "CPU \(index) (\(profile.name)): \(what) at \(machine.symbolize(UInt64(currentPC))) is not supported yet",
                        pc: UInt64(currentPC), mode: mode.name, instructionCount: instructionsRetired)
        haltFinding = f
        runState = .halted
        attention = true
        machine.report(f)
    }
}

@inline(__always)
func hex32(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 8 - s.count)) + s
}
