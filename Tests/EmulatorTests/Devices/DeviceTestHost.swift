import Emulator
import Profiles

/// A `DeviceHost` for device tests: records everything the devices ask of the machine, and
/// lets a test set each core's virtual time.
final class DeviceTestHost: DeviceHost {
    let coreCount: Int
    var time: [UInt64]
    private(set) var irq: [Bool]
    private(set) var fiq: [Bool]
    private(set) var lineChanges: [(cpu: Int, irq: Bool, fiq: Bool)] = []
    private(set) var timerRequests: [(cpu: Int, time: UInt64)] = []
    private(set) var exits: [(code: Int, reason: String)] = []
    private(set) var resets: [String] = []
    private(set) var console: [(byte: UInt8, device: String, cpu: Int)] = []
    /// Events the devices reported, with the CPU each was made on.
    private(set) var events: [(kind: MachineEvent.Kind, cpu: Int)] = []
    /// IPIs a test drops, by target CPU (as an injected `drop-ipi` fault would).
    var droppedIPITargets: Set<Int> = []
    let observed = true

    func emit(_ kind: MachineEvent.Kind, cpu: Int) { events.append((kind, cpu)) }

    func deliverIPI(source: Int, target: Int, interrupt: Int, via: String, deliver: @escaping () -> Void) {
        events.append((.ipiSent(target: target, interrupt: interrupt, via: via), source))
        if !droppedIPITargets.contains(target) { deliver() }
    }

    init(cores: Int) {
        coreCount = cores
        time = [UInt64](repeating: 0, count: cores)
        irq = [Bool](repeating: false, count: cores)
        fiq = [Bool](repeating: false, count: cores)
    }

    func setInterruptLines(cpu: Int, irq: Bool, fiq: Bool) {
        self.irq[cpu] = irq
        self.fiq[cpu] = fiq
        lineChanges.append((cpu, irq, fiq))
    }

    /// The virtual IRQ / FIQ lines, by CPU (unset: never driven).
    var virtualLines: [Int: (irq: Bool, fiq: Bool)] = [:]

    func setVirtualInterruptLines(cpu: Int, irq: Bool, fiq: Bool) {
        virtualLines[cpu] = (irq, fiq)
    }

    /// Lines set through `setInterruptLine`, by CPU then line number.
    var lines: [Int: [Int: Bool]] = [:]
    var lineEvents: [(cpu: Int, line: Int, level: Bool)] = []

    func setInterruptLine(cpu: Int, line: Int, level: Bool) {
        lines[cpu, default: [:]][line] = level
        lineEvents.append((cpu, line, level))
    }

    func virtualTime(cpu: Int) -> UInt64 { time[cpu] }

    func requestTimerEvent(cpu: Int, at time: UInt64) { timerRequests.append((cpu, time)) }

    func requestExit(code: Int, reason: String) { exits.append((code, reason)) }

    func requestReset(reason: String) { resets.append(reason) }

    func consoleOutput(_ byte: UInt8, device: String, cpu: Int) { console.append((byte, device, cpu)) }

    var consoleText: String { String(decoding: console.map(\.byte), as: UTF8.self) }
}

func deviceSpec(_ name: String, kind: String, regions: [MemoryRegion] = [], interrupts: [Int] = [],
                properties: [(String, UInt64)] = []) -> DeviceSpec {
    DeviceSpec(name: name, kind: kind, regions: regions, interrupts: interrupts,
               properties: properties.map { NamedValue(name: $0.0, value: $0.1) })
}

/// Register offsets used by the tests (IHI 0048B tables 4-1 and 4-2).
enum GICD {
    static let ctlr: UInt64 = 0x000, typer: UInt64 = 0x004, iidr: UInt64 = 0x008
    static let igroupr: UInt64 = 0x080, isenabler: UInt64 = 0x100, icenabler: UInt64 = 0x180
    static let ispendr: UInt64 = 0x200, icpendr: UInt64 = 0x280
    static let isactiver: UInt64 = 0x300, icactiver: UInt64 = 0x380
    static let ipriorityr: UInt64 = 0x400, itargetsr: UInt64 = 0x800, icfgr: UInt64 = 0xC00
    static let sgir: UInt64 = 0xF00, cpendsgir: UInt64 = 0xF10, spendsgir: UInt64 = 0xF20
}

enum GICC {
    static let ctlr: UInt64 = 0x00, pmr: UInt64 = 0x04, bpr: UInt64 = 0x08, iar: UInt64 = 0x0C
    static let eoir: UInt64 = 0x10, rpr: UInt64 = 0x14, hppir: UInt64 = 0x18, abpr: UInt64 = 0x1C
    static let aiar: UInt64 = 0x20, aeoir: UInt64 = 0x24, ahppir: UInt64 = 0x28
    static let apr0: UInt64 = 0xD0, iidr: UInt64 = 0xFC, dir: UInt64 = 0x1000
}
