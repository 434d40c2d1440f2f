/*
 * hyp-guest: a minimal hypervisor in HYP runs a guest at Non-secure SVC under stage 2 on
 * CPU 0 and on CPU 2 in turn ("pinned"), with VPIDR = an A15 r2p1's MIDR on every core and
 * VMPIDR = the vCPU number (hyp.S). The guest reads MIDR, MPIDR, CTR, ID_MMFR0 and CCSIDR;
 * KVM 3.9's HCR leaves the ID groups untrapped (TID0–3 clear), so MIDR/MPIDR are the virtual
 * values while CTR, ID_MMFR0 and CCSIDR are the physical core's — on TC2 CPU 2 is an A7, the
 * difference the 2013 reviewers warned about. Its WFI is trapped (TWI), its store to the
 * unmapped "MMIO" page is a stage 2 data abort the hypervisor emulates from the ISV
 * syndrome, and HVC #0 ends it. Output per CPU:
 *
 *   cpuN guest: MIDR=… MPIDR=… CTR=… ID_MMFR0=… CCSIDR(L1D)=…
 *   cpuN hyp: WFI trapped, HSR=0x07E00000, count 1
 *   cpuN hyp: MMIO store emulated, HSR=0x93830045 HDFAR=0x40000000 HPFAR=0x00400000 value=0x12345678
 *             (virt: HDFAR=0x80000000 HPFAR=0x00800000, hyp.S)
 *   cpuN hyp: guest HVC, HSR=0x4A000000
 *
 * then "hyp-guest: done" (exit 0), or "hyp-guest: FAILED" (exit 1) when a CPU did not enter
 * in HYP or the guest took an unexpected trap.
 */
#include "../runtime/runtime.h"

struct hg_result {
    uint32_t midr, mpidr, ctr, mmfr0, ccsidr;
    uint32_t wfi_count, wfi_hsr, mmio_hsr, hdfar, hpfar, mmio_value, hvc_hsr, other_hsr;
    bool in_hyp;
};

void hg_run(struct hg_result *r, uint32_t vmpidr);

static struct hg_result result[RT_MAX_CPUS];
static const unsigned pinned[] = {0, 2};

static void run_guest(void *arg)
{
    unsigned vcpu = (unsigned)(uintptr_t)arg;
    struct hg_result *r = &result[rt_cpu_index()];
    r->in_hyp = (rt_read_cpsr() & CPSR_MODE_MASK) == CPSR_MODE_HYP;
    if (r->in_hyp)
        hg_run(r, 0x80000000u | vcpu);
}

static bool report(unsigned cpu)
{
    const struct hg_result *r = &result[cpu];
    if (!r->in_hyp) {
        rt_printf("cpu%u: not in HYP, no guest\n", cpu);
        return false;
    }
    rt_printf("cpu%u guest: MIDR=0x%08X MPIDR=0x%08X CTR=0x%08X ID_MMFR0=0x%08X CCSIDR(L1D)=0x%08X\n", cpu,
              r->midr, r->mpidr, r->ctr, r->mmfr0, r->ccsidr);
    rt_printf("cpu%u hyp: WFI trapped, HSR=0x%08X, count %u\n", cpu, r->wfi_hsr, r->wfi_count);
    rt_printf("cpu%u hyp: MMIO store emulated, HSR=0x%08X HDFAR=0x%08X HPFAR=0x%08X value=0x%08X\n", cpu,
              r->mmio_hsr, r->hdfar, r->hpfar, r->mmio_value);
    if (r->other_hsr) {
        rt_printf("cpu%u hyp: unexpected trap, HSR=0x%08X\n", cpu, r->other_hsr);
        return false;
    }
    rt_printf("cpu%u hyp: guest HVC, HSR=0x%08X\n", cpu, r->hvc_hsr);
    return r->wfi_count == 1 && r->hvc_hsr != 0;
}

int main(void)
{
    rt_start_secondaries();
    bool ok = true;
    for (unsigned i = 0; i < sizeof pinned / sizeof pinned[0]; i++) {
        unsigned cpu = pinned[i];
        if (cpu == 0) {
            run_guest((void *)(uintptr_t)i);
        } else if (rt_cpu_online(cpu)) {
            rt_run_on(cpu, run_guest, (void *)(uintptr_t)i);
            rt_wait_idle(cpu);
        } else {
            rt_printf("cpu%u: offline\n", cpu);
            ok = false;
            continue;
        }
        ok = report(cpu) && ok;
    }
    rt_printf("hyp-guest: %s\n", ok ? "done" : "FAILED");
    return ok ? 0 : 1;
}
