/* Eclairs.Onboard int8 inference in portable, freestanding C99 (docs/leon3.md).
 *
 * The arithmetic is TFLM's reference int8 scheme exactly as docs/int8.md specifies it and as
 * Eclairs.Onboard.Inference.Quantized.Int8ReferenceKernels computes it: bit for bit the same raw logit.
 * A model is data: `eclairs codegen` writes its parameters as const arrays, one ecl_i8_step per operation, and a
 * run function that calls the kernel each step was planned with (offsets into one scratch buffer fixed at generation).
 * No libc, no allocation; no floating point except in ecl_i8_quantize_input (the float edge, its own file).
 * No branch depends on the data: the instruction count of an inference is the same for every accepted input.
 * Implementation-defined behaviour relied on (as GCC, Clang and every two's-complement compiler define it):
 * `>>` of a negative signed integer is arithmetic, and converting an out-of-range unsigned value to a signed type
 * wraps modulo 2^N. */
#ifndef ECL_INT8_KERNELS_H
#define ECL_INT8_KERNELS_H

#include <stdint.h>

typedef struct {
    int32_t height;
    int32_t width;
    int32_t channels; /* NHWC without the batch: element (y, x, c) at (y * width + x) * channels + c */
} ecl_i8_shape;

/* Requantization of a Conv2D or Dense layer: per output channel bias, multiplier M and shift s
 * (positive = left), out = clamp(MBQM(acc, M, s) + output zero point, activation_min, 127).
 * The generator (like the engine's loader) guarantees M == 0 or 2^30 <= M < 2^31 and -31 <= s <= 30. */
typedef struct {
    const int32_t *bias;     /* small kernels: the file's bias; fast kernels: bias - zp_in * sum(w), mod 2^32 */
    const int32_t *multiplier;
    const int8_t *shift;
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t activation_min;  /* the output zero point after ReLU, else -128 */
} ecl_i8_requantize;

/* Pooling done by a convolution step (fast Winograd kernels; the small kernels have their own fused function). */
#define ECL_I8_POOL_NONE ((int32_t)0)           /* no pooling */
#define ECL_I8_POOL_MAX_OF_SUMS ((int32_t)1)    /* 2x2 max of the four sums, requantized once (planned only where exact) */
#define ECL_I8_POOL_MAX_OF_OUTPUTS ((int32_t)2) /* 2x2 max of the four requantized outputs (always exact) */

/* One input of a residual Add (TFLM's ADD): its code minus its zero point, times 2^left_shift, then MBQM with its
 * multiplier and shift (each input brought to a common scale, twice the larger input scale). */
typedef struct {
    int32_t zero_point;
    int32_t multiplier;  /* 0 or in [2^30, 2^31) */
    int32_t shift;       /* in [-31, 30], positive = left */
} ecl_i8_add_operand;

/* Residual Add: out = requantize(MBQM(main) + MBQM(residual)) with the step's requantization (one multiplier and
 * shift, channel 0; the output zero point; activation_min for the fused ReLU). */
typedef struct {
    ecl_i8_add_operand main;     /* the previous layer's output (TFLM's input1) */
    ecl_i8_add_operand residual; /* the earlier layer's output the Add reads (input2) */
    int32_t left_shift;        /* TFLM's 20; (code - zero point) * 2^left_shift must fit int32 */
} ecl_i8_add_scales;

typedef struct {
    ecl_i8_shape in;
    ecl_i8_shape out;              /* what is stored (pooled when the step pools) */
    int32_t kernel;                /* convolutions: k */
    int32_t pad;                   /* convolutions: 0 'valid', (k - 1) / 2 'same' */
    const int8_t *weights;         /* small convolutions: HWIO; dense: [inputs][units] (fast: SWAR pairs, below) */
    const int16_t *transformed;    /* Winograd: the transformed weights per position, [positions][cout / 8][cin][8] */
    const int32_t *packed;         /* fast dense: weights of output pairs packed as w0 + w1 * 2^24, [units / 8][inputs][4] */
    int32_t tiles_y;               /* Winograd: tile rows and columns (2x2 or 4x4 outputs each) */
    int32_t tiles_x;
    int32_t pool;                  /* ECL_I8_POOL_* */
    ecl_i8_requantize requantize;
    int32_t stride;                /* strided convolutions (ecl_i8_conv2d_strided): 1 or 2; the others: unused */
    const ecl_i8_add_scales *add;  /* residual Add (ecl_i8_add): its inputs' scaling; the others: unused */
} ecl_i8_step;

