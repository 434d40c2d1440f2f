"""
A small reference model of the A32 data-processing instructions that isa-selftest checks,
written from the pseudocode of the ARM Architecture Reference Manual ARMv7-A/R (DDI 0406C):
A2.2.1 (shift and rotate), A2.2.1 AddWithCarry, A2.2.3 (saturation: SignedSatQ, UnsignedSatQ),
A8.4.3 (Shift_C, DecodeImmShift), A5.2.4 (ARMExpandImm_C) and the per-instruction operation
blocks in A8.8. Used only by gen_tables.py to compute the expected values that are then
hard-coded into the tables the guest runs; the guest never runs this model.

Every value is an unsigned 32-bit Python int. Flags are the APSR bits isa-selftest compares:
N 31, Z 30, C 29, V 28, Q 27, GE[3:0] 19:16.
"""

M32 = 0xFFFFFFFF
N_BIT, Z_BIT, C_BIT, V_BIT, Q_BIT = 1 << 31, 1 << 30, 1 << 29, 1 << 28, 1 << 27
GE_SHIFT = 16
FLAGS_MASK = 0xF80F0000


def u32(x):
    return x & M32


def s32(x):
    x &= M32
    return x - (1 << 32) if x & 0x80000000 else x


def sbits(x, n):
    """Signed value of the low n bits of x."""
    x &= (1 << n) - 1
    return x - (1 << n) if x >> (n - 1) else x


def half(x, i):
    return (x >> (16 * i)) & 0xFFFF


def byte(x, i):
    return (x >> (8 * i)) & 0xFF


class Flags:
    """An APSR value with helpers to read and update single flags."""

    def __init__(self, word):
        self.word = word & FLAGS_MASK

    def get(self, bit):
        return 1 if self.word & bit else 0

    def set(self, bit, value):
        self.word = (self.word | bit) if value else (self.word & ~bit)

    @property
    def c(self):
        return self.get(C_BIT)

    def set_nz(self, result, width=32):
        self.set(N_BIT, (result >> (width - 1)) & 1)
        self.set(Z_BIT, (result & ((1 << width) - 1)) == 0)

    def set_q(self):
        self.set(Q_BIT, 1)

    def ge(self):
        return (self.word >> GE_SHIFT) & 0xF

    def set_ge(self, ge4):
        self.word = (self.word & ~(0xF << GE_SHIFT)) | ((ge4 & 0xF) << GE_SHIFT)


# ---- A2.2.1 AddWithCarry ----
def add_with_carry(x, y, carry_in):
    unsigned_sum = (x & M32) + (y & M32) + carry_in
    signed_sum = s32(x) + s32(y) + carry_in
    result = unsigned_sum & M32
    carry_out = 0 if result == unsigned_sum else 1
    overflow = 0 if s32(result) == signed_sum else 1
    return result, carry_out, overflow


# ---- A8.4.3 Shift_C (and the shift functions of A2.2.1) ----
def lsl_c(x, n):
    assert n > 0
    ext = x << n
    return ext & M32, (ext >> 32) & 1


def lsr_c(x, n):
    assert n > 0
    return (x >> n) & M32 if n < 64 else 0, (x >> (n - 1)) & 1 if n <= 32 else 0


def asr_c(x, n):
    assert n > 0
    sx = s32(x)
    return u32(sx >> n), (sx >> (n - 1)) & 1 if n <= 33 else (1 if sx < 0 else 0)


def ror_c(x, n):
    assert n != 0
    m = n % 32
    result = u32((x >> m) | (x << (32 - m))) if m else x
    return result, (result >> 31) & 1


def rrx_c(x, carry_in):
    return u32((carry_in << 31) | (x >> 1)), x & 1


def shift_c(x, kind, amount, carry_in):
    """Shift_C(value, type, amount, carry_in) with type LSL LSR ASR ROR RRX."""
    if kind == "RRX":
        return rrx_c(x, carry_in)
    if amount == 0:
        return x, carry_in
    return {"LSL": lsl_c, "LSR": lsr_c, "ASR": asr_c, "ROR": ror_c}[kind](x, amount)


def shift(x, kind, amount, carry_in=0):
    return shift_c(x, kind, amount, carry_in)[0]


# ---- A5.2.4 ARMExpandImm_C ----
def arm_expand_imm_c(imm12, carry_in):
    rot = 2 * ((imm12 >> 8) & 0xF)
    return shift_c(imm12 & 0xFF, "ROR", rot, carry_in)


# ---- A2.2.3 saturation ----
def signed_sat_q(i, n):
    hi, lo = (1 << (n - 1)) - 1, -(1 << (n - 1))
    if i > hi:
        return hi, True
    if i < lo:
        return lo, True
    return i, False


def unsigned_sat_q(i, n):
    hi = (1 << n) - 1
    if i > hi:
        return hi, True
    if i < 0:
        return 0, True
    return i, False
