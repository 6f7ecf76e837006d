/* The golden vectors, embedded as they are: build.sh copies the .eclv file beside this as vectors.eclv. */
        .section .rodata.ecl_vectors, "a"
        .balign 4
        .global ecl_vectors
        .global ecl_vectors_end
ecl_vectors:
        .incbin "vectors.eclv"
ecl_vectors_end:
#if defined(__arm__)
        .section .note.GNU-stack, "", %progbits /* '@' starts a comment in ARM assembly */
#else
        .section .note.GNU-stack, "", @progbits
#endif
