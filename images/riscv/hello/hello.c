/*
 * hello: every hart prints its identity, in hartid order (the runtime's turn counter):
 *
 *   hart<i>: misa=RV64ACDFHIMSU mvendorid=0x0 marchid=0x70216 mimpid=0x70216   (QEMU 7.2.22 virt)
 *
 * misa is "RV" + the base width from misa.MXL + one letter per bit set in misa[25:0]
 * (bit 0 = A ... bit 25 = Z, so the letters come out alphabetical); the ID registers are
 * printed in lower-case hex without leading zeros. Hart 0 then prints how many harts
 * checked in within the runtime's bounded wait ("hello: <n> harts") and exits with pass.
 */
#include "../runtime/runtime.h"

static void print_identity(void *unused)
{
    (void)unused;
    unsigned long misa = rt_csr_read(misa);
    unsigned long mvendorid = rt_csr_read(mvendorid);
    unsigned long marchid = rt_csr_read(marchid);
    unsigned long mimpid = rt_csr_read(mimpid);
    unsigned mxl = (unsigned)(misa >> 62);
    const char *base = mxl == 1 ? "32" : mxl == 2 ? "64" : mxl == 3 ? "128" : "??";
    char letters[27];
    unsigned n = 0;
    for (unsigned bit = 0; bit < 26; bit++)
        if (misa & (1ul << bit))
            letters[n++] = (char)('A' + bit);
    letters[n] = '\0';
    rt_turn_wait();
    rt_printf("hart%u: misa=RV%s%s mvendorid=0x%lx marchid=0x%lx mimpid=0x%lx\n", rt_hartid(),
              base, letters, mvendorid, marchid, mimpid);
    rt_turn_done();
}

int main(void)
{
    unsigned n = rt_roll_call();
    uint64_t online = rt_online_mask();
    rt_turns_begin();
    for (unsigned h = 1; h < RT_MAX_HARTS; h++)
        if (online & (1ul << h))
            rt_run_on(h, print_identity, 0);
    print_identity(0);
    rt_turns_wait_all();
    for (unsigned h = 1; h < RT_MAX_HARTS; h++)
        if (online & (1ul << h))
            rt_wait_idle(h);
    rt_printf("hello: %u harts\n", n);
    return 0;
}
