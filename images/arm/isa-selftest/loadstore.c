/*
 * loadstore: LDR/STR/LDRB/STRB/LDRH/STRH/LDRSB/LDRSH in every A32 addressing mode (ARM ARM
 * A5.3 and A8.8: immediate, register and scaled-register offsets, positive and negative,
 * pre-indexed with writeback, post-indexed), LDRD/STRD, the unprivileged LDRT/STRT family,
 * PC-relative loads, LDR to PC, and unaligned LDR/STR/LDRH/STRH with SCTLR.A = 0 (A3.2.1:
 * little-endian bytes from consecutive addresses).
 *
 * Memory: `mem` is reset before every case to init_words, whose bytes are chosen so that
 * every byte is distinct and half of them have bit 7 set (for the sign extensions):
 *
 *   offset: 0  1  2  3  4  5  6  7  8  9  A  B  C  D  E  F  10 11 12 13 14 ...
 *   byte:   00 01 02 03 04 05 06 07 88 89 8A 8B 8C 8D 8E 8F 10 11 12 13 F4 ...
 *
 * Every case checks the loaded value (or the stored memory) and the base register after
 * writeback. The unaligned cases run with the MMU off, where data accesses are
 * Strongly-ordered (B3.2.1, stage 1 translation disabled) and ARMv7 makes unaligned accesses
 * to Strongly-ordered memory UNPREDICTABLE (A3.5.7, "Memory access restrictions"); QEMU and
 * hetboot treat RAM as Normal memory there, which is what these cases expect.
 */
#include "selftest.h"

static const uint32_t init_words[16] = {
    0x03020100, 0x07060504, 0x8B8A8988, 0x8F8E8D8C, 0x13121110, 0xF7F6F5F4, 0x7B7A7978, 0xFFFEFDFC,
    0x23222120, 0xA7A6A5A4, 0x2B2A2928, 0x2F2E2D2C, 0x33323130, 0x37363534, 0x3B3A3938, 0x3F3E3D3C,
};
static volatile uint32_t mem[16] __attribute__((aligned(8)));

static uint32_t addr(unsigned offset) { return (uint32_t)(uintptr_t)mem + offset; }

static void reset_mem(void)
{
    for (unsigned i = 0; i < 16; i++)
        mem[i] = init_words[i];
    rt_dsb();
}

static void check2(struct st_group *g, uint32_t v, uint32_t base, uint32_t ev, uint32_t ebase)
{
    const uint32_t got[2] = {v, base}, exp[2] = {ev, ebase};
    st_case(g, 2, got, exp);
}

/* LD: %[v] (out) <- insn using %[b] (base, in/out) and %[i] (index, in). */
#define LD(g, insn, base0, idx0, ev, ebase)                                                  \
    do {                                                                                     \
        reset_mem();                                                                         \
        uint32_t v_ = 0xDEADBEEF, b_ = (base0), i_ = (idx0);                                 \
        __asm__ volatile(insn : [v] "+&r"(v_), [b] "+&r"(b_) : [i] "r"(i_) : "memory", "cc"); \
        check2(g, v_, b_, (ev), (ebase));                                                    \
    } while (0)

/* ST: insn stores %[v] using %[b] and %[i]; checks mem word `w` and the base. */
#define ST(g, insn, val, base0, idx0, w, ew, ebase)                                          \
    do {                                                                                     \
        reset_mem();                                                                         \
        uint32_t v_ = (val), b_ = (base0), i_ = (idx0);                                      \
        __asm__ volatile(insn : [b] "+&r"(b_) : [v] "r"(v_), [i] "r"(i_) : "memory", "cc");  \
        check2(g, mem[w], b_, (ew), (ebase));                                                \
    } while (0)

