/*
 * csr: the Zicsr instructions (Unprivileged spec chapter 9) on mscratch, and read-only
 * fields of M-mode CSRs (Privileged spec chapter 3).
 *
 * CSRRW/CSRRS/CSRRC and their immediate forms return the old value and write
 * rs1 / old | rs1 / old & ~rs1 (zimm for the I forms). CSRRS/CSRRC with rs1 = x0 and the
 * I forms with zimm = 0 do not write at all, so they may read a read-only CSR without a
 * trap. misa.MXL reads 2 on RV64; misa's extension bits are not writable on QEMU 7.2 (its
 * misa write is ignored without the experimental x-misa-w property) and hetboot's rv64gch
 * profile follows it; mstatus.UXL/SXL read 2 and stay (QEMU supports no XLEN change);
 * mstatus.SD is read-only and reads 1 exactly when FS, VS or XS is Dirty (3.1.6.6);
 * UBE/SBE/MBE stay 0 (little-endian only, as on QEMU). mcycle and minstret count up.
 *
 * Not tested, because QEMU 7.2 and the spec disagree: CSRRS/CSRRC with an rs1 other than
 * x0 that holds zero on a read-only CSR (the spec says it still writes, so it raises illegal
 * instruction; QEMU treats it as a read), and mepc[0] (always zero by the spec, 3.1.14;
 * QEMU 7.2 stores and returns whatever was written).
 */
#include "selftest.h"

static void mscratch_ops(struct st_group *g)
{
    uint64_t old, now;

    rt_csr_write(mscratch, 0x0123456789ABCDEFul);
    __asm__ volatile("csrrw %[o], mscratch, %[v]\n\tcsrr %[n], mscratch"
                     : [o] "=&r"(old), [n] "=&r"(now)
                     : [v] "r"(0xFEDCBA9876543210ul));
    {
        const uint64_t got[2] = {old, now}, exp[2] = {0x0123456789ABCDEFul, 0xFEDCBA9876543210ul};
        st_case(g, 2, got, exp);
    }
    __asm__ volatile("csrrs %[o], mscratch, %[v]\n\tcsrr %[n], mscratch"
                     : [o] "=&r"(old), [n] "=&r"(now)
                     : [v] "r"(0x0000FFFF0000000Ful));
    {
        const uint64_t got[2] = {old, now}, exp[2] = {0xFEDCBA9876543210ul, 0xFEDCFFFF7654321Ful};
        st_case(g, 2, got, exp);
    }
    __asm__ volatile("csrrc %[o], mscratch, %[v]\n\tcsrr %[n], mscratch"
                     : [o] "=&r"(old), [n] "=&r"(now)
                     : [v] "r"(0xF00000000000FFFFul));
    {
        const uint64_t got[2] = {old, now}, exp[2] = {0xFEDCFFFF7654321Ful, 0x0EDCFFFF76540000ul};
        st_case(g, 2, got, exp);
    }
    /* rd = x0: CSRRW writes without reading */
    __asm__ volatile("csrrw zero, mscratch, %[v]\n\tcsrr %[n], mscratch" : [n] "=&r"(now) : [v] "r"(42ul));
    st_check(g, now, 42);
    /* immediate forms: zimm is 5 bits, zero-extended */
    __asm__ volatile("csrrwi %[o], mscratch, 31\n\tcsrr %[n], mscratch" : [o] "=&r"(old), [n] "=&r"(now));
    {
        const uint64_t got[2] = {old, now}, exp[2] = {42, 31};
        st_case(g, 2, got, exp);
    }
    __asm__ volatile("csrrci %[o], mscratch, 5\n\tcsrr %[n], mscratch" : [o] "=&r"(old), [n] "=&r"(now));
    {
        const uint64_t got[2] = {old, now}, exp[2] = {31, 26};
        st_case(g, 2, got, exp);
    }
    __asm__ volatile("csrrsi %[o], mscratch, 16\n\tcsrr %[n], mscratch" : [o] "=&r"(old), [n] "=&r"(now));
    {
        const uint64_t got[2] = {old, now}, exp[2] = {26, 26};
        st_case(g, 2, got, exp);
    }
    __asm__ volatile("csrrsi %[o], mscratch, 1\n\tcsrr %[n], mscratch" : [o] "=&r"(old), [n] "=&r"(now));
    {
        const uint64_t got[2] = {old, now}, exp[2] = {26, 27};
        st_case(g, 2, got, exp);
    }
    /* no-write forms leave the value alone */
    __asm__ volatile("csrrs %[o], mscratch, zero\n\tcsrrc %[o], mscratch, zero\n\t"
                     "csrrsi %[o], mscratch, 0\n\tcsrrci %[o], mscratch, 0\n\tcsrr %[n], mscratch"
                     : [o] "=&r"(old), [n] "=&r"(now));
    {
        const uint64_t got[2] = {old, now}, exp[2] = {27, 27};
        st_case(g, 2, got, exp);
    }
    /* the same register as source and destination: old value out, rs1 in */
    uint64_t r = 0x5555AAAA5555AAAAul;
    __asm__ volatile("csrrw %[r], mscratch, %[r]\n\tcsrr %[n], mscratch" : [r] "+r"(r), [n] "=&r"(now));
    {
        const uint64_t got[2] = {r, now}, exp[2] = {27, 0x5555AAAA5555AAAAul};
        st_case(g, 2, got, exp);
    }
    /* sscratch is a separate register */
    rt_csr_write(sscratch, 0x77ul);
    rt_csr_write(mscratch, 0x88ul);
    {
        const uint64_t got[2] = {rt_csr_read(sscratch), rt_csr_read(mscratch)}, exp[2] = {0x77, 0x88};
        st_case(g, 2, got, exp);
    }
}

