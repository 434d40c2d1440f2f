/*
 * branch: conditional execution of every condition code against every N Z C V combination
 * (ARM ARM A8.3, table "Condition codes"), for a flag-setting data-processing instruction
 * (MOVS<c>: when it fails its condition it must not touch the flags either) and for B<c>;
 * then B/BL/BX/BLX (register, ARM targets), MOV PC / ADD PC (ALUWritePC: an ARM-state
 * branch), the PC read as the instruction address + 8, and STR PC (ARMv7 PCStoreValue = + 8).
 */
#include "selftest.h"

/* cond_pass[c] bit k: condition c passes when NZCV = k (N = bit 3 ... V = bit 0). From the
 * table: EQ Z; NE !Z; CS C; CC !C; MI N; PL !N; VS V; VC !V; HI C && !Z; LS !C || Z;
 * GE N == V; LT N != V; GT !Z && N == V; LE Z || N != V; AL always. */
static const uint16_t cond_pass[15] = {
    0xF0F0, 0x0F0F, 0xCCCC, 0x3333, 0xFF00, 0x00FF, 0xAAAA, 0x5555,
    0x0C0C, 0xF3F3, 0xAA55, 0x55AA, 0x0A05, 0xF5FA, 0xFFFF,
};

/* MOVS<cc> r, #0 from r = 1: executed -> r = 0, Z = 1, N = 0, C and V kept */
#define MOVS_COND(cc, nzcv, out, fl)                                                        \
    __asm__ volatile("msr cpsr_f, %[in]\n\t"                                                 \
                     "mov %[r], #1\n\t"                                                      \
                     "movs" cc " %[r], #0\n\t"                                               \
                     "mrs %[f], cpsr"                                                        \
                     : [r] "=&r"(out), [f] "=&r"(fl)                                         \
                     : [in] "r"((nzcv) << 28)                                                \
                     : "cc")

/* B<cc>: r = 1 when taken */
#define B_COND(cc, nzcv, out)                                                                  \
    __asm__ volatile("msr cpsr_f, %[in]\n\t"                                                 \
                     "mov %[r], #1\n\t"                                                      \
                     "b" cc " 1f\n\t"                                                        \
                     "mov %[r], #0\n"                                                        \
                     "1:"                                                                    \
                     : [r] "=&r"(out)                                                        \
                     : [in] "r"((nzcv) << 28)                                                \
                     : "cc")

static void run_cond(struct st_group *g, unsigned c, uint32_t nzcv)
{
    uint32_t r = 0, flags = 0, taken = 0;
    switch (c) {
#define ONE(n, cc)                                                                           \
    case n:                                                                                  \
        MOVS_COND(cc, nzcv, r, flags);                                                       \
        B_COND(cc, nzcv, taken);                                                             \
        break;
        ONE(0, "eq") ONE(1, "ne") ONE(2, "cs") ONE(3, "cc") ONE(4, "mi") ONE(5, "pl")
        ONE(6, "vs") ONE(7, "vc") ONE(8, "hi") ONE(9, "ls") ONE(10, "ge") ONE(11, "lt")
        ONE(12, "gt") ONE(13, "le") ONE(14, "al")
#undef ONE
    }
    bool pass = (cond_pass[c] >> nzcv) & 1u;
    uint32_t flags_in = nzcv << 28;
    uint32_t flags_exp = pass ? ((flags_in & ~APSR_N) | APSR_Z) : flags_in;
    const uint32_t got[2] = {r, flags & 0xF0000000u}, exp[2] = {pass ? 0u : 1u, flags_exp};
    st_case(g, 2, got, exp);
    st_check(g, taken, pass ? 1u : 0u);
}

