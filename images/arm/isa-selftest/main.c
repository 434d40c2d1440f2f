/*
 * isa-selftest: hundreds of self-checking A32 cases with expected values from the ARM ARM
 * (DDI 0406C), one output line per group, then "isa-selftest: all groups pass" and exit 0,
 * or a summary of the failed groups and a failure exit.
 *
 * The tests need a PL1 mode (CPS between modes, banked registers, exception vectors in
 * VBAR, LDRT/STRT, SCTLR.A). A core that starts in HYP (vexpress-a15,secure=off; tc2) first
 * drops to Non-secure SVC with HCR = 0, so nothing traps to HYP.
 */
#include "selftest.h"

static bool (*const groups[])(void) = {
    group_flags,    group_shifter,   group_logic,     group_multiply, group_divide,
    group_saturate, group_parallel,  group_media,     group_loadstore, group_ldmstm,
    group_exclusive, group_banked,   group_exceptions, group_branch,
};

int main(void)
{
    bool from_hyp = (rt_read_cpsr() & CPSR_MODE_MASK) == CPSR_MODE_HYP;
    if (from_hyp) {
        rt_leave_hyp();
        rt_install_vectors(); /* now VBAR, for the PL1 modes */
    }
    rt_printf("isa-selftest: running in %s%s\n", rt_mode_name(rt_read_cpsr()),
              from_hyp ? " (entered in HYP)" : "");
    unsigned failed = 0, n = sizeof groups / sizeof groups[0];
    for (unsigned i = 0; i < n; i++)
        if (!groups[i]())
            failed++;
    if (failed) {
        rt_printf("isa-selftest: %u of %u groups FAILED\n", failed, n);
        return 1;
    }
    rt_printf("isa-selftest: all groups pass\n");
    return 0;
}
