/*
 * eclairs_onboard.h — C ABI of the Eclairs.Onboard native library (ABI version 1).
 *
 * The contract is the project ICD (ICD.md, ABI version 1; summarised in docs/integration.md); this header declares exactly its names, types
 * and values. Pixel arrays are row-major 56 x 56 (index = row * 56 + column). The trigger pixel
 * is always at row 28, column 28; near the sky image's edge the sub-image is padded with mask 0.
 *
 * Conventions
 *  - Every function that can fail returns ecl_status: ECL_OK (0) or a negative error. A failed
 *    call leaves every output it does not document untouched and sets out-pointers to NULL.
 *  - All memory is acquired in *_create / *_load calls. ecl_classify and ecl_trigger_process
 *    allocate nothing and run the same sequence of operations whatever the pixel values.
 *  - A model is immutable once loaded and may be shared by contexts on several threads; a
 *    context or a trigger serves one call at a time.
 *  - Free functions accept NULL as a no-op. Free every context of a model before the model.
 *  - Call ecl_init() once at boot so the first inference does not pay for runtime start-up.
 */
#ifndef ECLAIRS_ONBOARD_H
#define ECLAIRS_ONBOARD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ECL_ABI_VERSION      1u
#define ECL_SUBIMAGE_SIDE    56
#define ECL_SUBIMAGE_PIXELS  3136
#define ECL_DETECTOR_SIDE    80

/* Mask values of a sub-image pixel. */
enum {
    ECL_MASK_IGNORE = 0,        /* outside the field of view, missing data or padding */
    ECL_MASK_BACKGROUND = 1,    /* useful background pixel */
    ECL_MASK_KNOWN_SOURCE = 2,  /* within a known source's exclusion radius */
    ECL_MASK_TRIGGER = 3        /* the pixel that triggered */
};

typedef int32_t ecl_status;
enum {
    ECL_OK                  =   0,
    ECL_E_NULL_ARGUMENT     =  -1, /* a required pointer is NULL */
    ECL_E_BAD_LENGTH        =  -2, /* a buffer length is not what the call needs */
    ECL_E_MODEL_FORMAT      =  -3, /* malformed model: magic, version, truncation, inconsistent shapes, non-finite weights */
    ECL_E_MODEL_CHECKSUM    =  -4, /* checksum mismatch, at load or in ecl_model_verify */
    ECL_E_MODEL_UNSUPPORTED =  -5, /* well-formed, but uses a layer or number format this build does not run */
    ECL_E_INPUT_MASK        =  -6, /* a mask value outside 0..3 */
    ECL_E_INPUT_NONFINITE   =  -7, /* NaN or infinity in a pixel whose mask is not 0 */
    ECL_E_INPUT_RANGE       =  -8, /* a count or configuration value out of its documented range */
    ECL_E_IO                =  -9, /* a file could not be opened or read */
    ECL_E_OUT_OF_MEMORY     = -10,
    ECL_E_INTERNAL          = -11
};

/* ---------------------------------------------------------------- library */

/* ECL_ABI_VERSION of the library actually loaded; compare with the header's at start-up. */
uint32_t ecl_abi_version(void);

/* Semantic version of the library, as a static NUL-terminated string. */
const char *ecl_version(void);

/* Static text for every status code; "unknown status" for any other value. Never NULL. */
const char *ecl_status_string(ecl_status s);

/* Starts the runtime. Call once at boot; idempotent. */
ecl_status ecl_init(void);

/* Diagnostics, beyond ICD v1: the number of garbage collections the library's runtime has run so far.
 * It must not move while a rig calls ecl_classify and ecl_trigger_process (they allocate nothing). */
uint64_t ecl_diag_gc_collections(void);

/* Diagnostics, beyond ICD v1: managed bytes the library has allocated so far on the calling thread.
 * It does not move across ecl_classify and ecl_trigger_process calls made on that thread. */
uint64_t ecl_diag_thread_allocated_bytes(void);

/* ---------------------------------------------------------------- classifier */

typedef struct ecl_model ecl_model;
typedef struct ecl_context ecl_context;

typedef struct {
    uint32_t numeric_format;     /* 0 = float32, 1 = int8 */
    uint32_t layer_count;
    uint64_t parameter_count;    /* 1624993 for the seed deck's network */
    uint64_t macs;               /* multiply-accumulates per inference */
    uint64_t model_bytes;        /* bytes a loaded model keeps */
    uint64_t context_bytes;      /* bytes one context keeps */
    float    decision_threshold; /* is_true_alert = probability >= this */
    uint32_t checksum;           /* CRC-32 of the model file as stored */
    char     name[64];           /* NUL-terminated */
} ecl_model_info;

