/* The float edge of the int8 path, as Int8Input.Quantize (docs/int8.md, "Input"): the only floating point.
 * Compile with -ffp-contract=off (no fused multiply-add: the reference multiplies, then adds, in float32). */
#include "ecl_int8_kernels.h"

static float float_from_bits(uint32_t bits)
{
    union { uint32_t u; float f; } v;
    v.u = bits;
    return v.f;
}

/* x - x is 0 for every finite x, NaN for NaN and the infinities (no libc isfinite needed). */
static int is_finite(float x)
{
    volatile float zero = x - x; /* volatile: keep the test even where the compiler assumes finite maths */
    return zero == 0.0f;
}

/* round-half-away(normalized * steps), clamped to +-512, plus the zero point, clamped to int8. */
static int8_t quantize_snr(float normalized, int32_t steps, int32_t zero_point)
{
    float scaled = normalized * (float)steps;
    /* Clamp before converting: beyond +-600 the code is +-512 either way and the conversion stays exact. */
    if (scaled > 600.0f) {
        scaled = 600.0f;
    }
    if (scaled < -600.0f) {
        scaled = -600.0f;
    }
    int32_t whole = (int32_t)scaled;         /* truncates towards zero */
    float fraction = scaled - (float)whole;  /* exact */
    if (fraction >= 0.5f) {
        whole += 1;
    } else if (fraction <= -0.5f) {
        whole -= 1;
    }
    whole = whole > 512 ? 512 : (whole < -512 ? -512 : whole);
    int32_t code = whole + zero_point;
    return (int8_t)(code < -128 ? -128 : (code > 127 ? 127 : code));
}

int ecl_i8_quantize_input(const ecl_i8_model *model, const float *snr, const uint8_t *mask, int8_t *scratch)
{
    const int32_t pixels = model->input_height * model->input_width;
    for (int32_t i = 0; i < pixels; i++) {
        if (mask[i] > 3u) {
            return ECL_I8_E_MASK;
        }
        /* One test catches NaN, the infinities and finite values beyond the limit, as the engine's input stage. */
        if (mask[i] != 0u && !(snr[i] <= ECL_I8_MAX_ABS_SNR && snr[i] >= -ECL_I8_MAX_ABS_SNR)) {
            return is_finite(snr[i]) ? ECL_I8_E_SNR_RANGE : ECL_I8_E_SNR;
        }
    }
    const float scale = float_from_bits(model->snr_scale_bits);
    const float offset = float_from_bits(model->snr_offset_bits);
    const int32_t steps = model->input_steps, zero_point = model->input_zero_point;
    int8_t *q = scratch + model->input_offset;
    for (int32_t i = 0; i < pixels; i++) {
        if (mask[i] == 0u) {
            q[2 * i] = (int8_t)zero_point;
        } else {
            float product = snr[i] * scale;
            q[2 * i] = quantize_snr(product + offset, steps, zero_point);
        }
        q[2 * i + 1] = (int8_t)(zero_point + steps * (int32_t)mask[i]);
    }
    return ECL_I8_OK;
}
