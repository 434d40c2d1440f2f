/*
 * A vectored-mode trap table for the interrupts group (mtvec.MODE = 1, Privileged spec
 * 3.1.7): an interrupt with cause i enters at BASE + 4i, every exception at BASE. Entry i
 * records i in rv_vector_last and continues into the runtime's rt_trap_vector, which
 * handles the trap as usual. 4-byte entries (norvc), BASE 64-byte aligned.
 */
    .option norvc
    .text
    .balign 64
    .globl rv_vector_table
rv_vector_table:
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    j       vector_\n
    .endr

    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
vector_\n:
    addi    sp, sp, -16
    sd      t0, 0(sp)
    sd      t1, 8(sp)
    li      t1, \n
    j       vector_common
    .endr

vector_common:
    la      t0, rv_vector_last
    sd      t1, 0(t0)
    ld      t0, 0(sp)
    ld      t1, 8(sp)
    addi    sp, sp, 16
    j       rt_trap_vector

    .data
    .balign 8
    .globl rv_vector_last
rv_vector_last:
    .dword -1
