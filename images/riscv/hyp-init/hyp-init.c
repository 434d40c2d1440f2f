/*
 * hyp-init: on every hart, what Linux KVM RISC-V does when it initialises, then a round trip
 * through a VS-mode guest. One verdict line per hart, in mhartid order (hart 0 prints them
 * all once every hart has finished), then a summary naming the harts without H:
 *
 *   hart 0: H present, G-stage Sv57x4, VMID bits 14, guest ecall ok, guest-page fault htval ok
 *   hart 2: no H extension
 *   hyp-init: harts without H: 2 3          (or "none")
 *   hyp-init: every hart with H passed      (or "hyp-init: FAILED on harts …")
 *
 * The exit status is pass when every hart with H passed (harts without H are reported, not
 * failed: on a mixed machine the user learns which harts a hypervisor must avoid).
 *
 * A hart without H (misa bit 7 clear): reading hgatp must be an illegal instruction
 * (privileged spec v1.12 chapter 8: the H CSRs exist only with H); otherwise the verdict
 * says so and fails.
 *
 * A hart with H, as Linux (arch/riscv/kvm/main.c, mmu.c, vmid.c; v6.1):
 *  1. G-stage mode (mmu.c kvm_riscv_gstage_mode_detect): write hgatp.MODE = Sv57x4 (10) and
 *     read it back; if it stuck, Sv57x4; else the same with Sv48x4 (9); else Sv39x4 (8).
 *     Then hgatp = 0 and HFENCE.GVMA.
 *  2. VMID bits (vmid.c kvm_riscv_gstage_vmid_detect): write all ones to hgatp.VMID
 *     ([57:44]), read back, count the bits (fls), restore hgatp, HFENCE.GVMA.
 *  3. Per-hart enable (main.c kvm_arch_hardware_enable): hedeleg = instruction misaligned,
 *     breakpoint, ecall from U, instruction/load/store page faults (0xB109); hideleg = VSSI,
 *     VSTI, VSEI (0x444); hcounteren = 0x2 (the time counter only); hvip = 0.
 *  4. What OpenSBI does for an HS-mode payload (lib/sbi/sbi_hart.c delegate_traps): medeleg
 *     hands ecall from VS (10), the guest-page faults (20, 21, 23) and the virtual instruction
 *     (22) to HS-mode; PMP entry 0 opens all memory to S and U.
 *  5. A G-stage table in the detected mode mapping guest physical 0x80000000–0xBFFFFFFF onto
 *     the same host addresses with one 1 GiB leaf (V R W X U A D: G-stage leaves need U = 1);
 *     the root table is 16 KiB and 16 KiB aligned (the x4 modes).
 *  6. hyp.S: M-mode → HS-mode (MRET), HS → VS (SRET with hstatus.SPV = 1, as KVM runs guests),
 *     the guest ECALLs (cause 10 in HS, hstatus.SPV = 1) and then loads from guest physical
 *     FAULT_GPA, which no G-stage entry maps: load guest-page fault (cause 21) in HS-mode with
 *     htval = FAULT_GPA >> 2, stval = FAULT_GPA (vsatp is Bare: guest virtual = guest
 *     physical), hstatus.GVA = 1, SPV = 1, SPVP = 1. FAULT_GPA lies above 2^40, in the two
 *     extra guest-physical bits the x4 modes add to Sv39.
 */
#include "../runtime/runtime.h"

#define MISA_H (1ul << 7)
#define HGATP_MODE_SHIFT 60
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK (0x3FFFul << HGATP_VMID_SHIFT)
#define HGATP_SV39X4 8ul
#define HGATP_SV48X4 9ul
#define HGATP_SV57X4 10ul
#define HSTATUS_GVA (1ul << 6)
#define HSTATUS_SPV (1ul << 7)
#define HSTATUS_SPVP (1ul << 8)
#define GUEST_MAGIC 0x48595045ul
#define FAULT_GPA 0x10000001238ul
#define GUEST_BASE 0x80000000ul

/* Must match hyp.S. */
struct hyp_ctx {
    uint64_t sp, ra, s[12];
    uint64_t hgatp, fault_gpa;
    uint64_t ecall_cause, ecall_a7, ecall_hstatus;
    uint64_t fault_cause, fault_stval, fault_htval, fault_htinst, fault_hstatus, fault_sepc;
    /* Set by the M-mode hook when a trap reached M-mode instead (0 = none). */
    uint64_t m_cause, m_tval;
};
_Static_assert(__builtin_offsetof(struct hyp_ctx, fault_sepc) == 192, "hyp.S offsets");

void hyp_run(struct hyp_ctx *ctx);
void hyp_return(void);

struct verdict {
    bool done, has_h, hgatp_illegal, ecall_ok, fault_ok;
    unsigned long gstage_mode;
    unsigned vmid_bits;
    struct hyp_ctx ctx;
};

