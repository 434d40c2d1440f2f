/*
 * interrupts: M-mode interrupts from the CLINT and from mip.SSIP (Privileged spec 3.1.6.1,
 * 3.1.9, 3.3.3; the CLINT as in QEMU hw/intc/riscv_aclint.c).
 *
 * An interrupt i is taken when mip[i] and mie[i] are set and mstatus.MIE = 1 (in M-mode),
 * with mcause = 2^63 | i and mepc = the next instruction not yet executed. The machine
 * software interrupt (3) follows the hart's CLINT msip; the machine timer interrupt (7)
 * is pending while mtime >= mtimecmp; the supervisor software interrupt (1), not
 * delegated in mideleg, is taken in M-mode too. Simultaneous interrupts are taken in the
 * order MEI, MSI, MTI, SEI, SSI, STI. WFI returns when an enabled interrupt is pending even
 * with mstatus.MIE = 0 (and nothing is taken). With mtvec.MODE = 1, interrupt i enters at
 * BASE + 4i and exceptions at BASE.
 *
 * Deterministic: no case measures time. The timer cases use mtimecmp = 0 (pending at once)
 * or mtime + 100 and wait with WFI (MIE = 0) until the interrupt has been taken, bounded by
 * mtime passing the deadline by 10^7 ticks (a second at virt's 10 MHz) or 2^24 WFIs.
 */
#include "selftest.h"

#define LOG_SIZE 4
static volatile unsigned irq_count;
static volatile uint64_t irq_cause[LOG_SIZE], irq_epc[LOG_SIZE], irq_mstatus[LOG_SIZE], irq_mtime;

extern char rv_vector_table[];
extern volatile uint64_t rv_vector_last;

static bool hook(struct rt_trap_frame *f)
{
    if (!(f->mcause & MCAUSE_INTERRUPT))
        return false; /* exceptions: the runtime's probes */
    unsigned n = irq_count;
    if (n < LOG_SIZE) {
        irq_cause[n] = f->mcause;
        irq_epc[n] = f->mepc;
        irq_mstatus[n] = rt_csr_read(mstatus);
    }
    irq_count = n + 1;
    switch (f->mcause & ~MCAUSE_INTERRUPT) {
    case IRQ_M_SOFT:
        rt_clint_set_msip(0, false);
        break;
    case IRQ_M_TIMER:
        irq_mtime = rt_clint_mtime();
        rt_clint_set_mtimecmp(0, ~0ul);
        break;
    case IRQ_S_SOFT:
        rt_csr_clear(mip, MIP_SSIP);
        break;
    default:
        rt_csr_clear(mie, 1ul << (f->mcause & 63)); /* not expected: silence it */
        break;
    }
    return true;
}

static void reset_log(void)
{
    irq_count = 0;
    for (unsigned i = 0; i < LOG_SIZE; i++)
        irq_cause[i] = irq_epc[i] = irq_mstatus[i] = 0;
}

/* Sets mstatus.MIE and clears it again; returns the address of the instruction after the
 * CSRSI, where an interrupt pending at that moment must be taken. */
static uint64_t window(void)
{
    uint64_t at;
    __asm__ volatile("lla %[at], 1f\n\tcsrsi mstatus, 8\n1:\tcsrci mstatus, 8" : [at] "=&r"(at) : : "memory");
    return at;
}

static void software(struct st_group *g)
{
    /* pending but MIE = 0: visible in mip, not taken */
    reset_log();
    rt_csr_write(mie, MIP_MSIP);
    rt_clint_set_msip(0, true);
    {
        const uint64_t got[2] = {rt_csr_read(mip) & MIP_MSIP, irq_count}, exp[2] = {MIP_MSIP, 0};
        st_case(g, 2, got, exp);
    }
    /* MIE = 1: taken at once, cause 2^63 | 3, mepc = the next instruction; in the handler
     * MIE = 0 and MPIE = 1; the handler cleared msip */
    uint64_t at = window();
    {
        const uint64_t got[5] = {irq_count, irq_cause[0], irq_epc[0],
                                 irq_mstatus[0] & (MSTATUS_MIE | MSTATUS_MPIE), rt_csr_read(mip) & MIP_MSIP};
        const uint64_t exp[5] = {1, MCAUSE_INTERRUPT | IRQ_M_SOFT, at, MSTATUS_MPIE, 0};
        st_case(g, 5, got, exp);
    }
    /* mie.MSIE = 0: pending, MIE = 1, still not taken; setting MSIE takes it */
    reset_log();
    rt_csr_write(mie, 0);
    rt_clint_set_msip(0, true);
    window();
    st_check(g, irq_count, 0);
    rt_csr_write(mie, MIP_MSIP);
    at = window();
    {
        const uint64_t got[3] = {irq_count, irq_cause[0], irq_epc[0]},
                       exp[3] = {1, MCAUSE_INTERRUPT | IRQ_M_SOFT, at};
        st_case(g, 3, got, exp);
    }
    /* WFI with MIE = 0 returns when MSIP is pending and enabled; nothing is taken */
    reset_log();
    rt_clint_set_msip(0, true);
    rt_wfi();
    {
        const uint64_t got[2] = {irq_count, rt_csr_read(mip) & MIP_MSIP}, exp[2] = {0, MIP_MSIP};
        st_case(g, 2, got, exp);
    }
    rt_clint_set_msip(0, false);
    st_check(g, rt_csr_read(mip) & MIP_MSIP, 0);
    /* SSIP: set by M in mip, not delegated, taken in M with cause 2^63 | 1 */
    reset_log();
    rt_csr_write(mideleg, 0);
    rt_csr_write(mie, MIP_SSIP);
    rt_csr_set(mip, MIP_SSIP);
    st_check(g, rt_csr_read(mip) & MIP_SSIP, MIP_SSIP);
    at = window();
    {
        const uint64_t got[4] = {irq_count, irq_cause[0], irq_epc[0], rt_csr_read(mip) & MIP_SSIP};
        const uint64_t exp[4] = {1, MCAUSE_INTERRUPT | IRQ_S_SOFT, at, 0};
        st_case(g, 4, got, exp);
    }
    rt_csr_write(mie, 0);
}

