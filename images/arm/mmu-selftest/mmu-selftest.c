/*
 * mmu-selftest: turns on the PL1 MMU with a short-descriptor table (ARM ARM B3.5) — RAM and
 * the devices identity-mapped, a page table at 0x40000000 remapping pages of this image —
 * and prints what translation gives and what a few faults report in DFSR/DFAR and IFSR/IFAR
 * (B3.13.3, short-descriptor format), then turns the MMU off and exits. The printed values
 * are the architecture's; the image prints the same lines on QEMU 7.2 vexpress-a15.
 *
 * Runs in SVC: a core that starts in HYP (tc2) first drops to Non-secure SVC with HCR = 0.
 */
#include "runtime.h"

void mmu_install_vectors(void);
uint32_t mmu_probe_read(uint32_t va, uint32_t sentinel);
void mmu_probe_write(uint32_t va, uint32_t value);
uint32_t mmu_probe_exec(uint32_t va);
extern volatile uint32_t mmu_fault[4];
extern char mmu_exec_page[];

#define SENTINEL 0xDEADBEEFu

static uint32_t l1[4096] __attribute__((aligned(16384)));
static uint32_t l2[256] __attribute__((aligned(1024)));
static volatile uint32_t data_page[1024] __attribute__((aligned(4096)));
static volatile uint32_t ro_page[1024] __attribute__((aligned(4096)));

/* Section (B3.5.1): PA[31:20], AP[2] = bit 15, AP[1:0] = bits 11:10, domain, XN. */
static uint32_t section(uint32_t pa, uint32_t ap, uint32_t domain, bool xn)
{
    return (pa & 0xFFF00000u) | ((ap & 4u) << 13) | ((ap & 3u) << 10) | (domain << 5) |
           (xn ? 1u << 4 : 0) | 2u;
}

/* Small page: PA[31:12], AP[2] = bit 9, AP[1:0] = bits 5:4, XN = bit 0. */
static uint32_t small_page(uint32_t pa, uint32_t ap, bool xn)
{
    return (pa & 0xFFFFF000u) | ((ap & 4u) << 7) | ((ap & 3u) << 4) | 2u | (xn ? 1u : 0);
}

static void leave_hyp(void)
{
    __asm__ volatile(".arch_extension virt\n\t"
                     "mov     r0, #0\n\t"
                     "mcr     p15, 4, r0, c1, c1, 0\n\t" /* HCR = 0 */
                     "isb\n\t"
                     "mov     r0, sp\n\t"
                     "adr     r1, 1f\n\t"
                     "msr     elr_hyp, r1\n\t"
                     "mov     r1, #0x1D3\n\t"
                     "msr     spsr_cxsf, r1\n\t"
                     "eret\n"
                     "1:\tmov     sp, r0\n\t"
                     :
                     :
                     : "r0", "r1", "memory");
}

static uint32_t read_sctlr(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(v));
    return v;
}

static void write_sctlr(uint32_t v)
{
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n\tisb" ::"r"(v) : "memory");
}

static void tlbi_all(void)
{
    __asm__ volatile("dsb\n\tmcr p15, 0, %0, c8, c7, 0\n\tdsb\n\tisb" ::"r"(0) : "memory");
}

static void tlbi_mva(uint32_t va)
{
    __asm__ volatile("dsb\n\tmcr p15, 0, %0, c8, c7, 1\n\tdsb\n\tisb" ::"r"(va) : "memory");
}

