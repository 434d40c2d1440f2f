/*
 * smp-hsm: an S-mode payload that brings up the other harts through SBI HSM and sends IPIs to
 * them, on any firmware that implements SBI (OpenSBI's fw_dynamic, hetboot's built-in SBI).
 * SBI calls only: no M-mode code, no UART driver (the console is the legacy console_putchar).
 *
 * The boot hart (whichever hart the firmware enters first: a0 = hartid, a1 = DTB):
 *   1. prints its hartid and the SBI BASE information (spec version, implementation ID and
 *      version: the one line that depends on the firmware) and probes the extensions it uses;
 *   2. walks the DTB's /cpus for the enabled harts (status absent, "okay" or "ok");
 *   3. starts every other enabled hart with hart_start(hartid, hart_entry, opaque), waits for
 *      it to print and check a1 = opaque, and checks hart_get_status before (STOPPED) and
 *      after (STARTED), and that a second hart_start is refused (ALREADY_AVAILABLE);
 *   4. sends one SBI send_ipi to all of them (hart mask): each takes a supervisor software
 *      interrupt, clears sip.SSIP and counts it; then the same through the ACLINT SSWI when the
 *      DTB has a "riscv,aclint-sswi" node (QEMU virt aclint=on), else prints a skip line;
 *   5. asks the highest hart (woken by an SBI IPI) to stop itself with hart_stop, waits for hart_get_status to say
 *      STOPPED, starts it again with a new opaque value;
 *   6. shuts the system down with SRST (legacy shutdown if SRST returns).
 * Only one hart prints at a time and every step waits for the previous one, so the output
 * is the same line for line whatever the schedule. A check that fails prints "smp-hsm: FAIL"
 * and shuts down with SRST reason "system failure".
 *
 * SBI specification v2.0: BASE (EID 0x10), legacy console_putchar (0x01) and shutdown (0x08),
 * IPI (0x735049), HSM (0x48534D), SRST (0x53525354). Returns a0 = error, a1 = value.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "sbi.h"

#define MAX_HARTS 8
#define WAIT_LIMIT 100000000ul /* polls before a wait is declared failed: QEMU runs harts on
                                    * host threads, which a loaded host may not run for a while */

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define HSM_STARTED 0
#define HSM_STOPPED 1

#define SIP_SSIP (1ul << 1)
#define SSTATUS_SIE (1ul << 1)
#define SCAUSE_SSI ((1ul << 63) | 1)


/* ---- console: legacy console_putchar, one hart at a time ---- */

static volatile uint32_t print_lock;

static void putc_sbi(char c) { sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0); }

static void put_unsigned(unsigned long v, unsigned base)
{
    char buf[24];
    int n = 0;
    do {
        unsigned d = (unsigned)(v % base);
        buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    while (n)
        putc_sbi(buf[--n]);
}

/* %u %d (decimal), %x (0x + lower-case hex), %s, %% — arguments are unsigned long / long. */
static void say(const char *fmt, ...)
{
    uint32_t old;
    do {
        __asm__ volatile("amoswap.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1u), "r"(&print_lock) : "memory");
    } while (old);
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putc_sbi(*fmt);
            continue;
        }
        switch (*++fmt) {
        case 'u': put_unsigned(va_arg(ap, unsigned long), 10); break;
        case 'd': {
            long v = va_arg(ap, long);
            if (v < 0) {
                putc_sbi('-');
                v = -v;
            }
            put_unsigned((unsigned long)v, 10);
            break;
        }
        case 'x': putc_sbi('0'); putc_sbi('x'); put_unsigned(va_arg(ap, unsigned long), 16); break;
        case 's': for (const char *s = va_arg(ap, const char *); *s; s++) putc_sbi(*s); break;
        case '%': putc_sbi('%'); break;
        default: return; /* not reached: every format here is one of the above */
        }
    }
    va_end(ap);
    __asm__ volatile("amoswap.w.rl zero, zero, (%0)" ::"r"(&print_lock) : "memory");
}

static __attribute__((noreturn)) void shutdown(unsigned long reason)
{
    sbi_call(SBI_EXT_SRST, 0, 0 /* shutdown */, reason, 0);
    sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

static __attribute__((noreturn)) void fail(const char *what, unsigned long hart, long value)
{
    say("smp-hsm: FAIL: %s (hart %u, value %d)\n", what, hart, value);
    shutdown(1 /* system failure */);
}

/* ---- the device tree (Devicetree Specification v0.4, chapter 5) ---- */

#define FDT_MAGIC 0xD00DFEEDu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u
#define FDT_MAX_DEPTH 16

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static bool starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return false;
    return true;
}

