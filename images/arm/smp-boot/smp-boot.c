/*
 * smp-boot: bring every CPU up, then prove they share memory and interrupts correctly.
 *
 *  1. start: the runtime releases the secondaries that did not start with the primary
 *     (tc2: CPU 1 by PSCI CPU_ON, CPUs >= 2 from the SYS_FLAGS pen; QEMU and vexpress-a15:
 *     all start at the entry). One line per CPU says how it started. With PSCI, each
 *     online CPU's MPIDR must also read ON through AFFINITY_INFO.
 *  2. counter: every CPU adds 1 to a shared word K times with LDREX/STREX, all at once;
 *     the total must be ncpu * K.
 *  3. SGI ring: a token (SGI 1) goes 0 -> 1 -> ... -> n-1 -> 0 for R rounds. Each CPU's IRQ
 *     handler checks GICC_IAR's source CPU is its predecessor and forwards the token to
 *     its successor. With one CPU the ring is CPU 0 sending to itself.
 *
 * Exit 0 when everything matched; otherwise a FAIL line per problem and a failure exit.
 * The primary never waits unboundedly: a lost SGI shows as "FAIL" rather than a hang.
 */
#include "../runtime/runtime.h"

#define K 10000u           /* increments per CPU */
#define ROUNDS 10u         /* SGI ring rounds */
#define TOKEN_SGI 1u
#define WAKE_SGI 2u        /* tells ring members to re-check `ring_done` */
#define POLL_BUDGET (1u << 26)

static unsigned ncpu;
static volatile uint32_t mpidr_of[RT_MAX_CPUS];
static volatile uint32_t counter, counter_go;
static volatile uint32_t hops[RT_MAX_CPUS], bad_source[RT_MAX_CPUS], bad_intid[RT_MAX_CPUS];
static volatile uint32_t first_bad_src[RT_MAX_CPUS];
static volatile uint32_t rounds_done, ring_done;
static volatile uint32_t ring_ready;
static unsigned failures;

static void fail(void) { failures++; }

/* ---- 1. start ---- */
static void record_mpidr(void *arg)
{
    (void)arg;
    mpidr_of[rt_cpu_index()] = rt_read_mpidr();
}

static void report_start(unsigned online)
{
    rt_printf("smp-boot: %u cpus\n", ncpu);
    mpidr_of[0] = rt_read_mpidr();
    for (unsigned cpu = 1; cpu < ncpu; cpu++) {
        if (rt_cpu_online(cpu)) {
            rt_run_on(cpu, record_mpidr, 0);
            rt_wait_idle(cpu);
        }
    }
    for (unsigned cpu = 0; cpu < ncpu; cpu++)
        rt_printf("cpu%u: %s\n", cpu, rt_start_method_name(rt_cpu_start_method(cpu)));
    if (online != ncpu) {
        rt_printf("smp-boot: FAIL start: %u of %u cpus online\n", online, ncpu);
        fail();
    }
    if (rt_psci_available()) {
        for (unsigned cpu = 0; cpu < ncpu; cpu++) {
            if (!rt_cpu_online(cpu))
                continue;
            /* target_affinity holds the affinity fields only, bits [31:24] zero (PSCI,
             * ARM DEN 0022D 5.1.5), as Linux passes it (MPIDR_HWID_BITMASK): QEMU's PSCI
             * answers INVALID_PARAMETERS for an MPIDR with bit 31 (the M bit) set. */
            int32_t st = rt_psci_call(PSCI_AFFINITY_INFO, mpidr_of[cpu] & 0x00FFFFFFu, 0, 0);
            rt_printf("cpu%u: MPIDR=0x%08X AFFINITY_INFO=%d\n", cpu, mpidr_of[cpu], st);
            if (st != PSCI_AFF_ON) {
                rt_printf("smp-boot: FAIL cpu%u: AFFINITY_INFO says %d, expected 0 (on)\n", cpu, st);
                fail();
            }
        }
    }
}

/* ---- 2. counter ---- */
static void count(void *arg)
{
    (void)arg;
    while (!counter_go)
        rt_wfe();
    rt_dmb();
    for (unsigned i = 0; i < K; i++)
        rt_atomic_add(&counter, 1);
}

static void run_counter(void)
{
    unsigned participants = 1;
    counter = 0;
    counter_go = 0;
    for (unsigned cpu = 1; cpu < ncpu; cpu++)
        if (rt_cpu_online(cpu)) {
            rt_run_on(cpu, count, 0);
            participants++;
        }
    rt_dmb();
    counter_go = 1;
    rt_sev();
    count(0);
    for (unsigned cpu = 1; cpu < ncpu; cpu++)
        if (rt_cpu_online(cpu))
            rt_wait_idle(cpu);
    uint32_t expected = participants * K;
    if (counter == expected) {
        rt_printf("smp-boot: counter %u = %u cpus x %u ok\n", counter, participants, K);
    } else {
        rt_printf("smp-boot: FAIL counter: got %u, expected %u\n", counter, expected);
        fail();
    }
}

