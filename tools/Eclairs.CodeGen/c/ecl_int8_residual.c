/* The residual-network kernels (docs/leon3.md, "Residual layers"): TFLM's int8 ADD, 2x2 average pooling and the
 * convolution of any kernel side and stride (1x1 projections, stride-2 convolutions). Shipped only with the models
 * that have such layers, so a plain chain's code stays what it was. Integer only; no branch depends on the data. */
#include "ecl_int8_kernels.h"
#include "ecl_int8_bits.h"

/* Output channels per block, as the small kernels: each input value is loaded once for the block. */
#define ECL_I8_STRIDED_BLOCK 8

/* The window of output (oy, ox) starts at input pixel (oy * stride - pad, ox * stride - pad); taps outside the input
 * are skipped (padding with zp_in). acc[b] = bias + sum of w * (x - zp_in) for channels co .. co + n - 1, summed in
 * uint32 like the reference's unchecked int32. */
static void strided_accumulate(const ecl_i8_step *s, const int8_t *input, int32_t top, int32_t left, int32_t co, int32_t n,
                               uint32_t acc[ECL_I8_STRIDED_BLOCK])
{
    const int32_t cin = s->in.channels;
    const int32_t cout = s->out.channels;
    const int32_t k = s->kernel;
    const int32_t zero_point = s->requantize.input_zero_point;
    for (int32_t b = 0; b < n; b++) {
        acc[b] = (uint32_t)s->requantize.bias[co + b];
    }
    for (int32_t ky = 0; ky < k; ky++) {
        const int32_t iy = top + ky;
        for (int32_t kx = 0; kx < k; kx++) {
            const int32_t ix = left + kx;
            if ((iy >= 0) && (iy < s->in.height) && (ix >= 0) && (ix < s->in.width)) {
                const int8_t *x = &input[((iy * s->in.width) + ix) * cin];
                const int8_t *w = &s->weights[(((ky * k) + kx) * cin * cout) + co];
                for (int32_t ci = 0; ci < cin; ci++) {
                    const int32_t centred = (int32_t)x[ci] - zero_point;
                    const uint32_t v = (uint32_t)centred; /* a plain identifier cast: MISRA C:2012 rule 10.8 */
                    const int8_t *wc = &w[ci * cout];
                    for (int32_t b = 0; b < n; b++) {
                        acc[b] += (uint32_t)(int32_t)wc[b] * v; /* |w * v| <= 127 * 255: the product fits */
                    }
                }
            }
        }
    }
}

void ecl_i8_conv2d_strided(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    uint32_t acc[ECL_I8_STRIDED_BLOCK];
    int32_t o = 0;
    for (int32_t oy = 0; oy < s->out.height; oy++) {
        const int32_t top = (oy * s->stride) - s->pad;
        for (int32_t ox = 0; ox < s->out.width; ox++) {
            const int32_t left = (ox * s->stride) - s->pad;
            int32_t co = 0;
            while (co < s->out.channels) {
                const int32_t n = ((co + ECL_I8_STRIDED_BLOCK) <= s->out.channels) ? ECL_I8_STRIDED_BLOCK : (s->out.channels - co);
                strided_accumulate(s, input, top, left, co, n, acc);
                for (int32_t b = 0; b < n; b++) {
                    output[o + b] = ecl_i8_requantize_channel(&s->requantize, (int32_t)acc[b], co + b);
                }
                o += n;
                co += n;
            }
        }
    }
}

/* 2x2 stride-2 average pooling: TFLM's reference int8 AveragePool (sum of the four codes, rounded half away from
 * zero, scale and zero point unchanged); an odd last row or column is dropped. */
void ecl_i8_average_pool(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    const int32_t c = s->in.channels;
    const int32_t row = s->in.width * c;
    int32_t o = 0;
    for (int32_t py = 0; py < s->out.height; py++) {
        for (int32_t px = 0; px < s->out.width; px++) {
            const int32_t p = (((2 * py) * s->in.width) + (2 * px)) * c;
            for (int32_t ch = 0; ch < c; ch++) {
                const int32_t i = p + ch;
                const int32_t sum = (((int32_t)input[i] + (int32_t)input[i + c]) + (int32_t)input[i + row]) + (int32_t)input[(i + row) + c];
                output[o] = ecl_i8_rounded_mean(sum, 4);
                o++;
            }
        }
    }
}

/* One input of TFLM's ADD brought to the common scale: MBQM((code - zero point) * 2^left_shift, M, s). The shift is
 * done in uint32 like the reference's int32 multiply by 1 << left_shift (|code - zp| <= 255, so 2^20 times it fits). */
static int32_t add_input(const ecl_i8_add_operand *in, uint32_t left_shift, int8_t code)
{
    const int32_t centred = (int32_t)code - in->zero_point;
    const uint32_t shifted = (uint32_t)centred << left_shift;
    return ecl_i8_multiply_by_quantized_multiplier((int32_t)shifted, in->multiplier, in->shift);
}

/* Residual Add, TFLM's reference int8 ADD element by element: both inputs to the common scale, their sum (mod 2^32,
 * as the reference's unchecked int32), requantized to the output with the saturation every layer uses. */
void ecl_i8_add(const ecl_i8_step *s, const int8_t *input, const int8_t *residual, int8_t *output)
{
    const int32_t n = (s->out.height * s->out.width) * s->out.channels;
    const ecl_i8_add_scales *scales = s->add;
    const uint32_t left_shift = (uint32_t)scales->left_shift;
    for (int32_t i = 0; i < n; i++) {
        const int32_t a = add_input(&scales->main, left_shift, input[i]);
        const int32_t b = add_input(&scales->residual, left_shift, residual[i]);
        output[i] = ecl_i8_requantize_channel(&s->requantize, ecl_i8_wrapping_add(a, b), 0);
    }
}
