/*
 * banked: the banked registers of the PL1 modes (ARM ARM B1.3.2) visited with CPS, the
 * banked MRS/MSR forms (B9.3.9, B9.3.10; Virtualization Extensions), and the field masks of
 * MSR to the CPSR and SPSR (B9.3.11, B9.3.12: _c = [7:0], _x = [15:8], _s = [23:16],
 * _f = [31:24]; APSR_nzcvq = _f, APSR_g = _s).
 *
 * Values written by banked_sweep (banked_asm.S): in mode m, SP = 0x535000mm,
 * LR = 0x4C5200mm, SPSR = flags:0:GE:0x1D0 with flags = GE = 1 (FIQ), 2 (IRQ), 4 (ABT),
 * 8 (UND), 3 (SVC); FIQ r8-r12 = 0xF8-0xFC, User r8-r12 = 0x08-0x0C.
 */
#include "selftest.h"

void banked_sweep(uint32_t out[28]);
void banked_mrs(uint32_t out[14]);
void banked_msr(const uint32_t in[8], uint32_t out[8]);

#define SP_OF(m) (0x53500000u | (m))
#define LR_OF(m) (0x4C520000u | (m))
#define SPSR_OF(f) (((uint32_t)(f) << 28) | ((uint32_t)(f) << 16) | 0x1D0u)

static void sweep(struct st_group *g)
{
    uint32_t out[28];
    banked_sweep(out);
    const uint32_t exp[27] = {
        SP_OF(0x11), LR_OF(0x11), SPSR_OF(1), 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, /* FIQ */
        SP_OF(0x12), LR_OF(0x12), SPSR_OF(2),                               /* IRQ */
        SP_OF(0x17), LR_OF(0x17), SPSR_OF(4),                               /* ABT */
        SP_OF(0x1B), LR_OF(0x1B), SPSR_OF(8),                               /* UND */
        SP_OF(0x1F), LR_OF(0x1F),                                           /* SYS */
        LR_OF(0x13), SPSR_OF(3), 0x08, 0x09, 0x0A, 0x0B, 0x0C,              /* SVC */
    };
    /* one case per register: a failure names the register by its position */
    for (unsigned i = 0; i < 26; i++)
        st_check(g, out[i], exp[i]);
    st_check(g, out[27], out[26]); /* the SVC stack pointer survived the sweep */
}

static void mrs_msr_banked(struct st_group *g)
{
    uint32_t out[14];
    banked_mrs(out);
    const uint32_t exp[14] = {
        SP_OF(0x12), LR_OF(0x12), SPSR_OF(2), 0xF8, 0xFC, SP_OF(0x11), SPSR_OF(1),
        SP_OF(0x17), LR_OF(0x17), SPSR_OF(8), LR_OF(0x1B), SP_OF(0x1F), LR_OF(0x1F), 0xFA,
    };
    for (unsigned i = 0; i < 14; i++)
        st_check(g, out[i], exp[i]);

    static const uint32_t in[8] = {0x11110001, 0x22220002, 0x600501D3, 0x33330003,
                                   0x44440004, 0x55550005, 0x900A01DF, 0x66660006};
    uint32_t back[8];
    banked_msr(in, back);
    for (unsigned i = 0; i < 8; i++)
        st_check(g, back[i], in[i]);
}

