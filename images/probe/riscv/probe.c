/*
 * The RISC-V probe of `hetboot check`: what KVM RISC-V's init would learn on this hart, printed
 * as `probe.KEY=VALUE` lines the check engine reads (Sources/Analysis/Compatibility). An S-mode
 * payload under an SBI (hetboot's built-in one; OpenSBI works too), entered on the one hart the
 * engine starts (a0 = hartid, a1 = the device tree), on riscv/smp-hsm's entry code.
 *
 *   1. hart id and this hart's `riscv,isa` from the device tree (Linux reads the ISA there);
 *   2. mvendorid/marchid/mimpid, the SBI specification version and implementation, and the
 *      SBI extensions KVM uses (SBI v2.0 BASE, chapter 4);
 *   3. whether the H extension is there: reading hstatus raises an illegal-instruction
 *      exception without it (privileged spec §8.2);
 *   4. the G-stage mode, as kvm_riscv_gstage_mode_detect does: write hgatp.MODE = Sv57x4,
 *      Sv48x4, Sv39x4 in turn and keep the first that reads back; the VMID width, as
 *      kvm_riscv_gstage_vmid_detect: all ones into hgatp.VMID, count what sticks;
 *   5. the per-hart HS-mode setup of kvm_arch_hardware_enable: hedeleg, hideleg, hcounteren,
 *      hvip written and read back.
 */
#include <stdint.h>

#include "sbi.h"

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE 0x10
#define SBI_EXT_SRST 0x53525354

static void put_string(const char *s)
{
    for (; *s; s++)
        sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*s, 0, 0);
}

static void put_hex(unsigned long v)
{
    char buf[20];
    int n = 0;
    do {
        buf[n++] = "0123456789ABCDEF"[v & 0xF];
        v >>= 4;
    } while (v);
    put_string("0x");
    while (n)
        sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)buf[--n], 0, 0);
}

static void put_key(const char *key)
{
    put_string("probe.");
    put_string(key);
    put_string("=");
}

static void line_hex(const char *key, unsigned long v)
{
    put_key(key);
    put_hex(v);
    put_string("\n");
}

static void line(const char *key, const char *value)
{
    put_key(key);
    put_string(value);
    put_string("\n");
}

static __attribute__((noreturn)) void shutdown(void)
{
    sbi_call(SBI_EXT_SRST, 0, 0 /* shutdown */, 0 /* reason */, 0);
    sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

/* ---- traps: an illegal instruction while probing skips it and is counted ---- */

static volatile unsigned long illegal_traps;

void s_trap(unsigned long scause, unsigned long sepc)
{
    if (scause == 2) { /* illegal instruction: skip the 4-byte CSR instruction */
        illegal_traps++;
        __asm__ volatile("csrw sepc, %0" ::"r"(sepc + 4) : "memory");
        return;
    }
    line_hex("unexpected-trap.scause", scause);
    line("done", "1");
    shutdown();
}

void hart_main(unsigned long hartid, unsigned long opaque) { shutdown(); }

/* ---- the device tree: this hart's riscv,isa (Devicetree Specification v0.4, ch. 5) ---- */

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++) return 0;
    return 1;
}

static const char *hart_isa(uintptr_t fdt, unsigned long hartid)
{
    const uint8_t *h = (const uint8_t *)fdt;
    if (!fdt || be32(h) != 0xD00DFEEDu) return 0;
    const uint8_t *structs = h + be32(h + 8);
    const char *strings = (const char *)h + be32(h + 12);
    uint32_t size = be32(h + 36);
    int depth = 0, in_cpu = 0, cpu_depth = 0;
    unsigned long reg = ~0ul;
    const char *isa = 0;
    for (uint32_t off = 0; off + 4 <= size;) {
        uint32_t token = be32(structs + off);
        off += 4;
        if (token == 1) { /* BEGIN_NODE */
            const char *name = (const char *)structs + off;
            uint32_t len = 0;
            while (name[len]) len++;
            off += (len + 4) & ~3u;
            depth++;
            if (depth == 3 && starts_with(name, "cpu@")) {
                in_cpu = 1;
                cpu_depth = depth;
                reg = ~0ul;
                isa = 0;
            }
        } else if (token == 2) { /* END_NODE */
            if (in_cpu && depth == cpu_depth) {
                if (reg == hartid && isa) return isa;
                in_cpu = 0;
            }
            depth--;
        } else if (token == 3) { /* PROP */
            uint32_t len = be32(structs + off), nameoff = be32(structs + off + 4);
            const uint8_t *value = structs + off + 8;
            off += 8 + ((len + 3) & ~3u);
            if (in_cpu && depth == cpu_depth) {
                if (str_eq(strings + nameoff, "reg") && len >= 4) reg = be32(value + len - 4);
                if (str_eq(strings + nameoff, "riscv,isa")) isa = (const char *)value;
            }
        } else if (token == 4) { /* NOP */
        } else {
            break;
        }
    }
    return 0;
}

