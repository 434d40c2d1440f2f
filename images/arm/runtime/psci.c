/*
 * PSCI through SMC #0 or, on virt without EL2, HVC #0 (ARM DEN 0022, SMC32 calling
 * convention: function id in r0, arguments in r1-r3, result in r0).
 *
 * Whether PSCI firmware exists is probed once: from Secure state there is nothing above us
 * to call (an SMC would enter our own, absent, Monitor vectors), so no PSCI; from
 * Non-secure state an SMC with no firmware behind it is UNDEFINED (no Security Extensions:
 * ARM ARM B9.3 "SMC"; QEMU without EL3 does the same), which the runtime's UNDEFINED probe
 * catches. A PSCI implementation answers PSCI_VERSION; NOT_SUPPORTED (-1) also means absent.
 */
#include "runtime.h"

#define PSCI_NOT_SUPPORTED (-1)

static int psci_state; /* 0 unknown, 1 available, 2 absent */

#ifdef RT_PLATFORM_VIRT
/*
 * virt's conduit follows the board, not the caller's mode at the time of the call: QEMU's
 * virt.c (machvirt_init) answers PSCI on SMC when the CPU has EL2 — the core then starts in
 * HYP and HVC belongs to the hypervisor — and on HVC otherwise (the core starts in SVC).
 * So the primary's mode at entry, recorded by rt_primary_entry before main can leave HYP,
 * decides.
 */
uint32_t rt_entry_mode;

static int32_t psci_hvc(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
    register uint32_t r0 __asm__("r0") = fn;
    register uint32_t r1 __asm__("r1") = a1;
    register uint32_t r2 __asm__("r2") = a2;
    register uint32_t r3 __asm__("r3") = a3;
    __asm__ volatile(".arch_extension virt\n\thvc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                     :
                     : "r12", "memory");
    return (int32_t)r0;
}
#endif

static int32_t psci_smc(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
    register uint32_t r0 __asm__("r0") = fn;
    register uint32_t r1 __asm__("r1") = a1;
    register uint32_t r2 __asm__("r2") = a2;
    register uint32_t r3 __asm__("r3") = a3;
    __asm__ volatile(".arch_extension sec\n\tsmc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                     :
                     : "r12", "memory");
    return (int32_t)r0;
}

int32_t rt_psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
#ifdef RT_PLATFORM_VIRT
    if (rt_entry_mode != CPSR_MODE_HYP)
        return psci_hvc(fn, a1, a2, a3);
#endif
    return psci_smc(fn, a1, a2, a3);
}

bool rt_psci_available(void)
{
    if (psci_state == 0) {
        psci_state = 2;
#ifdef RT_PLATFORM_VIRT
        /* virt without EL3 and EL2 has no Security Extensions at all (security "none"),
         * and QEMU still answers PSCI, on HVC. */
        enum rt_security sec = rt_security_state();
        if (sec == RT_NON_SECURE || sec == RT_NO_SECURITY_EXTENSIONS) {
#else
        if (rt_security_state() == RT_NON_SECURE) {
#endif
            rt_probe_begin();
            int32_t v = rt_psci_call(PSCI_VERSION, 0, 0, 0);
            bool undef = rt_probe_end();
            if (!undef && v != PSCI_NOT_SUPPORTED)
                psci_state = 1;
        }
    }
    return psci_state == 1;
}
