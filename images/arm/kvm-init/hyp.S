/*
 * The assembly of the KVM/ARM 3.x hyp-init images, written from what Linux 3.9-3.13 does
 * (arch/arm/kernel/head.S + hyp-stub.S for the boot side, arch/arm/kvm/init.S and
 * interrupts.S for KVM), in our own words:
 *
 *  - kernel_enter_svc: Linux's safe_svcmode_maskall for a CPU that entered in HYP (after
 *    __hyp_stub_install): SPSR_hyp = SVC with A/I/F masked, ELR_hyp = the return address,
 *    ERET. SP_svc is set to the current SP so the C caller continues on the same stack.
 *  - __kvm_hyp_init: the init vector table. Only the Hyp-trap slot (+0x14, HVC from SVC) does
 *    anything: it branches to __do_hyp_init; every other slot branches to itself (as Linux's).
 *    __do_hyp_init takes r0:r1 = HTTBR, r2 = Hyp stack top, r3 = runtime vectors:
 *    HTTBR, HTCR (T0SZ 0 + TTBCR's IRGN0/ORGN0/SH0), VTCR, HMAIR0/1 = MAIR0/1, ISB, HSCTLR =
 *    (HSCTLR & ~HSCTLR_MASK) | (SCTLR & (EE|FI|I|C)) | M | A, ISB, SP_hyp, HVBAR, ERET.
 *    Both live in their own page, .text.hyp_idmap (Linux's .hyp.idmap.text): the page the
 *    HSCTLR.M write executes from, which the Hyp tables must map at its own address.
 *  - __kvm_hyp_vector: the runtime vectors installed by __do_hyp_init. Its Hyp-trap slot is
 *    kvm_call_hyp's other end: r0 = a function to run in Hyp, r1-r3 its arguments; the result
 *    comes back in r0. Unexpected exceptions in Hyp clear HSCTLR.M (everything is identity
 *    mapped, so the next fetch is the same address) and continue in the runtime's reporting
 *    vectors.
 */
    .syntax unified
    .arm
    .arch_extension virt
    .arch_extension sec

#define HSCTLR_M    (1 << 0)
#define HSCTLR_A    (1 << 1)
#define HSCTLR_C    (1 << 2)
#define HSCTLR_I    (1 << 12)
#define HSCTLR_WXN  (1 << 19)
#define HSCTLR_FI   (1 << 21)
#define HSCTLR_EE   (1 << 25)
#define HSCTLR_TE   (1 << 30)
#define HSCTLR_MASK (HSCTLR_M | HSCTLR_A | HSCTLR_C | HSCTLR_I | HSCTLR_WXN | HSCTLR_FI | HSCTLR_EE | HSCTLR_TE)
#define TTBCR_IRGN0_ORGN0_SH0 0x3F00    /* [9:8] IRGN0, [11:10] ORGN0, [13:12] SH0 */
#define HTCR_MASK   (0x7 | TTBCR_IRGN0_ORGN0_SH0)   /* T0SZ[2:0] and the same three fields */
/* VTCR as KVM sets it for a 40-bit IPA space: T0SZ = -8 (0b1000) with S = 1, SL0 = 1 (start
 * at level 1), inner/outer write-back write-allocate, inner shareable. */
#define VTCR_GUEST  ((3 << 12) | (1 << 10) | (1 << 8) | (1 << 6) | (1 << 4) | 8)

    .text

    /* void kernel_enter_svc(void): called in HYP, returns in SVC (A/I/F masked). */
    .global kernel_enter_svc
    .type kernel_enter_svc, %function
kernel_enter_svc:
    mov     r0, sp
    msr     SP_svc, r0
    mrs     r0, cpsr
    bic     r0, r0, #0x1F
    orr     r0, r0, #0x13               @ SVC
    orr     r0, r0, #0x1C0              @ A, I, F masked
    msr     spsr_cxsf, r0
    msr     ELR_hyp, lr
    eret
    .size kernel_enter_svc, . - kernel_enter_svc

    /* uint32_t kvm_call_hyp(void *fn_or_pgd_low, uint32_t a1, uint32_t a2, uint32_t a3):
     * hvc #0 from SVC. Whatever HVBAR holds decides what it means: the hyp stub (r0 = -1:
     * get HVBAR, else set it), __kvm_hyp_init (r0:r1 = HTTBR, r2 = stack, r3 = vectors) or
     * __kvm_hyp_vector (r0 = function, r1-r3 = arguments). */
    .global kvm_call_hyp
    .type kvm_call_hyp, %function
kvm_call_hyp:
    hvc     #0
    bx      lr
    .size kvm_call_hyp, . - kvm_call_hyp

    /* The init code, alone in its page. */
    .section .text.hyp_idmap, "ax", %progbits
    .balign 4096
    .global __hyp_idmap_text_start
