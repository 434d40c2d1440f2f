/*
 * exceptions: synchronous exceptions taken to PL1 modes and the ways back (ARM ARM B1.8):
 * SVC, UDF (Undefined Instruction), BKPT (Prefetch Abort, debug event), alignment faults
 * (Data Abort) with SCTLR.A = 1 and the accesses that always check alignment whatever
 * SCTLR.A says (LDRD/STRD/LDM/STM: word; LDREX: word; LDREXD: doubleword; A3.2.1), and SRS/RFE
 * without an exception. The handlers (exceptions_asm.S) record the entry state in exc_rec.
 *
 * Entry state checked for every exception: the vector, LR_<mode> (the offsets of B1.8.3
 * table "Link values saved on exception entry": UDF/SVC/BKPT + 4, data abort + 8), SPSR =
 * the CPSR before, the handler's CPSR = the old one with the new mode, I set, A set for
 * aborts only, F unchanged (CPSR.A and F are clear before each test), and the fault
 * registers: short-descriptor DFSR/IFSR FS = 0b00001 alignment, 0b00010 debug event, WnR
 * (bit 11) = 1 for writes (B4.1.52, B4.1.96).
 *
 * CPSR.A on abort entry, in the B1.9 pseudocode (TakeDataAbortException,
 * TakePrefetchAbortException): "if !HaveSecurityExt() || HaveVirtExt() || SCR.NS == '0' ||
 * SCR.AW == '1' then CPSR.A = '1'". The A15 and A7 have the Virtualization Extensions, so A is
 * set in Non-secure state too, whatever SCR.AW says; QEMU agrees.
 */
#include "selftest.h"

struct exc_rec {
    uint32_t count, vector, lr, spsr, cpsr, fsr, far, svc_imm;
};
struct exc_rec exc_rec;
extern char exc_vectors[];

static uint32_t und_stack[64] __attribute__((aligned(8)));
static uint32_t abt_stack[64] __attribute__((aligned(8)));
static volatile uint32_t data[4] __attribute__((aligned(8))) = {0x11111111, 0x22222222, 0x33333333,
                                                                0x44444444};

/* The CPSR every test starts from: SVC, I and F masked, A clear (so the handlers' CPSR
 * shows which exceptions set A), little-endian; plus whatever flags the test set. */
#define TEST_CPSR_LOW 0x0D3u
#define MODE_BITS 0x1Fu

static uint32_t data_addr(unsigned byte_offset) { return (uint32_t)(uintptr_t)data + byte_offset; }

static void reset_rec(void)
{
    exc_rec = (struct exc_rec){0};
    data[0] = 0x11111111;
    data[1] = 0x22222222;
    data[2] = 0x33333333;
    data[3] = 0x44444444;
    rt_dsb();
}

static uint32_t read_sctlr(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(v));
    return v;
}

static void write_sctlr(uint32_t v)
{
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n\tisb" ::"r"(v) : "memory");
}

/* Common checks: count, vector, LR, SPSR, handler CPSR. */
static void check_entry(struct st_group *g, uint32_t vector, uint32_t lr, uint32_t cpsr_before,
                        uint32_t handler_mode, bool sets_a)
{
    uint32_t handler_cpsr = (cpsr_before & ~MODE_BITS) | handler_mode | CPSR_I | (sets_a ? CPSR_A : 0);
    const uint32_t got[5] = {exc_rec.count, exc_rec.vector, exc_rec.lr, exc_rec.spsr, exc_rec.cpsr};
    const uint32_t exp[5] = {1, vector, lr, cpsr_before, handler_cpsr};
    st_case(g, 5, got, exp);
}

