/*
 * vgic-basic: a hypervisor (in HYP, CPU 0) hands interrupts to a guest (Non-secure SVC)
 * through the GICv2 virtual interface (IHI 0048B chapter 5):
 *
 *   1. It takes physical SPI 100 itself (raised through GICD_ISPENDR) in split-EOI mode: a
 *      priority drop, the SPI stays active.
 *   2. It fills two list registers: LR0 = virtual SGI 3 from CPU 1 with EOI maintenance
 *      requested, LR1 = virtual interrupt 100 with HW = 1 backed by physical SPI 100.
 *   3. It enters the guest with HCR.IMO/FMO/AMO set. The guest acknowledges and EOIs both
 *      through GICV (its CPU interface; there is no stage 2, so it uses GICV's own address).
 *   4. The guest's EOI of the SGI raises the maintenance interrupt (PPI 25), which the
 *      hypervisor takes in HYP and prints GICH_MISR, EISR, ELRSR and the LRs; it frees LR0.
 *   5. The guest's EOI of interrupt 100 deactivates physical SPI 100 (HW = 1); the guest then
 *      returns with HVC and the hypervisor checks the final state.
 */
#include "../runtime/runtime.h"

#define GICH_HCR 0x00u
#define GICH_VMCR 0x08u
#define GICH_MISR 0x10u
#define GICH_EISR0 0x20u
#define GICH_ELRSR0 0x30u
#define GICH_LR(n) (0x100u + 4u * (n))
#define GICV_IAR 0x0Cu
#define GICV_EOIR 0x10u
#define GICC_DIR 0x1000u
#define GICD_ISENABLER(n) (0x100u + 4u * (n))
#define GICD_ISPENDR(n) (0x200u + 4u * (n))
#define GICD_ISACTIVER(n) (0x300u + 4u * (n))
#define GICD_IPRIORITYR 0x400u
#define GICD_ITARGETSR 0x800u

#define SPI 100u
#define MAINTENANCE 25u
#define LR_PENDING (1u << 28)
#define LR_HW (1u << 31)
#define LR_EOI (1u << 19)

extern char vgic_hyp_vectors[], vgic_guest_vectors[];
void vgic_hyp_trap(void);
void vgic_hyp_irq(void);
void vgic_guest_irq(void);
void vgic_unexpected(void);

static uint32_t gich, gicv, gicd, gicc;
static volatile uint32_t guest_irqs, maintenance_irqs;
static uint8_t guest_stack[4096] __attribute__((aligned(8)));
static uint8_t guest_irq_stack[1024] __attribute__((aligned(8)));

static void print_lrs(const char *who)
{
    rt_printf("%s: MISR=0x%X EISR=0x%X ELRSR=0x%X LR0=0x%08X LR1=0x%08X\n", who,
              rt_mmio_read32(gich + GICH_MISR), rt_mmio_read32(gich + GICH_EISR0),
              rt_mmio_read32(gich + GICH_ELRSR0), rt_mmio_read32(gich + GICH_LR(0)),
              rt_mmio_read32(gich + GICH_LR(1)));
}

/* ---- guest (Non-secure SVC) ---- */

void vgic_guest_irq(void)
{
    uint32_t iar = rt_mmio_read32(gicv + GICV_IAR);
    if (gic_iar_intid(iar) < 16)
        rt_printf("guest: GICV_IAR=0x%X (SGI %u from cpu%u)\n", iar, gic_iar_intid(iar),
                  gic_iar_source(iar));
    else
        rt_printf("guest: GICV_IAR=0x%X (interrupt %u)\n", iar, gic_iar_intid(iar));
    guest_irqs++;
    rt_dsb();
    rt_mmio_write32(gicv + GICV_EOIR, iar);
}

static void guest_main(void)
{
    __asm__ volatile("mcr p15, 0, %0, c12, c0, 0" ::"r"(vgic_guest_vectors)); /* VBAR */
    rt_isb();
    rt_irq_enable();
    while (guest_irqs < 2)
        rt_wfi();
    rt_printf("guest: %u virtual interrupts, back to the hypervisor\n", guest_irqs);
    __asm__ volatile("hvc #0" ::: "memory");
    for (;;)
        ;
}

/* ---- hypervisor (HYP) ---- */

void vgic_hyp_irq(void)
{
    uint32_t iar = rt_mmio_read32(gicc + GICC_IAR);
    unsigned id = gic_iar_intid(iar);
    if (id != MAINTENANCE) {
        rt_printf("hyp: FAIL: unexpected physical interrupt %u\n", id);
        rt_exit(1);
    }
    maintenance_irqs++;
    print_lrs("hyp: maintenance");
    rt_mmio_write32(gich + GICH_LR(0), 0); /* handled: free LR0, the condition clears */
    rt_printf("hyp: MISR=0x%X after freeing LR0\n", rt_mmio_read32(gich + GICH_MISR));
    rt_mmio_write32(gicc + GICC_EOIR, iar);
    rt_mmio_write32(gicc + GICC_DIR, iar);
}

