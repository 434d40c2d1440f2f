/*
 * _start: the ELF entry, for every hart at once (QEMU's reset ROM under -bios none, and
 * hetboot's virt-riscv and fu740, enter every hart in M-mode with a0 = mhartid, a1 = DTB,
 * a2 = fw_dynamic_info).
 *
 * Interrupts off, mtvec = rt_trap_vector (direct mode) before anything can trap, sp = top of
 * this hart's 16 KiB stack (harts >= RT_MAX_HARTS park at once), then
 * rt_hart_entry(hartid, a1 = the DTB address as it came) in C (smp.c), which never returns.
 *
 * rt_trap_vector saves every register and the trap CSRs in a struct rt_trap_frame on the
 * current stack (all code here runs with a valid sp, in U- and S-mode tests too), calls
 * rt_trap_dispatch (trap.c), writes mepc and mstatus back from the frame, restores the
 * registers and returns with MRET.
 */
    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    csrw    mie, zero
    csrci   mstatus, 0x8                /* MIE = 0 */
    la      t0, rt_trap_vector
    csrw    mtvec, t0
    csrr    a0, mhartid
    li      t1, 8                       /* RT_MAX_HARTS */
    bgeu    a0, t1, 2f
    la      sp, __stacks_start
    addi    t1, a0, 1
    slli    t1, t1, 14                  /* RT_STACK_SIZE */
    add     sp, sp, t1
    call    rt_hart_entry               /* never returns */
2:  wfi
    j       2b
    .size _start, . - _start

#define FRAME 288                       /* 36 doublewords: x0..x31, mepc, mcause, mtval, mstatus */
#define F_MEPC 256
#define F_MCAUSE 264
#define F_MTVAL 272
#define F_MSTATUS 280

    .text
    .balign 4
    .globl rt_trap_vector
    .type rt_trap_vector, @function
rt_trap_vector:
    addi    sp, sp, -FRAME
    sd      x1, 8(sp)
    sd      x3, 24(sp)
    sd      x4, 32(sp)
    sd      x5, 40(sp)
    sd      x6, 48(sp)
    sd      x7, 56(sp)
    sd      x8, 64(sp)
    sd      x9, 72(sp)
    sd      x10, 80(sp)
    sd      x11, 88(sp)
    sd      x12, 96(sp)
    sd      x13, 104(sp)
    sd      x14, 112(sp)
    sd      x15, 120(sp)
    sd      x16, 128(sp)
    sd      x17, 136(sp)
    sd      x18, 144(sp)
    sd      x19, 152(sp)
    sd      x20, 160(sp)
    sd      x21, 168(sp)
    sd      x22, 176(sp)
    sd      x23, 184(sp)
    sd      x24, 192(sp)
    sd      x25, 200(sp)
    sd      x26, 208(sp)
    sd      x27, 216(sp)
    sd      x28, 224(sp)
    sd      x29, 232(sp)
    sd      x30, 240(sp)
    sd      x31, 248(sp)
    addi    t0, sp, FRAME
    sd      t0, 16(sp)                  /* the interrupted sp */
    csrr    t0, mepc
    sd      t0, F_MEPC(sp)
    csrr    t0, mcause
    sd      t0, F_MCAUSE(sp)
    csrr    t0, mtval
    sd      t0, F_MTVAL(sp)
    csrr    t0, mstatus
    sd      t0, F_MSTATUS(sp)
    mv      a0, sp
    call    rt_trap_dispatch
    ld      t0, F_MEPC(sp)
    csrw    mepc, t0
    ld      t0, F_MSTATUS(sp)
    csrw    mstatus, t0
    ld      x1, 8(sp)
    ld      x3, 24(sp)
    ld      x4, 32(sp)
    ld      x5, 40(sp)
    ld      x6, 48(sp)
    ld      x7, 56(sp)
    ld      x8, 64(sp)
    ld      x9, 72(sp)
    ld      x10, 80(sp)
    ld      x11, 88(sp)
    ld      x12, 96(sp)
    ld      x13, 104(sp)
    ld      x14, 112(sp)
    ld      x15, 120(sp)
    ld      x16, 128(sp)
    ld      x17, 136(sp)
    ld      x18, 144(sp)
    ld      x19, 152(sp)
    ld      x20, 160(sp)
    ld      x21, 168(sp)
    ld      x22, 176(sp)
    ld      x23, 184(sp)
    ld      x24, 192(sp)
    ld      x25, 200(sp)
    ld      x26, 208(sp)
    ld      x27, 216(sp)
    ld      x28, 224(sp)
    ld      x29, 232(sp)
    ld      x30, 240(sp)
    ld      x31, 248(sp)
    ld      sp, 16(sp)
    mret
    .size rt_trap_vector, . - rt_trap_vector
