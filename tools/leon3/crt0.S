/* Bare-metal start-up for LEON3 (SPARC V8) as qemu-system-sparc -M leon3_generic -kernel enters it: supervisor
 * mode, traps disabled. Sets up a trap table that spills and fills register windows (any call depth works; every
 * other trap stops the CPU in error mode, which ends the emulation with a failure), enables the FPU (only the SNR
 * quantization uses it), clears .bss, calls main, then ends the emulation with `ta 0` with traps disabled
 * (qemu's LEON3 "ta 0 shutdown"). LEON3 as qemu models it has 8 register windows. */
#define NWINDOWS 8
#define PSR_ET   0x20
#define PSR_PIL  0xf00  /* all interrupts masked: nothing here uses them */
#define PSR_EF   0x1000

        .section .text.start, "ax"
        .global _start
_start:
        set     trap_table, %g1
        wr      %g1, %tbr
        rd      %psr, %g1
        andn    %g1, 0x1f, %g1          /* CWP = 0 */
        set     PSR_EF | PSR_PIL, %g2
        or      %g1, %g2, %g1
        wr      %g1, %psr
        mov     2, %g1                  /* WIM: window 1 (the one after the oldest, window 0) is invalid */
        wr      %g1, %wim
        nop
        nop
        nop
        wr      %g1, %g0, %wim          /* (repeat after the PSR write has settled) */
        rd      %psr, %g1
        or      %g1, PSR_ET, %g1        /* traps on: window overflow and underflow are handled */
        wr      %g1, %psr
        nop
        nop
        nop
        set     _stack_top, %sp
        sub     %sp, 96, %sp            /* the first frame's register save area */
        mov     %g0, %fp

        set     __bss_start, %g2        /* clear .bss (word aligned by the linker script) */
        set     __bss_end, %g3
1:      cmp     %g2, %g3
        bgeu    2f
        nop
        st      %g0, [%g2]
        ba      1b
        add     %g2, 4, %g2
2:
        call    main
        nop
        rd      %psr, %g1               /* exit: ta 0 with traps disabled */
        andn    %g1, PSR_ET, %g1
        wr      %g1, %psr
        nop
        nop
        nop
        ta      0
        nop

/* Window overflow (a save into the invalid window W): the trap has moved into W. Spill the oldest window, W - 1,
 * to its stack frame, make it the invalid one, return to re-execute the save. */
window_overflow:
        mov     %wim, %l3
        mov     %g1, %l7
        srl     %l3, 1, %g1             /* WIM rotated right by one */
        sll     %l3, NWINDOWS - 1, %l4
        or      %l4, %g1, %g1
        save                            /* into W - 1 (valid: the WIM still marks W) */
        wr      %g1, %wim
        nop
        nop
        nop
        std     %l0, [%sp + 0]
        std     %l2, [%sp + 8]
        std     %l4, [%sp + 16]
        std     %l6, [%sp + 24]
        std     %i0, [%sp + 32]
        std     %i2, [%sp + 40]
        std     %i4, [%sp + 48]
        std     %i6, [%sp + 56]
        restore                         /* back to W */
        mov     %l7, %g1
        jmp     %l1
        rett    %l2

/* Window underflow (a restore into the invalid window V = CWP + 1 of the restoring function): the trap window is
 * below it. Make V + 1 the invalid window, fill V from its stack frame, return to re-execute the restore. */
window_underflow:
        mov     %wim, %l3
        sll     %l3, 1, %l4             /* WIM rotated left by one */
        srl     %l3, NWINDOWS - 1, %l5
        or      %l5, %l4, %l5
        wr      %l5, %wim
        nop
        nop
        nop
        restore                         /* into the restoring function's window */
        restore                         /* into V */
        ldd     [%sp + 0], %l0
        ldd     [%sp + 8], %l2
        ldd     [%sp + 16], %l4
        ldd     [%sp + 24], %l6
        ldd     [%sp + 32], %i0
        ldd     [%sp + 40], %i2
        ldd     [%sp + 48], %i4
        ldd     [%sp + 56], %i6
        save
        save                            /* back to the trap window */
        jmp     %l1
        rett    %l2

/* Any other trap: an unimplemented instruction with traps disabled puts the CPU in error mode (qemu aborts). */
unexpected_trap:
        unimp   0

#define ENTRY(handler) rd %psr, %l0; sethi %hi(handler), %l4; jmp %l4 + %lo(handler); nop
        .section .text.traps, "ax"
        .balign 4096
trap_table:
        ENTRY(unexpected_trap)          /* 0x00 reset */
        ENTRY(unexpected_trap)          /* 0x01 instruction access */
        ENTRY(unexpected_trap)          /* 0x02 illegal instruction */
        ENTRY(unexpected_trap)          /* 0x03 privileged instruction */
        ENTRY(unexpected_trap)          /* 0x04 fp disabled */
        ENTRY(window_overflow)          /* 0x05 */
        ENTRY(window_underflow)         /* 0x06 */
        .rept 256 - 7
        ENTRY(unexpected_trap)
        .endr

        .section .note.GNU-stack, "", @progbits
