/*
 * hello: every CPU prints its identity, in CPU-number order, then CPU 0 prints the count.
 *
 *   cpu<i>: MIDR=0x........ MPIDR=0x........ mode=<CPSR.M> security=<state>
 *   hello: <n> cpus
 *
 * Order: CPU i waits until the shared turn counter equals i, prints, then passes the turn to
 * the next online CPU (RT_MAX_CPUS after the last one). All secondaries wait concurrently.
 */
#include "../runtime/runtime.h"

static volatile uint32_t turn;

static void print_identity(void *arg)
{
    unsigned cpu = rt_cpu_index();
    (void)arg;
    while (turn != cpu)
        rt_wfe();
    rt_dmb();
    rt_printf("cpu%u: MIDR=0x%08X MPIDR=0x%08X mode=%s security=%s\n", cpu, rt_read_midr(),
              rt_read_mpidr(), rt_mode_name(rt_read_cpsr()),
              rt_security_name(rt_security_state()));
    unsigned next = cpu + 1;
    while (next < RT_MAX_CPUS && !rt_cpu_online(next))
        next++;
    rt_dmb();
    turn = next;
    rt_sev();
}

int main(void)
{
    unsigned n = rt_start_secondaries();
    unsigned expected = rt_cpu_count();
    for (unsigned cpu = 1; cpu < RT_MAX_CPUS; cpu++)
        if (rt_cpu_online(cpu))
            rt_run_on(cpu, print_identity, 0);
    print_identity(0);
    while (turn != RT_MAX_CPUS)
        rt_wfe();
    rt_printf("hello: %u cpus\n", n);
    if (n != expected) {
        rt_printf("hello: FAIL: the GIC reports %u cpus, %u came online\n", expected, n);
        return 1;
    }
    return 0;
}
