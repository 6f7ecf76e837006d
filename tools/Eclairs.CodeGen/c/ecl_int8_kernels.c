/* Scalar int8 kernels: TFLM reference loops, integer only (see ecl_int8_kernels.h). */
#include "ecl_int8_kernels.h"

int32_t ecl_i8_saturating_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    /* C's truncating division, as the specification states it (a constant power of two: no library call). */
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

int32_t ecl_i8_rounding_divide_by_pot(int32_t x, int32_t exponent)
{
    int32_t mask = (int32_t)(((uint32_t)1 << exponent) - 1u);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t ecl_i8_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift)
{
    int32_t left = shift > 0 ? shift : 0;
    int32_t right = shift > 0 ? 0 : -shift;
    int32_t shifted = (int32_t)((uint32_t)x << left); /* wraps, as the int32 multiply of the reference */
    return ecl_i8_rounding_divide_by_pot(ecl_i8_saturating_rounding_doubling_high_mul(shifted, multiplier), right);
}

/* MBQM, then the clamp, then the output zero point: clamp(v + zp, min, 127) == clamp(v, min - zp, 127 - zp) + zp, and
 * this order cannot overflow when |v| is within 128 of 2^31 (M near 2^31, no right shift, an extreme bias or a left
 * shift), where adding zp first would (undefined in C, a wrap to -128 in int32 arithmetic). docs/int8.md. */
static int8_t requantize(const ecl_i8_requantize *rq, int32_t acc, int32_t channel)
{
    int32_t v = ecl_i8_multiply_by_quantized_multiplier(acc, rq->multiplier[channel], rq->shift[channel]);
    int32_t lo = rq->activation_min - rq->output_zero_point, hi = 127 - rq->output_zero_point;
    if (v < lo) {
        v = lo;
    }
    if (v > hi) {
        v = hi;
    }
    return (int8_t)(v + rq->output_zero_point);
}

/* Output channels are computed in blocks of ECL_I8_BLOCK: HWIO and [inputs][units] weights put neighbouring output
 * channels next to each other, so each input value is loaded once for the whole block and the block's accumulators
 * stay in registers (on LEON3, 41 M instructions per compact inference against 95 M one channel at a time, docs/leon3.md).
 * Each channel's sum is the reference's, term by term. */
#define ECL_I8_BLOCK 8

/* acc + w * v with the reference's int32 wrap-around (C# int arithmetic is unchecked) and no signed overflow in C:
 * the product fits int32 (|w| <= 127, |v| <= 255), the sum wraps in uint32. The shipped layers never wrap
 * (the largest sum, Dense 12544 -> 128, stays below 2^31), but a valid model may. */
static uint32_t mac(uint32_t acc, int8_t w, int32_t v)
{
    return acc + (uint32_t)((int32_t)w * v);
}

