/* The boot side of the "kernel": see kernel_boot.h. */
#include "kernel_boot.h"

extern char hs_stub_vectors[]; /* arm/hyp-stub/stub.S: Linux's __hyp_stub_vectors */
void kernel_enter_svc(void);   /* hyp.S: safe_svcmode_maskall */

#define SCTLR_C (1u << 2)
#define SCTLR_Z (1u << 11)
#define SCTLR_I (1u << 12)
/* An LPAE kernel's TTBCR (arch/arm/mm/proc-v7-3level.S): EAE, TTBR1 for the top GiB of a
 * 3G/1G split (T1SZ = 2), and for both table walks inner/outer write-back write-allocate,
 * inner shareable (IRGN 01, ORGN 01, SH 11). */
#define KERNEL_TTBCR 0xB5023500u
/* ... and its memory attributes (same file): MAIR0 = {0x00, 0x44, 0xAA, 0xEE},
 * MAIR1 = {0x04, 0x00, 0x00, 0xFF}; AttrIndx 7 is normal write-back write-allocate. */
#define KERNEL_MAIR0 0xEEAA4400u
#define KERNEL_MAIR1 0xFF000004u

struct boot_cpu_info boot_cpu_info[RT_MAX_CPUS];
static volatile uint32_t initcalls_go;
static volatile uint32_t initcall_owner; /* CPU + 1 of the CPU running the initcall */
static int (*initcall_fn)(void);

uint32_t __hyp_get_vectors(void) { return kvm_call_hyp(0xFFFFFFFFu, 0, 0, 0); }
void __hyp_set_vectors(uint32_t vectors) { kvm_call_hyp(vectors, 0, 0, 0); }

bool is_hyp_mode_available(void)
{
    for_each_online_cpu(cpu)
        if (boot_cpu_info[cpu].entry_mode != CPSR_MODE_HYP)
            return false;
    return true;
}

unsigned initcall_cpu(void) { return initcall_owner - 1u; }

/* One CPU's way into the kernel, in whatever mode it entered. */
static void boot_this_cpu(void)
{
    unsigned cpu = rt_cpu_index();
    struct boot_cpu_info *info = &boot_cpu_info[cpu];
    info->midr = rt_read_midr();
    info->entry_mode = rt_read_cpsr() & CPSR_MODE_MASK;
    if (info->entry_mode == CPSR_MODE_HYP) {
        /* __hyp_stub_install, then drop to SVC */
        __asm__ volatile("mcr p15, 4, %0, c12, c0, 0\n\tisb" ::"r"(hs_stub_vectors) : "memory");
        kernel_enter_svc();
        rt_install_vectors(); /* now VBAR, for SVC */
    }
    uint32_t sctlr;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    sctlr |= SCTLR_C | SCTLR_Z | SCTLR_I;
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n\t"
                     "mcr p15, 0, %1, c2, c0, 2\n\t"  /* TTBCR */
                     "mcr p15, 0, %2, c10, c2, 0\n\t" /* MAIR0 */
                     "mcr p15, 0, %3, c10, c2, 1\n\t" /* MAIR1 */
                     "isb" ::"r"(sctlr), "r"(KERNEL_TTBCR), "r"(KERNEL_MAIR0), "r"(KERNEL_MAIR1)
                     : "memory");
    xcall_cpu_init();
    if (info->entry_mode == CPSR_MODE_HYP)
        rt_printf("cpu%u: entered in HYP, hyp stub installed, kernel runs in %s\n", cpu,
                  rt_mode_name(rt_read_cpsr()));
    else
        rt_printf("cpu%u: entered in %s, no hyp stub\n", cpu, rt_mode_name(info->entry_mode));
    rt_atomic_add(&cpu_online_mask, 1u << cpu);
    rt_sev();
}

/* The CPU that gets here first once every CPU is online runs the initcall (as module_init
 * runs on whichever CPU the init thread is on); the others idle. */
__attribute__((noreturn)) static void run_initcalls(void)
{
    unsigned cpu = rt_cpu_index();
    while (!initcalls_go)
        rt_wfe();
    rt_dmb();
    uint32_t old, fail;
    __asm__ volatile("1: ldrex   %0, [%2]\n"
                     "   mov     %1, #1\n"
                     "   teq     %0, #0\n"
                     "   bne     2f\n"
                     "   strex   %1, %3, [%2]\n"
                     "   teq     %1, #0\n"
                     "   bne     1b\n"
                     "2:\n"
                     : "=&r"(old), "=&r"(fail)
                     : "r"(&initcall_owner), "r"(cpu + 1u)
                     : "cc", "memory");
    rt_dmb();
    rt_irq_enable();
    if (old == 0)
        rt_exit(initcall_fn());
    for (;;)
        rt_wfi(); /* the idle loop: cross-calls arrive as IRQs */
}

static void secondary_start_kernel(void *arg)
{
    (void)arg;
    boot_this_cpu();
    run_initcalls();
}

void kernel_start(int (*initcall)(void))
{
    initcall_fn = initcall;
    rt_start_secondaries();
    boot_this_cpu();
    for (unsigned cpu = 1; cpu < RT_MAX_CPUS; cpu++) {
        if (!rt_cpu_online(cpu))
            continue;
        rt_run_on(cpu, secondary_start_kernel, 0);
        while (!cpu_online(cpu)) /* __cpu_up waits for the CPU to come up */
            rt_wfe();
    }
    rt_dmb();
    initcalls_go = 1;
    rt_sev();
    run_initcalls();
}
