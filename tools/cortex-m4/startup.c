/* Bare-metal start-up for the Cortex-M4 of qemu-system-arm -M mps2-an386 (ARM AN386: SSRAM1 at 0x00000000, SSRAM2/3
 * at 0x20000000, CMSDK APB UART0 at 0x40004000). Vector table at 0 (VTOR resets to 0): the initial stack pointer, the
 * reset handler, and a fault handler for everything else, which ends the emulation with a failure. Reset enables the
 * FPU (CP10/CP11: only the SNR quantization uses it), clears .bss, calls main and ends the emulation through
 * semihosting (SYS_EXIT; qemu's exit status is 0 for an application exit, 1 otherwise). */
#include <stdint.h>

extern uint32_t __bss_start[];
extern uint32_t __bss_end[];
extern uint32_t __stack_top[];
int main(void);

#define SYS_EXIT 0x18u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define ADP_STOPPED_RUN_TIME_ERROR 0x20023u
#define CPACR (*(volatile uint32_t *)0xE000ED88u)

static __attribute__((noreturn)) void semihost_exit(uint32_t reason)
{
    register uint32_t r0 __asm__("r0") = SYS_EXIT;
    register uint32_t r1 __asm__("r1") = reason;
    for (;;) {
        __asm__ volatile("bkpt 0xab" : : "r"(r0), "r"(r1) : "memory");
    }
}

__attribute__((noreturn)) void fault_handler(void)
{
    semihost_exit(ADP_STOPPED_RUN_TIME_ERROR);
}

__attribute__((noreturn)) void reset_handler(void)
{
    CPACR |= 0xFu << 20; /* CP10 and CP11: full access */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    for (volatile uint32_t *p = __bss_start; p < __bss_end; p++) {
        *p = 0u;
    }
    semihost_exit(main() == 0 ? ADP_STOPPED_APPLICATION_EXIT : ADP_STOPPED_RUN_TIME_ERROR);
}

/* Initial stack pointer, reset, then the 14 system exceptions (NMI, HardFault, MemManage, BusFault, UsageFault, ...). */
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)__stack_top, reset_handler,
    fault_handler, fault_handler, fault_handler, fault_handler, fault_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, fault_handler, fault_handler, fault_handler, fault_handler, fault_handler,
};
