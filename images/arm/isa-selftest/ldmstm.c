/*
 * ldmstm: LDM/STM in the four addressing modes IA IB DA DB (ARM ARM A8.8.58-A8.8.61,
 * A8.8.199-A8.8.202) with and without writeback, lists that are not contiguous, PUSH/POP,
 * lists holding SP and LR, LDM/POP loading the PC (a branch), and the User-register forms
 * `{...}^` from SVC and FIQ (ldmstm_user.S).
 *
 * The lowest-numbered register always goes to the lowest address; IA starts at Rn, IB at
 * Rn+4, DA ends at Rn, DB ends at Rn-4; writeback adds or subtracts 4 x the register count.
 */
#include "selftest.h"

void ldmstm_stm_user_from_svc(uint32_t out[7]);
void ldmstm_stm_user_from_fiq(uint32_t out[10]);
void ldmstm_ldm_user(const uint32_t in[4], uint32_t out[4]);

static volatile uint32_t mem[12] __attribute__((aligned(8)));

static uint32_t at(unsigned word) { return (uint32_t)(uintptr_t)&mem[word]; }

static void reset_mem(void)
{
    for (unsigned i = 0; i < 12; i++)
        mem[i] = 0xA0A0A000u + i; /* word i holds 0xA0A0A0 << 8 | i */
    rt_dsb();
}

#define W(i) (0xA0A0A000u + (i))

/* Load r4-r7 with insn (base %[b], in/out) and compare the four registers + base. */
#define LDM4(g, insn, base0, e4, e5, e6, e7, ebase)                                          \
    do {                                                                                     \
        reset_mem();                                                                         \
        uint32_t b_ = (base0), r_[4];                                                        \
        __asm__ volatile("mov r4, #0\n\tmov r5, #0\n\tmov r6, #0\n\tmov r7, #0\n\t" insn     \
                         "\n\tstmia %[o], {r4-r7}"                                           \
                         : [b] "+&r"(b_)                                                     \
                         : [o] "r"(r_)                                                       \
                         : "r4", "r5", "r6", "r7", "memory");                                \
        const uint32_t got_[5] = {r_[0], r_[1], r_[2], r_[3], b_};                           \
        const uint32_t exp_[5] = {(e4), (e5), (e6), (e7), (ebase)};                          \
        st_case(g, 5, got_, exp_);                                                           \
    } while (0)

/* Store r4 = 0x44, r5 = 0x55, r6 = 0x66, r7 = 0x77 with insn; compare mem[w..w+3] + base. */
#define STM4(g, insn, base0, w, e0, e1, e2, e3, ebase)                                       \
    do {                                                                                     \
        reset_mem();                                                                         \
        uint32_t b_ = (base0);                                                               \
        __asm__ volatile("mov r4, #0x44\n\tmov r5, #0x55\n\tmov r6, #0x66\n\tmov r7, #0x77\n\t" insn \
                         : [b] "+&r"(b_)                                                     \
                         :                                                                   \
                         : "r4", "r5", "r6", "r7", "memory");                                \
        const uint32_t got_[5] = {mem[w], mem[(w) + 1], mem[(w) + 2], mem[(w) + 3], b_};     \
        const uint32_t exp_[5] = {(e0), (e1), (e2), (e3), (ebase)};                          \
        st_case(g, 5, got_, exp_);                                                           \
    } while (0)

static void addressing_modes(struct st_group *g)
{
    LDM4(g, "ldmia %[b], {r4-r7}", at(0), W(0), W(1), W(2), W(3), at(0));
    LDM4(g, "ldmia %[b]!, {r4-r7}", at(2), W(2), W(3), W(4), W(5), at(6));
    LDM4(g, "ldmib %[b], {r4-r5}", at(0), W(1), W(2), 0, 0, at(0));
    LDM4(g, "ldmib %[b]!, {r4-r6}", at(3), W(4), W(5), W(6), 0, at(6));
    LDM4(g, "ldmda %[b], {r4-r5}", at(5), W(4), W(5), 0, 0, at(5));
    LDM4(g, "ldmda %[b]!, {r4-r7}", at(7), W(4), W(5), W(6), W(7), at(3));
    LDM4(g, "ldmdb %[b], {r4-r6}", at(6), W(3), W(4), W(5), 0, at(6));
    LDM4(g, "ldmdb %[b]!, {r4}", at(9), W(8), 0, 0, 0, at(8));
    LDM4(g, "ldmia %[b]!, {r4, r6, r7}", at(1), W(1), 0, W(2), W(3), at(4));
    LDM4(g, "ldmdb %[b]!, {r5, r7}", at(11), 0, W(9), 0, W(10), at(9));
    LDM4(g, "ldmfd %[b]!, {r4-r5}", at(10), W(10), W(11), 0, 0, at(12)); /* = LDMIA */
    LDM4(g, "ldmea %[b], {r6-r7}", at(2), 0, 0, W(0), W(1), at(2));      /* = LDMDB */

    STM4(g, "stmia %[b], {r4-r7}", at(0), 0, 0x44, 0x55, 0x66, 0x77, at(0));
    STM4(g, "stmia %[b]!, {r4-r5}", at(2), 1, W(1), 0x44, 0x55, W(4), at(4));
    STM4(g, "stmib %[b]!, {r4-r6}", at(4), 4, W(4), 0x44, 0x55, 0x66, at(7));
    STM4(g, "stmda %[b], {r5, r7}", at(6), 4, W(4), 0x55, 0x77, W(7), at(6));
    STM4(g, "stmda %[b]!, {r4-r7}", at(8), 5, 0x44, 0x55, 0x66, 0x77, at(4));
    STM4(g, "stmdb %[b]!, {r4, r7}", at(4), 1, W(1), 0x44, 0x77, W(4), at(2));
    STM4(g, "stmfd %[b]!, {r6}", at(9), 7, W(7), 0x66, W(9), W(10), at(8)); /* = STMDB */
}

