/*
 * The hetboot ARM guest runtime: start code, exception vectors, PL011 console, per-CPU
 * stacks, ticket lock, GICv2 helpers, secondary-CPU release and semihosting exit.
 *
 * Every image links the runtime and provides `int main(void)`, which runs on CPU 0 (the CPU
 * whose GIC CPU-interface number is 0). Other CPUs park in the runtime's pen until the
 * primary hands them a function with rt_run_on(). main's return value becomes the exit
 * status: 0 → SYS_EXIT ADP_Stopped_ApplicationExit, anything else → a failure reason.
 *
 * Everything runs with the MMU and caches off, in whatever privileged mode the core entered
 * in (Secure SVC, Non-secure SVC or HYP). A32 only: no Thumb, no VFP/NEON.
 */
#ifndef HETBOOT_RUNTIME_H
#define HETBOOT_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT_MAX_CPUS 8
#define RT_STACK_SIZE 16384 /* must match link.ld */

/* ---- platform: the memory map (platform.h: Versatile Express, or RT_PLATFORM_VIRT) ---- */
#include "platform.h"

/* ---- CPSR ---- */
#define CPSR_MODE_MASK 0x1Fu
#define CPSR_MODE_USR 0x10u
#define CPSR_MODE_FIQ 0x11u
#define CPSR_MODE_IRQ 0x12u
#define CPSR_MODE_SVC 0x13u
#define CPSR_MODE_MON 0x16u
#define CPSR_MODE_ABT 0x17u
#define CPSR_MODE_HYP 0x1Au
#define CPSR_MODE_UND 0x1Bu
#define CPSR_MODE_SYS 0x1Fu
#define CPSR_T (1u << 5)
#define CPSR_F (1u << 6)
#define CPSR_I (1u << 7)
#define CPSR_A (1u << 8)

/* ---- console (console.c) ---- */
void rt_putc(char c);                     /* raw byte to UART0, no lock */
void rt_puts(const char *s);              /* raw string, no lock */
void rt_put_hex32(uint32_t v);            /* "0x" + 8 upper-case hex digits, no lock */
void rt_put_dec(uint32_t v);              /* decimal, no lock */
/* Formatted output under the console lock. Conversions: %s %c %d %u %x %X %%, with an
 * optional '0' flag and width (e.g. %08X). No floating point, no long long. */
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_vprintf(const char *fmt, va_list ap);

/* ---- ticket lock and atomics (lock.c; LDREX/STREX) ---- */
typedef struct {
    volatile uint32_t word; /* [31:16] next ticket, [15:0] owner */
} rt_lock_t;
#define RT_LOCK_INIT {0}
void rt_lock(rt_lock_t *l);
void rt_unlock(rt_lock_t *l);
uint32_t rt_atomic_add(volatile uint32_t *p, uint32_t delta); /* returns the new value */
static inline void rt_dmb(void) { __asm__ volatile("dmb ish" ::: "memory"); }
static inline void rt_dsb(void) { __asm__ volatile("dsb ish" ::: "memory"); }
static inline void rt_isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void rt_sev(void) { __asm__ volatile("dsb ish\n\tsev" ::: "memory"); }
static inline void rt_wfe(void) { __asm__ volatile("wfe" ::: "memory"); }
static inline void rt_wfi(void) { __asm__ volatile("wfi" ::: "memory"); }

/* ---- CPU identity (cpu.c) ---- */
uint32_t rt_periphbase(void);   /* CBAR (p15, 4, c15, c0, 0) */
unsigned rt_cpu_index(void);    /* bit set in GICD_ITARGETSR0 (0 on a uniprocessor GIC) */
unsigned rt_cpu_count(void);    /* GICD_TYPER.CPUNumber + 1 */
uint32_t rt_read_cpsr(void);
uint32_t rt_read_midr(void);
uint32_t rt_read_mpidr(void);
const char *rt_mode_name(uint32_t cpsr); /* USR FIQ IRQ SVC MON ABT HYP UND SYS or "???" */
enum rt_security { RT_SECURE, RT_NON_SECURE, RT_NO_SECURITY_EXTENSIONS, RT_SECURITY_UNKNOWN };
enum rt_security rt_security_state(void); /* see cpu.c for how it is decided */
const char *rt_security_name(enum rt_security s); /* secure non-secure none unknown */

/* ---- UNDEFINED-instruction probes (vectors.S / exceptions.c) ----
 * Between rt_probe_begin() and rt_probe_end() an UNDEFINED instruction executed by this CPU
 * is skipped instead of being fatal; rt_probe_end() says whether one was. */
void rt_probe_begin(void);
bool rt_probe_end(void); /* true = an UNDEFINED exception happened */

