/* Bare-metal start-up for LEON3 (SPARC V8), as qemu-system-sparc -M leon3_generic -kernel enters it:
 * supervisor mode, traps disabled. There is no trap table: the program must not trap, so the window
 * invalid mask leaves six nested `save`s (window 1 is the only invalid one) - the classifier calls
 * at most four deep. `ta 0` with traps disabled ends the emulation (qemu's LEON3 "ta 0 shutdown"). */
        .section .text.start, "ax"
        .global _start
_start:
        rd      %psr, %g1
        andn    %g1, 0x1f, %g1          /* CWP = 0 */
        set     0x1000, %g2             /* EF: enable the FPU (only the SNR quantization uses it) */
        or      %g1, %g2, %g1
        wr      %g1, %psr
        mov     2, %g1                  /* WIM: window 1 invalid */
        wr      %g1, %wim
        nop
        nop
        nop
        set     _stack_top, %sp
        sub     %sp, 96, %sp            /* room for the first frame's register save area */
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
        ta      0                       /* exit */
        nop

        .section .note.GNU-stack, "", @progbits
