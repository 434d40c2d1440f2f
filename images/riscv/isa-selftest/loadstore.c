/*
 * loadstore: LB/LBU/LH/LHU/LW/LWU/LD and SB/SH/SW/SD (Unprivileged spec 2.6 and 5.3):
 * loads sign- or zero-extend to 64 bits, stores write the low bytes of rs2, little-endian,
 * with positive and negative offsets (tables/loadstore.inc). A store case checks every
 * doubleword of the 32-byte buffer: the two the table gives and the untouched rest.
 * Misaligned cases expect QEMU 7.2 virt's execution environment, which performs them.
 * Then hand-written cases: the 12-bit offset extremes -2048/+2047 and x0 as destination.
 */
#include "selftest.h"
#include "tables/loadstore.inc"

static volatile uint64_t buffer[4] __attribute__((aligned(64)));

static void reset_buffer(void)
{
    volatile uint8_t *p = (volatile uint8_t *)buffer;
    for (unsigned i = 0; i < sizeof loadstore_pattern; i++)
        p[i] = loadstore_pattern[i];
}

static uint64_t pattern_dword(unsigned k)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)loadstore_pattern[8 * k + i] << (8 * i);
    return v;
}

static uint64_t exec(const struct rv_mem_case *c)
{
    uint64_t d = 0, a = (uintptr_t)buffer + (uint64_t)(int64_t)c->base, b = c->value;
    switch (c->op) {
#define RUN(name, asm_)                                                                    \
    case OP_##name:                                                                        \
        __asm__ volatile(RV_NORVC(asm_) : [d] "=&r"(d) : [a] "r"(a), [b] "r"(b) : "memory"); \
        break;
        LOADSTORE_OPS(RUN)
#undef RUN
    default:
        break;
    }
    return d;
}

static volatile uint8_t big[4096] __attribute__((aligned(16)));

static void extremes(struct st_group *g)
{
    uint64_t d, e;
    volatile uint8_t *mid = big + 2048;
    /* SD at -2048 and +2040 from the middle, read back as bytes from C */
    __asm__ volatile(RV_NORVC("sd %[v], -2048(%[m])\n\tsd %[w], 2040(%[m])")
                     :
                     : [m] "r"(mid), [v] "r"(0x1122334455667788ul), [w] "r"(0x99AABBCCDDEEFF00ul)
                     : "memory");
    st_check(g, big[0], 0x88);
    st_check(g, big[7], 0x11);
    st_check(g, big[4088], 0x00);
    st_check(g, big[4095], 0x99);
    /* LB at +2047 and LHU at -2048 */
    big[4095] = 0x80;
    __asm__ volatile(RV_NORVC("lb %[d], 2047(%[m])\n\tlhu %[e], -2048(%[m])")
                     : [d] "=&r"(d), [e] "=&r"(e)
                     : [m] "r"(mid)
                     : "memory");
    st_check(g, d, 0xFFFFFFFFFFFFFF80ul);
    st_check(g, e, 0x7788);
    /* a load to x0 is performed and discarded; x0 still reads zero */
    __asm__ volatile(RV_NORVC("ld zero, -2048(%[m])\n\tmv %[d], zero") : [d] "=r"(d) : [m] "r"(mid) : "memory");
    st_check(g, d, 0);
    /* a store of x0 writes zeros */
    __asm__ volatile(RV_NORVC("sd zero, -2048(%[m])\n\tld %[d], -2048(%[m])") : [d] "=&r"(d) : [m] "r"(mid) : "memory");
    st_check(g, d, 0);
}

bool group_loadstore(void)
{
    struct st_group g;
    st_begin(&g, "loadstore");
    for (unsigned i = 0; i < sizeof loadstore_cases / sizeof loadstore_cases[0]; i++) {
        const struct rv_mem_case *c = &loadstore_cases[i];
        reset_buffer();
        uint64_t d = exec(c);
        if (!c->is_store) {
            st_check(&g, d, c->expected);
            continue;
        }
        uint64_t got[4], exp[4];
        for (unsigned k = 0; k < 4; k++) {
            got[k] = buffer[k];
            exp[k] = k == c->dword ? c->expected : k == c->dword + 1 ? c->expected_next : pattern_dword(k);
        }
        st_case(&g, 4, got, exp);
    }
    extremes(&g);
    return st_end(&g);
}
