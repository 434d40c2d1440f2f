/*
 * vgic-basic: a hypervisor (in HYP, CPU 0) hands interrupts to a guest (Non-secure SVC)
 * through the GICv2 virtual interface (IHI 0048B chapter 5), shows a list register going
 * through every state of the §5.4 state machine, and raises each maintenance condition.
 *
 * Part 1:
 *   1. It takes physical SPI 100 itself (raised through GICD_ISPENDR) in split-EOI mode: a
 *      priority drop, the SPI stays active.
 *   2. It fills two list registers: LR0 = virtual SGI 3 from CPU 1 with EOI maintenance
 *      requested, LR1 = virtual interrupt 100 with HW = 1 backed by physical SPI 100.
 *   3. It enters the guest with HCR.IMO/FMO/AMO set. The guest acknowledges each virtual
 *      interrupt through GICV (its CPU interface; there is no stage 2, so it uses GICV's own
 *      address) and, still in its handler, makes an HVC so the hypervisor can print the LR:
 *      pending -> active.
 *   4. At the SGI's first HVC the hypervisor injects SGI 3 again by setting LR0's pending bit
 *      while the guest handles it: active -> pending and active (not signalled: it is active).
 *   5. The guest's EOI deactivates the active half: pending and active -> pending (an HVC shows
 *      it). The guest leaves its handler, takes the SGI again: pending -> active, and EOIs it:
 *      active -> invalid with EOI set, the EOI maintenance condition: the maintenance
 *      interrupt (PPI 25) is taken in HYP at once (HCR.IMO routes physical IRQs to HYP whatever
 *      the guest's CPSR.I), which prints GICH_MISR, EISR, ELRSR and the LRs and frees LR0.
 *   6. Interrupt 100 (HW = 1): pending -> active -> invalid; the guest's EOI deactivates
 *      physical SPI 100. The guest makes HVC #3; the hypervisor checks part 1.
 * Part 2, the other maintenance conditions (§5.3.4), in LR2/LR3, each cleared by the handler:
 *   7. No pending (GICH_HCR.NPIE): the guest acknowledges the only pending LR.
 *   8. LR entry not present (LRENPIE): the hypervisor takes the guest's active interrupt 40
 *      out of the LRs; the guest's EOI of it increments GICH_HCR.EOICount.
 *   9. Underflow (UIE): two pending LRs; the EOI of the first leaves one valid LR.
 * The guest ends with HVC #0 and the hypervisor checks the GICH_MISR sequence it saw.
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
#define LR_STATE(lr) (((lr) >> 28) & 3u)
#define LR0_SGI (LR_PENDING | LR_EOI | (0x50u >> 3) << 23 | 1u << 10 | 3u)
#define LR1_SPI (LR_HW | LR_PENDING | (0x60u >> 3) << 23 | SPI << 10 | SPI)

/* The guest's HVC immediates (HSR.ISS): #1 "acknowledged", #2 "EOIed", #3 "part 1 done",
 * #4 "ready for the underflow test", #0 "done". */

#define GICH_HCR_EN (1u << 0)
#define GICH_HCR_UIE (1u << 1)
#define GICH_HCR_LRENPIE (1u << 2)
#define GICH_HCR_NPIE (1u << 3)
#define GICH_HCR_EOICOUNT (0x1Fu << 27)
#define MISR_EOI (1u << 0)
#define MISR_U (1u << 1)
#define MISR_LRENP (1u << 2)
#define MISR_NP (1u << 3)

/* Part 2's virtual interrupts (no physical interrupt behind them). */
#define VIRQ_NP 40u
#define VIRQ_U1 41u
#define VIRQ_U2 42u
#define LR_VIRQ(id, prio) (LR_PENDING | ((prio) >> 3) << 23 | (id))

extern char vgic_hyp_vectors[], vgic_guest_vectors[];
void vgic_hyp_trap(void);
void vgic_hyp_irq(void);
void vgic_guest_irq(void);
void vgic_unexpected(void);

