/* The small int8 kernels (TFLM reference loops) and what every kernel shares: requantization, pooling, the
 * decision. Integer only; no branch depends on the data (see ecl_int8_kernels.h). */
#include "ecl_int8_kernels.h"
#include "ecl_int8_bits.h"

int8_t ecl_i8_requantize_channel(const ecl_i8_requantize *rq, int32_t acc, int32_t c)
{
    const int32_t scaled = ecl_i8_multiply_by_quantized_multiplier(acc, rq->multiplier[c], (int32_t)rq->shift[c]);
    return ecl_i8_saturate(scaled, rq->output_zero_point, rq->activation_min);
}

void ecl_i8_decide(const ecl_i8_model *model, int8_t raw_logit, ecl_i8_result *result)
{
    const int32_t raw = (int32_t)raw_logit;
    const uint32_t below = ecl_i8_less(raw, model->decision_threshold) & 1u;
    const uint32_t alert = 1u - below;
    result->raw_logit = raw;
    result->is_true_alert = (int32_t)alert;
}

/* Output channels are computed in blocks of ECL_I8_BLOCK: HWIO and [inputs][units] weights put neighbouring output
 * channels next to each other, so each input value is loaded once for the whole block and the block's accumulators
 * stay in registers. Each channel's sum is the reference's, term by term. */
#define ECL_I8_BLOCK 8

/* acc + w * v with the reference's int32 wrap-around (C# int arithmetic is unchecked) and no signed overflow in C:
 * the product fits int32 (|w| <= 127, |v| <= 255), the sum wraps in uint32. */
static uint32_t mac(uint32_t acc, int8_t w, int32_t v)
{
    return acc + ((uint32_t)(int32_t)w * (uint32_t)v);
}

/* acc[b] = bias + sum of w * (x - zp_in) over the kernel window of output pixel (oy, ox), channels co .. co + n - 1
 * (n = ECL_I8_BLOCK, or 1 for a channel tail). Pixels outside the input are skipped (padding with zp_in). */
static void conv_accumulate(const ecl_i8_step *s, const int8_t *input, int32_t oy, int32_t ox, int32_t co, int32_t n,
                            uint32_t acc[ECL_I8_BLOCK])
{
    const int32_t cin = s->in.channels;
    const int32_t cout = s->out.channels;
    const int32_t k = s->kernel;
    const int32_t zero_point = s->requantize.input_zero_point;
    uint32_t a0 = (uint32_t)s->requantize.bias[co];
    uint32_t a1 = 0u;
    uint32_t a2 = 0u;
    uint32_t a3 = 0u;
    uint32_t a4 = 0u;
    uint32_t a5 = 0u;
    uint32_t a6 = 0u;
    uint32_t a7 = 0u;
    for (int32_t ky = 0; ky < k; ky++) {
        const int32_t iy = (oy + ky) - s->pad;
        for (int32_t kx = 0; kx < k; kx++) {
            const int32_t ix = (ox + kx) - s->pad;
            if ((iy >= 0) && (iy < s->in.height) && (ix >= 0) && (ix < s->in.width)) {
                const int8_t *x = &input[((iy * s->in.width) + ix) * cin];
                const int8_t *w = &s->weights[(((ky * k) + kx) * cin * cout) + co];
                if (n == ECL_I8_BLOCK) {
                    for (int32_t ci = 0; ci < cin; ci++) {
                        const int32_t v = (int32_t)x[ci] - zero_point;
                        const int8_t *wc = &w[ci * cout];
                        a0 = mac(a0, wc[0], v);
                        a1 = mac(a1, wc[1], v);
                        a2 = mac(a2, wc[2], v);
                        a3 = mac(a3, wc[3], v);
                        a4 = mac(a4, wc[4], v);
                        a5 = mac(a5, wc[5], v);
                        a6 = mac(a6, wc[6], v);
                        a7 = mac(a7, wc[7], v);
                    }
                } else {
                    for (int32_t ci = 0; ci < cin; ci++) {
                        a0 = mac(a0, w[ci * cout], (int32_t)x[ci] - zero_point);
                    }
                }
            }
        }
    }
    if (n == ECL_I8_BLOCK) {
        const int32_t *bias = &s->requantize.bias[co];
        acc[0] = a0;
        acc[1] = a1 + (uint32_t)bias[1];
        acc[2] = a2 + (uint32_t)bias[2];
        acc[3] = a3 + (uint32_t)bias[3];
        acc[4] = a4 + (uint32_t)bias[4];
        acc[5] = a5 + (uint32_t)bias[5];
        acc[6] = a6 + (uint32_t)bias[6];
        acc[7] = a7 + (uint32_t)bias[7];
    } else {
        acc[0] = a0;
    }
}

/* Requantized outputs of channels co .. co + n - 1 at pixel (oy, ox). */
static void conv_pixel(const ecl_i8_step *s, const int8_t *input, int32_t oy, int32_t ox, int32_t co, int32_t n,
                       int8_t out[ECL_I8_BLOCK])
{
    uint32_t acc[ECL_I8_BLOCK];
    conv_accumulate(s, input, oy, ox, co, n, acc);
    for (int32_t b = 0; b < n; b++) {
        out[b] = ecl_i8_requantize_channel(&s->requantize, (int32_t)acc[b], co + b);
    }
}

