/* Eclairs.Onboard int8 inference in portable, freestanding C99 (docs/leon3.md).
 *
 * The arithmetic is TFLM's reference int8 scheme exactly as docs/int8.md specifies it and as
 * Eclairs.Onboard.Inference.Quantized.Int8ReferenceKernels computes it: bit for bit the same raw logit.
 * A model is data: `eclairs codegen` writes its parameters as const arrays and its plan as an
 * ecl_i8_model (one ecl_i8_step per operation, offsets into one scratch buffer fixed at generation).
 * No libc, no allocation; no floating point except in ecl_i8_quantize_input (the float edge, its own file).
 * Implementation-defined behaviour relied on (as GCC and every two's-complement compiler define it):
 * `>>` of a negative int32_t is arithmetic, and converting an out-of-range uint32_t to int32_t wraps. */
#ifndef ECL_INT8_KERNELS_H
#define ECL_INT8_KERNELS_H

#include <stdint.h>

/* What a step computes. */
typedef enum ecl_i8_op {
    ECL_I8_CONV2D = 1,              /* stride 1, HWIO weights, 'valid' or 'same' (pixels outside are skipped) */
    ECL_I8_CONV2D_MAXPOOL = 2,      /* a Conv2D and the 2x2 max pooling after it: only pooled pixels are stored */
    ECL_I8_MAXPOOL = 3,             /* 2x2, stride 2, floor on odd sizes */
    ECL_I8_GLOBAL_AVERAGE_POOL = 4, /* mean per channel, rounded half away from zero */
    ECL_I8_DENSE = 5                /* weights [inputs][units] */
} ecl_i8_op;

typedef struct ecl_i8_shape {
    int32_t height, width, channels; /* NHWC without the batch: element (y, x, c) at (y * width + x) * channels + c */
} ecl_i8_shape;

/* Requantization of a Conv2D or Dense layer: per output channel bias, multiplier M and shift s
 * (positive = left), out = clamp(MBQM(acc, M, s) + output zero point, activation_min, 127). */
typedef struct ecl_i8_requantize {
    const int32_t *bias;
    const int32_t *multiplier;
    const int8_t *shift;
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t activation_min; /* the output zero point after ReLU, else -128 */
} ecl_i8_requantize;

typedef struct ecl_i8_step {
    int32_t op;             /* ecl_i8_op */
    ecl_i8_shape in;
    ecl_i8_shape out;       /* what is stored (pooled for ECL_I8_CONV2D_MAXPOOL) */
    int32_t kernel, pad;    /* convolutions */
    const int8_t *weights;  /* convolutions and dense */
    ecl_i8_requantize requantize;
    uint32_t source;        /* byte offsets in the scratch buffer */
    uint32_t destination;
} ecl_i8_step;

typedef struct ecl_i8_model {
    const ecl_i8_step *steps;
    uint32_t step_count;
    int32_t input_height, input_width;  /* the input is height x width x 2: SNR code, mask code */
    int32_t input_steps;                /* input scale is exactly 1 / input_steps */
    int32_t input_zero_point;
    uint32_t snr_scale_bits;            /* float32 bit patterns of the SNR normalisation */
    uint32_t snr_offset_bits;
    int32_t decision_threshold;         /* true alert when the raw logit >= this (-128 always, 128 never) */
    uint32_t input_offset;              /* where the quantized input lives in the scratch buffer */
    uint32_t output_offset;             /* where the raw logit ends up */
    uint32_t scratch_bytes;
    uint32_t checksum;                  /* CRC-32 of the .eclw file the code was generated from */
} ecl_i8_model;

typedef struct ecl_i8_result {
    int32_t raw_logit;     /* the int8 output code */
    int32_t is_true_alert; /* 1 when raw_logit >= decision_threshold, else 0 */
} ecl_i8_result;

/* The engine's input limit (InputLimits.MaxAbsoluteSnr, ECL_MAX_ABS_SNR of the native header). */
#define ECL_I8_MAX_ABS_SNR 1e6f

enum {
    ECL_I8_OK = 0,
    ECL_I8_E_MASK = -1, /* a mask value above 3 */
    ECL_I8_E_SNR = -2,  /* a NaN or infinite SNR where the mask is not 0 */
    ECL_I8_E_SNR_RANGE = -3 /* a finite SNR beyond +-ECL_I8_MAX_ABS_SNR where the mask is not 0 */
};

/* gemmlowp / TFLM fixed point (docs/int8.md). */
int32_t ecl_i8_saturating_rounding_doubling_high_mul(int32_t a, int32_t b);
int32_t ecl_i8_rounding_divide_by_pot(int32_t x, int32_t exponent);
int32_t ecl_i8_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift);

/* Runs every step on the quantized input at scratch + model->input_offset. */
void ecl_i8_run(const ecl_i8_model *model, int8_t *scratch, ecl_i8_result *result);

/* The float edge (ecl_int8_input.c), as Int8Input.Quantize: writes the quantized input at
 * scratch + model->input_offset, or writes nothing and returns ECL_I8_E_MASK / ECL_I8_E_SNR / ECL_I8_E_SNR_RANGE. */
int ecl_i8_quantize_input(const ecl_i8_model *model, const float *snr, const uint8_t *mask, int8_t *scratch);

#endif
