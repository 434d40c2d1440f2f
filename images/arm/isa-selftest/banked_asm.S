/*
 * Helpers of the banked group (banked.c): sweeps through the PL1 modes with CPS, and the
 * Virtualization Extensions' banked MRS/MSR forms (ARM ARM B9.3.9, B9.3.10), used from SVC.
 *
 * Banking (B1.3.2): SP and LR are banked in FIQ, IRQ, ABT, UND, SVC (USR and SYS share
 * one); R8-R12 only in FIQ; every exception mode has its own SPSR, USR/SYS have none.
 *
 * The SVC stack, LR and r4-r11 survive every helper.
 */
    .syntax unified
    .arm
    .arch_extension virt
    .text

#define FIQ 0x11
#define IRQ 0x12
#define SVC 0x13
#define ABT 0x17
#define UND 0x1B
#define SYS 0x1F

/* Give mode m: SP = 0x5350_00mm, LR = 0x4C52_00mm, SPSR = (flags << 28) | (ge << 16) | 0x1D0 */
    .macro SET_MODE m, flags, ge
    cps     #\m
    movw    sp, #\m
    movt    sp, #0x5350
    movw    lr, #\m
    movt    lr, #0x4C52
    movw    r0, #0x1D0
    movt    r0, #((\flags << 12) | \ge)
    msr     spsr_fsxc, r0
    .endm

    .macro GET_MODE m
    cps     #\m
    str     sp, [r1], #4
    str     lr, [r1], #4
    mrs     r0, spsr
    str     r0, [r1], #4
    .endm

/* void banked_sweep(uint32_t out[28])
 * out: FIQ {sp, lr, spsr, r8-r12}, IRQ, ABT, UND {sp, lr, spsr}, SYS {sp, lr},
 *      SVC {lr, spsr, r8-r12 (after the FIQ bank was written)}, SVC sp before and after */
    .global banked_sweep
    .type banked_sweep, %function
banked_sweep:
    push    {r4-r11, lr}
    mov     r1, r0                  @ r1: output cursor (r0-r7 are not banked anywhere)
    mov     r2, sp                  @ r2: SVC sp
    mov     r3, lr
    mov     r8, #0x08
    mov     r9, #0x09
    mov     r10, #0x0A
    mov     r11, #0x0B
    mov     r12, #0x0C
    SET_MODE FIQ, 0x1, 0x1
    mov     r8, #0xF8
    mov     r9, #0xF9
    mov     r10, #0xFA
    mov     r11, #0xFB
    mov     r12, #0xFC
    SET_MODE IRQ, 0x2, 0x2
    SET_MODE ABT, 0x4, 0x4
    SET_MODE UND, 0x8, 0x8
    cps     #SYS
    movw    sp, #SYS
    movt    sp, #0x5350
    movw    lr, #SYS
    movt    lr, #0x4C52
    cps     #SVC
    movw    lr, #SVC
    movt    lr, #0x4C52
    movw    r0, #0x1D0
    movt    r0, #((0x3 << 12) | 0x3)
    msr     spsr_fsxc, r0

    GET_MODE FIQ
    stmia   r1!, {r8-r12}           @ still in FIQ: its own r8-r12
    GET_MODE IRQ
    GET_MODE ABT
    GET_MODE UND
    cps     #SYS
    str     sp, [r1], #4
    str     lr, [r1], #4
    cps     #SVC
    str     lr, [r1], #4
    mrs     r0, spsr
    str     r0, [r1], #4
    stmia   r1!, {r8-r12}           @ SVC sees the User r8-r12, untouched by FIQ's writes
    str     r2, [r1], #4
    str     sp, [r1], #4
    mov     lr, r3
    pop     {r4-r11, pc}
    .size banked_sweep, . - banked_sweep

/* void banked_mrs(uint32_t out[14]): after banked_sweep, read other modes' registers from
 * SVC with MRS (Banked register). */
    .global banked_mrs
    .type banked_mrs, %function
banked_mrs:
    push    {r4-r11, lr}
    mrs     r1, sp_irq
    mrs     r2, lr_irq
    mrs     r3, spsr_irq
    mrs     r4, r8_fiq
    mrs     r5, r12_fiq
    mrs     r6, sp_fiq
    mrs     r7, spsr_fiq
    stmia   r0!, {r1-r7}
    mrs     r1, sp_abt
    mrs     r2, lr_abt
    mrs     r3, spsr_und
    mrs     r4, lr_und
    mrs     r5, sp_usr
    mrs     r6, lr_usr
    mrs     r7, r10_fiq
    stmia   r0!, {r1-r7}
    pop     {r4-r11, pc}
    .size banked_mrs, . - banked_mrs

/* void banked_msr(const uint32_t in[8], uint32_t out[8]): write with MSR (Banked register)
 * from SVC: sp_irq, lr_abt, spsr_fiq, r9_fiq, r11_fiq, sp_usr, spsr_und, lr_fiq; read them
 * back by visiting the modes with CPS. */
    .global banked_msr
    .type banked_msr, %function
banked_msr:
    push    {r4-r11, lr}
    ldmia   r0, {r2-r7}
    msr     sp_irq, r2
    msr     lr_abt, r3
    msr     spsr_fiq, r4
    msr     r9_fiq, r5
    msr     r11_fiq, r6
    msr     sp_usr, r7
    ldr     r2, [r0, #24]
    msr     spsr_und, r2
    ldr     r2, [r0, #28]
    msr     lr_fiq, r2
    cps     #IRQ
    str     sp, [r1], #4
    cps     #ABT
    str     lr, [r1], #4
    cps     #FIQ
    mrs     r2, spsr
    str     r2, [r1], #4
    str     r9, [r1], #4
    str     r11, [r1], #4
    mov     r3, lr
    cps     #SYS
    str     sp, [r1], #4
    cps     #UND
    mrs     r2, spsr
    str     r2, [r1], #4
    str     r3, [r1], #4
    cps     #SVC
    pop     {r4-r11, pc}
    .size banked_msr, . - banked_msr
