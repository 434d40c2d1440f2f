/*
 * Guest cross-calls as Linux 3.x on ARM makes them (kernel/smp.c + arch/arm/kernel/smp.c):
 * the caller writes per-CPU call data (function, argument, a LOCK flag) for the target,
 * raises a GIC SGI at it — IPI_CALL_FUNC_SINGLE (SGI 4) for one CPU, IPI_CALL_FUNC (SGI 3)
 * for many — and, when it waits, spins until the target's IRQ handler has run the function
 * and cleared the flag (csd_lock_wait). A call to the calling CPU runs the function there,
 * IRQs masked, without an IPI.
 *
 * The call data lives with the target (one slot per CPU; Linux queues a caller-owned csd on a
 * per-target list instead); a caller that finds a target's slot still locked waits for it
 * first (csd_lock). Callers run in SVC with IRQs enabled;
 * xcall_cpu_init() installs the IRQ handler and must run on each CPU before it can be a
 * target.
 */
#ifndef KVM_INIT_XCALL_H
#define KVM_INIT_XCALL_H

#include "../runtime/runtime.h"

#define IPI_CALL_FUNC 3u        /* Linux 3.9-3.13 arch/arm/kernel/smp.c numbering */
#define IPI_CALL_FUNC_SINGLE 4u

typedef void (*smp_call_func_t)(void *info);

void xcall_cpu_init(void);
void smp_call_function_single(unsigned cpu, smp_call_func_t fn, void *info, bool wait);
/* every online CPU other than the caller, through one SGI with a target list */
void smp_call_function(smp_call_func_t fn, void *info, bool wait);
/* smp_call_function, then fn on the caller with IRQs masked */
void on_each_cpu(smp_call_func_t fn, void *info, bool wait);

/* the kernel's cpu_online_mask (set by kernel_boot.c as each CPU comes up) */
extern volatile uint32_t cpu_online_mask;
static inline bool cpu_online(unsigned cpu) { return cpu < RT_MAX_CPUS && (cpu_online_mask >> cpu) & 1u; }
#define for_each_online_cpu(cpu) \
    for (unsigned cpu = 0; cpu < RT_MAX_CPUS; cpu++) if (cpu_online(cpu))

#endif
