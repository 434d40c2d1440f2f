/// One thing that happened in a run, as the cores and devices report it to sinks: what a
/// checker needs to follow the guest's cross-calls and explain a hang. Events are made only
/// when a sink is attached (`MachineBase.attach`); they come from the cold paths (exception
/// entry, system-register writes, the interrupt controller, firmware calls, devices), never from
/// the per-instruction path.
public struct MachineEvent: Sendable, Equatable {
    /// The core it happened on, or that caused it (the writer of an MMIO register).
    public var core: Int
    /// That core's virtual time: instructions retired plus time asleep.
    public var time: UInt64
    /// The address of the instruction that caused it (for an interrupt: where the core was).
    public var pc: UInt64
    public var kind: Kind

    public init(core: Int, time: UInt64, pc: UInt64, kind: Kind) {
        self.core = core
        self.time = time
        self.pc = pc
        self.kind = kind
    }

    public enum Kind: Sendable, Equatable {
        /// An exception or interrupt was taken.
        case exceptionTaken(ExceptionEntry)
        /// An exception return (ERET, SUBS PC, LR, RFE; mret, sret) to `mode` at `address`.
        case exceptionReturn(mode: String, address: UInt64)
        /// The mode changed by an instruction that is not an exception entry or return (CPS,
        /// MSR CPSR_c).
        case modeChange(from: String, to: String)
        /// A system register (CP15, CPSR, or a RISC-V CSR) was written: the value before and
        /// after (the register's own rules applied).
        case systemRegisterWrite(register: String, old: UInt64, new: UInt64)
        /// An inter-processor interrupt was sent to `target` through `via` (GICD_SGIR, ACLINT
        /// MSWI/SSWI, SBI IPI); `interrupt` is the architecture's number (SGI ID, `mip` bit).
        case ipiSent(target: Int, interrupt: Int, via: String)
        /// An IPI became pending on this core (sent by `source`).
        case ipiPending(source: Int, interrupt: Int)
        /// This core took (acknowledged) an IPI.
        case ipiTaken(source: Int?, interrupt: Int)
        /// An IPI to this core was dropped or delayed by an injected fault.
        case ipiInjected(source: Int, interrupt: Int, action: String)
        /// The core went to sleep (WFI, WFE) or woke up.
        case sleep(String)
        case wake
        /// A byte written to a console.
        case consoleByte(UInt8)
        /// A device register access.
        case mmio(device: String, address: UInt64, size: Int, value: UInt64, write: Bool)
        /// A firmware call (PSCI, SBI): interface, function, first arguments, result.
        case firmwareCall(interface: String, function: String, arguments: [UInt64], result: Int64)
        /// An injected fault acted on this core (`--inject`).
        case injectedFault(String)
    }
}

/// An exception as it was taken: which, from where to where, and the syndrome the handler sees.
public struct ExceptionEntry: Sendable, Equatable {
    /// "prefetch abort", "IRQ", "illegal instruction", "supervisor software interrupt" …
    public var name: String
    public var fromMode: String
    public var toMode: String
    /// Where the handler starts.
    public var vector: UInt64
    /// Syndrome registers as the handler reads them, e.g. [("HSR", …), ("HIFAR", …)].
    public var syndrome: [SyndromeValue]

    public init(name: String, fromMode: String, toMode: String, vector: UInt64, syndrome: [SyndromeValue]) {
        self.name = name
        self.fromMode = fromMode
        self.toMode = toMode
        self.vector = vector
        self.syndrome = syndrome
    }
}

public struct SyndromeValue: Sendable, Equatable {
    public var register: String
    public var value: UInt64
    public init(_ register: String, _ value: UInt64) {
        self.register = register
        self.value = value
    }
}

/// Something that receives a run's events: a checker, a trace writer.
public protocol EventSink: AnyObject {
    func record(_ event: MachineEvent)
}