static uint32_t gich, gicv, gicd, gicc;
static volatile uint32_t guest_irqs, maintenance_irqs;
static uint8_t guest_stack[4096] __attribute__((aligned(8)));
static uint8_t guest_irq_stack[1024] __attribute__((aligned(8)));

/* Part 1 shows LR0 and LR1, part 2 GICH_HCR (EOICount) with LR2 and LR3. */
static unsigned part = 1;

/* The hypervisor's record of LR0 each time it looked in part 1, and of GICH_MISR at each
 * maintenance interrupt, to check the sequences at the end. */
static uint32_t lr0_seen[12], misr_seen[8];
static unsigned lr0_looks, misr_looks;

static const char *lr_state_name(uint32_t lr)
{
    static const char *const names[4] = {"invalid", "pending", "active", "pending+active"};
    return names[LR_STATE(lr)];
}

static void print_lrs(const char *who)
{
    uint32_t misr = rt_mmio_read32(gich + GICH_MISR), eisr = rt_mmio_read32(gich + GICH_EISR0),
             elrsr = rt_mmio_read32(gich + GICH_ELRSR0);
    if (part == 1) {
        uint32_t lr0 = rt_mmio_read32(gich + GICH_LR(0)), lr1 = rt_mmio_read32(gich + GICH_LR(1));
        rt_printf("%s: MISR=0x%X EISR=0x%X ELRSR=0x%X LR0=0x%08X (%s) LR1=0x%08X (%s)\n", who, misr,
                  eisr, elrsr, lr0, lr_state_name(lr0), lr1, lr_state_name(lr1));
        if (lr0_looks < sizeof lr0_seen / sizeof lr0_seen[0])
            lr0_seen[lr0_looks++] = lr0;
    } else {
        uint32_t lr2 = rt_mmio_read32(gich + GICH_LR(2)), lr3 = rt_mmio_read32(gich + GICH_LR(3));
        rt_printf("%s: HCR=0x%08X MISR=0x%X EISR=0x%X ELRSR=0x%X LR2=0x%08X (%s) LR3=0x%08X (%s)\n",
                  who, rt_mmio_read32(gich + GICH_HCR), misr, eisr, elrsr, lr2, lr_state_name(lr2),
                  lr3, lr_state_name(lr3));
    }
}

/* ---- guest (Non-secure SVC) ---- */

/* HVC #imm from the guest: the hypervisor looks at (or changes) the LRs and returns. */
#define GUEST_HVC(imm) __asm__ volatile("hvc #" #imm ::: "memory")

void vgic_guest_irq(void)
{
    uint32_t iar = rt_mmio_read32(gicv + GICV_IAR);
    if (gic_iar_intid(iar) < 16)
        rt_printf("guest: GICV_IAR=0x%X (SGI %u from cpu%u)\n", iar, gic_iar_intid(iar),
                  gic_iar_source(iar));
    else
        rt_printf("guest: GICV_IAR=0x%X (interrupt %u)\n", iar, gic_iar_intid(iar));
    guest_irqs++;
    GUEST_HVC(1); /* acknowledged */
    rt_printf("guest: GICV_EOIR=0x%X\n", iar);
    rt_dsb();
    rt_mmio_write32(gicv + GICV_EOIR, iar);
    /* The first EOI of the SGI leaves it pending (it was injected again while active). */
    if (guest_irqs == 1)
        GUEST_HVC(2); /* EOIed */
}

