/*
 * bench: a deterministic compute load for measuring emulator speed, shared by both
 * architectures (built against arm/runtime or riscv/runtime: only rt_printf and main's exit
 * status are used), in ROUNDS rounds of
 *   - CRC-32 (IEEE 802.3, reflected, table-driven) over a 64 KiB buffer,
 *   - a sieve of Eratosthenes up to SIEVE_LIMIT (one byte per number),
 *   - COPIES copies of the 64 KiB buffer (word loop), folded into a checksum,
 * then one line with the results and a checksum, and exit 0.
 *
 * The build sets ROUNDS: on ARM one round retires about 5.2 x 10^6 A32 instructions, so
 * arm/bench.elf (ROUNDS = 192) retires about 10^9 and arm/bench-small.elf (ROUNDS = 1) about
 * 5.7 x 10^6; riscv/bench.elf likewise aims at 10^9 RV64 instructions. The measurements are
 * in images/README.md. Single CPU; the others stay parked in the runtime's pen.
 */
#include "runtime.h" /* arm/runtime or riscv/runtime, by -I */

#ifndef ROUNDS
#error "build with -DROUNDS=<n>"
#endif

#define BUF_WORDS 16384u     /* 64 KiB */
#define SIEVE_LIMIT 131072u
#define COPIES 8u

static uint32_t src[BUF_WORDS], dst[BUF_WORDS];
static uint8_t composite[SIEVE_LIMIT];
static uint32_t crc_table[256];

static void make_crc_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, uint32_t n, uint32_t crc)
{
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

static uint32_t sieve(void)
{
    for (uint32_t i = 0; i < SIEVE_LIMIT; i++)
        composite[i] = 0;
    uint32_t count = 0;
    for (uint32_t i = 2; i < SIEVE_LIMIT; i++) {
        if (composite[i])
            continue;
        count++;
        for (uint32_t j = i * i; j < SIEVE_LIMIT && i < 65536u; j += i)
            composite[j] = 1;
    }
    return count;
}

static void copy_words(uint32_t *d, const uint32_t *s, uint32_t n)
{
    /* volatile destination: keep this a copy loop, not a call to memcpy */
    volatile uint32_t *vd = d;
    while (n--)
        *vd++ = *s++;
}

int main(void)
{
    /* a fixed pseudo-random buffer (LCG, Numerical Recipes constants) */
    uint32_t x = 0x12345678u;
    for (uint32_t i = 0; i < BUF_WORDS; i++) {
        x = x * 1664525u + 1013904223u;
        src[i] = x;
    }
    make_crc_table();

    uint32_t crc = 0, primes = 0, fold = 0;
    for (uint32_t round = 0; round < ROUNDS; round++) {
        crc = crc32((const uint8_t *)src, BUF_WORDS * 4u, crc);
        primes = sieve();
        for (uint32_t c = 0; c < COPIES; c++) {
            copy_words(c & 1u ? src : dst, c & 1u ? dst : src, BUF_WORDS);
            fold = (fold ^ dst[(c * 977u + round) % BUF_WORDS]) * 16777619u;
        }
        /* every round sees different data (not word 0: XORing the CRC into the first word
         * would cancel out in the next CRC, whose register starts as ~crc) */
        src[(round * 613u + 1u) % BUF_WORDS] += crc;
    }
    uint32_t checksum = crc ^ (primes * 2654435761u) ^ fold;
    rt_printf("bench: rounds=%u crc32=0x%08X primes=%u fold=0x%08X checksum=0x%08X\n", ROUNDS,
              crc, primes, fold, checksum);
    return 0;
}
