/* PL011 UART0 console: raw byte output and a small printf under a ticket lock. */
#include "runtime.h"

#define UART_DR 0x00u
#define UART_FR 0x18u
#define UART_FR_TXFF (1u << 5)

static rt_lock_t console_lock = RT_LOCK_INIT;

void rt_putc(char c)
{
    while (rt_mmio_read32(RT_UART0_BASE + UART_FR) & UART_FR_TXFF)
        ;
    rt_mmio_write32(RT_UART0_BASE + UART_DR, (uint8_t)c);
}

void rt_puts(const char *s)
{
    while (*s)
        rt_putc(*s++);
}

static void put_unsigned(uint32_t v, unsigned base, bool upper, unsigned width, char pad)
{
    char buf[12];
    unsigned n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v && n < sizeof buf);
    while (width > n) {
        rt_putc(pad);
        width--;
    }
    while (n)
        rt_putc(buf[--n]);
}

void rt_put_hex32(uint32_t v)
{
    rt_puts("0x");
    put_unsigned(v, 16, true, 8, '0');
}

void rt_put_dec(uint32_t v) { put_unsigned(v, 10, false, 0, ' '); }

void rt_vprintf(const char *fmt, va_list ap)
{
    rt_lock(&console_lock);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            rt_putc(*fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        unsigned width = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (unsigned)(*fmt++ - '0');
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            unsigned len = 0;
            while (s[len])
                len++;
            while (width > len) {
                rt_putc(' ');
                width--;
            }
            rt_puts(s);
            break;
        }
        case 'c':
            rt_putc((char)va_arg(ap, int));
            break;
        case 'd': {
            int32_t v = va_arg(ap, int32_t);
            if (v < 0) {
                rt_putc('-');
                put_unsigned(0u - (uint32_t)v, 10, false, width ? width - 1 : 0, pad);
            } else {
                put_unsigned((uint32_t)v, 10, false, width, pad);
            }
            break;
        }
        case 'u':
            put_unsigned(va_arg(ap, uint32_t), 10, false, width, pad);
            break;
        case 'x':
            put_unsigned(va_arg(ap, uint32_t), 16, false, width, pad);
            break;
        case 'X':
            put_unsigned(va_arg(ap, uint32_t), 16, true, width, pad);
            break;
        case '%':
            rt_putc('%');
            break;
        case '\0':
            fmt--; /* stray '%' at the end */
            break;
        default:
            rt_putc('%');
            rt_putc(*fmt);
            break;
        }
    }
    rt_unlock(&console_lock);
}

void rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_vprintf(fmt, ap);
    va_end(ap);
}
