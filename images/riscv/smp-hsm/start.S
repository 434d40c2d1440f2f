/*
 * Entry points of the S-mode payload (no M-mode code: everything below M goes through SBI).
 *
 *   _start         the boot hart, as the firmware enters the next stage: S-mode, a0 = hartid,
 *                  a1 = the device tree (OpenSBI fw_dynamic, hetboot --bios sbi).
 *   hart_entry     the harts the boot hart starts with HSM hart_start: S-mode, a0 = hartid,
 *                  a1 = the opaque value, satp = 0, sstatus.SIE = 0 (SBI spec, HSM chapter).
 *
 * Both set stvec (direct mode) and sp = top of the hart's 16 KiB stack (harts 8 and up stop
 * at once: the image has stacks for 8), then call C, which never returns.
 *
 * s_trap_vector saves the caller-saved registers, calls s_trap(scause, sepc) and returns with
 * SRET. Only supervisor software interrupts are expected; smp-hsm.c reports anything else.
 */
    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    mv      tp, a0                      /* hartid, for s_trap */
    li      t0, 8
    bgeu    a0, t0, too_many
    la      t0, s_trap_vector
    csrw    stvec, t0
    la      sp, __stacks_start
    addi    t1, a0, 1
    slli    t1, t1, 14
    add     sp, sp, t1
    call    boot_main
    j       too_many
    .size _start, . - _start

    .text
    .globl hart_entry
    .type hart_entry, @function
hart_entry:
    mv      tp, a0
    li      t0, 8
    bgeu    a0, t0, too_many
    la      t0, s_trap_vector
    csrw    stvec, t0
    la      sp, __stacks_start
    addi    t1, a0, 1
    slli    t1, t1, 14
    add     sp, sp, t1
    call    hart_main
    .size hart_entry, . - hart_entry

too_many:                               /* no stack for this hart: HSM hart_stop */
    li      a7, 0x48534D
    li      a6, 1
    ecall
1:  wfi
    j       1b

    .balign 4
    .globl s_trap_vector
    .type s_trap_vector, @function
s_trap_vector:
    addi    sp, sp, -144
    sd      ra, 0(sp)
    sd      t0, 8(sp)
    sd      t1, 16(sp)
    sd      t2, 24(sp)
    sd      t3, 32(sp)
    sd      t4, 40(sp)
    sd      t5, 48(sp)
    sd      t6, 56(sp)
    sd      a0, 64(sp)
    sd      a1, 72(sp)
    sd      a2, 80(sp)
    sd      a3, 88(sp)
    sd      a4, 96(sp)
    sd      a5, 104(sp)
    sd      a6, 112(sp)
    sd      a7, 120(sp)
    csrr    a0, scause
    csrr    a1, sepc
    call    s_trap
    ld      ra, 0(sp)
    ld      t0, 8(sp)
    ld      t1, 16(sp)
    ld      t2, 24(sp)
    ld      t3, 32(sp)
    ld      t4, 40(sp)
    ld      t5, 48(sp)
    ld      t6, 56(sp)
    ld      a0, 64(sp)
    ld      a1, 72(sp)
    ld      a2, 80(sp)
    ld      a3, 88(sp)
    ld      a4, 96(sp)
    ld      a5, 104(sp)
    ld      a6, 112(sp)
    ld      a7, 120(sp)
    addi    sp, sp, 144
    sret
    .size s_trap_vector, . - s_trap_vector
