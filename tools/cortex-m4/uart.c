/* Console output through the CMSDK APB UART0 of mps2-an386 (data at 0x40004000, state +4, control +8, baud +0x10). */
#include "uart.h"

#define UART_DATA ((volatile uint32_t *)0x40004000u)
#define UART_STATE ((volatile uint32_t *)0x40004004u)
#define UART_CTRL ((volatile uint32_t *)0x40004008u)
#define UART_BAUDDIV ((volatile uint32_t *)0x40004010u)
#define UART_TX_FULL 0x1u
#define UART_TX_ENABLE 0x1u

void uart_putc(char c)
{
    if ((*UART_CTRL & UART_TX_ENABLE) == 0u) {
        *UART_BAUDDIV = 16u;
        *UART_CTRL = UART_TX_ENABLE;
    }
    while ((*UART_STATE & UART_TX_FULL) != 0u) {
    }
    *UART_DATA = (uint32_t)(unsigned char)c;
}