static void branches(struct st_group *g)
{
    uint32_t lr_seen, expect, r;

    /* BL: LR = the BL's address + 4 */
    __asm__ volatile("bl 1f\n"
                     "2:\tb 3f\n"
                     "1:\tmov %[l], lr\n\t"
                     "adr %[e], 2b\n\t"
                     "bx lr\n"
                     "3:"
                     : [l] "=&r"(lr_seen), [e] "=&r"(expect)
                     :
                     : "lr");
    st_check(g, lr_seen, expect);

    /* BLX register to an ARM address */
    __asm__ volatile("adr r4, 1f\n\t"
                     "blx r4\n"
                     "2:\tb 3f\n"
                     "1:\tmov %[l], lr\n\t"
                     "adr %[e], 2b\n\t"
                     "bx lr\n"
                     "3:"
                     : [l] "=&r"(lr_seen), [e] "=&r"(expect)
                     :
                     : "r4", "lr");
    st_check(g, lr_seen, expect);

    /* BX to an ARM address skips what lies between */
    __asm__ volatile("adr r4, 1f\n\t"
                     "mov %[r], #1\n\t"
                     "bx r4\n\t"
                     "mov %[r], #2\n"
                     "1:\tadd %[r], %[r], #10"
                     : [r] "=&r"(r)
                     :
                     : "r4");
    st_check(g, r, 11);

    /* MOV PC, Rm */
    __asm__ volatile("adr r4, 1f\n\t"
                     "mov %[r], #3\n\t"
                     "mov pc, r4\n\t"
                     "mov %[r], #4\n"
                     "1:\tadd %[r], %[r], #10"
                     : [r] "=&r"(r)
                     :
                     : "r4");
    st_check(g, r, 13);

    /* ADD PC, PC, #4: PC reads as this + 8, so the target is this + 12 (skips two) */
    __asm__ volatile("mov %[r], #0\n\t"
                     "add pc, pc, #4\n\t"
                     "orr %[r], %[r], #1\n\t"
                     "orr %[r], %[r], #2\n\t"
                     "orr %[r], %[r], #4"
                     : [r] "=&r"(r));
    st_check(g, r, 4);

    /* Conditional BL not taken leaves LR alone; BXEQ taken */
    __asm__ volatile("mov lr, #0x77\n\t"
                     "cmp %[r], %[r]\n\t"
                     "blne 1f\n\t"
                     "mov %[l], lr\n\t"
                     "b 2f\n"
                     "1:\tmov lr, #0\n\t"
                     "bx lr\n"
                     "2:"
                     : [l] "=&r"(lr_seen)
                     : [r] "r"(0)
                     : "lr", "cc");
    st_check(g, lr_seen, 0x77);
    __asm__ volatile("adr r4, 1f\n\t"
                     "mov %[r], #5\n\t"
                     "cmp %[r], #5\n\t"
                     "bxeq r4\n\t"
                     "mov %[r], #6\n"
                     "1:"
                     : [r] "=&r"(r)
                     :
                     : "r4", "cc");
    st_check(g, r, 5);

    /* A backward loop */
    __asm__ volatile("mov %[r], #0\n"
                     "1:\tadd %[r], %[r], #1\n\t"
                     "cmp %[r], #5\n\t"
                     "blt 1b"
                     : [r] "=&r"(r)
                     :
                     : "cc");
    st_check(g, r, 5);
}

static void pc_reads(struct st_group *g)
{
    uint32_t pc_seen, here;
    __asm__ volatile("1:\tmov %[p], pc\n\tadr %[h], 1b" : [p] "=&r"(pc_seen), [h] "=&r"(here));
    st_check(g, pc_seen, here + 8);
    __asm__ volatile("1:\tadd %[p], pc, #16\n\tadr %[h], 1b" : [p] "=&r"(pc_seen), [h] "=&r"(here));
    st_check(g, pc_seen, here + 24);

    volatile uint32_t slot = 0;
    __asm__ volatile("1:\tstr pc, [%[s]]\n\tadr %[h], 1b"
                     : [h] "=&r"(here)
                     : [s] "r"(&slot)
                     : "memory");
    st_check(g, slot, here + 8);
}

bool group_branch(void)
{
    struct st_group g;
    st_begin(&g, "branch");
    for (unsigned c = 0; c < 15; c++)
        for (uint32_t nzcv = 0; nzcv < 16; nzcv++)
            run_cond(&g, c, nzcv);
    branches(&g);
    pc_reads(&g);
    return st_end(&g);
}
