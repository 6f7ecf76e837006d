/* Cortex-M4 hooks of the bare-metal harness (tools/leon3/main.c). */
#ifndef ECL_TARGET_H
#define ECL_TARGET_H

#include <stdint.h>

static inline uintptr_t target_stack_pointer(void)
{
    uintptr_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

#ifdef MODEL_STACK_BYTES_CORTEX_M4
#define TARGET_STACK_BOUND MODEL_STACK_BYTES_CORTEX_M4
#endif

#endif