static void word_and_byte(struct st_group *g)
{
    /* LDR: immediate offset, negative immediate, register, negative register, scaled */
    LD(g, "ldr %[v], [%[b], #4]", addr(0), 0, 0x07060504, addr(0));
    LD(g, "ldr %[v], [%[b], #-4]", addr(12), 0, 0x8B8A8988, addr(12));
    LD(g, "ldr %[v], [%[b], #0]", addr(60), 0, 0x3F3E3D3C, addr(60));
    LD(g, "ldr %[v], [%[b], %[i]]", addr(0), 8, 0x8B8A8988, addr(0));
    LD(g, "ldr %[v], [%[b], -%[i]]", addr(16), 12, 0x07060504, addr(16));
    LD(g, "ldr %[v], [%[b], %[i], lsl #2]", addr(0), 3, 0x8F8E8D8C, addr(0));
    LD(g, "ldr %[v], [%[b], -%[i], lsl #3]", addr(40), 2, 0x7B7A7978, addr(40));
    LD(g, "ldr %[v], [%[b], %[i], lsr #1]", addr(0), 40, 0xF7F6F5F4, addr(0));
    LD(g, "ldr %[v], [%[b], %[i], asr #2]", addr(32), 0xFFFFFFF0, 0xFFFEFDFC, addr(32));
    /* ROR #8 of 0x00000400 is 0x00000004; RRX with C = 0 halves the index */
    LD(g, "ldr %[v], [%[b], %[i], ror #8]", addr(0), 0x00000400, 0x07060504, addr(0));
    LD(g, "cmn %[i], #0\n\tldr %[v], [%[b], %[i], rrx]", addr(0), 16, 0x8B8A8988, addr(0));
    /* pre-indexed with writeback, post-indexed */
    LD(g, "ldr %[v], [%[b], #4]!", addr(0), 0, 0x07060504, addr(4));
    LD(g, "ldr %[v], [%[b], #-8]!", addr(16), 0, 0x8B8A8988, addr(8));
    LD(g, "ldr %[v], [%[b], %[i], lsl #2]!", addr(4), 2, 0x8F8E8D8C, addr(12));
    LD(g, "ldr %[v], [%[b], -%[i]]!", addr(20), 4, 0x13121110, addr(16));
    LD(g, "ldr %[v], [%[b]], #4", addr(0), 0, 0x03020100, addr(4));
    LD(g, "ldr %[v], [%[b]], #-12", addr(28), 0, 0xFFFEFDFC, addr(16));
    LD(g, "ldr %[v], [%[b]], %[i]", addr(8), 24, 0x8B8A8988, addr(32));
    LD(g, "ldr %[v], [%[b]], -%[i], lsl #1", addr(8), 4, 0x8B8A8988, addr(0));
    /* LDRB zero-extends */
    LD(g, "ldrb %[v], [%[b], #9]", addr(0), 0, 0x00000089, addr(0));
    LD(g, "ldrb %[v], [%[b], #-1]", addr(4), 0, 0x00000003, addr(4));
    LD(g, "ldrb %[v], [%[b], %[i]]", addr(0), 15, 0x0000008F, addr(0));
    LD(g, "ldrb %[v], [%[b], #1]!", addr(7), 0, 0x00000088, addr(8));
    LD(g, "ldrb %[v], [%[b]], #-1", addr(21), 0, 0x000000F5, addr(20));
    LD(g, "ldrb %[v], [%[b], -%[i], lsl #2]!", addr(33), 8, 0x00000001, addr(1));

    /* STR / STRB */
    ST(g, "str %[v], [%[b], #8]", 0xCAFEF00D, addr(0), 0, 2, 0xCAFEF00D, addr(0));
    ST(g, "str %[v], [%[b], -%[i]]", 0x11223344, addr(32), 4, 7, 0x11223344, addr(32));
    ST(g, "str %[v], [%[b], %[i], lsl #2]!", 0x55667788, addr(8), 3, 5, 0x55667788, addr(20));
    ST(g, "str %[v], [%[b]], #-4", 0x99AABBCC, addr(12), 0, 3, 0x99AABBCC, addr(8));
    ST(g, "str %[v], [%[b]], %[i]", 0x0BADC0DE, addr(0), 60, 0, 0x0BADC0DE, addr(60));
    ST(g, "strb %[v], [%[b], #1]", 0x123456AB, addr(4), 0, 1, 0x0706AB04, addr(4));
    ST(g, "strb %[v], [%[b], %[i]]!", 0xFFFFFFCD, addr(8), 3, 2, 0xCD8A8988, addr(11));
    ST(g, "strb %[v], [%[b]], #1", 0x000000EF, addr(0), 0, 0, 0x030201EF, addr(1));
}

