/*
 * sv39: page-based virtual memory, Sv39 (Privileged spec 4.3–4.4).
 *
 * Hart 0 builds a three-level table: the gigapage at VA 0x80000000 maps RAM one to one (R W X
 * A D, not U) so that S-mode code runs; VA 0x40000000 holds the test pages below, VA
 * 0x40200000 a misaligned megapage and VA 0x40400000 a proper one. Data accesses are made from
 * M-mode with MPRV = 1 and MPP = S (sv39_asm.S); the fetch cases run in S-mode through
 * rv_run_lower (traps_asm.S). Each case checks the trap log: cause (12 instruction, 13 load,
 * 15 store/AMO page fault), mepc, and mtval = the faulting virtual address (4.1.9).
 *
 *   page 0  R W A D        loads and stores work; SFENCE.VMA makes a changed PTE visible
 *   page 1  R A            a store faults (15)
 *   page 2  V = 0          a load faults (13)
 *   page 3  R W X U A D    S may not load it unless SUM = 1 (13), nor ever execute it (12)
 *   page 4  X A            a load faults unless MXR = 1
 *   page 5  R W, A = D = 0 QEMU 7.2 and hetboot's rv64gch set A on access and D on a store
 *                          (4.3.1: the hardware-update option)
 *   page 6  W, R = 0       reserved combination: a load faults (13)
 *   page 7  R W A D, no X  an S-mode fetch faults (12)
 * and a virtual address that is not sign-extended from bit 38 faults (13, mtval = it).
 *
 * PMP entry 0 is opened over the whole address space (S accesses need a matching entry).
 * The group restores satp = 0 and SFENCE.VMAs before it returns.
 */
#include "selftest.h"

#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_U (1ul << 4)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
#define PTE(pa, flags) ((((uint64_t)(pa) >> 12) << 10) | (flags))
#define SATP_SV39 (8ul << 60)

#define TEST_VA 0x40000000ul
#define MISALIGNED_MEGA_VA 0x40200000ul
#define MEGA_VA 0x40400000ul
#define MEGA_PA 0x80600000ul     /* 2 MiB aligned, in RAM, above the image */
#define NONCANONICAL_VA 0x0000008000000000ul /* bit 39 set, bit 38 clear */
#define UPPER_HALF_VA 0xFFFFFFC000000000ul   /* canonical; VPN[2] = 256, not mapped */

#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT 13
#define CAUSE_STORE_PAGE_FAULT 15

#define MPRV_S ((1ul << 17) | (PRV_S << MSTATUS_MPP_SHIFT))
#define SUM (1ul << 18)
#define MXR (1ul << 19)

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t level1[512] __attribute__((aligned(4096)));
static uint64_t level0[512] __attribute__((aligned(4096)));
static uint64_t pages[8][512] __attribute__((aligned(4096)));

uint64_t sv_ld(uint64_t va, uint64_t bits);
void sv_sd(uint64_t va, uint64_t value, uint64_t bits);
extern char sv_ld_at[], sv_sd_at[], sv_s_ecall_at[], rv_lower_resume[];
extern void sv_s_entry(void), sv_s_ecall(void);
extern uint64_t sv_s_target;
unsigned long rv_run_lower(unsigned long mpp, void (*entry)(void));

static volatile unsigned traps;
static volatile uint64_t last_cause, last_epc, last_tval;

