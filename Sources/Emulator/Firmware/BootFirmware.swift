/// The firmware model that brings cores out of reset into the image, as the machine's boot
/// protocol describes: the entry mode and security state a boot-wrapper or QEMU's loader
/// leaves a core in, and where the secondaries wait.
extension ARMMachine {
    /// Put every core at its starting point for an image with entry point `entry`.
    public func boot(entry: UInt32) {
        let primary = bootCPU ?? 0
        for core in cores {
            if core.index == primary {
                core.powerOn(entry: entry, context: 0)
                continue
            }
            switch spec.boot.secondaries {
            case .allAtEntry: core.powerOn(entry: entry, context: 0)
            case .psci: core.powerOff()
            case .sysFlagsPen: core.enterPen()
            }
        }
    }

    /// The boot monitor's pen (Versatile Express): a core there sleeps in WFI; woken by an
    /// interrupt it reads SYS_FLAGS and jumps there when non-zero, else sleeps again.
    func releaseFromPen(_ core: ARMCore) -> Bool {
        guard core.runState == .pen, let gic = platform?.gic, gic.hasPendingInterrupt(cpu: core.index),
              let flags = platform?.sysRegs?.flags, flags != 0 else { return false }
        core.powerOn(entry: flags, context: 0)
        return true
    }

    /// SEV: set every core's event register and wake the cores in WFE.
    func sendEvent() {
        for core in cores {
            core.eventRegister = true
            if core.runState == .waitForEvent { core.runState = .running }
        }
    }
}

extension ARMCore {
    /// Reset the core's architectural state and start it at `entry` in the machine's boot
    /// mode (B1.3: reset enters Secure SVC with A, I, F set; a boot-wrapper then moves a core
    /// to Non-secure Hyp: SCR.NS = 1 and SCR.HCE = 1 so HVC works, and the entry is an
    /// exception return to Hyp).
    func powerOn(entry: UInt32, context: UInt32) {
        if machine.holdsInReset(self.index) { return powerOff() }
        let boot = machine.spec.boot
        for i in 0..<16 { r[i] = 0 }
        for i in 0..<8 { bankedSP[i] = 0; bankedLR[i] = 0; bankedSPSR[i] = 0 }
        for i in 0..<5 { usrR8to12[i] = 0; fiqR8to12[i] = 0 }
        mode = .svc
        cp15 = CP15State(slot: slot)
        if boot.security == .nonSecure && features.security {
            cp15.scr = SCR.NS | (features.virtualization ? SCR.HCE : 0)
        }
        let target: ARMMode
        switch boot.entryMode {
        case .hyp: target = features.virtualization && !isSecure ? .hyp : .svc
        case .mon: target = features.security ? .mon : .svc
        default: target = .svc
        }
        switchMode(to: target)
        // A boot-wrapper that leaves a core with the Virtualization Extensions in Non-secure
        // SVC gives PL1 the physical counter and timer (CNTHCTL.PL1PCTEN/PL1PCEN), as the
        // Linux hyp stub does when it drops from Hyp; otherwise they would trap to a Hyp
        // nobody installed.
        if target == .svc && !isSecure && features.virtualization {
            machine.platform?.timer?.write(.cnthctl, value: 3, cpu: index)
        }
        flagN = false; flagZ = false; flagC = false; flagV = false; flagQ = false; flagGE = 0
        cpsrA = true; cpsrI = true; cpsrF = true; cpsrE = false
        eventRegister = false
        clearExclusive()
        r[0] = context
        nextPC = entry & ~3
        r[15] = nextPC
        runState = .running
        attention = true
    }

    func powerOff() {
        runState = .off
        attention = true
    }

    func enterPen() {
        runState = .pen
        attention = true
    }
}
