import Profiles

/// The RISC-V platform devices of one machine, built from its `DeviceSpec`s.
public final class RISCVPlatform {
    /// The CLINT / ACLINT MSWI + MTIMER: the `time` CSR and the timer events go through it.
    public let aclint: ACLINT?
    public let sswi: ACLINTSSWI?
    public let plic: PLIC?
    public let uarts: [NS16550A]
    public let sifiveUARTs: [SiFiveUART]
    public let testFinisher: SiFiveTest?
    /// Every MMIO window to map, in the machine file's device order.
    public let mmio: [(region: MemoryRegion, device: MMIODevice)]

    init(aclint: ACLINT?, sswi: ACLINTSSWI?, plic: PLIC?, uarts: [NS16550A], sifiveUARTs: [SiFiveUART],
         testFinisher: SiFiveTest?, mmio: [(region: MemoryRegion, device: MMIODevice)]) {
        self.aclint = aclint
        self.sswi = sswi
        self.plic = plic
        self.uarts = uarts
        self.sifiveUARTs = sifiveUARTs
        self.testFinisher = testFinisher
        self.mmio = mmio
    }

    /// The machine calls this when a deadline requested through `requestTimerEvent` on core
    /// `cpu` is reached.
    public func timerEvent(cpu: Int) {
        aclint?.timerEvent(cpu: cpu)
    }
}

/// Builds the RISC-V device models from a machine description. Kinds:
///
/// - `clint`: the SiFive CLINT window (MSWI at +0, MTIMER at +0x4000); one region of at least
///   0xC000 bytes; property `timebase` (Hz, default 10 MHz) = what software is told MTIME runs at.
/// - `aclint-mswi`, `aclint-mtimer`: the same two parts mapped separately (QEMU `aclint=on`); the
///   timer takes `timebase`. A machine has either a `clint` or these.
/// - `aclint-sswi`: SETSSIP registers; one region.
/// - `plic`: one region reaching the last context's claim register; property `sources` (N, the
///   highest source ID, 1–1023; required), `max-priority` (default 7) or `priority-bits` (1–32,
///   max-priority = 2^bits − 1; both may be given if they agree). Its contexts come
///   from the harts: an M context per hart, then an S context if the hart's profile lists
///   privilege mode "s".
/// - `ns16550a`, `sifive-uart`: one region; `interrupts = [source]`, optional, a PLIC source.
/// - `sifive-test`: one region.
///
/// Harts are the machine's cores in logical order. The devices hold `host` unowned (the machine
/// owns them and is usually the host): the host must outlive the platform. `build` drives the
/// reset levels of the devices' outputs (every hart's MTIP is high at reset) into the host, so
/// the host's cores must exist when it is called.
public enum RISCVPlatformDevices {
    public static let kinds = ["clint", "aclint-mswi", "aclint-mtimer", "aclint-sswi", "plic",
                               "ns16550a", "sifive-test", "sifive-uart"]
    /// Kinds a machine has at most one of.
    static let singletons: Set<String> = ["clint", "aclint-mswi", "aclint-mtimer", "aclint-sswi", "plic",
                                          "sifive-test"]

