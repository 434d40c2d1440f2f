/// `stall-at=ADDRESS`: the decoder marks the instruction at an injected stall address as a
/// stall point when it first decodes it (only while such a fault exists), so the interpreter
/// loop tests nothing per instruction. A core that reaches a stall point stops if the fault is
/// its own; any other core, or the same core at another virtual address of the same physical
/// instruction, executes the real instruction.
extension ARMCore {
    @inline(never)
    func markStallPoint(_ entry: UnsafeMutablePointer<ARMInstruction>, at pc: UInt32) {
        guard machine.stallPoints.contains(UInt64(pc)) else { return }
        let real = entry.pointee
        entry.pointee = ARMInstruction(group: .stallPoint, raw: real.raw)
        entry.pointee.cond = 14   // reaching the address stops the core, whatever the condition
    }

    @inline(never)
    func execStallPoint(_ d: ARMInstruction) {
        if let fault = machine.injections.first(where: { $0.cpu == index && $0.action == .stallAt(address: UInt64(currentPC)) }) {
            stall(fault, detail: "reached \(machine.symbolize(UInt64(currentPC)))")
            return
        }
        let real = ARMDecoder.decode(d.raw)
        if real.cond == 14 || conditionPassed(real.cond) { execute(real) }
    }
}

extension RISCVCore {
    @inline(never)
    func markStallPoint(_ entry: UnsafeMutablePointer<RVInstruction>, at va: UInt64) {
        guard machine.stallPoints.contains(va) else { return }
        let real = entry.pointee
        entry.pointee = RVInstruction(group: .stallPoint, raw: real.raw, length: real.length)
    }

    @inline(never)
    func execStallPoint(_ d: RVInstruction) {
        if let fault = machine.injections.first(where: { $0.cpu == index && $0.action == .stallAt(address: pc) }) {
            stall(fault, detail: "reached \(machine.symbolize(pc))")
            return
        }
        execute(d.length == 2 ? RVDecoder.decode16(d.raw & 0xFFFF) : RVDecoder.decode32(d.raw))
    }
}
