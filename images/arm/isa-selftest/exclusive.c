/*
 * exclusive: LDREX/STREX and the byte, halfword and doubleword forms, CLREX (ARM ARM A3.4,
 * A8.8.75-A8.8.78, A8.8.212-A8.8.215). STREX writes 0 to its status register and stores
 * when this CPU's monitor is in the Exclusive Access state, otherwise 1 and no store. The
 * monitor is left Open by CLREX and by every STREX, successful or not.
 *
 * Not tested, because the architecture leaves them IMPLEMENTATION DEFINED or UNPREDICTABLE
 * (A3.4.4, A3.4.5): STREX to an address other than the one LDREX marked, whether a plain
 * store by the same CPU clears the monitor, size-mismatched LDREX/STREX pairs.
 *
 * With the MMU off the memory is Strongly-ordered, where support for exclusives is
 * IMPLEMENTATION DEFINED on real cores; QEMU and hetboot implement them for RAM.
 */
#include "selftest.h"

static volatile uint32_t word __attribute__((aligned(8)));
static volatile uint64_t dword __attribute__((aligned(8)));
static volatile uint8_t bytes[4] __attribute__((aligned(4)));
static volatile uint16_t halves[2] __attribute__((aligned(4)));

static void word_forms(struct st_group *g)
{
    uint32_t old, status;

    /* LDREX + STREX: success, the new value is stored */
    word = 0x11111111;
    __asm__ volatile("ldrex %[o], [%[a]]\n\tstrex %[s], %[v], [%[a]]"
                     : [o] "=&r"(old), [s] "=&r"(status)
                     : [a] "r"(&word), [v] "r"(0x22222222)
                     : "memory");
    {
        const uint32_t got[3] = {old, status, word}, exp[3] = {0x11111111, 0, 0x22222222};
        st_case(g, 3, got, exp);
    }

    /* CLREX between them: STREX fails with 1, memory unchanged */
    word = 0x33333333;
    __asm__ volatile("ldrex %[o], [%[a]]\n\tclrex\n\tstrex %[s], %[v], [%[a]]"
                     : [o] "=&r"(old), [s] "=&r"(status)
                     : [a] "r"(&word), [v] "r"(0x44444444)
                     : "memory");
    {
        const uint32_t got[3] = {old, status, word}, exp[3] = {0x33333333, 1, 0x33333333};
        st_case(g, 3, got, exp);
    }

    /* STREX with no LDREX before it (monitor Open after CLREX) */
    word = 0x55555555;
    __asm__ volatile("clrex\n\tstrex %[s], %[v], [%[a]]"
                     : [s] "=&r"(status)
                     : [a] "r"(&word), [v] "r"(0x66666666)
                     : "memory");
    {
        const uint32_t got[2] = {status, word}, exp[2] = {1, 0x55555555};
        st_case(g, 2, got, exp);
    }

    /* A second STREX after a successful one fails: STREX always opens the monitor */
    uint32_t status2;
    word = 0x77777777;
    __asm__ volatile("ldrex %[o], [%[a]]\n\t"
                     "strex %[s], %[v], [%[a]]\n\t"
                     "strex %[s2], %[w], [%[a]]"
                     : [o] "=&r"(old), [s] "=&r"(status), [s2] "=&r"(status2)
                     : [a] "r"(&word), [v] "r"(0x88888888), [w] "r"(0x99999999)
                     : "memory");
    {
        const uint32_t got[3] = {status, status2, word}, exp[3] = {0, 1, 0x88888888};
        st_case(g, 3, got, exp);
    }

    /* The second LDREX re-marks: LDREX, LDREX, STREX succeeds */
    word = 0xAAAAAAAA;
    __asm__ volatile("ldrex %[o], [%[a]]\n\t"
                     "ldrex %[o], [%[a]]\n\t"
                     "strex %[s], %[v], [%[a]]"
                     : [o] "=&r"(old), [s] "=&r"(status)
                     : [a] "r"(&word), [v] "r"(0xBBBBBBBB)
                     : "memory");
    {
        const uint32_t got[2] = {status, word}, exp[2] = {0, 0xBBBBBBBB};
        st_case(g, 2, got, exp);
    }

    /* An atomic-increment retry loop, 100 times */
    word = 0xFFFFFFC0;
    for (unsigned i = 0; i < 100; i++) {
        uint32_t tmp;
        __asm__ volatile("1:\tldrex %[t], [%[a]]\n\t"
                         "add %[t], %[t], #1\n\t"
                         "strex %[s], %[t], [%[a]]\n\t"
                         "cmp %[s], #0\n\t"
                         "bne 1b"
                         : [t] "=&r"(tmp), [s] "=&r"(status)
                         : [a] "r"(&word)
                         : "cc", "memory");
    }
    st_check(g, word, 0x00000024);
}

