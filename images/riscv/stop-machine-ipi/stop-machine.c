/*
 * stop-machine-ipi: scenario S3 (RISC-V, 2024) — an IPI sent to harts that cannot take it.
 *
 * Linux's stop_machine() runs a function while every other hart waits in multi_cpu_stop()
 * with interrupts disabled (local_irq_disable: sstatus.SIE = 0). If that function flushes the
 * TLB of the other harts with an on_each_cpu()-style cross-call — S-mode IPIs (here the ACLINT
 * SSWI of QEMU's virt,aclint=on) plus per-hart call data whose lock the caller waits on in
 * csd_lock_wait() — nobody ever takes the IPI: the other harts spin in multi_cpu_stop with
 * SIE = 0, the caller spins in csd_lock_wait, and the machine is dead.
 *
 * An S-mode payload (SBI only: hetboot --bios sbi, or OpenSBI), started on the boot hart; it
 * starts the other harts with HSM hart_start. Built three ways (images/build.sh):
 *   VARIANT_IPI           flush_tlb_all() cross-calls the others with SSWI IPIs and waits:
 *                         the deadlock hetboot must diagnose;
 *   VARIANT_SBI_RFENCE    the remote flush goes through SBI RFENCE remote_sfence_vma, which
 *                         the firmware performs with M-level IPIs (SBI spec v2.0, chapter 8):
 *                         passes;
 *   VARIANT_LOCAL         every hart flushes its own TLB inside the rendezvous: passes.
 * The names follow Linux (kernel/stop_machine.c, kernel/smp.c, arch/riscv/mm/tlbflush.c) so
 * the diagnosis reads like the real stack.
 */
#include <stdint.h>

#include "sbi.h"

#define MAX_HARTS 8

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354

#define SIE_SSIE (1ul << 1)
#define SIP_SSIP (1ul << 1)
#define SSTATUS_SIE (1ul << 1)
#define SCAUSE_SSI ((1ul << 63) | 1)

#define ACLINT_SSWI_BASE 0x2F00000ul /* QEMU virt.c VIRT_ACLINT_SSWI; SETSSIP at +4·hart */

#if !defined(VARIANT_IPI) && !defined(VARIANT_SBI_RFENCE) && !defined(VARIANT_LOCAL)
#error "build with -DVARIANT_IPI, -DVARIANT_SBI_RFENCE or -DVARIANT_LOCAL"
#endif


/* ---- console: one line at a time under a lock (the legacy console_putchar) ---- */

static volatile uint32_t print_lock;

static void print_lock_take(void)
{
    uint32_t old;
    do {
        __asm__ volatile("amoswap.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1u), "r"(&print_lock) : "memory");
    } while (old);
}

static void print_lock_drop(void) { __asm__ volatile("amoswap.w.rl zero, zero, (%0)" ::"r"(&print_lock) : "memory"); }

static void put_string(const char *s)
{
    for (; *s; s++)
        sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*s, 0, 0);
}

static void put_decimal(unsigned long v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)buf[--n], 0, 0);
}

/* "hartN: TEXT" */
static void hart_says(unsigned long hart, const char *text)
{
    print_lock_take();
    put_string("hart");
    put_decimal(hart);
    put_string(": ");
    put_string(text);
    put_string("\n");
    print_lock_drop();
}

