/*
 * Exit through the sifive_test finisher at 0x100000 (QEMU hw/misc/sifive_test.c; hetboot's
 * virt-riscv and fu740 have one too): a 32-bit write of 0x5555 ends the run with success,
 * (code << 16) | 0x3333 with failure code `code`.
 *
 * QEMU's sifive_u has no finisher (the store is a store access fault there): the store is
 * made under a probe, and when it faults the runtime says so and parks the hart instead.
 */
#include "runtime.h"

void rt_park(void)
{
    rt_csr_clear(mstatus, MSTATUS_MIE);
    rt_csr_write(mie, 0);
    for (;;)
        rt_wfi();
}

void rt_exit(int status)
{
    uint32_t code = (uint32_t)status & 0xFFFFu;
    if (status != 0 && code == 0)
        code = RT_EXIT_MAIN_FAILED; /* a failure must never read as a pass */
    uint32_t value = status == 0 ? RT_FINISHER_PASS : (code << 16) | RT_FINISHER_FAIL;
    rt_fence();
    rt_probe_begin();
    rt_mmio_write32(RT_FINISHER_BASE, value);
    rt_fence();
    bool faulted = rt_probe_end(0);
    if (faulted)
        rt_printf("rt: no test finisher at 0x%lx (exit status %d); parking\n",
                  RT_FINISHER_BASE, status);
    rt_park();
}
