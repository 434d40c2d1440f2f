/*
 * traps: synchronous exceptions and privilege changes (Privileged spec 3.1.6, 3.1.15-3.1.17,
 * 3.3.1-3.3.2, 3.7, and 4.1 for the S-mode CSRs).
 *
 * A trap into M-mode sets mcause (Table 3.6), mepc = the trapping instruction, mtval (0 for
 * ECALL; the address for misaligned and access faults; the instruction bits for an illegal
 * instruction: optional in the spec, done by QEMU 7.2), MPP = the previous mode, MPIE = the
 * old MIE, MIE = 0. ECALL gives cause 8/9/11 by mode, EBREAK and C.EBREAK 3. MRET to U/S
 * and SRET to U; U cannot touch M CSRs or execute MRET/SRET; S cannot execute SRET when
 * mstatus.TSR = 1. medeleg sends an exception from U or S to S-mode (stvec, scause, sepc,
 * stval, sstatus.SPP); a trap never goes to a less privileged mode, so M's own exceptions
 * stay in M whatever medeleg says.
 *
 * Exceptions are taken by a hook (rt_set_trap_hook) that logs them and either steps past
 * the instruction, returns to M from a lower-mode excursion (traps_asm.S), or, for the
 * fetch fault, returns to ra. PMP entry 0 is opened (NAPOT, RWX, whole address space) for
 * S and U: with PMP implemented and no entry matching, their accesses would fail (3.7.1).
 *
 * Not tested, because the spec leaves them open: mtval after EBREAK (QEMU 7.2 writes 0,
 * later versions the pc), plain misaligned loads and stores (QEMU 7.2 performs them: the
 * loadstore group expects that), and misaligned AMOs and SCs: the spec wants an
 * address-misaligned or access fault, QEMU 7.2 raises cause 4 (load) for an AMO and
 * nothing for an SC without a reservation, so neither agrees with the store/AMO cause 6.
 * Misaligned LR.W/LR.D (cause 4) are tested.
 */
#include "selftest.h"

struct trap_log {
    uint64_t cause, epc, tval, mpp, mpie;
};
#define LOG_SIZE 8
static struct trap_log trap_log[LOG_SIZE];
static volatile unsigned trap_count;
/* what the hook does with an exception from M-mode: step past it, or return to ra */
static volatile bool m_return_to_ra;
/* causes (bit mask) that end a lower-mode excursion; the others are stepped over */
static volatile uint64_t end_causes;

extern char rv_lower_resume[];
extern uint64_t rv_s_log[5]; /* scause, sepc, stval, sstatus, count */
unsigned long rv_run_lower(unsigned long mpp, void (*entry)(void));
extern void u_ecall(void), u_csr(void), u_xret(void), s_ecall(void), s_csr(void), s_to_u(void),
    s_sret_tsr(void), u_delegated(void), s_delegated(void), s_handler(void);
extern char u_ecall_at[], u_csr_at[], u_mret_at[], u_sret_at[], s_ecall_at[], s_csr_at[],
    s_sret_tsr_at[], u_delegated_ecall_at[], u_delegated_ebreak_at[], s_delegated_ecall_at[],
    s_delegated_ebreak_at[];

