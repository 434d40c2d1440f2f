/*
 * Counts the harts a flattened device tree lists, so that rt_roll_call can stop waiting as
 * soon as all of them have checked in. QEMU (virt, sifive_u) and hetboot (virt-riscv, fu740)
 * pass the DTB's address in a1 at entry.
 *
 * Format (Devicetree Specification v0.4, chapter 5): a big-endian header (magic 0xD00DFEED,
 * totalsize at +4, off_dt_struct at +8, size_dt_struct at +0x24), then a token stream:
 * FDT_BEGIN_NODE (1) + NUL-terminated name padded to 4, FDT_END_NODE (2), FDT_PROP (3) + len
 * + nameoff + value padded to 4, FDT_NOP (4), FDT_END (9). Harts are the /cpus/cpu@N nodes
 * (whatever their status: a "disabled" hart, like the FU740's S7 in Linux's tree, still
 * runs this image).
 *
 * The walk runs under a probe (a DTB address that is not memory makes it give up, not
 * crash) and never leaves [fdt, fdt + totalsize). Anything malformed gives 0 = unknown.
 */
#include "runtime.h"

#define FDT_MAGIC 0xD00DFEEDu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u
#define FDT_MAX_SIZE (1u << 20)

static uint32_t be32(const volatile uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned count_cpus(const volatile uint8_t *fdt)
{
    if (be32(fdt) != FDT_MAGIC)
        return 0;
    uint32_t total = be32(fdt + 4), off = be32(fdt + 8), size = be32(fdt + 0x24);
    if (total > FDT_MAX_SIZE || off > total || size > total - off)
        return 0;
    uint32_t end = off + size;
    unsigned depth = 0, count = 0;
    bool in_cpus = false;
    while (off <= end - 4) {
        uint32_t token = be32(fdt + off);
        off += 4;
        if (token == FDT_BEGIN_NODE) {
            const volatile uint8_t *name = fdt + off;
            uint32_t len = 0;
            while (off + len < end && name[len])
                len++;
            if (off + len >= end)
                return 0;
            depth++; /* the root is depth 1, /cpus 2, /cpus/cpu@N 3 */
            if (depth == 2 && len == 4 && name[0] == 'c' && name[1] == 'p' && name[2] == 'u' && name[3] == 's')
                in_cpus = true;
            if (depth == 3 && in_cpus && len > 4 && name[0] == 'c' && name[1] == 'p' && name[2] == 'u' && name[3] == '@')
                count++;
            off = (off + len + 1 + 3) & ~3u;
        } else if (token == FDT_END_NODE) {
            if (depth == 0)
                return 0;
            if (depth == 2)
                in_cpus = false;
            depth--;
        } else if (token == FDT_PROP) {
            if (off > end - 8)
                return 0;
            uint32_t len = be32(fdt + off);
            if (len > end - off - 8)
                return 0;
            off = (off + 8 + len + 3) & ~3u;
        } else if (token == FDT_NOP) {
            continue;
        } else if (token == FDT_END) {
            return count;
        } else {
            return 0;
        }
        if (off > end)
            return 0;
    }
    return 0;
}

unsigned rt_fdt_hart_count(uintptr_t fdt)
{
    if (fdt == 0 || (fdt & 3u))
        return 0;
    rt_probe_begin();
    unsigned n = count_cpus((const volatile uint8_t *)fdt);
    bool faulted = rt_probe_end(0);
    return faulted ? 0 : n;
}
