/* Guest cross-calls: see xcall.h. */
#include "xcall.h"

#define CSD_FLAG_LOCK 1u

struct call_single_data {
    smp_call_func_t func;
    void *info;
    volatile uint32_t flags;
};

/* The call data each CPU is asked to run; written by the caller, cleared by the target. */
static struct call_single_data call_data[RT_MAX_CPUS];

volatile uint32_t cpu_online_mask;

static inline uint32_t irq_save(void)
{
    uint32_t cpsr = rt_read_cpsr();
    rt_irq_disable();
    return cpsr;
}

static inline void irq_restore(uint32_t cpsr)
{
    if (!(cpsr & CPSR_I))
        rt_irq_enable();
}

/* csd_lock: wait until the target's previous call is done, then claim its slot (LDREX/STREX,
 * so that two callers cannot both claim it). */
static void csd_lock(struct call_single_data *csd)
{
    uint32_t old, fail;
    __asm__ volatile("1: ldrex   %0, [%2]\n"
                     "   teq     %0, #0\n"
                     "   bne     1b\n" /* cpu_relax until the slot is free */
                     "   strex   %1, %3, [%2]\n"
                     "   teq     %1, #0\n"
                     "   bne     1b\n"
                     : "=&r"(old), "=&r"(fail)
                     : "r"(&csd->flags), "r"(CSD_FLAG_LOCK)
                     : "cc", "memory");
    rt_dmb();
}

static void csd_lock_wait(struct call_single_data *csd)
{
    while (csd->flags & CSD_FLAG_LOCK)
        ; /* cpu_relax: the caller spins, as Linux's csd_lock_wait */
    rt_dmb();
}

/* The SGI handler (generic_smp_call_function_{single_,}interrupt): run this CPU's call data
 * and release it. Runs in SVC with IRQs masked; the runtime's vector EOIs afterwards. */
static void ipi_handler(uint32_t iar)
{
    unsigned intid = gic_iar_intid(iar);
    if (intid != IPI_CALL_FUNC && intid != IPI_CALL_FUNC_SINGLE)
        return;
    struct call_single_data *csd = &call_data[rt_cpu_index()];
    if (!(csd->flags & CSD_FLAG_LOCK))
        return;
    rt_dmb();
    csd->func(csd->info);
    rt_dmb();
    csd->flags = 0;
    rt_dsb();
}

void xcall_cpu_init(void)
{
    rt_set_irq_handler(ipi_handler);
}

static void post(unsigned cpu, smp_call_func_t fn, void *info)
{
    struct call_single_data *csd = &call_data[cpu];
    csd_lock(csd);
    csd->func = fn;
    csd->info = info;
    rt_dmb();
}

void smp_call_function_single(unsigned cpu, smp_call_func_t fn, void *info, bool wait)
{
    if (cpu == rt_cpu_index()) {
        uint32_t flags = irq_save();
        fn(info);
        irq_restore(flags);
        return;
    }
    if (!cpu_online(cpu))
        return;
    post(cpu, fn, info);
    rt_gic_send_sgi(GIC_SGIR_FILTER_LIST, 1u << cpu, IPI_CALL_FUNC_SINGLE);
    if (wait)
        csd_lock_wait(&call_data[cpu]);
}

void smp_call_function(smp_call_func_t fn, void *info, bool wait)
{
    unsigned self = rt_cpu_index();
    uint32_t targets = 0;
    for_each_online_cpu(cpu) {
        if (cpu == self)
            continue;
        post(cpu, fn, info);
        targets |= 1u << cpu;
    }
    if (!targets)
        return;
    rt_gic_send_sgi(GIC_SGIR_FILTER_LIST, targets, IPI_CALL_FUNC);
    if (wait)
        for (unsigned cpu = 0; cpu < RT_MAX_CPUS; cpu++)
            if (targets & (1u << cpu))
                csd_lock_wait(&call_data[cpu]);
}

void on_each_cpu(smp_call_func_t fn, void *info, bool wait)
{
    smp_call_function(fn, info, wait);
    uint32_t flags = irq_save();
    fn(info);
    irq_restore(flags);
}
