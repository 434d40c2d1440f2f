#!/usr/bin/env python3
"""
Generates tables/float.inc, the table part of the isa-selftest's float group (F and D,
Unprivileged spec chapters 11-12): each case is one instruction on given operands in a given
rounding mode (frm, used through the instruction's dynamic rm, or a static rm in the
template), with the expected register value and fflags computed by fpref.py (exact rational
arithmetic, one rounding).

Operands go through integer registers and FMV.D.X, so a single operand is a full 64-bit
register value: normally NaN-boxed, sometimes deliberately not (it must then read as the
canonical NaN). Results come back with FMV.X.D, so a single result shows its boxing too.

The output is committed: building the images needs only clang and ld.lld. Rerun after
editing: python3 images/riscv/isa-selftest/gen/gen_float.py
"""
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fpref as F  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tables", "float.inc")
BOX = 0xFFFFFFFF00000000
MODES = [F.RNE, F.RTZ, F.RDN, F.RUP, F.RMM]
MODE_NAMES = ["rne", "rtz", "rdn", "rup", "rmm"]


def bits(fmt, x):
    """A Python float (or an int pattern) as fmt's bit pattern."""
    if isinstance(x, int):
        return x
    if fmt == 'S':
        return struct.unpack('<I', struct.pack('<f', x))[0]
    return struct.unpack('<Q', struct.pack('<d', x))[0]


def reg(fmt, v):
    """The 64-bit register value holding pattern v (singles NaN-boxed)."""
    return BOX | v if fmt == 'S' else v


def result_reg(fmt, v):
    return reg(fmt, v)


class Values:
    """Interesting patterns of one format."""

    def __init__(self, fmt):
        p, emin, emax, eb = F.FMT[fmt]
        w = F.width(fmt)
        self.fmt = fmt
        s = F.sign_bit(fmt)
        self.pz, self.nz = 0, s
        self.one, self.mone = bits(fmt, 1.0), bits(fmt, -1.0)
        self.two, self.half, self.three = bits(fmt, 2.0), bits(fmt, 0.5), bits(fmt, 3.0)
        self.third = F.div(fmt, self.one, self.three, F.RNE)[0]
        self.inf, self.minf = F.inf(fmt, 0), F.inf(fmt, 1)
        self.max = self.inf - 1
        self.mmax = self.max | s
        self.min_normal = 1 << (p - 1)
        self.min_sub = 1
        self.max_sub = (1 << (p - 1)) - 1
        self.qnan = F.canonical_nan(fmt)
        self.qnan_payload = self.qnan | s | 0x123       # quiet, negative, with a payload
        self.snan = (F.inf(fmt, 0)) | 1
        self.onep = self.one + 1                        # 1 + ulp
        self.onem = self.one - 1                        # 1 - ulp/2
        # 2^-p: half an ulp of 1; 1.5 * 2^-p: three quarters of it
        self.half_ulp = (emax - p) << (p - 1)
        self.three_q_ulp = self.half_ulp | (1 << (p - 2))
        self.w = w