void vgic_hyp_trap(void)
{
    uint32_t hsr;
    __asm__ volatile("mrc p15, 4, %0, c5, c2, 0" : "=r"(hsr));
    uint32_t active = (rt_mmio_read32(gicd + GICD_ISACTIVER(SPI / 32)) >> (SPI % 32)) & 1u;
    rt_printf("hyp: HVC from the guest (HSR=0x%08X)\n", hsr);
    print_lrs("hyp: final");
    rt_printf("hyp: physical SPI %u active=%u, maintenance interrupts=%u\n", SPI, active,
              maintenance_irqs);
    bool ok = hsr >> 26 == 0x12 && active == 0 && maintenance_irqs == 1 && guest_irqs == 2 &&
              rt_mmio_read32(gich + GICH_ELRSR0) == 0xFu;
    rt_printf("vgic-basic: %s\n", ok ? "PASS" : "FAIL");
    rt_exit(ok ? 0 : 1);
}

void vgic_unexpected(void)
{
    rt_puts("\nvgic-basic: FAIL: unexpected exception\n");
    rt_exit(1);
}

int main(void)
{
    if ((rt_read_cpsr() & CPSR_MODE_MASK) != CPSR_MODE_HYP) {
        rt_printf("vgic-basic: needs to start in HYP, started in %s\n", rt_mode_name(rt_read_cpsr()));
        return 1;
    }
    rt_irq_disable();
    uint32_t base = rt_periphbase();
    gicd = base + 0x1000u;
    gicc = base + 0x2000u;
    gich = base + 0x4000u;
    gicv = base + 0x6000u;
    rt_printf("vgic-basic: GICH_VTR=0x%08X\n", rt_mmio_read32(gich + 0x04u));

    /* Physical side: SPI 100 and the maintenance PPI to CPU 0, split EOI for the hypervisor. */
    rt_mmio_write32(gicd + GICD_CTLR, 1u);
    rt_mmio_write32(gicd + GICD_ISENABLER(0), 1u << MAINTENANCE);
    rt_mmio_write32(gicd + GICD_ISENABLER(SPI / 32), 1u << (SPI % 32));
    *(volatile uint8_t *)(uintptr_t)(gicd + GICD_IPRIORITYR + MAINTENANCE) = 0x80u;
    *(volatile uint8_t *)(uintptr_t)(gicd + GICD_IPRIORITYR + SPI) = 0xA0u;
    *(volatile uint8_t *)(uintptr_t)(gicd + GICD_ITARGETSR + SPI) = 1u;
    rt_mmio_write32(gicc + GICC_PMR, 0xF8u);
    rt_mmio_write32(gicc + GICC_CTLR, 0x201u); /* EnableGrp0, EOImode: EOIR drops, DIR deactivates */
    rt_mmio_write32(gicd + GICD_ISPENDR(SPI / 32), 1u << (SPI % 32));
    uint32_t iar = rt_mmio_read32(gicc + GICC_IAR);
    rt_mmio_write32(gicc + GICC_EOIR, iar);
    rt_printf("hyp: took physical interrupt %u, priority dropped, still active=%u\n",
              gic_iar_intid(iar), (rt_mmio_read32(gicd + GICD_ISACTIVER(SPI / 32)) >> (SPI % 32)) & 1u);

    /* Virtual side: the guest's Group 0 on with the loosest mask, En + the two LRs. */
    rt_mmio_write32(gich + GICH_VMCR, (0x1Fu << 27) | 1u);
    rt_mmio_write32(gich + GICH_LR(0), LR_PENDING | LR_EOI | (0x50u >> 3) << 23 | 1u << 10 | 3u);
    rt_mmio_write32(gich + GICH_LR(1), LR_HW | LR_PENDING | (0x60u >> 3) << 23 | SPI << 10 | SPI);
    rt_mmio_write32(gich + GICH_HCR, 1u);
    print_lrs("hyp: before entry");

    /* Enter the guest: HVBAR, HCR.IMO|FMO|AMO, the guest's SVC and IRQ stacks, ERET. */
    __asm__ volatile("mcr p15, 4, %0, c12, c0, 0" ::"r"(vgic_hyp_vectors));
    __asm__ volatile("mcr p15, 4, %0, c1, c1, 0" ::"r"(0x38u));
    rt_isb();
    __asm__ volatile("msr sp_svc, %0\n\t"
                     "msr sp_irq, %1\n\t"
                     "msr elr_hyp, %2\n\t"
                     "msr spsr_cxsf, %3\n\t"
                     "eret"
                     ::"r"(guest_stack + sizeof guest_stack),
                       "r"(guest_irq_stack + sizeof guest_irq_stack), "r"(guest_main),
                       "r"(CPSR_MODE_SVC | CPSR_I | CPSR_F | CPSR_A)
                     : "memory");
    return 1; /* not reached */
}
