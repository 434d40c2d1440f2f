extension LoadedImage {
    /// Refuses an image that does not fit a machine: another architecture or ELF class, a
    /// big-endian image, a PT_LOAD segment (p_paddr .. p_paddr + p_memsz) not entirely inside one
    /// of the `ram` ranges, or an entry point outside every loaded executable segment.
    /// `machineName` is the machine's name as the user wrote it, for the message.
    public func check(machine expected: ELFMachine, is64Bit expectedIs64Bit: Bool,
                      ram: [(base: UInt64, size: UInt64)], machineName: String) throws {
        guard machine == expected else {
            throw failure("ELF machine \(machine), but machine \(machineName) has \(expected) cores")
        }
        guard is64Bit == expectedIs64Bit else {
            let found = is64Bit ? "64-bit (ELFCLASS64)" : "32-bit (ELFCLASS32)"
            let wanted = expectedIs64Bit ? "64-bit (ELFCLASS64)" : "32-bit (ELFCLASS32)"
            throw failure("\(found) image, but machine \(machineName) runs \(wanted) images")
        }
        guard isLittleEndian else {
            throw failure("big-endian image (ELFDATA2MSB), but machine \(machineName) runs little-endian code")
        }
        for (index, segment) in segments.enumerated() {
            let (end, overflow) = segment.physicalAddress.addingReportingOverflow(segment.memorySize)
            let inside = !overflow && ram.contains { range in
                let (rangeEnd, rangeOverflow) = range.base.addingReportingOverflow(range.size)
                // A range reaching the top of the 64-bit space ends past every segment end.
                return segment.physicalAddress >= range.base && (rangeOverflow || end <= rangeEnd)
            }
            guard inside else {
                let extent = overflow
                    ? "\(Hex.address(segment.physicalAddress)) + \(Hex.number(segment.memorySize)) bytes, past the top of the address space"
                    : "\(Hex.address(segment.physicalAddress))..\(Hex.address(end))"
                throw failure("segment \(index) (\(extent)) lies outside RAM (\(LoadedImage.describe(ram)))")
            }
        }
        // AAELF32 ("ELF header", e_entry): on ARM, bit 0 of the entry address selects Thumb state
        // and is not part of the address.
        let entryAddress = machine == .arm ? entry & ~1 : entry
        let entryIsLoaded = segments.contains { segment in
            segment.isExecutable
                && (LoadedImage.contains(segment.virtualAddress, segment.memorySize, entryAddress)
                    || LoadedImage.contains(segment.physicalAddress, segment.memorySize, entryAddress))
        }
        guard entryIsLoaded else {
            throw failure("entry point \(Hex.address(entry)) is not inside a loaded executable (PF_X) segment")
        }
    }

    private func failure(_ message: String) -> ImageError {
        ImageError(path: path, message: message)
    }

    /// Whether `address` lies in [start, start + size), without overflowing.
    private static func contains(_ start: UInt64, _ size: UInt64, _ address: UInt64) -> Bool {
        address >= start && address &- start < size
    }

    private static func describe(_ ram: [(base: UInt64, size: UInt64)]) -> String {
        guard !ram.isEmpty else { return "the machine has no RAM" }
        return ram.map { range in
            let (end, overflow) = range.base.addingReportingOverflow(range.size)
            return overflow ? "\(Hex.address(range.base))..top of memory" : "\(Hex.address(range.base))..\(Hex.address(end))"
        }.joined(separator: ", ")
    }
}