/* acc[b] = bias + sum of w * (x - zp_in) over the kernel window of output pixel (oy, ox), channels co .. co + n - 1. */
static void conv_accumulate(const ecl_i8_step *s, const int8_t *input, int32_t oy, int32_t ox, int32_t co, int32_t n,
                            int32_t acc[ECL_I8_BLOCK])
{
    const int32_t cin = s->in.channels, cout = s->out.channels, k = s->kernel;
    const int32_t zero_point = s->requantize.input_zero_point;
    uint32_t a0 = (uint32_t)s->requantize.bias[co];
    uint32_t a1 = n > 1 ? (uint32_t)s->requantize.bias[co + 1] : 0u;
    uint32_t a2 = n > 2 ? (uint32_t)s->requantize.bias[co + 2] : 0u;
    uint32_t a3 = n > 3 ? (uint32_t)s->requantize.bias[co + 3] : 0u;
    uint32_t a4 = n > 4 ? (uint32_t)s->requantize.bias[co + 4] : 0u;
    uint32_t a5 = n > 5 ? (uint32_t)s->requantize.bias[co + 5] : 0u;
    uint32_t a6 = n > 6 ? (uint32_t)s->requantize.bias[co + 6] : 0u;
    uint32_t a7 = n > 7 ? (uint32_t)s->requantize.bias[co + 7] : 0u;
    for (int32_t ky = 0; ky < k; ky++) {
        int32_t iy = oy + ky - s->pad;
        if (iy < 0 || iy >= s->in.height) {
            continue; /* outside the input: the same as padding with the input zero point */
        }
        for (int32_t kx = 0; kx < k; kx++) {
            int32_t ix = ox + kx - s->pad;
            if (ix < 0 || ix >= s->in.width) {
                continue;
            }
            const int8_t *x = input + (iy * s->in.width + ix) * cin;
            const int8_t *w = s->weights + (ky * k + kx) * cin * cout + co;
            if (n == ECL_I8_BLOCK) {
                for (int32_t ci = 0; ci < cin; ci++, w += cout) {
                    int32_t v = (int32_t)x[ci] - zero_point;
                    a0 = mac(a0, w[0], v);
                    a1 = mac(a1, w[1], v);
                    a2 = mac(a2, w[2], v);
                    a3 = mac(a3, w[3], v);
                    a4 = mac(a4, w[4], v);
                    a5 = mac(a5, w[5], v);
                    a6 = mac(a6, w[6], v);
                    a7 = mac(a7, w[7], v);
                }
            } else {
                for (int32_t ci = 0; ci < cin; ci++, w += cout) {
                    a0 = mac(a0, w[0], (int32_t)x[ci] - zero_point);
                }
            }
        }
    }
    acc[0] = (int32_t)a0; /* back to int32: wraps, as GCC and every two's-complement compiler convert */
    acc[1] = (int32_t)a1;
    acc[2] = (int32_t)a2;
    acc[3] = (int32_t)a3;
    acc[4] = (int32_t)a4;
    acc[5] = (int32_t)a5;
    acc[6] = (int32_t)a6;
    acc[7] = (int32_t)a7;
}

/* Requantized outputs of channels co .. co + n - 1 (n = ECL_I8_BLOCK, or 1 for a channel tail) at pixel (oy, ox). */
static void conv_pixel(const ecl_i8_step *s, const int8_t *input, int32_t oy, int32_t ox, int32_t co, int32_t n,
                       int8_t out[ECL_I8_BLOCK])
{
    int32_t acc[ECL_I8_BLOCK];
    conv_accumulate(s, input, oy, ox, co, n, acc);
    for (int32_t b = 0; b < n; b++) {
        out[b] = requantize(&s->requantize, acc[b], co + b);
    }
}

static int32_t block_width(int32_t co, int32_t channels)
{
    return co + ECL_I8_BLOCK <= channels ? ECL_I8_BLOCK : 1;
}

static void conv2d(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    for (int32_t oy = 0; oy < s->out.height; oy++) {
        for (int32_t ox = 0; ox < s->out.width; ox++) {
            for (int32_t co = 0, n; co < s->out.channels; co += n) {
                n = block_width(co, s->out.channels);
                conv_pixel(s, input, oy, ox, co, n, output);
                output += n;
            }
        }
    }
}

static int8_t max4(int8_t a, int8_t b, int8_t c, int8_t d)
{
    int8_t m = a > b ? a : b;
    int8_t n = c > d ? c : d;
    return m > n ? m : n;
}

/* The max of four requantized outputs is exactly what a MaxPool2D after the Conv2D would store. */
static void conv2d_maxpool(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    int8_t q[4][ECL_I8_BLOCK];
    for (int32_t py = 0; py < s->out.height; py++) {
        for (int32_t px = 0; px < s->out.width; px++) {
            int32_t y = 2 * py, x = 2 * px;
            for (int32_t co = 0, n; co < s->out.channels; co += n) {
                n = block_width(co, s->out.channels);
                conv_pixel(s, input, y, x, co, n, q[0]);
                conv_pixel(s, input, y, x + 1, co, n, q[1]);
                conv_pixel(s, input, y + 1, x, co, n, q[2]);
                conv_pixel(s, input, y + 1, x + 1, co, n, q[3]);
                for (int32_t b = 0; b < n; b++) {
                    *output++ = max4(q[0][b], q[1][b], q[2][b], q[3][b]);
                }
            }
        }
    }
}

