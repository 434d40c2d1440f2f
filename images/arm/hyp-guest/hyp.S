/*
 * hyp-guest's hypervisor and guest (ARM ARM DDI 0406C.d B1.14 traps, B3.13.6 HSR, B3.6 stage 2).
 *
 * hg_run(struct hg_result *r, uint32_t vmpidr), called in HYP:
 *   VPIDR = 0x412FC0F1 (a Cortex-A15 r2p1 on every core), VMPIDR = vmpidr; VTCR/VTTBR = an
 *   identity stage 2 of 1 GB blocks, GB 0 Device, GBs 2 and 3 Normal, GB 1 (0x40000000…)
 *   left unmapped as the "MMIO" region (on virt, whose RAM is GB 1, GBs 1 and 3 are Normal
 *   and GB 2, 0x80000000…, is the "MMIO" region); HCR = KVM 3.9's guest value 0x0078263B (VM, SWIO,
 *   FMO, IMO, AMO, TWI, BSU/FB, TSC, TIDCP, TAC, TSW); HVBAR = hg_vectors; ERET to hg_guest
 *   in Non-secure SVC with A/I/F masked.
 * The guest reads MIDR, MPIDR, CTR, ID_MMFR0 and CCSIDR (CSSELR = L1 data) into r, executes
 * WFI (trapped: counted), stores 0x12345678 to HG_MMIO (stage 2 data abort with ISV: the
 * hypervisor emulates the store from the syndrome) and ends with HVC #0, which returns from
 * hg_run after HCR, HVBAR, VPIDR and VMPIDR are put back.
 * r8 holds r for the guest and the hypervisor (r4–r12 are not banked); the trap handler uses
 * only r9–r12.
 */
#include "../runtime/platform.h"

#ifdef RT_PLATFORM_VIRT
#define HG_MMIO 0x80000000
#else
#define HG_MMIO 0x40000000
#endif

    .syntax unified
    .arm
    .arch_extension virt
    .arch_extension sec

    .equ R_MIDR, 0
    .equ R_MPIDR, 4
    .equ R_CTR, 8
    .equ R_MMFR0, 12
    .equ R_CCSIDR, 16
    .equ R_WFI, 20
    .equ R_WFI_HSR, 24
    .equ R_MMIO_HSR, 28
    .equ R_HDFAR, 32
    .equ R_HPFAR, 36
    .equ R_MMIO_VALUE, 40
    .equ R_HVC_HSR, 44
    .equ R_OTHER_HSR, 48

    .text
    .global hg_run
hg_run:
    push    {r4-r12, lr}
    mov     r8, r0
    mcr     p15, 4, r1, c0, c0, 5       @ VMPIDR
    ldr     r1, =0x412FC0F1
    mcr     p15, 4, r1, c0, c0, 0       @ VPIDR
    mrc     p15, 4, r1, c12, c0, 0
    ldr     r2, =hg_saved_hvbar
    str     r1, [r2]
    ldr     r1, =hg_vectors
    mcr     p15, 4, r1, c12, c0, 0      @ HVBAR
    ldr     r1, =0x80003540             @ VTCR: T0SZ 0, SL0 1 (level 1), WBWA, inner shareable
    mcr     p15, 4, r1, c2, c1, 2
    ldr     r0, =hg_stage2
    mov     r1, #0                      @ VMID 0
    mcrr    p15, 6, r0, r1, c2          @ VTTBR
    isb
    mcr     p15, 4, r0, c8, c7, 4       @ TLBIALLNSNH
    dsb
    ldr     r1, =0x0078263B
    mcr     p15, 4, r1, c1, c1, 0       @ HCR
    isb
    ldr     r1, =hg_guest
    msr     ELR_hyp, r1
    mov     r1, #0x1D3                  @ SVC, A/I/F masked
    msr     spsr_cxsf, r1               @ SPSR_hyp (MSR SPSR_hyp from Hyp is UNPREDICTABLE)
    eret

    .balign 32
hg_vectors:
    b       .                           @ reset
    b       .                           @ undefined in HYP
    b       .                           @ SVC/HVC in HYP
    b       .                           @ prefetch abort in HYP
    b       .                           @ data abort in HYP
    b       hg_trap                     @ Hyp trap
    b       .                           @ IRQ
    b       .                           @ FIQ

