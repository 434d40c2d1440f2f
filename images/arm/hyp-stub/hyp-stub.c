/*
 * hyp-stub: what a Linux 3.x kernel does with HYP mode before KVM exists — on every CPU that
 * entered in HYP: install the hyp stub (HVBAR = the stub's vectors), drop to SVC, ask the
 * stub for HVBAR with `hvc #0`, r0 = -1 (__hyp_get_vectors), give it new vectors with r0 =
 * their address (__hyp_set_vectors), and take one more HVC to come back to HYP for good.
 * Each CPU then restores the runtime's HVBAR and returns to the pen. Output, in CPU order:
 *
 *   cpuN: HYP entry, stub installed
 *   cpuN: SVC (AIF masked): hvc r0=-1 returned the stub's HVBAR
 *   cpuN: hvc #0x5a5a from SVC: back in HYP, HSR=0x4A005A5A (EC 0x12 HVC, IL, imm16)
 *
 * or "cpuN: entered in <mode>: no HYP, nothing to do" for a CPU that did not enter in HYP.
 * CPU 0 then prints "hyp-stub: <k> of <n> cpus in HYP, all checks pass" and exits 0, or
 * names what failed and exits 1.
 */
#include "../runtime/runtime.h"

/* stub.S */
extern char hs_stub_vectors[], hs_return_vectors[];
void hs_run(uint32_t results[4]);

static inline uint32_t read_hvbar(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 4, %0, c12, c0, 0" : "=r"(v));
    return v;
}

static inline void write_hvbar(uint32_t v)
{
    __asm__ volatile("mcr p15, 4, %0, c12, c0, 0\n\tisb" ::"r"(v) : "memory");
}

struct cpu_result {
    bool in_hyp;
    uint32_t entry_cpsr;
    uint32_t results[4]; /* CPSR in SVC, HVBAR from the stub, HSR at the return, CPSR back in HYP */
};

static struct cpu_result result[RT_MAX_CPUS];

static void excursion(void *arg)
{
    (void)arg;
    struct cpu_result *r = &result[rt_cpu_index()];
    r->entry_cpsr = rt_read_cpsr();
    r->in_hyp = (r->entry_cpsr & CPSR_MODE_MASK) == CPSR_MODE_HYP;
    if (!r->in_hyp)
        return;
    uint32_t runtime_vectors = read_hvbar();
    write_hvbar((uint32_t)(uintptr_t)hs_stub_vectors);
    hs_run(r->results);
    write_hvbar(runtime_vectors);
}

static const char *aif(uint32_t cpsr)
{
    static const char *names[8] = {"none", "F", "I", "IF", "A", "AF", "AI", "AIF"};
    return names[(cpsr >> 6) & 7];
}

static bool report(unsigned cpu)
{
    const struct cpu_result *r = &result[cpu];
    if (!r->in_hyp) {
        rt_printf("cpu%u: entered in %s: no HYP, nothing to do\n", cpu, rt_mode_name(r->entry_cpsr));
        return true;
    }
    bool ok = true;
    rt_printf("cpu%u: HYP entry, stub installed\n", cpu);
    uint32_t svc = r->results[0], hvbar = r->results[1], hsr = r->results[2], back = r->results[3];
    bool svc_ok = (svc & CPSR_MODE_MASK) == CPSR_MODE_SVC;
    bool hvbar_ok = hvbar == (uint32_t)(uintptr_t)hs_stub_vectors;
    rt_printf("cpu%u: %s (%s masked): hvc r0=-1 returned %s\n", cpu, rt_mode_name(svc), aif(svc),
              hvbar_ok ? "the stub's HVBAR" : "something else");
    if (!svc_ok || !hvbar_ok) {
        rt_printf("cpu%u: FAIL: expected SVC and HVBAR 0x%08X, got CPSR 0x%08X and 0x%08X\n", cpu,
                  (uint32_t)(uintptr_t)hs_stub_vectors, svc, hvbar);
        ok = false;
    }
    bool back_ok = (back & CPSR_MODE_MASK) == CPSR_MODE_HYP && hsr == 0x4A005A5Au;
    rt_printf("cpu%u: hvc #0x5a5a from SVC: back in %s (%s masked), HSR=0x%08X\n", cpu, rt_mode_name(back),
              aif(back), hsr);
    if (!back_ok) {
        rt_printf("cpu%u: FAIL: expected HYP and HSR 0x4A005A5A (EC 0x12 HVC, IL, imm16 0x5A5A)\n", cpu);
        ok = false;
    }
    return ok;
}

int main(void)
{
    unsigned n = rt_start_secondaries();
    excursion(0);
    for (unsigned cpu = 1; cpu < RT_MAX_CPUS; cpu++) {
        if (!rt_cpu_online(cpu))
            continue;
        rt_run_on(cpu, excursion, 0);
        rt_wait_idle(cpu);
    }
    bool ok = true;
    unsigned in_hyp = 0;
    for (unsigned cpu = 0; cpu < RT_MAX_CPUS; cpu++) {
        if (cpu != 0 && !rt_cpu_online(cpu))
            continue;
        ok = report(cpu) && ok;
        in_hyp += result[cpu].in_hyp;
    }
    rt_printf("hyp-stub: %u of %u cpus in HYP, %s\n", in_hyp, n, ok ? "all checks pass" : "FAILED");
    return ok ? 0 : 1;
}