static struct verdict verdicts[RT_MAX_HARTS];
static struct hyp_ctx *volatile active_ctx[RT_MAX_HARTS];

/* G-stage tables per hart: a 16 KiB root and up to 2 more levels of 4 KiB. */
static uint64_t gstage_root[RT_MAX_HARTS][2048] __attribute__((aligned(16384)));
static uint64_t gstage_next[RT_MAX_HARTS][2][512] __attribute__((aligned(4096)));

static bool hyp_hook(struct rt_trap_frame *f)
{
    struct hyp_ctx *ctx = active_ctx[rt_hartid()];
    if (!ctx)
        return false;
    if (f->mcause != CAUSE_SUPERVISOR_ECALL) {
        /* Something went to M-mode that HS-mode should have taken: note it, end the run. */
        ctx->m_cause = f->mcause | 0x100ul; /* never 0 */
        ctx->m_tval = f->mtval;
    }
    f->x[10] = (uint64_t)(uintptr_t)ctx;
    f->mepc = (uint64_t)(uintptr_t)hyp_return;
    f->mstatus = (f->mstatus & ~(MSTATUS_MPP | (1ul << 39))) | (PRV_M << MSTATUS_MPP_SHIFT);
    return true;
}

static unsigned fls64(uint64_t v)
{
    unsigned n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

static void hfence_gvma_all(void) { __asm__ volatile("hfence.gvma zero, zero" ::: "memory"); }

static void build_gstage(unsigned hart, unsigned long mode)
{
    uint64_t *root = gstage_root[hart];
    for (unsigned i = 0; i < 2048; i++)
        root[i] = 0;
    for (unsigned t = 0; t < 2; t++)
        for (unsigned i = 0; i < 512; i++)
            gstage_next[hart][t][i] = 0;
    uint64_t leaf = ((GUEST_BASE >> 12) << 10) | 0xDF; /* V R W X U A D */
    unsigned levels = mode == HGATP_SV57X4 ? 5 : mode == HGATP_SV48X4 ? 4 : 3;
    /* Walk down from the root to the 1 GiB level (level 2), allocating tables. */
    uint64_t *table = root;
    for (unsigned level = levels - 1, t = 0; level > 2; level--, t++) {
        unsigned shift = 12 + 9 * level;
        unsigned index = (unsigned)(GUEST_BASE >> shift) & (table == root ? 2047u : 511u);
        uint64_t *next = gstage_next[hart][t];
        table[index] = (((uint64_t)(uintptr_t)next >> 12) << 10) | 1; /* V: a pointer */
        table = next;
    }
    table[(GUEST_BASE >> 30) & (table == root ? 2047u : 511u)] = leaf;
    rt_fence();
}

static void hyp_init_hart(void *unused)
{
    (void)unused;
    unsigned hart = rt_hartid();
    struct verdict *v = &verdicts[hart];
    v->has_h = (rt_csr_read(misa) & MISA_H) != 0;
    if (!v->has_h) {
        struct rt_trap_info info;
        rt_probe_begin();
        (void)rt_csr_read(hgatp);
        bool faulted = rt_probe_end(&info);
        v->hgatp_illegal = faulted && info.mcause == CAUSE_ILLEGAL_INSTRUCTION;
        rt_fence();
        v->done = true;
        return;
    }

    /* 1. G-stage mode. */
    unsigned long mode = HGATP_SV39X4;
    rt_csr_write(hgatp, HGATP_SV57X4 << HGATP_MODE_SHIFT);
    if ((rt_csr_read(hgatp) >> HGATP_MODE_SHIFT) == HGATP_SV57X4) {
        mode = HGATP_SV57X4;
    } else {
        rt_csr_write(hgatp, HGATP_SV48X4 << HGATP_MODE_SHIFT);
        if ((rt_csr_read(hgatp) >> HGATP_MODE_SHIFT) == HGATP_SV48X4)
            mode = HGATP_SV48X4;
    }
    rt_csr_write(hgatp, 0);
    hfence_gvma_all();
    v->gstage_mode = mode;

    /* 2. VMID bits. */
    unsigned long old = rt_csr_read(hgatp);
    rt_csr_write(hgatp, old | HGATP_VMID_MASK);
    v->vmid_bits = fls64((rt_csr_read(hgatp) & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT);
    rt_csr_write(hgatp, old);
    hfence_gvma_all();

    /* 3. KVM's per-hart enable. */
    rt_csr_write(hedeleg, (1ul << CAUSE_MISALIGNED_FETCH) | (1ul << CAUSE_BREAKPOINT) |
                              (1ul << CAUSE_USER_ECALL) | (1ul << 12) | (1ul << 13) | (1ul << 15));
    rt_csr_write(hideleg, (1ul << 2) | (1ul << 6) | (1ul << 10));
    rt_csr_write(hcounteren, 0x2);
    rt_csr_write(hvip, 0);

    /* 4. Firmware's part: delegation to HS and a PMP entry for S/U. */
    rt_csr_write(medeleg, (1ul << 10) | (1ul << 20) | (1ul << 21) | (1ul << 22) | (1ul << 23));
    rt_csr_write(pmpaddr0, ~0ul >> 10);
    rt_csr_write(pmpcfg0, 0x1F); /* NAPOT, R W X */

    /* 5. The G-stage table. */
    build_gstage(hart, mode);

    /* 6. The guest round trip, with M-mode interrupts off (M-level interrupts are enabled in
     * HS/VS whatever mstatus.MIE says). */
    struct hyp_ctx *ctx = &v->ctx;
    ctx->hgatp = (mode << HGATP_MODE_SHIFT) | ((uint64_t)(uintptr_t)gstage_root[hart] >> 12);
    ctx->fault_gpa = FAULT_GPA;
    unsigned long mie = rt_csr_read(mie);
    rt_csr_write(mie, 0);
    rt_set_trap_hook(hyp_hook);
    active_ctx[hart] = ctx;
    rt_fence();
    hyp_run(ctx);
    active_ctx[hart] = 0;
    rt_set_trap_hook(0);
    rt_csr_write(medeleg, 0);
    rt_csr_write(hgatp, 0);
    hfence_gvma_all();
    rt_csr_write(mie, mie);

    v->ecall_ok = ctx->m_cause == 0 && ctx->ecall_cause == 10 && ctx->ecall_a7 == GUEST_MAGIC &&
                  (ctx->ecall_hstatus & HSTATUS_SPV) != 0;
    v->fault_ok = ctx->m_cause == 0 && ctx->fault_cause == 21 && ctx->fault_htval == FAULT_GPA >> 2 &&
                  ctx->fault_stval == FAULT_GPA &&
                  (ctx->fault_hstatus & (HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP)) ==
                      (HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP);
    rt_fence();
    v->done = true;
}

static const char *mode_name(unsigned long mode)
{
    return mode == HGATP_SV57X4 ? "Sv57x4" : mode == HGATP_SV48X4 ? "Sv48x4" : "Sv39x4";
}

int main(void)
{
    rt_roll_call();
    uint64_t online = rt_online_mask();
    for (unsigned h = 1; h < RT_MAX_HARTS; h++)
        if (online & (1ul << h))
            rt_run_on(h, hyp_init_hart, 0);
    hyp_init_hart(0);
    for (unsigned h = 1; h < RT_MAX_HARTS; h++)
        if (online & (1ul << h))
            rt_wait_idle(h);

    bool pass = true, any_missing = false;
    for (unsigned h = 0; h < RT_MAX_HARTS; h++) {
        if (!(online & (1ul << h)))
            continue;
        struct verdict *v = &verdicts[h];
        if (!v->done) {
            rt_printf("hart %u: did not finish\n", h);
            pass = false;
        } else if (!v->has_h) {
            any_missing = true;
            if (v->hgatp_illegal) {
                rt_printf("hart %u: no H extension\n", h);
            } else {
                rt_printf("hart %u: no H extension, but reading hgatp is not an illegal instruction\n", h);
                pass = false;
            }
        } else {
            struct hyp_ctx *c = &v->ctx;
            rt_printf("hart %u: H present, G-stage %s, VMID bits %u, guest ecall %s, guest-page fault htval %s\n", h,
                      mode_name(v->gstage_mode), v->vmid_bits, v->ecall_ok ? "ok" : "FAILED",
                      v->fault_ok ? "ok" : "FAILED");
            if (!v->ecall_ok || !v->fault_ok) {
                rt_printf("hart %u: ecall scause=0x%lx a7=0x%lx hstatus=0x%lx; fault scause=0x%lx stval=0x%lx "
                          "htval=0x%lx htinst=0x%lx hstatus=0x%lx sepc=0x%lx; M-mode trap 0x%lx tval=0x%lx\n",
                          h, c->ecall_cause, c->ecall_a7, c->ecall_hstatus, c->fault_cause, c->fault_stval,
                          c->fault_htval, c->fault_htinst, c->fault_hstatus, c->fault_sepc, c->m_cause, c->m_tval);
                pass = false;
            }
        }
    }
    rt_printf("hyp-init: harts without H:");
    if (!any_missing)
        rt_printf(" none");
    for (unsigned h = 0; h < RT_MAX_HARTS; h++)
        if ((online & (1ul << h)) && verdicts[h].done && !verdicts[h].has_h)
            rt_printf(" %u", h);
    rt_printf("\n");
    rt_printf(pass ? "hyp-init: every hart with H passed\n" : "hyp-init: FAILED\n");
    return pass ? 0 : 1;
}
