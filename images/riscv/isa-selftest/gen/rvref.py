"""
A reference model of the RV64IMAC integer instructions the isa-selftest tables exercise,
written from the RISC-V Unprivileged ISA specification (20191213 and later):

  RV32I/RV64I (chapters 2 and 5): ADD/SUB wrap; SLT/SLTU compare signed/unsigned; shifts
    use rs2[5:0] (RV64) or rs2[4:0] / shamt[4:0] (W forms); every *W result is the low 32
    bits sign-extended to 64; LUI/AUIPC place a 20-bit immediate in [31:12] and sign-extend.
  M (chapter 7): MULH* return the upper 64 bits of the 128-bit product with the operands'
    signedness; division rounds toward zero; "Table 7.1": x/0 = -1 (all ones), x%0 = x,
    and the signed overflow -2^(L-1)/-1 = -2^(L-1) with remainder 0 (L = 64, or 32 for W).
  A (chapter 8): AMO*.W operate on 32 bits and sign-extend the loaded value into rd; MIN/MAX
    compare as signed, MINU/MAXU as unsigned.
  C (chapter 16): each C instruction is an existing RV64I instruction (the expansion
    table), so it is modelled by the function of its expansion.

Values are Python ints kept in [0, 2^64).
"""

M64 = (1 << 64) - 1
M32 = (1 << 32) - 1


def u64(x):
    return x & M64


def s64(x):
    x &= M64
    return x - (1 << 64) if x >> 63 else x


def s32(x):
    x &= M32
    return x - (1 << 32) if x >> 31 else x


def sext32(x):
    return u64(s32(x))


def sext(x, bits):
    x &= (1 << bits) - 1
    return u64(x - (1 << bits) if x >> (bits - 1) else x)


# ---- RV64I register-register and register-immediate ----
def add(a, b): return u64(a + b)
def sub(a, b): return u64(a - b)
def sll(a, b): return u64(a << (b & 63))
def srl(a, b): return u64(a) >> (b & 63)
def sra(a, b): return u64(s64(a) >> (b & 63))
def slt(a, b): return 1 if s64(a) < s64(b) else 0
def sltu(a, b): return 1 if u64(a) < u64(b) else 0
def xor(a, b): return u64(a ^ b)
def or_(a, b): return u64(a | b)
def and_(a, b): return u64(a & b)
def addw(a, b): return sext32(a + b)
def subw(a, b): return sext32(a - b)
def sllw(a, b): return sext32((a & M32) << (b & 31))
def srlw(a, b): return sext32((a & M32) >> (b & 31))
def sraw(a, b): return sext32(s32(a) >> (b & 31))
def lui(imm20): return sext(imm20 << 12, 32)


# ---- M ----
def _trunc_div(n, d):
    q = abs(n) // abs(d)
    return q if (n < 0) == (d < 0) else -q


def mul(a, b): return u64(a * b)
def mulh(a, b): return u64((s64(a) * s64(b)) >> 64)
def mulhsu(a, b): return u64((s64(a) * u64(b)) >> 64)
def mulhu(a, b): return u64((u64(a) * u64(b)) >> 64)


def div(a, b):
    n, d = s64(a), s64(b)
    if d == 0:
        return M64
    if n == -(1 << 63) and d == -1:
        return u64(n)
    return u64(_trunc_div(n, d))


def divu(a, b):
    return M64 if u64(b) == 0 else u64(a) // u64(b)


def rem(a, b):
    n, d = s64(a), s64(b)
    if d == 0:
        return u64(a)
    if n == -(1 << 63) and d == -1:
        return 0
    return u64(n - d * _trunc_div(n, d))


def remu(a, b):
    return u64(a) if u64(b) == 0 else u64(a) % u64(b)


def mulw(a, b): return sext32(a * b)


def divw(a, b):
    n, d = s32(a), s32(b)
    if d == 0:
        return M64
    if n == -(1 << 31) and d == -1:
        return sext32(n)
    return sext32(_trunc_div(n, d))


def divuw(a, b):
    n, d = a & M32, b & M32
    return M64 if d == 0 else sext32(n // d)


def remw(a, b):
    n, d = s32(a), s32(b)
    if d == 0:
        return sext32(n)
    if n == -(1 << 31) and d == -1:
        return 0
    return sext32(n - d * _trunc_div(n, d))


def remuw(a, b):
    n, d = a & M32, b & M32
    return sext32(n) if d == 0 else sext32(n % d)


# ---- branches: 1 = taken ----
def beq(a, b): return 1 if u64(a) == u64(b) else 0
def bne(a, b): return 1 if u64(a) != u64(b) else 0
def blt(a, b): return slt(a, b)
def bge(a, b): return 1 - slt(a, b)
def bltu(a, b): return sltu(a, b)
def bgeu(a, b): return 1 - sltu(a, b)


# ---- memory: little-endian byte lists ----
def load(mem, addr, size, signed):
    v = 0
    for i in range(size):
        v |= mem[addr + i] << (8 * i)
    return sext(v, 8 * size) if signed else v


def store(mem, addr, size, value):
    for i in range(size):
        mem[addr + i] = (value >> (8 * i)) & 0xFF


# ---- A: the AMO functions, on `bits`-wide values (32 or 64) ----
def amo_op(name, old, src, bits):
    mask = (1 << bits) - 1
    o, s = old & mask, src & mask

    def signed(x):
        return x - (1 << bits) if x >> (bits - 1) else x

    return {
        "swap": s,
        "add": (o + s) & mask,
        "and": o & s,
        "or": o | s,
        "xor": o ^ s,
        "max": o if signed(o) >= signed(s) else s,
        "min": o if signed(o) <= signed(s) else s,
        "maxu": max(o, s),
        "minu": min(o, s),
    }[name]
