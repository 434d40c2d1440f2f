/*
 * float: the F and D extensions (Unprivileged spec chapters 11-12) and mstatus.FS
 * (Privileged spec 3.1.6.6). Runs only where misa has both F and D; elsewhere it prints
 * "float: skipped (misa has no F and D)" and counts as passed.
 *
 * The table (tables/float.inc, from gen/gen_float.py) runs every rounded operation in each
 * rounding mode on values that round differently per mode (RMM ties included), with the
 * five exceptions (underflow detected after rounding), NaN results (canonical), the FCVT
 * saturation table, FMIN/FMAX on signed zeros and NaNs, quiet FEQ and signaling FLT/FLE,
 * FCLASS's ten classes, and NaN boxing (single results are boxed; an improperly boxed single
 * operand reads as the canonical NaN). Each case compares the destination register and
 * fflags.
 *
 * Then, by hand: FLW/FSW/FLD/FSD and the compressed C.FLD/C.FSD/C.FLDSP/C.FSDSP, the fflags/
 * frm/fcsr views, FS = Off making F/D instructions and CSRs illegal (cause 2, mtval = the
 * instruction), FS Initial -> Dirty on a register write with mstatus.SD = 1, and the reserved
 * rounding modes (static rm 5/6, dynamic rm with frm 5-7) as illegal instructions.
 *
 * This file alone is compiled with F and D (images/build.sh); the ABI stays lp64 (soft float),
 * so the compiler never uses the f registers by itself.
 */
#include "selftest.h"
#include "tables/float.inc"

#define MISA_D (1ul << 3)
#define MISA_F (1ul << 5)
#define FS_INITIAL (1ul << 13)
#define FP_CLOBBERS "ft0", "ft1", "ft2", "ft3", "fa0", "fa1", "memory"

static void exec(const struct rv_fp_case *c, uint64_t *result, uint64_t *flags)
{
    uint64_t d = 0, fl = 0, a = c->a, b = c->b, cc = c->c, rm = c->rm;
    switch (c->op) {
#define RUN(name, asm_)                                                                     \
    case OP_##name:                                                                         \
        __asm__ volatile("fsrm %[rm]\n\tfsflags zero\n\tfmv.d.x ft1, %[a]\n\t"              \
                         "fmv.d.x ft2, %[b]\n\tfmv.d.x ft3, %[c]\n\t" asm_ "\n\tfrflags %[f]" \
                         : [d] "=&r"(d), [f] "=&r"(fl)                                      \
                         : [a] "r"(a), [b] "r"(b), [c] "r"(cc), [rm] "r"(rm)                \
                         : FP_CLOBBERS);                                                    \
        break;
        FLOAT_OPS(RUN)
#undef RUN
    default:
        break;
    }
    *result = d;
    *flags = fl;
}

static void table(struct st_group *g)
{
    for (unsigned i = 0; i < sizeof float_cases / sizeof float_cases[0]; i++) {
        const struct rv_fp_case *c = &float_cases[i];
        uint64_t got[2], exp[2] = {c->expected, c->flags};
        exec(c, &got[0], &got[1]);
        st_case(g, 2, got, exp);
    }
}

static uint64_t buffer[4];

/* Loads and stores: FLW boxes, FSW stores the low word whatever the boxing, the C forms. */
static void loads_stores(struct st_group *g)
{
    uint64_t w, d, boxed;
    buffer[0] = 0x0123456789ABCDEFul;
    buffer[1] = 0;
    buffer[2] = 0;
    __asm__ volatile("flw ft0, 4(%[p])\n\tfmv.x.d %[w], ft0\n\t"
                     "fld ft1, 0(%[p])\n\tfsw ft1, 8(%[p])\n\tfsd ft1, 16(%[p])\n\tfmv.x.d %[d], ft1"
                     : [w] "=&r"(w), [d] "=&r"(d)
                     : [p] "r"(buffer)
                     : FP_CLOBBERS);
    {
        const uint64_t got[4] = {w, d, buffer[1], buffer[2]};
        const uint64_t exp[4] = {0xFFFFFFFF01234567ul, 0x0123456789ABCDEFul, 0x89ABCDEFul, 0x0123456789ABCDEFul};
        st_case(g, 4, got, exp);
    }
    /* C.FLD/C.FSD (registers f8-f15) and C.FLDSP/C.FSDSP (sp-relative). */
    buffer[3] = 0xFEDCBA9876543210ul;
    __asm__ volatile("c.fld fa0, 24(%[p])\n\tc.fsd fa0, 8(%[p])\n\t"
                     "addi sp, sp, -16\n\tc.fsdsp fa0, 8(sp)\n\tc.fldsp fa1, 8(sp)\n\tld %[b], 8(sp)\n\t"
                     "addi sp, sp, 16\n\tfmv.x.d %[d], fa1"
                     : [d] "=&r"(d), [b] "=&r"(boxed)
                     : [p] "r"(buffer)
                     : FP_CLOBBERS);
    {
        const uint64_t got[3] = {buffer[1], boxed, d};
        const uint64_t exp[3] = {0xFEDCBA9876543210ul, 0xFEDCBA9876543210ul, 0xFEDCBA9876543210ul};
        st_case(g, 3, got, exp);
    }
}

