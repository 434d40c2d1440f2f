"""
A reference model of the RISC-V F and D arithmetic (Unprivileged spec chapters 11-12, IEEE
754-2008), written from the definitions with exact rational arithmetic (fractions.Fraction):
every operation computes the exact result, then rounds it once to binary32/binary64 in the
requested mode. Flags: NV DZ OF UF NX as fcsr.fflags; underflow uses tininess after rounding
(RISC-V's choice, 11.2); NaN results are the canonical NaN (11.3).

Values are bit patterns (int); fmt is 'S' or 'D'.
"""
from fractions import Fraction
from math import isqrt

RNE, RTZ, RDN, RUP, RMM = 0, 1, 2, 3, 4
NX, UF, OF, DZ, NV = 1, 2, 4, 8, 16

FMT = {
    #     precision, emin, emax, exponent bits
    'S': (24, -126, 127, 8),
    'D': (53, -1022, 1023, 11),
}


def width(fmt):
    return 32 if fmt == 'S' else 64


def canonical_nan(fmt):
    return 0x7FC00000 if fmt == 'S' else 0x7FF8000000000000


def sign_bit(fmt):
    return 1 << (width(fmt) - 1)


def fields(fmt, v):
    p, _, _, eb = FMT[fmt]
    return v >> (width(fmt) - 1) & 1, (v >> (p - 1)) & ((1 << eb) - 1), v & ((1 << (p - 1)) - 1)


def is_nan(fmt, v):
    _, e, f = fields(fmt, v)
    return e == (1 << FMT[fmt][3]) - 1 and f != 0


def is_snan(fmt, v):
    p = FMT[fmt][0]
    return is_nan(fmt, v) and not (v >> (p - 2)) & 1


def is_inf(fmt, v):
    _, e, f = fields(fmt, v)
    return e == (1 << FMT[fmt][3]) - 1 and f == 0


def is_zero(fmt, v):
    return v & (sign_bit(fmt) - 1) == 0


def sign(fmt, v):
    return fields(fmt, v)[0]


def inf(fmt, s):
    p, _, _, eb = FMT[fmt]
    return (s << (width(fmt) - 1)) | (((1 << eb) - 1) << (p - 1))


def zero(fmt, s):
    return s << (width(fmt) - 1)


def value(fmt, v):
    """The exact value of a finite pattern (zero's sign is lost: callers keep it)."""
    p, emin, emax, _ = FMT[fmt]
    s, e, f = fields(fmt, v)
    if e == 0:
        x = Fraction(f, 1) * Fraction(2) ** (emin - (p - 1))
    else:
        x = Fraction(f + (1 << (p - 1)), 1) * Fraction(2) ** (e - emax - (p - 1))
    return -x if s else x


def floor_log2(x):
    """floor(log2(x)) for a positive Fraction."""
    n, d = x.numerator, x.denominator
    e = n.bit_length() - d.bit_length()
    if Fraction(2) ** e > x:
        e -= 1
    return e


def round_int(m, s, rm):
    """m (Fraction >= 0) to an integer in mode rm for sign s; returns (n, inexact)."""
    n = m.numerator // m.denominator
    rem = m - n
    if rem == 0:
        return n, False
    half = Fraction(1, 2)
    if rm == RNE:
        up = rem > half or (rem == half and n % 2 == 1)
    elif rm == RMM:
        up = rem >= half
    elif rm == RTZ:
        up = False
    elif rm == RDN:
        up = s == 1
    else:
        up = s == 0
    return n + (1 if up else 0), True


def round_to(fmt, x, rm, zero_sign=0):
    """The nonzero-or-zero rational x rounded to fmt: (bits, flags)."""
    p, emin, emax, _ = FMT[fmt]
    if x == 0:
        return zero(fmt, zero_sign), 0
    s = 1 if x < 0 else 0
    a = -x if s else x
    E = floor_log2(a)
    e = max(E, emin)
    n, inexact = round_int(a / Fraction(2) ** (e - (p - 1)), s, rm)
    if n == 1 << p:
        n >>= 1
        e += 1
    flags = 0
    if E < emin:
        n2, _ = round_int(a / Fraction(2) ** (E - (p - 1)), s, rm)
        tiny = not (n2 == 1 << p and E + 1 >= emin)
        if tiny and inexact:
            flags |= UF
    if e > emax:
        to_inf = rm in (RNE, RMM) or (rm == RUP and not s) or (rm == RDN and s)
        return (inf(fmt, s) if to_inf else inf(fmt, s) - 1), flags | OF | NX
    if inexact:
        flags |= NX
    if n >> (p - 1):
        bits = ((e + emax) << (p - 1)) | (n - (1 << (p - 1)))
    else:
        bits = n
    return (s << (width(fmt) - 1)) | bits, flags


def _nan_check(fmt, *vs, extra_invalid=False):
    if any(is_nan(fmt, v) for v in vs):
        return canonical_nan(fmt), (NV if any(is_snan(fmt, v) for v in vs) or extra_invalid else 0)
    return None


def add(fmt, a, b, rm):
    r = _nan_check(fmt, a, b)
    if r:
        return r
    sa, sb = sign(fmt, a), sign(fmt, b)
    if is_inf(fmt, a) or is_inf(fmt, b):
        if is_inf(fmt, a) and is_inf(fmt, b) and sa != sb:
            return canonical_nan(fmt), NV
        return (a if is_inf(fmt, a) else b), 0
    zs = sa if sa == sb else (1 if rm == RDN else 0)
    return round_to(fmt, value(fmt, a) + value(fmt, b), rm, zs)


def sub(fmt, a, b, rm):
    return add(fmt, a, b ^ sign_bit(fmt), rm)