/* Whether the string list [value, value + len) holds `want`. */
static bool list_has(const char *value, uint32_t len, const char *want)
{
    uint32_t i = 0;
    while (i < len) {
        if (str_eq(value + i, want))
            return true;
        while (i < len && value[i])
            i++;
        i++;
    }
    return false;
}

struct dt_harts {
    unsigned listed;             /* /cpus/cpu@N nodes */
    uint64_t enabled;            /* bit h: hart h's node is enabled */
    uintptr_t sswi;              /* riscv,aclint-sswi base, 0 = none */
};

/* Walks the tree once; false when it is not a device tree this walk understands. */
static bool dt_scan(uintptr_t fdt_address, struct dt_harts *out)
{
    const uint8_t *fdt = (const uint8_t *)fdt_address;
    if (fdt_address == 0 || (fdt_address & 3) || be32(fdt) != FDT_MAGIC)
        return false;
    uint32_t off = be32(fdt + 8), size = be32(fdt + 0x24), strings = be32(fdt + 12);
    uint32_t end = off + size;
    unsigned depth = 0;
    bool in_cpus = false, is_cpu[FDT_MAX_DEPTH] = {0}, sswi[FDT_MAX_DEPTH] = {0};
    bool disabled[FDT_MAX_DEPTH] = {0};
    uint64_t reg[FDT_MAX_DEPTH] = {0};
    *out = (struct dt_harts){0, 0, 0};
    while (off + 4 <= end) {
        uint32_t token = be32(fdt + off);
        off += 4;
        if (token == FDT_BEGIN_NODE) {
            const char *name = (const char *)fdt + off;
            uint32_t len = 0;
            while (name[len])
                len++;
            if (++depth >= FDT_MAX_DEPTH)
                return false;
            if (depth == 2 && str_eq(name, "cpus"))
                in_cpus = true;
            is_cpu[depth] = depth == 3 && in_cpus && starts_with(name, "cpu@");
            sswi[depth] = disabled[depth] = false;
            reg[depth] = 0;
            off = (off + len + 1 + 3) & ~3u;
        } else if (token == FDT_END_NODE) {
            if (depth == 0)
                return false;
            if (is_cpu[depth]) {
                out->listed++;
                if (!disabled[depth] && reg[depth] < MAX_HARTS)
                    out->enabled |= 1ul << reg[depth];
            }
            if (sswi[depth] && !disabled[depth])
                out->sswi = (uintptr_t)reg[depth];
            if (depth == 2)
                in_cpus = false;
            depth--;
        } else if (token == FDT_PROP) {
            uint32_t len = be32(fdt + off), nameoff = be32(fdt + off + 4);
            const char *name = (const char *)fdt + strings + nameoff;
            const char *value = (const char *)fdt + off + 8;
            if (str_eq(name, "reg") && len >= 4) {
                /* cpu@N: one cell (/cpus #address-cells = 1); /soc nodes: two cells. */
                reg[depth] = len >= 8 && !is_cpu[depth]
                                 ? (uint64_t)be32((const uint8_t *)value) << 32 | be32((const uint8_t *)value + 4)
                                 : be32((const uint8_t *)value);
            } else if (str_eq(name, "status")) {
                disabled[depth] = !(str_eq(value, "okay") || str_eq(value, "ok"));
            } else if (str_eq(name, "compatible")) {
                sswi[depth] = list_has(value, len, "riscv,aclint-sswi");
            }
            off = (off + 8 + len + 3) & ~3u;
        } else if (token == FDT_NOP) {
            continue;
        } else if (token == FDT_END) {
            return true;
        } else {
            return false;
        }
    }
    return false;
}

/* ---- harts ---- */

struct hart_slot {
    volatile unsigned long opaque;   /* what hart_start passes in a1 */
    volatile unsigned long started;  /* generation the hart has checked in for */
    volatile unsigned long ssi_count;
    volatile unsigned long stop_request;
    volatile unsigned long stopping;
} __attribute__((aligned(64)));

static struct hart_slot slots[MAX_HARTS];

extern char hart_entry[];