static void sized_forms(struct st_group *g)
{
    uint32_t old, status;

    bytes[0] = 0x01; bytes[1] = 0xF2; bytes[2] = 0x03; bytes[3] = 0x04;
    __asm__ volatile("ldrexb %[o], [%[a]]\n\tstrexb %[s], %[v], [%[a]]"
                     : [o] "=&r"(old), [s] "=&r"(status)
                     : [a] "r"(&bytes[1]), [v] "r"(0x12345699)
                     : "memory");
    {
        /* LDREXB zero-extends; STREXB stores only the low byte */
        const uint32_t got[4] = {old, status, bytes[1], bytes[2]}, exp[4] = {0xF2, 0, 0x99, 0x03};
        st_case(g, 4, got, exp);
    }
    __asm__ volatile("ldrexb %[o], [%[a]]\n\tclrex\n\tstrexb %[s], %[v], [%[a]]"
                     : [o] "=&r"(old), [s] "=&r"(status)
                     : [a] "r"(&bytes[3]), [v] "r"(0xEE)
                     : "memory");
    {
        const uint32_t got[2] = {status, bytes[3]}, exp[2] = {1, 0x04};
        st_case(g, 2, got, exp);
    }

    halves[0] = 0x8001; halves[1] = 0x7FFE;
    __asm__ volatile("ldrexh %[o], [%[a]]\n\tstrexh %[s], %[v], [%[a]]"
                     : [o] "=&r"(old), [s] "=&r"(status)
                     : [a] "r"(&halves[0]), [v] "r"(0xABCD1234)
                     : "memory");
    {
        const uint32_t got[4] = {old, status, halves[0], halves[1]},
                       exp[4] = {0x8001, 0, 0x1234, 0x7FFE};
        st_case(g, 4, got, exp);
    }
    __asm__ volatile("ldrexh %[o], [%[a]]\n\tclrex\n\tstrexh %[s], %[v], [%[a]]"
                     : [o] "=&r"(old), [s] "=&r"(status)
                     : [a] "r"(&halves[1]), [v] "r"(0x5555)
                     : "memory");
    {
        const uint32_t got[3] = {old, status, halves[1]}, exp[3] = {0x7FFE, 1, 0x7FFE};
        st_case(g, 3, got, exp);
    }

    /* LDREXD/STREXD need even/odd pairs: r4/r5 loaded, r6/r7 stored */
    dword = 0x0123456789ABCDEFull;
    uint32_t lo, hi;
    __asm__ volatile("ldrexd r4, r5, [%[a]]\n\t"
                     "mov %[lo], r4\n\tmov %[hi], r5\n\t"
                     "movw r6, #0x2222\n\tmovt r6, #0x1111\n\t"
                     "movw r7, #0x4444\n\tmovt r7, #0x3333\n\t"
                     "strexd %[s], r6, r7, [%[a]]"
                     : [lo] "=&r"(lo), [hi] "=&r"(hi), [s] "=&r"(status)
                     : [a] "r"(&dword)
                     : "r4", "r5", "r6", "r7", "memory");
    {
        const uint32_t got[5] = {lo, hi, status, (uint32_t)dword, (uint32_t)(dword >> 32)};
        const uint32_t exp[5] = {0x89ABCDEF, 0x01234567, 0, 0x11112222, 0x33334444};
        st_case(g, 5, got, exp);
    }
    __asm__ volatile("ldrexd r4, r5, [%[a]]\n\t"
                     "clrex\n\t"
                     "mov r6, #0\n\tmov r7, #0\n\t"
                     "strexd %[s], r6, r7, [%[a]]"
                     : [s] "=&r"(status)
                     : [a] "r"(&dword)
                     : "r4", "r5", "r6", "r7", "memory");
    {
        const uint32_t got[3] = {status, (uint32_t)dword, (uint32_t)(dword >> 32)};
        const uint32_t exp[3] = {1, 0x11112222, 0x33334444};
        st_case(g, 3, got, exp);
    }
}

bool group_exclusive(void)
{
    struct st_group g;
    st_begin(&g, "exclusive");
    word_forms(&g);
    sized_forms(&g);
    return st_end(&g);
}