static void halfword_and_signed(struct st_group *g)
{
    /* LDRH / LDRSH / LDRSB: imm8 split into imm4H:imm4L, register offset (no shift) */
    LD(g, "ldrh %[v], [%[b], #10]", addr(0), 0, 0x00008B8A, addr(0));
    LD(g, "ldrh %[v], [%[b], #-2]", addr(4), 0, 0x00000302, addr(4));
    LD(g, "ldrh %[v], [%[b], %[i]]", addr(0), 0x12, 0x00001312, addr(0));
    LD(g, "ldrh %[v], [%[b], -%[i]]!", addr(24), 14, 0x00008B8A, addr(10));
    LD(g, "ldrh %[v], [%[b]], #2", addr(14), 0, 0x00008F8E, addr(16));
    LD(g, "ldrh %[v], [%[b]], -%[i]", addr(30), 30, 0x0000FFFE, addr(0));
    LD(g, "ldrsh %[v], [%[b], #10]", addr(0), 0, 0xFFFF8B8A, addr(0));
    LD(g, "ldrsh %[v], [%[b], #16]", addr(0), 0, 0x00001110, addr(0));
    LD(g, "ldrsh %[v], [%[b], %[i]]!", addr(20), 2, 0xFFFFF7F6, addr(22));
    LD(g, "ldrsh %[v], [%[b]], #-4", addr(24), 0, 0x00007978, addr(20));
    LD(g, "ldrsb %[v], [%[b], #8]", addr(0), 0, 0xFFFFFF88, addr(0));
    LD(g, "ldrsb %[v], [%[b], #7]", addr(0), 0, 0x00000007, addr(0));
    LD(g, "ldrsb %[v], [%[b], -%[i]]", addr(32), 1, 0xFFFFFFFF, addr(32));
    LD(g, "ldrsb %[v], [%[b], #-255]!", addr(255 + 13), 0, 0xFFFFFF8D, addr(13));
    LD(g, "ldrsb %[v], [%[b]], %[i]", addr(20), 5, 0xFFFFFFF4, addr(25));

    ST(g, "strh %[v], [%[b], #2]", 0xAAAA1234, addr(0), 0, 0, 0x12340100, addr(0));
    ST(g, "strh %[v], [%[b], -%[i]]", 0x0000BEEF, addr(12), 2, 2, 0xBEEF8988, addr(12));
    ST(g, "strh %[v], [%[b], #6]!", 0x00005A5A, addr(0), 0, 1, 0x5A5A0504, addr(6));
    ST(g, "strh %[v], [%[b]], %[i]", 0x0000C3C3, addr(16), 4, 4, 0x1312C3C3, addr(20));
}

