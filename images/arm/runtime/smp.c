/*
 * Secondary CPUs: the runtime pen, and bringing CPUs into it on every kind of machine.
 *
 * Each CPU other than 0 ends up in rt_secondary_entry: it marks itself online and waits
 * (WFE) for a job from rt_run_on. How it gets to _start differs:
 *
 *  - all-at-entry machines (QEMU and hetboot vexpress-a15): every CPU runs _start at reset,
 *    so the secondaries check in on their own, concurrently with the primary;
 *  - tc2: secondaries sit in firmware until released, by PSCI CPU_ON or by the boot
 *    monitor's pen (entry address in SYS_FLAGS, then an SGI).
 *
 * rt_start_secondaries decides without timing assumptions where it can: if PSCI exists and
 * AFFINITY_INFO says CPU 1's core is OFF, the secondaries are held by firmware and are
 * released at once (CPU 1 by PSCI CPU_ON, CPUs >= 2 through SYS_FLAGS + SGI, so both paths
 * are exercised). Without PSCI (QEMU: Secure SVC, or HYP with no EL3) the only way to tell
 * an all-at-entry machine from a pen is to wait: the primary polls for the check-ins for a
 * long, fixed number of iterations, then releases the missing CPUs through SYS_FLAGS.
 */
#include "runtime.h"

extern char _start[];
extern void rt_secondary_entry(unsigned cpu);
extern void rt_primary_entry(void);

#define WAIT_ITERATIONS (1u << 24) /* polls (~40 instructions each) before a CPU counts as
                                    * "not started": ~0.3 s of QEMU, ~7 x 10^8 instructions */
#define WAKE_SGI 0u                /* the SGI that wakes the boot monitor pen */

static volatile uint32_t online[RT_MAX_CPUS];
static volatile uint32_t start_method[RT_MAX_CPUS];
static void (*volatile job_fn[RT_MAX_CPUS])(void *);
static void *volatile job_arg[RT_MAX_CPUS];
static volatile uint32_t job_posted[RT_MAX_CPUS];
static volatile uint32_t job_finished[RT_MAX_CPUS];
static unsigned n_online;

const char *rt_start_method_name(enum rt_start_method m)
{
    switch (m) {
    case RT_START_PRIMARY: return "primary";
    case RT_START_AT_ENTRY: return "started with the primary (all at entry)";
    case RT_START_PSCI_CPU_ON: return "started by PSCI CPU_ON";
    case RT_START_SYS_FLAGS: return "started by SYS_FLAGS pen";
    default: return "not started";
    }
}

enum rt_start_method rt_cpu_start_method(unsigned cpu)
{
    return cpu < RT_MAX_CPUS ? (enum rt_start_method)start_method[cpu] : RT_START_NOT_STARTED;
}

bool rt_cpu_online(unsigned cpu) { return cpu < RT_MAX_CPUS && online[cpu] != 0; }

/* Acknowledge and complete whatever is pending at this CPU interface (e.g. the SGI that
 * woke it from a firmware pen), with IRQs still masked, so it cannot fire later. */
static void drain_interrupts(void)
{
    for (unsigned i = 0; i < 64; i++) {
        uint32_t iar = rt_gic_ack();
        if (gic_iar_intid(iar) >= 1020)
            break;
        rt_gic_eoi(iar);
    }
}

void rt_secondary_entry(unsigned cpu)
{
    rt_gic_init_cpu();
    drain_interrupts();
    online[cpu] = 1;
    rt_sev();
    for (;;) {
        while (job_posted[cpu] == job_finished[cpu])
            rt_wfe();
        rt_dmb();
        void (*fn)(void *) = job_fn[cpu];
        void *arg = job_arg[cpu];
        fn(arg);
        rt_dmb();
        job_finished[cpu] = job_posted[cpu];
        rt_sev();
    }
}

#ifdef RT_PLATFORM_VIRT
extern uint32_t rt_entry_mode; /* psci.c: decides the PSCI conduit */
#endif

void rt_primary_entry(void)
{
#ifdef RT_PLATFORM_VIRT
    rt_entry_mode = rt_read_cpsr() & CPSR_MODE_MASK;
#endif
    start_method[0] = RT_START_PRIMARY;
    online[0] = 1;
    rt_gic_init_distributor();
    rt_gic_init_cpu();
    drain_interrupts();
    int status = main();
    rt_exit(status);
}

void rt_wait_idle(unsigned cpu)
{
    while (job_posted[cpu] != job_finished[cpu])
        rt_wfe();
    rt_dmb();
}

void rt_run_on(unsigned cpu, void (*fn)(void *), void *arg)
{
    if (cpu == 0 || cpu >= RT_MAX_CPUS || !online[cpu])
        return;
    rt_wait_idle(cpu);
    job_fn[cpu] = fn;
    job_arg[cpu] = arg;
    rt_dmb();
    job_posted[cpu] = job_posted[cpu] + 1;
    rt_sev();
}

/* Polls (no WFE: on a pen machine nobody would send the event) until every CPU in `mask`
 * is online or the budget runs out; returns the CPUs still missing. */
static uint32_t wait_online(uint32_t mask, uint32_t iterations)
{
    for (uint32_t i = 0; mask && i < iterations; i++) {
        for (unsigned cpu = 1; cpu < RT_MAX_CPUS; cpu++)
            if ((mask & (1u << cpu)) && online[cpu])
                mask &= ~(1u << cpu);
    }
    rt_dmb();
    return mask;
}

