/*
 * alu: RV64I integer register-register and register-immediate instructions, the W forms
 * (32-bit operation, result sign-extended from bit 31), shifts (rs2[5:0], W: rs2[4:0]),
 * LUI and AUIPC (Unprivileged spec 2.4 and 5.2). All from tables/alu.inc.
 */
#include "selftest.h"
#include "tables/alu.inc"

static uint64_t exec(const struct rv_case *c)
{
    uint64_t d = 0, a = c->a, b = c->b;
    switch (c->op) {
#define RUN(name, asm_)                                                                    \
    case OP_##name:                                                                        \
        __asm__ volatile(RV_NORVC(asm_) : [d] "=&r"(d), [b] "+r"(b) : [a] "r"(a) : "memory"); \
        break;
        ALU_OPS(RUN)
#undef RUN
    default:
        break;
    }
    return d;
}

bool group_alu(void)
{
    return st_run_table("alu", alu_cases, sizeof alu_cases / sizeof alu_cases[0], exec);
}
