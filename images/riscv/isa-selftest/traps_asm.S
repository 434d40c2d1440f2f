/*
 * Lower-privilege excursions for the traps group (traps.c).
 *
 * rv_run_lower(mpp, entry) enters `entry` in privilege mode mpp (0 = U, 1 = S) with MRET.
 * The code there ends with a trap that traps.c's hook turns into a return to
 * rv_lower_resume in M-mode (mepc = rv_lower_resume, MPP = M), which returns to the caller
 * with a0 as the lower code left it. The lower code keeps ra, sp and the s registers (the
 * trap frame carries every register back), and uses only a0 and t0-t2.
 *
 * Every label ending in _at marks an instruction whose address a test compares with
 * mepc/sepc. Encodings are 32-bit (norvc) so that the expected mtval values are fixed.
 */
    .option norvc
    .text

    .globl rv_run_lower
    .type rv_run_lower, @function
rv_run_lower:
    li      t0, 0x1800                  /* mstatus.MPP */
    csrc    mstatus, t0
    slli    a0, a0, 11
    csrs    mstatus, a0
    csrw    mepc, a1
    mret
    .globl rv_lower_resume
rv_lower_resume:
    ret
    .size rv_run_lower, . - rv_run_lower

/* U: ECALL (cause 8) */
    .globl u_ecall, u_ecall_at
u_ecall:
u_ecall_at:
    ecall

/* U: reading mstatus is illegal (0x30002573), then ECALL */
    .globl u_csr, u_csr_at
u_csr:
u_csr_at:
    csrr    a0, mstatus
    ecall

/* U: MRET (0x30200073) and SRET (0x10200073) are illegal, then ECALL */
    .globl u_xret, u_mret_at, u_sret_at
u_xret:
u_mret_at:
    mret
u_sret_at:
    sret
    ecall

/* S: ECALL (cause 9) */
    .globl s_ecall, s_ecall_at
s_ecall:
s_ecall_at:
    ecall

/* S: sstatus is readable (a0 = sstatus), mstatus is not (0x300022F3), then ECALL */
    .globl s_csr, s_csr_at
s_csr:
    csrr    a0, sstatus
s_csr_at:
    csrr    t0, mstatus
    ecall

/* S: SRET to U (SPP = 0, sepc = u_ecall): U's ECALL ends it */
    .globl s_to_u
s_to_u:
    la      t0, u_ecall
    csrw    sepc, t0
    li      t0, 0x100                   /* sstatus.SPP */
    csrc    sstatus, t0
    sret

/* S: SRET with mstatus.TSR = 1 is illegal (0x10200073), then ECALL */
    .globl s_sret_tsr, s_sret_tsr_at
s_sret_tsr:
s_sret_tsr_at:
    sret
    ecall

/* U with medeleg[8] = 1: ECALL goes to s_handler, which returns past it; EBREAK ends it */
    .globl u_delegated, u_delegated_ecall_at, u_delegated_ebreak_at
u_delegated:
u_delegated_ecall_at:
    ecall
u_delegated_ebreak_at:
    ebreak

/* S with medeleg[9] = 1: ECALL traps to s_handler in S itself; EBREAK ends it */
    .globl s_delegated, s_delegated_ecall_at, s_delegated_ebreak_at
s_delegated:
s_delegated_ecall_at:
    ecall
s_delegated_ebreak_at:
    ebreak

/* The S-mode trap handler (stvec, direct mode): logs scause, sepc, stval, sstatus and a
 * count in rv_s_log, steps sepc past the 4-byte ECALL and returns with SRET. */
    .balign 4
    .globl s_handler
s_handler:
    la      t1, rv_s_log
    csrr    t0, scause
    sd      t0, 0(t1)
    csrr    t0, sepc
    sd      t0, 8(t1)
    csrr    t0, stval
    sd      t0, 16(t1)
    csrr    t0, sstatus
    sd      t0, 24(t1)
    ld      t0, 32(t1)
    addi    t0, t0, 1
    sd      t0, 32(t1)
    csrr    t0, sepc
    addi    t0, t0, 4
    csrw    sepc, t0
    sret

    .bss
    .balign 8
    .globl rv_s_log
rv_s_log:
    .space 40