__hyp_idmap_text_start:
    .global __kvm_hyp_init
    .type __kvm_hyp_init, %function
__kvm_hyp_init:
    b       .                           @ reset
    b       .                           @ undefined instruction
    b       .                           @ SVC/HVC in Hyp
    b       .                           @ prefetch abort in Hyp
    b       .                           @ data abort in Hyp
    b       __do_hyp_init               @ Hyp trap: hvc #0 from SVC
    b       .                           @ IRQ
    b       .                           @ FIQ
    .size __kvm_hyp_init, . - __kvm_hyp_init

    .global __do_hyp_init
    .type __do_hyp_init, %function
__do_hyp_init:
    mcrr    p15, 4, r0, r1, c2          @ HTTBR = r0:r1

    mrc     p15, 0, r0, c2, c0, 2       @ TTBCR
    ldr     r12, =TTBCR_IRGN0_ORGN0_SH0
    and     r0, r0, r12
    mrc     p15, 4, r1, c2, c0, 2       @ HTCR
    ldr     r12, =HTCR_MASK
    bic     r1, r1, r12                 @ T0SZ = 0: the whole 32-bit VA space
    orr     r1, r1, r0
    mcr     p15, 4, r1, c2, c0, 2       @ HTCR

    ldr     r0, =VTCR_GUEST
    mcr     p15, 4, r0, c2, c1, 2       @ VTCR

    mrc     p15, 0, r0, c10, c2, 0      @ MAIR0
    mcr     p15, 4, r0, c10, c2, 0      @ HMAIR0
    mrc     p15, 0, r0, c10, c2, 1      @ MAIR1
    mcr     p15, 4, r0, c10, c2, 1      @ HMAIR1
    isb

    mrc     p15, 0, r0, c1, c0, 0       @ SCTLR
    ldr     r12, =(HSCTLR_EE | HSCTLR_FI | HSCTLR_I | HSCTLR_C)
    and     r0, r0, r12
    mrc     p15, 4, r1, c1, c0, 0       @ HSCTLR
    ldr     r12, =HSCTLR_MASK
    bic     r1, r1, r12
    orr     r1, r1, r0
    orr     r1, r1, #(HSCTLR_M | HSCTLR_A)
    .global __do_hyp_init_hsctlr_write
__do_hyp_init_hsctlr_write:
    mcr     p15, 4, r1, c1, c0, 0       @ HSCTLR: the Hyp MMU is on from here
    isb

    mov     sp, r2                      @ SP_hyp = this CPU's Hyp stack
    mcr     p15, 4, r3, c12, c0, 0      @ HVBAR = the runtime vectors
    isb
    eret
    .ltorg
    .size __do_hyp_init, . - __do_hyp_init
    .balign 4096
    .global __hyp_idmap_text_end
__hyp_idmap_text_end:

    .text
    .balign 32
    .global __kvm_hyp_vector
    .type __kvm_hyp_vector, %function
__kvm_hyp_vector:
    b       hyp_unexpected_reset
    b       hyp_unexpected_undef
    b       hyp_unexpected_svc
    b       hyp_unexpected_pabt
    b       hyp_unexpected_dabt
    b       hyp_hvc
    b       hyp_unexpected_irq
    b       hyp_unexpected_fiq
    .size __kvm_hyp_vector, . - __kvm_hyp_vector

    /* kvm_call_hyp's other end: r0 = function, r1-r3 = its arguments. LR (shared with
     * User/System) is the only register the call clobbers that the host may rely on. */
hyp_hvc:
    push    {lr}
    mov     lr, r0
    mov     r0, r1
    mov     r1, r2
    mov     r2, r3
    blx     lr
    pop     {lr}
    eret

    .macro HYP_UNEXPECTED name, offset
hyp_unexpected_\name:
    push    {r0}
    mrc     p15, 4, r0, c1, c0, 0
    bic     r0, r0, #HSCTLR_M
    mcr     p15, 4, r0, c1, c0, 0
    isb
    pop     {r0}
    b       rt_hyp_vectors + \offset
    .endm
    HYP_UNEXPECTED reset, 0x00
    HYP_UNEXPECTED undef, 0x04
    HYP_UNEXPECTED svc, 0x08
    HYP_UNEXPECTED pabt, 0x0C
    HYP_UNEXPECTED dabt, 0x10
    HYP_UNEXPECTED irq, 0x18
    HYP_UNEXPECTED fiq, 0x1C

    /* Functions run in Hyp through kvm_call_hyp. */
    .global __kvm_read_hsctlr
__kvm_read_hsctlr:
    mrc     p15, 4, r0, c1, c0, 0
    bx      lr

    .global __kvm_read_cpsr
__kvm_read_cpsr:
    mrs     r0, cpsr
    bx      lr
