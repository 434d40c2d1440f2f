/*
 * The SBI calling convention (SBI specification v2.0, chapter 3): a7 = extension ID, a6 =
 * function ID, a0–a2 arguments; the firmware returns a0 = error, a1 = value. Shared by the
 * S-mode payloads (riscv/smp-hsm, riscv/stop-machine-ipi, probe/riscv).
 */
#ifndef HETBOOT_SBI_H
#define HETBOOT_SBI_H

struct sbiret {
    long error;
    long value;
};

static inline struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long arg0,
                                     unsigned long arg1, unsigned long arg2)
{
    register unsigned long a0 __asm__("a0") = arg0;
    register unsigned long a1 __asm__("a1") = arg1;
    register unsigned long a2 __asm__("a2") = arg2;
    register unsigned long a6 __asm__("a6") = fid;
    register unsigned long a7 __asm__("a7") = eid;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a6), "r"(a7) : "memory");
    return (struct sbiret){(long)a0, (long)a1};
}

#endif
