/// SDIV and UDIV (ARM ARM A8.8.165, A8.8.248). Optional in ARMv7-A: a core without the
/// integer-divide feature (profile `features.integerDivide`) takes the Undefined Instruction
/// exception. ARMv7-A has no divide-by-zero trap (SCTLR.DZ is ARMv7-R only), so x / 0 = 0;
/// the one overflowing case, INT_MIN / −1, gives INT_MIN (the ARM ARM's RoundTowardsZero
/// result 2^31, truncated to 32 bits).
extension ARMCore {
    func execDivide(_ d: ARMInstruction, signed: Bool) {
        guard features.integerDivide else { takeUndefined(); return }
        let n = r[Int(d.rn)], m = r[Int(d.rm)]
        let result: UInt32
        if m == 0 {
            result = 0
        } else if signed {
            let dividend = Int32(bitPattern: n), divisor = Int32(bitPattern: m)
            result = dividend == Int32.min && divisor == -1 ? n : UInt32(bitPattern: dividend / divisor)
        } else {
            result = n / m
        }
        r[Int(d.rd)] = result
    }
}
