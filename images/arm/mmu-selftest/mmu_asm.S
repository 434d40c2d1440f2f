/*
 * The vector table mmu-selftest installs in VBAR while translation is on: the prefetch and
 * data abort handlers record the fault status and address registers into mmu_fault, then
 * resume (ARM ARM B1.8.3: LR_abt = faulting instruction + 8 for a data abort, + 4 for a
 * prefetch abort). Every other vector continues in the runtime's table, which reports it.
 *
 * mmu_fault: [0] count, [1] DFSR/IFSR, [2] DFAR/IFAR, [3] vector offset (0x0C or 0x10)
 */
    .syntax unified
    .arm
    .text

    .align 5
    .global mmu_vectors
mmu_vectors:
    ldr     pc, =rt_pl1_vectors + 0x00
    ldr     pc, =rt_pl1_vectors + 0x04
    ldr     pc, =rt_pl1_vectors + 0x08
    b       pabt
    b       dabt
    ldr     pc, =rt_pl1_vectors + 0x14
    ldr     pc, =rt_pl1_vectors + 0x18
    ldr     pc, =rt_pl1_vectors + 0x1C

    /* Data abort: record, then skip the access (SUBS PC, LR, #4 returns to insn + 4). */
dabt:
    push    {r0, r1}
    ldr     r0, =mmu_fault
    ldr     r1, [r0]
    add     r1, r1, #1
    str     r1, [r0]
    mrc     p15, 0, r1, c5, c0, 0       @ DFSR
    str     r1, [r0, #4]
    mrc     p15, 0, r1, c6, c0, 0       @ DFAR
    str     r1, [r0, #8]
    mov     r1, #0x10
    str     r1, [r0, #12]
    pop     {r0, r1}
    subs    pc, lr, #4

    /* Prefetch abort: record, then resume at mmu_exec_resume (the probe's return path). */
pabt:
    push    {r0, r1}
    ldr     r0, =mmu_fault
    ldr     r1, [r0]
    add     r1, r1, #1
    str     r1, [r0]
    mrc     p15, 0, r1, c5, c0, 1       @ IFSR
    str     r1, [r0, #4]
    mrc     p15, 0, r1, c6, c0, 2       @ IFAR
    str     r1, [r0, #8]
    mov     r1, #0x0C
    str     r1, [r0, #12]
    pop     {r0, r1}
    ldr     lr, =mmu_exec_resume
    movs    pc, lr

    /* void mmu_install_vectors(void): VBAR = mmu_vectors, an Abort-mode stack. */
    .global mmu_install_vectors
mmu_install_vectors:
    mrs     r1, cpsr
    cps     #0x17
    ldr     sp, =abt_stack_top
    msr     cpsr_c, r1
    ldr     r0, =mmu_vectors
    mcr     p15, 0, r0, c12, c0, 0
    isb
    bx      lr

    /* uint32_t mmu_probe_read(uint32_t va, uint32_t sentinel): the word at va, or sentinel
     * when the load aborts. */
    .global mmu_probe_read
mmu_probe_read:
    mov     r2, r0
    mov     r0, r1
    ldr     r0, [r2]
    bx      lr

    /* void mmu_probe_write(uint32_t va, uint32_t value) */
    .global mmu_probe_write
mmu_probe_write:
    str     r1, [r0]
    bx      lr

    /* uint32_t mmu_probe_exec(uint32_t va): call the code at va; 0xFFFFFFFF when the
     * fetch aborts. */
    .global mmu_probe_exec
mmu_probe_exec:
    push    {r4, lr}
    mov     r4, r0
    mvn     r0, #0
    ldr     lr, =mmu_exec_resume
    bx      r4
    .global mmu_exec_resume
mmu_exec_resume:
    pop     {r4, pc}

    .ltorg

    /* A page of code the test maps at another virtual address. */
    .section .text.execpage, "ax"
    .balign 4096
    .global mmu_exec_page
mmu_exec_page:
    movw    r0, #0x1234
    bx      lr
    .balign 4096

    .bss
    .balign 8
    .global mmu_fault
mmu_fault:
    .space  16
abt_stack:
    .space  256
abt_stack_top:
