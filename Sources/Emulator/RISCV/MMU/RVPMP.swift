/// Physical memory protection (privileged spec v1.12 §3.7), enforced from the pmpcfg/pmpaddr
/// values `RVCSRAccess.swift` stores with their WARL rules. The grain is 4 bytes (G = 0), as
/// QEMU's.
///
/// Matching (§3.7.1): an entry's A field selects OFF, TOR ([pmpaddr[i−1]·4, pmpaddr[i]·4), empty
/// when the bounds are not increasing; pmpaddr[−1] = 0), NA4 (the 4 bytes at pmpaddr·4) or NAPOT
/// (the trailing ones of pmpaddr give the size: y…y0 = 8 bytes, y…y01 = 16, …). The
/// lowest-numbered entry that matches any byte of an access decides; it must match every byte
/// or the access fails. Its R/W/X bits apply to S and U, and to M only when L is set. With no
/// entry matching, M succeeds and S/U fail — when at least one entry is implemented.
///
/// Where QEMU differs: QEMU 7.2 (target/riscv/pmp.c `pmp_hart_has_privs`) only tests the first and
/// last byte of an access against each entry, so an entry lying strictly inside an access is
/// missed; we test for any overlapping byte, as the spec says.
struct RVPMPRegion {
    /// First and last byte covered (inclusive).
    var first: UInt64
    var last: UInt64
    /// R = 1, W = 2, X = 4 (the pmpcfg bits).
    var permissions: UInt8
    var locked: Bool
}

extension RVMMU {
    /// Decode the PMP CSRs into ranges, in priority order (OFF and empty TOR entries match
    /// nothing and are left out).
    func decodePMP(cfg: [UInt8], addr: [UInt64]) {
        pmpcfgSeen = cfg
        pmpaddrSeen = addr
        pmpImplemented = !cfg.isEmpty
        var regions: [RVPMPRegion] = []
        for i in 0..<min(cfg.count, addr.count) {
            let c = cfg[i]
            let first: UInt64, last: UInt64
            switch (c >> 3) & 3 {
            case 1:   // TOR
                let lower = i == 0 ? 0 : addr[i - 1] << 2
                let upper = addr[i] << 2
                guard lower < upper else { continue }
                first = lower
                last = upper &- 1
            case 2:   // NA4
                first = addr[i] << 2
                last = first &+ 3
            case 3:   // NAPOT: a = y…y011…1 with the grain's two low ones appended
                let a = (addr[i] << 2) | 3   // pmpaddr holds 54 bits: no overflow
                first = a & (a &+ 1)
                last = a | (a &+ 1)
            default:
                continue
            }
            regions.append(RVPMPRegion(first: first, last: last, permissions: c & 7, locked: c & 0x80 != 0))
        }
        pmp = regions
        pmpLocksMachine = regions.contains { $0.locked }
    }

    /// Whether an access of `size` bytes at physical `address` (not crossing the end of the
    /// address space) may do `access` at privilege `mode`.
    func pmpAllows(_ address: UInt64, size: Int, access: RVAccess, mode: RVPrivilege) -> Bool {
        let last = address &+ UInt64(truncatingIfNeeded: size &- 1)
        guard last >= address else { return false }
        for r in pmp where address <= r.last && last >= r.first {
            guard address >= r.first && last <= r.last else { return false }   // partly covered
            if mode == .machine && !r.locked { return true }
            return r.permissions & access.rawValue != 0
        }
        return mode == .machine || !pmpImplemented
    }

    /// What the PMP grants `mode` uniformly over the 4 KiB page at `page` (R = 1, W = 2, X = 4):
    /// 0 when an entry covers only part of the page (each access must then be checked alone).
    func pmpPagePermissions(_ page: UInt64, mode: RVPrivilege) -> UInt8 {
        let last = page | 0xFFF
        for r in pmp where page <= r.last && last >= r.first {
            guard page >= r.first && last <= r.last else { return 0 }
            if mode == .machine && !r.locked { return 7 }
            return r.permissions
        }
        return mode == .machine || !pmpImplemented ? 7 : 0
    }
}

extension RISCVCore {
    /// What OpenSBI leaves a payload (lib/sbi/sbi_hart.c, `sbi_hart_pmp_configure`): after its
    /// own firmware regions, an entry opening all memory to S and U — here the last entry (the
    /// lowest priority), NAPOT over the whole physical address space, R W X. Without it, S and
    /// U can reach nothing once the hart implements a PMP entry (§3.7.1). For the built-in SBI
    /// firmware model, which keeps no code in guest memory, this is the whole configuration.
    func grantAllMemoryThroughPMPAsFirmwareWould() {
        guard let last = csr.pmpcfg.indices.last, last < csr.pmpaddr.count else { return }
        csr.pmpaddr[last] = (1 << 54) - 1
        csr.pmpcfg[last] = 0x1F   // A = NAPOT, R W X, not locked
        attention = true
    }
}
