/*
 * The arithmetic of the RISC-V F and D extensions, bit-exact in all five rounding modes.
 *
 * How: special operands (NaN, infinities, zeros) and the exceptions they raise (NV, DZ) are
 * handled here in integer code, by the rules of IEEE 754-2008 §6–7 and RISC-V's own (§11.3
 * canonical NaN, §11.6 FMA ∞×0 + qNaN raises NV). What remains — finite operands — is computed
 * once in the host's `long double` under round-toward-zero, reading the host's inexact flag:
 * that gives the exact result truncated to at least 64 significant bits plus a sticky bit
 * (truncating a truncation is the truncation), from which `round_pack` rounds to binary32 or
 * binary64 in integer code in the requested mode — RMM included, which no host implements —
 * and decides overflow, underflow (tininess after rounding, §11.2) and inexact itself.
 *
 * Host dependency: only the wide operation (+, ×, ÷, sqrtl, fmal) under FE_TOWARDZERO and its
 * FE_INEXACT flag. `long double` must have at least 64 significant bits (x86-64's x87 extended,
 * AArch64 Linux's binary128; static assertion below) and an exponent range wide enough that no
 * binary64 operation overflows or underflows in it. No result depends on the host's own
 * tininess rule (AArch64 detects tininess before rounding, x86 after): underflow is decided
 * here. Conversions and everything else are integer code.
 */
#pragma STDC FENV_ACCESS ON

#include "CRVFloat.h"

#include <fenv.h>
#include <float.h>
#include <math.h>
#include <string.h>

_Static_assert(LDBL_MANT_DIG >= 64, "CRVFloat needs a long double with at least 64 significant bits");
_Static_assert(LDBL_MAX_EXP >= 4096 && LDBL_MIN_EXP <= -4096,
               "CRVFloat needs a long double whose exponent range holds binary64 products and quotients");

/* ---- Formats ---- */

static int prec(unsigned fmt) { return fmt == RVF_D ? 53 : 24; }
static int emax(unsigned fmt) { return fmt == RVF_D ? 1023 : 127; }
static int emin(unsigned fmt) { return fmt == RVF_D ? -1022 : -126; }
static unsigned ebits(unsigned fmt) { return fmt == RVF_D ? 11u : 8u; }
static uint64_t sign_bit(unsigned fmt) { return fmt == RVF_D ? 1ull << 63 : 1ull << 31; }
static uint64_t fmt_mask(unsigned fmt) { return fmt == RVF_D ? ~0ull : 0xFFFFFFFFull; }
static uint64_t frac_mask(unsigned fmt) { return (1ull << (prec(fmt) - 1)) - 1; }
static unsigned exp_field(unsigned fmt, uint64_t a)
{
    return (unsigned)((a >> (prec(fmt) - 1)) & ((1u << ebits(fmt)) - 1));
}

static int sign_of(unsigned fmt, uint64_t a) { return (a & sign_bit(fmt)) != 0; }
static int is_nan(unsigned fmt, uint64_t a)
{
    return exp_field(fmt, a) == (1u << ebits(fmt)) - 1 && (a & frac_mask(fmt)) != 0;
}
/* A signaling NaN has the most significant fraction bit clear (IEEE 754-2008 §6.2.1). */
static int is_snan(unsigned fmt, uint64_t a)
{
    return is_nan(fmt, a) && (a & (1ull << (prec(fmt) - 2))) == 0;
}
static int is_inf(unsigned fmt, uint64_t a)
{
    return exp_field(fmt, a) == (1u << ebits(fmt)) - 1 && (a & frac_mask(fmt)) == 0;
}
static int is_zero(unsigned fmt, uint64_t a) { return (a & fmt_mask(fmt) & ~sign_bit(fmt)) == 0; }

static uint64_t canonical_nan(unsigned fmt) { return fmt == RVF_D ? 0x7FF8000000000000ull : 0x7FC00000ull; }
static uint64_t infinity(unsigned fmt, int sign)
{
    return (sign ? sign_bit(fmt) : 0) | ((uint64_t)((1u << ebits(fmt)) - 1) << (prec(fmt) - 1));
}
static uint64_t zero(unsigned fmt, int sign) { return sign ? sign_bit(fmt) : 0; }

