/*
 * mmu-selftest: turns on the PL1 MMU with a short-descriptor table (ARM ARM B3.5) — RAM and
 * the devices identity-mapped, a page table at WINDOW_VA (0x40000000 on Versatile Express)
 * remapping pages of this image — and prints what translation gives and what a few faults
 * report in DFSR/DFAR and IFSR/IFAR (B3.13.3, short-descriptor format), then turns the MMU
 * off and exits. The printed values are the architecture's; the image prints the same lines
 * on QEMU 7.2 vexpress-a15 (and its virt build on QEMU's virt).
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

/* The platform's map (platform.h): RAM and the two 1 MiB sections holding the devices the
 * runtime touches, and the VA windows the test uses, where nothing is mapped otherwise: the
 * remapping page table at WINDOW_VA, an unmapped section at WINDOW_VA + 0x10000000 and a
 * no-access-domain section at WINDOW_VA + 0x20000000. virt's RAM starts at 0x40000000, so
 * its windows start at 0x80000000 instead. */
#ifdef RT_PLATFORM_VIRT
#define WINDOW_VA 0x80000000u
#define DEVICE_SECTION_0 0x08000000u /* GIC */
#define DEVICE_SECTION_1 0x09000000u /* PL011 UART0 */
#else
#define WINDOW_VA 0x40000000u
#define DEVICE_SECTION_0 0x1C000000u /* UART0, system registers */
#define DEVICE_SECTION_1 0x2C000000u /* GIC */
#endif
#define UNMAPPED_VA (WINDOW_VA + 0x10000000u)
#define NO_ACCESS_VA (WINDOW_VA + 0x20000000u)

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
    for (unsigned i = 0; i < 16; i++) /* the first 16 MiB of RAM, this image included */
        l1[(RT_RAM_BASE >> 20) + i] = section(RT_RAM_BASE + (i << 20), 3, 0, false);
    l1[DEVICE_SECTION_0 >> 20] = section(DEVICE_SECTION_0, 3, 0, true);
    l1[DEVICE_SECTION_1 >> 20] = section(DEVICE_SECTION_1, 3, 0, true);
    l1[WINDOW_VA >> 20] = (uint32_t)(uintptr_t)l2 | 1u;         /* page table, domain 0 */
    l1[NO_ACCESS_VA >> 20] = section(RT_RAM_BASE, 3, 2, false); /* domain 2 (no access) */
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
        rt_leave_hyp();
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

    rt_printf("remap read: %08X\n", (unsigned)mmu_probe_read(WINDOW_VA, SENTINEL));
    mmu_probe_write(WINDOW_VA + 0x4u, 0x12345678u);
    rt_printf("remap write: %08X\n", (unsigned)data_page[1]);
    rt_printf("read-only read: %08X\n", (unsigned)mmu_probe_read(WINDOW_VA + 0x1000u, SENTINEL));
    mmu_fault[0] = 0;

    mmu_probe_read(UNMAPPED_VA, SENTINEL);
    fault_line("unmapped section read", false);
    mmu_probe_write(WINDOW_VA + 0x1000u, 1);
    fault_line("read-only page write", false);
    mmu_probe_read(WINDOW_VA + 0x2008u, SENTINEL);
    fault_line("invalid page read", false);
    mmu_probe_read(NO_ACCESS_VA + 0x10u, SENTINEL);
    fault_line("no-access domain read", false);
    mmu_probe_exec(WINDOW_VA + 0x3000u);
    fault_line("execute-never fetch", true);
    rt_printf("remapped code: %08X\n", (unsigned)mmu_probe_exec(WINDOW_VA + 0x4000u));

    /* Page 0 now maps the read-only page's frame (read/write); after TLBIMVA the new
     * translation is the one used. */
    l2[0] = small_page((uint32_t)(uintptr_t)ro_page, 3, false);
    tlbi_mva(WINDOW_VA);
    rt_printf("after TLBIMVA: %08X\n", (unsigned)mmu_probe_read(WINDOW_VA, SENTINEL));

    write_sctlr(read_sctlr() & ~1u);
    rt_printf("mmu: off, faults unexpected %u\n", (unsigned)mmu_fault[0]);
    rt_printf("mmu-selftest: done\n");
    return 0;
}