static void svc_and_undef(struct st_group *g)
{
    uint32_t at, before, after, r;

    /* SVC #0x42 with N and C set; the LDM ^ return restores them */
    reset_rec();
    __asm__ volatile("msr cpsr_f, #0xA0000000\n\t"
                     "mrs %[b], cpsr\n"
                     "1:\tsvc #0x42\n\t"
                     "mrs %[a], cpsr\n\t"
                     "adr %[at], 1b"
                     : [b] "=&r"(before), [a] "=&r"(after), [at] "=&r"(at)
                     :
                     : "lr", "cc", "memory");
    check_entry(g, 0x08, at + 4, before, CPSR_MODE_SVC, false);
    st_check(g, exc_rec.svc_imm, 0x42);
    st_check(g, after, before);

    /* UDF: LR_und = UDF + 4, MOVS PC, LR resumes with the next instruction */
    reset_rec();
    __asm__ volatile("msr cpsr_f, #0x50000000\n\t"
                     "mov %[r], #1\n\t"
                     "mrs %[b], cpsr\n"
                     "1:\tudf #0x1234\n\t"
                     "add %[r], %[r], #1\n\t"
                     "mrs %[a], cpsr\n\t"
                     "adr %[at], 1b"
                     : [b] "=&r"(before), [a] "=&r"(after), [at] "=&r"(at), [r] "=&r"(r)
                     :
                     : "cc", "memory");
    check_entry(g, 0x04, at + 4, before, CPSR_MODE_UND, false);
    {
        const uint32_t got[2] = {r, after}, exp[2] = {2, before};
        st_case(g, 2, got, exp);
    }

    /* The permanently undefined encoding written out, and UDF #0 */
    reset_rec();
    __asm__ volatile("mrs %[b], cpsr\n"
                     "1:\t.word 0xE7F000F0\n\t"
                     "adr %[at], 1b"
                     : [b] "=&r"(before), [at] "=&r"(at)
                     :
                     : "memory");
    check_entry(g, 0x04, at + 4, before, CPSR_MODE_UND, false);
    reset_rec();
    __asm__ volatile("mrs %[b], cpsr\n"
                     "1:\tudf #0\n\t"
                     "adr %[at], 1b"
                     : [b] "=&r"(before), [at] "=&r"(at)
                     :
                     : "memory");
    check_entry(g, 0x04, at + 4, before, CPSR_MODE_UND, false);
}

static void bkpt(struct st_group *g)
{
    uint32_t at, before, after;
    reset_rec();
    __asm__ volatile("msr cpsr_f, #0x30000000\n\t"
                     "mrs %[b], cpsr\n"
                     "1:\tbkpt #0x12\n\t"
                     "mrs %[a], cpsr\n\t"
                     "adr %[at], 1b"
                     : [b] "=&r"(before), [a] "=&r"(after), [at] "=&r"(at)
                     :
                     : "cc", "memory");
    check_entry(g, 0x0C, at + 4, before, CPSR_MODE_ABT, true);
    /* IFSR: FS[4] = bit 10, FS[3:0] = bits 3:0; 0b00010 = debug event */
    st_check(g, exc_rec.fsr & 0x40Fu, 0x002u);
    st_check(g, after, before); /* RFE restored the CPSR from the saved SPSR */
}

/* One data access `insn` (after `prep`) expected to take an alignment fault at the address
 * data + offset + far_delta. */
#define ALIGN_FAULT(g, prep, insn, offset, far_delta, is_write)                              \
    do {                                                                                     \
        reset_rec();                                                                         \
        uint32_t at_, before_, r_ = 0x5A5A5A5A, a_ = data_addr(offset);                      \
        __asm__ volatile(prep "mrs %[b], cpsr\n"                                             \
                         "1:\t" insn "\n\t"                                                  \
                         "adr %[at], 1b"                                                     \
                         : [b] "=&r"(before_), [at] "=&r"(at_), [r] "+&r"(r_)               \
                         : [a] "r"(a_)                                                       \
                         : "r4", "r5", "memory");                                            \
        check_entry(g, 0x10, at_ + 8, before_, CPSR_MODE_ABT, true);                         \
        const uint32_t got_[4] = {exc_rec.fsr & 0xC0Fu, exc_rec.far, r_, data[0] ^ data[1]}; \
        const uint32_t exp_[4] = {(is_write) ? 0x801u : 0x001u, a_ + (far_delta), 0x5A5A5A5A, \
                                  0x11111111u ^ 0x22222222u};                                \
        st_case(g, 4, got_, exp_);                                                           \
    } while (0)

