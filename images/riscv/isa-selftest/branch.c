/*
 * branch: the six conditional branches, taken forward and backward, signed and unsigned
 * (tables/branch.inc), then JAL and JALR link values and targets (Unprivileged spec 2.5):
 * rd = pc + 4; JALR's target is (rs1 + imm) with bit 0 cleared, computed before rd is
 * written (so rd = rs1 works); x0 as rd discards the link.
 */
#include "selftest.h"
#include "tables/branch.inc"

static uint64_t exec(const struct rv_case *c)
{
    uint64_t d = 0, a = c->a, b = c->b;
    switch (c->op) {
#define RUN(name, asm_)                                                                    \
    case OP_##name:                                                                        \
        __asm__ volatile(RV_NORVC(asm_) : [d] "=&r"(d) : [a] "r"(a), [b] "r"(b) : "memory"); \
        break;
        BRANCH_OPS(RUN)
#undef RUN
    default:
        break;
    }
    return d;
}

/* Each jump case returns {link - address of the jump, skipped-instruction marker}: the
 * marker is set to 1 by an instruction the jump must skip. */
static void jumps(struct st_group *g)
{
    uint64_t d, base, t, s;

    /* JAL forward */
    __asm__ volatile(RV_NORVC("li %[s], 0\n"
                              "1: jal %[d], 2f\n"
                              "   li %[s], 1\n"
                              "2: lla %[b], 1b\n"
                              "   sub %[d], %[d], %[b]")
                     : [d] "=&r"(d), [b] "=&r"(base), [s] "=&r"(s));
    {
        const uint64_t got[2] = {d, s}, exp[2] = {4, 0};
        st_case(g, 2, got, exp);
    }
    /* JAL backward */
    __asm__ volatile(RV_NORVC("li %[s], 0\n"
                              "   j 2f\n"
                              "1: li %[s], 1\n"
                              "   j 3f\n"
                              "2: jal %[d], 1b\n"
                              "   li %[s], 2\n"
                              "3: lla %[b], 2b\n"
                              "   sub %[d], %[d], %[b]")
                     : [d] "=&r"(d), [b] "=&r"(base), [s] "=&r"(s));
    {
        const uint64_t got[2] = {d, s}, exp[2] = {4, 1};
        st_case(g, 2, got, exp);
    }
    /* JAL x0 (J): no link, x0 stays zero */
    __asm__ volatile(RV_NORVC("li %[s], 0\n"
                              "   jal zero, 1f\n"
                              "   li %[s], 1\n"
                              "1: mv %[d], zero")
                     : [d] "=&r"(d), [s] "=&r"(s));
    {
        const uint64_t got[2] = {d, s}, exp[2] = {0, 0};
        st_case(g, 2, got, exp);
    }
    /* JALR with offsets 0, +8, -12, an odd sum (bit 0 cleared), and an odd immediate */
    __asm__ volatile(RV_NORVC("li %[s], 0\n"
                              "   lla %[t], 2f\n"
                              "1: jalr %[d], 0(%[t])\n"
                              "   li %[s], 1\n"
                              "2: lla %[b], 1b\n"
                              "   sub %[d], %[d], %[b]")
                     : [d] "=&r"(d), [b] "=&r"(base), [t] "=&r"(t), [s] "=&r"(s));
    {
        const uint64_t got[2] = {d, s}, exp[2] = {4, 0};
        st_case(g, 2, got, exp);
    }
    __asm__ volatile(RV_NORVC("li %[s], 0\n"
                              "   lla %[t], 2f\n"
                              "   addi %[t], %[t], -8\n"
                              "1: jalr %[d], 8(%[t])\n"
                              "   li %[s], 1\n"
                              "2: lla %[b], 1b\n"
                              "   sub %[d], %[d], %[b]")
                     : [d] "=&r"(d), [b] "=&r"(base), [t] "=&r"(t), [s] "=&r"(s));
    {
        const uint64_t got[2] = {d, s}, exp[2] = {4, 0};
        st_case(g, 2, got, exp);
    }
    __asm__ volatile(RV_NORVC("li %[s], 0\n"
                              "   lla %[t], 2f\n"
                              "   addi %[t], %[t], 12\n"
                              "1: jalr %[d], -12(%[t])\n"
                              "   li %[s], 1\n"
                              "2: lla %[b], 1b\n"
                              "   sub %[d], %[d], %[b]")
                     : [d] "=&r"(d), [b] "=&r"(base), [t] "=&r"(t), [s] "=&r"(s));
    {
        const uint64_t got[2] = {d, s}, exp[2] = {4, 0};
        st_case(g, 2, got, exp);
    }
    __asm__ volatile(RV_NORVC("li %[s], 0\n"
                              "   lla %[t], 2f\n"
                              "   addi %[t], %[t], 1\n"
                              "1: jalr %[d], 0(%[t])\n"
                              "   li %[s], 1\n"
                              "2: lla %[b], 1b\n"
                              "   sub %[d], %[d], %[b]")
                     : [d] "=&r"(d), [b] "=&r"(base), [t] "=&r"(t), [s] "=&r"(s));
    {
        const uint64_t got[2] = {d, s}, exp[2] = {4, 0};
        st_case(g, 2, got, exp);
    }
    __asm__ volatile(RV_NORVC("li %[s], 0\n"
                              "   lla %[t], 2f\n"
                              "1: jalr %[d], 1(%[t])\n"
                              "   li %[s], 1\n"
                              "2: lla %[b], 1b\n"
                              "   sub %[d], %[d], %[b]")
                     : [d] "=&r"(d), [b] "=&r"(base), [t] "=&r"(t), [s] "=&r"(s));
    {
        const uint64_t got[2] = {d, s}, exp[2] = {4, 0};
        st_case(g, 2, got, exp);
    }
    /* JALR rd = rs1: the target comes from the old rs1 */
    __asm__ volatile(RV_NORVC("li %[s], 0\n"
                              "   lla %[d], 2f\n"
                              "1: jalr %[d], 0(%[d])\n"
                              "   li %[s], 1\n"
                              "2: lla %[b], 1b\n"
                              "   sub %[d], %[d], %[b]")
                     : [d] "=&r"(d), [b] "=&r"(base), [s] "=&r"(s));
    {
        const uint64_t got[2] = {d, s}, exp[2] = {4, 0};
        st_case(g, 2, got, exp);
    }
    /* JALR x0 (an indirect jump, like RET): no link */
    __asm__ volatile(RV_NORVC("li %[s], 0\n"
                              "   lla %[t], 1f\n"
                              "   jalr zero, 0(%[t])\n"
                              "   li %[s], 1\n"
                              "1: mv %[d], zero")
                     : [d] "=&r"(d), [t] "=&r"(t), [s] "=&r"(s));
    {
        const uint64_t got[2] = {d, s}, exp[2] = {0, 0};
        st_case(g, 2, got, exp);
    }
    /* A call and a return through ra: JAL ra to a local routine that adds 5 to its
     * argument and returns with JALR x0, 0(ra); the instruction after the call runs next. */
    __asm__ volatile(RV_NORVC("li %[d], 37\n"
                              "   j 2f\n"
                              "1: addi %[d], %[d], 5\n"
                              "   jalr zero, 0(ra)\n"
                              "2: jal ra, 1b\n"
                              "   addi %[d], %[d], 100")
                     : [d] "=&r"(d)
                     :
                     : "ra");
    st_check(g, d, 142);
}

bool group_branch(void)
{
    struct st_group g;
    st_begin(&g, "branch");
    for (unsigned i = 0; i < sizeof branch_cases / sizeof branch_cases[0]; i++)
        st_check(&g, exec(&branch_cases[i]), branch_cases[i].expected);
    jumps(&g);
    return st_end(&g);
}
