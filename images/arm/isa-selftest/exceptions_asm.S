/*
 * The vector table the exceptions group installs in VBAR while it runs. Each handler
 * records what the architecture says exception entry produces (ARM ARM B1.8.3-B1.8.6: the
 * vector, LR_<mode>, SPSR_<mode>, the new CPSR, the fault status and address registers)
 * into exc_rec, then returns past the instruction that caused it, each with a different
 * exception-return idiom (B1.8.10 / B9.1.2):
 *
 *   Undefined      LR_und = UDF + 4     return: MOVS PC, LR
 *   SVC            LR_svc = SVC + 4     return: LDMFD SP!, {r0-r3, PC}^
 *   Prefetch Abort LR_abt = BKPT + 4    return: SRSDB / RFEIA (skips the BKPT)
 *   Data Abort     LR_abt = insn + 8    return: SUBS PC, LR, #4 (skips the access)
 *
 * exc_rec: [0] count, [1] vector offset, [2] LR, [3] SPSR, [4] CPSR in the handler,
 *          [5] DFSR/IFSR, [6] DFAR, [7] SVC immediate (from the instruction at LR - 4)
 */
    .syntax unified
    .arm
    .text

    .macro RECORD vec
    ldr     r0, =exc_rec
    ldr     r1, [r0]
    add     r1, r1, #1
    str     r1, [r0]
    mov     r1, #\vec
    str     r1, [r0, #4]
    str     lr, [r0, #8]
    mrs     r1, spsr
    str     r1, [r0, #12]
    mrs     r1, cpsr
    str     r1, [r0, #16]
    .endm

    .align 5
    .global exc_vectors
exc_vectors:
    b       unexpected
    b       und_handler
    b       svc_handler
    b       pabt_handler
    b       dabt_handler
    b       unexpected
    b       unexpected
    b       unexpected

und_handler:
    push    {r0-r3}
    RECORD  0x04
    pop     {r0-r3}
    movs    pc, lr

svc_handler:
    push    {r0-r3, lr}
    RECORD  0x08
    ldr     r1, [lr, #-4]
    bic     r1, r1, #0xFF000000
    str     r1, [r0, #28]
    ldmfd   sp!, {r0-r3, pc}^

pabt_handler:
    srsdb   sp!, #0x17
    push    {r0-r3}
    RECORD  0x0C
    mrc     p15, 0, r1, c5, c0, 1   @ IFSR
    str     r1, [r0, #20]
    pop     {r0-r3}
    rfeia   sp!

dabt_handler:
    push    {r0-r3}
    RECORD  0x10
    mrc     p15, 0, r1, c5, c0, 0   @ DFSR
    str     r1, [r0, #20]
    mrc     p15, 0, r1, c6, c0, 0   @ DFAR
    str     r1, [r0, #24]
    pop     {r0-r3}
    subs    pc, lr, #4

    /* Anything else (reset, IRQ, FIQ, the HYP-trap slot): say so and stop the machine with
     * a failure; it cannot be returned from safely here. */
unexpected:
    cps     #0x13
    ldr     r0, =unexpected_msg
    bl      rt_puts
    mov     r0, #1
    bl      rt_exit

    .ltorg

    .section .rodata
unexpected_msg:
    .asciz  "  FAIL exceptions: unexpected exception (reset, IRQ or FIQ vector)\n"