    public static func build(machine: MachineDescription, host: DeviceHost) throws -> RISCVPlatform {
        func failure(_ spec: DeviceSpec, _ message: String) -> DeviceError {
            DeviceError(file: machine.file, device: spec.name, message: message)
        }
        let harts = machine.cores.count

        // Kinds, singletons and sizes first, so that errors come in file order.
        var seen: [String: String] = [:]
        for spec in machine.devices {
            guard kinds.contains(spec.kind) else {
                throw failure(spec, "unknown kind '\(spec.kind)' (expected one of \(kinds.joined(separator: ", ")))")
            }
            for region in spec.regions where region.size == 0 {
                throw failure(spec, "region '\(region.name)' has size 0")
            }
            if singletons.contains(spec.kind) {
                if let first = seen[spec.kind] {
                    throw failure(spec, "a second '\(spec.kind)' device (the machine already has '\(first)')")
                }
                seen[spec.kind] = spec.name
            }
            if spec.kind == "aclint-mswi" || spec.kind == "aclint-mtimer", let clint = seen["clint"] {
                throw failure(spec, "an '\(spec.kind)' next to the clint '\(clint)' (a clint already holds the MSWI and MTIMER)")
            }
            if spec.kind == "clint", let part = seen["aclint-mswi"] ?? seen["aclint-mtimer"] {
                throw failure(spec, "a clint next to '\(part)' (a clint already holds the MSWI and MTIMER)")
            }
            if spec.kind != "ns16550a" && spec.kind != "sifive-uart" && !spec.interrupts.isEmpty {
                throw failure(spec, "a \(spec.kind) takes no 'interrupts' (only the UARTs name a PLIC source)")
            }
        }

        // The PLIC first: the UARTs wire their interrupts into it.
        var plic: PLIC?
        if let spec = machine.device(kind: "plic") {
            plic = try buildPLIC(spec, machine: machine, host: host, failure: failure)
        }
        let aclint = try buildACLINT(machine: machine, host: host, failure: failure)

        var sswi: ACLINTSSWI?
        var uarts: [NS16550A] = []
        var sifiveUARTs: [SiFiveUART] = []
        var testFinisher: SiFiveTest?
        var mmio: [(region: MemoryRegion, device: MMIODevice)] = []

        for spec in machine.devices {
            switch spec.kind {
            case "clint":
                guard let aclint else { continue }
                mmio.append((try singleRegion(spec, minimumSize: ACLINT.minimumWindowSize, failure: failure), aclint))
            case "aclint-mswi":
                guard let aclint else { continue }
                let size = UInt64(max(harts, 1)) * 4
                mmio.append((try singleRegion(spec, minimumSize: size, failure: failure), aclint.mswi))
            case "aclint-mtimer":
                guard let aclint else { continue }
                mmio.append((try singleRegion(spec, minimumSize: ACLINTMTimer.windowSize, failure: failure), aclint.mtimer))
            case "aclint-sswi":
                let region = try singleRegion(spec, minimumSize: UInt64(max(harts, 1)) * 4, failure: failure)
                try checkHarts(spec, harts, maximum: ACLINTSSWI.maxHarts, failure: failure)
                let device = ACLINTSSWI(name: spec.name, hartCount: harts, host: host)
                sswi = device
                mmio.append((region, device))
            case "plic":
                guard let plic else { continue }
                let needed = PLIC.contextBase + UInt64(plic.contexts.count) * PLIC.contextStride
                mmio.append((try singleRegion(spec, minimumSize: needed, failure: failure), plic))
            case "ns16550a":
                let region = try singleRegion(spec, minimumSize: NS16550A.windowSize, failure: failure)
                try checkInterrupt(spec, plic: plic, failure: failure)
                let uart = NS16550A(spec: spec, plic: plic, host: host)
                uarts.append(uart)
                mmio.append((region, uart))
            case "sifive-uart":
                let region = try singleRegion(spec, minimumSize: SiFiveUART.divOffset + 4, failure: failure)
                try checkInterrupt(spec, plic: plic, failure: failure)
                let uart = SiFiveUART(spec: spec, plic: plic, host: host)
                sifiveUARTs.append(uart)
                mmio.append((region, uart))
            case "sifive-test":
                let region = try singleRegion(spec, minimumSize: 4, failure: failure)
                let finisher = SiFiveTest(name: spec.name, host: host)
                testFinisher = finisher
                mmio.append((region, finisher))
            default:
                continue
            }
        }
        // Outputs that are asserted at reset (MTIP: MTIME 0 ≥ MTIMECMP 0) go to the cores now.
        aclint?.driveResetState()
        return RISCVPlatform(aclint: aclint, sswi: sswi, plic: plic, uarts: uarts, sifiveUARTs: sifiveUARTs,
                             testFinisher: testFinisher, mmio: mmio)
    }

