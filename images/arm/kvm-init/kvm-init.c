/*
 * kvm-init-3.9 / 3.10 / 3.13, hyp-identity-missing / hyp-identity-fixed: KVM/ARM's
 * kvm_arch_init as Linux 3.9, 3.10 and 3.13 ran it on a kernel entered in HYP on every CPU
 * (arch/arm/kvm/arm.c, mmu.c, init.S; written from their behaviour, in our own words).
 *
 * Built once per image with:
 *   -DKVM_VERSION=309|310|313  the release whose sequence runs:
 *        309: the target check on the current CPU only; init with smp_call_function_single
 *             on each online CPU, one after the other;
 *        310: the target check on every online CPU through cross-calls; init with on_each_cpu;
 *        313: as 310, with the Cortex-A7 a target too.
 *   -DIMAGE_NAME="..."         the name the console lines start with
 *   -DHYP_IDMAP_MISSING=1      (hyp-identity-missing) the Hyp tables leave out the page of
 *                              __do_hyp_init, whose HSCTLR write turns the Hyp MMU on (S2)
 *
 * Every CPU boots into the kernel (kernel_boot.c: hyp stub, SVC), then the first CPU to reach
 * the initcall runs kvm_arch_init (CPU 0 under the default schedule): is_hyp_mode_available,
 * the target check, then init_hyp_mode: the Hyp page tables (hyp_mmu.c: the kernel image at
 * its own address, one Hyp stack page per CPU), then cpu_init_hyp_mode on each CPU through a
 * guest cross-call (xcall.c: SGI + per-CPU call data): HVBAR = __kvm_hyp_init through the
 * stub, hvc #0 into __do_hyp_init (hyp.S) with r0:r1 = HTTBR, r2 = the Hyp stack top, r3 =
 * __kvm_hyp_vector; then one more HVC, into __kvm_hyp_vector, reads HSCTLR back.
 *
 * 3.10 returned -ENODEV at the first unsupported CPU; this image finishes the loop so that
 * the refusal names every unsupported CPU (the line for each is 3.10's own text).
 */
#include "kernel_boot.h"
#include "hyp_mmu.h"

#ifndef KVM_VERSION
#error "KVM_VERSION (309, 310 or 313) is required"
#endif
#ifndef HYP_IDMAP_MISSING
#define HYP_IDMAP_MISSING 0
#endif

#define ENODEV 19
#define KVM_ARM_TARGET_CORTEX_A15 0
#define KVM_ARM_TARGET_CORTEX_A7 1
#define HSCTLR_M 1u
#define PAGE_SIZE 4096u

extern char __image_start[], __image_end[];
extern char __hyp_idmap_text_start[], __hyp_idmap_text_end[], __do_hyp_init_hsctlr_write[];
extern char __kvm_hyp_init[], __kvm_hyp_vector[], __kvm_read_hsctlr[], __kvm_read_cpsr[];

