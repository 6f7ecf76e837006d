/* Target hooks of the bare-metal harness (main.c): LEON3 (SPARC V8) and Cortex-M4 (Thumb-2). */
#ifndef ECL_TARGET_H
#define ECL_TARGET_H

#include <stdint.h>

static inline uintptr_t target_stack_pointer(void)
{
    uintptr_t sp;
#if defined(__sparc__)
    __asm__ volatile("mov %%sp, %0" : "=r"(sp));
#elif defined(__arm__)
    __asm__ volatile("mov %0, sp" : "=r"(sp));
#else
#error "the harness knows LEON3 and Cortex-M4"
#endif
    return sp;
}

/* The bound `eclairs codegen --stack <target>` wrote for this target, if it was asked for. */
#if defined(__sparc__) && defined(MODEL_STACK_BYTES_LEON3)
#define TARGET_STACK_BOUND MODEL_STACK_BYTES_LEON3
#elif defined(__arm__) && defined(MODEL_STACK_BYTES_CORTEX_M4)
#define TARGET_STACK_BOUND MODEL_STACK_BYTES_CORTEX_M4
#endif

#endif
