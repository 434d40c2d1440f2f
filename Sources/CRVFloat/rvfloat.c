/*
 * The arithmetic of the RISC-V F and D extensions, bit-exact in all five rounding modes.
 *
 * How: special operands (NaN, infinities, zeros) and the exceptions they raise (NV, DZ) are
 * handled by the rules of IEEE 754-2008 §6–7 and RISC-V's own (§11.3 canonical NaN, §11.6
 * FMA ∞×0 + qNaN raises NV). Finite operands are unpacked into integer significands and the
 * operation is done exactly in 128-bit integer arithmetic — a product of two significands, a
 * quotient with its remainder, an integer square root with its remainder, an aligned sum —
 * giving the result's leading 64 bits and a sticky bit for everything below. `round_pack`
 * then rounds that to binary32 or binary64 in the requested mode (RMM included, which no host
 * FPU offers) and decides overflow, underflow (tininess after rounding, §11.2) and inexact.
 *
 * No host floating point is involved: results and flags are the same on every host and do
 * not depend on the host's rounding mode, exception flags or tininess rule (AArch64 detects
 * tininess before rounding, x86 after). The compiler needs unsigned __int128 (GCC and Clang
 * on 64-bit targets).
 */
#include "CRVFloat.h"

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

/* ---- Exact results in integer arithmetic ---- */

/* The sign of an exact zero sum x + y (IEEE 754-2008 §6.3): the operands' sign if they agree,
 * else +0, or −0 when rounding down. */
static int zero_sum_sign(int sx, int sy, unsigned rm) { return sx == sy ? sx : (int)(rm == RVF_RDN); }

typedef unsigned __int128 u128;

/* Leading zeros of a nonzero v. */
static int clz128(u128 v)
{
    uint64_t hi = (uint64_t)(v >> 64);
    return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((uint64_t)v | 1);
}

/* The nonzero value v × 2^e, plus something below v's last bit when `sticky`, rounded to fmt:
 * its top 64 bits become round_pack's significand, the rest joins the sticky bit. */
static uint64_t pack_wide(unsigned fmt, int sign, u128 v, int e, int sticky, unsigned rm, unsigned *flags)
{
    if (v == 0)   /* callers never pass an empty value; keep clz128 defined regardless */
        return zero(fmt, sign);
    int top = 127 - clz128(v);   /* v's most significant bit */
    uint64_t sig;
    if (top >= 63) {
        int sh = top - 63;
        sig = (uint64_t)(v >> sh);
        sticky |= sh > 0 && (v & ((((u128)1) << sh) - 1)) != 0;
    } else {
        sig = (uint64_t)v << (63 - top);
    }
    return round_pack(fmt, sign, e + top, sig, sticky, rm, flags);
}

/* A finite nonzero operand as v × 2^e with v's top bit at 125: two bits of headroom for a sum
 * and its carry, and at least 62 bits below a binary64 significand. */
static void unpack_wide(unsigned fmt, uint64_t a, int *sign, u128 *v, int *e)
{
    int exp;
    uint64_t sig;
    unpack(fmt, a, sign, &exp, &sig);
    *v = (u128)sig << 62;
    *e = exp - 63 - 62;
}

/* s1·v1·2^e1 + s2·v2·2^e2, exactly rounded to fmt. Both v have their top bit at 125. The
 * smaller operand is shifted to the larger one's scale; bits it loses make the sticky bit,
 * and for a difference the result is then one unit less plus "something" (the true result
 * lies strictly between). Bits are lost only when the exponents differ by more than the
 * operands' significant bits allow any cancellation, so the result's leading bits are exact.
 * An exact zero takes zero_sum_sign's sign. */