static int32_t block_width(int32_t co, int32_t channels)
{
    return ((co + ECL_I8_BLOCK) <= channels) ? ECL_I8_BLOCK : 1;
}

void ecl_i8_conv2d(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    int32_t o = 0;
    for (int32_t oy = 0; oy < s->out.height; oy++) {
        for (int32_t ox = 0; ox < s->out.width; ox++) {
            int32_t co = 0;
            while (co < s->out.channels) {
                const int32_t n = block_width(co, s->out.channels);
                conv_pixel(s, input, oy, ox, co, n, &output[o]);
                o += n;
                co += n;
            }
        }
    }
}

static int8_t max4(int8_t a, int8_t b, int8_t c, int8_t d)
{
    const int32_t m = ecl_i8_max(ecl_i8_max((int32_t)a, (int32_t)b), ecl_i8_max((int32_t)c, (int32_t)d));
    return (int8_t)m;
}

/* The max of four requantized outputs is exactly what a MaxPool2D after the Conv2D would store. */
void ecl_i8_conv2d_maxpool(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    int8_t q[4][ECL_I8_BLOCK];
    int32_t o = 0;
    for (int32_t py = 0; py < s->out.height; py++) {
        for (int32_t px = 0; px < s->out.width; px++) {
            const int32_t y = 2 * py;
            const int32_t x = 2 * px;
            int32_t co = 0;
            while (co < s->out.channels) {
                const int32_t n = block_width(co, s->out.channels);
                conv_pixel(s, input, y, x, co, n, q[0]);
                conv_pixel(s, input, y, x + 1, co, n, q[1]);
                conv_pixel(s, input, y + 1, x, co, n, q[2]);
                conv_pixel(s, input, y + 1, x + 1, co, n, q[3]);
                for (int32_t b = 0; b < n; b++) {
                    output[o + b] = max4(q[0][b], q[1][b], q[2][b], q[3][b]);
                }
                o += n;
                co += n;
            }
        }
    }
}

void ecl_i8_maxpool(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    const int32_t c = s->in.channels;
    const int32_t row = s->in.width * c;
    int32_t o = 0;
    for (int32_t py = 0; py < s->out.height; py++) {
        for (int32_t px = 0; px < s->out.width; px++) {
            const int32_t p = (((2 * py) * s->in.width) + (2 * px)) * c;
            for (int32_t ch = 0; ch < c; ch++) {
                const int32_t i = p + ch;
                output[o] = max4(input[i], input[i + c], input[i + row], input[(i + row) + c]);
                o++;
            }
        }
    }
}

void ecl_i8_global_average_pool(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    const int32_t c = s->in.channels;
    const int32_t n = s->in.height * s->in.width;
    for (int32_t ch = 0; ch < c; ch++) {
        int32_t sum = 0;
        for (int32_t i = 0; i < n; i++) {
            sum += (int32_t)input[(i * c) + ch];
        }
        output[ch] = ecl_i8_rounded_mean(sum, n);
    }
}

void ecl_i8_dense(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    const int32_t inputs = s->in.height * s->in.width * s->in.channels;
    const int32_t units = s->out.channels;
    const int32_t zero_point = s->requantize.input_zero_point;
    const int32_t *bias = s->requantize.bias;
    int32_t o = 0;
    while (o < units) {
        const int32_t n = block_width(o, units);
        const int8_t *w = &s->weights[o];
        if (n == ECL_I8_BLOCK) {
            uint32_t sums[ECL_I8_BLOCK];
            uint32_t a0 = (uint32_t)bias[o];
            uint32_t a1 = (uint32_t)bias[o + 1];
            uint32_t a2 = (uint32_t)bias[o + 2];
            uint32_t a3 = (uint32_t)bias[o + 3];
            uint32_t a4 = (uint32_t)bias[o + 4];
            uint32_t a5 = (uint32_t)bias[o + 5];
            uint32_t a6 = (uint32_t)bias[o + 6];
            uint32_t a7 = (uint32_t)bias[o + 7];
            for (int32_t i = 0; i < inputs; i++) {
                const int32_t v = (int32_t)input[i] - zero_point;
                const int8_t *wi = &w[i * units];
                a0 = mac(a0, wi[0], v);
                a1 = mac(a1, wi[1], v);
                a2 = mac(a2, wi[2], v);
                a3 = mac(a3, wi[3], v);
                a4 = mac(a4, wi[4], v);
                a5 = mac(a5, wi[5], v);
                a6 = mac(a6, wi[6], v);
                a7 = mac(a7, wi[7], v);
            }
            sums[0] = a0;
            sums[1] = a1;
            sums[2] = a2;
            sums[3] = a3;
            sums[4] = a4;
            sums[5] = a5;
            sums[6] = a6;
            sums[7] = a7;
            for (int32_t b = 0; b < ECL_I8_BLOCK; b++) {
                output[o + b] = ecl_i8_requantize_channel(&s->requantize, (int32_t)sums[b], o + b);
            }
        } else {
            uint32_t acc = (uint32_t)bias[o];
            for (int32_t i = 0; i < inputs; i++) {
                acc = mac(acc, w[i * units], (int32_t)input[i] - zero_point);
            }
            output[o] = ecl_i8_requantize_channel(&s->requantize, (int32_t)acc, o);
        }
        o += n;
    }
}