/* fflags (0x001), frm (0x002) and fcsr (0x003): views of one register; bits 31:8 read 0. */
static void csrs(struct st_group *g)
{
    uint64_t frm, flags, fcsr, swapped;
    __asm__ volatile("fscsr %[s], %[v]\n\tfrrm %[r]\n\tfrflags %[f]\n\tfsflags zero\n\tfrcsr %[c]"
                     : [r] "=&r"(frm), [f] "=&r"(flags), [c] "=&r"(fcsr), [s] "=&r"(swapped)
                     : [v] "r"(0xFFFFFF75ul)
                     : "memory");
    const uint64_t got[3] = {frm, flags, fcsr}, exp[3] = {3, 0x15, 0x60};
    st_case(g, 3, got, exp);
    __asm__ volatile("fscsr zero" ::: "memory");
}

/* An illegal-instruction trap (cause 2) with mtval = the instruction bits, or no trap. */
static void expect_illegal(struct st_group *g, bool trapped, const struct rt_trap_info *info, uint32_t insn)
{
    const uint64_t got[3] = {trapped, trapped ? info->mcause : 0, trapped ? info->mtval : 0};
    const uint64_t exp[3] = {1, 2, insn};
    st_case(g, 3, got, exp);
}

static void fs_state(struct st_group *g)
{
    struct rt_trap_info info;
    uint64_t before, after;

    /* FS = Off: an F/D instruction and an F/D CSR are illegal. */
    rt_csr_clear(mstatus, MSTATUS_FS);
    rt_probe_begin();
    __asm__ volatile(".option push\n\t.option norvc\n\tfadd.d ft0, ft1, ft2, dyn\n\t.option pop" ::: "ft0", "memory");
    expect_illegal(g, rt_probe_end(&info), &info, 0x0220F053u);
    rt_probe_begin();
    __asm__ volatile("frflags t0" ::: "t0", "memory");
    expect_illegal(g, rt_probe_end(&info), &info, 0x001022F3u);

    /* FS = Initial; reading f registers leaves it; a write makes it Dirty, and SD reads 1. */
    rt_csr_set(mstatus, FS_INITIAL);
    __asm__ volatile("fmv.x.d t0, ft1" ::: "t0", "memory");
    before = rt_csr_read(mstatus);
    __asm__ volatile("fmv.d.x ft0, zero" ::: "ft0", "memory");
    after = rt_csr_read(mstatus);
    {
        const uint64_t got[4] = {(before & MSTATUS_FS) >> 13, before >> 63, (after & MSTATUS_FS) >> 13, after >> 63};
        const uint64_t exp[4] = {1, 0, 3, 1};
        st_case(g, 4, got, exp);
    }
}

static void reserved_rounding(struct st_group *g)
{
    struct rt_trap_info info;
    /* Static rm = 5 and 6: fadd.s ft0, ft1, ft2 with those rm fields. */
    rt_probe_begin();
    __asm__ volatile(".word 0x0020D053" ::: "memory");
    expect_illegal(g, rt_probe_end(&info), &info, 0x0020D053u);
    rt_probe_begin();
    __asm__ volatile(".word 0x0020E053" ::: "memory");
    expect_illegal(g, rt_probe_end(&info), &info, 0x0020E053u);
    /* Dynamic rm with frm = 5, 6, 7: illegal; a static rm still executes. */
    for (uint64_t frm = 5; frm <= 7; frm++) {
        uint64_t r;
        bool trapped;
        __asm__ volatile("fsrm %0" ::"r"(frm) : "memory");
        rt_probe_begin();
        __asm__ volatile(".option push\n\t.option norvc\n\tfadd.s ft0, ft1, ft2, dyn\n\t.option pop" ::: "ft0", "memory");
        trapped = rt_probe_end(&info);
        __asm__ volatile("fmv.d.x ft1, zero\n\tfadd.d ft0, ft1, ft1, rtz\n\tfmv.x.d %0, ft0" : "=r"(r) :: "ft0", "ft1", "memory");
        const uint64_t got[3] = {trapped, trapped ? info.mcause : 0, r};
        const uint64_t exp[3] = {1, 2, 0};
        st_case(g, 3, got, exp);
    }
    __asm__ volatile("fscsr zero" ::: "memory");
}

bool group_float(void)
{
    struct st_group g;
    uint64_t misa = rt_csr_read(misa);
    if ((misa & (MISA_F | MISA_D)) != (MISA_F | MISA_D)) {
        rt_printf("float: skipped (misa has no F and D)\n");
        return true;
    }
    st_begin(&g, "float");
    rt_csr_set(mstatus, FS_INITIAL);
    table(&g);
    loads_stores(&g);
    csrs(&g);
    reserved_rounding(&g);
    fs_state(&g);
    return st_end(&g);
}