static uint8_t kvm_arm_hyp_stack_page[RT_MAX_CPUS][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

struct hyp_init_result {
    volatile uint32_t done;
    uint32_t hsctlr;   /* read in Hyp through __kvm_hyp_vector after the init */
    uint32_t hyp_cpsr; /* the mode that read ran in */
};
static struct hyp_init_result hyp_result[RT_MAX_CPUS];

#if KVM_VERSION == 309
static const char *part_name(uint32_t midr)
{
    switch ((midr >> 4) & 0xFFFu) {
    case 0xC0F: return "Cortex-A15";
    case 0xC07: return "Cortex-A7";
    default: return "unknown part";
    }
}
#endif

/* kvm_target_cpu(): this CPU's KVM target, from MIDR (implementer 0x41 = ARM). */
static int kvm_target_cpu(void)
{
    uint32_t midr = rt_read_midr();
    if (((midr >> 24) & 0xFFu) != 0x41u)
        return -ENODEV;
    switch ((midr >> 4) & 0xFFFu) {
    case 0xC0F: return KVM_ARM_TARGET_CORTEX_A15;
#if KVM_VERSION >= 313
    case 0xC07: return KVM_ARM_TARGET_CORTEX_A7;
#endif
    default: return -ENODEV;
    }
}

static const char *target_name(int target)
{
    switch (target) {
    case KVM_ARM_TARGET_CORTEX_A15: return "KVM_ARM_TARGET_CORTEX_A15";
    case KVM_ARM_TARGET_CORTEX_A7: return "KVM_ARM_TARGET_CORTEX_A7";
    default: return "-ENODEV";
    }
}

/* Whether a CPU with this MIDR is a target of this release (for the report only). */
static bool is_target(uint32_t midr)
{
    unsigned part = (midr >> 4) & 0xFFFu;
    return ((midr >> 24) & 0xFFu) == 0x41u && (part == 0xC0F || (KVM_VERSION >= 313 && part == 0xC07));
}

#if KVM_VERSION >= 310
static void check_kvm_target_cpu(void *ret) { *(volatile int *)ret = kvm_target_cpu(); }
#endif

/* cpu_init_hyp_mode: runs on the CPU being initialised (in a cross-call's IRQ handler, or
 * locally with IRQs masked). */
static void cpu_init_hyp_mode(void *vector)
{
    unsigned cpu = rt_cpu_index();
    __hyp_set_vectors((uint32_t)(uintptr_t)vector);
    uint64_t pgd = kvm_mmu_get_httbr();
    uint32_t stack_top = (uint32_t)(uintptr_t)kvm_arm_hyp_stack_page[cpu] + PAGE_SIZE;
    kvm_call_hyp((uint32_t)pgd, (uint32_t)(pgd >> 32), stack_top, (uint32_t)(uintptr_t)__kvm_hyp_vector);
    struct hyp_init_result *r = &hyp_result[cpu];
    r->hsctlr = kvm_call_hyp((uint32_t)(uintptr_t)__kvm_read_hsctlr, 0, 0, 0);
    r->hyp_cpsr = kvm_call_hyp((uint32_t)(uintptr_t)__kvm_read_cpsr, 0, 0, 0);
    rt_dmb();
    r->done = 1;
}

static bool report_cpu(unsigned cpu)
{
    const struct hyp_init_result *r = &hyp_result[cpu];
    uint32_t midr = boot_cpu_info[cpu].midr;
    bool ok = r->done && (r->hsctlr & HSCTLR_M) && (r->hyp_cpsr & CPSR_MODE_MASK) == CPSR_MODE_HYP;
    if (ok)
        rt_printf("cpu%u (MIDR 0x%08X): Hyp initialised, HSCTLR=0x%08X\n", cpu, midr, r->hsctlr);
    else
        rt_printf("cpu%u (MIDR 0x%08X): Hyp init FAILED: done=%u HSCTLR=0x%08X mode %s\n", cpu, midr,
                  r->done, r->hsctlr, rt_mode_name(r->hyp_cpsr));
    return ok;
}

static int init_hyp_mode(void)
{
    uintptr_t image = (uintptr_t)__image_start, image_end = (uintptr_t)__image_end;
    uintptr_t idmap = (uintptr_t)__hyp_idmap_text_start, idmap_end = (uintptr_t)__hyp_idmap_text_end;

    /* The identity map of the init code, then the kernel (here: the whole image, which holds
     * the Hyp vectors, the Hyp-callable functions, these tables and the Hyp stacks). */
    bool mapped = HYP_IDMAP_MISSING || create_hyp_mappings(idmap, idmap_end);
    mapped = mapped && create_hyp_mappings(image, idmap) && create_hyp_mappings(idmap_end, image_end);
    for (unsigned cpu = 0; cpu < RT_MAX_CPUS && mapped; cpu++) {
        uintptr_t stack = (uintptr_t)kvm_arm_hyp_stack_page[cpu];
        mapped = create_hyp_mappings(stack, stack + PAGE_SIZE);
    }
    if (!mapped) {
        rt_printf("kvm: Cannot map Hyp page tables: table pool exhausted\n");
        return -12; /* -ENOMEM */
    }
    if (hyp_is_mapped((uintptr_t)__do_hyp_init_hsctlr_write))
        rt_printf("kvm: Hyp page tables: the kernel image identity-mapped, __do_hyp_init's page included\n");
    else
        rt_printf("kvm: Hyp page tables: the kernel image identity-mapped except __do_hyp_init's page "
                  "0x%08X (HSCTLR write at 0x%08X)\n",
                  (uint32_t)idmap, (uint32_t)(uintptr_t)__do_hyp_init_hsctlr_write);

    uint32_t hyp_default_vectors = __hyp_get_vectors();
    (void)hyp_default_vectors;

    bool ok = true;
#if KVM_VERSION == 309
    for_each_online_cpu(cpu) {
        smp_call_function_single(cpu, cpu_init_hyp_mode, __kvm_hyp_init, true);
        ok = report_cpu(cpu) && ok;
    }
#else
    on_each_cpu(cpu_init_hyp_mode, __kvm_hyp_init, true);
    for_each_online_cpu(cpu)
        ok = report_cpu(cpu) && ok;
#endif
    if (!ok) {
        rt_printf("kvm: error initializing Hyp mode\n");
        return -1;
    }
    rt_printf("kvm: Hyp mode initialized successfully\n");
    return 0;
}

static int kvm_arch_init(void)
{
    if (!is_hyp_mode_available()) {
        rt_printf("kvm: HYP mode not available\n");
        return -ENODEV;
    }
#if KVM_VERSION == 309
    int target = kvm_target_cpu();
    rt_printf("kvm: target check on cpu%u (MIDR 0x%08X): %s\n", rt_cpu_index(), rt_read_midr(), target_name(target));
    if (target < 0) {
        rt_printf("kvm: Target CPU not supported!\n");
        return -ENODEV;
    }
#else
    bool refused = false;
    for_each_online_cpu(cpu) {
        volatile int ret = -1;
        smp_call_function_single(cpu, check_kvm_target_cpu, (void *)&ret, true);
        rt_printf("kvm: target check on cpu%u (MIDR 0x%08X): %s\n", cpu, boot_cpu_info[cpu].midr,
                  target_name(ret));
        if (ret < 0) {
            rt_printf("kvm: Error, CPU %u not supported!\n", cpu);
            refused = true;
        }
    }
    if (refused)
        return -ENODEV;
#endif
    return init_hyp_mode();
}

static int kvm_initcall(void)
{
    unsigned self = initcall_cpu(), n = 0;
    for_each_online_cpu(cpu)
        n++;
    rt_printf("%s: %u cpus online, kvm_arch_init runs on cpu%u\n", IMAGE_NAME, n, self);
    int err = kvm_arch_init();

    if (err == -ENODEV) {
        rt_printf("%s: KVM refused (-ENODEV)", IMAGE_NAME);
        if (is_hyp_mode_available()) {
            rt_printf(", not supported:");
            for_each_online_cpu(cpu)
                if (!is_target(boot_cpu_info[cpu].midr))
                    rt_printf(" cpu%u", cpu);
            rt_printf("; every cpu keeps the hyp stub");
        }
        rt_printf("\n");
        rt_printf("%s: done\n", IMAGE_NAME);
        return 0; /* refusing is the correct outcome where a CPU is not a target */
    }
    if (err)
        return 1;
#if KVM_VERSION == 309
    /* 3.9 checked only the CPU it ran on: name the CPUs that are not a target but were
     * initialised anyway (the latent bug the 2013 TC2 report ran into). */
    bool latent = false;
    for_each_online_cpu(cpu)
        latent = latent || !is_target(boot_cpu_info[cpu].midr);
    if (latent) {
        rt_printf("%s: latent bug: the target check ran on cpu%u only, yet Hyp was initialised on", IMAGE_NAME,
                  self);
        for_each_online_cpu(cpu)
            if (!is_target(boot_cpu_info[cpu].midr))
                rt_printf(" cpu%u (%s)", cpu, part_name(boot_cpu_info[cpu].midr));
        rt_printf(", which are not 3.9 targets\n");
    } else {
        rt_printf("%s: the target check ran on cpu%u only; every online cpu is a 3.9 target\n", IMAGE_NAME,
                  self);
    }
#endif
    rt_printf("%s: done\n", IMAGE_NAME);
    return 0;
}

int main(void)
{
    kernel_start(kvm_initcall);
}
