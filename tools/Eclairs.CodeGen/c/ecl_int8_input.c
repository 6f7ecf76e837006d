/* The float edge of the int8 path, as Int8Input.Quantize (docs/int8.md, "Input"): the only floating point.
 * Compile with -ffp-contract=off (no fused multiply-add: the reference multiplies, then adds, in float32).
 * No branch depends on the values of an accepted input (the tests on the float bits are integer operations), so
 * every accepted alert takes the same instructions; a refused one stops at its first refused pixel. */
#include "ecl_int8_kernels.h"
#include "ecl_int8_bits.h"

#define ECL_I8_MAGNITUDE 0x7FFFFFFFu  /* all bits of a float32 but the sign */
#define ECL_I8_INFINITY 0x7F800000u   /* magnitudes from here up are infinities and NaNs */
#define ECL_I8_LIMIT_BITS 0x49742400u /* 1e6f, ECL_I8_MAX_ABS_SNR */
#define ECL_I8_CLAMP_BITS 0x44160000u /* 600.0f: beyond +-600 the code is at its limit either way */

typedef union {
    uint32_t u;
    float f;
} ecl_i8_float_bits;

static float float_from_bits(uint32_t bits)
{
    ecl_i8_float_bits v;
    v.u = bits;
    return v.f;
}

static uint32_t bits_of(float x)
{
    ecl_i8_float_bits v;
    v.f = x;
    return v.u;
}

/* 1 where a > b (unsigned, both below 2^31), else 0. */
static uint32_t above(uint32_t a, uint32_t b)
{
    return (b - a) >> 31;
}

/* The first refused pixel's status (called only when there is one). */
static int32_t refusal(const float *snr, const uint8_t *mask, int32_t pixels)
{
    int32_t status = ECL_I8_OK;
    int32_t i = 0;
    while ((status == ECL_I8_OK) && (i < pixels)) {
        const uint32_t magnitude = bits_of(snr[i]) & ECL_I8_MAGNITUDE;
        if (mask[i] > 3u) {
            status = ECL_I8_E_MASK;
        } else if ((mask[i] != 0u) && (magnitude > ECL_I8_LIMIT_BITS)) {
            status = (magnitude >= ECL_I8_INFINITY) ? ECL_I8_E_SNR : ECL_I8_E_SNR_RANGE;
        } else {
            i++;
        }
    }
    return status;
}

/* round-half-away(scaled) + zero point, clamped to int8, for |scaled| <= 600. round-half-away(s) is
 * (t + sign(t)) / 2 with t = trunc(2 s) and C's truncating division: 2 s is exact in float32 and |2 s| <= 1200
 * converts exactly, so this is the reference's truncation plus its exact test of the fraction against 1/2. */
static int8_t quantize_snr(float scaled, int32_t zero_point)
{
    const int32_t t = (int32_t)(scaled * 2.0f);
    const uint32_t positive = (0u - (uint32_t)t) >> 31;          /* 1 where t > 0 (|t| <= 1200) */
    const uint32_t sign = ecl_i8_negative(t) | positive;         /* -1, 0 or 1, mod 2^32 */
    const int32_t rounded = ecl_i8_wrapping_add(t, (int32_t)sign) / 2;
    const int32_t code = ecl_i8_max(ecl_i8_min(rounded + zero_point, 127), -128); /* |rounded + zp| <= 728 */
    return (int8_t)code;
}

/* 1 where any pixel would be refused: a mask value above 3, or a magnitude beyond the limit (or NaN, infinite)
 * where the mask is not 0. Every pixel is tested, so the instructions do not depend on the values. */
static uint32_t any_refused(const float *snr, const uint8_t *mask, int32_t pixels)
{
    uint32_t refused = 0u;
    for (int32_t i = 0; i < pixels; i++) {
        const uint32_t m = (uint32_t)mask[i];
        const uint32_t set = (0u - m) >> 31; /* 1 where the mask is not 0 */
        refused |= above(m, 3u) | (set & above(bits_of(snr[i]) & ECL_I8_MAGNITUDE, ECL_I8_LIMIT_BITS));
    }
    return refused;
}

/* The quantization of accepted pixels (Int8Input.Quantize): SNR code, then mask code, per pixel. */
static void quantize_pixels(const ecl_i8_model *model, const float *snr, const uint8_t *mask, int32_t pixels, int8_t *quantized)
{
    const float scale = float_from_bits(model->snr_scale_bits);
    const float offset = float_from_bits(model->snr_offset_bits);
    const float steps = (float)model->input_steps;
    const int32_t zero_point = model->input_zero_point;
    for (int32_t i = 0; i < pixels; i++) {
        const uint32_t m = (uint32_t)mask[i];
        const uint32_t keep = 0u - ((0u - m) >> 31);                  /* all ones where the mask is not 0 */
        const float value = float_from_bits(bits_of(snr[i]) & keep); /* 0 where the mask is 0 (NaN ignored) */
        const float product = value * scale;
        const float scaled = (product + offset) * steps;
        /* |scaled| clamped to 600 on its bits (finite or infinite, never NaN: |value| <= 1e6, scale and offset finite). */
        const uint32_t bits = bits_of(scaled);
        const uint32_t magnitude = bits & ECL_I8_MAGNITUDE;
        const uint32_t clamped = magnitude - ((magnitude - ECL_I8_CLAMP_BITS) & (0u - above(magnitude, ECL_I8_CLAMP_BITS)));
        const int32_t code = (int32_t)quantize_snr(float_from_bits((bits & ~ECL_I8_MAGNITUDE) | clamped), zero_point);
        /* the zero point where the mask is 0 */
        const uint32_t kept = (uint32_t)ecl_i8_wrapping_sub(code, zero_point) & keep;
        quantized[2 * i] = (int8_t)ecl_i8_wrapping_add(zero_point, (int32_t)kept);
        quantized[(2 * i) + 1] = (int8_t)(zero_point + (model->input_steps * (int32_t)m));
    }
}

int32_t ecl_i8_quantize_input(const ecl_i8_model *model, const float *snr, const uint8_t *mask, int8_t *quantized)
{
    const int32_t pixels = model->input_height * model->input_width;
    int32_t status = ECL_I8_OK;
    if (any_refused(snr, mask, pixels) != 0u) {
        status = refusal(snr, mask, pixels);
    } else {
        quantize_pixels(model, snr, mask, pixels, quantized);
    }
    return status;
}