static void alignment(struct st_group *g)
{
    uint32_t sctlr = read_sctlr();

    /* SCTLR.A = 1: word and halfword accesses must be aligned; bytes never fault */
    write_sctlr(sctlr | 2u);
    ALIGN_FAULT(g, "", "ldr %[r], [%[a]]", 1, 0, false);
    ALIGN_FAULT(g, "", "ldr %[r], [%[a]]", 2, 0, false);
    ALIGN_FAULT(g, "", "str %[r], [%[a]]", 3, 0, true);
    ALIGN_FAULT(g, "", "ldrh %[r], [%[a]]", 1, 0, false);
    ALIGN_FAULT(g, "", "strh %[r], [%[a]]", 5, 0, true);
    ALIGN_FAULT(g, "", "ldrsh %[r], [%[a]]", 3, 0, false);
    {
        reset_rec();
        uint32_t r = 0;
        __asm__ volatile("ldrb %[r], [%[a]]" : [r] "=r"(r) : [a] "r"(data_addr(5)) : "memory");
        const uint32_t got[2] = {exc_rec.count, r}, exp[2] = {0, 0x22};
        st_case(g, 2, got, exp);
    }
    {
        /* LDRD needs only word alignment, also with SCTLR.A = 1 */
        reset_rec();
        uint32_t lo, hi;
        __asm__ volatile("ldrd r4, r5, [%[a]]\n\tmov %[lo], r4\n\tmov %[hi], r5"
                         : [lo] "=r"(lo), [hi] "=r"(hi)
                         : [a] "r"(data_addr(4))
                         : "r4", "r5", "memory");
        const uint32_t got[3] = {exc_rec.count, lo, hi}, exp[3] = {0, 0x22222222, 0x33333333};
        st_case(g, 3, got, exp);
    }

    /* SCTLR.A = 0: these still check alignment */
    write_sctlr(sctlr & ~2u);
    ALIGN_FAULT(g, "", "ldrd r4, r5, [%[a]]", 2, 0, false);
    ALIGN_FAULT(g, "mov r4, #0\n\tmov r5, #0\n\t", "strd r4, r5, [%[a]]", 1, 0, true);
    ALIGN_FAULT(g, "", "ldm %[a], {r4, r5}", 2, 0, false);
    ALIGN_FAULT(g, "", "stmdb %[a], {r4}", 7, -4, true); /* first access at Rn - 4 */
    ALIGN_FAULT(g, "", "ldrex %[r], [%[a]]", 2, 0, false);
    ALIGN_FAULT(g, "", "ldrexh %[r], [%[a]]", 1, 0, false);
    ALIGN_FAULT(g, "", "ldrexd r4, r5, [%[a]]", 4, 0, false);
    write_sctlr(sctlr);
}