static void guest_main(void)
{
    __asm__ volatile("mcr p15, 0, %0, c12, c0, 0" ::"r"(vgic_guest_vectors)); /* VBAR */
    rt_isb();
    rt_irq_enable();
    while (guest_irqs < 3)
        rt_wfi();
    rt_printf("guest: %u virtual interrupts, back to the hypervisor\n", guest_irqs);
    GUEST_HVC(3); /* part 1 done: part 2 injects VIRQ_NP */
    while (guest_irqs < 4)
        rt_wfi();
    GUEST_HVC(4); /* the hypervisor injects VIRQ_U1 and VIRQ_U2 */
    while (guest_irqs < 6)
        rt_wfi();
    rt_printf("guest: %u virtual interrupts, done\n", guest_irqs);
    GUEST_HVC(0); /* done */
    for (;;)
        ;
}

/* ---- hypervisor (HYP) ---- */

/* The maintenance interrupt: print the state, then handle each condition the way a
 * hypervisor does, which also clears it: free the LRs EISR names (EOI), stop asking for the
 * no-pending / underflow conditions (NP, U), read and reset EOICount (LRENP). */
void vgic_hyp_irq(void)
{
    uint32_t iar = rt_mmio_read32(gicc + GICC_IAR);
    unsigned id = gic_iar_intid(iar);
    if (id != MAINTENANCE) {
        rt_printf("hyp: FAIL: unexpected physical interrupt %u\n", id);
        rt_exit(1);
    }
    maintenance_irqs++;
    uint32_t misr = rt_mmio_read32(gich + GICH_MISR);
    if (misr_looks < sizeof misr_seen / sizeof misr_seen[0])
        misr_seen[misr_looks++] = misr;
    print_lrs("hyp: maintenance");
    uint32_t hcr = rt_mmio_read32(gich + GICH_HCR);
    if (misr & MISR_EOI) {
        uint32_t eisr = rt_mmio_read32(gich + GICH_EISR0);
        for (unsigned n = 0; n < 4; n++)
            if (eisr & (1u << n))
                rt_mmio_write32(gich + GICH_LR(n), 0);
    }
    if (misr & MISR_NP)
        hcr &= ~GICH_HCR_NPIE;
    if (misr & MISR_U)
        hcr &= ~GICH_HCR_UIE;
    if (misr & MISR_LRENP) {
        rt_printf("hyp: %u EOI(s) of interrupts in no LR\n", hcr >> 27);
        hcr &= ~(GICH_HCR_LRENPIE | GICH_HCR_EOICOUNT);
    }
    rt_mmio_write32(gich + GICH_HCR, hcr);
    print_lrs("hyp: handled");
    rt_mmio_write32(gicc + GICC_EOIR, iar);
    rt_mmio_write32(gicc + GICC_DIR, iar);
}

static bool sequence_ok(void)
{
    /* LR0 as the hypervisor saw it: before entry, acked, injected again, EOIed, acked again,
     * at the maintenance interrupt, after freeing it, at interrupt 100's HVC, end of part 1. */
    static const uint32_t expected[] = {
        LR0_SGI,
        (LR0_SGI & ~LR_PENDING) | 2u << 28,
        LR0_SGI | 3u << 28,
        LR0_SGI,
        (LR0_SGI & ~LR_PENDING) | 2u << 28,
        LR0_SGI & ~LR_PENDING,
        0u,
        0u,
        0u,
    };
    if (lr0_looks != sizeof expected / sizeof expected[0])
        return false;
    for (unsigned i = 0; i < lr0_looks; i++)
        if (lr0_seen[i] != expected[i])
            return false;
    return true;
}

static bool maintenance_ok(void)
{
    static const uint32_t expected[] = {MISR_EOI, MISR_NP, MISR_LRENP, MISR_U};
    if (misr_looks != sizeof expected / sizeof expected[0])
        return false;
    for (unsigned i = 0; i < misr_looks; i++)
        if (misr_seen[i] != expected[i])
            return false;
    return true;
}