static void timer(struct st_group *g)
{
    /* mtimecmp = 0: pending at once; taken with cause 2^63 | 7; the handler's
     * mtimecmp = ~0 clears it */
    reset_log();
    rt_clint_set_mtimecmp(0, 0);
    rt_csr_write(mie, MIP_MTIP);
    st_check(g, rt_csr_read(mip) & MIP_MTIP, MIP_MTIP);
    uint64_t at = window();
    {
        const uint64_t got[4] = {irq_count, irq_cause[0], irq_epc[0], rt_csr_read(mip) & MIP_MTIP};
        const uint64_t exp[4] = {1, MCAUSE_INTERRUPT | IRQ_M_TIMER, at, 0};
        st_case(g, 4, got, exp);
    }
    /* a deadline in the future: WFI with MIE = 0 until the timer is pending (no lost
     * wake-up: an interrupt cannot be taken between the check and the WFI), then open
     * MIE for it; when it is taken, mtime has reached mtimecmp */
    reset_log();
    uint64_t deadline = rt_clint_mtime() + 100;
    rt_clint_set_mtimecmp(0, deadline);
    for (uint32_t i = 0; i < (1u << 24) && irq_count == 0 && rt_clint_mtime() < deadline + 10000000ul; i++) {
        rt_wfi();
        window();
    }
    {
        const uint64_t got[3] = {irq_count, irq_cause[0], irq_mtime >= deadline};
        const uint64_t exp[3] = {1, MCAUSE_INTERRUPT | IRQ_M_TIMER, 1};
        st_case(g, 3, got, exp);
    }
    /* MSI and MTI pending together: MSI first, then MTI */
    reset_log();
    rt_clint_set_msip(0, true);
    rt_clint_set_mtimecmp(0, 0);
    rt_csr_write(mie, MIP_MSIP | MIP_MTIP);
    window();
    {
        const uint64_t got[3] = {irq_count, irq_cause[0], irq_cause[1]};
        const uint64_t exp[3] = {2, MCAUSE_INTERRUPT | IRQ_M_SOFT, MCAUSE_INTERRUPT | IRQ_M_TIMER};
        st_case(g, 3, got, exp);
    }
    rt_csr_write(mie, 0);
}

static void vectored(struct st_group *g)
{
    rt_csr_write(mtvec, (uintptr_t)rv_vector_table | 1);
    st_check(g, rt_csr_read(mtvec), (uintptr_t)rv_vector_table | 1);
    /* MSI enters at BASE + 4 * 3, MTI at BASE + 4 * 7 */
    reset_log();
    rv_vector_last = ~0ul;
    rt_csr_write(mie, MIP_MSIP);
    rt_clint_set_msip(0, true);
    window();
    {
        const uint64_t got[3] = {irq_count, irq_cause[0], rv_vector_last};
        const uint64_t exp[3] = {1, MCAUSE_INTERRUPT | IRQ_M_SOFT, 3};
        st_case(g, 3, got, exp);
    }
    reset_log();
    rv_vector_last = ~0ul;
    rt_csr_write(mie, MIP_MTIP);
    rt_clint_set_mtimecmp(0, 0);
    window();
    {
        const uint64_t got[3] = {irq_count, irq_cause[0], rv_vector_last};
        const uint64_t exp[3] = {1, MCAUSE_INTERRUPT | IRQ_M_TIMER, 7};
        st_case(g, 3, got, exp);
    }
    rt_csr_write(mie, 0);
    /* an exception (ECALL) enters at BASE */
    rv_vector_last = ~0ul;
    struct rt_trap_info info;
    rt_probe_begin();
    __asm__ volatile("ecall" ::: "memory");
    bool trapped = rt_probe_end(&info);
    {
        const uint64_t got[3] = {trapped, info.mcause, rv_vector_last};
        const uint64_t exp[3] = {1, CAUSE_MACHINE_ECALL, 0};
        st_case(g, 3, got, exp);
    }
    rt_csr_write(mtvec, (uintptr_t)rt_trap_vector);
}

bool group_interrupts(void)
{
    struct st_group g;
    st_begin(&g, "interrupts");
    rt_csr_clear(mstatus, MSTATUS_MIE);
    rt_set_trap_hook(hook);
    software(&g);
    timer(&g);
    vectored(&g);
    rt_csr_write(mie, 0);
    rt_clint_set_msip(0, false);
    rt_clint_set_mtimecmp(0, ~0ul);
    rt_set_trap_hook(0);
    return st_end(&g);
}
