/* LEON3 hooks of the bare-metal harness (main.c). */
#ifndef ECL_TARGET_H
#define ECL_TARGET_H

#include <stdint.h>

static inline uintptr_t target_stack_pointer(void)
{
    uintptr_t sp;
    __asm__ volatile("mov %%sp, %0" : "=r"(sp));
    return sp;
}

#ifdef MODEL_STACK_BYTES_LEON3
#define TARGET_STACK_BOUND MODEL_STACK_BYTES_LEON3
#endif

#endif