def mul(fmt, a, b, rm):
    r = _nan_check(fmt, a, b)
    if r:
        return r
    s = sign(fmt, a) ^ sign(fmt, b)
    if is_inf(fmt, a) or is_inf(fmt, b):
        if is_zero(fmt, a) or is_zero(fmt, b):
            return canonical_nan(fmt), NV
        return inf(fmt, s), 0
    return round_to(fmt, value(fmt, a) * value(fmt, b), rm, s)


def div(fmt, a, b, rm):
    r = _nan_check(fmt, a, b)
    if r:
        return r
    s = sign(fmt, a) ^ sign(fmt, b)
    if is_inf(fmt, a):
        return (canonical_nan(fmt), NV) if is_inf(fmt, b) else (inf(fmt, s), 0)
    if is_inf(fmt, b):
        return zero(fmt, s), 0
    if is_zero(fmt, b):
        return (canonical_nan(fmt), NV) if is_zero(fmt, a) else (inf(fmt, s), DZ)
    return round_to(fmt, value(fmt, a) / value(fmt, b), rm, s)


def sqrt(fmt, a, rm):
    r = _nan_check(fmt, a)
    if r:
        return r
    if is_zero(fmt, a):
        return a, 0
    if sign(fmt, a):
        return canonical_nan(fmt), NV
    if is_inf(fmt, a):
        return a, 0
    x = value(fmt, a)
    k = 700   # sqrt(x) × 2^k has 60+ bits even for the smallest subnormal
    scaled = x * Fraction(4) ** k
    n = scaled.numerator // scaled.denominator
    root = isqrt(n)
    if Fraction(root * root) == scaled:
        exact = Fraction(root, 2 ** k)
    else:
        # strictly between root and root + 1: any such point rounds the same
        exact = Fraction(2 * root + 1, 2 ** (k + 1))
    return round_to(fmt, exact, rm)


def fma(fmt, a, b, c, rm, negate_product=False, negate_addend=False):
    if negate_product:
        a ^= sign_bit(fmt)
    if negate_addend:
        c ^= sign_bit(fmt)
    itz = (is_inf(fmt, a) and is_zero(fmt, b)) or (is_zero(fmt, a) and is_inf(fmt, b))
    r = _nan_check(fmt, a, b, c, extra_invalid=itz)
    if r:
        return r
    if itz:
        return canonical_nan(fmt), NV
    sp, sc = sign(fmt, a) ^ sign(fmt, b), sign(fmt, c)
    if is_inf(fmt, a) or is_inf(fmt, b):
        if is_inf(fmt, c) and sc != sp:
            return canonical_nan(fmt), NV
        return inf(fmt, sp), 0
    if is_inf(fmt, c):
        return c, 0
    zs = sp if sp == sc else (1 if rm == RDN else 0)
    return round_to(fmt, value(fmt, a) * value(fmt, b) + value(fmt, c), rm, zs)


def convert(src, dst, a, rm):
    if is_nan(src, a):
        return canonical_nan(dst), (NV if is_snan(src, a) else 0)
    s = sign(src, a)
    if is_inf(src, a):
        return inf(dst, s), 0
    return round_to(dst, value(src, a), rm, s)


def from_int(fmt, v, bits, signed, rm):
    v &= (1 << bits) - 1
    if signed and v >> (bits - 1):
        v -= 1 << bits
    return round_to(fmt, Fraction(v), rm)


def to_int(fmt, a, bits, signed, rm):
    """FCVT to an integer: (the 64-bit rd value, flags), table 11.4."""
    lo = -(1 << (bits - 1)) if signed else 0
    hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    if is_nan(fmt, a):
        n, flags = hi, NV
    elif is_inf(fmt, a):
        n, flags = (lo if sign(fmt, a) else hi), NV
    else:
        x = value(fmt, a)
        s = 1 if x < 0 else 0
        m, inexact = round_int(-x if s else x, s, rm)
        n = -m if s else m
        if n < lo or n > hi:
            n, flags = (lo if s else hi), NV
        else:
            flags = NX if inexact else 0
    n &= (1 << bits) - 1
    if bits == 32 and n >> 31:
        n |= 0xFFFFFFFF00000000
    return n, flags


def fmin_fmax(fmt, a, b, want_max):
    flags = NV if is_snan(fmt, a) or is_snan(fmt, b) else 0
    if is_nan(fmt, a) and is_nan(fmt, b):
        return canonical_nan(fmt), flags
    if is_nan(fmt, a):
        return b, flags
    if is_nan(fmt, b):
        return a, flags
    va, vb = value(fmt, a), value(fmt, b)
    a_less = va < vb or (va == vb and sign(fmt, a) and not sign(fmt, b))
    return (b if a_less else a) if want_max else (a if a_less else b), flags


def compare(fmt, a, b, op):
    if is_nan(fmt, a) or is_nan(fmt, b):
        signaling = is_snan(fmt, a) or is_snan(fmt, b)
        return 0, (NV if op != 'eq' or signaling else 0)
    va, vb = value(fmt, a), value(fmt, b)
    return int({'eq': va == vb, 'lt': va < vb, 'le': va <= vb}[op]), 0


def fclass(fmt, a):
    s = sign(fmt, a)
    _, e, f = fields(fmt, a)
    if is_nan(fmt, a):
        return 1 << (8 if is_snan(fmt, a) else 9)
    if is_inf(fmt, a):
        return 1 << (0 if s else 7)
    if is_zero(fmt, a):
        return 1 << (3 if s else 4)
    if e == 0:
        return 1 << (2 if s else 5)
    return 1 << (1 if s else 6)
