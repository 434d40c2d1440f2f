/// How harts come out of reset into the image. With `--bios none` QEMU's reset ROM (at
/// 0x1000 on virt) jumps every hart to the image entry in M-mode with a0 = mhartid, a1 = the
/// device tree's address and a2 = the fw_dynamic_info record; hetboot starts the harts there
/// directly, with the same registers. With `--bios FILE` the same happens at the firmware's
/// entry (`entry` is then the firmware's; fw_dynamic_info names the image as the next stage).
extension RISCVMachine {
    public func boot(entry: UInt64, deviceTree: UInt64 = 0, dynamicInfo: UInt64 = 0) {
        guard spec.boot.firmware == .builtinSBI else {
            for core in cores {
                core.powerOn(entry: entry, a0: core.slot.mpidr, a1: deviceTree, a2: dynamicInfo)
            }
            return
        }
        // The built-in SBI does what OpenSBI's fw_dynamic does for a payload (riscv.md §1):
        // the lowest hart with S-mode boots the payload in S-mode (a0 = hartid, a1 = FDT); the
        // other S-capable harts are STOPPED until HSM hart_start; harts without S-mode stay in
        // the firmware for good.
        let bootHart = bootCPU.flatMap { $0 >= 0 && $0 < cores.count ? cores[$0] : nil } ?? cores.first { $0.hasSupervisor && !coresHeldInReset.contains($0.index) }
        for core in cores {
            core.powerOn(entry: entry, a0: core.slot.mpidr, a1: deviceTree, a2: 0)
            core.delegateToSupervisorAsFirmwareWould()
            if core === bootHart {
                core.privilege = .supervisor
            } else {
                core.runState = .off
            }
        }
    }
}

extension RISCVCore {
    /// What OpenSBI leaves an S-mode payload: supervisor interrupts and the exceptions an
    /// S-mode kernel handles delegated (misaligned and access faults, illegal instructions and
    /// breakpoints too, since hetboot has no M-mode code to emulate or redirect them), the
    /// counters readable, Sstc's stimecmp enabled where the hart has it, and a PMP entry that
    /// opens all memory to S and U.
    func delegateToSupervisorAsFirmwareWould() {
        guard hasSupervisor else { return }
        csr.mideleg = RVInterrupt.supervisorBits | hypervisorInterruptBits
        csr.medeleg = 0xB1FF   // causes 0–8, 12, 13, 15: not ECALL from S or M
        // With H, OpenSBI (lib/sbi/sbi_hart.c delegate_traps) also hands HS-mode the ecalls from
        // VS, the guest-page faults and the virtual instruction (10, 20–23).
        if hasHypervisor { csr.medeleg |= 0xF0_0400 }
        csr.mcounteren = 0x7
        if hasSstc { csr.menvcfg |= 1 << 63 }
        // OpenSBI's mstatus_init turns the FPU on (mstatus.FS = 3, Dirty) on F/D harts.
        if hasFloat { csr.mstatus |= MSTATUS.FS }
        grantAllMemoryThroughPMPAsFirmwareWould()
    }

    /// Reset state (privileged spec §3.4): M-mode, MIE = 0, mcause/mtval = 0, satp Bare.
    func powerOn(entry: UInt64, a0: UInt64, a1: UInt64, a2: UInt64) {
        if machine.holdsInReset(index) {
            runState = .off
            attention = true
            return
        }
        for i in 0..<33 { x[i] = 0 }
        for i in 0..<32 { f[i] = 0 }
        csr = RVCSRState(slot: slot)
        privilege = .machine
        virtualized = false
        clearReservation()
        sbiTimer = .max
        hsmSuspended = false
        x[10] = a0
        x[11] = a1
        x[12] = a2
        pc = entry
        nextPC = entry
        runState = .running
        attention = true
    }
}
