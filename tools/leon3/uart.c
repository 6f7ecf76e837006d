/* Console output through the GRLIB APBUART of leon3_generic (data at 0x80000100, status at +4). */
#include "uart.h"

#define APBUART_DATA   ((volatile uint32_t *)0x80000100u)
#define APBUART_STATUS ((volatile uint32_t *)0x80000104u)
#define APBUART_TE     0x4u /* transmitter FIFO empty */

void uart_putc(char c)
{
    while ((*APBUART_STATUS & APBUART_TE) == 0u) {
    }
    *APBUART_DATA = (uint32_t)(unsigned char)c;
}

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
