/*
 * Ticket lock and atomic add with LDREX/STREX (ARM ARM A3.4, "Synchronization and
 * semaphores"). The lock word holds the next ticket in [31:16] and the owner in [15:0].
 * Both taking a ticket and releasing use exclusives, so correctness does not rest on how a
 * plain store interacts with another CPU's exclusive monitor. Waiters sleep in WFE; the
 * releaser's SEV wakes them.
 */
#include "runtime.h"

void rt_lock(rt_lock_t *l)
{
    uint32_t old, tmp, fail;
    __asm__ volatile("1: ldrex   %0, [%3]\n"
                     "   add     %1, %0, #0x10000\n"
                     "   strex   %2, %1, [%3]\n"
                     "   teq     %2, #0\n"
                     "   bne     1b\n"
                     : "=&r"(old), "=&r"(tmp), "=&r"(fail)
                     : "r"(&l->word)
                     : "cc", "memory");
    uint32_t ticket = old >> 16;
    while ((old & 0xFFFFu) != ticket) {
        rt_wfe();
        old = l->word;
    }
    rt_dmb();
}

void rt_unlock(rt_lock_t *l)
{
    uint32_t old, new, fail;
    rt_dmb();
    __asm__ volatile("1: ldrex   %0, [%3]\n"
                     "   add     %1, %0, #1\n"
                     "   pkhtb   %1, %0, %1\n" /* next from old, owner+1 wraps in [15:0] */
                     "   strex   %2, %1, [%3]\n"
                     "   teq     %2, #0\n"
                     "   bne     1b\n"
                     : "=&r"(old), "=&r"(new), "=&r"(fail)
                     : "r"(&l->word)
                     : "cc", "memory");
    (void)new;
    rt_sev();
}

uint32_t rt_atomic_add(volatile uint32_t *p, uint32_t delta)
{
    uint32_t old, new, fail;
    rt_dmb();
    __asm__ volatile("1: ldrex   %0, [%3]\n"
                     "   add     %1, %0, %4\n"
                     "   strex   %2, %1, [%3]\n"
                     "   teq     %2, #0\n"
                     "   bne     1b\n"
                     : "=&r"(old), "=&r"(new), "=&r"(fail)
                     : "r"(p), "r"(delta)
                     : "cc", "memory");
    rt_dmb();
    return new;
}
