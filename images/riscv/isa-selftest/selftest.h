/*
 * RISC-V isa-selftest framework: a group counts its cases; a failing case prints
 *   "  FAIL <group>#<n>: got 0x<16 hex digits>, expected 0x<16 hex digits>"
 * (n = the case's 1-based number in its group; for a case that compares several values the
 * first one that differs is shown), and the group ends with one line
 *   "<group>: <passed>/<total> ok"        (or "... FAILED" when a case failed).
 */
#ifndef RV_ISA_SELFTEST_H
#define RV_ISA_SELFTEST_H

#include "../runtime/runtime.h"

struct st_group {
    const char *name;
    unsigned passed, total;
};

void st_begin(struct st_group *g, const char *name);
/* One case comparing n values; returns whether all matched. */
bool st_case(struct st_group *g, unsigned n, const uint64_t *got, const uint64_t *expected);
/* One case comparing a single value. */
bool st_check(struct st_group *g, uint64_t got, uint64_t expected);
/* Prints the group line; returns whether every case passed. */
bool st_end(struct st_group *g);

/* Generated tables (tables/<group>.inc, from gen/gen_tables.py). */
#define RV_ENUM(name, asm_) OP_##name,
struct rv_case {
    uint16_t op;
    uint64_t a, b, expected;
};
struct rv_mem_case {
    uint16_t op;
    int16_t base;     /* offset of the base register into the buffer */
    uint64_t value;   /* stores: rs2 */
    uint8_t is_store;
    uint32_t dword;   /* stores: k, the first of the two doublewords checked */
    uint64_t expected;      /* loads: rd; stores: doubleword k after the store */
    uint64_t expected_next; /* stores: doubleword k + 1 */
};
struct rv_amo_case {
    uint16_t op;
    uint16_t offset; /* byte offset of the operand in the doubleword (0 or 4 for .W) */
    uint64_t memory, rs2, expected_rd, expected_memory;
};

struct rv_fp_case {
    uint16_t op;
    uint8_t rm;       /* frm while the case runs */
    uint64_t a, b, c; /* 64-bit register values (singles NaN-boxed, or deliberately not) */
    uint64_t expected;
    uint8_t flags; /* expected fflags */
};

/* Assembles the 32-bit encodings: without it the assembler would pick a C encoding where
 * one exists (the compressed group names its C instructions explicitly instead). */
#define RV_NORVC(s) ".option push\n\t.option norvc\n\t" s "\n\t.option pop"

/* Runs every case of a table: got = exec(case), compared with case->expected. */
bool st_run_table(const char *group, const struct rv_case *cases, unsigned n,
                  uint64_t (*exec)(const struct rv_case *));

/* The groups, in the order they run. Each returns whether all of its cases passed. */
bool group_alu(void);
bool group_branch(void);
bool group_loadstore(void);
bool group_muldiv(void);
bool group_atomic(void);
bool group_compressed(void);
bool group_csr(void);
bool group_traps(void);
bool group_interrupts(void);
bool group_sv39(void);
bool group_float(void);

#endif
