/*
 * _start: the ELF entry, for every CPU and every way of starting one.
 *
 *  - QEMU vexpress-a15 and hetboot vexpress-a15 start all CPUs here at once (Secure SVC, or
 *    HYP with secure=off).
 *  - hetboot tc2 starts CPU 0 here in HYP; the others arrive later, released by PSCI CPU_ON
 *    (r0 = context id, ignored) or from the boot monitor's SYS_FLAGS pen.
 *
 * The logical CPU number is the bit a CPU reads in the banked byte GICD_ITARGETSR0 (the way
 * Linux finds its GIC CPU-interface number); a uniprocessor GIC reads 0 there (GICv2
 * architecture spec, GICD_ITARGETSR: RAZ/WI on uniprocessor implementations) and we call it 0.
 * CPU 0 clears .bss once and runs main through rt_primary_entry; the others wait until .bss
 * is clear, then park in the runtime pen (rt_secondary_entry, smp.c).
 *
 * On virt (RT_PLATFORM_VIRT) only CPU 0 starts at the entry (every CPU with secure=on); the
 * others come through PSCI CPU_ON (r0 = context id, ignored), and only the GIC's address,
 * fixed there instead of CBAR-relative, differs.
 *
 * Nothing here depends on the entry mode: every instruction used is valid in SVC and in HYP
 * (CPSID only masks; no mode change).
 */
#include "platform.h"

    .syntax unified
    .arm
    .section .text.start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    cpsid   aif

#ifdef RT_PLATFORM_VIRT
    ldr     r5, =RT_GICD_BASE           @ GICD: fixed on virt (platform.h)
#else
    /* r4 = PERIPHBASE: CBAR[31:15] = PERIPHBASE[31:15] (Cortex-A15 TRM 4.3.73). */
    mrc     p15, 4, r4, c15, c0, 0
    lsr     r4, r4, #15
    lsl     r4, r4, #15
    add     r5, r4, #0x1000             @ GICD
#endif
    ldrb    r6, [r5, #0x800]            @ GICD_ITARGETSR0: this CPU's own bit
    cmp     r6, #0
    rbit    r6, r6
    clz     r6, r6                      @ r6 = index of the lowest set bit
    moveq   r6, #0                      @ uniprocessor GIC: RAZ → CPU 0
    cmp     r6, #8                      @ RT_MAX_CPUS
    bhs     park_forever

    /* sp = top of this CPU's 16 KiB stack */
    ldr     r7, =__stacks_start
    add     r8, r6, #1
    add     sp, r7, r8, lsl #14

    bl      rt_install_vectors          @ VBAR or HVBAR; touches no .bss

    cmp     r6, #0
    bne     secondary

    /* primary: clear .bss once, then announce it */
    ldr     r0, =rt_bss_cleared
    ldr     r1, [r0]
    cmp     r1, #0
    bne     2f
    ldr     r2, =__bss_start
    ldr     r3, =__bss_end
    mov     r1, #0
1:  cmp     r2, r3
    strlo   r1, [r2], #4
    blo     1b
    dsb     ish
    mov     r1, #1
    str     r1, [r0]
    dsb     ish
    sev
2:  bl      rt_primary_entry            @ never returns
    b       park_forever

secondary:
    ldr     r0, =rt_bss_cleared
3:  ldr     r1, [r0]
    cmp     r1, #0
    bne     4f
    wfe
    b       3b
4:  dmb     ish
    mov     r0, r6
    bl      rt_secondary_entry          @ never returns

park_forever:
    wfi
    b       park_forever
    .size _start, . - _start

    .data
    .align 2
    .global rt_bss_cleared
    /* In .data, not .bss: CPUs that start together with the primary read it before .bss
     * is clear. */
rt_bss_cleared:
    .word 0
