/*
 * GICv2 helpers (GIC architecture spec IHI 0048B). Written to work from Secure state, from
 * Non-secure state and on a GIC without Security Extensions: the enable bits written are
 * EnableGrp0|EnableGrp1 from Secure state and reduce to the single Non-secure enable bit
 * otherwise (bit 1 is ignored in the Non-secure view).
 */
#include "runtime.h"

#ifdef RT_PLATFORM_VIRT
uint32_t rt_gicd(void) { return RT_GICD_BASE; }
uint32_t rt_gicc(void) { return RT_GICC_BASE; }
#else
uint32_t rt_gicd(void) { return rt_periphbase() + RT_GICD_OFFSET; }
uint32_t rt_gicc(void) { return rt_periphbase() + RT_GICC_OFFSET; }
#endif

void rt_gic_init_distributor(void)
{
    rt_mmio_write32(rt_gicd() + GICD_CTLR, 3u);
}

void rt_gic_init_cpu(void)
{
    uint32_t gicd = rt_gicd(), gicc = rt_gicc();
    /* GICD_ISENABLER0 is banked per CPU; SGIs may be hard-wired enabled, enable anyway. */
    rt_mmio_write32(gicd + GICD_ISENABLER0, 0x0000FFFFu);
    rt_mmio_write32(gicc + GICC_PMR, 0xFFu); /* let every priority through */
    rt_mmio_write32(gicc + GICC_CTLR, 3u);
    rt_dsb();
}

void rt_gic_send_sgi(unsigned filter, unsigned target_list, unsigned intid)
{
    rt_dsb(); /* the target must see our stores before it sees the interrupt */
    rt_mmio_write32(rt_gicd() + GICD_SGIR,
                    ((filter & 3u) << 24) | ((target_list & 0xFFu) << 16) | (intid & 0xFu));
}

uint32_t rt_gic_ack(void) { return rt_mmio_read32(rt_gicc() + GICC_IAR); }

void rt_gic_eoi(uint32_t iar)
{
    rt_dsb();
    rt_mmio_write32(rt_gicc() + GICC_EOIR, iar);
}
