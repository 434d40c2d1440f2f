/*
 * compressed: the RV64C instructions (Unprivileged spec chapter 16), each checked by its
 * effect, which must equal that of its 32-bit expansion. The ALU forms come from
 * tables/compressed.inc (C.ADDI, C.ADDIW incl. SEXT.W, C.SLLI, C.LI, C.LUI, C.SRLI, C.SRAI,
 * C.ANDI, C.SUB/XOR/OR/AND/SUBW/ADDW, C.ADD, C.MV); here: C.ADDI4SPN, C.ADDI16SP, the
 * register-based and stack-based loads and stores, C.J, C.JR, C.JALR (link = pc + 2),
 * C.BEQZ/C.BNEZ and C.NOP. C.EBREAK is in the traps group; C.FLD/C.FSD and friends are
 * F/D instructions, absent from these images.
 */
#include "selftest.h"
#include "tables/compressed.inc"

static uint64_t exec(const struct rv_case *c)
{
    uint64_t d = 0, a = c->a, b = c->b;
    switch (c->op) {
#define RUN(name, asm_)                                                                    \
    case OP_##name:                                                                        \
        __asm__ volatile(asm_ : [d] "=&cr"(d) : [a] "r"(a), [b] "cr"(b) : "memory");        \
        break;
        COMPRESSED_OPS(RUN)
#undef RUN
    default:
        break;
    }
    return d;
}

static volatile uint64_t area[32] __attribute__((aligned(8)));

static void stack_and_memory(struct st_group *g)
{
    uint64_t d, e, f;

    /* C.ADDI4SPN: rd' = sp + nzuimm (multiple of 4, up to 1020) */
    __asm__ volatile("c.addi4spn %[d], sp, 16\n\tsub %[d], %[d], sp" : [d] "=&cr"(d));
    st_check(g, d, 16);
    __asm__ volatile("c.addi4spn %[d], sp, 1020\n\tsub %[d], %[d], sp" : [d] "=&cr"(d));
    st_check(g, d, 1020);
    /* C.ADDI16SP: sp += nzimm (multiple of 16, -512..496); sp is put back */
    __asm__ volatile("mv %[e], sp\n\tc.addi16sp sp, -512\n\tsub %[d], sp, %[e]\n\tc.addi16sp sp, 496\n\t"
                     "c.addi16sp sp, 16\n\tsub %[e], sp, %[e]"
                     : [d] "=&r"(d), [e] "=&r"(e));
    {
        const uint64_t got[2] = {d, e}, exp[2] = {(uint64_t)-512, 0};
        st_case(g, 2, got, exp);
    }
    /* C.SW/C.LW (sign-extends), C.SD/C.LD, at the largest offsets */
    area[15] = 0;
    area[31] = 0;
    __asm__ volatile("c.sw %[v], 124(%[a])\n\tc.lw %[d], 124(%[a])\n\t"
                     "c.sd %[v], 248(%[a])\n\tc.ld %[e], 248(%[a])"
                     : [d] "=&cr"(d), [e] "=&cr"(e)
                     : [a] "cr"(area), [v] "cr"(0x1234567887654321ul)
                     : "memory");
    {
        const uint64_t got[4] = {d, area[15], e, area[31]},
                       exp[4] = {0xFFFFFFFF87654321ul, 0x8765432100000000ul, 0x1234567887654321ul,
                                 0x1234567887654321ul};
        st_case(g, 4, got, exp);
    }
    __asm__ volatile("c.lw %[d], 0(%[a])\n\tc.ld %[e], 0(%[a])"
                     : [d] "=&cr"(d), [e] "=&cr"(e)
                     : [a] "cr"(&area[31])
                     : "memory");
    {
        const uint64_t got[2] = {d, e}, exp[2] = {0xFFFFFFFF87654321ul, 0x1234567887654321ul};
        st_case(g, 2, got, exp);
    }
    /* C.SDSP/C.LDSP and C.SWSP/C.LWSP on a 64-byte stack area; the 64-bit view checks that
     * C.SWSP wrote only 4 bytes */
    __asm__ volatile("addi sp, sp, -64\n\t"
                     "c.sdsp %[v], 8(sp)\n\tc.ldsp %[d], 8(sp)\n\t"
                     "c.sdsp zero, 16(sp)\n\tc.swsp %[w], 16(sp)\n\tc.lwsp %[e], 16(sp)\n\t"
                     "ld %[f], 16(sp)\n\t"
                     "addi sp, sp, 64"
                     : [d] "=&r"(d), [e] "=&r"(e), [f] "=&r"(f)
                     : [v] "r"(0xA5A5A5A55A5A5A5Aul), [w] "r"(0x00000000F0000001ul)
                     : "memory");
    {
        const uint64_t got[3] = {d, e, f}, exp[3] = {0xA5A5A5A55A5A5A5Aul, 0xFFFFFFFFF0000001ul, 0xF0000001ul};
        st_case(g, 3, got, exp);
    }
}

