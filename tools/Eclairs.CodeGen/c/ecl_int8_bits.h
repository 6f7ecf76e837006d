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

/* MBQM(x, M, s) = RDBPOT(SRDHM(x * 2^max(s, 0), M), max(-s, 0)), TFLM's default double rounding (docs/int8.md), for
 * M == 0 or 2^30 <= M < 2^31 and -31 <= s <= 30 (the generator and the engine's loader check both). */
static inline int32_t ecl_i8_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift)
{
    const uint32_t right_shift = ecl_i8_negative(shift);       /* all ones for a right shift */
    const uint32_t left = (uint32_t)shift & ~right_shift;       /* max(shift, 0) */
    const uint32_t right = (0u - (uint32_t)shift) & right_shift; /* max(-shift, 0) */
    /* x * 2^left: an int32 multiply that wraps in the reference; here a shift in uint32 (no overflow in C). */
    const uint32_t shifted = (uint32_t)x << left;
    const int32_t value = (int32_t)shifted;
    /* SRDHM = floor((x * M + 2^30) / 2^31), which equals the reference's truncating form (docs/int8.md); its
     * saturating case a == b == INT32_MIN cannot occur: M >= 0. The low 32 bits of the 64-bit shift by 31 are the
     * same for a logical and an arithmetic shift, so it is done on the unsigned value. */
    const int64_t product = ((int64_t)value * (int64_t)multiplier) + (int64_t)0x40000000;
    const uint32_t high_bits = (uint32_t)((uint64_t)product >> 31);
    const int32_t high = (int32_t)high_bits;
    /* RDBPOT(high, right): ties away from zero. */
    const uint32_t mask = (1u << right) - 1u;
    const uint32_t remainder = high_bits & mask;
    const uint32_t threshold = (mask >> 1) + (high_bits >> 31);
    const uint32_t round_up = (threshold - remainder) >> 31; /* 1 where remainder > threshold (both < 2^31) */
    return ecl_i8_shift_right(high, right) + (int32_t)round_up;
}

/* clamp(v + zero_point, activation_min, 127) without wrapping, for any int32 v (docs/int8.md, "Saturation after
 * MBQM"): clamp(v + zp, min, 127) == clamp(v, min - zp, 127 - zp) + zp, and this order cannot overflow where |v| is
 * within 128 of 2^31, where adding zp first would wrap to the wrong end. The low bound first, compared in 64 bits (v
 * may be anywhere in int32); after it v >= min - zp >= -255, so |v - (127 - zp)| < 2^31 and the high bound is a
 * 32-bit select. zero_point and activation_min are in [-128, 127]. */
static inline int8_t ecl_i8_saturate(int32_t v, int32_t zero_point, int32_t activation_min)
{
    const int32_t lower = ecl_i8_wrapping_sub(activation_min, zero_point); /* in [-255, 255] */
    const int32_t upper = ecl_i8_wrapping_sub(127, zero_point);            /* in [0, 255] */
    const int64_t gap = (int64_t)v - (int64_t)lower;
    const uint64_t below = (uint64_t)gap >> 63; /* 1 where v < lower */
    const uint32_t floored = (uint32_t)v + (((uint32_t)lower - (uint32_t)v) & (0u - (uint32_t)below));
    const int32_t clamped = ecl_i8_min((int32_t)floored, upper);
    return (int8_t)ecl_i8_wrapping_add(clamped, zero_point);
}

/* TFLM's reference int8 AveragePool rounding, half away from zero with C's truncating division:
 * (sum + n/2) / n for sum > 0, else (sum - n/2) / n. The mean of int8 values needs no clamp. */
static inline int8_t ecl_i8_rounded_mean(int32_t sum, int32_t count)
{
    const uint32_t positive = ecl_i8_less(0, sum); /* all ones where sum > 0; |sum| <= 2^30 (the plan: count <= 2^23) */
    const int32_t half_count = count / 2;
    const uint32_t half = (uint32_t)half_count;
    const uint32_t adjust = (half & positive) - (half & ~positive); /* half or -half, mod 2^32 */
    const int32_t mean = ecl_i8_wrapping_add(sum, (int32_t)adjust) / count;
    return (int8_t)mean;
}

#endif
