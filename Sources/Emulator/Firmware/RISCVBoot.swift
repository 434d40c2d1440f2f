/// How harts come out of reset into the image. With `--bios none` QEMU's reset ROM (at
/// 0x1000 on virt) jumps every hart to the image entry in M-mode with a0 = mhartid, a1 = the
/// device tree's address and a2 = the fw_dynamic_info record; hetboot starts the harts there
/// directly, with the same registers.
extension RISCVMachine {
    public func boot(entry: UInt64, deviceTree: UInt64 = 0, dynamicInfo: UInt64 = 0) {
        for core in cores {
            core.powerOn(entry: entry, a0: core.slot.mpidr, a1: deviceTree, a2: dynamicInfo)
        }
    }
}

extension RISCVCore {
    /// Reset state (privileged spec §3.4): M-mode, MIE = 0, mcause/mtval = 0, satp Bare.
    func powerOn(entry: UInt64, a0: UInt64, a1: UInt64, a2: UInt64) {
        for i in 0..<33 { x[i] = 0 }
        csr = RVCSRState(slot: slot)
        privilege = .machine
        clearReservation()
        x[10] = a0
        x[11] = a1
        x[12] = a2
        pc = entry
        nextPC = entry
        runState = .running
        attention = true
    }
}
