/*
 * isa-selftest framework: a group counts its cases; a failing case prints
 *   "  FAIL <group>#<n>: got 0x........, expected 0x........"
 * (n = the case's 1-based number in its group; for a case that compares several values the
 * first one that differs is shown), and the group ends with one line
 *   "<group>: <passed>/<total> ok"        (or "... FAILED" when a case failed).
 */
#ifndef ISA_SELFTEST_H
#define ISA_SELFTEST_H

#include "../runtime/runtime.h"

struct st_group {
    const char *name;
    unsigned passed, total;
};

void st_begin(struct st_group *g, const char *name);
/* One case comparing n values; returns whether all matched. */
bool st_case(struct st_group *g, unsigned n, const uint32_t *got, const uint32_t *expected);
/* One case comparing a single value. */
bool st_check(struct st_group *g, uint32_t got, uint32_t expected);
/* Prints the group line; returns whether every case passed. */
bool st_end(struct st_group *g);

/* APSR bits the tests compare: N Z C V Q and GE[3:0]. */
#define APSR_N (1u << 31)
#define APSR_Z (1u << 30)
#define APSR_C (1u << 29)
#define APSR_V (1u << 28)
#define APSR_Q (1u << 27)
#define APSR_FLAGS_MASK 0xF80F0000u

/* The groups, in the order they run. Each returns whether all of its cases passed. */
bool group_flags(void);
bool group_shifter(void);
bool group_logic(void);
bool group_multiply(void);
bool group_divide(void);
bool group_saturate(void);
bool group_parallel(void);
bool group_media(void);
bool group_loadstore(void);
bool group_ldmstm(void);
bool group_exclusive(void);
bool group_banked(void);
bool group_exceptions(void);
bool group_branch(void);

#endif
