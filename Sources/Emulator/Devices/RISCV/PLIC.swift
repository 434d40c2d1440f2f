import Profiles

/// The RISC-V Platform-Level Interrupt Controller (RISC-V PLIC spec v1.0.0; the SiFive PLIC of
/// QEMU's `virt` and of the FU740): sources 1…N, each with a gateway and a priority, and a list
/// of contexts (a privilege mode of a hart), each with its enables, a priority threshold and a
/// claim/complete register.
///
/// Memory map (spec chapter "Memory Map"): priority[i] at +4·i; pending bits at +0x1000
/// (read-only); enables of context c at +0x2000 + 0x80·c; threshold of context c at
/// +0x200000 + 0x1000·c, claim/complete at +4 from it. Registers are 32 bits wide and accessed
/// with 32-bit loads and stores only (spec; QEMU accepts 4-byte accesses only): other widths
/// and unaligned accesses are refused. Offsets that hold no register read zero and ignore writes;
/// writes to the pending bits are ignored (they are read-only).
///
/// Contexts: QEMU numbers them by walking the harts in order and giving each hart an M context,
/// then an S context if the hart has S-mode (`riscv_plic_hart_config_string` in hw/riscv/boot.c:
/// "MS" per hart with the S extension, "M" otherwise). On `virt` with all harts S-capable that
/// is context 2h = hart h M, 2h+1 = hart h S; on the FU740 (hart 0 an S7 without S-mode) it is
/// context 0 = hart 0 M, then 1 / 2 = hart 1 M / S, and so on (QEMU's sifive_u: "M,MS,MS,…").
/// A context drives its hart's `mip.MEIP` (line 11) or `mip.SEIP` (line 9).
///
/// Gateways are level-triggered (spec "Interrupt Gateways"): a source whose wire is high and
/// which is not in service sets its pending bit; a claim clears the pending bit and puts the
/// source in service; the completion takes it out of service, and if the wire is still high a
/// new request is pending at once. A request that has reached the pending bit stays there if
/// the wire drops before the claim (the spec: the gateway cannot retract a request; QEMU instead
/// clears the pending bit when the level drops — we follow the spec).
///
/// A context's notification (EIP) is: the highest priority among its pending and enabled
/// sources exceeds its threshold. A claim returns the highest-priority pending enabled source,
/// the lowest ID among equal priorities, or 0 when there is none; priority 0 means "never
/// interrupt" and is never claimed. The claim is not affected by the threshold (spec "Interrupt
/// Claim Process"; QEMU applies the threshold to claims — we follow the spec). A completion
/// naming a source that is not enabled for the context is ignored (spec "Interrupt Completion").
///
/// Priorities and thresholds range over 0…`maxPriority` (QEMU virt and the FU740: 7). When
/// maxPriority + 1 is a power of two the registers are WARL with that many implemented bits (the
/// spec's rule): a write keeps the low bits. Otherwise, as in QEMU, a write above maxPriority is
/// ignored.
public final class PLIC: MMIODevice {
    public enum Mode: Sendable, Equatable {
        case machine, supervisor

        /// The `mip` bit this mode's external interrupt drives: MEIP 11, SEIP 9.
        public var interruptLine: Int { self == .machine ? 11 : 9 }
    }

    /// An interrupt target: a privilege mode of a hart.
    public struct Context: Sendable, Equatable {
        public var hart: Int
        public var mode: Mode
        public init(hart: Int, mode: Mode) {
            self.hart = hart
            self.mode = mode
        }
    }

    public let name: String
    /// N: the sources are IDs 1…N (a machine file's `sources`, the device tree's `riscv,ndev`).
    public let sourceCount: Int
    /// The highest priority (and threshold) a register holds.
    public let maxPriority: UInt32
    public let contexts: [Context]
    unowned let host: DeviceHost

    /// 32-bit words of a per-source bit array (ID 0 included).
    let words: Int
    /// The implemented bits of each word: IDs 1…N.
    let sourceMask: [UInt32]
    /// Indexed by source ID; entry 0 stays 0.
    var priority: [UInt32]
    var pending: [UInt32]
    /// Sources claimed and not yet completed: their gateway forwards no new request.
    var inService: [UInt32]
    /// The level on each source's wire.
    var inputLevel: [UInt32]
    /// `contexts.count` × `words`.
    var enable: [UInt32]
    var threshold: [UInt32]
    /// The level last driven into each context's MEIP/SEIP.
    var outputLevel: [Bool]

