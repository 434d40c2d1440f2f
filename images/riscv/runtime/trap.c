/*
 * Trap dispatch behind rt_trap_vector (start.S): the hart's hook first, then probes, then a
 * report of the unexpected trap and a failure exit.
 */
#include "runtime.h"

void rt_trap_dispatch(struct rt_trap_frame *f); /* called from start.S */

static rt_trap_hook_t hooks[RT_MAX_HARTS];

/* Per-hart probe state: 0 idle, 1 armed, 2 armed and an exception happened (later ones in
 * the same probe are skipped too). */
static volatile uint32_t probe_state[RT_MAX_HARTS];
static struct rt_trap_info probe_info[RT_MAX_HARTS];

void rt_set_trap_hook(rt_trap_hook_t hook)
{
    hooks[rt_hartid()] = hook;
    rt_fence();
}

void rt_probe_begin(void)
{
    probe_state[rt_hartid()] = 1;
    rt_fence();
}

bool rt_probe_end(struct rt_trap_info *info)
{
    unsigned h = rt_hartid();
    rt_fence();
    bool faulted = probe_state[h] == 2;
    if (info)
        *info = probe_info[h];
    probe_state[h] = 0;
    return faulted;
}

/* The ISA manual's length encoding (Unprivileged spec 1.5): bits [1:0] != 11 → 16-bit;
 * everything this runtime executes is 16 or 32 bits long. */
unsigned rt_insn_length(uint64_t pc)
{
    uint16_t low = *(volatile uint16_t *)(uintptr_t)pc;
    return (low & 3u) == 3u ? 4u : 2u;
}

static const char *cause_name(uint64_t cause)
{
    if (cause & MCAUSE_INTERRUPT) {
        switch (cause & ~MCAUSE_INTERRUPT) {
        case IRQ_S_SOFT: return "supervisor software interrupt";
        case IRQ_M_SOFT: return "machine software interrupt";
        case IRQ_S_TIMER: return "supervisor timer interrupt";
        case IRQ_M_TIMER: return "machine timer interrupt";
        case 9: return "supervisor external interrupt";
        case 11: return "machine external interrupt";
        default: return "interrupt";
        }
    }
    switch (cause) {
    case CAUSE_MISALIGNED_FETCH: return "instruction address misaligned";
    case CAUSE_FETCH_ACCESS: return "instruction access fault";
    case CAUSE_ILLEGAL_INSTRUCTION: return "illegal instruction";
    case CAUSE_BREAKPOINT: return "breakpoint";
    case CAUSE_MISALIGNED_LOAD: return "load address misaligned";
    case CAUSE_LOAD_ACCESS: return "load access fault";
    case CAUSE_MISALIGNED_STORE: return "store/AMO address misaligned";
    case CAUSE_STORE_ACCESS: return "store/AMO access fault";
    case CAUSE_USER_ECALL: return "environment call from U-mode";
    case CAUSE_SUPERVISOR_ECALL: return "environment call from S-mode";
    case CAUSE_MACHINE_ECALL: return "environment call from M-mode";
    case 12: return "instruction page fault";
    case 13: return "load page fault";
    case 15: return "store/AMO page fault";
    default: return "exception";
    }
}

void rt_trap_dispatch(struct rt_trap_frame *f)
{
    unsigned h = rt_hartid();
    if (h < RT_MAX_HARTS && hooks[h] && hooks[h](f))
        return;
    bool exception = !(f->mcause & MCAUSE_INTERRUPT);
    if (h < RT_MAX_HARTS && exception && probe_state[h] != 0) {
        if (probe_state[h] == 1) { /* the first exception of the probe is the one reported */
            probe_info[h].mcause = f->mcause;
            probe_info[h].mepc = f->mepc;
            probe_info[h].mtval = f->mtval;
            probe_state[h] = 2;
        }
        f->mepc += rt_insn_length(f->mepc);
        return;
    }
    rt_printf("hart%u: unexpected trap: mcause=0x%lx (%s) mepc=0x%lx mtval=0x%lx mstatus=0x%lx\n",
              h, f->mcause, cause_name(f->mcause), f->mepc, f->mtval, f->mstatus);
    rt_exit(RT_EXIT_UNEXPECTED_TRAP);
}
