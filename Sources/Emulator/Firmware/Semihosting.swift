/// ARM semihosting (ARM DUI 0471 / "Semihosting for AArch32 and AArch64" v2.0): the debug
/// channel bare-metal test images use to print and to exit. hetboot implements the console and
/// exit operations only — nothing that touches host files: every other operation returns −1.
enum SemihostingOperation: UInt32 {
    case writeC = 0x03          // SYS_WRITEC: r1 → the character
    case write0 = 0x04          // SYS_WRITE0: r1 → NUL-terminated string
    case exit = 0x18            // SYS_EXIT: r1 = reason (AArch32)
    case exitExtended = 0x20    // SYS_EXIT_EXTENDED: r1 → {reason, subcode}
}

extension ARMMachine {
    /// ADP_Stopped_ApplicationExit: the reason code of a normal exit.
    static let applicationExit: UInt32 = 0x20026

    func semihostingCall(_ core: ARMCore) {
        let param = core.r[1]
        switch SemihostingOperation(rawValue: core.r[0]) {
        case .writeC?:
            if let b = peekByte(param) { consoleOutput(b, device: "semihosting", cpu: core.index) }
        case .write0?:
            var address = param
            // Bounded, so a missing terminator cannot stall the host.
            for _ in 0..<65536 {
                guard let b = peekByte(address), b != 0 else { break }
                consoleOutput(b, device: "semihosting", cpu: core.index)
                address &+= 1
            }
        case .exit?:
            // QEMU's rule: the application-exit reason is success, any other reason failure.
            let ok = param == ARMMachine.applicationExit
            requestExit(code: ok ? 0 : 1, reason: ok ? "semihosting SYS_EXIT (application exit)"
                        : "semihosting SYS_EXIT with reason 0x\(hex32(param))")
        case .exitExtended?:
            guard let reason = peekWord(param), let subcode = peekWord(param &+ 4) else {
                core.r[0] = 0xFFFF_FFFF
                return
            }
            let code = reason == ARMMachine.applicationExit ? Int(Int32(bitPattern: subcode)) : 1
            requestExit(code: code, reason: "semihosting SYS_EXIT_EXTENDED (reason 0x\(hex32(reason)), code \(Int32(bitPattern: subcode)))")
        case nil:
            core.r[0] = 0xFFFF_FFFF
        }
    }

    /// Read guest RAM for the firmware, without side effects or faults.
    func peekByte(_ address: UInt32) -> UInt8? {
        guard ram.contains(UInt64(address), length: 1) else { return nil }
        return ram.bytes.load(fromByteOffset: Int(UInt64(address) - ram.base), as: UInt8.self)
    }

    func peekWord(_ address: UInt32) -> UInt32? {
        guard ram.contains(UInt64(address), length: 4) else { return nil }
        return (ram.bytes + Int(UInt64(address) - ram.base)).loadUnaligned(as: UInt32.self)
    }
}
