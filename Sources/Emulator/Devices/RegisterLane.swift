/// A 1-, 2- or 4-byte access into a bank of 32-bit device registers (PL011, system registers,
/// SCC): which register it falls in and which byte lanes it covers. Accesses must be naturally
/// aligned; 8-byte accesses are not part of these APB peripherals' interface.
struct RegisterLane {
    /// Offset of the 32-bit register the access falls in.
    let register: UInt64
    /// Bit position of the access's lowest byte lane within the register.
    let shift: UInt32
    /// The value bits of an access of this size.
    let mask: UInt32

    init?(offset: UInt64, size: Int) {
        guard size == 1 || size == 2 || size == 4, offset & UInt64(size - 1) == 0 else { return nil }
        register = offset & ~3
        shift = UInt32(offset & 3) * 8
        mask = size == 4 ? 0xFFFF_FFFF : (1 << UInt32(size * 8)) - 1
    }

    /// The part of register value `value` this access reads.
    func extract(_ value: UInt32) -> UInt64 {
        UInt64((value >> shift) & mask)
    }
}