/* Working memory of the fast kernels, sized by the generated header (<PREFIX>_WORK_*). */
typedef struct {
    int8_t *band;   /* Winograd: the input rows of a tile row, padded with the input zero point, [cin][columns][rows] */
    int16_t *v;     /* Winograd: transformed input of a tile group, [positions][cin][ECL_I8_WT] */
    uint32_t *m;    /* Winograd: products of a tile group and a channel block, [positions][ECL_I8_WT][ECL_I8_WC] */
} ecl_i8_workspace;

#define ECL_I8_WT 2 /* Winograd tiles per GEMM block */
#define ECL_I8_WC 8 /* Winograd output channels per GEMM block */

typedef struct {
    int32_t input_height;
    int32_t input_width;      /* the input is height x width x 2: SNR code, mask code */
    int32_t input_steps;      /* input scale is exactly 1 / input_steps */
    int32_t input_zero_point;
    uint32_t snr_scale_bits;  /* float32 bit patterns of the SNR normalisation */
    uint32_t snr_offset_bits;
    int32_t decision_threshold; /* true alert when the raw logit >= this (-128 always, 128 never) */
    uint32_t checksum;        /* CRC-32 of the .eclw file the code was generated from */
} ecl_i8_model;

typedef struct {
    int32_t raw_logit;     /* the int8 output code */
    int32_t is_true_alert; /* 1 when raw_logit >= decision_threshold, else 0 */
} ecl_i8_result;

/* The engine's input limit (InputLimits.MaxAbsoluteSnr, ECL_MAX_ABS_SNR of the native header). */
#define ECL_I8_MAX_ABS_SNR 1e6f

#define ECL_I8_OK ((int32_t)0)
#define ECL_I8_E_MASK ((int32_t)-1)      /* a mask value above 3 */
#define ECL_I8_E_SNR ((int32_t)-2)       /* a NaN or infinite SNR where the mask is not 0 */
#define ECL_I8_E_SNR_RANGE ((int32_t)-3) /* a finite SNR beyond +-ECL_I8_MAX_ABS_SNR where the mask is not 0 */

/* clamp(MBQM(acc, multiplier[c], shift[c]) + output zero point, activation_min, 127) for channel c. */
int8_t ecl_i8_requantize_channel(const ecl_i8_requantize *rq, int32_t acc, int32_t c);

/* Kernels (small: ecl_int8_kernels.c; fast: ecl_int8_fast.c). Each reads its input and writes its output,
 * which never overlap (the plan keeps them at the two ends of the scratch buffer, or one of them in a region of
 * kept outputs: docs/leon3.md, "Branches"); ecl_i8_add also reads the kept output of an earlier layer. */
void ecl_i8_conv2d(const ecl_i8_step *s, const int8_t *input, int8_t *output);
void ecl_i8_conv2d_maxpool(const ecl_i8_step *s, const int8_t *input, int8_t *output);
void ecl_i8_maxpool(const ecl_i8_step *s, const int8_t *input, int8_t *output);
void ecl_i8_global_average_pool(const ecl_i8_step *s, const int8_t *input, int8_t *output);
void ecl_i8_dense(const ecl_i8_step *s, const int8_t *input, int8_t *output);
/* Residual-network kernels (ecl_int8_residual.c, shipped with the models that have such layers). */
void ecl_i8_conv2d_strided(const ecl_i8_step *s, const int8_t *input, int8_t *output);
void ecl_i8_average_pool(const ecl_i8_step *s, const int8_t *input, int8_t *output);
void ecl_i8_add(const ecl_i8_step *s, const int8_t *input, const int8_t *residual, int8_t *output);
void ecl_i8_conv2d_winograd2(const ecl_i8_step *s, const int8_t *input, int8_t *output, const ecl_i8_workspace *w);
void ecl_i8_conv2d_winograd4(const ecl_i8_step *s, const int8_t *input, int8_t *output, const ecl_i8_workspace *w);
void ecl_i8_dense_pairs(const ecl_i8_step *s, const int8_t *input, int8_t *output);

/* The decision: raw_logit >= decision_threshold, without a branch. */
void ecl_i8_decide(const ecl_i8_model *model, int8_t raw_logit, ecl_i8_result *result);

/* The float edge (ecl_int8_input.c), as Int8Input.Quantize: writes the quantized input (height x width x 2) at
 * quantized, or writes nothing and returns ECL_I8_E_MASK / ECL_I8_E_SNR / ECL_I8_E_SNR_RANGE (first refused pixel). */
int32_t ecl_i8_quantize_input(const ecl_i8_model *model, const float *snr, const uint8_t *mask, int8_t *quantized);

#endif
