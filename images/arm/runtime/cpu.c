/* CPU identity: GIC CPU-interface number, CPU count, ID registers, mode and security state. */
#include "runtime.h"

uint32_t rt_periphbase(void)
{
    uint32_t cbar;
    __asm__ volatile("mrc p15, 4, %0, c15, c0, 0" : "=r"(cbar));
    return cbar & 0xFFFF8000u; /* CBAR[31:15] = PERIPHBASE[31:15] (Cortex-A15 TRM 4.3.73) */
}

unsigned rt_cpu_index(void)
{
    /* Banked: each CPU reads its own CPU-interface bit. RAZ on a uniprocessor GIC. */
    uint32_t bits = rt_mmio_read8(rt_gicd() + GICD_ITARGETSR0);
    return bits ? (unsigned)__builtin_ctz(bits) : 0u;
}

unsigned rt_cpu_count(void)
{
    unsigned n = ((rt_mmio_read32(rt_gicd() + GICD_TYPER) >> 5) & 7u) + 1u;
    return n > RT_MAX_CPUS ? RT_MAX_CPUS : n;
}

uint32_t rt_read_cpsr(void)
{
    uint32_t v;
    __asm__ volatile("mrs %0, cpsr" : "=r"(v));
    return v;
}

uint32_t rt_read_midr(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(v));
    return v;
}

uint32_t rt_read_mpidr(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(v));
    return v;
}

const char *rt_mode_name(uint32_t cpsr)
{
    switch (cpsr & CPSR_MODE_MASK) {
    case CPSR_MODE_USR: return "USR";
    case CPSR_MODE_FIQ: return "FIQ";
    case CPSR_MODE_IRQ: return "IRQ";
    case CPSR_MODE_SVC: return "SVC";
    case CPSR_MODE_MON: return "MON";
    case CPSR_MODE_ABT: return "ABT";
    case CPSR_MODE_HYP: return "HYP";
    case CPSR_MODE_UND: return "UND";
    case CPSR_MODE_SYS: return "SYS";
    default: return "???";
    }
}

/*
 * The security state of the calling CPU, decided without assuming how it was booted:
 *
 *  - HYP exists only in Non-secure state; Monitor mode is always Secure (ARM ARM B1.5.1).
 *  - ID_PFR1[7:4] == 0: the core has no Security Extensions, hence a single security state;
 *    we say "none" rather than guess a name for it.
 *  - Otherwise, in a PL1 mode other than Monitor, read SCR under an UNDEFINED probe. SCR is
 *    accessible only from Secure PL1 and UNDEFINED from Non-secure PL1 (B4.1.129), so a
 *    successful read proves Secure state (and then SCR.NS reads 0, else we would not be
 *    Secure); an UNDEF proves Non-secure. We do not trust SCR.NS alone because it is not
 *    readable where the answer is "non-secure".
 *  - USR cannot read SCR at all (UNDEF in both states), so the probe would lie: say "unknown".
 */
enum rt_security rt_security_state(void)
{
    uint32_t mode = rt_read_cpsr() & CPSR_MODE_MASK;
    if (mode == CPSR_MODE_HYP)
        return RT_NON_SECURE;
    if (mode == CPSR_MODE_MON)
        return RT_SECURE;
    if (mode == CPSR_MODE_USR)
        return RT_SECURITY_UNKNOWN;
    uint32_t pfr1;
    __asm__ volatile("mrc p15, 0, %0, c0, c1, 1" : "=r"(pfr1));
    if (((pfr1 >> 4) & 0xFu) == 0)
        return RT_NO_SECURITY_EXTENSIONS;
    uint32_t scr = 1u; /* stays 1 (NS) if the read is skipped */
    rt_probe_begin();
    __asm__ volatile("mrc p15, 0, %0, c1, c1, 0" : "+r"(scr)::"memory");
    bool undef = rt_probe_end();
    if (undef)
        return RT_NON_SECURE;
    return (scr & 1u) ? RT_NON_SECURE : RT_SECURE;
}

const char *rt_security_name(enum rt_security s)
{
    switch (s) {
    case RT_SECURE: return "secure";
    case RT_NON_SECURE: return "non-secure";
    case RT_NO_SECURITY_EXTENSIONS: return "none";
    default: return "unknown";
    }
}
