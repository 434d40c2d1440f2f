/* Hyp page tables: see hyp_mmu.h. Three levels: L1 (VA[31:30]), L2 (VA[29:21]), L3 pages. */
#include "hyp_mmu.h"

#define PAGE_SIZE 4096u
#define DESC_VALID_TABLE 3ull   /* [1:0] = 0b11: table (L1/L2) or page (L3) */
#define DESC_ATTRINDX(n) ((uint64_t)(n) << 2)
#define DESC_AP1 (1ull << 6)    /* AP[1]: SBO in the Hyp regime, as Linux's PAGE_HYP */
#define DESC_SH_INNER (3ull << 8)
#define DESC_AF (1ull << 10)
#define PAGE_HYP (DESC_VALID_TABLE | DESC_ATTRINDX(7) | DESC_AP1 | DESC_SH_INNER | DESC_AF)
#define POOL_PAGES 6u

static uint64_t l1[4] __attribute__((aligned(32)));
static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pool_used;

static uint64_t *next_level(uint64_t *entry)
{
    if ((*entry & 3u) == DESC_VALID_TABLE)
        return (uint64_t *)(uintptr_t)(uint32_t)(*entry & 0xFFFFF000ull);
    if (pool_used == POOL_PAGES)
        return 0;
    uint64_t *t = pool[pool_used++];
    for (unsigned i = 0; i < 512; i++)
        t[i] = 0;
    *entry = (uint64_t)(uintptr_t)t | DESC_VALID_TABLE;
    return t;
}

bool create_hyp_mappings(uintptr_t start, uintptr_t end)
{
    for (uintptr_t va = start & ~(uintptr_t)(PAGE_SIZE - 1); va < end; va += PAGE_SIZE) {
        uint64_t *l2 = next_level(&l1[va >> 30]);
        if (!l2)
            return false;
        uint64_t *l3 = next_level(&l2[(va >> 21) & 511u]);
        if (!l3)
            return false;
        l3[(va >> 12) & 511u] = (uint64_t)va | PAGE_HYP;
    }
    rt_dsb();
    return true;
}

uint64_t kvm_mmu_get_httbr(void) { return (uint64_t)(uintptr_t)l1; }

bool hyp_is_mapped(uintptr_t va)
{
    uint64_t e = l1[va >> 30];
    if ((e & 3u) != DESC_VALID_TABLE)
        return false;
    e = ((uint64_t *)(uintptr_t)(uint32_t)(e & 0xFFFFF000ull))[(va >> 21) & 511u];
    if ((e & 3u) != DESC_VALID_TABLE)
        return false;
    e = ((uint64_t *)(uintptr_t)(uint32_t)(e & 0xFFFFF000ull))[(va >> 12) & 511u];
    return (e & 3u) == DESC_VALID_TABLE;
}
