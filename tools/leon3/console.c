/* Text output of the bare-metal harness over the target's uart_putc (tools/leon3/uart.c, tools/cortex-m4/uart.c). */
#include "uart.h"

void uart_puts(const char *s)
{
    while (*s != '\0') {
        uart_putc(*s++);
    }
}

void uart_putu(uint32_t value)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (value % 10u));
        value /= 10u;
    } while (value != 0u);
    while (n > 0) {
        uart_putc(digits[--n]);
    }
}

void uart_puti(int32_t value)
{
    if (value < 0) {
        uart_putc('-');
        uart_putu((uint32_t)0 - (uint32_t)value);
    } else {
        uart_putu((uint32_t)value);
    }
}
