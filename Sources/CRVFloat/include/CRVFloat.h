/*
 * CRVFloat: the arithmetic of the RISC-V F and D extensions (unprivileged spec chapters 11
 * and 12), one operation per function, bit-exact under each of the five rounding modes, with
 * the IEEE 754 exception flags it raises.
 *
 * Values are raw IEEE 754 bit patterns: binary32 in the low 32 bits (fmt = RVF_S) or binary64
 * (fmt = RVF_D). Register-file matters (NaN boxing) are the caller's. A result that is NaN is
 * always the canonical NaN (0x7FC00000 / 0x7FF8000000000000), as RISC-V requires (§11.3).
 * Flags are OR'ed into *flags with fcsr.fflags's bit positions; tininess is detected after
 * rounding, RISC-V's choice (§11.2, as IEEE 754 allows).
 */
#ifndef CRVFLOAT_H
#define CRVFLOAT_H

#include <stdint.h>

/* Formats. */
#define RVF_S 0u
#define RVF_D 1u

/* Rounding modes: the rm / frm encodings (§11.2, table 11.1). */
#define RVF_RNE 0u
#define RVF_RTZ 1u
#define RVF_RDN 2u
#define RVF_RUP 3u
#define RVF_RMM 4u

/* fflags bits (§11.2, table 11.2). */
#define RVF_NX 0x01u
#define RVF_UF 0x02u
#define RVF_OF 0x04u
#define RVF_DZ 0x08u
#define RVF_NV 0x10u

/* a + b, a - b, a * b, a / b, sqrt(a). */
uint64_t rvf_add(unsigned fmt, uint64_t a, uint64_t b, unsigned rm, unsigned *flags);
uint64_t rvf_sub(unsigned fmt, uint64_t a, uint64_t b, unsigned rm, unsigned *flags);
uint64_t rvf_mul(unsigned fmt, uint64_t a, uint64_t b, unsigned rm, unsigned *flags);
uint64_t rvf_div(unsigned fmt, uint64_t a, uint64_t b, unsigned rm, unsigned *flags);
uint64_t rvf_sqrt(unsigned fmt, uint64_t a, unsigned rm, unsigned *flags);

/* (±a × b) ± c with one rounding: negate_product flips the product's sign, negate_addend
 * c's (FMADD 0 0, FMSUB 0 1, FNMSUB 1 0, FNMADD 1 1). */
uint64_t rvf_fma(unsigned fmt, uint64_t a, uint64_t b, uint64_t c, int negate_product,
                 int negate_addend, unsigned rm, unsigned *flags);

/* FCVT.S.D (rounds) and FCVT.D.S (exact). */
uint64_t rvf_d_to_s(uint64_t a, unsigned rm, unsigned *flags);
uint64_t rvf_s_to_d(uint64_t a, unsigned *flags);

/* FCVT.{S,D}.{W,WU,L,LU}: the integer v (already sign- or zero-extended to 64 bits by the
 * caller for W/WU) converted to fmt; is_signed says how to read v. */
uint64_t rvf_from_int(unsigned fmt, uint64_t v, int is_signed, unsigned rm, unsigned *flags);

/* FCVT.{W,WU,L,LU}.{S,D}: a rounded to an integer of `bits` (32 or 64) bits, signed or not,
 * saturating as table 11.4 says (NaN → the largest value; out of range → the nearest end,
 * with NV and without NX). The result is what rd receives: 32-bit results sign-extended. */
uint64_t rvf_to_int(unsigned fmt, uint64_t a, unsigned bits, int is_signed, unsigned rm,
                    unsigned *flags);

#endif