#ifdef RT_PLATFORM_VIRT
/*
 * virt: the secondaries stay powered off until PSCI CPU_ON (QEMU virt.c machvirt_init sets
 * "start-powered-off" on every CPU but the first; hetboot's virt-arm does the same), unless
 * the board has EL3 (secure=on): then QEMU offers no PSCI and starts every CPU at the entry.
 * There is no SYS_FLAGS pen. A CPU's GIC CPU-interface number (its logical number here) need
 * not follow its MPIDR — a mix of clusters numbers Aff1 by cluster — so the primary goes by
 * affinity: every MPIDR (Aff1 = cluster, Aff0 = core, 0-7 each) that AFFINITY_INFO reports
 * OFF is switched on, and each CPU finds its own number in _start. QEMU and hetboot answer
 * INVALID_PARAMETERS for an MPIDR with no CPU behind it.
 */
unsigned rt_start_secondaries(void)
{
    if (n_online)
        return n_online;
    unsigned n = rt_cpu_count();
    uint32_t missing = 0;
    for (unsigned cpu = 1; cpu < n; cpu++)
        missing |= 1u << cpu;

    uint32_t released = 0; /* CPUs online before the release count as started at entry */
    if (missing && rt_psci_available()) {
        rt_dmb();
        for (unsigned cpu = 1; cpu < n; cpu++)
            if (!online[cpu])
                released |= 1u << cpu;
        uint32_t self = rt_read_mpidr() & 0x00FFFFFFu;
        unsigned switched_on = 0;
        for (uint32_t aff1 = 0; aff1 < 8u && switched_on + 1u < n; aff1++) {
            for (uint32_t aff0 = 0; aff0 < 8u && switched_on + 1u < n; aff0++) {
                uint32_t mpidr = (self & 0x00FF0000u) | (aff1 << 8) | aff0;
                if (mpidr == self ||
                    rt_psci_call(PSCI_AFFINITY_INFO, mpidr, 0, 0) != PSCI_AFF_OFF)
                    continue;
                if (rt_psci_call(PSCI_CPU_ON, mpidr, (uint32_t)(uintptr_t)_start, 1) ==
                    PSCI_SUCCESS)
                    switched_on++;
            }
        }
    }
    missing = wait_online(missing, WAIT_ITERATIONS);
    for (unsigned cpu = 1; cpu < n; cpu++) {
        if (missing & (1u << cpu))
            start_method[cpu] = RT_START_NOT_STARTED;
        else if (released & (1u << cpu))
            start_method[cpu] = RT_START_PSCI_CPU_ON;
        else
            start_method[cpu] = RT_START_AT_ENTRY;
    }

    unsigned count = 0;
    for (unsigned cpu = 0; cpu < n; cpu++)
        if (online[cpu])
            count++;
    n_online = count;
    return count;
}
#else
/* CPU 1's MPIDR for PSCI: the primary's cluster sibling (Aff0 + 1). On TC2 GIC CPU
 * interface 1 is the second A15, MPIDR 0x80000001. */
static uint32_t cpu1_mpidr(void) { return (rt_read_mpidr() & 0x00FFFFFFu) + 1u; }

static void release_by_sys_flags(uint32_t mask)
{
    for (unsigned cpu = 1; cpu < RT_MAX_CPUS; cpu++)
        if (mask & (1u << cpu))
            start_method[cpu] = RT_START_SYS_FLAGS;
    rt_mmio_write32(RT_SYSREG_BASE + RT_SYS_FLAGSCLR, 0xFFFFFFFFu);
    rt_mmio_write32(RT_SYSREG_BASE + RT_SYS_FLAGSSET, (uint32_t)(uintptr_t)_start);
    rt_gic_send_sgi(GIC_SGIR_FILTER_LIST, mask, WAKE_SGI);
}

unsigned rt_start_secondaries(void)
{
    if (n_online)
        return n_online;
    unsigned n = rt_cpu_count();
    uint32_t missing = 0;
    for (unsigned cpu = 1; cpu < n; cpu++)
        missing |= 1u << cpu;

    bool held_by_firmware = false;
    if (missing && rt_psci_available()) {
        int32_t st = rt_psci_call(PSCI_AFFINITY_INFO, cpu1_mpidr(), 0, 0);
        held_by_firmware = st == PSCI_AFF_OFF;
    }
    if (!held_by_firmware)
        missing = wait_online(missing, WAIT_ITERATIONS);
    for (unsigned cpu = 1; cpu < n; cpu++)
        if (!(missing & (1u << cpu)))
            start_method[cpu] = RT_START_AT_ENTRY;

    if (missing) {
        if ((missing & 2u) && rt_psci_available() &&
            rt_psci_call(PSCI_AFFINITY_INFO, cpu1_mpidr(), 0, 0) == PSCI_AFF_OFF) {
            start_method[1] = RT_START_PSCI_CPU_ON;
            if (rt_psci_call(PSCI_CPU_ON, cpu1_mpidr(), (uint32_t)(uintptr_t)_start, 1) ==
                PSCI_SUCCESS) {
                if (wait_online(2u, WAIT_ITERATIONS) == 0)
                    missing &= ~2u;
            }
        }
        if (missing & ~1u) {
            release_by_sys_flags(missing);
            missing = wait_online(missing, WAIT_ITERATIONS);
        }
        for (unsigned cpu = 1; cpu < n; cpu++)
            if (missing & (1u << cpu))
                start_method[cpu] = RT_START_NOT_STARTED;
    }

    unsigned count = 0;
    for (unsigned cpu = 0; cpu < n; cpu++)
        if (online[cpu])
            count++;
    n_online = count;
    return count;
}
#endif
