/// A fault the user asked hetboot to inject (`--inject`): silicon or firmware behaviour we
/// cannot model, reproduced only on request and listed in every report (DESIGN principle 7).
public struct FaultInjection: Sendable, Equatable, CustomStringConvertible {
    public enum Action: Sendable, Equatable {
        /// Stall when the core writes `register` — any write when `mask` is 0, else a write
        /// whose field `mask` is non-zero (or equals `value`, shifted into the field, when
        /// given). The write is not performed: the core stops on the instruction.
        case stallOnWrite(register: String, field: String?, mask: UInt64, value: UInt64?)
        /// Stall when the core is about to execute the instruction at `address`.
        case stallAt(address: UInt64)
        /// Stall once the core has retired `instructions` instructions.
        case stallAfter(instructions: UInt64)
        /// IPIs sent to the core are lost.
        case dropIPIs
        /// IPIs sent to the core become pending only `instructions` later (its virtual time).
        case delayIPIs(instructions: UInt64)
        /// The core is never started: boot, PSCI CPU_ON and SBI HSM leave it off.
        case holdInReset
    }

    public var cpu: Int
    public var action: Action
    /// As the user wrote it, for reports.
    public var text: String

    public init(cpu: Int, action: Action, text: String) {
        self.cpu = cpu
        self.action = action
        self.text = text
    }

    public var description: String { text }

    /// Whether a write of `new` to `register` (named as the architecture names it) triggers
    /// this injection.
    func stallsWrite(register name: String, new: UInt64) -> Bool {
        guard case .stallOnWrite(let register, _, let mask, let value) = action,
              register.lowercased() == name.lowercased() else { return false }
        if mask == 0 { return true }
        if let value { return new & mask == value }
        return new & mask != 0
    }
}
