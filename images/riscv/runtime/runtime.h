/*
 * The hetboot RISC-V guest runtime: M-mode start code, trap vector, console (ns16550a or
 * SiFive UART, chosen by a trap-safe probe), spin lock and atomics, hart check-in and the
 * runtime pen, ordered printing, and exit through the sifive_test finisher.
 *
 * Platform (QEMU `virt` and hetboot `virt-riscv`; hetboot `fu740` and QEMU `sifive_u` differ
 * only in the UART): RAM at 0x80000000, every hart enters `_start` at once in M-mode with
 * a0 = mhartid, a1 = DTB, a2 = fw_dynamic_info (QEMU's reset ROM with -bios none).
 *
 * Every image provides `int main(void)`, which runs on hart 0 after it has cleared .bss and
 * chosen the console. The other harts check in (rt_roll_call) and park in the runtime pen
 * until hart 0 hands them a function with rt_run_on(). main's return value becomes the exit
 * status: 0 → finisher PASS (0x5555), anything else → FAIL with that code.
 *
 * RV64IMAC only (no F/D/V: the build rejects them), M-mode, no paging, interrupts off
 * unless a test turns them on.
 */
#ifndef HETBOOT_RV_RUNTIME_H
#define HETBOOT_RV_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT_MAX_HARTS 8
#define RT_STACK_SIZE 16384 /* must match link.ld */

/* ---- platform ---- */
#define RT_FINISHER_BASE 0x100000ul   /* sifive_test: QEMU hw/misc/sifive_test.c */
#define RT_FINISHER_PASS 0x5555u
#define RT_FINISHER_FAIL 0x3333u      /* | code << 16 */
#define RT_CLINT_BASE 0x2000000ul     /* msip + 4h, mtimecmp + 0x4000 + 8h, mtime + 0xBFF8 */
#define RT_NS16550_BASE 0x10000000ul  /* virt UART0 (ns16550a, byte registers) */
#define RT_SIFIVE_UART0_BASE 0x10010000ul /* FU540/FU740 UART0 */

/* exit codes the runtime itself uses (main's nonzero return is passed through) */
#define RT_EXIT_MAIN_FAILED 1
#define RT_EXIT_UNEXPECTED_TRAP 2
#define RT_EXIT_NO_CONSOLE 3

