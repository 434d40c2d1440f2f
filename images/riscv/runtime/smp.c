/*
 * Hart start-up, check-in, the runtime pen and hart-ordered turns.
 *
 * Every hart arrives in rt_hart_entry (from _start) at the same time. Each one checks in
 * (AMOOR into a mask kept in .data, because hart 0 may still be clearing .bss). Hart 0
 * clears .bss, chooses the console, sets boot_ready and runs main; the others wait for
 * boot_ready and park in the pen, sleeping in WFI with only mie.MSIE set (mstatus.MIE = 0,
 * so the software interrupt wakes WFI without being taken: Privileged spec 3.3.3, WFI
 * resumes when any enabled interrupt is pending, whatever the global enable says).
 *
 * rt_run_on writes the mailbox, then sets the target's CLINT msip. The pen clears its own
 * msip before reading the mailbox, so a request that arrives after the read leaves msip set
 * and the next WFI returns at once: no lost wake-up.
 */
#include "runtime.h"

void rt_hart_entry(unsigned long hart, uintptr_t dtb); /* called from start.S */

extern char __bss_start[], __bss_end[];

/* .data, not .bss: written by every hart before hart 0 has cleared .bss. */
static volatile uint64_t checkin_mask __attribute__((section(".data.rt_boot")));
static volatile uint32_t boot_ready __attribute__((section(".data.rt_boot")));

/* Polls of the check-in mask. With a DTB, the wait ends when every hart it lists has checked
 * in, or after MAX polls; without one, when the mask has not changed for QUIET polls (or
 * after MAX). Every hart starts together with hart 0 and checks in within a few
 * instructions, long before hart 0 has cleared .bss and probed the console; the waits only
 * cover a host that runs QEMU's vCPU threads late. Polls, not mtime, so the count is the
 * same on every run of a deterministic emulator. */
#define ROLL_CALL_QUIET_POLLS (1u << 21)
#define ROLL_CALL_MAX_POLLS (1u << 24)

static uintptr_t boot_dtb;
static volatile uint32_t roll_called;
static volatile uint64_t online_mask;

#define TURN_DONE 0xFFFFFFFFu
static volatile uint32_t turn = TURN_DONE;

static struct {
    void (*volatile fn)(void *);
    void *volatile arg;
} mailbox[RT_MAX_HARTS];

static void pen(unsigned hart)
{
    rt_csr_write(mie, MIP_MSIP);
    for (;;) {
        rt_clint_set_msip(hart, false);
        void (*fn)(void *) = mailbox[hart].fn;
        if (fn) {
            rt_fence();
            fn(mailbox[hart].arg);
            rt_fence();
            mailbox[hart].fn = 0;
            rt_fence();
            continue;
        }
        rt_wfi();
    }
}

void rt_hart_entry(unsigned long hart, uintptr_t dtb)
{
    rt_atomic_or(&checkin_mask, 1ul << hart);
    if (hart == 0) {
        memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
        boot_dtb = dtb;
        rt_console_init();
        rt_fence();
        boot_ready = 1;
        rt_fence();
        rt_exit(main());
    }
    while (!boot_ready)
        ;
    rt_fence();
    pen((unsigned)hart);
}

static unsigned popcount64(uint64_t v)
{
    unsigned n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

unsigned rt_roll_call(void)
{
    if (!roll_called) {
        unsigned listed = rt_fdt_hart_count(boot_dtb);
        if (listed > RT_MAX_HARTS)
            listed = RT_MAX_HARTS;
        uint64_t seen = checkin_mask;
        uint32_t quiet = 0;
        for (uint32_t i = 0; i < ROLL_CALL_MAX_POLLS; i++) {
            if (listed ? popcount64(seen) >= listed : quiet >= ROLL_CALL_QUIET_POLLS)
                break;
            uint64_t now = checkin_mask;
            if (now != seen) {
                seen = now;
                quiet = 0;
            } else {
                quiet++;
            }
        }
        online_mask = seen;
        rt_fence();
        roll_called = 1;
    }
    return popcount64(online_mask);
}

uint64_t rt_online_mask(void) { return online_mask; }

uintptr_t rt_boot_dtb(void) { return boot_dtb; }

void rt_run_on(unsigned hart, void (*fn)(void *), void *arg)
{
    if (hart >= RT_MAX_HARTS)
        return;
    rt_wait_idle(hart);
    mailbox[hart].arg = arg;
    rt_fence();
    mailbox[hart].fn = fn;
    rt_clint_set_msip(hart, true); /* fences before and after */
}

void rt_wait_idle(unsigned hart)
{
    if (hart >= RT_MAX_HARTS)
        return;
    while (mailbox[hart].fn)
        ;
    rt_fence();
}

/* The lowest online hart above `after` (after = -1: the lowest), or TURN_DONE. */
static uint32_t next_online(int after)
{
    for (int h = after + 1; h < RT_MAX_HARTS; h++)
        if (online_mask & (1ul << h))
            return (uint32_t)h;
    return TURN_DONE;
}

void rt_turns_begin(void)
{
    rt_fence();
    turn = next_online(-1);
    rt_fence();
}

void rt_turn_wait(void)
{
    uint32_t me = rt_hartid();
    while (turn != me)
        ;
    rt_fence();
}

void rt_turn_done(void)
{
    rt_fence();
    turn = next_online((int)rt_hartid());
    rt_fence();
}

void rt_turns_wait_all(void)
{
    while (turn != TURN_DONE)
        ;
    rt_fence();
}
