/*
 * The ARM probe of `hetboot check`: what KVM/ARM's init would learn on this core, printed as
 * `probe.KEY=VALUE` lines the check engine reads (Sources/Analysis/Compatibility).
 *
 *   1. The identification registers a kernel reads (ARM ARM B4.1): MIDR, MPIDR, CTR, the
 *      ID_PFR/DFR/AFR/MMFR/ISAR set, CLIDR, and CCSIDR for L1D, L1I and L2 through CSSELR.
 *   2. Whether Hyp mode is available: the core entered in HYP (is_hyp_mode_available() in
 *      Linux asks the boot mode the stub recorded) and ID_PFR1.Virtualization.
 *   3. The hyp-init sequence of __do_hyp_init (arch/arm/kvm/init.S, ref arm-v7-tc2.md §4), in
 *      Hyp directly: HVBAR, an identity map in long-descriptor format (HTTBR, HTCR, HMAIR0),
 *      HSCTLR with M, C and I; then a load through the new translation and HSCTLR read back.
 *      A core that never comes back from the HSCTLR write (an injected stall) leaves the
 *      probe without `probe.done`: the engine reports the hang diagnosis instead.
 */
#include <stdint.h>

#define MODE_HYP 0x1A

static void semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("svc #0x123456" : "+r"(r0) : "r"(r1) : "memory");
}

static void puts_(const char *s) { semihost(0x04, s); }

static void put_hex(const char *key, uint32_t v)
{
    char line[64];
    int n = 0;
    for (const char *p = "probe."; *p; p++) line[n++] = *p;
    for (const char *p = key; *p && n < 40; p++) line[n++] = *p;
    line[n++] = '=';
    line[n++] = '0';
    line[n++] = 'x';
    for (int i = 7; i >= 0; i--) line[n++] = "0123456789ABCDEF"[(v >> (4 * i)) & 0xF];
    line[n++] = '\n';
    line[n] = 0;
    puts_(line);
}

static void put_line(const char *key, const char *value)
{
    puts_("probe.");
    puts_(key);
    puts_("=");
    puts_(value);
    puts_("\n");
}

#define MRC(op1, crn, crm, op2)                                                            \
    ({                                                                                     \
        uint32_t __v;                                                                      \
        __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(__v));  \
        __v;                                                                               \
    })
#define MCR(op1, crn, crm, op2, v)                                                         \
    __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 ::"r"((uint32_t)(v)) : "memory")

static uint32_t ccsidr(uint32_t csselr)
{
    MCR(2, c0, c0, 0, csselr);
    __asm__ volatile("isb" ::: "memory");
    return MRC(1, c0, c0, 0);
}

/* One level-1 table of 1 GiB blocks (long-descriptor format, B3.6), AF set, inner shareable:
 * the gigabyte holding RAM (and the probe) Normal write-back (AttrIndx 0), the rest Device
 * (AttrIndx 1). RAM starts at 2 GiB on Versatile Express, at 1 GiB on virt (PROBE_RAM_GB). */
#ifndef PROBE_RAM_GB
#define PROBE_RAM_GB 2
#endif
static uint64_t hyp_pgd[4] __attribute__((aligned(32)));
static volatile uint32_t probe_word = 0x5EED;

void hyp_exception(uint32_t hsr)
{
    put_hex("hyp-exception.hsr", hsr);
    put_line("hyp-init", "failed:exception in Hyp");
    put_line("done", "1");
    semihost(0x18, (const void *)0x20026);
}