static bool hook(struct rt_trap_frame *f)
{
    if (f->mcause & MCAUSE_INTERRUPT)
        return false;
    unsigned n = trap_count;
    uint64_t mpp = (f->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    if (n < LOG_SIZE) {
        trap_log[n].cause = f->mcause;
        trap_log[n].epc = f->mepc;
        trap_log[n].tval = f->mtval;
        trap_log[n].mpp = mpp;
        trap_log[n].mpie = (f->mstatus & MSTATUS_MPIE) ? 1 : 0;
    }
    trap_count = n + 1;
    if (mpp != PRV_M && f->mcause < 64 && (end_causes & (1ul << f->mcause))) {
        f->mepc = (uintptr_t)rv_lower_resume;
        f->mstatus |= MSTATUS_MPP;   /* back to M ... */
        f->mstatus &= ~MSTATUS_MPIE; /* ... with MIE = 0, as M-mode had it before */
    } else if (mpp == PRV_M && m_return_to_ra) {
        f->mepc = f->x[1];
    } else {
        f->mepc += rt_insn_length(f->mepc);
    }
    return true;
}

static void reset_log(void)
{
    trap_count = 0;
    for (unsigned i = 0; i < LOG_SIZE; i++)
        trap_log[i] = (struct trap_log){0, 0, 0, 0, 0};
}

/* Compares the log with n expected {cause, epc, tval} entries (and the count). */
static void expect_log(struct st_group *g, unsigned n, const uint64_t (*exp)[3])
{
    uint64_t got[1 + 3 * 3], want[1 + 3 * 3];
    unsigned k = 0;
    got[k] = trap_count;
    want[k++] = n;
    for (unsigned i = 0; i < n && i < 3; i++) {
        got[k] = trap_log[i].cause, want[k++] = exp[i][0];
        got[k] = trap_log[i].epc, want[k++] = exp[i][1];
        got[k] = trap_log[i].tval, want[k++] = exp[i][2];
    }
    st_case(g, k, got, want);
}

#define ADDR(x) ((uint64_t)(uintptr_t)(x))
#define UNMAPPED 0x01000000ul /* a hole in QEMU's and hetboot's virt memory map */

static void machine_mode(struct st_group *g)
{
    uint64_t at, s;

    /* ECALL from M: cause 11, mtval 0, MPP = M, MPIE = old MIE (0) */
    reset_log();
    __asm__ volatile(RV_NORVC("lla %[at], 1f\n1:\tecall") : [at] "=&r"(at) : : "memory");
    {
        const uint64_t exp[1][3] = {{CAUSE_MACHINE_ECALL, at, 0}};
        expect_log(g, 1, exp);
        const uint64_t got[2] = {trap_log[0].mpp, trap_log[0].mpie}, want[2] = {PRV_M, 0};
        st_case(g, 2, got, want);
    }
    /* EBREAK and C.EBREAK: cause 3; after C.EBREAK the next instruction is 2 bytes on */
    reset_log();
    __asm__ volatile(RV_NORVC("lla %[at], 1f\n1:\tebreak") : [at] "=&r"(at) : : "memory");
    st_check(g, trap_count == 1 && trap_log[0].cause == CAUSE_BREAKPOINT && trap_log[0].epc == at, 1);
    reset_log();
    __asm__ volatile("li %[s], 0\n\tlla %[at], 1f\n1:\tc.ebreak\n\tc.li %[s], 1"
                     : [at] "=&r"(at), [s] "=&r"(s)
                     :
                     : "memory");
    {
        const uint64_t got[4] = {trap_count, trap_log[0].cause, trap_log[0].epc, s},
                       want[4] = {1, CAUSE_BREAKPOINT, at, 1};
        st_case(g, 4, got, want);
    }
    /* illegal instructions: mtval = the instruction bits (16-bit ones zero-extended) */
    static const uint32_t illegal[] = {
        0xC0001073u, /* UNIMP = csrrw x0, cycle, x0: a write to a read-only CSR */
        0xF1129073u, /* csrrw x0, mvendorid, t0: likewise */
        0x7C002573u, /* csrr a0, 0x7C0: a CSR number nothing implements */
        0x0000000Bu, /* custom-0 opcode, no custom extension here */
    };
    for (unsigned i = 0; i < 4; i++) {
        reset_log();
        switch (i) {
        case 0: __asm__ volatile("lla %[at], 1f\n1:\t.word 0xC0001073" : [at] "=&r"(at) : : "memory"); break;
        case 1: __asm__ volatile("lla %[at], 1f\n1:\t.word 0xF1129073" : [at] "=&r"(at) : : "memory"); break;
        case 2: __asm__ volatile("lla %[at], 1f\n1:\t.word 0x7C002573" : [at] "=&r"(at) : : "a0", "memory"); break;
        default: __asm__ volatile("lla %[at], 1f\n1:\t.word 0x0000000B" : [at] "=&r"(at) : : "memory"); break;
        }
        const uint64_t exp[1][3] = {{CAUSE_ILLEGAL_INSTRUCTION, at, illegal[i]}};
        expect_log(g, 1, exp);
    }
    /* the all-zero 16-bit encoding is defined illegal; the step past it is 2 bytes */
    reset_log();
    __asm__ volatile("li %[s], 0\n\tlla %[at], 1f\n1:\t.half 0\n\tc.li %[s], 1"
                     : [at] "=&r"(at), [s] "=&r"(s)
                     :
                     : "memory");
    {
        const uint64_t exp[1][3] = {{CAUSE_ILLEGAL_INSTRUCTION, at, 0}};
        expect_log(g, 1, exp);
        st_check(g, s, 1);
    }
    /* medeleg does not apply to M: with medeleg[2] = 1 M's illegal instruction stays in M */
    rt_csr_write(medeleg, 1ul << CAUSE_ILLEGAL_INSTRUCTION);
    reset_log();
    __asm__ volatile("lla %[at], 1f\n1:\t.word 0xC0001073" : [at] "=&r"(at) : : "memory");
    rt_csr_write(medeleg, 0);
    {
        const uint64_t exp[1][3] = {{CAUSE_ILLEGAL_INSTRUCTION, at, 0xC0001073u}};
        expect_log(g, 1, exp);
    }

    /* misaligned LR: cause 4, mtval = the address */
    static volatile uint64_t words[2] __attribute__((aligned(16)));
    uint64_t v;
    reset_log();
    __asm__ volatile("lla %[at], 1f\n1:\tlr.w %[v], (%[a])" : [at] "=&r"(at), [v] "=&r"(v) : [a] "r"((uintptr_t)words + 2) : "memory");
    {
        const uint64_t exp[1][3] = {{CAUSE_MISALIGNED_LOAD, at, ADDR(words) + 2}};
        expect_log(g, 1, exp);
    }
    reset_log();
    __asm__ volatile("lla %[at], 1f\n1:\tlr.d %[v], (%[a])" : [at] "=&r"(at), [v] "=&r"(v) : [a] "r"((uintptr_t)words + 4) : "memory");
    {
        const uint64_t exp[1][3] = {{CAUSE_MISALIGNED_LOAD, at, ADDR(words) + 4}};
        expect_log(g, 1, exp);
    }

    /* access faults on a hole in the memory map: load 5, store 7, fetch 1 */
    reset_log();
    __asm__ volatile(RV_NORVC("lla %[at], 1f\n1:\tld %[v], 8(%[a])") : [at] "=&r"(at), [v] "=&r"(v) : [a] "r"(UNMAPPED) : "memory");
    {
        const uint64_t exp[1][3] = {{CAUSE_LOAD_ACCESS, at, UNMAPPED + 8}};
        expect_log(g, 1, exp);
    }
    reset_log();
    __asm__ volatile(RV_NORVC("lla %[at], 1f\n1:\tsw zero, -4(%[a])") : [at] "=&r"(at) : [a] "r"(UNMAPPED) : "memory");
    {
        const uint64_t exp[1][3] = {{CAUSE_STORE_ACCESS, at, UNMAPPED - 4}};
        expect_log(g, 1, exp);
    }
    reset_log();
    m_return_to_ra = true;
    __asm__ volatile(RV_NORVC("li %[s], 0\n\tjalr ra, 0(%[a])\n\tli %[s], 1")
                     : [s] "=&r"(s)
                     : [a] "r"(UNMAPPED)
                     : "ra", "memory");
    m_return_to_ra = false;
    {
        const uint64_t exp[1][3] = {{CAUSE_FETCH_ACCESS, UNMAPPED, UNMAPPED}};
        expect_log(g, 1, exp);
        st_check(g, s, 1);
    }
}

static void lower_modes(struct st_group *g)
{
    /* PMP entry 0: NAPOT over the whole address space, R W X (pmpcfg A = 3) */
    rt_csr_write(pmpaddr0, ~0ul);
    rt_csr_write(pmpcfg0, 0x1Ful);
    end_causes = (1ul << CAUSE_USER_ECALL) | (1ul << CAUSE_SUPERVISOR_ECALL) |
                 (1ul << CAUSE_BREAKPOINT);

    /* U: ECALL → cause 8, MPP = U */
    reset_log();
    rv_run_lower(PRV_U, u_ecall);
    {
        const uint64_t exp[1][3] = {{CAUSE_USER_ECALL, ADDR(u_ecall_at), 0}};
        expect_log(g, 1, exp);
        st_check(g, trap_log[0].mpp, PRV_U);
    }
    /* U: M CSR access, MRET, SRET are illegal */
    reset_log();
    rv_run_lower(PRV_U, u_csr);
    {
        const uint64_t exp[2][3] = {{CAUSE_ILLEGAL_INSTRUCTION, ADDR(u_csr_at), 0x30002573u},
                                    {CAUSE_USER_ECALL, ADDR(u_csr_at) + 4, 0}};
        expect_log(g, 2, exp);
    }
    reset_log();
    rv_run_lower(PRV_U, u_xret);
    {
        const uint64_t exp[3][3] = {{CAUSE_ILLEGAL_INSTRUCTION, ADDR(u_mret_at), 0x30200073u},
                                    {CAUSE_ILLEGAL_INSTRUCTION, ADDR(u_sret_at), 0x10200073u},
                                    {CAUSE_USER_ECALL, ADDR(u_sret_at) + 4, 0}};
        expect_log(g, 3, exp);
    }
    /* S: ECALL → cause 9, MPP = S */
    reset_log();
    rv_run_lower(PRV_S, s_ecall);
    {
        const uint64_t exp[1][3] = {{CAUSE_SUPERVISOR_ECALL, ADDR(s_ecall_at), 0}};
        expect_log(g, 1, exp);
        st_check(g, trap_log[0].mpp, PRV_S);
    }
    /* S: sstatus readable (SIE = 0, SPP unchanged = whatever; check UXL = 2 through it),
     * mstatus illegal */
    reset_log();
    uint64_t sstatus = rv_run_lower(PRV_S, s_csr);
    {
        const uint64_t exp[2][3] = {{CAUSE_ILLEGAL_INSTRUCTION, ADDR(s_csr_at), 0x300022F3u},
                                    {CAUSE_SUPERVISOR_ECALL, ADDR(s_csr_at) + 4, 0}};
        expect_log(g, 2, exp);
        st_check(g, sstatus & (MSTATUS_UXL | MSTATUS_MIE | MSTATUS_MPP), 2ul << 32);
    }
    /* S: SRET to U */
    reset_log();
    rv_run_lower(PRV_S, s_to_u);
    {
        const uint64_t exp[1][3] = {{CAUSE_USER_ECALL, ADDR(u_ecall_at), 0}};
        expect_log(g, 1, exp);
    }
    /* S: SRET with TSR = 1 */
    rt_csr_set(mstatus, MSTATUS_TSR);
    reset_log();
    rv_run_lower(PRV_S, s_sret_tsr);
    rt_csr_clear(mstatus, MSTATUS_TSR);
    {
        const uint64_t exp[2][3] = {{CAUSE_ILLEGAL_INSTRUCTION, ADDR(s_sret_tsr_at), 0x10200073u},
                                    {CAUSE_SUPERVISOR_ECALL, ADDR(s_sret_tsr_at) + 4, 0}};
        expect_log(g, 2, exp);
    }

    /* delegation: medeleg[8] sends U's ECALL to S (stvec); M sees only the EBREAK */
    rt_csr_write(stvec, (uintptr_t)s_handler);
    rt_csr_write(medeleg, 1ul << CAUSE_USER_ECALL);
    for (unsigned i = 0; i < 5; i++)
        rv_s_log[i] = 0;
    reset_log();
    rv_run_lower(PRV_U, u_delegated);
    {
        const uint64_t got[5] = {rv_s_log[4], rv_s_log[0], rv_s_log[1], rv_s_log[2], rv_s_log[3] & MSTATUS_SPP};
        const uint64_t want[5] = {1, CAUSE_USER_ECALL, ADDR(u_delegated_ecall_at), 0, 0};
        st_case(g, 5, got, want);
        const uint64_t exp[1][3] = {{CAUSE_BREAKPOINT, ADDR(u_delegated_ebreak_at), trap_log[0].tval}};
        expect_log(g, 1, exp);
        st_check(g, trap_log[0].mpp, PRV_U);
    }
    /* medeleg[9]: S's own ECALL traps to S (SPP = S) */
    rt_csr_write(medeleg, 1ul << CAUSE_SUPERVISOR_ECALL);
    for (unsigned i = 0; i < 5; i++)
        rv_s_log[i] = 0;
    reset_log();
    rv_run_lower(PRV_S, s_delegated);
    rt_csr_write(medeleg, 0);
    {
        const uint64_t got[5] = {rv_s_log[4], rv_s_log[0], rv_s_log[1], rv_s_log[2], rv_s_log[3] & MSTATUS_SPP};
        const uint64_t want[5] = {1, CAUSE_SUPERVISOR_ECALL, ADDR(s_delegated_ecall_at), 0, MSTATUS_SPP};
        st_case(g, 5, got, want);
        const uint64_t exp[1][3] = {{CAUSE_BREAKPOINT, ADDR(s_delegated_ebreak_at), trap_log[0].tval}};
        expect_log(g, 1, exp);
        st_check(g, trap_log[0].mpp, PRV_S);
    }
    end_causes = 0;
}

bool group_traps(void)
{
    struct st_group g;
    st_begin(&g, "traps");
    rt_set_trap_hook(hook);
    machine_mode(&g);
    lower_modes(&g);
    rt_set_trap_hook(0);
    return st_end(&g);
}