/* A finite nonzero value as sign, exponent and a 64-bit significand with bit 63 set:
 * |a| = sig × 2^(exp − 63). Exact, integer only. */
static void unpack(unsigned fmt, uint64_t a, int *sign, int *exp, uint64_t *sig)
{
    int p = prec(fmt);
    unsigned e = exp_field(fmt, a);
    uint64_t m = a & frac_mask(fmt);
    *sign = sign_of(fmt, a);
    if (e == 0) {
        int shift = __builtin_clzll(m);   /* m != 0: the value is subnormal, not zero */
        *sig = m << shift;
        *exp = emin(fmt) - (p - 1) + (63 - shift);
    } else {
        *sig = (m | (1ull << (p - 1))) << (64 - p);
        *exp = (int)e - emax(fmt);
    }
}

/* ---- Rounding ---- */

/* sig / 2^sh rounded to an integer in mode rm; `sticky` says there is more below sig's last
 * bit (callers pass 0 when sh = 0). *inexact is set when the result differs from the value.
 * The result may be one more than sig >> sh suggests (a carry into a new bit). */
static uint64_t round_shift(uint64_t sig, int sh, int sticky, int sign, unsigned rm, int *inexact)
{
    if (sh > 66)
        sh = 66;   /* everything is below the rounding point, and below its half */
    unsigned __int128 s = sig;
    unsigned __int128 m = s >> sh;
    unsigned __int128 rem = s & ((((unsigned __int128)1) << sh) - 1);
    unsigned __int128 half = sh > 0 ? ((unsigned __int128)1) << (sh - 1) : 0;
    int nx = rem != 0 || sticky;
    int inc = 0;
    switch (rm) {
    case RVF_RNE:
        inc = sh > 0 && (rem > half || (rem == half && (sticky || (m & 1))));
        break;
    case RVF_RMM:
        inc = sh > 0 && rem >= half;
        break;
    case RVF_RDN:
        inc = nx && sign;
        break;
    case RVF_RUP:
        inc = nx && !sign;
        break;
    default: /* RVF_RTZ */
        break;
    }
    *inexact = nx;
    return (uint64_t)(m + (unsigned)inc);
}

/* The value sign × (sig + sticky) × 2^(exp − 63) (sig's bit 63 set) rounded to fmt in mode rm,
 * with the flags IEEE 754 raises: overflow (§7.4), underflow when the result is tiny — after
 * rounding, as if the exponent range were unbounded (§7.5, RISC-V §11.2) — and inexact. */
static uint64_t round_pack(unsigned fmt, int sign, int exp, uint64_t sig, int sticky, unsigned rm,
                           unsigned *flags)
{
    int p = prec(fmt);
    int e = exp < emin(fmt) ? emin(fmt) : exp;
    int inexact;
    uint64_t m = round_shift(sig, 64 - p + (e - exp), sticky, sign, rm, &inexact);
    if (m >> p) {   /* rounded up to the next power of two */
        m >>= 1;
        e++;
    }
    if (exp < emin(fmt)) {
        int nx2;
        uint64_t unbounded = round_shift(sig, 64 - p, sticky, sign, rm, &nx2);
        int tiny = !((unbounded >> p) != 0 && exp + 1 >= emin(fmt));
        if (tiny && inexact)
            *flags |= RVF_UF;
    }
    if (e > emax(fmt)) {
        *flags |= RVF_OF | RVF_NX;
        int to_inf = rm == RVF_RNE || rm == RVF_RMM || (rm == RVF_RUP && !sign) || (rm == RVF_RDN && sign);
        return to_inf ? infinity(fmt, sign) : (infinity(fmt, sign) - 1);
    }
    if (inexact)
        *flags |= RVF_NX;
    uint64_t biased = (m >> (p - 1)) ? (uint64_t)(e + emax(fmt)) : 0;   /* 0: subnormal */
    return (sign ? sign_bit(fmt) : 0) | (biased << (p - 1)) | (m & frac_mask(fmt));
}