static unsigned long this_hart(void)
{
    unsigned long h;
    __asm__ volatile("mv %0, tp" : "=r"(h));
    return h;
}

/* Supervisor software interrupt: acknowledge it and count it. */
void s_trap(unsigned long scause, unsigned long sepc)
{
    unsigned long h = this_hart();
    if (scause != SCAUSE_SSI || h >= MAX_HARTS) {
        say("smp-hsm: FAIL: unexpected trap scause %x sepc %x on hart %u\n", scause, sepc, h);
        shutdown(1);
    }
    __asm__ volatile("csrc sip, %0" ::"r"(SIP_SSIP) : "memory");
    slots[h].ssi_count++;
    __asm__ volatile("fence rw, rw" ::: "memory");
}

/* A hart started by hart_start: check a1, check in, then take IPIs until asked to stop. */
void hart_main(unsigned long hartid, unsigned long opaque)
{
    struct hart_slot *s = &slots[hartid];
    if (opaque != s->opaque)
        fail("hart_start passed a different a1 (opaque)", hartid, (long)opaque);
    say("hart%u: started by HSM, a1 = opaque %x\n", hartid, opaque);
    __asm__ volatile("fence rw, rw" ::: "memory");
    s->started++;
    __asm__ volatile("csrs sie, %0" ::"r"(SIP_SSIP) : "memory");
    __asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_SIE) : "memory");
    while (!s->stop_request)
        __asm__ volatile("wfi" ::: "memory");
    __asm__ volatile("csrc sstatus, %0" ::"r"(SSTATUS_SIE) : "memory");
    s->stop_request = 0;
    say("hart%u: stopping itself with HSM hart_stop\n", hartid);
    __asm__ volatile("fence rw, rw" ::: "memory");
    s->stopping = 1;
    struct sbiret r = sbi_call(SBI_EXT_HSM, 1, 0, 0, 0);
    fail("hart_stop returned", hartid, r.error);
}

static void wait_until(volatile unsigned long *p, unsigned long value, const char *what, unsigned long hart)
{
    for (unsigned long i = 0; *p != value; i++)
        if (i == WAIT_LIMIT)
            fail(what, hart, (long)*p);
    __asm__ volatile("fence rw, rw" ::: "memory");
}

static long hart_status(unsigned long hart)
{
    struct sbiret r = sbi_call(SBI_EXT_HSM, 2, hart, 0, 0);
    if (r.error)
        fail("hart_get_status failed", hart, r.error);
    return r.value;
}

static const char *status_name(long s)
{
    static const char *names[] = {"STARTED", "STOPPED", "START_PENDING", "STOP_PENDING", "SUSPENDED"};
    return s >= 0 && s < 5 ? names[s] : "?";
}

static void start_hart(unsigned long hart, unsigned long opaque)
{
    struct hart_slot *s = &slots[hart];
    unsigned long generation = s->started + 1;
    s->opaque = opaque;
    __asm__ volatile("fence rw, rw" ::: "memory");
    struct sbiret r = sbi_call(SBI_EXT_HSM, 0, hart, (unsigned long)hart_entry, opaque);
    if (r.error)
        fail("hart_start failed", hart, r.error);
    wait_until(&s->started, generation, "started hart never checked in", hart);
    long status = hart_status(hart);
    say("smp-hsm: hart %u status %s\n", hart, status_name(status));
    if (status != HSM_STARTED)
        fail("a started hart is not STARTED", hart, status);
}

static void wait_for_ssi(uint64_t targets, unsigned long expected, const char *how)
{
    for (unsigned long h = 0; h < MAX_HARTS; h++) {
        if (!(targets >> h & 1))
            continue;
        wait_until(&slots[h].ssi_count, expected, "IPI not taken", h);
        say("smp-hsm: hart %u took the %s IPI and cleared sip.SSIP\n", h, how);
    }
}