hg_trap:
    mrc     p15, 4, r9, c5, c2, 0       @ HSR
    lsr     r10, r9, #26
    cmp     r10, #0x01
    beq     hg_wfi
    cmp     r10, #0x24
    beq     hg_dabt
    cmp     r10, #0x12
    beq     hg_hvc
    str     r9, [r8, #R_OTHER_HSR]      @ anything else: record it and stop the guest
    b       hg_exit

hg_wfi:
    str     r9, [r8, #R_WFI_HSR]
    ldr     r10, [r8, #R_WFI]
    add     r10, r10, #1
    str     r10, [r8, #R_WFI]
    b       hg_skip

hg_dabt:
    str     r9, [r8, #R_MMIO_HSR]
    mrc     p15, 4, r10, c6, c0, 0      @ HDFAR
    str     r10, [r8, #R_HDFAR]
    mrc     p15, 4, r10, c6, c0, 4      @ HPFAR
    str     r10, [r8, #R_HPFAR]
    @ Emulate the store from the syndrome: ISV, a word (SAS 2), a write (WnR), SRT = r3 —
    @ the only form this guest uses; anything else is recorded as "other".
    ldr     r10, =0x01C30040
    and     r11, r9, r10
    ldr     r12, =0x01830040
    cmp     r11, r12
    strne   r9, [r8, #R_OTHER_HSR]
    bne     hg_exit
    str     r3, [r8, #R_MMIO_VALUE]
    b       hg_skip

hg_skip:                                @ resume the guest after the trapped instruction
    mrs     r10, ELR_hyp
    add     r10, r10, #4
    msr     ELR_hyp, r10
    eret

hg_hvc:
    str     r9, [r8, #R_HVC_HSR]
hg_exit:
    mov     r1, #0
    mcr     p15, 4, r1, c1, c1, 0       @ HCR = 0
    isb
    ldr     r2, =hg_saved_hvbar
    ldr     r1, [r2]
    mcr     p15, 4, r1, c12, c0, 0
    mrc     p15, 0, r1, c0, c0, 0       @ VPIDR/VMPIDR back to the physical values
    mcr     p15, 4, r1, c0, c0, 0
    mrc     p15, 0, r1, c0, c0, 5
    mcr     p15, 4, r1, c0, c0, 5
    isb
    pop     {r4-r12, pc}

    @ The guest: Non-secure SVC, stage 1 off, stage 2 on.
hg_guest:
    mrc     p15, 0, r0, c0, c0, 0       @ MIDR
    str     r0, [r8, #R_MIDR]
    mrc     p15, 0, r0, c0, c0, 5       @ MPIDR
    str     r0, [r8, #R_MPIDR]
    mrc     p15, 0, r0, c0, c0, 1       @ CTR
    str     r0, [r8, #R_CTR]
    mrc     p15, 0, r0, c0, c1, 4       @ ID_MMFR0
    str     r0, [r8, #R_MMFR0]
    mov     r0, #0
    mcr     p15, 2, r0, c0, c0, 0       @ CSSELR = level 1 data
    isb
    mrc     p15, 1, r0, c0, c0, 0       @ CCSIDR
    str     r0, [r8, #R_CCSIDR]
    wfi
    ldr     r2, =HG_MMIO
    ldr     r3, =0x12345678
    str     r3, [r2]
    hvc     #0
    b       .
    .ltorg

    .data
    .balign 4096
hg_stage2:                              @ level 1: four 1 GB block descriptors
    .word   0x00000000 | 0x4C5, 0       @ AF, non-shareable, HAP RW, MemAttr Device (0001), block
#ifdef RT_PLATFORM_VIRT
    .word   0x40000000 | 0x7FD, 0       @ AF, inner shareable, HAP RW, MemAttr Normal WB (1111)
    .word   0, 0                        @ 0x80000000: unmapped, the "MMIO" region
#else
    .word   0, 0                        @ 0x40000000: unmapped, the "MMIO" region
    .word   0x80000000 | 0x7FD, 0       @ AF, inner shareable, HAP RW, MemAttr Normal WB (1111)
#endif
    .word   0xC0000000 | 0x7FD, 0
hg_saved_hvbar:
    .word   0