static uint64_t sum_wide(unsigned fmt, int s1, u128 v1, int e1, int s2, u128 v2, int e2, unsigned rm,
                         unsigned *flags)
{
    if (e1 < e2 || (e1 == e2 && v1 < v2)) {   /* make operand 1 the larger in magnitude */
        int ts = s1, te = e1;
        u128 tv = v1;
        s1 = s2, v1 = v2, e1 = e2;
        s2 = ts, v2 = tv, e2 = te;
    }
    int d = e1 - e2, sticky = 0;
    if (d > 126) {
        sticky = v2 != 0;
        v2 = 0;
    } else if (d > 0) {
        sticky = (v2 & ((((u128)1) << d) - 1)) != 0;
        v2 >>= d;
    }
    u128 v;
    if (s1 == s2) {
        v = v1 + v2;
    } else {
        v = v1 - v2 - (sticky ? 1 : 0);   /* v1 > v2 + something: v ≥ 0 */
        if (v == 0 && !sticky)
            return zero(fmt, zero_sum_sign(s1, s2, rm));
    }
    return pack_wide(fmt, s1, v, e1, sticky, rm, flags);
}

/* floor(sqrt(x)) and whether it was exact (digit by digit, two bits of x per result bit). */
static u128 isqrt128(u128 x, int *exact)
{
    u128 root = 0, bit = ((u128)1) << 126;
    while (bit > x)
        bit >>= 2;
    while (bit) {
        if (x >= root + bit) {
            x -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    *exact = x == 0;
    return root;
}

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
    if (is_zero(fmt, a) || is_zero(fmt, b)) {
        if (is_zero(fmt, a) && is_zero(fmt, b))
            return zero(fmt, zero_sum_sign(sa, sb, rm));
        return is_zero(fmt, a) ? b : a;   /* x + 0 = x: exact */
    }
    u128 va, vb;
    int ea, eb;
    unpack_wide(fmt, a, &sa, &va, &ea);
    unpack_wide(fmt, b, &sb, &vb, &eb);
    return sum_wide(fmt, sa, va, ea, sb, vb, eb, rm, flags);
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
    int sa, sb, ea, eb;
    uint64_t ma, mb;
    unpack(fmt, a, &sa, &ea, &ma);
    unpack(fmt, b, &sb, &eb, &mb);
    return pack_wide(fmt, s, (u128)ma * mb, (ea - 63) + (eb - 63), 0, rm, flags);
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
    int sa, sb, ea, eb;
    uint64_t ma, mb;
    unpack(fmt, a, &sa, &ea, &ma);
    unpack(fmt, b, &sb, &eb, &mb);
    /* ma·2^64 / mb lies in (2^63, 2^65): 64 significant bits at least; the remainder is the
     * sticky bit. */
    u128 n = (u128)ma << 64;
    u128 q = n / mb;
    return pack_wide(fmt, s, q, ea - eb - 64, n % mb != 0, rm, flags);
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
    int s, e, exact;
    uint64_t m;
    unpack(fmt, a, &s, &e, &m);
    /* a = m·2^(e−63) = (m·2^k)·2^(e−63−k) with e−63−k even; m·2^k ≥ 2^126 gives a 64-bit root. */
    int k = ((e - 63) & 1) ? 63 : 64;
    u128 root = isqrt128((u128)m << k, &exact);
    return pack_wide(fmt, 0, root, (e - 63 - k) / 2, !exact, rm, flags);
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
    /* The product, exact in 128 bits (at most 106 significant, the rest zeros), moved so its
     * top bit is at 125 like the addend's. */
    int sa, sb, ea, eb;
    uint64_t ma, mb;
    unpack(fmt, a, &sa, &ea, &ma);
    unpack(fmt, b, &sb, &eb, &mb);
    u128 p = (u128)ma * mb;
    int ep = (ea - 63) + (eb - 63);
    if (is_zero(fmt, c))
        return pack_wide(fmt, sp, p, ep, 0, rm, flags);
    int shift = (127 - clz128(p)) - 125;   /* 1 or 2: only zero bits leave */
    p >>= shift;
    ep += shift;
    u128 vc;
    int ec;
    unpack_wide(fmt, c, &sc, &vc, &ec);
    return sum_wide(fmt, sp, p, ep, sc, vc, ec, rm, flags);
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
