/*
 * Exception handling behind the vector tables in vectors.S: IRQ dispatch, UNDEFINED probes,
 * and a report + failure exit for everything unexpected.
 */
#include "runtime.h"

struct rt_frame {
    uint32_t r[13];
    uint32_t lr;   /* the interrupted mode's LR (SVC's in PL1, HYP's in HYP) */
    uint32_t ret;  /* PL1: raw exception LR on entry, resume address on exit; HYP: ELR_hyp */
    uint32_t spsr;
};

#define KIND_HYP 0x100u
#define VEC_UNDEF 0x04u
#define VEC_IRQ 0x18u

extern char rt_pl1_vectors[], rt_hyp_vectors[];
void rt_exception_entry(uint32_t kind, struct rt_frame *f); /* called from vectors.S */

static rt_irq_handler_t irq_handler;

/* Per-CPU UNDEFINED probe state: 0 idle, 1 armed, 2 armed and an UNDEF happened. */
static volatile uint32_t probe_state[RT_MAX_CPUS];

void rt_install_vectors(void)
{
    uint32_t mode = rt_read_cpsr() & CPSR_MODE_MASK;
    if (mode == CPSR_MODE_HYP) {
        __asm__ volatile("mcr p15, 4, %0, c12, c0, 0" ::"r"(rt_hyp_vectors)); /* HVBAR */
    } else {
        uint32_t sctlr;
        __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
        sctlr &= ~(1u << 13); /* V = 0: vectors at VBAR, not 0xFFFF0000 */
        __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" ::"r"(sctlr));
        __asm__ volatile("mcr p15, 0, %0, c12, c0, 0" ::"r"(rt_pl1_vectors)); /* VBAR */
    }
    rt_isb();
}

void rt_set_irq_handler(rt_irq_handler_t h)
{
    irq_handler = h;
    rt_dsb();
}

void rt_probe_begin(void)
{
    probe_state[rt_cpu_index()] = 1;
    rt_dsb();
}

bool rt_probe_end(void)
{
    unsigned cpu = rt_cpu_index();
    bool faulted = probe_state[cpu] == 2;
    probe_state[cpu] = 0;
    return faulted;
}

static void dispatch_irq(void)
{
    uint32_t iar = rt_gic_ack();
    if (gic_iar_intid(iar) >= 1020) /* 1020-1023: special/spurious, nothing to EOI */
        return;
    if (irq_handler)
        irq_handler(iar);
    rt_gic_eoi(iar);
}

static const char *const vector_names[8] = {
    "reset", "undefined instruction", "SVC", "prefetch abort",
    "data abort", "hyp trap", "IRQ", "FIQ",
};

__attribute__((noreturn)) static void report(uint32_t kind, const struct rt_frame *f)
{
    bool hyp = (kind & KIND_HYP) != 0;
    uint32_t vec = kind & 0xFFu;
    /* Raw output without the console lock: the interrupted code may hold it. */
    rt_puts("\nrt: unexpected ");
    rt_puts(vector_names[(vec >> 2) & 7u]);
    rt_puts(hyp ? " (HYP vectors)" : " (PL1 vectors)");
    rt_puts(" on cpu");
    rt_put_dec(rt_cpu_index());
    rt_puts("\n  ret=");
    rt_put_hex32(f->ret);
    rt_puts(" spsr=");
    rt_put_hex32(f->spsr);
    rt_puts(" lr=");
    rt_put_hex32(f->lr);
    if (hyp) {
        uint32_t hsr, hdfar, hifar;
        __asm__ volatile("mrc p15, 4, %0, c5, c2, 0" : "=r"(hsr));
        __asm__ volatile("mrc p15, 4, %0, c6, c0, 0" : "=r"(hdfar));
        __asm__ volatile("mrc p15, 4, %0, c6, c0, 2" : "=r"(hifar));
        rt_puts(" HSR=");
        rt_put_hex32(hsr);
        rt_puts(" HDFAR=");
        rt_put_hex32(hdfar);
        rt_puts(" HIFAR=");
        rt_put_hex32(hifar);
    } else {
        uint32_t dfsr, dfar, ifsr, ifar;
        __asm__ volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(dfsr));
        __asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(dfar));
        __asm__ volatile("mrc p15, 0, %0, c5, c0, 1" : "=r"(ifsr));
        __asm__ volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(ifar));
        rt_puts(" DFSR=");
        rt_put_hex32(dfsr);
        rt_puts(" DFAR=");
        rt_put_hex32(dfar);
        rt_puts(" IFSR=");
        rt_put_hex32(ifsr);
        rt_puts(" IFAR=");
        rt_put_hex32(ifar);
    }
    rt_puts("\n  r0=");
    rt_put_hex32(f->r[0]);
    rt_puts(" r1=");
    rt_put_hex32(f->r[1]);
    rt_puts(" r2=");
    rt_put_hex32(f->r[2]);
    rt_puts(" r3=");
    rt_put_hex32(f->r[3]);
    rt_puts("\n");
    rt_exit(1);
}

void rt_exception_entry(uint32_t kind, struct rt_frame *f)
{
    bool hyp = (kind & KIND_HYP) != 0;
    uint32_t vec = kind & 0xFFu;

    if (vec == VEC_IRQ) {
        if (!hyp)
            f->ret -= 4; /* LR_irq = next instruction + 4 (B1.8.3) */
        dispatch_irq();
        return;
    }
    if (vec == VEC_UNDEF) {
        volatile uint32_t *probe = &probe_state[rt_cpu_index()];
        if (*probe == 1) {
            *probe = 2;
            /* Skip the instruction. PL1: LR_und already points past it (A32: +4).
             * HYP: ELR_hyp holds the UNDEFINED instruction itself. */
            if (hyp)
                f->ret += 4;
            return;
        }
    }
    report(kind, f);
}