    public static let maxSources = 1023
    public static let maxContexts = 15872
    /// QEMU virt's VIRT_IRQCHIP_NUM_PRIO_BITS = 3: priorities 1–7.
    public static let defaultMaxPriority: UInt32 = 7
    static let pendingBase: UInt64 = 0x1000
    static let enableBase: UInt64 = 0x2000
    static let enableStride: UInt64 = 0x80
    static let contextBase: UInt64 = 0x20_0000
    static let contextStride: UInt64 = 0x1000

    /// The contexts of harts in order, each with an M context and, if it has S-mode, an S
    /// context after it (QEMU's hart-config "M" / "MS").
    public static func contexts(hartHasSupervisor: [Bool]) -> [Context] {
        var list: [Context] = []
        for (hart, hasSupervisor) in hartHasSupervisor.enumerated() {
            list.append(Context(hart: hart, mode: .machine))
            if hasSupervisor { list.append(Context(hart: hart, mode: .supervisor)) }
        }
        return list
    }

    /// - Parameters:
    ///   - spec: property `sources` = N (clamped to 1–1023; `RISCVPlatformDevices` rejects a value
    ///     outside); `max-priority` (QEMU's num-priorities) or `priority-bits` (max-priority =
    ///     2^bits − 1, bits clamped to 1–32); default 7.
    ///   - hartHasSupervisor: per hart in logical order, whether it has S-mode.
    public convenience init(spec: DeviceSpec, hartHasSupervisor: [Bool], host: DeviceHost) {
        self.init(spec: spec, contexts: PLIC.contexts(hartHasSupervisor: hartHasSupervisor), host: host)
    }

    public init(spec: DeviceSpec, contexts: [Context], host: DeviceHost) {
        name = spec.name
        self.host = host
        let sources = min(max(spec.property("sources") ?? UInt64(PLIC.maxSources), 1), UInt64(PLIC.maxSources))
        sourceCount = Int(sources)
        maxPriority = PLIC.maxPriority(spec)
        self.contexts = Array(contexts.prefix(PLIC.maxContexts))

        words = (sourceCount + 1 + 31) / 32
        var mask = [UInt32](repeating: 0, count: words)
        for id in 1...sourceCount {
            mask[id >> 5] |= 1 << UInt32(id & 31)
        }
        sourceMask = mask
        priority = [UInt32](repeating: 0, count: sourceCount + 1)
        pending = [UInt32](repeating: 0, count: words)
        inService = [UInt32](repeating: 0, count: words)
        inputLevel = [UInt32](repeating: 0, count: words)
        enable = [UInt32](repeating: 0, count: self.contexts.count * words)
        threshold = [UInt32](repeating: 0, count: self.contexts.count)
        outputLevel = [Bool](repeating: false, count: self.contexts.count)
    }

    /// The highest priority `spec` gives: `max-priority`, else 2^`priority-bits` − 1, else 7;
    /// clamped to 1…UInt32.max.
    public static func maxPriority(_ spec: DeviceSpec) -> UInt32 {
        if let value = spec.property("max-priority") {
            return UInt32(min(max(value, 1), UInt64(UInt32.max)))
        }
        if let bits = spec.property("priority-bits") {
            return UInt32(truncatingIfNeeded: (UInt64(1) << min(max(bits, 1), 32)) - 1)
        }
        return defaultMaxPriority
    }

    /// The value a priority or threshold register holds after `value` is written over `old`.
    func legalPriority(_ value: UInt32, old: UInt32) -> UInt32 {
        if maxPriority & (maxPriority &+ 1) == 0 { return value & maxPriority }
        return value <= maxPriority ? value : old
    }

    // MARK: Sources

    /// Drive the wire of source `id` (1…N; other IDs are ignored).
    public func setSource(_ id: Int, level: Bool) {
        guard id >= 1, id <= sourceCount else { return }
        let word = id >> 5
        let bit: UInt32 = 1 << UInt32(id & 31)
        if level {
            inputLevel[word] |= bit
        } else {
            inputLevel[word] &= ~bit
        }
        // The gateway forwards a request while the wire is high, unless one is already pending
        // or the previous one is still in service.
        guard level, pending[word] & bit == 0, inService[word] & bit == 0 else { return }
        pending[word] |= bit
        update()
    }

    /// The pending bit of source `id`.
    public func isPending(_ id: Int) -> Bool {
        guard id >= 1, id <= sourceCount else { return false }
        return pending[id >> 5] & (1 << UInt32(id & 31)) != 0
    }

    // MARK: MMIO