static __attribute__((noreturn)) void shutdown(unsigned long reason)
{
    sbi_call(SBI_EXT_SRST, 0, 0 /* shutdown */, reason, 0);
    sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

static unsigned long this_hart(void)
{
    unsigned long h;
    __asm__ volatile("mv %0, tp" : "=r"(h));
    return h;
}

static inline void local_flush_tlb_all(void) { __asm__ volatile("sfence.vma" ::: "memory"); }

/* ---- the cross-call: per-hart call data, its lock, the IPI handler (kernel/smp.c) ---- */

#define CSD_FLAG_LOCK 1u

struct call_single_data {
    volatile uint32_t flags;
    void (*volatile func)(void);
};

static struct call_single_data csd[MAX_HARTS];
static volatile unsigned long flushes[MAX_HARTS];

static void do_flush_tlb_all(void)
{
    local_flush_tlb_all();
    flushes[this_hart()]++;
}

/* The supervisor software interrupt: run the queued function, release the call data. */
void s_trap(unsigned long scause, unsigned long sepc)
{
    unsigned long h = this_hart();
    if (scause != SCAUSE_SSI || h >= MAX_HARTS) {
        hart_says(h, "FAIL: unexpected trap");
        shutdown(1);
    }
    __asm__ volatile("csrc sip, %0" ::"r"(SIP_SSIP) : "memory");
    if (csd[h].flags & CSD_FLAG_LOCK) {
        csd[h].func();
        __asm__ volatile("fence rw, rw" ::: "memory");
        csd[h].flags = 0;
    }
}

/* Wait until the target has run the function and released the call data (no timeout: as
 * Linux without CONFIG_CSD_LOCK_WAIT_DEBUG). */
__attribute__((noinline)) void csd_lock_wait(struct call_single_data *c)
{
    while (c->flags & CSD_FLAG_LOCK)
        ;
    __asm__ volatile("fence rw, rw" ::: "memory");
}

static unsigned long nr_harts;

/* on_each_cpu(func) minus the local call: queue on every other hart, IPI it, wait for all. */
__attribute__((noinline)) void smp_call_function_many(void (*func)(void))
{
    unsigned long self = this_hart();
    for (unsigned long h = 0; h < nr_harts; h++) {
        if (h == self)
            continue;
        csd[h].func = func;
        csd[h].flags = CSD_FLAG_LOCK;
        __asm__ volatile("fence rw, rw" ::: "memory");
        *(volatile uint32_t *)(ACLINT_SSWI_BASE + 4 * h) = 1; /* SETSSIP */
    }
    for (unsigned long h = 0; h < nr_harts; h++)
        if (h != self)
            csd_lock_wait(&csd[h]);
}

/* flush_tlb_all() as the stop function calls it. */
__attribute__((noinline)) void flush_tlb_all(void)
{
#if defined(VARIANT_IPI)
    smp_call_function_many(do_flush_tlb_all);
    do_flush_tlb_all();
#elif defined(VARIANT_SBI_RFENCE)
    /* sbi_remote_sfence_vma(hart_mask = every hart, base 0, start 0, size -1: all) */
    struct sbiret r;
    register unsigned long a3 __asm__("a3") = ~0ul;
    {
        register unsigned long a0 __asm__("a0") = (1ul << nr_harts) - 1;
        register unsigned long a1 __asm__("a1") = 0;
        register unsigned long a2 __asm__("a2") = 0;
        register unsigned long a6 __asm__("a6") = 1; /* REMOTE_SFENCE_VMA */
        register unsigned long a7 __asm__("a7") = SBI_EXT_RFENCE;
        __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a3), "r"(a6), "r"(a7) : "memory");
        r = (struct sbiret){(long)a0, (long)a1};
    }
    if (r.error) {
        hart_says(this_hart(), "FAIL: sbi_remote_sfence_vma failed");
        shutdown(1);
    }
    do_flush_tlb_all();
#else
    /* VARIANT_LOCAL: every hart flushes itself in multi_cpu_stop; nothing to send. */
    do_flush_tlb_all();
#endif
}

/* ---- stop_machine: the rendezvous (kernel/stop_machine.c multi_cpu_stop) ---- */

enum multi_stop_state { MULTI_STOP_PREPARE, MULTI_STOP_RUN, MULTI_STOP_EXIT };

static volatile unsigned long arrived;
static volatile unsigned long state = MULTI_STOP_PREPARE;
#if defined(VARIANT_LOCAL)
static volatile unsigned long done_local;
#endif