static void maxpool(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    const int32_t c = s->in.channels, row = s->in.width * c;
    for (int32_t py = 0; py < s->out.height; py++) {
        for (int32_t px = 0; px < s->out.width; px++) {
            const int8_t *p = input + (2 * py * s->in.width + 2 * px) * c;
            for (int32_t ch = 0; ch < c; ch++) {
                *output++ = max4(p[ch], p[ch + c], p[ch + row], p[ch + row + c]);
            }
        }
    }
}

/* TFLM's reference int8 AveragePool rounding: half away from zero, C's truncating division. */
static int8_t rounded_mean(int32_t sum, int32_t count)
{
    int32_t mean = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
    return (int8_t)(mean < -128 ? -128 : (mean > 127 ? 127 : mean));
}

static void global_average_pool(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    const int32_t c = s->in.channels, n = s->in.height * s->in.width;
    for (int32_t ch = 0; ch < c; ch++) {
        int32_t sum = 0;
        for (int32_t i = 0; i < n; i++) {
            sum += input[i * c + ch];
        }
        output[ch] = rounded_mean(sum, n);
    }
}

static void dense(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    const int32_t inputs = s->in.height * s->in.width * s->in.channels, units = s->out.channels;
    const int32_t zero_point = s->requantize.input_zero_point;
    for (int32_t o = 0, n; o < units; o += n) {
        n = block_width(o, units);
        const int8_t *w = s->weights + o;
        if (n == ECL_I8_BLOCK) {
            const int32_t *bias = s->requantize.bias + o;
            uint32_t a0 = (uint32_t)bias[0], a1 = (uint32_t)bias[1], a2 = (uint32_t)bias[2], a3 = (uint32_t)bias[3];
            uint32_t a4 = (uint32_t)bias[4], a5 = (uint32_t)bias[5], a6 = (uint32_t)bias[6], a7 = (uint32_t)bias[7];
            for (int32_t i = 0; i < inputs; i++, w += units) {
                int32_t v = (int32_t)input[i] - zero_point;
                a0 = mac(a0, w[0], v);
                a1 = mac(a1, w[1], v);
                a2 = mac(a2, w[2], v);
                a3 = mac(a3, w[3], v);
                a4 = mac(a4, w[4], v);
                a5 = mac(a5, w[5], v);
                a6 = mac(a6, w[6], v);
                a7 = mac(a7, w[7], v);
            }
            const uint32_t sums[ECL_I8_BLOCK] = { a0, a1, a2, a3, a4, a5, a6, a7 };
            for (int32_t b = 0; b < ECL_I8_BLOCK; b++) {
                output[o + b] = requantize(&s->requantize, (int32_t)sums[b], o + b);
            }
        } else {
            uint32_t acc = (uint32_t)s->requantize.bias[o];
            for (int32_t i = 0; i < inputs; i++, w += units) {
                acc = mac(acc, w[0], (int32_t)input[i] - zero_point);
            }
            output[o] = requantize(&s->requantize, (int32_t)acc, o);
        }
    }
}

void ecl_i8_run(const ecl_i8_model *model, int8_t *scratch, ecl_i8_result *result)
{
    for (uint32_t i = 0; i < model->step_count; i++) {
        const ecl_i8_step *s = &model->steps[i];
        const int8_t *input = scratch + s->source;
        int8_t *output = scratch + s->destination;
        switch (s->op) {
        case ECL_I8_CONV2D: conv2d(s, input, output); break;
        case ECL_I8_CONV2D_MAXPOOL: conv2d_maxpool(s, input, output); break;
        case ECL_I8_MAXPOOL: maxpool(s, input, output); break;
        case ECL_I8_GLOBAL_AVERAGE_POOL: global_average_pool(s, input, output); break;
        case ECL_I8_DENSE: dense(s, input, output); break;
        default: break; /* the generator writes only the operations above */
        }
    }
    result->raw_logit = scratch[model->output_offset];
    result->is_true_alert = result->raw_logit >= model->decision_threshold ? 1 : 0;
}