/* ---- The wide operation ---- */

enum wide_op { WIDE_ADD, WIDE_MUL, WIDE_DIV, WIDE_SQRT, WIDE_FMA };

static long double to_wide(unsigned fmt, uint64_t a)
{
    if (fmt == RVF_D) {
        double d;
        memcpy(&d, &a, sizeof d);
        return d;
    }
    uint32_t w = (uint32_t)a;
    float f;
    memcpy(&f, &w, sizeof f);
    return f;
}

/* x op y (op z) on finite values, rounded toward zero in long double; *inexact = the host's
 * inexact flag. The host's floating-point environment is restored afterwards. */
static long double wide(enum wide_op op, long double x, long double y, long double z, int *inexact)
{
    fenv_t saved;
    fegetenv(&saved);
    fesetround(FE_TOWARDZERO);
    feclearexcept(FE_ALL_EXCEPT);
    long double r;
    switch (op) {
    case WIDE_ADD: r = x + y; break;
    case WIDE_MUL: r = x * y; break;
    case WIDE_DIV: r = x / y; break;
    case WIDE_SQRT: r = sqrtl(x); break;
    default: r = fmal(x, y, z); break;
    }
    *inexact = fetestexcept(FE_INEXACT) != 0;
    fesetenv(&saved);
    return r;
}

/* A wide result rounded to fmt. r = 0 is an exact zero (nothing underflows in long double):
 * its sign is zero_sign. */
static uint64_t finish(unsigned fmt, long double r, int inexact, int zero_sign, unsigned rm, unsigned *flags)
{
    if (r == 0)
        return zero(fmt, zero_sign);
    int e;
    long double m = frexpl(fabsl(r), &e);   /* |r| = m × 2^e, m in [0.5, 1): exact */
    long double hi = ldexpl(m, 64);         /* in [2^63, 2^64) */
    long double top = truncl(hi);           /* binary128 keeps more than 64 bits */
    int sticky = inexact || hi != top;
    return round_pack(fmt, signbit(r) != 0, e - 1, (uint64_t)top, sticky, rm, flags);
}

/* The sign of an exact zero sum x + y (IEEE 754-2008 §6.3): the operands' sign if they agree,
 * else +0, or −0 when rounding down. */
static int zero_sum_sign(int sx, int sy, unsigned rm) { return sx == sy ? sx : rm == RVF_RDN; }

/* ---- Operations ---- */

uint64_t rvf_add(unsigned fmt, uint64_t a, uint64_t b, unsigned rm, unsigned *flags)
{
    a &= fmt_mask(fmt);
    b &= fmt_mask(fmt);
    if (is_nan(fmt, a) || is_nan(fmt, b)) {
        if (is_snan(fmt, a) || is_snan(fmt, b))
            *flags |= RVF_NV;
        return canonical_nan(fmt);
    }
    int sa = sign_of(fmt, a), sb = sign_of(fmt, b);
    if (is_inf(fmt, a) || is_inf(fmt, b)) {
        if (is_inf(fmt, a) && is_inf(fmt, b) && sa != sb) {   /* ∞ − ∞ */
            *flags |= RVF_NV;
            return canonical_nan(fmt);
        }
        return is_inf(fmt, a) ? a : b;
    }
    int nx;
    long double r = wide(WIDE_ADD, to_wide(fmt, a), to_wide(fmt, b), 0, &nx);
    return finish(fmt, r, nx, zero_sum_sign(sa, sb, rm), rm, flags);
}

uint64_t rvf_sub(unsigned fmt, uint64_t a, uint64_t b, unsigned rm, unsigned *flags)
{
    return rvf_add(fmt, a, b ^ sign_bit(fmt), rm, flags);
}