void boot_main(unsigned long hartid, uintptr_t dtb)
{
    say("smp-hsm: boot hart %u entered in S-mode\n", hartid);

    struct sbiret spec = sbi_call(SBI_EXT_BASE, 0, 0, 0, 0);
    struct sbiret impl = sbi_call(SBI_EXT_BASE, 1, 0, 0, 0);
    struct sbiret version = sbi_call(SBI_EXT_BASE, 2, 0, 0, 0);
    unsigned long sv = (unsigned long)spec.value;
    say("smp-hsm: SBI spec %u.%u, implementation %x version %x\n", sv >> 24 & 0x7F, sv & 0xFFFFFF,
        (unsigned long)impl.value, (unsigned long)version.value);
    static const unsigned long used[] = {SBI_EXT_TIME, SBI_EXT_IPI, SBI_EXT_RFENCE, SBI_EXT_HSM, SBI_EXT_SRST};
    static const char *used_names[] = {"TIME", "IPI", "RFENCE", "HSM", "SRST"};
    for (unsigned i = 0; i < 5; i++) {
        struct sbiret p = sbi_call(SBI_EXT_BASE, 3, used[i], 0, 0);
        if (p.error || p.value == 0)
            fail(used_names[i], hartid, p.value);
    }
    say("smp-hsm: probe_extension: TIME IPI RFENCE HSM SRST present\n");

    struct dt_harts dt;
    if (!dt_scan(dtb, &dt))
        fail("a1 is not a device tree", hartid, (long)dtb);
    if (!(dt.enabled >> hartid & 1))
        fail("the boot hart is not enabled in the DTB", hartid, 0);
    say("smp-hsm: DTB lists %u harts; enabled:", (unsigned long)dt.listed);
    for (unsigned long h = 0; h < MAX_HARTS; h++)
        if (dt.enabled >> h & 1)
            say(" %u", h);
    say("\n");

    uint64_t others = dt.enabled & ~(1ul << hartid);
    say("smp-hsm: hart %u status %s\n", hartid, status_name(hart_status(hartid)));
    for (unsigned long h = 0; h < MAX_HARTS; h++) {
        if (!(others >> h & 1))
            continue;
        long status = hart_status(h);
        say("smp-hsm: hart %u status %s\n", h, status_name(status));
        if (status != HSM_STOPPED)
            fail("a hart not yet started is not STOPPED", h, status);
        start_hart(h, 0x5EED0000ul + h);
        struct sbiret again = sbi_call(SBI_EXT_HSM, 0, h, (unsigned long)hart_entry, 0);
        if (again.error != SBI_ERR_ALREADY_AVAILABLE)
            fail("a second hart_start was not refused with ALREADY_AVAILABLE", h, again.error);
        say("smp-hsm: hart_start(hart %u) again: ALREADY_AVAILABLE\n", h);
    }
    if (!others) {
        say("smp-hsm: no other hart enabled: IPI and hart_stop checks skipped\n");
        say("smp-hsm: all checks passed\n");
        shutdown(0);
    }

    /* One SBI call, one hart mask for every target (hart_mask_base 0). */
    struct sbiret r = sbi_call(SBI_EXT_IPI, 0, others, 0, 0);
    if (r.error)
        fail("send_ipi failed", hartid, r.error);
    wait_for_ssi(others, 1, "SBI");

    if (dt.sswi) {
        say("smp-hsm: ACLINT SSWI at %x\n", (unsigned long)dt.sswi);
        for (unsigned long h = 0; h < MAX_HARTS; h++)
            if (others >> h & 1)
                *(volatile uint32_t *)(dt.sswi + 4 * h) = 1; /* SETSSIP[h]: hart index = hartid on one socket */
        wait_for_ssi(others, 2, "SSWI");
    } else {
        say("smp-hsm: no riscv,aclint-sswi in the DTB: SSWI IPIs skipped\n");
    }

    unsigned long last = 63 - (unsigned long)__builtin_clzl(others);
    slots[last].stop_request = 1;
    __asm__ volatile("fence rw, rw" ::: "memory");
    r = sbi_call(SBI_EXT_IPI, 0, 1ul << last, 0, 0); /* wake it from WFI to see the request */
    if (r.error)
        fail("send_ipi failed", hartid, r.error);
    wait_until(&slots[last].stopping, 1, "hart never reached hart_stop", last);
    long status = HSM_STARTED;
    for (unsigned long i = 0; i < WAIT_LIMIT && (status = hart_status(last)) != HSM_STOPPED; i++)
        ;
    if (status != HSM_STOPPED)
        fail("a stopped hart never became STOPPED", last, status);
    say("smp-hsm: hart %u status %s after hart_stop\n", last, status_name(status));
    slots[last].stopping = 0;
    start_hart(last, 0x5EED1000ul + last);

    say("smp-hsm: all checks passed\n");
    shutdown(0);
}