/* Copies `length` bytes of a model file and validates them completely before accepting.
 * Errors: ECL_E_NULL_ARGUMENT, ECL_E_BAD_LENGTH (length above INT32_MAX), ECL_E_MODEL_FORMAT,
 * ECL_E_MODEL_CHECKSUM, ECL_E_MODEL_UNSUPPORTED (also: not a 56 x 56 sigmoid classifier),
 * ECL_E_OUT_OF_MEMORY. On error *out is set to NULL. int8 models decide on the integer comparison of
 * raw_logit with the model's integer threshold. */
ecl_status ecl_model_load(const uint8_t *data, size_t length, ecl_model **out);

/* Beyond ICD v1 (additive: ECL_ABI_VERSION stays 1): choices for the load-time plan. A zeroed struct is
 * ecl_model_load's plan. Winograd convolutions keep transformed weights (compact-v1 float: 792,576 model bytes
 * planned by default, 165,888 with ECL_WINOGRAD_OFF; ecl_model_get_info reports the figure), so a memory-tight
 * flight computer can trade speed for bytes; int8 answers are the same bit for bit whatever the plan, float ones
 * within rounding (docs/integration.md, "Memory or speed"). */
enum {
    ECL_WINOGRAD_DEFAULT = 0,   /* the selector's choice: F(4x4, 3x3) where it applies, else F(2x2, 3x3) */
    ECL_WINOGRAD_OFF = 1,       /* direct convolutions only (int8's one-pair first layer too): the smallest model */
    ECL_WINOGRAD_UP_TO_F2 = 2,  /* F(2x2, 3x3) at most */
    ECL_WINOGRAD_UP_TO_F4 = 4   /* F(4x4, 3x3) at most (as DEFAULT) */
};

typedef struct {
    uint32_t kernel_path;   /* 0 the selector's choice (ecl_model_load's: the widest this CPU runs for the model),
                               1 scalar reference, 2 128-bit, 3 256-bit, 4 512-bit SIMD (ecl_kernel_info's codes) */
    uint32_t winograd;      /* ECL_WINOGRAD_* */
    uint32_t reserved[6];   /* zero */
} ecl_load_options;

/* As ecl_model_load, planned with `options` (NULL: ecl_model_load's plan). ECL_E_INPUT_RANGE, before the file is
 * read, for a value outside the codes above or a reserved word not zero; and after it, for a kernel path this CPU
 * does not run for the file's number format. Otherwise the errors of ecl_model_load. */
ecl_status ecl_model_load_with_options(const uint8_t *data, size_t length, const ecl_load_options *options,
                                       ecl_model **out);

/* As ecl_model_load, reading the file at `path`; ECL_E_IO when it cannot be read. */
ecl_status ecl_model_load_file(const char *path, ecl_model **out);

/* Releases a model; NULL is a no-op. Free its contexts first. */
void ecl_model_free(ecl_model *model);

/* Fills *out with the model's figures. */
ecl_status ecl_model_get_info(const ecl_model *model, ecl_model_info *out);

/* Re-checks the parameters held in memory against the checksum taken at load (bit flips):
 * ECL_OK or ECL_E_MODEL_CHECKSUM. */
ecl_status ecl_model_verify(const ecl_model *model);

/* Diagnostics, beyond ICD v1, TEST-ONLY (fault injection; never call it in flight code): where region `region`
 * of the memory that ecl_model_verify covers lies. A loaded model is one 64-byte aligned arena: region 0 is its plan
 * (header and steps: thresholds, normalisation, each step's kernel, shapes and offsets), region 1 its parameters
 * (weights in each kernel's layout, transformed weights, per-channel constants); the plan follows the parameters.
 * The memory is pinned for the model's lifetime; writing to it is what a single event upset does.
 * ECL_E_NULL_ARGUMENT, or ECL_E_INPUT_RANGE past region 1; on error *data is NULL and *bytes 0. */
ecl_status ecl_diag_model_parameters(const ecl_model *model, uint32_t region, void **data, size_t *bytes);

/* Beyond ICD v1 (additive: ECL_ABI_VERSION stays 1): how a loaded model runs on this CPU. The selector plans every
 * step once at load (docs/engine.md, "The kernel selector"); this reports its answers and the compiled variant of
 * the library in use (on x64 the library holds several, for the CPU's instruction set: docs/native-paths.md). */
