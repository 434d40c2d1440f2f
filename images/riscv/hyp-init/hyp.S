/*
 * The HS-mode and VS-mode halves of hyp-init (see hyp-init.c), in the order they run:
 *
 *   hyp_run(ctx)   M-mode: saves the callee-saved registers and sp in ctx, MRET to HS-mode
 *                  (MPP = S, MPV = 0).
 *   hs_entry       HS-mode, as KVM enters a guest (arch/riscv/kvm/vcpu_switch.S
 *                  __kvm_riscv_switch_to): stvec = hs_trap, hstatus.SPV = 1 and SPVP = 1,
 *                  sstatus.SPP = 1, sepc = guest_entry, vsatp = 0 (Bare: GPA = guest VA),
 *                  hgatp = ctx->hgatp, HFENCE.GVMA, SRET → VS-mode.
 *   guest_entry    VS-mode: ECALL (cause 10, ecall from VS, to HS) with a7 = "HYPE", then a
 *                  load from ctx->fault_gpa, which the G-stage does not map: load guest-page
 *                  fault (cause 21) to HS.
 *   hs_trap        HS-mode: cause 10 → record scause, a7 and hstatus, step sepc over the
 *                  ECALL, SRET back into the guest; anything else → record scause, stval,
 *                  htval, htinst, hstatus and sepc, then ECALL from HS (cause 9, not delegated)
 *                  to M-mode, where the image's trap hook resumes at hyp_return.
 *   hyp_return     M-mode, a0 = ctx: restores the registers and returns from hyp_run.
 *
 * Only t0–t2 and a7 are used between hs_entry and hyp_return; no stack is needed there.
 */
#define CTX_SP 0
#define CTX_RA 8
#define CTX_S0 16               /* s0..s11: 16 .. 104 */
#define CTX_HGATP 112
#define CTX_FAULT_GPA 120
#define CTX_ECALL_CAUSE 128
#define CTX_ECALL_A7 136
#define CTX_ECALL_HSTATUS 144
#define CTX_FAULT_CAUSE 152
#define CTX_FAULT_STVAL 160
#define CTX_FAULT_HTVAL 168
#define CTX_FAULT_HTINST 176
#define CTX_FAULT_HSTATUS 184
#define CTX_FAULT_SEPC 192

#define HSTATUS_SPV (1 << 7)
#define HSTATUS_SPVP (1 << 8)
#define SSTATUS_SPP (1 << 8)
#define GUEST_MAGIC 0x48595045  /* "HYPE" */

    .text
    .balign 4
    .globl hyp_run
    .type hyp_run, @function
hyp_run:
    sd      sp, CTX_SP(a0)
    sd      ra, CTX_RA(a0)
    sd      s0, CTX_S0 + 0(a0)
    sd      s1, CTX_S0 + 8(a0)
    sd      s2, CTX_S0 + 16(a0)
    sd      s3, CTX_S0 + 24(a0)
    sd      s4, CTX_S0 + 32(a0)
    sd      s5, CTX_S0 + 40(a0)
    sd      s6, CTX_S0 + 48(a0)
    sd      s7, CTX_S0 + 56(a0)
    sd      s8, CTX_S0 + 64(a0)
    sd      s9, CTX_S0 + 72(a0)
    sd      s10, CTX_S0 + 80(a0)
    sd      s11, CTX_S0 + 88(a0)
    la      t0, hs_entry
    csrw    mepc, t0
    li      t0, 3 << 11                 /* MPP */
    csrc    mstatus, t0
    li      t0, 1 << 11                 /* MPP = S */
    csrs    mstatus, t0
    li      t0, 1
    slli    t0, t0, 39                  /* MPV = 0: enter HS-mode, not VS */
    csrc    mstatus, t0
    mret
    .size hyp_run, . - hyp_run

    .balign 4
hs_entry:
    la      t0, hs_trap
    csrw    stvec, t0
    csrw    sscratch, a0
    li      t0, HSTATUS_SPV | HSTATUS_SPVP
    csrs    hstatus, t0
    li      t0, SSTATUS_SPP
    csrs    sstatus, t0
    la      t0, guest_entry
    csrw    sepc, t0
    csrw    vsatp, zero
    ld      t0, CTX_HGATP(a0)
    csrw    hgatp, t0
    hfence.gvma zero, zero
    ld      a0, CTX_FAULT_GPA(a0)       /* the guest's argument */
    sret

    .balign 4
guest_entry:
    li      a7, GUEST_MAGIC
    ecall
    ld      t1, 0(a0)                   /* unmapped at the G-stage: guest-page fault */
1:  j       1b

    .balign 4
hs_trap:
    csrr    t2, sscratch
    csrr    t0, scause
    li      t1, 10
    bne     t0, t1, 2f
    sd      t0, CTX_ECALL_CAUSE(t2)
    sd      a7, CTX_ECALL_A7(t2)
    csrr    t1, hstatus
    sd      t1, CTX_ECALL_HSTATUS(t2)
    csrr    t1, sepc
    addi    t1, t1, 4
    csrw    sepc, t1
    sret
2:  sd      t0, CTX_FAULT_CAUSE(t2)
    csrr    t1, stval
    sd      t1, CTX_FAULT_STVAL(t2)
    csrr    t1, htval
    sd      t1, CTX_FAULT_HTVAL(t2)
    csrr    t1, htinst
    sd      t1, CTX_FAULT_HTINST(t2)
    csrr    t1, hstatus
    sd      t1, CTX_FAULT_HSTATUS(t2)
    csrr    t1, sepc
    sd      t1, CTX_FAULT_SEPC(t2)
    mv      a0, t2
    ecall                               /* to M-mode: hyp_return */
3:  j       3b

    .balign 4
    .globl hyp_return
    .type hyp_return, @function
hyp_return:
    ld      sp, CTX_SP(a0)
    ld      ra, CTX_RA(a0)
    ld      s0, CTX_S0 + 0(a0)
    ld      s1, CTX_S0 + 8(a0)
    ld      s2, CTX_S0 + 16(a0)
    ld      s3, CTX_S0 + 24(a0)
    ld      s4, CTX_S0 + 32(a0)
    ld      s5, CTX_S0 + 40(a0)
    ld      s6, CTX_S0 + 48(a0)
    ld      s7, CTX_S0 + 56(a0)
    ld      s8, CTX_S0 + 64(a0)
    ld      s9, CTX_S0 + 72(a0)
    ld      s10, CTX_S0 + 80(a0)
    ld      s11, CTX_S0 + 88(a0)
    ret
    .size hyp_return, . - hyp_return
