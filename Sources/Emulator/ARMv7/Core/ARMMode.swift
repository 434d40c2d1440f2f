/// ARMv7-A processor modes, by their CPSR.M encoding (ARM ARM B1.3.1, table B1-1).
public enum ARMMode: UInt32, CaseIterable, Sendable {
    case usr = 0x10
    case fiq = 0x11
    case irq = 0x12
    case svc = 0x13
    case mon = 0x16
    case abt = 0x17
    case hyp = 0x1A
    case und = 0x1B
    case sys = 0x1F

    /// The name reports print (as Linux and the ARM ARM spell them).
    public var name: String {
        switch self {
        case .usr: "USR"
        case .fiq: "FIQ"
        case .irq: "IRQ"
        case .svc: "SVC"
        case .mon: "MON"
        case .abt: "ABT"
        case .hyp: "HYP"
        case .und: "UND"
        case .sys: "SYS"
        }
    }

    /// Privilege level: PL0 (User), PL2 (Hyp), PL1 (the rest).
    public var privilegeLevel: Int {
        switch self {
        case .usr: 0
        case .hyp: 2
        default: 1
        }
    }

    /// Which bank of R13/R14/SPSR the mode uses (B1.3.2): User and System share one; Hyp has
    /// its own SP and SPSR but uses the User LR (and ELR_hyp for returns).
    var bank: Int {
        switch self {
        case .usr, .sys: 0
        case .fiq: 1
        case .irq: 2
        case .svc: 3
        case .abt: 4
        case .und: 5
        case .mon: 6
        case .hyp: 7
        }
    }
}