enum {
    ECL_KERNEL_NONE = 0,                /* a max pool computed by the convolution before it */
    ECL_KERNEL_INPUT = 1,
    ECL_KERNEL_REFERENCE_CONV2D = 2,
    ECL_KERNEL_DIRECT_CONV2D = 3,
    ECL_KERNEL_WINOGRAD_F2 = 4,         /* F(2x2, 3x3) */
    ECL_KERNEL_WINOGRAD_F4 = 5,         /* F(4x4, 3x3) */
    ECL_KERNEL_PAIR_WINOGRAD_F2 = 6,    /* int8, two input channels, fused pool */
    ECL_KERNEL_REFERENCE_MAXPOOL = 7,
    ECL_KERNEL_MAXPOOL = 8,
    ECL_KERNEL_REFERENCE_GLOBAL_AVERAGE_POOL = 9,
    ECL_KERNEL_GLOBAL_AVERAGE_POOL = 10,
    ECL_KERNEL_REFERENCE_DENSE = 11,
    ECL_KERNEL_DENSE = 12,
    ECL_KERNEL_DOT_PRODUCT_DENSE = 13,  /* arm64 SDOT */
    /* 15 is the generated C's paired dense (not a managed kernel); residual networks (float32 models;
     * docs/weights-format.md, layer kinds 10..13): */
    ECL_KERNEL_COPY_ACTIVATION = 16,    /* keeps an output a later Add or Branch reads, or starts a branch */
    ECL_KERNEL_REFERENCE_ADD = 17,
    ECL_KERNEL_ADD = 18,
    ECL_KERNEL_REFERENCE_AVERAGE_POOL = 19,
    ECL_KERNEL_AVERAGE_POOL = 20,
    ECL_KERNEL_REFERENCE_GENERAL_CONV2D = 21, /* any kernel side and stride */
    ECL_KERNEL_POINTWISE_CONV2D = 22,   /* 1x1, any stride */
    ECL_KERNEL_STRIDED_CONV2D = 23      /* any kernel side and stride, SIMD over output channels */
};

typedef struct {
    uint32_t kernel_path;          /* 1 scalar reference, 2 128-bit, 3 256-bit, 4 512-bit SIMD */
    uint32_t step_count;           /* planned steps (at most 64) */
    uint8_t  step_kernel[64];      /* ECL_KERNEL_* of each step; 0 past step_count */
    char     instruction_set[32];  /* compiled variant running: "x86-64-v4", "x86-64-v3", "x86-64", "armv8-a",
                                      "armv8-a (DotProd)" (NUL-terminated) */
    char     lanes[32];            /* what the SIMD steps use: int8 "AVX-512BW", "AVX2", "SSE4.1+AVX2"; float "AVX-512F",
                                      "AVX2+FMA", "SSE2"; arm64 "AdvSimd", "AdvSimd+DotProd"; "scalar" */
} ecl_kernel_info;

/* Fills *out for `model`. ECL_E_NULL_ARGUMENT when either is NULL. */
ecl_status ecl_model_get_kernel_info(const ecl_model *model, ecl_kernel_info *out);

/* Creates a context (scratch buffers) for one caller at a time. */
ecl_status ecl_context_create(const ecl_model *model, ecl_context **out);

/* Releases a context; NULL is a no-op. */
void ecl_context_free(ecl_context *ctx);

typedef struct {
    float   probability;   /* P(true alert), in [0, 1] */
    float   logit;         /* before the sigmoid; dequantized for int8 models */
    int32_t raw_logit;     /* int8 models: the quantized output; float models: 0 */
    int32_t is_true_alert; /* 1 or 0 */
} ecl_result;

/* Largest |SNR| ecl_classify accepts where the mask is not 0 (beyond ICD v1: larger finite values could overflow
 * the float engine into a NaN probability). */
#define ECL_MAX_ABS_SNR 1e6f

/* Classifies one alert: `snr` and `mask` hold ECL_SUBIMAGE_PIXELS values each. Pixels whose
 * mask is 0 are ignored whatever they hold. Errors: ECL_E_NULL_ARGUMENT, ECL_E_INPUT_MASK,
 * ECL_E_INPUT_NONFINITE, ECL_E_INPUT_RANGE (a finite |SNR| above ECL_MAX_ABS_SNR where the mask is not 0).
 * Allocates nothing. */
ecl_status ecl_classify(ecl_context *ctx, const float *snr, const uint8_t *mask, ecl_result *out);

/* ---------------------------------------------------------------- trigger emulator */

typedef struct ecl_trigger ecl_trigger;

typedef struct {
    float    snr_threshold;       /* alert when the highest peak outside known sources reaches it; default 6.5 */
    float    min_image_std;       /* quality: SNR-image standard deviation must lie in [min, max] */
    float    max_image_std;
    float    min_peak_ratio;      /* quality: highest peak / second peak (outside the first's PSF) */
    float    min_partial_coding;  /* sky pixels coded less than this are outside the field of view */
    uint32_t background_model;    /* 0 = flat, 1 = quadratic fit on the shadowgram */
    uint32_t reserved[8];         /* zero */
} ecl_trigger_config;