def gen():
    ops, names, cases = [], set(), []

    def op(name, asm):
        if name not in names:
            names.add(name)
            ops.append((name, asm))
        return name

    def case(name, rm, a, b, c, expected):
        res, flags = expected
        cases.append((name, rm, a, b, c, res, flags))

    for fmt in 'SD':
        V = Values(fmt)
        sfx = fmt.lower()
        ident = fmt

        def r(v):
            return reg(fmt, v)

        def fres(x):
            return (result_reg(fmt, x[0]), x[1])

        # ---- rounded arithmetic: every mode through frm (dynamic rm)
        add_pairs = [
            (V.one, V.half_ulp), (V.onep, V.half_ulp), (V.one, V.three_q_ulp),
            (V.mone, V.three_q_ulp | F.sign_bit(fmt)), (V.max, V.max), (V.max, V.mmax),
            (V.pz, V.nz), (V.nz, V.nz), (V.one, V.mone), (V.inf, V.minf), (V.inf, V.one),
            (V.qnan_payload, V.one), (V.snan, V.one), (V.min_sub, V.min_sub),
            (V.min_normal, V.min_sub | F.sign_bit(fmt)), (V.third, V.one), (V.one, V.third | F.sign_bit(fmt)),
            (V.max, V.one),
        ]
        mul_pairs = [
            (V.third, V.three), (V.max, V.two), (V.min_normal, V.half), (V.min_normal + 1, V.half),
            (V.min_normal, V.onem), (V.inf, V.pz), (V.min_sub, V.half), (V.third, V.third),
            (V.mone, V.pz), (V.snan, V.one), (V.qnan, V.inf), (V.minf, V.mone), (V.onep, V.onep),
        ]
        div_pairs = [
            (V.one, V.three), (V.one, V.pz), (V.pz, V.pz), (V.inf, V.inf), (V.mone, V.nz),
            (V.min_normal, V.max), (V.max, V.min_sub), (V.three, V.inf), (V.two, V.third),
            (V.inf, V.pz), (V.snan, V.one), (V.min_normal, V.three),
        ]
        for mn, fn, pairs in [("fadd", F.add, add_pairs), ("fsub", F.sub, add_pairs[:12]),
                              ("fmul", F.mul, mul_pairs), ("fdiv", F.div, div_pairs)]:
            name = op("%s_%s" % (mn.upper(), ident),
                      "%s.%s ft0, ft1, ft2, dyn\\n\\tfmv.x.d %%[d], ft0" % (mn, sfx))
            for a, b in pairs:
                for rm in MODES:
                    case(name, rm, r(a), r(b), 0, fres(fn(fmt, a, b, rm)))
        sqrt_vals = [V.two, V.three, V.max, V.min_sub, V.nz, V.mone, V.minf, V.inf, V.qnan, V.snan,
                     V.third, V.onep]
        name = op("FSQRT_" + ident, "fsqrt.%s ft0, ft1, dyn\\n\\tfmv.x.d %%[d], ft0" % sfx)
        for a in sqrt_vals:
            for rm in MODES:
                case(name, rm, r(a), 0, 0, fres(F.sqrt(fmt, a, rm)))

        # ---- fused multiply-adds
        triples = [
            (V.onep, V.onem, V.mone), (V.third, V.three, V.mone), (V.inf, V.pz, V.qnan),
            (V.max, V.two, V.mmax), (V.one, V.one, V.mone), (V.min_sub, V.half, V.pz),
            (V.snan, V.one, V.one), (V.third, V.third, V.third), (V.inf, V.one, V.minf),
        ]
        for mn, np_, na in [("fmadd", False, False), ("fmsub", False, True),
                            ("fnmsub", True, False), ("fnmadd", True, True)]:
            name = op("%s_%s" % (mn.upper(), ident),
                      "%s.%s ft0, ft1, ft2, ft3, dyn\\n\\tfmv.x.d %%[d], ft0" % (mn, sfx))
            for a, b, c in triples:
                for rm in MODES:
                    case(name, rm, r(a), r(b), r(c), fres(F.fma(fmt, a, b, c, rm, np_, na)))

        # ---- static rounding modes in the instruction (frm holds a different mode)
        for i, mname in enumerate(MODE_NAMES):
            name = op("FADD_%s_%s" % (ident, mname.upper()),
                      "fadd.%s ft0, ft1, ft2, %s\\n\\tfmv.x.d %%[d], ft0" % (sfx, mname))
            for a, b in [(V.one, V.half_ulp), (V.mone, V.three_q_ulp | F.sign_bit(fmt))]:
                case(name, (i + 1) % 5, r(a), r(b), 0, fres(F.add(fmt, a, b, i)))

        # ---- sign injection (bits move, NaNs included), min/max, compares, classify
        sgnj_pairs = [(V.one, V.mone), (V.mone, V.one), (V.qnan_payload, V.one), (V.snan, V.mone),
                      (V.minf, V.pz)]
        for mn in ["fsgnj", "fsgnjn", "fsgnjx"]:
            name = op("%s_%s" % (mn.upper(), ident), "%s.%s ft0, ft1, ft2\\n\\tfmv.x.d %%[d], ft0" % (mn, sfx))
            for a, b in sgnj_pairs:
                sa = a & ~F.sign_bit(fmt)
                sb = b & F.sign_bit(fmt)
                s = {"fsgnj": sb, "fsgnjn": sb ^ F.sign_bit(fmt), "fsgnjx": (a ^ b) & F.sign_bit(fmt)}[mn]
                case(name, 0, r(a), r(b), 0, (result_reg(fmt, sa | s), 0))
        minmax_pairs = [(V.pz, V.nz), (V.nz, V.pz), (V.qnan, V.one), (V.one, V.snan), (V.qnan, V.qnan),
                        (V.snan, V.qnan_payload), (V.one, V.three), (V.minf, V.inf), (V.mone, V.min_sub)]
        for mn, want_max in [("fmin", False), ("fmax", True)]:
            name = op("%s_%s" % (mn.upper(), ident), "%s.%s ft0, ft1, ft2\\n\\tfmv.x.d %%[d], ft0" % (mn, sfx))
            for a, b in minmax_pairs:
                case(name, 0, r(a), r(b), 0, fres(F.fmin_fmax(fmt, a, b, want_max)))
        cmp_pairs = [(V.one, V.one), (V.one, V.three), (V.three, V.one), (V.pz, V.nz), (V.qnan, V.one),
                     (V.snan, V.one), (V.one, V.qnan), (V.minf, V.max)]
        for mn in ["feq", "flt", "fle"]:
            name = op("%s_%s" % (mn.upper(), ident), "%s.%s %%[d], ft1, ft2" % (mn, sfx))
            for a, b in cmp_pairs:
                case(name, 0, r(a), r(b), 0, F.compare(fmt, a, b, mn[1:]))
        name = op("FCLASS_" + ident, "fclass.%s %%[d], ft1" % sfx)
        for a in [V.minf, V.mone, V.max_sub | F.sign_bit(fmt), V.nz, V.pz, V.min_sub, V.one, V.inf,
                  V.snan, V.qnan]:
            case(name, 0, r(a), 0, 0, (F.fclass(fmt, a), 0))

        # ---- conversions to and from integers (table 11.4)
        if fmt == 'S':
            fractional = [2.5, -2.5, 0.5, -0.5, 1.5, -0.3, 0.7]
            integral = [2147483648.0, -2147483648.0, 4294967296.0, 9.223372036854775808e18,
                        -9.223372036854775808e18, 1.8446744073709551616e19, 1e20, -1.0]
        else:
            fractional = [2.5, -2.5, 0.5, -0.5, 1.5, -0.3, 0.7, 2147483647.5, -2147483648.5,
                          4294967295.5]
            integral = [2147483648.0, -2147483649.0, 4294967296.0, 9.223372036854775808e18,
                        -9.223372036854775808e18, 1.8446744073709551616e19, 1e20, -1.0,
                        9.223372036854774784e18]
        specials = [V.qnan, V.snan, V.inf, V.minf, V.nz]
        for t, nbits, signed in [("w", 32, True), ("wu", 32, False), ("l", 64, True), ("lu", 64, False)]:
            name = op("FCVT_%s_%s" % (t.upper(), ident), "fcvt.%s.%s %%[d], ft1, dyn" % (t, sfx))
            for x in fractional:
                for rm in MODES:
                    a = bits(fmt, x)
                    case(name, rm, r(a), 0, 0, F.to_int(fmt, a, nbits, signed, rm))
            for a in [bits(fmt, x) for x in integral] + specials:
                case(name, F.RTZ, r(a), 0, 0, F.to_int(fmt, a, nbits, signed, F.RTZ))
        ints = [0, 1, 0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF,
                0x8000000000000000, (1 << 24) + 1, (1 << 24) + 3, (1 << 53) + 1, 0xFFFFFFFF,
                0x80000001, 123456789, 0x123456789ABCDEF]
        for t, nbits, signed in [("w", 32, True), ("wu", 32, False), ("l", 64, True), ("lu", 64, False)]:
            name = op("FCVT_%s_%s" % (ident, t.upper()), "fcvt.%s.%s ft0, %%[a], dyn\\n\\tfmv.x.d %%[d], ft0" % (sfx, t))
            for v in ints:
                for rm in MODES:
                    case(name, rm, v, 0, 0, fres(F.from_int(fmt, v, nbits, signed, rm)))

        # ---- moves: bits, boxing
        name = op("FMV_X_" + ident, "fmv.x.%s %%[d], ft1" % ("w" if fmt == 'S' else "d"))
        for a in [0x12345678BF800000, 0xFFFFFFFF7FC00000, 0x000000003F800000, 0x7FF0000000000001]:
            exp = a if fmt == 'D' else ((a & 0xFFFFFFFF) | (BOX if a & 0x80000000 else 0))
            case(name, 0, a, 0, 0, (exp, 0))
        name = op("FMV_%s_X" % ident, "fmv.%s.x ft0, %%[a]\\n\\tfmv.x.d %%[d], ft0" % ("w" if fmt == 'S' else "d"))
        for a in [0x12345678BF800000, 0x7FF0000000000001]:
            case(name, 0, a, 0, 0, (a if fmt == 'D' else BOX | (a & 0xFFFFFFFF), 0))

    # ---- between the formats
    S, D = Values('S'), Values('D')
    name = op("FCVT_S_D", "fcvt.s.d ft0, ft1, dyn\\n\\tfmv.x.d %[d], ft0")
    d_vals = [bits('D', 0.1), D.max, D.min_sub, bits('D', 1e-40), bits('D', (1 - 2.0 ** -30) * 2.0 ** -126),
              bits('D', 1 + 2.0 ** -24), bits('D', -(1 + 3 * 2.0 ** -25)), D.qnan_payload, D.snan, D.minf,
              D.nz, bits('D', 3.4028235677973366e38)]
    for a in d_vals:
        for rm in MODES:
            res, fl = F.convert('D', 'S', a, rm)
            case(name, rm, a, 0, 0, (BOX | res, fl))
    name = op("FCVT_D_S", "fcvt.d.s ft0, ft1, dyn\\n\\tfmv.x.d %[d], ft0")
    for a in [S.snan, S.qnan_payload, S.min_sub, S.max, S.minf, S.nz, S.third]:
        case(name, 0, BOX | a, 0, 0, F.convert('S', 'D', a, F.RNE))

    # ---- results decided by the bits beyond the 64 a quotient, root or sum first yields:
    # a nonzero division remainder or square-root remainder, and a tiny addend lost to the
    # sticky bit (for a difference, the result is just below the larger operand).
    sticky = [
        ("FDIV_D", 'D', 0x3FF0000000000000, 0x4000000000000002, 0),
        ("FDIV_D", 'D', 0x4010000000000002, 0x4010000000020000, 0),
        ("FSQRT_D", 'D', 0x3FF0000010000000, 0, 0),
        ("FSQRT_D", 'D', 0x3FF0000100000000, 0, 0),
        ("FADD_D", 'D', 0x4010000000000000, 0xB7E1000000000800, 0),
        ("FADD_D", 'D', 0x4000008400000020, 0xB820000001000000, 0),
        ("FADD_D", 'D', D.one, D.min_sub | F.sign_bit('D'), 0),
        ("FADD_S", 'S', S.one, S.min_sub | F.sign_bit('S'), 0),
        ("FMADD_D", 'D', 0x3FE0000000000000, 0x4000040001400000, 0x3750000000000000),
        ("FMADD_S", 'S', 0x40A90000, 0x3F800000, 0x01400000),
    ]
    for name, fmt, a, b, c in sticky:
        fn = {"FDIV": lambda rm: F.div(fmt, a, b, rm), "FSQRT": lambda rm: F.sqrt(fmt, a, rm),
              "FADD": lambda rm: F.add(fmt, a, b, rm), "FMADD": lambda rm: F.fma(fmt, a, b, c, rm)}[name[:-2]]
        for rm in MODES:
            res, fl = fn(rm)
            box = BOX if fmt == 'S' else 0
            case(name, rm, box | a, box | b if b else b, box | c if c else c, (box | res, fl))

    # ---- improperly NaN-boxed single operands read as the canonical NaN (12.2)
    unboxed = 0x000000003F800000
    for opname, expect in [("FADD_S", F.add('S', S.qnan, S.one, F.RNE)),
                           ("FCVT_D_S", F.convert('S', 'D', S.qnan, F.RNE)),
                           ("FSGNJN_S", (BOX | 0xFFC00000, 0)), ("FCLASS_S", (1 << 9, 0)),
                           ("FMAX_S", (BOX | S.one, 0))]:
        res, fl = expect
        if opname in ("FADD_S",):
            res = BOX | res
        case(opname, 0, unboxed, BOX | S.one, 0, (res, fl))

    # ---- write
    lines = [
        "/* Generated by gen/gen_float.py (reference model gen/fpref.py: exact rational arithmetic",
        " * rounded once, from the RISC-V Unprivileged spec chapters 11-12 and IEEE 754-2008).",
        " * Do not edit: change the generator and rerun it.",
        " * Case: {op, rm (frm), a, b, c, expected rd (FMV.X.D of a float result), expected fflags};",
        " * the template's operands are ft1 = a, ft2 = b, ft3 = c (FMV.D.X) or %[a]. */",
        "#define FLOAT_OPS(X) \\",
    ]
    for name, asm in ops:
        lines.append('    X(%s, "%s") \\' % (name, asm))
    lines += ["", "enum { FLOAT_OPS(RV_ENUM) };", "",
              "static const struct rv_fp_case float_cases[] = {"]
    for n, rm, a, b, c, res, fl in cases:
        lines.append("    {OP_%s, %d, 0x%016XULL, 0x%016XULL, 0x%016XULL, 0x%016XULL, 0x%02X}," % (n, rm, a, b, c, res, fl))
    lines.append("};")
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("tables/float.inc: %d ops, %d cases" % (len(ops), len(cases)))


if __name__ == "__main__":
    gen()
