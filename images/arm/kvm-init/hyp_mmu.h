/*
 * The Hyp stage-1 page tables (LPAE long-descriptor format, ARM ARM B3.6): what KVM's
 * create_hyp_mappings builds, at identity addresses — this flat-physical "kernel" runs with
 * virtual = physical, so the Hyp view of a kernel object is its own address (Linux 3.9 used
 * an identity map for the init page and the PAGE_OFFSET alias for the rest; here both are
 * the identity).
 */
#ifndef KVM_INIT_HYP_MMU_H
#define KVM_INIT_HYP_MMU_H

#include "../runtime/runtime.h"

/* Map [start, end) page by page, read/write, Normal memory (AttrIndx 7: HMAIR1 byte 3).
 * Returns false when the table pool is exhausted. */
bool create_hyp_mappings(uintptr_t start, uintptr_t end);
/* The level-1 table: HTTBR's value (with HTCR.T0SZ = 0, four 1 GiB entries). */
uint64_t kvm_mmu_get_httbr(void);
/* Whether the tables translate va (a software walk, for the report). */
bool hyp_is_mapped(uintptr_t va);

#endif