static bool hook(struct rt_trap_frame *f)
{
    if (f->mcause & MCAUSE_INTERRUPT)
        return false;
    traps = traps + 1;
    last_cause = f->mcause, last_epc = f->mepc, last_tval = f->mtval;
    uint64_t mpp = (f->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    if (mpp == PRV_M) {
        f->mepc += 4; /* the access in sv_ld/sv_sd (norvc) */
    } else {
        f->mepc = (uintptr_t)rv_lower_resume; /* end the S-mode excursion */
        f->mstatus |= MSTATUS_MPP;
        f->mstatus &= ~MSTATUS_MPIE;
    }
    return true;
}

static void reset(void) { traps = 0, last_cause = last_epc = last_tval = 0; }

#define ADDR(x) ((uint64_t)(uintptr_t)(x))
#define VA(page) (TEST_VA + 4096ul * (page))

/* One case: the access must not trap, got must equal expected. */
static void expect_ok(struct st_group *g, uint64_t got, uint64_t expected)
{
    const uint64_t gv[2] = {traps, got}, want[2] = {0, expected};
    st_case(g, 2, gv, want);
}

/* One case: exactly one trap with this cause, at this pc, for this address. */
static void expect_fault(struct st_group *g, uint64_t cause, uint64_t epc, uint64_t tval)
{
    const uint64_t got[4] = {traps, last_cause, last_epc, last_tval}, want[4] = {1, cause, epc, tval};
    st_case(g, 4, got, want);
}

static void build_tables(void)
{
    for (unsigned i = 0; i < 512; i++)
        root[i] = level1[i] = level0[i] = 0;
    for (unsigned p = 0; p < 8; p++)
        for (unsigned i = 0; i < 512; i++)
            pages[p][i] = 0x5100000000000000ul | ((uint64_t)p << 32) | i;
    root[2] = PTE(0x80000000ul, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    root[1] = PTE(ADDR(level1), PTE_V);
    level1[0] = PTE(ADDR(level0), PTE_V);
    /* a megapage leaf whose PPN[0] is not zero is misaligned (4.3.2 step 6) */
    level1[1] = PTE(MEGA_PA + 4096, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    level1[2] = PTE(MEGA_PA, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    level0[0] = PTE(ADDR(pages[0]), PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    level0[1] = PTE(ADDR(pages[1]), PTE_V | PTE_R | PTE_A);
    level0[2] = PTE(ADDR(pages[2]), PTE_R | PTE_W | PTE_A | PTE_D);
    level0[3] = PTE(ADDR(pages[3]), PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D);
    level0[4] = PTE(ADDR(pages[4]), PTE_V | PTE_X | PTE_A);
    level0[5] = PTE(ADDR(pages[5]), PTE_V | PTE_R | PTE_W);
    level0[6] = PTE(ADDR(pages[6]), PTE_V | PTE_W | PTE_A | PTE_D);
    level0[7] = PTE(ADDR(pages[7]), PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
}

static void data_accesses(struct st_group *g)
{
    uint64_t v;

    /* page 0: a load sees the page, a store reaches it */
    reset();
    v = sv_ld(VA(0) + 8 * 3, MPRV_S);
    expect_ok(g, v, pages[0][3]);
    reset();
    sv_sd(VA(0) + 8 * 4, 0x0123456789ABCDEFul, MPRV_S);
    expect_ok(g, pages[0][4], 0x0123456789ABCDEFul);

    /* page 1: read-only */
    reset();
    v = sv_ld(VA(1), MPRV_S);
    expect_ok(g, v, pages[1][0]);
    reset();
    sv_sd(VA(1) + 16, 1, MPRV_S);
    expect_fault(g, CAUSE_STORE_PAGE_FAULT, ADDR(sv_sd_at), VA(1) + 16);

    /* page 2: not valid */
    reset();
    sv_ld(VA(2) + 8, MPRV_S);
    expect_fault(g, CAUSE_LOAD_PAGE_FAULT, ADDR(sv_ld_at), VA(2) + 8);

    /* page 3: a U page, readable by S only with SUM */
    reset();
    sv_ld(VA(3), MPRV_S);
    expect_fault(g, CAUSE_LOAD_PAGE_FAULT, ADDR(sv_ld_at), VA(3));
    reset();
    v = sv_ld(VA(3), MPRV_S | SUM);
    expect_ok(g, v, pages[3][0]);

    /* page 4: execute-only, readable with MXR */
    reset();
    sv_ld(VA(4) + 40, MPRV_S);
    expect_fault(g, CAUSE_LOAD_PAGE_FAULT, ADDR(sv_ld_at), VA(4) + 40);
    reset();
    v = sv_ld(VA(4) + 40, MPRV_S | MXR);
    expect_ok(g, v, pages[4][5]);

    /* page 5: A and D clear; the access sets A, the store D */
    reset();
    v = sv_ld(VA(5), MPRV_S);
    expect_ok(g, v, pages[5][0]);
    st_check(g, level0[5] & (PTE_A | PTE_D), PTE_A);
    reset();
    sv_sd(VA(5) + 8, 77, MPRV_S);
    expect_ok(g, pages[5][1], 77);
    st_check(g, level0[5] & (PTE_A | PTE_D), PTE_A | PTE_D);

    /* page 6: W without R is reserved */
    reset();
    sv_ld(VA(6), MPRV_S);
    expect_fault(g, CAUSE_LOAD_PAGE_FAULT, ADDR(sv_ld_at), VA(6));

    /* megapages: a misaligned one faults, an aligned one maps 2 MiB */
    reset();
    sv_ld(MISALIGNED_MEGA_VA + 0x1008, MPRV_S);
    expect_fault(g, CAUSE_LOAD_PAGE_FAULT, ADDR(sv_ld_at), MISALIGNED_MEGA_VA + 0x1008);
    *(volatile uint64_t *)(MEGA_PA + 0x12340) = 0xFEEDFACE12345678ul;
    reset();
    v = sv_ld(MEGA_VA + 0x12340, MPRV_S);
    expect_ok(g, v, 0xFEEDFACE12345678ul);

    /* addresses must be sign-extended from bit 38 */
    reset();
    sv_ld(NONCANONICAL_VA, MPRV_S);
    expect_fault(g, CAUSE_LOAD_PAGE_FAULT, ADDR(sv_ld_at), NONCANONICAL_VA);
    reset();
    sv_ld(UPPER_HALF_VA, MPRV_S);
    expect_fault(g, CAUSE_LOAD_PAGE_FAULT, ADDR(sv_ld_at), UPPER_HALF_VA);

    /* SFENCE.VMA: after pointing page 0's PTE at page 7, a fenced load sees page 7 */
    level0[0] = PTE(ADDR(pages[7]), PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    __asm__ volatile("sfence.vma" ::: "memory");
    reset();
    v = sv_ld(VA(0) + 8, MPRV_S);
    expect_ok(g, v, pages[7][1]);
    level0[0] = PTE(ADDR(pages[0]), PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    __asm__ volatile("sfence.vma" ::: "memory");
}

static void fetches(struct st_group *g)
{
    /* S-mode fetches through the identity gigapage, then reaches ECALL (cause 9) */
    sv_s_target = ADDR(sv_s_ecall);
    reset();
    rv_run_lower(PRV_S, sv_s_entry);
    expect_fault(g, CAUSE_SUPERVISOR_ECALL, ADDR(sv_s_ecall_at), 0);

    /* page 7 is not executable: instruction page fault, mepc = mtval = the target */
    sv_s_target = VA(7) + 0x80;
    reset();
    rv_run_lower(PRV_S, sv_s_entry);
    expect_fault(g, CAUSE_FETCH_PAGE_FAULT, VA(7) + 0x80, VA(7) + 0x80);

    /* page 3 is executable but U: S may never execute it, SUM or not (4.3.1) */
    sv_s_target = VA(3);
    rt_csr_set(mstatus, SUM);
    reset();
    rv_run_lower(PRV_S, sv_s_entry);
    rt_csr_clear(mstatus, SUM);
    expect_fault(g, CAUSE_FETCH_PAGE_FAULT, VA(3), VA(3));
}

bool group_sv39(void)
{
    struct st_group g;
    st_begin(&g, "sv39");
    if (!(rt_csr_read(misa) & (1ul << ('S' - 'A')))) {
        rt_printf("sv39: skipped (no S-mode)\n");
        return true;
    }
    rt_csr_write(pmpaddr0, ~0ul);
    rt_csr_write(pmpcfg0, 0x1Ful);
    build_tables();
    rt_set_trap_hook(hook);
    rt_csr_write(satp, SATP_SV39 | (ADDR(root) >> 12));
    __asm__ volatile("sfence.vma" ::: "memory");
    data_accesses(&g);
    fetches(&g);
    rt_csr_write(satp, 0);
    __asm__ volatile("sfence.vma" ::: "memory");
    rt_set_trap_hook(0);
    return st_end(&g);
}
