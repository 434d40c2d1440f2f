import Foundation
import XCTest
import Analysis
import Emulator
import Images
import Profiles

/// The repository root, found by walking up from this file.
func repositoryRoot() throws -> URL {
    var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("cpu-profiles/cores").path) { return url }
        url = url.deletingLastPathComponent()
    }
    throw XCTSkip("the repository (cpu-profiles/) is not found above \(#filePath)")
}

/// Records every event, in order.
final class EventRecorder: EventSink {
    private(set) var events: [MachineEvent] = []
    func record(_ event: MachineEvent) { events.append(event) }
}

/// One run of a shipped image on a shipped machine, with the hang diagnosis attached (as
/// `hetboot run` does) and optionally a recorder and injected faults.
struct DiagnosedRun {
    var machine: EmulatedMachine & InspectableMachine
    var outcome: RunOutcome
    var result: RunResult
    var events: [MachineEvent]

    init(image: String, machine name: String, smp: Int? = nil, bios: String? = nil, inject: [String] = [],
         maxInstructions: UInt64 = 50_000_000, diagnose: Bool = true) throws {
        let root = try repositoryRoot()
        let store = try ProfileStore(directory: root.appendingPathComponent("cpu-profiles").path)
        let spec = try store.machine(name, smp: smp, bios: bios)
        guard let m = try makeMachine(spec) as? EmulatedMachine & InspectableMachine else {
            throw XCTSkip("machine \(name) is not inspectable")
        }
        // Sinks and faults first (loading starts the cores), with the image's symbols for stall-at.
        let recorder = EventRecorder()
        m.attach(recorder)
        var monitor: HangDiagnoser?
        if diagnose {
            let d = HangDiagnoser(machine: m)
            m.attach(d)
            monitor = d
        }
        let loaded = try ImageLoader.load(path: root.appendingPathComponent(image).path)
        try m.inject(inject.map {
            try FaultInjectionParser.parse($0, architecture: spec.architecture, coreCount: spec.cores.count, symbols: loaded.symbols)
        })
        try m.load(loaded)
        var policy = RoundRobin(quantum: 10_000)
        outcome = m.run(maxInstructions: maxInstructions, policy: &policy, monitor: monitor)
        result = m.result(image: image, outcome: outcome)
        machine = m
        events = recorder.events
    }

    func findings(_ kind: Finding.Kind) -> [Finding] { result.findings.filter { $0.kind == kind } }
}
