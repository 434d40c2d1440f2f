/*
 * vgic-basic's own vector tables: the hypervisor's (HVBAR) takes the physical maintenance
 * interrupt (+0x18) and the guest's HVCs (+0x14); the guest's (its Non-secure VBAR) takes
 * virtual IRQs (+0x18). Every other entry is unexpected and fails the run.
 */
    .syntax unified
    .arm
    .text

    .align 5
    .global vgic_hyp_vectors
vgic_hyp_vectors:
    b       unexpected
    b       unexpected
    b       unexpected
    b       unexpected
    b       unexpected
    b       hyp_trap_entry
    b       hyp_irq_entry
    b       unexpected

@ The guest's HVCs: vgic_hyp_trap prints the LRs and returns to the instruction after the
@ HVC (ELR_hyp), or ends the run at the guest's last one. r4 is saved too: the entry uses it
@ to keep the unaligned SP across the C call, and the guest's r4 must survive.
hyp_trap_entry:
    push    {r0-r4, r12, lr}
    mov     r4, sp
    bic     sp, sp, #7
    bl      vgic_hyp_trap
    mov     sp, r4
    pop     {r0-r4, r12, lr}
    eret

hyp_irq_entry:
    push    {r0-r4, r12, lr}
    mov     r4, sp                  @ r4 is callee-saved: the C call keeps it
    bic     sp, sp, #7
    bl      vgic_hyp_irq
    mov     sp, r4
    pop     {r0-r4, r12, lr}
    eret

    .align 5
    .global vgic_guest_vectors
vgic_guest_vectors:
    b       unexpected
    b       unexpected
    b       unexpected
    b       unexpected
    b       unexpected
    b       unexpected
    b       guest_irq_entry
    b       unexpected

guest_irq_entry:
    sub     lr, lr, #4
    push    {r0-r3, r12, lr}
    bl      vgic_guest_irq
    pop     {r0-r3, r12, lr}
    movs    pc, lr

unexpected:
    bic     sp, sp, #7
    bl      vgic_unexpected
    b       .
