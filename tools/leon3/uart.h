#ifndef LEON3_UART_H
#define LEON3_UART_H
#include <stdint.h>

void uart_putc(char c);
void uart_puts(const char *s);
void uart_putu(uint32_t value);
void uart_puti(int32_t value);

#endif
