/*
 * The hyp stub as a Linux 3.x kernel installs it when it is entered in HYP
 * (arch/arm/kernel/hyp-stub.S: __hyp_stub_install, __hyp_stub_vectors, __hyp_stub_do_trap):
 * a vector table whose Hyp-trap slot (+0x14) answers HVC from the kernel — r0 = -1 returns
 * HVBAR in r0, any other r0 becomes the new HVBAR — and ERETs. Written from the behaviour
 * Linux documents, in our own words.
 *
 * hs_run(results) is the whole excursion for one CPU, called in HYP with the stub installed:
 *   1. drop to SVC with the A/I/F masks set, as Linux's safe_svcmode_maskall does (SPSR_hyp =
 *      SVC, ELR_hyp = the next instruction, ERET), with SP_svc set below SP_hyp;
 *   2. in SVC: results[0] = CPSR; HVC #0 with r0 = -1 → results[1] = HVBAR as the stub reads it;
 *   3. HVC #0 with r0 = hs_return_vectors → the stub installs them;
 *   4. HVC #0x5A5A → taken in HYP at hs_return_vectors+0x14, which does not ERET: it stores
 *      results[2] = HSR, results[3] = CPSR (HYP again) and returns to hs_run's caller.
 * r4–r6 carry the caller's LR and SP and the results pointer across the modes (r4–r12 are
 * shared by HYP and SVC; LR and SP are banked).
 */
    .syntax unified
    .arm
    .arch_extension virt
    .text

    .balign 32
    .global hs_stub_vectors
hs_stub_vectors:
    b       .                       @ reset (not taken in HYP)
    b       .                       @ undefined instruction in HYP
    b       .                       @ HVC/SVC in HYP
    b       .                       @ prefetch abort in HYP
    b       .                       @ data abort in HYP
    b       hs_stub_trap            @ Hyp trap: HVC from SVC
    b       .                       @ IRQ
    b       .                       @ FIQ
hs_stub_trap:
    cmp     r0, #-1
    mrceq   p15, 4, r0, c12, c0, 0  @ r0 = HVBAR
    mcrne   p15, 4, r0, c12, c0, 0  @ HVBAR = r0
    eret

    .balign 32
    .global hs_return_vectors
hs_return_vectors:
    b       .
    b       .
    b       .
    b       .
    b       .
    b       hs_back_in_hyp
    b       .
    b       .

    .global hs_run
    .type hs_run, %function
hs_run:
    push    {r4-r6, lr}
    mov     r4, lr
    mov     r5, sp
    mov     r6, r0
    sub     r1, sp, #512
    msr     SP_svc, r1              @ SVC's own stack, below ours
    mrs     r1, cpsr
    bic     r1, r1, #0x1F
    orr     r1, r1, #0x13           @ SVC
    orr     r1, r1, #0x1C0          @ A, I, F masked
    msr     spsr_cxsf, r1
    adr     r1, in_svc
    msr     ELR_hyp, r1
    eret
in_svc:
    mrs     r1, cpsr
    str     r1, [r6, #0]
    mvn     r0, #0                  @ r0 = -1: read HVBAR
    hvc     #0
    str     r0, [r6, #4]
    adr     r0, hs_return_vectors
    hvc     #0                      @ HVBAR = hs_return_vectors
    hvc     #0x5A5A                 @ back to HYP for good
    b       .                       @ not reached
hs_back_in_hyp:
    mrc     p15, 4, r1, c5, c2, 0   @ HSR
    str     r1, [r6, #8]
    mrs     r1, cpsr
    str     r1, [r6, #12]
    mov     sp, r5
    pop     {r4-r6, lr}
    bx      lr
    .size hs_run, . - hs_run
