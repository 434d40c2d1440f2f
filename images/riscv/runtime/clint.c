/*
 * CLINT (SiFive core-local interruptor; QEMU hw/intc/riscv_aclint.c): msip[h] at
 * base + 4h (bit 0 drives mip.MSIP of hart h), mtimecmp[h] at base + 0x4000 + 8h, mtime at
 * base + 0xBFF8 (mip.MTIP = mtime >= mtimecmp). Same addresses on virt and FU540/FU740.
 */
#include "runtime.h"

#define CLINT_MSIP(h) (RT_CLINT_BASE + 4ul * (h))
#define CLINT_MTIMECMP(h) (RT_CLINT_BASE + 0x4000ul + 8ul * (h))
#define CLINT_MTIME (RT_CLINT_BASE + 0xBFF8ul)

void rt_clint_set_msip(unsigned hart, bool pending)
{
    rt_fence();
    rt_mmio_write32(CLINT_MSIP(hart), pending ? 1u : 0u);
    rt_fence();
}

uint64_t rt_clint_mtime(void) { return rt_mmio_read64(CLINT_MTIME); }

void rt_clint_set_mtimecmp(unsigned hart, uint64_t v)
{
    rt_mmio_write64(CLINT_MTIMECMP(hart), v);
    rt_fence();
}
