/*
 * atomic: the A extension (Unprivileged spec chapter 8).
 *
 * Every AMO .W and .D (swap, add, and, or, xor, max, min, maxu, minu; add and swap also with
 * .aq/.rl/.aqrl, which change ordering only): rd = the old value (sign-extended for .W),
 * memory = op(old, rs2); a .W on either word of a doubleword leaves the other word alone
 * (tables/atomic.inc).
 *
 * LR/SC: SC writes 0 to rd and stores when this hart holds a reservation on the address,
 * else 1 (the only failure code defined, 8.2) and stores nothing; every SC, successful or
 * not, invalidates the reservation. Not tested, because the spec leaves them to the
 * implementation: the size of a reservation set beyond the accessed bytes (an SC 256 bytes
 * away is assumed outside it), whether a plain store by the same hart breaks the
 * reservation, size-mismatched LR/SC pairs.
 */
#include "selftest.h"
#include "tables/atomic.inc"

static volatile uint64_t cell[64] __attribute__((aligned(256)));

static uint64_t exec(const struct rv_amo_case *c)
{
    uint64_t d = 0, a = (uintptr_t)cell + c->offset, b = c->rs2;
    switch (c->op) {
#define RUN(name, asm_)                                                                    \
    case OP_##name:                                                                        \
        __asm__ volatile(asm_ : [d] "=&r"(d) : [a] "r"(a), [b] "r"(b) : "memory");          \
        break;
        ATOMIC_OPS(RUN)
#undef RUN
    default:
        break;
    }
    return d;
}

