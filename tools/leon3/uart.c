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
