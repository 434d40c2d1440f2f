/*
 * The ARM probe's entry: hetboot's `check` starts it on one core (every other core held in
 * reset), in whatever mode the machine's boot protocol enters (tc2: HYP, non-secure). One stack,
 * no runtime: the console is semihosting (SYS_WRITE0), the end SYS_EXIT.
 */
    .syntax unified
    .arm
    .section .text.start, "ax", %progbits
    .globl _start
_start:
    ldr     sp, =probe_stack_top
    bl      probe_main
    /* SYS_EXIT (0x18), ADP_Stopped_ApplicationExit */
    mov     r0, #0x18
    ldr     r1, =0x20026
    svc     #0x123456
1:  b       1b

/* Hyp vectors while the probe's Hyp MMU is on: every exception is fatal for a probe. The
 * handler prints the syndrome through hyp_exception (probe.c) and exits. */
    .balign 32
    .globl probe_hyp_vectors
probe_hyp_vectors:
    b       hyp_trap        /* +0x00 */
    b       hyp_trap        /* +0x04 undefined */
    b       hyp_trap        /* +0x08 HVC/SVC in Hyp */
    b       hyp_trap        /* +0x0C prefetch abort */
    b       hyp_trap        /* +0x10 data abort */
    b       hyp_trap        /* +0x14 Hyp trap */
    b       hyp_trap        /* +0x18 IRQ */
    b       hyp_trap        /* +0x1C FIQ */
hyp_trap:
    ldr     sp, =probe_stack_top
    mrc     p15, 4, r0, c5, c2, 0   /* HSR */
    bl      hyp_exception
1:  b       1b

    .section .bss
    .balign 8
probe_stack:
    .space  4096
probe_stack_top:
