/*
 * qemu-tc2-shim: makes QEMU's vexpress-a15 boot an image the way hetboot's `tc2` machine
 * does, so the runtime's tc2 paths (PSCI CPU_ON, the SYS_FLAGS pen) can be checked on QEMU:
 *
 *   qemu-system-arm -M vexpress-a15,virtualization=on -smp 4 -cpu cortex-a15 -semihosting \
 *       -nographic -kernel images/arm/qemu-tc2-shim.elf -device loader,file=images/arm/hello.elf
 *
 * QEMU starts every CPU here in Secure SVC (-kernel takes an ELF's entry for all CPUs).
 * This firmware then gives them the tc2 boot protocol:
 *   - CPU 0 enters the image (0x80000000) in Non-secure HYP;
 *   - the others wait in a boot-monitor pen (WFI; after each wake-up: a pending PSCI CPU_ON
 *     for this CPU, else a non-zero SYS_FLAGS, starts it in Non-secure HYP there);
 *   - PSCI 0.2-style calls through SMC from Non-secure state: PSCI_VERSION, CPU_ON,
 *     AFFINITY_INFO (level 0); everything else returns NOT_SUPPORTED.
 * The GIC is opened to Non-secure state (every interrupt in Group 1).
 *
 * It is a test fixture, not a model of the real TC2 boot monitor; it is linked at
 * 0x87000000, clear of the images (RAM is 128 MiB at 0x80000000 in QEMU's vexpress-a15).
 */
    .syntax unified
    .arm
    .arch_extension sec
    .arch_extension virt

#define IMAGE_ENTRY     0x80000000
#define SYS_FLAGS       0x1C010030
#define MODE_SVC        0x13
#define MODE_MON        0x16
#define HYP_MASKED      0x1DA           /* HYP with A, I, F masked */
#define SCR_NS_HCE      0x131           /* NS, FW, AW, HCE; SMC enabled */
#define GICD_OFF        0x1000
#define GICC_OFF        0x2000
#define MAX_CPUS        4
#define STATE_ON        0
#define STATE_OFF       1
#define STATE_ON_PENDING 2

    .section .text.start, "ax", %progbits
    .global _start
_start:
    cpsid   aif
    mrc     p15, 0, r4, c0, c0, 5       @ MPIDR
    and     r4, r4, #3                  @ r4 = CPU (Aff0; QEMU vexpress has one cluster)
    mrc     p15, 4, r5, c15, c0, 0      @ CBAR
    lsr     r5, r5, #15
    lsl     r5, r5, #15                 @ r5 = PERIPHBASE

    /* Monitor vectors and a per-CPU monitor stack */
    ldr     r0, =mon_vectors
    mcr     p15, 0, r0, c12, c0, 1      @ MVBAR
    cps     #MODE_MON
    ldr     sp, =mon_stacks
    add     sp, sp, r4, lsl #8
    add     sp, sp, #256
    cps     #MODE_SVC

    /* GIC, banked part: SGIs/PPIs in Group 1, CPU interface on (both groups, AckCtl) */
    add     r6, r5, #GICD_OFF
    mvn     r0, #0
    str     r0, [r6, #0x080]            @ GICD_IGROUPR0
    add     r7, r5, #GICC_OFF
    mov     r0, #0xFF
    str     r0, [r7, #0x04]             @ GICC_PMR
    mov     r0, #7
    str     r0, [r7, #0x00]             @ GICC_CTLR: EnableGrp0 | EnableGrp1 | AckCtl

    cmp     r4, #0
    bne     secondary

    /* CPU 0: the distributor, SPIs in Group 1, every CPU OFF but this one */
    ldr     r0, [r6, #0x004]            @ GICD_TYPER
    and     r0, r0, #0x1F               @ ITLinesNumber: 32 * (N + 1) interrupts
    mvn     r1, #0
    mov     r2, #1
1:  cmp     r2, r0
    bhi     2f
    add     r3, r6, #0x080
    str     r1, [r3, r2, lsl #2]        @ GICD_IGROUPRn
    add     r2, r2, #1
    b       1b
2:  mov     r0, #3
    str     r0, [r6, #0x000]            @ GICD_CTLR: both groups
    ldr     r0, =cpu_state
    mov     r1, #STATE_OFF
    str     r1, [r0, #4]
    str     r1, [r0, #8]
    str     r1, [r0, #12]
    mov     r1, #STATE_ON
    str     r1, [r0]
    ldr     r0, =SYS_FLAGS + 4          @ SYS_FLAGSCLR
    mvn     r1, #0
    str     r1, [r0]
    dsb     sy
    ldr     r0, =shim_ready
    mov     r1, #1
    str     r1, [r0]
    dsb     sy
    sev
    ldr     r1, =IMAGE_ENTRY
    mov     r0, #0
    b       enter_ns_hyp

    /* Secondaries: the pen */
secondary:
    ldr     r0, =shim_ready
3:  ldr     r1, [r0]
    cmp     r1, #0
    wfeeq
    beq     3b
pen:
    wfi
    ldr     r0, [r7, #0x0C]             @ GICC_IAR
    ubfx    r1, r0, #0, #10
    cmp     r1, #1020
    strlo   r0, [r7, #0x10]             @ GICC_EOIR
    ldr     r2, =psci_entry
    ldr     r1, [r2, r4, lsl #2]
    cmp     r1, #0
    bne     4f
    ldr     r1, =SYS_FLAGS
    ldr     r1, [r1]
    cmp     r1, #0
    beq     pen
    mov     r0, #0
    b       5f
4:  ldr     r2, =psci_context
    ldr     r0, [r2, r4, lsl #2]
5:  ldr     r2, =cpu_state
    mov     r3, #STATE_ON
    str     r3, [r2, r4, lsl #2]
    dsb     sy
    /* fall through: r1 = entry, r0 = context id */

/* Enter Non-secure HYP at r1 with r0 preserved. */
enter_ns_hyp:
    cps     #MODE_MON
    ldr     r2, =SCR_NS_HCE
    mcr     p15, 0, r2, c1, c1, 0       @ SCR
    isb
    mov     r2, #0
    mcr     p15, 4, r2, c1, c1, 0       @ HCR = 0
    mov     r2, #HYP_MASKED
    msr     spsr_cxsf, r2
    mov     lr, r1
    movs    pc, lr

/* ---- Monitor: PSCI over SMC ---- */
    .align 5
mon_vectors:
    b       .
    b       .
    b       mon_smc
    b       .
    b       .
    b       .
    b       .
    b       .

mon_smc:
    push    {r4-r7, lr}
    ldr     r4, =0x84000000
    cmp     r0, r4
    beq     psci_version
    add     r4, r4, #3
    cmp     r0, r4
    beq     psci_cpu_on
    add     r4, r4, #1
    cmp     r0, r4
    beq     psci_affinity_info
    mvn     r0, #0                      @ NOT_SUPPORTED
    b       mon_return
psci_version:
    mov     r0, #0x00010000             @ 1.0
    b       mon_return

/* r1 = MPIDR -> r5 = CPU (r6 = GICD), or branch to invalid */
    .macro  TARGET_CPU
    bic     r5, r1, #0x80000000
    bic     r5, r5, #0x40000000
    cmp     r5, #MAX_CPUS
    bhs     psci_invalid
    mrc     p15, 4, r6, c15, c0, 0
    lsr     r6, r6, #15
    lsl     r6, r6, #15
    add     r6, r6, #GICD_OFF           @ r6 = GICD
    ldr     r7, [r6, #0x004]
    ubfx    r7, r7, #5, #3
    cmp     r5, r7
    bhi     psci_invalid
    .endm

psci_cpu_on:
    TARGET_CPU
    ldr     r4, =cpu_state
    ldr     r7, [r4, r5, lsl #2]
    cmp     r7, #STATE_OFF
    mvnne   r0, #3                      @ ALREADY_ON (-4)
    bne     mon_return
    mov     r7, #STATE_ON_PENDING
    str     r7, [r4, r5, lsl #2]
    ldr     r4, =psci_context
    str     r3, [r4, r5, lsl #2]
    ldr     r4, =psci_entry
    str     r2, [r4, r5, lsl #2]
    dsb     sy
    mov     r7, #1
    lsl     r7, r7, r5
    lsl     r7, r7, #16                 @ target list
    orr     r7, r7, #0x8000             @ NSATT: the SGIs are Group 1
    str     r7, [r6, #0xF00]            @ GICD_SGIR, SGI 0
    mov     r0, #0
    b       mon_return

psci_affinity_info:
    cmp     r2, #0
    bne     psci_invalid
    TARGET_CPU
    ldr     r4, =cpu_state
    ldr     r0, [r4, r5, lsl #2]
    b       mon_return

psci_invalid:
    mvn     r0, #1                      @ INVALID_PARAMETERS (-2)
mon_return:
    pop     {r4-r7, lr}
    movs    pc, lr

    .ltorg

    .data
    .align 2
shim_ready:     .word 0
cpu_state:      .word 0, 1, 1, 1
psci_entry:     .word 0, 0, 0, 0
psci_context:   .word 0, 0, 0, 0

    .bss
    .align 3
mon_stacks:     .space 256 * MAX_CPUS