static void read_only(struct st_group *g)
{
    struct rt_trap_info info;

    /* read-only CSRs read without a trap through CSRRS/CSRRC x0 and zimm = 0 */
    uint64_t h1 = 1, h2 = 1, h3 = 1;
    rt_probe_begin();
    __asm__ volatile("csrrs %[a], mhartid, zero\n\tcsrrc %[b], mhartid, zero\n\tcsrrsi %[c], mhartid, 0"
                     : [a] "=&r"(h1), [b] "=&r"(h2), [c] "=&r"(h3));
    bool faulted = rt_probe_end(&info);
    {
        const uint64_t got[4] = {faulted, h1, h2, h3}, exp[4] = {0, 0, 0, 0};
        st_case(g, 4, got, exp);
    }

    /* misa: MXL = 2 (RV64), I set, writes ignored */
    uint64_t misa = rt_csr_read(misa);
    st_check(g, misa >> 62, 2);
    st_check(g, (misa >> ('I' - 'A')) & 1, 1);
    rt_csr_write(misa, 0);
    st_check(g, rt_csr_read(misa), misa);
    rt_csr_write(misa, misa & ~(1ul << ('C' - 'A')));
    st_check(g, rt_csr_read(misa), misa);

    /* mstatus.UXL and SXL: 2, and they stay 2 */
    uint64_t ms = rt_csr_read(mstatus);
    st_check(g, ms & (MSTATUS_UXL | MSTATUS_SXL), 0xA00000000ul);
    rt_csr_clear(mstatus, MSTATUS_UXL | MSTATUS_SXL);
    st_check(g, rt_csr_read(mstatus) & (MSTATUS_UXL | MSTATUS_SXL), 0xA00000000ul);
    /* SD cannot be written; it follows FS: Off → 0, Dirty → 1 */
    rt_csr_clear(mstatus, MSTATUS_FS);
    rt_csr_set(mstatus, MSTATUS_SD);
    st_check(g, rt_csr_read(mstatus) & (MSTATUS_SD | MSTATUS_FS), 0);
    rt_csr_set(mstatus, MSTATUS_FS);
    st_check(g, rt_csr_read(mstatus) & (MSTATUS_SD | MSTATUS_FS), MSTATUS_SD | MSTATUS_FS);
    rt_csr_clear(mstatus, MSTATUS_FS);
    st_check(g, rt_csr_read(mstatus) & (MSTATUS_SD | MSTATUS_FS), 0);
    /* UBE (6), SBE (36), MBE (37): little-endian only */
    rt_csr_set(mstatus, (1ul << 6) | (1ul << 36) | (1ul << 37));
    st_check(g, rt_csr_read(mstatus) & ((1ul << 6) | (1ul << 36) | (1ul << 37)), 0);
    /* sstatus is a view of mstatus: SIE written through sstatus shows in mstatus, MIE is not
     * visible in sstatus */
    rt_csr_set(sstatus, MSTATUS_SIE);
    st_check(g, rt_csr_read(mstatus) & MSTATUS_SIE, MSTATUS_SIE);
    rt_csr_clear(mstatus, MSTATUS_SIE);
    st_check(g, rt_csr_read(sstatus) & MSTATUS_SIE, 0);
    rt_csr_set(mstatus, MSTATUS_MPIE);
    st_check(g, rt_csr_read(sstatus) & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP), 0);
    /* mip.MSIP and mip.MTIP are read-only in mip (set by the CLINT) */
    rt_csr_set(mip, MIP_MSIP);
    st_check(g, rt_csr_read(mip) & MIP_MSIP, 0);
    /* mhartid: this is hart 0 */
    st_check(g, rt_csr_read(mhartid), 0);
}

static void counters(struct st_group *g)
{
    uint64_t c0, c1, i0, i1;
    __asm__ volatile("csrr %[c0], mcycle\n\tcsrr %[i0], minstret\n\t"
                     "addi zero, zero, 0\n\taddi zero, zero, 0\n\taddi zero, zero, 0\n\t"
                     "csrr %[i1], minstret\n\tcsrr %[c1], mcycle"
                     : [c0] "=&r"(c0), [c1] "=&r"(c1), [i0] "=&r"(i0), [i1] "=&r"(i1));
    st_check(g, c1 > c0, 1);
    st_check(g, i1 > i0, 1);
    /* a write sets the counter, which counts on from the written value: write a value far
     * above anything either counter has reached since reset, read back at most 2^40 more */
    rt_csr_write(minstret, 0x7000000000000000ul);
    uint64_t after = rt_csr_read(minstret);
    st_check(g, after >= 0x7000000000000000ul && after < 0x7000010000000000ul, 1);
    rt_csr_write(mcycle, 0x6000000000000000ul);
    after = rt_csr_read(mcycle);
    st_check(g, after >= 0x6000000000000000ul && after < 0x6000010000000000ul, 1);
}

bool group_csr(void)
{
    struct st_group g;
    st_begin(&g, "csr");
    mscratch_ops(&g);
    read_only(&g);
    counters(&g);
    return st_end(&g);
}