static void control(struct st_group *g)
{
    uint64_t d, s, t, base;

    /* C.J forward and backward */
    __asm__ volatile("li %[s], 0\n\tc.j 2f\n1:\tli %[s], 1\n\tc.j 3f\n2:\tc.j 1b\n\tli %[s], 2\n3:"
                     : [s] "=&r"(s));
    st_check(g, s, 1);
    /* C.JR */
    __asm__ volatile("li %[s], 0\n\tlla %[t], 1f\n\tc.jr %[t]\n\tli %[s], 1\n1:"
                     : [s] "=&r"(s), [t] "=&r"(t));
    st_check(g, s, 0);
    /* C.JALR: ra = pc + 2 */
    __asm__ volatile("li %[s], 0\n\tlla %[t], 2f\n1:\tc.jalr %[t]\n\tli %[s], 1\n2:\t"
                     "lla %[b], 1b\n\tsub %[d], ra, %[b]"
                     : [d] "=&r"(d), [s] "=&r"(s), [t] "=&r"(t), [b] "=&r"(base)
                     :
                     : "ra");
    {
        const uint64_t got[2] = {d, s}, exp[2] = {2, 0};
        st_case(g, 2, got, exp);
    }
    /* C.BEQZ / C.BNEZ, taken and not taken, forward and backward */
    static const uint64_t values[] = {0, 1, 0x8000000000000000ul, 0x100000000ul};
    for (unsigned i = 0; i < 4; i++) {
        uint64_t v = values[i], taken_eq, taken_ne, back;
        __asm__ volatile("li %[d], 1\n\tc.beqz %[v], 1f\n\tli %[d], 0\n1:"
                         : [d] "=&r"(taken_eq)
                         : [v] "cr"(v));
        __asm__ volatile("li %[d], 1\n\tc.bnez %[v], 1f\n\tli %[d], 0\n1:"
                         : [d] "=&r"(taken_ne)
                         : [v] "cr"(v));
        __asm__ volatile("li %[d], 0\n\tc.j 2f\n1:\tli %[d], 1\n\tc.j 3f\n2:\tc.bnez %[v], 1b\n3:"
                         : [d] "=&r"(back)
                         : [v] "cr"(v));
        const uint64_t got[3] = {taken_eq, taken_ne, back};
        const uint64_t exp[3] = {v == 0, v != 0, v != 0};
        st_case(g, 3, got, exp);
    }
    /* C.NOP changes nothing but the pc: AUIPC (4 bytes) + two C.NOPs (2 + 2) = 8 */
    __asm__ volatile("auipc %[b], 0\n\tc.nop\n\tc.nop\n\tauipc %[d], 0\n\tsub %[d], %[d], %[b]"
                     : [d] "=&r"(d), [b] "=&r"(base));
    st_check(g, d, 8);
}

bool group_compressed(void)
{
    struct st_group g;
    st_begin(&g, "compressed");
    for (unsigned i = 0; i < sizeof compressed_cases / sizeof compressed_cases[0]; i++)
        st_check(&g, exec(&compressed_cases[i]), compressed_cases[i].expected);
    stack_and_memory(&g);
    control(&g);
    return st_end(&g);
}
