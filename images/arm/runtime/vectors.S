/*
 * Exception vector tables: one for the PL1 modes (installed in VBAR when the runtime runs in
 * SVC) and one for HYP (installed in HVBAR).
 *
 * Every entry saves a struct rt_frame on a stack and calls
 * rt_exception_entry(kind, frame) (exceptions.c), which either handles the exception (IRQ,
 * UNDEFINED probe) and returns, or reports it and exits through semihosting.
 *
 *   struct rt_frame { r0..r12, lr, ret, spsr }   (16 words; ret/spsr are the return state)
 *
 * PL1: SRSDB stores {LR_<exc>, SPSR_<exc>} on the SVC stack and the handler runs in SVC, so
 * the IRQ/UND/ABT modes need no stacks of their own; RFEIA returns. `ret` holds the raw
 * exception LR; rt_exception_entry rewrites it to the resume address (ARM ARM B1.8.3, "Link
 * values saved on exception entry").
 * HYP: ELR_hyp already holds the preferred return address (B1.8.3); ERET returns.
 */
    .syntax unified
    .arm
    .text

#define KIND_HYP 0x100

    .macro PL1_ENTRY kind
    srsdb   sp!, #0x13
    cps     #0x13
    push    {r0-r12, lr}
    mov     r0, #\kind
    mov     r1, sp
    mov     r4, sp
    bic     sp, sp, #7                  @ AAPCS: 8-byte aligned stack at calls
    bl      rt_exception_entry
    mov     sp, r4
    pop     {r0-r12, lr}
    rfeia   sp!
    .endm

    .macro HYP_ENTRY kind
    sub     sp, sp, #8
    push    {r0-r12, lr}
    mrs     r0, elr_hyp
    mrs     r1, spsr
    str     r0, [sp, #56]
    str     r1, [sp, #60]
    mov     r0, #(\kind | KIND_HYP)
    mov     r1, sp
    mov     r4, sp
    bic     sp, sp, #7
    bl      rt_exception_entry
    mov     sp, r4
    ldr     r0, [sp, #56]
    ldr     r1, [sp, #60]
    msr     elr_hyp, r0
    msr     spsr_cxsf, r1
    pop     {r0-r12, lr}
    add     sp, sp, #8
    eret
    .endm

    .align 5
    .global rt_pl1_vectors
rt_pl1_vectors:
    b       pl1_reset
    b       pl1_undef
    b       pl1_svc
    b       pl1_pabt
    b       pl1_dabt
    b       pl1_unused
    b       pl1_irq
    b       pl1_fiq
pl1_reset:  PL1_ENTRY 0x00
pl1_undef:  PL1_ENTRY 0x04
pl1_svc:    PL1_ENTRY 0x08
pl1_pabt:   PL1_ENTRY 0x0C
pl1_dabt:   PL1_ENTRY 0x10
pl1_unused: PL1_ENTRY 0x14
pl1_irq:    PL1_ENTRY 0x18
pl1_fiq:    PL1_ENTRY 0x1C

    .align 5
    .global rt_hyp_vectors
rt_hyp_vectors:
    b       hyp_reset
    b       hyp_undef
    b       hyp_svc
    b       hyp_pabt
    b       hyp_dabt
    b       hyp_trap
    b       hyp_irq
    b       hyp_fiq
hyp_reset:  HYP_ENTRY 0x00
hyp_undef:  HYP_ENTRY 0x04
hyp_svc:    HYP_ENTRY 0x08
hyp_pabt:   HYP_ENTRY 0x0C
hyp_dabt:   HYP_ENTRY 0x10
hyp_trap:   HYP_ENTRY 0x14
hyp_irq:    HYP_ENTRY 0x18
hyp_fiq:    HYP_ENTRY 0x1C
