/*
 * The boot side of the "kernel": what Linux 3.x does on each CPU before any initcall —
 * __hyp_stub_install and safe_svcmode_maskall for a CPU that entered in HYP, the PL1
 * vectors, the SCTLR/TTBCR/MAIR an LPAE kernel runs with, the cross-call IRQ handler, and
 * the CPU in cpu_online_mask.
 */
#ifndef KVM_INIT_KERNEL_BOOT_H
#define KVM_INIT_KERNEL_BOOT_H

#include "xcall.h"

struct boot_cpu_info {
    uint32_t midr;
    uint32_t entry_mode; /* CPSR mode the CPU entered the kernel in */
};
extern struct boot_cpu_info boot_cpu_info[RT_MAX_CPUS];

/* Boots every CPU into the kernel (CPU 0 first, then each secondary in turn, waiting for it
 * as __cpu_up does), then runs initcall on one CPU: whichever reaches it first once all are
 * online. The others idle with IRQs enabled, serving cross-calls. initcall's result becomes
 * the exit status. Called by main on CPU 0; does not return. */
__attribute__((noreturn)) void kernel_start(int (*initcall)(void));
/* The CPU running the initcall. */
unsigned initcall_cpu(void);
/* is_hyp_mode_available(): every CPU entered in HYP. */
bool is_hyp_mode_available(void);
/* __hyp_get_vectors / __hyp_set_vectors through the hyp stub (hvc #0). */
uint32_t __hyp_get_vectors(void);
void __hyp_set_vectors(uint32_t vectors);
uint32_t kvm_call_hyp(uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3); /* hyp.S */

#endif
