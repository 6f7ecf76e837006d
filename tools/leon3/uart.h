/* Console of the bare-metal harness: uart_putc per target (uart.c), the rest in console.c. */
#ifndef ECL_UART_H
#define ECL_UART_H
#include <stdint.h>

void uart_putc(char c);
void uart_puts(const char *s);
void uart_putu(uint32_t value);
void uart_puti(int32_t value);

#endif