/* ---- H-extension CSRs through their numbers (the assembler knows them with +h) ---- */

#define CSR_READ(num)                                                                      \
    ({                                                                                     \
        unsigned long __v = 0;                                                             \
        __asm__ volatile("csrr %0, " #num : "=r"(__v)::"memory");                          \
        __v;                                                                               \
    })
#define CSR_WRITE(num, v) __asm__ volatile("csrw " #num ", %0" ::"r"((unsigned long)(v)) : "memory")

#define HGATP_MODE_SHIFT 60
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK (0x3FFFul << HGATP_VMID_SHIFT)

void boot_main(unsigned long hartid, uintptr_t dtb)
{
    line_hex("hart", hartid);
    const char *isa = hart_isa(dtb, hartid);
    line("isa", isa ? isa : "unknown");
    line_hex("mvendorid", (unsigned long)sbi_call(SBI_EXT_BASE, 4, 0, 0, 0).value);
    line_hex("marchid", (unsigned long)sbi_call(SBI_EXT_BASE, 5, 0, 0, 0).value);
    line_hex("mimpid", (unsigned long)sbi_call(SBI_EXT_BASE, 6, 0, 0, 0).value);
    line_hex("sbi.spec", (unsigned long)sbi_call(SBI_EXT_BASE, 0, 0, 0, 0).value);
    line_hex("sbi.impl", (unsigned long)sbi_call(SBI_EXT_BASE, 1, 0, 0, 0).value);
    static const struct { const char *key; unsigned long eid; } exts[] = {
        {"sbi.ext.time", 0x54494D45}, {"sbi.ext.ipi", 0x735049}, {"sbi.ext.rfence", 0x52464E43}, {"sbi.ext.hsm", 0x48534D}};
    for (unsigned i = 0; i < sizeof exts / sizeof exts[0]; i++)
        line(exts[i].key, sbi_call(SBI_EXT_BASE, 3, exts[i].eid, 0, 0).value ? "1" : "0");

    unsigned long before = illegal_traps;
    (void)CSR_READ(0x600); /* hstatus */
    int has_h = illegal_traps == before;
    line("h", has_h ? "1" : "0");
    if (!has_h) {
        line("gstage", "none");
        line("hyp-init", "failed:no H extension (reading hstatus is an illegal instruction)");
        line("done", "1");
        shutdown();
    }
    const char *mode = "none";
    static const struct { const char *name; unsigned long mode; } modes[] = {{"sv57x4", 10}, {"sv48x4", 9}, {"sv39x4", 8}};
    for (unsigned i = 0; i < 3; i++) {
        CSR_WRITE(0x680, modes[i].mode << HGATP_MODE_SHIFT);
        if (CSR_READ(0x680) >> HGATP_MODE_SHIFT == modes[i].mode) {
            mode = modes[i].name;
            break;
        }
    }
    line("gstage", mode);
    CSR_WRITE(0x680, HGATP_VMID_MASK);
    unsigned long vmid = (CSR_READ(0x680) & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT;
    CSR_WRITE(0x680, 0);
    unsigned long bits = 0;
    while (vmid & 1) bits++, vmid >>= 1;
    line_hex("vmid.bits", bits);
    /* kvm_arch_hardware_enable: hedeleg/hideleg (the values KVM delegates), hcounteren, hvip. */
    unsigned long hedeleg = (1ul << 0) | (1ul << 3) | (1ul << 8) | (1ul << 12) | (1ul << 13) | (1ul << 15);
    unsigned long hideleg = (1ul << 2) | (1ul << 6) | (1ul << 10);
    CSR_WRITE(0x602, hedeleg);
    CSR_WRITE(0x603, hideleg);
    CSR_WRITE(0x606, 0x2);
    CSR_WRITE(0x645, 0);
    if (illegal_traps != before)
        line("hyp-init", "failed:an H CSR write trapped");
    else if (CSR_READ(0x602) != hedeleg || CSR_READ(0x603) != hideleg)
        line("hyp-init", "failed:hedeleg/hideleg did not read back");
    else
        line("hyp-init", "ok");
    line("done", "1");
    shutdown();
}
