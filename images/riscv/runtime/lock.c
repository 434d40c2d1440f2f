/*
 * Spin lock and atomics with the A extension (Unprivileged spec, chapter "A" Standard
 * Extension). The lock is test-and-test-and-set: AMOSWAP.W.AQ takes it (acquire: nothing
 * in the critical section moves above it), AMOSWAP.W.RL releases it (release: nothing moves
 * below it). rt_atomic_add uses an LR.D/SC.D loop, the constrained form the spec guarantees
 * to make progress (16 integer instructions or fewer, no loads/stores in between).
 */
#include "runtime.h"

void rt_lock(rt_lock_t *l)
{
    uint32_t old;
    for (;;) {
        __asm__ volatile("amoswap.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1u), "r"(&l->word) : "memory");
        if (old == 0)
            return;
        while (l->word != 0)
            ;
    }
}

void rt_unlock(rt_lock_t *l)
{
    __asm__ volatile("amoswap.w.rl zero, zero, (%0)" ::"r"(&l->word) : "memory");
}

uint64_t rt_atomic_add(volatile uint64_t *p, uint64_t delta)
{
    uint64_t old, new, fail;
    __asm__ volatile("1: lr.d.aqrl %0, (%3)\n"
                     "   add       %1, %0, %4\n"
                     "   sc.d.aqrl %2, %1, (%3)\n"
                     "   bnez      %2, 1b\n"
                     : "=&r"(old), "=&r"(new), "=&r"(fail)
                     : "r"(p), "r"(delta)
                     : "memory");
    return new;
}

uint64_t rt_atomic_or(volatile uint64_t *p, uint64_t bits)
{
    uint64_t old;
    __asm__ volatile("amoor.d.aqrl %0, %1, (%2)" : "=r"(old) : "r"(bits), "r"(p) : "memory");
    return old;
}