static void build_tables(void)
{
    for (unsigned i = 0; i < 4096; i++)
        l1[i] = 0;
    for (unsigned i = 0; i < 16; i++) /* RAM 0x80000000-0x80FFFFFF, this image included */
        l1[0x800 + i] = section(0x80000000u + (i << 20), 3, 0, false);
    l1[0x1C0] = section(0x1C000000u, 3, 0, true); /* UART0, system registers */
    l1[0x2C0] = section(0x2C000000u, 3, 0, true); /* GIC */
    l1[0x400] = (uint32_t)(uintptr_t)l2 | 1u;     /* 0x40000000: page table, domain 0 */
    l1[0x600] = section(0x80000000u, 3, 2, false); /* 0x60000000: domain 2 (no access) */
    for (unsigned i = 0; i < 256; i++)
        l2[i] = 0;
    l2[0] = small_page((uint32_t)(uintptr_t)data_page, 3, false);        /* read/write */
    l2[1] = small_page((uint32_t)(uintptr_t)ro_page, 5, false);          /* PL1 read-only */
    /* l2[2]: invalid */
    l2[3] = small_page((uint32_t)(uintptr_t)data_page, 3, true);         /* execute-never */
    l2[4] = small_page((uint32_t)(uintptr_t)mmu_exec_page, 7, false);    /* code, read-only */
    rt_dsb();
}

static void fault_line(const char *what, bool fetch)
{
    if (mmu_fault[0] != 1) {
        rt_printf("%s: %u faults\n", what, (unsigned)mmu_fault[0]);
    } else {
        rt_printf("%s: %s=%08X %s=%08X\n", what, fetch ? "IFSR" : "DFSR", (unsigned)mmu_fault[1],
                  fetch ? "IFAR" : "DFAR", (unsigned)mmu_fault[2]);
    }
    mmu_fault[0] = 0;
}

int main(void)
{
    bool from_hyp = (rt_read_cpsr() & CPSR_MODE_MASK) == CPSR_MODE_HYP;
    if (from_hyp)
        leave_hyp();
    rt_printf("mmu-selftest: running in %s%s\n", rt_mode_name(rt_read_cpsr()),
              from_hyp ? " (entered in HYP)" : "");

    build_tables();
    data_page[0] = 0x600DF00Du;
    ro_page[0] = 0x0000C0DEu;
    mmu_install_vectors();
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 2" ::"r"(0));          /* TTBCR: N = 0 */
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" ::"r"(l1));         /* TTBR0 */
    __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" ::"r"(1));          /* DACR: domain 0 client */
    tlbi_all();
    write_sctlr(read_sctlr() | 1u);
    rt_printf("mmu: on, SCTLR.M=%u\n", (unsigned)(read_sctlr() & 1u));

    rt_printf("remap read: %08X\n", (unsigned)mmu_probe_read(0x40000000u, SENTINEL));
    mmu_probe_write(0x40000004u, 0x12345678u);
    rt_printf("remap write: %08X\n", (unsigned)data_page[1]);
    rt_printf("read-only read: %08X\n", (unsigned)mmu_probe_read(0x40001000u, SENTINEL));
    mmu_fault[0] = 0;

    mmu_probe_read(0x50000000u, SENTINEL);
    fault_line("unmapped section read", false);
    mmu_probe_write(0x40001000u, 1);
    fault_line("read-only page write", false);
    mmu_probe_read(0x40002008u, SENTINEL);
    fault_line("invalid page read", false);
    mmu_probe_read(0x60000010u, SENTINEL);
    fault_line("no-access domain read", false);
    mmu_probe_exec(0x40003000u);
    fault_line("execute-never fetch", true);
    rt_printf("remapped code: %08X\n", (unsigned)mmu_probe_exec(0x40004000u));

    /* Page 0 now maps the read-only page's frame (read/write); after TLBIMVA the new
     * translation is the one used. */
    l2[0] = small_page((uint32_t)(uintptr_t)ro_page, 3, false);
    tlbi_mva(0x40000000u);
    rt_printf("after TLBIMVA: %08X\n", (unsigned)mmu_probe_read(0x40000000u, SENTINEL));

    write_sctlr(read_sctlr() & ~1u);
    rt_printf("mmu: off, faults unexpected %u\n", (unsigned)mmu_fault[0]);
    rt_printf("mmu-selftest: done\n");
    return 0;
}