/* ---- CSRs ---- */
#define rt_csr_read(csr)                                                                   \
    ({                                                                                     \
        unsigned long __v;                                                                 \
        __asm__ volatile("csrr %0, " #csr : "=r"(__v)::"memory");                          \
        __v;                                                                               \
    })
#define rt_csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"r"((unsigned long)(val)) : "memory")
#define rt_csr_set(csr, bits) __asm__ volatile("csrs " #csr ", %0" ::"r"((unsigned long)(bits)) : "memory")
#define rt_csr_clear(csr, bits) __asm__ volatile("csrc " #csr ", %0" ::"r"((unsigned long)(bits)) : "memory")

#define MSTATUS_SIE (1ul << 1)
#define MSTATUS_MIE (1ul << 3)
#define MSTATUS_SPIE (1ul << 5)
#define MSTATUS_MPIE (1ul << 7)
#define MSTATUS_SPP (1ul << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP (3ul << 11)
#define MSTATUS_FS (3ul << 13)
#define MSTATUS_MPRV (1ul << 17)
#define MSTATUS_TVM (1ul << 20)
#define MSTATUS_TW (1ul << 21)
#define MSTATUS_TSR (1ul << 22)
#define MSTATUS_UXL (3ul << 32)
#define MSTATUS_SXL (3ul << 34)
#define MSTATUS_SD (1ul << 63)
#define PRV_U 0ul
#define PRV_S 1ul
#define PRV_M 3ul

#define MIP_SSIP (1ul << 1)
#define MIP_MSIP (1ul << 3)
#define MIP_STIP (1ul << 5)
#define MIP_MTIP (1ul << 7)
#define MIP_SEIP (1ul << 9)
#define MIP_MEIP (1ul << 11)

#define MCAUSE_INTERRUPT (1ul << 63)
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_MISALIGNED_LOAD 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_USER_ECALL 8
#define CAUSE_SUPERVISOR_ECALL 9
#define CAUSE_MACHINE_ECALL 11
#define IRQ_S_SOFT 1
#define IRQ_M_SOFT 3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7

static inline unsigned rt_hartid(void) { return (unsigned)rt_csr_read(mhartid); }
static inline void rt_fence(void) { __asm__ volatile("fence iorw, iorw" ::: "memory"); }
static inline void rt_wfi(void) { __asm__ volatile("wfi" ::: "memory"); }

/* ---- console (console.c) ----
 * rt_console_init (hart 0, once) chooses the UART; see console.c for how and why. */
enum rt_console { RT_CONSOLE_NONE, RT_CONSOLE_NS16550A, RT_CONSOLE_SIFIVE_UART };
void rt_console_init(void);
enum rt_console rt_console_kind(void);
void rt_putc(char c);                /* raw byte, no lock */
void rt_puts(const char *s);         /* raw string, no lock */
void rt_put_hex64(uint64_t v);       /* "0x" + 16 upper-case hex digits, no lock */
/* Formatted output under the console lock (a hart that already holds it, e.g. from a trap
 * taken while printing, prints without taking it again). Conversions: %s %c %d %u %x %X %%
 * with an optional 'l' (64-bit), '0' flag and width (e.g. %016lX). */
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_vprintf(const char *fmt, va_list ap);

/* ---- spin lock and atomics (lock.c) ---- */
typedef struct {
    volatile uint32_t word; /* 0 free, 1 taken (AMOSWAP.W.AQ / AMOSWAP.W.RL) */
} rt_lock_t;
#define RT_LOCK_INIT {0}
void rt_lock(rt_lock_t *l);
void rt_unlock(rt_lock_t *l);
uint64_t rt_atomic_add(volatile uint64_t *p, uint64_t delta); /* LR.D/SC.D; returns new value */
uint64_t rt_atomic_or(volatile uint64_t *p, uint64_t bits);   /* AMOOR.D; returns old value */

/* ---- traps (start.S, trap.c) ---- */
struct rt_trap_frame {
    uint64_t x[32]; /* x[0] unused; x[2] = sp at the trap; restored on return */
    uint64_t mepc, mcause, mtval, mstatus; /* mepc and mstatus are written back before MRET */
};
/* A per-hart hook sees every trap first; returning true resumes at frame->mepc (with
 * frame->mstatus and the registers as the hook left them), false falls through to the
 * probe logic and then to the unexpected-trap report. */
typedef bool (*rt_trap_hook_t)(struct rt_trap_frame *f);
void rt_set_trap_hook(rt_trap_hook_t hook); /* this hart; NULL removes it */
/* Between rt_probe_begin() and rt_probe_end() a synchronous exception on this hart skips the
 * faulting instruction (2 or 4 bytes, from its encoding) instead of being fatal;
 * rt_probe_end() says whether one happened and, if info is not NULL, what the first was. */
struct rt_trap_info {
    uint64_t mcause, mepc, mtval;
};
void rt_probe_begin(void);
bool rt_probe_end(struct rt_trap_info *info);
unsigned rt_insn_length(uint64_t pc); /* 2 or 4, from the low bits of the instruction at pc */
extern char rt_trap_vector[];         /* direct-mode mtvec target, 4-byte aligned */

/* ---- harts (smp.c, fdt.c) ----
 * Every hart checks in at entry. rt_roll_call (hart 0) waits a bounded number of polls for
 * the harts that started with it (all do under QEMU -bios none): until as many as the DTB
 * lists have checked in, or, without a usable DTB, until the check-ins have been quiet for a
 * while. It then freezes the set of online harts; later arrivals stay parked. Idempotent;
 * returns the number online. */
unsigned rt_roll_call(void);
uint64_t rt_online_mask(void);  /* bit h = hart h online (valid after rt_roll_call) */
uintptr_t rt_boot_dtb(void);    /* a1 at hart 0's entry */
unsigned rt_fdt_hart_count(uintptr_t fdt); /* /cpus/cpu@N nodes; 0 = no usable DTB there */
/* Hands fn(arg) to a hart parked in the pen (woken by its CLINT msip) and returns at once;
 * rt_wait_idle waits until it has finished. */
void rt_run_on(unsigned hart, void (*fn)(void *), void *arg);
void rt_wait_idle(unsigned hart);
/* Hart-ordered sections: rt_turns_begin (hart 0) gives the turn to the lowest online hart;
 * rt_turn_wait blocks until it is this hart's, rt_turn_done passes it to the next online
 * hart by hartid; rt_turns_wait_all waits until the last one has passed it on. */
void rt_turns_begin(void);
void rt_turn_wait(void);
void rt_turn_done(void);
void rt_turns_wait_all(void);

/* ---- CLINT (clint.c) ---- */
void rt_clint_set_msip(unsigned hart, bool pending);
uint64_t rt_clint_mtime(void);
void rt_clint_set_mtimecmp(unsigned hart, uint64_t v);

/* ---- exit (exit.c) ---- */
__attribute__((noreturn)) void rt_exit(int status); /* 0 → pass, else fail with code */
__attribute__((noreturn)) void rt_park(void);       /* wfi forever, interrupts off */

/* ---- memory (mem.c): the compiler may emit calls to these ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

static inline uint8_t rt_mmio_read8(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline void rt_mmio_write8(uintptr_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline uint32_t rt_mmio_read32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void rt_mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint64_t rt_mmio_read64(uintptr_t a) { return *(volatile uint64_t *)a; }
static inline void rt_mmio_write64(uintptr_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

/* provided by the image */
int main(void);

#endif