void vgic_hyp_trap(void)
{
    uint32_t hsr;
    __asm__ volatile("mrc p15, 4, %0, c5, c2, 0" : "=r"(hsr));
    if (hsr >> 26 != 0x12) {
        rt_printf("hyp: FAIL: unexpected trap, HSR=0x%08X\n", hsr);
        rt_exit(1);
    }
    switch (hsr & 0xFFFFu) {
    case 1: /* the guest acknowledged an interrupt */
        print_lrs("hyp: HVC #1, guest acked");
        if (guest_irqs == 1) {
            /* Inject SGI 3 again while the guest handles it: active -> pending and active. */
            rt_mmio_write32(gich + GICH_LR(0), rt_mmio_read32(gich + GICH_LR(0)) | LR_PENDING);
            print_lrs("hyp: SGI 3 injected again");
        } else if (guest_irqs == 4) {
            /* Take the active VIRQ_NP out of the LRs (as when they are all needed for others):
             * the guest's EOI then finds no LR and counts in EOICount. */
            rt_mmio_write32(gich + GICH_LR(2), 0);
            rt_mmio_write32(gich + GICH_HCR, rt_mmio_read32(gich + GICH_HCR) | GICH_HCR_LRENPIE);
            print_lrs("hyp: interrupt 40 moved out of the LRs");
        }
        return;
    case 2: /* the guest EOIed the SGI once */
        print_lrs("hyp: HVC #2, guest EOIed");
        return;
    case 3: { /* end of part 1 */
        uint32_t active = (rt_mmio_read32(gicd + GICD_ISACTIVER(SPI / 32)) >> (SPI % 32)) & 1u;
        rt_printf("hyp: HVC #3 from the guest (HSR=0x%08X)\n", hsr);
        print_lrs("hyp: part 1 done");
        rt_printf("hyp: physical SPI %u active=%u, maintenance interrupts=%u\n", SPI, active,
                  maintenance_irqs);
        if (!(active == 0 && maintenance_irqs == 1 && guest_irqs == 3 && sequence_ok() &&
              rt_mmio_read32(gich + GICH_ELRSR0) == 0xFu)) {
            rt_printf("vgic-basic: FAIL\n");
            rt_exit(1);
        }
        /* Part 2: the no-pending condition, raised when the guest acknowledges LR2. */
        part = 2;
        rt_mmio_write32(gich + GICH_LR(2), LR_VIRQ(VIRQ_NP, 0x70u));
        rt_mmio_write32(gich + GICH_HCR, GICH_HCR_EN | GICH_HCR_NPIE);
        print_lrs("hyp: NPIE set");
        return;
    }
    case 4:
        /* Underflow: two valid LRs; the guest's first EOI leaves one. */
        rt_mmio_write32(gich + GICH_LR(2), LR_VIRQ(VIRQ_U1, 0x70u));
        rt_mmio_write32(gich + GICH_LR(3), LR_VIRQ(VIRQ_U2, 0x78u));
        rt_mmio_write32(gich + GICH_HCR, GICH_HCR_EN | GICH_HCR_UIE);
        print_lrs("hyp: HVC #4, UIE set");
        return;
    case 0:
        break;
    default:
        rt_printf("hyp: FAIL: unexpected HVC, HSR=0x%08X\n", hsr);
        rt_exit(1);
    }
    rt_printf("hyp: HVC #0 from the guest (HSR=0x%08X)\n", hsr);
    print_lrs("hyp: final");
    rt_printf("hyp: maintenance interrupts=%u (MISR EOI, NP, LRENP, U)\n", maintenance_irqs);
    bool ok = guest_irqs == 6 && maintenance_ok() && rt_mmio_read32(gich + GICH_ELRSR0) == 0xFu &&
              rt_mmio_read32(gich + GICH_HCR) == GICH_HCR_EN;
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
    gicd = rt_gicd();
    gicc = rt_gicc();
    gich = rt_gich();
    gicv = rt_gicv();
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
    rt_mmio_write32(gich + GICH_LR(0), LR0_SGI);
    rt_mmio_write32(gich + GICH_LR(1), LR1_SPI);
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