    static func buildPLIC(_ spec: DeviceSpec, machine: MachineDescription, host: DeviceHost,
                          failure: (DeviceSpec, String) -> DeviceError) throws -> PLIC {
        guard let sources = spec.property("sources") else {
            throw failure(spec, "property 'sources' is required (the highest source ID, 1–\(PLIC.maxSources))")
        }
        guard sources >= 1, sources <= UInt64(PLIC.maxSources) else {
            throw failure(spec, "property 'sources' = \(sources): expected 1–\(PLIC.maxSources)")
        }
        if let bits = spec.property("priority-bits"), !(1...32).contains(bits) {
            throw failure(spec, "property 'priority-bits' = \(bits): expected 1–32")
        }
        if let maximum = spec.property("max-priority"), !(1...UInt64(UInt32.max)).contains(maximum) {
            throw failure(spec, "property 'max-priority' = \(maximum): expected 1–\(UInt32.max)")
        }
        if let bits = spec.property("priority-bits"), let maximum = spec.property("max-priority"),
           maximum != (UInt64(1) << bits) - 1 {
            throw failure(spec, "properties 'max-priority' = \(maximum) and 'priority-bits' = \(bits) disagree "
                                + "(\(bits) bits hold priorities up to \((UInt64(1) << bits) - 1))")
        }
        let supervisor = machine.cores.map { core in
            core.profile.features.privilegeModes.contains { $0.lowercased() == "s" }
        }
        let contexts = PLIC.contexts(hartHasSupervisor: supervisor)
        guard !contexts.isEmpty, contexts.count <= PLIC.maxContexts else {
            throw failure(spec, "the harts give \(contexts.count) PLIC contexts: expected 1–\(PLIC.maxContexts)")
        }
        return PLIC(spec: spec, contexts: contexts, host: host)
    }

    /// The CLINT, or the ACLINT built from separate `aclint-mswi` / `aclint-mtimer` devices.
    static func buildACLINT(machine: MachineDescription, host: DeviceHost,
                            failure: (DeviceSpec, String) -> DeviceError) throws -> ACLINT? {
        let clint = machine.device(kind: "clint")
        let mswiSpec = machine.device(kind: "aclint-mswi")
        let mtimerSpec = machine.device(kind: "aclint-mtimer")
        guard let first = clint ?? mswiSpec ?? mtimerSpec else { return nil }
        let harts = machine.cores.count
        for spec in [clint, mswiSpec, mtimerSpec].compactMap({ $0 }) {
            try checkHarts(spec, harts, maximum: ACLINTMTimer.maxHarts, failure: failure)
        }
        if let timerSpec = clint ?? mtimerSpec, timerSpec.property("timebase") == 0 {
            throw failure(timerSpec, "property 'timebase' must be at least 1 (Hz)")
        }
        if let clint {
            return ACLINT(spec: clint, hartCount: harts, host: host)
        }
        // Split parts: each is named after its own device; a part the file does not list is
        // still built (so `mtime` and the timer events work) but is not on the bus.
        let timebase = mtimerSpec?.property("timebase") ?? ACLINTMTimer.defaultTimebaseFrequency
        let mswi = ACLINTMSWI(name: (mswiSpec ?? first).name, hartCount: harts, host: host)
        let mtimer = ACLINTMTimer(name: (mtimerSpec ?? first).name, hartCount: harts,
                                  timebaseFrequency: timebase, host: host)
        return ACLINT(name: (mtimerSpec ?? first).name, mswi: mswi, mtimer: mtimer)
    }

    static func checkHarts(_ spec: DeviceSpec, _ harts: Int, maximum: Int,
                           failure: (DeviceSpec, String) -> DeviceError) throws {
        guard harts >= 1, harts <= maximum else {
            throw failure(spec, "a \(spec.kind) serves 1–\(maximum) harts, the machine has \(harts)")
        }
    }

    static func checkInterrupt(_ spec: DeviceSpec, plic: PLIC?,
                               failure: (DeviceSpec, String) -> DeviceError) throws {
        guard spec.interrupts.count <= 1 else {
            throw failure(spec, "a \(spec.kind) has one interrupt, got \(spec.interrupts.count)")
        }
        guard let id = spec.interrupts.first else { return }
        guard let plic else { throw failure(spec, "interrupt \(id) given but the machine has no plic") }
        guard id >= 1, id <= plic.sourceCount else {
            throw failure(spec, "interrupt \(id) is not a source of the PLIC (1–\(plic.sourceCount))")
        }
    }

    static func singleRegion(_ spec: DeviceSpec, minimumSize: UInt64,
                             failure: (DeviceSpec, String) -> DeviceError) throws -> MemoryRegion {
        guard spec.regions.count == 1, let region = spec.regions.first else {
            throw failure(spec, "a \(spec.kind) has exactly one region, got \(spec.regions.count)")
        }
        guard region.size >= minimumSize else {
            throw failure(spec, "region '\(region.name)' is 0x\(String(region.size, radix: 16)) bytes; "
                                + "a \(spec.kind) needs at least 0x\(String(minimumSize, radix: 16))")
        }
        return region
    }
}