static void doubleword(struct st_group *g)
{
    /* LDRD/STRD need an even/odd register pair: r4/r5 explicitly */
    uint32_t lo, hi, b;

    reset_mem();
    b = addr(8);
    __asm__ volatile("ldrd r4, r5, [%[b]]\n\tmov %[lo], r4\n\tmov %[hi], r5"
                     : [lo] "=r"(lo), [hi] "=r"(hi) : [b] "r"(b) : "r4", "r5", "memory");
    {
        const uint32_t got[2] = {lo, hi}, exp[2] = {0x8B8A8988, 0x8F8E8D8C};
        st_case(g, 2, got, exp);
    }

    reset_mem();
    b = addr(4); /* word-aligned, not doubleword-aligned: allowed with SCTLR.A = 0 */
    __asm__ volatile("ldrd r4, r5, [%[b], #-4]!\n\tmov %[lo], r4\n\tmov %[hi], r5"
                     : [lo] "=r"(lo), [hi] "=r"(hi), [b] "+r"(b) : : "r4", "r5", "memory");
    {
        const uint32_t got[3] = {lo, hi, b}, exp[3] = {0x03020100, 0x07060504, addr(0)};
        st_case(g, 3, got, exp);
    }

    reset_mem();
    b = addr(0);
    {
        uint32_t i = 20;
        __asm__ volatile("ldrd r4, r5, [%[b]], %[i]\n\tmov %[lo], r4\n\tmov %[hi], r5"
                         : [lo] "=r"(lo), [hi] "=r"(hi), [b] "+r"(b) : [i] "r"(i)
                         : "r4", "r5", "memory");
        const uint32_t got[3] = {lo, hi, b}, exp[3] = {0x03020100, 0x07060504, addr(20)};
        st_case(g, 3, got, exp);
    }

    reset_mem();
    b = addr(40);
    {
        uint32_t i = 16;
        __asm__ volatile("ldrd r4, r5, [%[b], -%[i]]\n\tmov %[lo], r4\n\tmov %[hi], r5"
                         : [lo] "=r"(lo), [hi] "=r"(hi) : [b] "r"(b), [i] "r"(i)
                         : "r4", "r5", "memory");
        const uint32_t got[2] = {lo, hi}, exp[2] = {0x7B7A7978, 0xFFFEFDFC};
        st_case(g, 2, got, exp);
    }

    reset_mem();
    b = addr(16);
    __asm__ volatile("movw r4, #0x1111\n\tmovt r4, #0xAAAA\n\t"
                     "movw r5, #0x2222\n\tmovt r5, #0xBBBB\n\t"
                     "strd r4, r5, [%[b], #8]!"
                     : [b] "+r"(b) : : "r4", "r5", "memory");
    {
        const uint32_t got[4] = {mem[6], mem[7], b, mem[5]},
                       exp[4] = {0xAAAA1111, 0xBBBB2222, addr(24), 0xF7F6F5F4};
        st_case(g, 4, got, exp);
    }

    reset_mem();
    b = addr(4);
    {
        uint32_t i = 8;
        __asm__ volatile("mov r4, #0x44\n\tmov r5, #0x55\n\tstrd r4, r5, [%[b]], -%[i]"
                         : [b] "+r"(b) : [i] "r"(i) : "r4", "r5", "memory");
        const uint32_t got[3] = {mem[1], mem[2], b}, exp[3] = {0x44, 0x55, addr(0) - 4};
        st_case(g, 3, got, exp);
    }
}

static void unprivileged(struct st_group *g)
{
    /* LDRT & co: post-indexed only in A32; from a PL1 mode they access memory as PL0 would,
     * which with the MMU off is the same memory. (Not valid in HYP: main left it.) */
    LD(g, "ldrt %[v], [%[b]], #4", addr(8), 0, 0x8B8A8988, addr(12));
    LD(g, "ldrt %[v], [%[b]], -%[i]", addr(12), 8, 0x8F8E8D8C, addr(4));
    LD(g, "ldrbt %[v], [%[b]], #1", addr(9), 0, 0x00000089, addr(10));
    LD(g, "ldrht %[v], [%[b]], #2", addr(10), 0, 0x00008B8A, addr(12));
    LD(g, "ldrsbt %[v], [%[b]], #1", addr(14), 0, 0xFFFFFF8E, addr(15));
    LD(g, "ldrsht %[v], [%[b]], #-2", addr(20), 0, 0xFFFFF5F4, addr(18));
    ST(g, "strt %[v], [%[b]], #4", 0x600DF00D, addr(24), 0, 6, 0x600DF00D, addr(28));
    ST(g, "strbt %[v], [%[b]], %[i]", 0x000000A5, addr(2), 2, 0, 0x03A50100, addr(4));
    ST(g, "strht %[v], [%[b]], #2", 0x00004321, addr(6), 0, 1, 0x43210504, addr(8));
}