static void atomic_inc(volatile unsigned long *p)
{
    __asm__ volatile("amoadd.d zero, %0, (%1)" ::"r"(1ul), "r"(p) : "memory");
}

__attribute__((noinline)) void multi_cpu_stop(int is_active)
{
    unsigned long h = this_hart();
    __asm__ volatile("csrc sstatus, %0" ::"r"(SSTATUS_SIE) : "memory"); /* local_irq_disable */
    hart_says(h, is_active ? "in multi_cpu_stop, interrupts off, runs the stop function"
                           : "in multi_cpu_stop, interrupts off, waits");
    atomic_inc(&arrived);
    while (arrived != nr_harts)
        ;
    if (is_active) {
        state = MULTI_STOP_RUN;
        flush_tlb_all();
#if defined(VARIANT_LOCAL)
        while (done_local != nr_harts - 1)
            ;
#endif
        __asm__ volatile("fence rw, rw" ::: "memory");
        state = MULTI_STOP_EXIT;
    } else {
#if defined(VARIANT_LOCAL)
        while (state != MULTI_STOP_RUN && state != MULTI_STOP_EXIT)
            ;
        do_flush_tlb_all();
        atomic_inc(&done_local);
#endif
        while (state != MULTI_STOP_EXIT)
            ;
    }
    __asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_SIE) : "memory"); /* local_irq_enable */
}

static volatile unsigned long left;

extern void hart_entry(void); /* riscv/smp-hsm/start.S: sets stvec and the stack, calls hart_main */

/* A hart started by hart_start: interrupts enabled at the source, then the rendezvous. */
void hart_main(unsigned long hartid, unsigned long opaque)
{
    __asm__ volatile("csrs sie, %0" ::"r"(SIE_SSIE) : "memory");
    __asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_SIE) : "memory");
    multi_cpu_stop(0);
    atomic_inc(&left);
    for (;;)
        __asm__ volatile("wfi");
}

void boot_main(unsigned long hartid, uintptr_t dtb)
{
    if (hartid != 0) {
        hart_says(hartid, "FAIL: expected to boot on hart 0");
        shutdown(1);
    }
    /* The harts of virt-riscv -smp N are 0..N-1; start them until hart_start refuses. */
    nr_harts = 1;
    for (unsigned long h = 1; h < MAX_HARTS; h++) {
        struct sbiret r = sbi_call(SBI_EXT_HSM, 0 /* hart_start */, h, (unsigned long)hart_entry, 0);
        if (r.error)
            break;
        nr_harts++;
    }
    print_lock_take();
    put_string("stop-machine-ipi: ");
    put_decimal(nr_harts);
    put_string(" harts, flush_tlb_all by ");
#if defined(VARIANT_IPI)
    put_string("SSWI IPIs (on_each_cpu) inside stop_machine\n");
#elif defined(VARIANT_SBI_RFENCE)
    put_string("SBI RFENCE inside stop_machine\n");
#else
    put_string("local flushes inside stop_machine\n");
#endif
    print_lock_drop();
    __asm__ volatile("csrs sie, %0" ::"r"(SIE_SSIE) : "memory");
    __asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_SIE) : "memory");
    multi_cpu_stop(1);
    while (left != nr_harts - 1)
        ;
    /* Hart 0 flushed itself; the others flushed themselves only in the local variant (with
     * RFENCE the firmware fenced them). */
    for (unsigned long h = 0; h < nr_harts; h++) {
#if defined(VARIANT_LOCAL)
        unsigned long expected = 1;
#else
        unsigned long expected = h == 0 ? 1 : 0;
#endif
        if (flushes[h] != expected) {
            hart_says(h, "FAIL: wrong number of local flushes");
            shutdown(1);
        }
    }
    print_lock_take();
    put_string("stop-machine-ipi: every hart left multi_cpu_stop\n");
    print_lock_drop();
    shutdown(0);
}