static void hyp_init(void)
{
    extern char probe_hyp_vectors[];
    MCR(4, c12, c0, 0, (uint32_t)probe_hyp_vectors); /* HVBAR */
    for (uint32_t i = 0; i < 4; i++) {
        uint64_t attr = i < PROBE_RAM_GB ? (1u << 2) : 0; /* AttrIndx */
        hyp_pgd[i] = ((uint64_t)i << 30) | (1u << 10) /* AF */ | (3u << 8) /* SH inner */ | attr | 1 /* block */;
    }
    MCR(4, c10, c2, 0, 0x000004FFu); /* HMAIR0: Attr0 Normal WB RW-allocate, Attr1 Device */
    MCR(4, c2, c0, 2, 0x00003500u);  /* HTCR: T0SZ 0, IRGN0/ORGN0 WB WA, SH0 inner */
    uint32_t lo = (uint32_t)(uintptr_t)hyp_pgd;
    __asm__ volatile("mcrr p15, 4, %0, %1, c2" ::"r"(lo), "r"(0u) : "memory"); /* HTTBR */
    __asm__ volatile("dsb; isb" ::: "memory");
    MCR(4, c8, c7, 0, 0); /* TLBIALLH */
    __asm__ volatile("dsb; isb" ::: "memory");
    uint32_t hsctlr = MRC(4, c1, c0, 0);
    hsctlr |= (1u << 0) | (1u << 2) | (1u << 12); /* M, C, I */
    __asm__ volatile(".globl probe_hsctlr_write\nprobe_hsctlr_write:\n\tmcr p15, 4, %0, c1, c0, 0\n\tisb"
                     ::"r"(hsctlr) : "memory");
    if (probe_word != 0x5EED) {
        put_line("hyp-init", "failed:a load through the Hyp translation read the wrong value");
        return;
    }
    put_hex("hsctlr", MRC(4, c1, c0, 0));
    put_line("hyp-init", "ok");
}

void probe_main(void)
{
    uint32_t cpsr;
    __asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
    put_hex("midr", MRC(0, c0, c0, 0));
    put_hex("mpidr", MRC(0, c0, c0, 5));
    put_hex("ctr", MRC(0, c0, c0, 1));
    put_hex("id_pfr0", MRC(0, c0, c1, 0));
    put_hex("id_pfr1", MRC(0, c0, c1, 1));
    put_hex("id_dfr0", MRC(0, c0, c1, 2));
    put_hex("id_afr0", MRC(0, c0, c1, 3));
    put_hex("id_mmfr0", MRC(0, c0, c1, 4));
    put_hex("id_mmfr1", MRC(0, c0, c1, 5));
    put_hex("id_mmfr2", MRC(0, c0, c1, 6));
    put_hex("id_mmfr3", MRC(0, c0, c1, 7));
    put_hex("id_isar0", MRC(0, c0, c2, 0));
    put_hex("id_isar1", MRC(0, c0, c2, 1));
    put_hex("id_isar2", MRC(0, c0, c2, 2));
    put_hex("id_isar3", MRC(0, c0, c2, 3));
    put_hex("id_isar4", MRC(0, c0, c2, 4));
    put_hex("id_isar5", MRC(0, c0, c2, 5));
    put_hex("clidr", MRC(1, c0, c0, 1));
    put_hex("ccsidr.l1d", ccsidr(0));
    put_hex("ccsidr.l1i", ccsidr(1));
    put_hex("ccsidr.l2", ccsidr(2));
    uint32_t mode = cpsr & 0x1F;
    static const char *names[32] = {[0x10] = "USR", [0x11] = "FIQ", [0x12] = "IRQ", [0x13] = "SVC",
                                    [0x16] = "MON", [0x17] = "ABT", [0x1A] = "HYP", [0x1B] = "UND", [0x1F] = "SYS"};
    put_line("mode", names[mode] ? names[mode] : "?");
    uint32_t virtualization = (MRC(0, c0, c1, 1) >> 12) & 0xF;
    if (mode == MODE_HYP && virtualization) {
        put_line("hyp", "available");
        hyp_init();
    } else {
        put_line("hyp", "absent");
        put_line("hyp-init", virtualization ? "failed:the core was not entered in HYP mode"
                                            : "failed:no Virtualization Extensions (ID_PFR1.Virtualization = 0)");
    }
    put_line("done", "1");
}