uint64_t rvf_mul(unsigned fmt, uint64_t a, uint64_t b, unsigned rm, unsigned *flags)
{
    a &= fmt_mask(fmt);
    b &= fmt_mask(fmt);
    if (is_nan(fmt, a) || is_nan(fmt, b)) {
        if (is_snan(fmt, a) || is_snan(fmt, b))
            *flags |= RVF_NV;
        return canonical_nan(fmt);
    }
    int s = sign_of(fmt, a) ^ sign_of(fmt, b);
    if (is_inf(fmt, a) || is_inf(fmt, b)) {
        if (is_zero(fmt, a) || is_zero(fmt, b)) {   /* ∞ × 0 */
            *flags |= RVF_NV;
            return canonical_nan(fmt);
        }
        return infinity(fmt, s);
    }
    if (is_zero(fmt, a) || is_zero(fmt, b))
        return zero(fmt, s);
    int nx;
    long double r = wide(WIDE_MUL, to_wide(fmt, a), to_wide(fmt, b), 0, &nx);
    return finish(fmt, r, nx, s, rm, flags);
}

uint64_t rvf_div(unsigned fmt, uint64_t a, uint64_t b, unsigned rm, unsigned *flags)
{
    a &= fmt_mask(fmt);
    b &= fmt_mask(fmt);
    if (is_nan(fmt, a) || is_nan(fmt, b)) {
        if (is_snan(fmt, a) || is_snan(fmt, b))
            *flags |= RVF_NV;
        return canonical_nan(fmt);
    }
    int s = sign_of(fmt, a) ^ sign_of(fmt, b);
    if (is_inf(fmt, a)) {
        if (is_inf(fmt, b)) {   /* ∞ / ∞ */
            *flags |= RVF_NV;
            return canonical_nan(fmt);
        }
        return infinity(fmt, s);   /* ∞ / finite, ∞ / 0: exact, no DZ (§7.3) */
    }
    if (is_inf(fmt, b))
        return zero(fmt, s);
    if (is_zero(fmt, b)) {
        if (is_zero(fmt, a)) {   /* 0 / 0 */
            *flags |= RVF_NV;
            return canonical_nan(fmt);
        }
        *flags |= RVF_DZ;
        return infinity(fmt, s);
    }
    if (is_zero(fmt, a))
        return zero(fmt, s);
    int nx;
    long double r = wide(WIDE_DIV, to_wide(fmt, a), to_wide(fmt, b), 0, &nx);
    return finish(fmt, r, nx, s, rm, flags);
}

uint64_t rvf_sqrt(unsigned fmt, uint64_t a, unsigned rm, unsigned *flags)
{
    a &= fmt_mask(fmt);
    if (is_nan(fmt, a)) {
        if (is_snan(fmt, a))
            *flags |= RVF_NV;
        return canonical_nan(fmt);
    }
    if (is_zero(fmt, a))
        return a;   /* sqrt(±0) = ±0 */
    if (sign_of(fmt, a)) {   /* negative, −∞ included */
        *flags |= RVF_NV;
        return canonical_nan(fmt);
    }
    if (is_inf(fmt, a))
        return a;
    int nx;
    long double r = wide(WIDE_SQRT, to_wide(fmt, a), 0, 0, &nx);
    return finish(fmt, r, nx, 0, rm, flags);
}

uint64_t rvf_fma(unsigned fmt, uint64_t a, uint64_t b, uint64_t c, int negate_product,
                 int negate_addend, unsigned rm, unsigned *flags)
{
    a &= fmt_mask(fmt);
    b &= fmt_mask(fmt);
    c &= fmt_mask(fmt);
    if (negate_product)
        a ^= sign_bit(fmt);
    if (negate_addend)
        c ^= sign_bit(fmt);
    int inf_times_zero = (is_inf(fmt, a) && is_zero(fmt, b)) || (is_zero(fmt, a) && is_inf(fmt, b));
    if (is_nan(fmt, a) || is_nan(fmt, b) || is_nan(fmt, c)) {
        /* §11.6: ∞ × 0 raises NV even when the addend is a quiet NaN. */
        if (is_snan(fmt, a) || is_snan(fmt, b) || is_snan(fmt, c) || inf_times_zero)
            *flags |= RVF_NV;
        return canonical_nan(fmt);
    }
    if (inf_times_zero) {
        *flags |= RVF_NV;
        return canonical_nan(fmt);
    }
    int sp = sign_of(fmt, a) ^ sign_of(fmt, b), sc = sign_of(fmt, c);
    if (is_inf(fmt, a) || is_inf(fmt, b)) {
        if (is_inf(fmt, c) && sc != sp) {   /* ∞ − ∞ */
            *flags |= RVF_NV;
            return canonical_nan(fmt);
        }
        return infinity(fmt, sp);
    }
    if (is_inf(fmt, c))
        return c;
    if (is_zero(fmt, a) || is_zero(fmt, b)) {   /* an exact zero product */
        if (is_zero(fmt, c))
            return zero(fmt, zero_sum_sign(sp, sc, rm));
        return c;
    }
    int nx;
    long double r = wide(WIDE_FMA, to_wide(fmt, a), to_wide(fmt, b), to_wide(fmt, c), &nx);
    return finish(fmt, r, nx, zero_sum_sign(sp, sc, rm), rm, flags);
}