/* Each case is one asm block: C code in between would change the flags. */
static void field_masks(struct st_group *g)
{
    uint32_t before, after, mode_seen, spsr_v;

    /* MSR CPSR_f: only [31:24] (N Z C V Q; writes to the IT/J bits there are ignored); the
     * mode bits in the operand do not matter */
    __asm__ volatile("mrs %[b], cpsr\n\tmsr cpsr_f, %[v]\n\tmrs %[a], cpsr"
                     : [b] "=&r"(before), [a] "=&r"(after)
                     : [v] "r"(0xF000001Fu)
                     : "cc");
    st_check(g, after, (before & 0x07FFFFFFu) | 0xF0000000u);

    /* MSR CPSR_f with an immediate, then APSR_nzcvq (the same field) */
    __asm__ volatile("msr cpsr_f, #0x50000000\n\tmrs %[a], cpsr" : [a] "=r"(after) : : "cc");
    st_check(g, after & 0xF8000000u, 0x50000000u);
    __asm__ volatile("msr APSR_nzcvq, %[v]\n\tmrs %[a], cpsr"
                     : [a] "=r"(after)
                     : [v] "r"(0x28000000u)
                     : "cc");
    st_check(g, after & 0xF8000000u, 0x28000000u);

    /* APSR_g / CPSR_s: GE[3:0] only, the flags stay */
    __asm__ volatile("msr APSR_nzcvq, %[f]\n\tmsr APSR_g, %[v]\n\tmrs %[a], cpsr"
                     : [a] "=r"(after)
                     : [f] "r"(0x28000000u), [v] "r"(0xFFFA0000u)
                     : "cc");
    st_check(g, after & 0xF80F0000u, 0x280A0000u);
    __asm__ volatile("msr APSR_nzcvq, %[f]\n\tmsr cpsr_s, %[v]\n\tmrs %[a], cpsr"
                     : [a] "=r"(after)
                     : [f] "r"(0x90000000u), [v] "r"(0x00050000u)
                     : "cc");
    st_check(g, after & 0xF80F0000u, 0x90050000u);

    /* MSR CPSR_c changes the mode (to IRQ and back), the flags and A stay */
    __asm__ volatile("msr cpsr_f, #0x90000000\n\t"
                     "msr cpsr_c, #0xD2\n\t"
                     "mrs %[m], cpsr\n\t"
                     "msr cpsr_c, #0xD3\n\t"
                     "mrs %[a], cpsr"
                     : [m] "=&r"(mode_seen), [a] "=&r"(after)
                     :
                     : "cc");
    st_check(g, mode_seen & 0xF80001FFu, 0x900001D2u);
    st_check(g, after & 0xF80001FFu, 0x900001D3u);

    /* MSR CPSR_fsxc: every field at once (keeping SVC, A I F masked, little-endian) */
    __asm__ volatile("msr cpsr_fsxc, %[v]\n\tmrs %[a], cpsr"
                     : [a] "=r"(after)
                     : [v] "r"(0x600301D3u)
                     : "cc");
    st_check(g, after & 0xF80F03FFu, 0x600301D3u);

    /* SPSR field masks: start from a known SPSR_svc, then write single fields */
    __asm__ volatile("msr spsr_fsxc, %[v]\n\tmrs %[s], spsr" : [s] "=r"(spsr_v) : [v] "r"(0x000001D3u));
    st_check(g, spsr_v, 0x000001D3u);
    __asm__ volatile("msr spsr_f, %[v]\n\tmrs %[s], spsr" : [s] "=r"(spsr_v) : [v] "r"(0xA00000FFu));
    st_check(g, spsr_v, 0xA00001D3u);
    __asm__ volatile("msr spsr_c, %[v]\n\tmrs %[s], spsr" : [s] "=r"(spsr_v) : [v] "r"(0xFFFF0010u));
    st_check(g, spsr_v, 0xA0000110u);
    __asm__ volatile("msr spsr_s, %[v]\n\tmrs %[s], spsr" : [s] "=r"(spsr_v) : [v] "r"(0x000C0000u));
    st_check(g, spsr_v, 0xA00C0110u);
    __asm__ volatile("msr spsr_fc, #0x1F\n\tmrs %[s], spsr" : [s] "=r"(spsr_v));
    st_check(g, spsr_v, 0x000C011Fu);
}

bool group_banked(void)
{
    struct st_group g;
    st_begin(&g, "banked");
    sweep(&g);
    mrs_msr_banked(&g);
    field_masks(&g);
    return st_end(&g);
}