typedef struct {
    float y, z;                   /* position in sky-image pixels */
    float counts_per_s;           /* expected rate on the detector, for subtraction */
    float exclusion_radius;       /* sky pixels around it marked 2 and skipped by the peak search */
} ecl_known_source;

typedef struct {
    int32_t  raised;              /* 1 when an alert is raised */
    uint32_t quality_flags;       /* bit 0 below threshold, bit 1 std out of range, bit 2 peak ratio too low, bit 3 peak outside FoV */
    float    peak_snr, second_peak_snr, image_std;
    int32_t  sky_y, sky_z;        /* peak pixel in the sky image */
    float    off_axis_deg, azimuth_deg;
    float    subimage_snr[3136];  /* 56 x 56 centred on the peak */
    uint8_t  subimage_mask[3136]; /* 0 ignore, 1 background, 2 known source, 3 trigger pixel */
} ecl_alert;

/* Fills *cfg with the defaults. */
void ecl_trigger_config_default(ecl_trigger_config *cfg);

/* Creates a trigger. cfg NULL means defaults; catalogue may be NULL when count is 0.
 * Errors: ECL_E_NULL_ARGUMENT, ECL_E_INPUT_RANGE (a configuration or catalogue value, reserved fields
 * not zero, or more than 4096 catalogue sources). */
ecl_status ecl_trigger_create(const ecl_trigger_config *cfg, const ecl_known_source *catalogue,
                              uint32_t count, ecl_trigger **out);

/* Releases a trigger; NULL is a no-op. */
void ecl_trigger_free(ecl_trigger *trigger);

/* Side of the square sky image in pixels (199 for the nominal geometry). */
ecl_status ecl_trigger_sky_side(const ecl_trigger *trigger, int32_t *side);

/* Reconstructs the sky from 80 x 80 detector counts accumulated over exposure_s seconds and
 * fills *out (raised or not). Errors: ECL_E_NULL_ARGUMENT, ECL_E_INPUT_RANGE (exposure not in
 * (0, 1e6] s). Allocates nothing. */
ecl_status ecl_trigger_process(ecl_trigger *trigger, const uint32_t *counts, float exposure_s,
                               ecl_alert *out);

/* Copies the last SNR sky image (side * side floats, row-major); ECL_E_BAD_LENGTH when
 * `length` is not side * side. */
ecl_status ecl_trigger_copy_sky(const ecl_trigger *trigger, float *snr, size_t length);

/* Additions to ABI version 1 (the structs above keep their layouts; docs/trigger.md). */

/* Trigger criteria that ecl_trigger_config has no room for. All zero: the ecl_trigger_create behaviour. */
typedef struct {
    float    adaptive_threshold_slope;  /* threshold x (1 + slope x max(0, std - 1)), std of the SNR image; 0 = fixed; [0, 100] */
    float    catalogue_flare_threshold; /* a known source's excess SNR that raises a catalogue-flare alert; 0 = off */
    uint32_t reserved[6];               /* zero */
} ecl_trigger_criteria;

enum { ECL_CRITERION_NEW_SOURCE = 1, ECL_CRITERION_CATALOGUE_FLARE = 2 };

/* What ecl_alert has no room for, for the last processed image (Alert_TriggerCriterium, Alert_Quality). */
typedef struct {
    uint32_t criterion;            /* ECL_CRITERION_*; 0 before the first ecl_trigger_process */
    int32_t  known_source_index;   /* catalogue index of the flaring source; -1 for a new source */
    float    effective_threshold;  /* the SNR threshold this image was held to (adaptive when configured) */
    float    quality;              /* peak_snr / effective_threshold: at least 1 when the threshold holds */
    uint32_t reserved[4];          /* zero */
} ecl_alert_detail;

/* ecl_trigger_create with criteria; criteria NULL is ecl_trigger_create. Errors as ecl_trigger_create
 * (ECL_E_INPUT_RANGE also for a criterion out of range or reserved fields not zero). */
ecl_status ecl_trigger_create_with_criteria(const ecl_trigger_config *cfg, const ecl_trigger_criteria *criteria,
                                            const ecl_known_source *catalogue, uint32_t count, ecl_trigger **out);

/* The detail of the last ecl_trigger_process. Errors: ECL_E_NULL_ARGUMENT. Allocates nothing. */
ecl_status ecl_trigger_last_detail(const ecl_trigger *trigger, ecl_alert_detail *out);

#ifdef __cplusplus
}
#endif

#endif /* ECLAIRS_ONBOARD_H */