static void srs_rfe(struct st_group *g)
{
    /* SRSDB to this mode's stack, then RFEIA from it: back at the label with the saved CPSR */
    uint32_t word0, word1, cpsr_after, sp_before, sp_after, label, reached = 0;
    __asm__ volatile("mov %[sb], sp\n\t"
                     "adr lr, 1f\n\t"
                     "mov %[l], lr\n\t"
                     "msr spsr_fsxc, %[spsr]\n\t"
                     "srsdb sp!, #0x13\n\t"
                     "ldr %[w0], [sp]\n\t"
                     "ldr %[w1], [sp, #4]\n\t"
                     "rfeia sp!\n\t"
                     "mov %[r], #2\n"
                     "1:\tmrs %[c], cpsr\n\t"
                     "add %[r], %[r], #1\n\t"
                     "mov %[sa], sp"
                     : [w0] "=&r"(word0), [w1] "=&r"(word1), [c] "=&r"(cpsr_after),
                       [sb] "=&r"(sp_before), [sa] "=&r"(sp_after), [l] "=&r"(label),
                       [r] "+&r"(reached)
                     : [spsr] "r"(0x600000D3u)
                     : "lr", "cc", "memory");
    {
        const uint32_t got[5] = {word0, word1, cpsr_after & 0xF80001FFu, sp_after, reached};
        const uint32_t exp[5] = {label, 0x600000D3u, 0x600000D3u, sp_before, 1};
        st_case(g, 5, got, exp);
    }

    /* SRS to another mode's stack (ABT) without writeback, read there */
    uint32_t abt_sp = (uint32_t)(uintptr_t)&abt_stack[32];
    abt_stack[30] = abt_stack[31] = 0;
    __asm__ volatile("msr sp_abt, %[s]\n\t"
                     "mov lr, #0x1234\n\t"
                     "msr spsr_fsxc, %[spsr]\n\t"
                     "srsdb #0x17\n\t"
                     "mrs %[sa], sp_abt"
                     : [sa] "=&r"(sp_after)
                     : [s] "r"(abt_sp), [spsr] "r"(0x900F01D0u)
                     : "lr", "memory");
    {
        const uint32_t got[3] = {abt_stack[30], abt_stack[31], sp_after};
        const uint32_t exp[3] = {0x1234, 0x900F01D0u, abt_sp};
        st_case(g, 3, got, exp);
    }

    /* RFEDA from a hand-built frame: PC from [Rn - 4], CPSR from [Rn], Rn -= 8 */
    uint32_t frame[2], base, flags;
    reached = 0;
    __asm__ volatile("adr r4, 1f\n\t"
                     "str r4, [%[f]]\n\t"
                     "str %[cp], [%[f], #4]\n\t"
                     "add %[b], %[f], #4\n\t"
                     "rfeda %[b]!\n\t"
                     "mov %[r], #7\n"
                     "1:\tmrs %[fl], cpsr\n\t"
                     "add %[r], %[r], #1"
                     : [b] "=&r"(base), [fl] "=&r"(flags), [r] "+&r"(reached)
                     : [f] "r"(frame), [cp] "r"(0x300000D3u)
                     : "r4", "cc", "memory");
    {
        const uint32_t got[3] = {reached, flags & 0xF80001FFu, base};
        const uint32_t exp[3] = {1, 0x300000D3u, (uint32_t)(uintptr_t)frame - 4};
        st_case(g, 3, got, exp);
    }
}

bool group_exceptions(void)
{
    struct st_group g;
    st_begin(&g, "exceptions");

    uint32_t vbar, old_und_sp, old_abt_sp;
    __asm__ volatile("mrc p15, 0, %0, c12, c0, 0" : "=r"(vbar));
    __asm__ volatile("mrs %0, sp_und" : "=r"(old_und_sp));
    __asm__ volatile("mrs %0, sp_abt" : "=r"(old_abt_sp));
    __asm__ volatile("msr sp_und, %0" ::"r"(&und_stack[64]));
    __asm__ volatile("msr sp_abt, %0" ::"r"(&abt_stack[64]));
    __asm__ volatile("mcr p15, 0, %0, c12, c0, 0\n\tisb" ::"r"(exc_vectors) : "memory");
    __asm__ volatile("msr cpsr_xc, %0" ::"r"(TEST_CPSR_LOW) : "memory");

    svc_and_undef(&g);
    bkpt(&g);
    alignment(&g);
    srs_rfe(&g);

    __asm__ volatile("cpsid aif" ::: "memory");
    __asm__ volatile("mcr p15, 0, %0, c12, c0, 0\n\tisb" ::"r"(vbar) : "memory");
    __asm__ volatile("msr sp_abt, %0" ::"r"(old_abt_sp));
    __asm__ volatile("msr sp_und, %0" ::"r"(old_und_sp));
    return st_end(&g);
}