/* ---- 3. SGI ring ---- */
static unsigned ring_next(unsigned cpu) { return cpu + 1 < ncpu ? cpu + 1 : 0; }
static unsigned ring_prev(unsigned cpu) { return cpu == 0 ? ncpu - 1 : cpu - 1; }

static void on_irq(uint32_t iar)
{
    unsigned me = rt_cpu_index();
    unsigned intid = gic_iar_intid(iar);
    if (intid == WAKE_SGI)
        return;
    if (intid != TOKEN_SGI) {
        bad_intid[me]++;
        return;
    }
    unsigned src = gic_iar_source(iar);
    if (src != ring_prev(me)) {
        if (!bad_source[me])
            first_bad_src[me] = src;
        bad_source[me]++;
    }
    hops[me]++;
    if (me == 0) {
        rounds_done++;
        if (rounds_done == ROUNDS) {
            ring_done = 1;
            rt_sev();
            return;
        }
    }
    rt_gic_send_sgi(GIC_SGIR_FILTER_LIST, 1u << ring_next(me), TOKEN_SGI);
}

/* Ring member: take interrupts until the primary says the ring is done. WFI with IRQs
 * masked still wakes on a pending IRQ (ARM ARM B1.8, "Wait For Interrupt": a physical IRQ
 * is a wake-up event whatever CPSR.I says), which is then taken in the window where they
 * are unmasked: no lost wake-up. The primary's final WAKE_SGI gets members out of WFI. */
static void ring_member(void *arg)
{
    (void)arg;
    rt_atomic_add(&ring_ready, 1);
    while (!ring_done) {
        rt_wfi();
        rt_irq_enable();
        rt_irq_disable();
    }
}

static void run_ring(void)
{
    rounds_done = 0;
    ring_done = 0;
    ring_ready = 0;
    for (unsigned i = 0; i < RT_MAX_CPUS; i++)
        hops[i] = bad_source[i] = bad_intid[i] = 0;
    rt_set_irq_handler(on_irq);
    for (unsigned cpu = 1; cpu < ncpu; cpu++)
        rt_run_on(cpu, ring_member, 0);
    /* wait until every member is in its loop (bounded) */
    for (uint32_t i = 0; ring_ready != ncpu - 1 && i < POLL_BUDGET; i++)
        ;
    rt_gic_send_sgi(GIC_SGIR_FILTER_LIST, 1u << ring_next(0), TOKEN_SGI);
    rt_irq_enable();
    uint32_t polls = 0;
    while (!ring_done && polls < POLL_BUDGET)
        polls++;
    rt_irq_disable();
    bool finished = ring_done;
    ring_done = 1; /* release the members whatever happened */
    rt_dsb();
    if (ncpu > 1)
        rt_gic_send_sgi(GIC_SGIR_FILTER_OTHERS, 0, WAKE_SGI);
    for (unsigned cpu = 1; cpu < ncpu; cpu++)
        rt_wait_idle(cpu);

    bool ok = finished;
    if (!finished) {
        rt_printf("smp-boot: FAIL SGI ring: token lost after %u of %u rounds\n", rounds_done,
                  ROUNDS);
    }
    uint32_t total = 0;
    for (unsigned cpu = 0; cpu < ncpu; cpu++) {
        total += hops[cpu];
        if (bad_source[cpu]) {
            rt_printf("smp-boot: FAIL SGI ring: cpu%u got the token from cpu%u, expected cpu%u\n",
                      cpu, first_bad_src[cpu], ring_prev(cpu));
            ok = false;
        }
        if (bad_intid[cpu]) {
            rt_printf("smp-boot: FAIL SGI ring: cpu%u took %u unexpected interrupts\n", cpu,
                      bad_intid[cpu]);
            ok = false;
        }
        if (finished && hops[cpu] != ROUNDS) {
            rt_printf("smp-boot: FAIL SGI ring: cpu%u saw the token %u times, expected %u\n", cpu,
                      hops[cpu], ROUNDS);
            ok = false;
        }
    }
    if (ok)
        rt_printf("smp-boot: SGI ring %u rounds over %u cpus, %u hops, sources ok\n", ROUNDS, ncpu,
                  total);
    else
        fail();
}

int main(void)
{
    ncpu = rt_cpu_count();
    unsigned online = rt_start_secondaries();
    report_start(online);
    if (online != ncpu) {
        rt_printf("smp-boot: FAIL (not all cpus started; skipping the counter and the ring)\n");
        return 1;
    }
    run_counter();
    run_ring();
    if (failures) {
        rt_printf("smp-boot: %u checks FAILED\n", failures);
        return 1;
    }
    rt_printf("smp-boot: all checks pass\n");
    return 0;
}