/* ---- Conversions ---- */

/* Between the formats, in integer code: a finite nonzero value is unpacked exactly and
 * rounded to the target. */
static uint64_t convert(unsigned from, unsigned to, uint64_t a, unsigned rm, unsigned *flags)
{
    a &= fmt_mask(from);
    if (is_nan(from, a)) {
        if (is_snan(from, a))
            *flags |= RVF_NV;
        return canonical_nan(to);
    }
    int s = sign_of(from, a);
    if (is_inf(from, a))
        return infinity(to, s);
    if (is_zero(from, a))
        return zero(to, s);
    int e;
    uint64_t sig;
    unpack(from, a, &s, &e, &sig);
    return round_pack(to, s, e, sig, 0, rm, flags);
}

uint64_t rvf_d_to_s(uint64_t a, unsigned rm, unsigned *flags) { return convert(RVF_D, RVF_S, a, rm, flags); }
uint64_t rvf_s_to_d(uint64_t a, unsigned *flags) { return convert(RVF_S, RVF_D, a, RVF_RNE, flags); }

uint64_t rvf_from_int(unsigned fmt, uint64_t v, int is_signed, unsigned rm, unsigned *flags)
{
    if (v == 0)
        return 0;
    int s = is_signed && (int64_t)v < 0;
    uint64_t mag = s ? 0 - v : v;
    int shift = __builtin_clzll(mag);
    return round_pack(fmt, s, 63 - shift, mag << shift, 0, rm, flags);
}

uint64_t rvf_to_int(unsigned fmt, uint64_t a, unsigned bits, int is_signed, unsigned rm,
                    unsigned *flags)
{
    a &= fmt_mask(fmt);
    bits = bits == 32 ? 32 : 64;
    /* The representable range: [lo, hi] as magnitudes on each side. */
    uint64_t max_pos = is_signed ? (1ull << (bits - 1)) - 1 : (bits == 64 ? ~0ull : (1ull << 32) - 1);
    uint64_t max_neg = is_signed ? 1ull << (bits - 1) : 0;   /* magnitude of the minimum */
    uint64_t result;
    int sign = sign_of(fmt, a);
    if (is_nan(fmt, a)) {   /* table 11.4: NaN converts to the largest value */
        *flags |= RVF_NV;
        result = max_pos;
    } else if (is_inf(fmt, a)) {
        *flags |= RVF_NV;
        result = sign ? 0 - max_neg : max_pos;
    } else if (is_zero(fmt, a)) {
        result = 0;
    } else {
        int e, nx = 0;
        uint64_t sig, m = 0;
        unpack(fmt, a, &sign, &e, &sig);
        int too_big = e >= 64;
        if (!too_big)
            m = round_shift(sig, 63 - e, 0, sign, rm, &nx);
        if (too_big || m > (sign ? max_neg : max_pos)) {   /* out of range: NV, no NX */
            *flags |= RVF_NV;
            result = sign ? 0 - max_neg : max_pos;
        } else {
            if (nx)
                *flags |= RVF_NX;
            result = sign ? 0 - m : m;
        }
    }
    if (bits == 32)   /* 32-bit results are sign-extended into rd, FCVT.WU too (§11.7) */
        result = (uint64_t)(int64_t)(int32_t)(uint32_t)result;
    return result;
}
