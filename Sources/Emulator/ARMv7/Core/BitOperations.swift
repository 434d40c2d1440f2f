/// Small bit operations several instruction groups share (ARM ARM A2.2.1 pseudocode
/// `SignExtend`).
extension ARMCore {
    @inline(__always)
    func signExtend8(_ v: UInt32) -> UInt32 { UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: v))) }

    @inline(__always)
    func signExtend16(_ v: UInt32) -> UInt32 { UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: v))) }
}