    public func read(offset: UInt64, size: Int, cpu: Int) -> UInt64? {
        guard size == 4, offset & 3 == 0 else { return nil }
        if offset < PLIC.pendingBase {
            let id = offset >> 2
            return id >= 1 && id <= UInt64(sourceCount) ? UInt64(priority[Int(id)]) : 0
        }
        if offset < PLIC.enableBase {
            let word = (offset - PLIC.pendingBase) >> 2
            return word < UInt64(words) ? UInt64(pending[Int(word)]) : 0
        }
        if offset < PLIC.contextBase {
            guard let index = enableIndex(offset) else { return 0 }
            return UInt64(enable[index])
        }
        let (context, register) = contextRegister(offset)
        guard let context else { return 0 }
        switch register {
        case 0: return UInt64(threshold[context])
        case 4: return UInt64(claim(context: context))
        default: return 0
        }
    }

    public func write(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
        guard size == 4, offset & 3 == 0 else { return false }
        let value32 = UInt32(truncatingIfNeeded: value)
        if offset < PLIC.pendingBase {
            let id = offset >> 2
            if id >= 1 && id <= UInt64(sourceCount) {
                priority[Int(id)] = legalPriority(value32, old: priority[Int(id)])
                update()
            }
        } else if offset < PLIC.enableBase {
            return true                                    // pending bits are read-only
        } else if offset < PLIC.contextBase {
            if let index = enableIndex(offset) {
                enable[index] = value32 & sourceMask[index % words]
                update()
            }
        } else {
            let (context, register) = contextRegister(offset)
            guard let context else { return true }
            switch register {
            case 0:
                threshold[context] = legalPriority(value32, old: threshold[context])
                update()
            case 4:
                complete(context: context, id: value)
            default:
                break
            }
        }
        return true
    }

    /// The index into `enable` of the enable word at `offset` (in the enable block), if it is
    /// an implemented word of an existing context.
    func enableIndex(_ offset: UInt64) -> Int? {
        let relative = offset - PLIC.enableBase
        let context = relative / PLIC.enableStride
        let word = (relative % PLIC.enableStride) >> 2
        guard context < UInt64(contexts.count), word < UInt64(words) else { return nil }
        return Int(context) * words + Int(word)
    }

    /// The context whose threshold/claim block holds `offset` (in the context block), if it
    /// exists, and the offset within the block.
    func contextRegister(_ offset: UInt64) -> (context: Int?, register: UInt64) {
        let relative = offset - PLIC.contextBase
        let context = relative / PLIC.contextStride
        let register = relative % PLIC.contextStride
        return (context < UInt64(contexts.count) ? Int(context) : nil, register)
    }

    // MARK: Core

    /// The highest-priority pending and enabled source of `context` (lowest ID on ties) and its
    /// priority; (0, 0) when none has a priority above 0.
    func bestSource(context: Int) -> (id: Int, priority: UInt32) {
        var bestID = 0
        var bestPriority: UInt32 = 0
        let base = context * words
        for word in 0..<words {
            var bits = pending[word] & enable[base + word]
            while bits != 0 {
                let id = word << 5 | bits.trailingZeroBitCount
                // Ascending IDs and a strict comparison: the lowest ID wins a tie.
                if priority[id] > bestPriority {
                    bestID = id
                    bestPriority = priority[id]
                }
                bits &= bits &- 1
            }
        }
        return (bestID, bestPriority)
    }

    func claim(context: Int) -> Int {
        let id = bestSource(context: context).id
        guard id != 0 else { return 0 }
        let bit: UInt32 = 1 << UInt32(id & 31)
        pending[id >> 5] &= ~bit
        inService[id >> 5] |= bit
        update()
        return id
    }

    func complete(context: Int, id value: UInt64) {
        guard value >= 1, value <= UInt64(sourceCount) else { return }
        let id = Int(value)
        let word = id >> 5
        let bit: UInt32 = 1 << UInt32(id & 31)
        guard enable[context * words + word] & bit != 0, inService[word] & bit != 0 else { return }
        inService[word] &= ~bit
        if inputLevel[word] & bit != 0 {
            pending[word] |= bit                        // still asserted: a new request
        }
        update()
    }

    /// Drive every context's MEIP/SEIP to "best pending enabled priority > threshold".
    func update() {
        for context in 0..<contexts.count {
            let level = bestSource(context: context).priority > threshold[context]
            if level != outputLevel[context] {
                outputLevel[context] = level
                let target = contexts[context]
                host.setInterruptLine(cpu: target.hart, line: target.mode.interruptLine, level: level)
            }
        }
    }
}
