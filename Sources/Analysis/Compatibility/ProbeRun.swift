import Emulator
import Images
import Profiles

/// The host-driven face of the cross-call engine: run a probe image on one core of a fresh
/// machine — that core boots it, every other core is held in reset — and collect what the
/// probe printed as `probe.KEY=VALUE` lines, or, when it never finished, the run's outcome
/// and the hang diagnosis. This is what Linux does with smp_call_function_single(cpu, …), but
/// without any other core able to disturb it, so each core's answer is its own.
public struct ProbeRun: Sendable {
    public var core: Int
    public var profile: String
    /// The probe's `probe.KEY=VALUE` lines, by key.
    public var values: [String: String]
    /// Why the probe was not run on this core (it cannot run the probe's mode), if it was not.
    public var excluded: String?
    public var outcome: RunOutcome?
    public var findings: [Finding]
    /// The probe reached its end (`probe.done`).
    public var completed: Bool { values["done"] != nil }

    public func value(_ key: String) -> String? { values[key] }
    public func hex(_ key: String) -> UInt64? {
        guard let v = values[key] else { return nil }
        return v.hasPrefix("0x") ? UInt64(v.dropFirst(2), radix: 16) : UInt64(v)
    }

    /// The `probe.` lines of a console, in order (later lines win).
    public static func parse(console: String) -> [String: String] {
        var values: [String: String] = [:]
        for raw in console.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            guard raw.hasPrefix("probe."), let eq = raw.firstIndex(of: "=") else { continue }
            values[String(raw[raw.index(raw.startIndex, offsetBy: 6)..<eq])] = String(raw[raw.index(after: eq)...])
        }
        return values
    }

    /// Run `probe` on every core of `spec` in turn. `inject` faults apply to every run (a fault
    /// for core n acts in core n's run).
    public static func runAll(spec: MachineDescription, probe: LoadedImage, inject: [String],
                              maxInstructions: UInt64 = 20_000_000) throws -> [ProbeRun] {
        try spec.cores.indices.map { try run(spec: spec, core: $0, probe: probe, inject: inject, maxInstructions: maxInstructions) }
    }

    public static func run(spec: MachineDescription, core n: Int, probe: LoadedImage, inject: [String],
                           maxInstructions: UInt64) throws -> ProbeRun {
        let profile = spec.cores[n].profile
        if spec.architecture == .rv64 && !profile.features.privilegeModes.contains("s") {
            return ProbeRun(core: n, profile: profile.name, values: [:],
                            excluded: "no S-mode (privilege modes \(profile.features.privilegeModes.joined(separator: ", ").uppercased())): not a hart Linux runs on, the firmware keeps it",
                            outcome: nil, findings: [])
        }
        guard let machine = try makeMachine(spec) as? EmulatedMachine & InspectableMachine & MachineBase else {
            throw MachineError(file: spec.file, message: "machine \(spec.name) cannot be inspected")
        }
        machine.bootCPU = n
        machine.coresHeldInReset = Set(spec.cores.indices.filter { $0 != n })
        let diagnoser = HangDiagnoser(machine: machine)
        machine.attach(diagnoser)
        let faults = try inject.map {
            try FaultInjectionParser.parse($0, architecture: spec.architecture, coreCount: spec.cores.count, symbols: probe.symbols)
        }
        try machine.inject(faults.filter { $0.cpu == n })
        try machine.load(probe)
        var policy = RoundRobin(quantum: 10_000)
        let outcome = machine.run(maxInstructions: maxInstructions, policy: &policy, monitor: diagnoser)
        let result = machine.result(image: probe.path, outcome: outcome)
        return ProbeRun(core: n, profile: profile.name, values: parse(console: String(decoding: result.console, as: UTF8.self)),
                        excluded: nil, outcome: outcome, findings: result.findings)
    }
}
