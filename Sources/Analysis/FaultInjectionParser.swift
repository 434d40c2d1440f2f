import Emulator
import Images
import Profiles

/// The `--inject` grammar, one fault per flag:
///
///     TARGET:ACTION
///     TARGET  = cpuN | hartN                    the core (its index in the machine)
///     ACTION  = stall-on-write=REG              stall when the core writes REG
///             | stall-on-write=REG.FIELD        … writes REG with FIELD non-zero (sets it)
///             | stall-on-write=REG.FIELD=VALUE  … writes REG with FIELD = VALUE
///             | stall-after=N                   stall once it has retired N instructions
///             | stall-at=SYMBOL[+OFFSET]        stall when it reaches that instruction
///             | stall-at=ADDRESS                … or that address (0x…)
///             | drop-ipi                        IPIs sent to it are lost
///             | delay-ipi=N                     … become pending N of its instructions later
///             | hold-in-reset                   it is never started
///
/// REG is a CP15 register (SCTLR, HSCTLR, HCR, TTBR0 …) on ARM, a CSR (satp, hgatp, sstatus …)
/// on RISC-V; FIELD is the architecture's field name (HSCTLR.M, hgatp.MODE).
public enum FaultInjectionParser {
    public static let grammar = "TARGET:ACTION with TARGET cpuN or hartN and ACTION stall-on-write=REG[.FIELD[=VALUE]], stall-after=N, stall-at=SYMBOL[+OFFSET]|ADDRESS, drop-ipi, delay-ipi=N or hold-in-reset"

    /// `symbols` resolves `stall-at` symbols (the loaded image's table).
    public static func parse(_ text: String, architecture: Architecture, coreCount: Int,
                             symbols: SymbolTable? = nil) throws -> FaultInjection {
        func fail(_ why: String) -> CPUListError {
            CPUListError("--inject '\(text)': \(why)")
        }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw fail("expected \(grammar), e.g. cpu2:stall-on-write=HSCTLR.M") }
        let target = parts[0].lowercased()
        let number = target.hasPrefix("cpu") ? target.dropFirst(3) : (target.hasPrefix("hart") ? target.dropFirst(4) : "")
        guard let cpu = Int(number), cpu >= 0 else { throw fail("'\(parts[0])' is not a target (expected cpuN or hartN)") }
        guard cpu < coreCount else { throw fail("the machine has no CPU \(cpu) (it has CPUs 0-\(coreCount - 1))") }
        let action = parts[1]
        let pieces = action.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let verb = String(pieces[0]), argument = pieces.count > 1 ? String(pieces[1]) : nil
        switch (verb, argument) {
        case ("stall-on-write", let spec?):
            let fieldSplit = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let names = fieldSplit[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let known = SystemRegisterFields.registerNames(architecture: architecture)
            guard let register = known.first(where: { $0.lowercased() == names[0].lowercased() }) else {
                throw fail("no register '\(names[0])' on \(architecture.rawValue) cores (e.g. \(architecture == .armv7a ? "HSCTLR, SCTLR, HCR" : "satp, hgatp, sstatus"))")
            }
            var field: String?, mask: UInt64 = 0, value: UInt64?
            if names.count == 2 {
                guard let m = SystemRegisterFields.mask(register: register, field: names[1], architecture: architecture) else {
                    let fields = SystemRegisterFields.fields(register: register, architecture: architecture)
                    throw fail("\(register) has no field '\(names[1])'" + (fields.isEmpty ? " hetboot knows" : " (fields: \(fields.joined(separator: ", ")))"))
                }
                field = names[1]
                mask = m
            }
            if fieldSplit.count == 2 {
                guard names.count == 2 else { throw fail("a value needs a field: REG.FIELD=VALUE") }
                guard let v = parseNumber(String(fieldSplit[1])) else { throw fail("'\(fieldSplit[1])' is not a number") }
                let shifted = v << UInt64(mask.trailingZeroBitCount)
                guard shifted & ~mask == 0, shifted >> UInt64(mask.trailingZeroBitCount) == v else {
                    throw fail("\(v) does not fit in \(register).\(names[1])")
                }
                value = shifted
            }
            return FaultInjection(cpu: cpu, action: .stallOnWrite(register: register, field: field, mask: mask, value: value), text: text)
        case ("stall-after", let n?):
            guard let count = parseNumber(n), count > 0 else { throw fail("'\(n)' is not a positive instruction count") }
            return FaultInjection(cpu: cpu, action: .stallAfter(instructions: count), text: text)
        case ("stall-at", let location?):
            if let address = parseNumber(location), location.lowercased().hasPrefix("0x") {
                return FaultInjection(cpu: cpu, action: .stallAt(address: address), text: text)
            }
            let symbolParts = location.split(separator: "+", maxSplits: 1).map(String.init)
            guard let name = symbolParts.first, !name.isEmpty else { throw fail("stall-at needs a symbol or an address") }
            guard let base = symbols?.address(of: name) else {
                throw fail("the image has no symbol '\(name)' (give an address as 0x… instead)")
            }
            var offset: UInt64 = 0
            if symbolParts.count == 2 {
                guard let o = parseNumber(symbolParts[1]) else { throw fail("'\(symbolParts[1])' is not an offset") }
                offset = o
            }
            return FaultInjection(cpu: cpu, action: .stallAt(address: base &+ offset), text: text)
        case ("delay-ipi", let n?):
            guard let count = parseNumber(n), count > 0 else { throw fail("'\(n)' is not a positive instruction count") }
            return FaultInjection(cpu: cpu, action: .delayIPIs(instructions: count), text: text)
        case ("drop-ipi", nil):
            return FaultInjection(cpu: cpu, action: .dropIPIs, text: text)
        case ("hold-in-reset", nil):
            return FaultInjection(cpu: cpu, action: .holdInReset, text: text)
        default:
            throw fail("unknown action '\(action)' (expected stall-on-write=REG[.FIELD[=VALUE]], stall-after=N, stall-at=SYMBOL[+OFFSET]|ADDRESS, drop-ipi, delay-ipi=N or hold-in-reset)")
        }
    }

    static func parseNumber(_ s: String) -> UInt64? {
        let t = String(s.filter { $0 != "_" })
        if t.lowercased().hasPrefix("0x") { return UInt64(t.dropFirst(2), radix: 16) }
        return UInt64(t)
    }
}
