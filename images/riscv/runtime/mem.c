/*
 * memcpy/memset/memmove/memcmp: the compiler emits calls to them for struct copies and
 * large initialisers even under -ffreestanding. Byte loops: simple and alignment-agnostic.
 */
#include "runtime.h"

void *memcpy(void *dst, const void *src, size_t n)
{
    volatile unsigned char *d = dst; /* volatile: keep the loop from becoming a memcpy call */
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    volatile unsigned char *d = dst;
    const unsigned char *s = src;
    if ((uintptr_t)d < (uintptr_t)s) {
        while (n--)
            *d++ = *s++;
    } else {
        d += n;
        s += n;
        while (n--)
            *--d = *--s;
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    volatile unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}
