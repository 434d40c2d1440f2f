/*
 * muldiv: the M extension (Unprivileged spec chapter 7): MUL/MULH/MULHSU/MULHU/MULW and
 * DIV/DIVU/REM/REMU with their W forms, including division by zero (quotient all ones,
 * remainder = dividend) and the signed overflow -2^63 / -1 (quotient -2^63, remainder 0;
 * -2^31 / -1 for the W forms), Table 7.1. All from tables/muldiv.inc.
 */
#include "selftest.h"
#include "tables/muldiv.inc"

static uint64_t exec(const struct rv_case *c)
{
    uint64_t d = 0, a = c->a, b = c->b;
    switch (c->op) {
#define RUN(name, asm_)                                                                    \
    case OP_##name:                                                                        \
        __asm__ volatile(RV_NORVC(asm_) : [d] "=&r"(d) : [a] "r"(a), [b] "r"(b) : "memory"); \
        break;
        MULDIV_OPS(RUN)
#undef RUN
    default:
        break;
    }
    return d;
}

bool group_muldiv(void)
{
    return st_run_table("muldiv", muldiv_cases, sizeof muldiv_cases / sizeof muldiv_cases[0], exec);
}
