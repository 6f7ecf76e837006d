/* Branch-free integer helpers shared by the kernel files (not by the generated model): the selects, clamps and
 * wrapping adds that keep every path independent of the data. Masks and selects are computed in uint32_t (bitwise
 * operations on unsigned values only); the one implementation-defined operation relied on, the arithmetic right
 * shift of a negative value, is in ecl_i8_shift_right alone (docs/leon3.md, deviation D1). */
#ifndef ECL_INT8_BITS_H
#define ECL_INT8_BITS_H

#include <stdint.h>

/* x >> n with the sign extended: arithmetic, as GCC, Clang and the targets' compilers shift a negative int32_t. */
static inline int32_t ecl_i8_shift_right(int32_t x, uint32_t n)
{
    return x >> n;
}

/* All ones where x < 0, else 0 (a logical shift of the sign bit, negated). */
static inline uint32_t ecl_i8_negative(int32_t x)
{
    const uint32_t sign = (uint32_t)x >> 31;
    return 0u - sign;
}

/* All ones where a < b, else 0, for |a - b| < 2^31 (the sign of a - b, which cannot overflow then). */
static inline uint32_t ecl_i8_less(int32_t a, int32_t b)
{
    const uint32_t difference = (uint32_t)a - (uint32_t)b;
    return 0u - (difference >> 31);
}

/* max(a, b) for |a - b| < 2^31. */
static inline int32_t ecl_i8_max(int32_t a, int32_t b)
{
    const uint32_t result = (uint32_t)a - (((uint32_t)a - (uint32_t)b) & ecl_i8_less(a, b));
    return (int32_t)result;
}

/* min(a, b) for |a - b| < 2^31. */
static inline int32_t ecl_i8_min(int32_t a, int32_t b)
{
    const uint32_t result = (uint32_t)b + (((uint32_t)a - (uint32_t)b) & ecl_i8_less(a, b));
    return (int32_t)result;
}

/* a + b modulo 2^32, as the reference's unchecked int32 arithmetic (no signed overflow in C; converting the
 * uint32_t back wraps, as every two's-complement compiler converts). */
static inline int32_t ecl_i8_wrapping_add(int32_t a, int32_t b)
{
    const uint32_t sum = (uint32_t)a + (uint32_t)b;
    return (int32_t)sum;
}

/* a - b modulo 2^32. */
static inline int32_t ecl_i8_wrapping_sub(int32_t a, int32_t b)
{
    const uint32_t difference = (uint32_t)a - (uint32_t)b;
    return (int32_t)difference;
}

#endif