static void lr_sc(struct st_group *g)
{
    uint64_t v, s, s2;

    /* LR.D + SC.D: success */
    cell[0] = 0x1111111111111111ul;
    __asm__ volatile("lr.d %[v], (%[a])\n\tsc.d %[s], %[n], (%[a])"
                     : [v] "=&r"(v), [s] "=&r"(s)
                     : [a] "r"(&cell[0]), [n] "r"(0x2222222222222222ul)
                     : "memory");
    {
        const uint64_t got[3] = {v, s, cell[0]}, exp[3] = {0x1111111111111111ul, 0, 0x2222222222222222ul};
        st_case(g, 3, got, exp);
    }
    /* LR.W sign-extends; SC.W stores 32 bits and leaves the other word */
    cell[0] = 0x0123456789ABCDEFul;
    __asm__ volatile("lr.w %[v], (%[a])\n\tsc.w %[s], %[n], (%[a])"
                     : [v] "=&r"(v), [s] "=&r"(s)
                     : [a] "r"(&cell[0]), [n] "r"(0xFFFFFFFF00000005ul)
                     : "memory");
    {
        const uint64_t got[3] = {v, s, cell[0]}, exp[3] = {0xFFFFFFFF89ABCDEFul, 0, 0x0123456700000005ul};
        st_case(g, 3, got, exp);
    }
    /* LR.W on the upper word */
    cell[0] = 0x76543210FEDCBA98ul;
    __asm__ volatile("lr.w %[v], (%[a])\n\tsc.w %[s], %[n], (%[a])"
                     : [v] "=&r"(v), [s] "=&r"(s)
                     : [a] "r"((uintptr_t)&cell[0] + 4), [n] "r"(0x80000000ul)
                     : "memory");
    {
        const uint64_t got[3] = {v, s, cell[0]}, exp[3] = {0x76543210ul, 0, 0x80000000FEDCBA98ul};
        st_case(g, 3, got, exp);
    }
    /* SC after a successful SC: the first one used up the reservation */
    cell[0] = 1;
    __asm__ volatile("lr.d %[v], (%[a])\n\tsc.d %[s], %[n], (%[a])\n\tsc.d %[t], %[m], (%[a])"
                     : [v] "=&r"(v), [s] "=&r"(s), [t] "=&r"(s2)
                     : [a] "r"(&cell[0]), [n] "r"(2ul), [m] "r"(3ul)
                     : "memory");
    {
        const uint64_t got[4] = {v, s, s2, cell[0]}, exp[4] = {1, 0, 1, 2};
        st_case(g, 4, got, exp);
    }
    /* SC with no reservation at all (the last SC invalidated it) */
    cell[0] = 4;
    __asm__ volatile("sc.d %[s], %[n], (%[a])" : [s] "=&r"(s) : [a] "r"(&cell[0]), [n] "r"(5ul) : "memory");
    {
        const uint64_t got[2] = {s, cell[0]}, exp[2] = {1, 4};
        st_case(g, 2, got, exp);
    }
    __asm__ volatile("sc.w %[s], %[n], (%[a])" : [s] "=&r"(s) : [a] "r"(&cell[0]), [n] "r"(5ul) : "memory");
    {
        const uint64_t got[2] = {s, cell[0]}, exp[2] = {1, 4};
        st_case(g, 2, got, exp);
    }
    /* SC to an address outside the reserved one fails, and then the reservation is gone */
    cell[0] = 6;
    cell[32] = 7;
    __asm__ volatile("lr.d %[v], (%[a])\n\tsc.d %[s], %[n], (%[b])\n\tsc.d %[t], %[n], (%[a])"
                     : [v] "=&r"(v), [s] "=&r"(s), [t] "=&r"(s2)
                     : [a] "r"(&cell[0]), [b] "r"(&cell[32]), [n] "r"(8ul)
                     : "memory");
    {
        const uint64_t got[5] = {v, s, s2, cell[0], cell[32]}, exp[5] = {6, 1, 1, 6, 7};
        st_case(g, 5, got, exp);
    }
    /* a second LR replaces the reservation: SC to the first address fails, to the second
     * succeeds */
    cell[0] = 9;
    cell[32] = 10;
    __asm__ volatile("lr.d %[v], (%[a])\n\tlr.d %[v], (%[b])\n\tsc.d %[s], %[n], (%[a])\n\t"
                     "lr.d %[v], (%[a])\n\tlr.d %[v], (%[b])\n\tsc.d %[t], %[n], (%[b])"
                     : [v] "=&r"(v), [s] "=&r"(s), [t] "=&r"(s2)
                     : [a] "r"(&cell[0]), [b] "r"(&cell[32]), [n] "r"(11ul)
                     : "memory");
    {
        const uint64_t got[5] = {v, s, s2, cell[0], cell[32]}, exp[5] = {10, 1, 0, 9, 11};
        st_case(g, 5, got, exp);
    }
    /* .aq/.rl/.aqrl forms of LR/SC behave alike */
    cell[0] = 12;
    __asm__ volatile("lr.d.aq %[v], (%[a])\n\tsc.d.rl %[s], %[n], (%[a])\n\t"
                     "lr.d.aqrl %[v], (%[a])\n\tsc.d.aqrl %[t], %[v], (%[a])"
                     : [v] "=&r"(v), [s] "=&r"(s), [t] "=&r"(s2)
                     : [a] "r"(&cell[0]), [n] "r"(13ul)
                     : "memory");
    {
        const uint64_t got[4] = {v, s, s2, cell[0]}, exp[4] = {13, 0, 0, 13};
        st_case(g, 4, got, exp);
    }
    /* an LR/SC increment loop (the spec's constrained loop, 8.3) */
    cell[0] = 41;
    __asm__ volatile("1: lr.d %[v], (%[a])\n\taddi %[v], %[v], 1\n\tsc.d %[s], %[v], (%[a])\n\t"
                     "bnez %[s], 1b"
                     : [v] "=&r"(v), [s] "=&r"(s)
                     : [a] "r"(&cell[0])
                     : "memory");
    st_check(g, cell[0], 42);
    /* an AMO with rd = x0 still updates memory */
    cell[0] = 100;
    __asm__ volatile("amoadd.d zero, %[n], (%[a])" ::[a] "r"(&cell[0]), [n] "r"(23ul) : "memory");
    st_check(g, cell[0], 123);
}

bool group_atomic(void)
{
    struct st_group g;
    st_begin(&g, "atomic");
    for (unsigned i = 0; i < sizeof atomic_cases / sizeof atomic_cases[0]; i++) {
        const struct rv_amo_case *c = &atomic_cases[i];
        cell[0] = c->memory;
        uint64_t rd = exec(c);
        const uint64_t got[2] = {rd, cell[0]}, exp[2] = {c->expected_rd, c->expected_memory};
        st_case(&g, 2, got, exp);
    }
    lr_sc(&g);
    return st_end(&g);
}