/* ---- exceptions (exceptions.c) ---- */
typedef void (*rt_irq_handler_t)(uint32_t iar);
void rt_set_irq_handler(rt_irq_handler_t h); /* called with GICC_IAR, before EOI */
static inline void rt_irq_enable(void) { __asm__ volatile("cpsie i" ::: "memory"); }
static inline void rt_irq_disable(void) { __asm__ volatile("cpsid i" ::: "memory"); }
void rt_install_vectors(void); /* VBAR or HVBAR for the current mode; done by _start */
/* Leave HYP for SVC with A, I and F masked (HCR cleared first), on the same stack: ELR_hyp =
 * the next instruction, SPSR_hyp = SVC, ERET; r0 carries sp across the mode change. Always
 * inlined: HYP uses LR_usr and SVC its own LR, so a call could not return. The vectors stay
 * HVBAR's: call rt_install_vectors() afterwards for the PL1 modes. */
static inline __attribute__((always_inline)) void rt_leave_hyp(void)
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

/* ---- GICv2 (gic.c) ---- */
#define GICD_CTLR 0x000u
#define GICD_TYPER 0x004u
#define GICD_ISENABLER0 0x100u
#define GICD_ITARGETSR0 0x800u
#define GICD_SGIR 0xF00u
#define GICC_CTLR 0x00u
#define GICC_PMR 0x04u
#define GICC_IAR 0x0Cu
#define GICC_EOIR 0x10u
#define GIC_SGIR_FILTER_LIST 0u
#define GIC_SGIR_FILTER_OTHERS 1u
#define GIC_SGIR_FILTER_SELF 2u
#define GIC_SPURIOUS 1023u
static inline unsigned gic_iar_intid(uint32_t iar) { return iar & 0x3FFu; }
static inline unsigned gic_iar_source(uint32_t iar) { return (iar >> 10) & 7u; }
uint32_t rt_gicd(void); /* distributor: PERIPHBASE + 0x1000, or RT_GICD_BASE (platform.h) */
uint32_t rt_gicc(void); /* CPU interface: PERIPHBASE + 0x2000, or RT_GICC_BASE */
#ifdef RT_PLATFORM_VIRT
static inline uint32_t rt_gich(void) { return RT_GICH_BASE; } /* virtual interface control */
static inline uint32_t rt_gicv(void) { return RT_GICV_BASE; } /* virtual CPU interface */
#else
static inline uint32_t rt_gich(void) { return rt_periphbase() + RT_GICH_OFFSET; }
static inline uint32_t rt_gicv(void) { return rt_periphbase() + RT_GICV_OFFSET; }
#endif
void rt_gic_init_distributor(void); /* GICD_CTLR enable; idempotent, any CPU */
void rt_gic_init_cpu(void);         /* this CPU: enable SGIs 0-15, GICC_PMR, GICC_CTLR */
void rt_gic_send_sgi(unsigned filter, unsigned target_list, unsigned intid);
uint32_t rt_gic_ack(void);        /* GICC_IAR */
void rt_gic_eoi(uint32_t iar);    /* GICC_EOIR */

/* ---- PSCI (psci.c): SMC on vexpress/tc2; on virt the conduit QEMU's virt.c picks, SMC when
 * the primary entered in HYP (virtualization=on), else HVC ---- */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SUCCESS 0
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2
bool rt_psci_available(void); /* probed once; never calls from Secure state */
int32_t rt_psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3);

/* ---- secondary CPUs (smp.c) ---- */
enum rt_start_method {
    RT_START_NOT_STARTED = 0,
    RT_START_PRIMARY,      /* CPU 0 */
    RT_START_AT_ENTRY,     /* came through _start together with the primary */
    RT_START_PSCI_CPU_ON,  /* released by PSCI CPU_ON */
    RT_START_SYS_FLAGS,    /* released from the boot monitor pen: SYS_FLAGS + SGI */
};
const char *rt_start_method_name(enum rt_start_method m);
/* Brings every CPU the GIC reports into the runtime pen; returns how many are online.
 * Idempotent. See smp.c for the decision between waiting, PSCI and SYS_FLAGS. */
unsigned rt_start_secondaries(void);
enum rt_start_method rt_cpu_start_method(unsigned cpu);
bool rt_cpu_online(unsigned cpu);
/* Hands fn(arg) to a parked CPU and returns at once; rt_wait_idle waits for it to finish. */
void rt_run_on(unsigned cpu, void (*fn)(void *), void *arg);
void rt_wait_idle(unsigned cpu);

/* ---- semihosting (semihost.c) ---- */
#define SEMIHOST_SYS_WRITEC 0x03u
#define SEMIHOST_SYS_WRITE0 0x04u
#define SEMIHOST_SYS_EXIT 0x18u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define ADP_STOPPED_RUNTIME_ERROR_UNKNOWN 0x20023u
uint32_t rt_semihost(uint32_t op, uint32_t param);
__attribute__((noreturn)) void rt_exit(int status); /* 0 → success, else failure */

/* ---- memory (mem.c): the compiler may emit calls to these ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

static inline uint32_t rt_mmio_read32(uint32_t addr)
{
    return *(volatile uint32_t *)(uintptr_t)addr;
}
static inline void rt_mmio_write32(uint32_t addr, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)addr = v;
}
static inline uint8_t rt_mmio_read8(uint32_t addr)
{
    return *(volatile uint8_t *)(uintptr_t)addr;
}

/* provided by the image */
int main(void);

#endif
