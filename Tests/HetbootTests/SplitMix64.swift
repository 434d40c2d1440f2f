/// SplitMix64 (Steele, Lea, Flood 2014): the random-input tests' generator. A fixed seed
/// gives the same stream on every host, so a failing seed reproduces.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound (bound > 0).
    mutating func below(_ bound: UInt64) -> UInt64 { next() % bound }

    /// A 32-bit word.
    mutating func word() -> UInt32 { UInt32(truncatingIfNeeded: next()) }
}