static void unaligned(struct st_group *g)
{
    uint32_t sctlr;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n\tisb" ::"r"(sctlr & ~2u)); /* A = 0 */

    LD(g, "ldr %[v], [%[b], #1]", addr(0), 0, 0x04030201, addr(0));
    LD(g, "ldr %[v], [%[b], #6]", addr(0), 0, 0x89880706, addr(0));
    LD(g, "ldr %[v], [%[b]], #4", addr(3), 0, 0x06050403, addr(7));
    LD(g, "ldrh %[v], [%[b], #3]", addr(0), 0, 0x00000403, addr(0));
    LD(g, "ldrsh %[v], [%[b], #11]", addr(0), 0, 0xFFFF8C8B, addr(0));
    ST(g, "str %[v], [%[b], #5]", 0xAABBCCDD, addr(0), 0, 1, 0xBBCCDD04, addr(0));
    ST(g, "str %[v], [%[b], #5]", 0xAABBCCDD, addr(0), 0, 2, 0x8B8A89AA, addr(0));
    ST(g, "strh %[v], [%[b], #7]", 0x0000EEFF, addr(0), 0, 1, 0xFF060504, addr(0));
    ST(g, "strh %[v], [%[b], #7]", 0x0000EEFF, addr(0), 0, 2, 0x8B8A89EE, addr(0));

    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n\tisb" ::"r"(sctlr));
}

static void pc_relative(struct st_group *g)
{
    uint32_t v = 0;
    /* literal load: the PC reads as the instruction's address + 8 */
    __asm__ volatile("ldr %0, 1f\n\tb 2f\n1:\t.word 0xCAFEF00D\n2:" : "=r"(v));
    st_check(g, v, 0xCAFEF00D);
    /* [PC, #-8] is the instruction itself: LDR (literal) A1 = cond 0101 U001 1111 Rt imm12 */
    __asm__ volatile("ldr %0, [pc, #-8]" : "=r"(v));
    st_check(g, v & 0xFFFF0FFFu, 0xE51F0008u);

    /* LDR to PC with an ARM target (bit 0 clear): a branch; the skipped MOV must not run */
    {
        volatile uint32_t target;
        uint32_t r = 0;
        __asm__ volatile("adr r1, 1f\n\t"
                         "str r1, [%[t]]\n\t"
                         "mov %[r], #1\n\t"
                         "ldr pc, [%[t]]\n\t"
                         "mov %[r], #2\n"
                         "1:\tadd %[r], %[r], #10"
                         : [r] "+&r"(r)
                         : [t] "r"(&target)
                         : "r1", "memory");
        st_check(g, r, 11);
    }
    /* LDR PC, [Rn], #4 (the POP {pc} encoding) also writes the base back */
    {
        uint32_t slot[2], r = 0, b = (uint32_t)(uintptr_t)slot;
        __asm__ volatile("adr r1, 1f\n\t"
                         "str r1, [%[b]]\n\t"
                         "mov %[r], #5\n\t"
                         "ldr pc, [%[b]], #4\n\t"
                         "mov %[r], #6\n"
                         "1:"
                         : [r] "+&r"(r), [b] "+&r"(b)
                         :
                         : "r1", "memory");
        const uint32_t got[2] = {r, b}, exp[2] = {5, (uint32_t)(uintptr_t)slot + 4};
        st_case(g, 2, got, exp);
    }
}

bool group_loadstore(void)
{
    struct st_group g;
    st_begin(&g, "loadstore");
    word_and_byte(&g);
    halfword_and_signed(&g);
    doubleword(&g);
    unprivileged(&g);
    unaligned(&g);
    pc_relative(&g);
    return st_end(&g);
}
