/*
 * isa-selftest: self-checking RV64IMAFDC and M-mode privileged-architecture cases with
 * expected values from the RISC-V Unprivileged and Privileged specifications, one output
 * line per group, then "isa-selftest: all groups pass" and a pass exit, or a summary of the
 * failed groups and a failure exit.
 *
 * Hart 0 runs every group in M-mode; the other harts stay parked in the runtime pen (WFI).
 */
#include "selftest.h"

static bool (*const groups[])(void) = {
    group_alu,        group_branch, group_loadstore, group_muldiv,     group_atomic,
    group_compressed, group_csr,    group_traps,     group_interrupts, group_sv39,
    group_float,
};

int main(void)
{
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