static void push_pop_sp_lr(struct st_group *g)
{
    /* PUSH/POP on a private stack: PUSH = STMDB sp!, POP = LDMIA sp! */
    {
        reset_mem();
        uint32_t top = at(8), sp_after_push, sp_after_pop, r[2];
        __asm__ volatile("mov r8, sp\n\t"
                         "mov sp, %[top]\n\t"
                         "mov r4, #4\n\tmov r5, #5\n\tmov r6, #6\n\tmov lr, #0xE\n\t"
                         "push {r4-r6, lr}\n\t"
                         "mov %[a], sp\n\t"
                         "pop {r5, r6}\n\t"
                         "add sp, sp, #8\n\t"
                         "mov %[b], sp\n\t"
                         "mov sp, r8\n\t"
                         "stmia %[r], {r5, r6}"
                         : [a] "=&r"(sp_after_push), [b] "=&r"(sp_after_pop)
                         : [top] "r"(top), [r] "r"(r)
                         : "r4", "r5", "r6", "r8", "lr", "memory");
        const uint32_t got[8] = {mem[4], mem[5], mem[6], mem[7], sp_after_push, sp_after_pop,
                                 r[0], r[1]};
        const uint32_t exp[8] = {4, 5, 6, 0xE, at(4), at(8), 4, 5};
        st_case(g, 8, got, exp);
    }
    /* SP and LR in a store list (deprecated but valid in A32): the current values */
    {
        reset_mem();
        uint32_t sp_now, b = at(0);
        __asm__ volatile("mov r4, #0x99\n\t"
                         "movw lr, #0xBEEF\n\t"
                         "stmia %[b], {r4, sp, lr}\n\t"
                         "mov %[s], sp"
                         : [s] "=&r"(sp_now)
                         : [b] "r"(b)
                         : "r4", "lr", "memory");
        const uint32_t got[3] = {mem[0], mem[1], mem[2]}, exp[3] = {0x99, sp_now, 0xBEEF};
        st_case(g, 3, got, exp);
    }
    /* LR in a load list */
    {
        reset_mem();
        uint32_t lr_val, b = at(3);
        __asm__ volatile("ldmia %[b], {r4, lr}\n\tmov %[l], lr"
                         : [l] "=&r"(lr_val)
                         : [b] "r"(b)
                         : "r4", "lr", "memory");
        st_check(g, lr_val, W(4));
    }
}

static void load_pc(struct st_group *g)
{
    /* LDM with PC: a branch to the loaded (ARM) address; the MOV after it must not run */
    {
        reset_mem();
        uint32_t b = at(0), r4v = 0, flag = 0;
        __asm__ volatile("adr r5, 1f\n\t"
                         "str r5, [%[b], #4]\n\t"
                         "mov %[f], #1\n\t"
                         "ldmia %[b]!, {r4, pc}\n\t"
                         "mov %[f], #2\n"
                         "1:\tmov %[r], r4"
                         : [b] "+&r"(b), [f] "+&r"(flag), [r] "=&r"(r4v)
                         :
                         : "r4", "r5", "memory");
        const uint32_t got[3] = {flag, r4v, b}, exp[3] = {1, W(0), at(2)};
        st_case(g, 3, got, exp);
    }
    /* POP {r4, pc} from a private stack */
    {
        reset_mem();
        uint32_t top = at(6), flag = 0, r4v = 0, sp_after = 0;
        __asm__ volatile("adr r5, 1f\n\t"
                         "str r5, [%[t], #4]\n\t"
                         "mov r8, sp\n\t"
                         "mov sp, %[t]\n\t"
                         "mov %[f], #3\n\t"
                         "pop {r4, pc}\n\t"
                         "mov %[f], #4\n"
                         "1:\tmov %[s], sp\n\t"
                         "mov sp, r8\n\t"
                         "mov %[r], r4"
                         : [f] "+&r"(flag), [r] "=&r"(r4v), [s] "=&r"(sp_after)
                         : [t] "r"(top)
                         : "r4", "r5", "r8", "memory");
        const uint32_t got[3] = {flag, r4v, sp_after}, exp[3] = {3, W(6), at(8)};
        st_case(g, 3, got, exp);
    }
}

static void user_bank(struct st_group *g)
{
    {
        uint32_t out[7];
        ldmstm_stm_user_from_svc(out);
        const uint32_t exp[7] = {0x0808, 0x0909, 0x1010, 0x1111, 0x1212, 0x53501313, 0x4C521414};
        st_case(g, 7, out, exp);
    }
    {
        uint32_t out[10];
        ldmstm_stm_user_from_fiq(out);
        const uint32_t exp_user[5] = {0x80, 0x90, 0xA0, 0xB0, 0xC0};
        const uint32_t exp_fiq[5] = {0xF8, 0xF9, 0xFA, 0xFB, 0xFC};
        st_case(g, 5, out, exp_user);
        st_case(g, 5, out + 5, exp_fiq);
    }
    {
        static const uint32_t in[4] = {0x5B5B0001, 0x1B1B0002, 0x88880003, 0x99990004};
        uint32_t out[4];
        ldmstm_ldm_user(in, out);
        st_case(g, 4, out, in);
    }
}

bool group_ldmstm(void)
{
    struct st_group g;
    st_begin(&g, "ldmstm");
    addressing_modes(&g);
    push_pop_sp_lr(&g);
    load_pc(&g);
    user_bank(&g);
    return st_end(&g);
}
