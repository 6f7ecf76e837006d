/*
 * ABI test: every function of ICD.md called through eclairs_onboard.h against the built library,
 * every documented error path exercised. Usage: abi_test <model.eclw> <expected parameter count>
 * Ends with "N passed, M failed"; exit status 0 only when nothing failed.
 */
#include "eclairs_onboard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (cond) {                                                         \
            passed++;                                                       \
        } else {                                                            \
            failed++;                                                       \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                   \
    } while (0)

static uint8_t *read_file(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data;
    long size;
    if (f == NULL) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    data = (uint8_t *)malloc((size_t)size);
    if (data != NULL && fread(data, 1, (size_t)size, f) != (size_t)size) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *length = (size_t)size;
    return data;
}

static void test_library(void)
{
    ecl_status codes[] = { ECL_OK, ECL_E_NULL_ARGUMENT, ECL_E_BAD_LENGTH, ECL_E_MODEL_FORMAT,
                           ECL_E_MODEL_CHECKSUM, ECL_E_MODEL_UNSUPPORTED, ECL_E_INPUT_MASK,
                           ECL_E_INPUT_NONFINITE, ECL_E_INPUT_RANGE, ECL_E_IO,
                           ECL_E_OUT_OF_MEMORY, ECL_E_INTERNAL };
    size_t i;
    CHECK(ecl_abi_version() == ECL_ABI_VERSION);
    CHECK(ecl_version() != NULL && strlen(ecl_version()) > 0);
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *text = ecl_status_string(codes[i]);
        CHECK(text != NULL && strlen(text) > 0 && strcmp(text, "unknown status") != 0);
    }
    CHECK(strcmp(ecl_status_string(1), "unknown status") == 0);
    CHECK(strcmp(ecl_status_string(-12), "unknown status") == 0);
    CHECK(ecl_init() == ECL_OK);
    CHECK(ecl_init() == ECL_OK);
    CHECK(ecl_diag_gc_collections() <= ecl_diag_gc_collections());
    ecl_model_free(NULL);
    ecl_context_free(NULL);
    ecl_trigger_free(NULL);
}

static void test_model_errors(const uint8_t *file, size_t length)
{
    ecl_model *model = (ecl_model *)&model; /* not NULL: a failed load must set it to NULL */
    uint8_t *copy = (uint8_t *)malloc(length);
    ecl_model_info info;

    CHECK(ecl_model_load(NULL, length, &model) == ECL_E_NULL_ARGUMENT && model == NULL);
    CHECK(ecl_model_load(file, length, NULL) == ECL_E_NULL_ARGUMENT);

    model = (ecl_model *)&model;
    CHECK(ecl_model_load(file, length / 2, &model) == ECL_E_MODEL_FORMAT && model == NULL);
    CHECK(ecl_model_load(file, 3, &model) == ECL_E_MODEL_FORMAT && model == NULL);

    memcpy(copy, file, length);
    copy[0] ^= 0xFF; /* bad magic */
    CHECK(ecl_model_load(copy, length, &model) == ECL_E_MODEL_FORMAT && model == NULL);

    memcpy(copy, file, length);
    copy[length / 2] ^= 0x01; /* one bit in the tensors: the CRC-32 catches it */
    CHECK(ecl_model_load(copy, length, &model) == ECL_E_MODEL_CHECKSUM && model == NULL);

    memcpy(copy, file, length);
    copy[length - 1] ^= 0x80; /* the stored CRC itself */
    CHECK(ecl_model_load(copy, length, &model) == ECL_E_MODEL_CHECKSUM && model == NULL);

    model = (ecl_model *)&model;
    CHECK(ecl_model_load_file(NULL, &model) == ECL_E_NULL_ARGUMENT && model == NULL);
    model = (ecl_model *)&model;
    CHECK(ecl_model_load_file("/nonexistent/dir/model.eclw", &model) == ECL_E_IO && model == NULL);

    CHECK(ecl_model_get_info(NULL, &info) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_model_verify(NULL) == ECL_E_NULL_ARGUMENT);
    free(copy);
}

static void fill_alert(float *snr, uint8_t *mask, unsigned seed)
{
    int i;
    for (i = 0; i < ECL_SUBIMAGE_PIXELS; i++) {
        seed = seed * 1103515245u + 12345u;
        snr[i] = (float)((int)(seed >> 16) % 2000 - 1000) / 400.0f;
        mask[i] = ECL_MASK_BACKGROUND;
    }
    mask[28 * ECL_SUBIMAGE_SIDE + 28] = ECL_MASK_TRIGGER;
    snr[28 * ECL_SUBIMAGE_SIDE + 28] = 8.0f;
}

static int plans_winograd(const ecl_kernel_info *k, int tile)
{
    uint32_t i;
    for (i = 0; i < k->step_count; i++) {
        uint8_t kernel = k->step_kernel[i];
        if (kernel == ECL_KERNEL_WINOGRAD_F4 && tile >= 4) return 1;
        if ((kernel == ECL_KERNEL_WINOGRAD_F2 || kernel == ECL_KERNEL_PAIR_WINOGRAD_F2) && tile >= 2) return 1;
    }
    return 0;
}

/* Logit of one synthetic alert under `model`, or NAN. */
static float logit_of(ecl_model *model, unsigned seed)
{
    static float snr[ECL_SUBIMAGE_PIXELS];
    static uint8_t mask[ECL_SUBIMAGE_PIXELS];
    ecl_context *ctx = NULL;
    ecl_result result;
    float logit = NAN;
    fill_alert(snr, mask, seed);
    if (ecl_context_create(model, &ctx) == ECL_OK && ecl_classify(ctx, snr, mask, &result) == ECL_OK) logit = result.logit;
    ecl_context_free(ctx);
    return logit;
}

/* ecl_model_load_with_options: the statuses of the header, a zeroed struct = ecl_model_load, and the plans it asks
 * for (no Winograd kernel with OFF, a smaller model, the same alerts' logits within float rounding). */
static void test_load_options(const uint8_t *file, size_t length)
{
    ecl_model *plain = NULL, *model = (ecl_model *)1;
    ecl_load_options options;
    ecl_model_info plain_info, info;
    ecl_kernel_info plain_kernels, kernels;
    unsigned seed;
    int k;

    memset(&options, 0, sizeof options);
    CHECK(ecl_model_load_with_options(file, length, &options, NULL) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_model_load_with_options(NULL, length, &options, &model) == ECL_E_NULL_ARGUMENT && model == NULL);
    options.winograd = 3;
    model = (ecl_model *)1;
    CHECK(ecl_model_load_with_options(file, length, &options, &model) == ECL_E_INPUT_RANGE && model == NULL);
    options.winograd = ECL_WINOGRAD_OFF;
    options.kernel_path = 5;
    model = (ecl_model *)1;
    CHECK(ecl_model_load_with_options(file, length, &options, &model) == ECL_E_INPUT_RANGE && model == NULL);
    options.kernel_path = 0;
    for (k = 0; k < 6; k++) {
        options.reserved[k] = 1u << k;
        model = (ecl_model *)1;
        CHECK(ecl_model_load_with_options(file, length, &options, &model) == ECL_E_INPUT_RANGE && model == NULL);
        options.reserved[k] = 0;
    }
    model = (ecl_model *)1;
    CHECK(ecl_model_load_with_options(file, length / 2, &options, &model) == ECL_E_MODEL_FORMAT && model == NULL);

    CHECK(ecl_model_load(file, length, &plain) == ECL_OK);
    CHECK(ecl_model_get_info(plain, &plain_info) == ECL_OK && ecl_model_get_kernel_info(plain, &plain_kernels) == ECL_OK);
    memset(&options, 0, sizeof options);
    for (k = 0; k < 2; k++) {
        CHECK(ecl_model_load_with_options(file, length, k == 0 ? NULL : &options, &model) == ECL_OK);
        CHECK(ecl_model_get_info(model, &info) == ECL_OK && info.model_bytes == plain_info.model_bytes);
        CHECK(ecl_model_get_kernel_info(model, &kernels) == ECL_OK && memcmp(&kernels, &plain_kernels, sizeof kernels) == 0);
        ecl_model_free(model);
    }

    options.winograd = ECL_WINOGRAD_OFF;
    CHECK(ecl_model_load_with_options(file, length, &options, &model) == ECL_OK);
    CHECK(ecl_model_get_info(model, &info) == ECL_OK && ecl_model_get_kernel_info(model, &kernels) == ECL_OK);
    CHECK(!plans_winograd(&kernels, 2));
    if (plans_winograd(&plain_kernels, 2)) CHECK(info.model_bytes < plain_info.model_bytes);
    printf("load options: model bytes %llu planned by default, %llu with ECL_WINOGRAD_OFF\n",
           (unsigned long long)plain_info.model_bytes, (unsigned long long)info.model_bytes);
    for (seed = 1; seed <= 8; seed++) {
        float a = logit_of(plain, seed), b = logit_of(model, seed);
        CHECK(fabsf(a - b) <= 1e-4f * fmaxf(1.0f, fabsf(a)));
    }
    ecl_model_free(model);

    options.winograd = ECL_WINOGRAD_UP_TO_F2;
    CHECK(ecl_model_load_with_options(file, length, &options, &model) == ECL_OK);
    CHECK(ecl_model_get_kernel_info(model, &kernels) == ECL_OK);
    for (k = 0; k < (int)kernels.step_count; k++) CHECK(kernels.step_kernel[k] != ECL_KERNEL_WINOGRAD_F4);
    if (plans_winograd(&plain_kernels, 4)) CHECK(plans_winograd(&kernels, 2)); /* the F(4x4) layers became F(2x2) */
    ecl_model_free(model);

    options.winograd = ECL_WINOGRAD_DEFAULT;
    options.kernel_path = 1;
    CHECK(ecl_model_load_with_options(file, length, &options, &model) == ECL_OK);
    CHECK(ecl_model_get_kernel_info(model, &kernels) == ECL_OK && kernels.kernel_path == 1 && strcmp(kernels.lanes, "scalar") == 0);
    for (seed = 1; seed <= 8; seed++) {
        float a = logit_of(plain, seed), b = logit_of(model, seed);
        CHECK(fabsf(a - b) <= 1e-4f * fmaxf(1.0f, fabsf(a)));
    }
    ecl_model_free(model);
    ecl_model_free(plain);
}

static void test_classifier(const char *path, uint64_t expected_parameters)
{
    ecl_model *model = NULL;
    ecl_context *ctx = (ecl_context *)&ctx;
    ecl_model_info info;
    ecl_result result, sentinel, first;
    static float snr[ECL_SUBIMAGE_PIXELS];
    static uint8_t mask[ECL_SUBIMAGE_PIXELS];
    const int centre = 28 * ECL_SUBIMAGE_SIDE + 28;

    CHECK(ecl_model_load_file(path, &model) == ECL_OK && model != NULL);
    if (model == NULL) return;
    CHECK(ecl_model_get_info(model, NULL) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_model_get_info(model, &info) == ECL_OK);
    CHECK(info.numeric_format == 0 || info.numeric_format == 1);
    CHECK(info.parameter_count == expected_parameters);
    CHECK(info.layer_count > 0 && info.macs > 0 && info.model_bytes > 0 && info.context_bytes > 0);
    CHECK(info.decision_threshold >= 0.0f && info.decision_threshold <= 1.0f);
    CHECK(memchr(info.name, '\0', sizeof info.name) != NULL);
    CHECK(ecl_model_verify(model) == ECL_OK);

    CHECK(ecl_context_create(NULL, &ctx) == ECL_E_NULL_ARGUMENT && ctx == NULL);
    CHECK(ecl_context_create(model, NULL) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_context_create(model, &ctx) == ECL_OK && ctx != NULL);
    if (ctx == NULL) {
        ecl_model_free(model);
        return;
    }

    fill_alert(snr, mask, 7u);
    CHECK(ecl_classify(NULL, snr, mask, &result) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_classify(ctx, NULL, mask, &result) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_classify(ctx, snr, NULL, &result) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_classify(ctx, snr, mask, NULL) == ECL_E_NULL_ARGUMENT);

    CHECK(ecl_classify(ctx, snr, mask, &first) == ECL_OK);
    CHECK(first.probability >= 0.0f && first.probability <= 1.0f);
    CHECK(first.is_true_alert == (first.probability >= info.decision_threshold ? 1 : 0));
    CHECK(ecl_classify(ctx, snr, mask, &result) == ECL_OK);
    CHECK(memcmp(&result, &first, sizeof result) == 0); /* same input, same bits */

    /* A failed call leaves the result untouched. */
    memset(&sentinel, 0x5A, sizeof sentinel);
    result = sentinel;
    mask[100] = 4;
    CHECK(ecl_classify(ctx, snr, mask, &result) == ECL_E_INPUT_MASK);
    mask[100] = 255;
    CHECK(ecl_classify(ctx, snr, mask, &result) == ECL_E_INPUT_MASK);
    mask[100] = ECL_MASK_BACKGROUND;
    snr[200] = NAN;
    CHECK(ecl_classify(ctx, snr, mask, &result) == ECL_E_INPUT_NONFINITE);
    snr[200] = INFINITY;
    CHECK(ecl_classify(ctx, snr, mask, &result) == ECL_E_INPUT_NONFINITE);
    snr[200] = -INFINITY;
    CHECK(ecl_classify(ctx, snr, mask, &result) == ECL_E_INPUT_NONFINITE);
    snr[centre] = NAN; /* the trigger pixel is data too */
    CHECK(ecl_classify(ctx, snr, mask, &result) == ECL_E_INPUT_NONFINITE);
    CHECK(memcmp(&result, &sentinel, sizeof result) == 0);

    /* NaN where the mask is 0 is ignored: same answer as 0 there. */
    fill_alert(snr, mask, 7u);
    mask[0] = ECL_MASK_IGNORE;
    snr[0] = 0.0f;
    CHECK(ecl_classify(ctx, snr, mask, &first) == ECL_OK);
    snr[0] = NAN;
    CHECK(ecl_classify(ctx, snr, mask, &result) == ECL_OK);
    CHECK(memcmp(&result, &first, sizeof result) == 0);

    ecl_context_free(ctx);
    ecl_model_free(model);
}

static void test_trigger(void)
{
    ecl_trigger_config cfg;
    ecl_trigger *trigger = (ecl_trigger *)&trigger;
    ecl_known_source source = { 120.0f, 80.0f, 50.0f, 5.0f };
    static uint32_t counts[ECL_DETECTOR_SIDE * ECL_DETECTOR_SIDE];
    static ecl_alert alert;
    static float sky[199 * 199];
    int32_t side = 0;
    int i;

    ecl_trigger_config_default(NULL);
    ecl_trigger_config_default(&cfg);
    CHECK(cfg.snr_threshold == 6.5f);
    CHECK(cfg.min_image_std < cfg.max_image_std && cfg.min_peak_ratio >= 1.0f);
    CHECK(cfg.background_model == 0);
    for (i = 0; i < 8; i++) CHECK(cfg.reserved[i] == 0);

    CHECK(ecl_trigger_create(&cfg, NULL, 0, NULL) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_trigger_create(&cfg, NULL, 1, &trigger) == ECL_E_NULL_ARGUMENT && trigger == NULL);
    cfg.reserved[3] = 1;
    trigger = (ecl_trigger *)&trigger;
    CHECK(ecl_trigger_create(&cfg, NULL, 0, &trigger) == ECL_E_INPUT_RANGE && trigger == NULL);
    ecl_trigger_config_default(&cfg);
    cfg.snr_threshold = NAN;
    CHECK(ecl_trigger_create(&cfg, NULL, 0, &trigger) == ECL_E_INPUT_RANGE && trigger == NULL);
    ecl_trigger_config_default(&cfg);
    cfg.background_model = 7;
    CHECK(ecl_trigger_create(&cfg, NULL, 0, &trigger) == ECL_E_INPUT_RANGE && trigger == NULL);
    source.counts_per_s = -1.0f;
    CHECK(ecl_trigger_create(NULL, &source, 1, &trigger) == ECL_E_INPUT_RANGE && trigger == NULL);
    source.counts_per_s = 50.0f;

    CHECK(ecl_trigger_create(NULL, &source, 1, &trigger) == ECL_OK && trigger != NULL);
    if (trigger == NULL) return;
    CHECK(ecl_trigger_sky_side(NULL, &side) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_trigger_sky_side(trigger, NULL) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_trigger_sky_side(trigger, &side) == ECL_OK && side == 199);

    for (i = 0; i < ECL_DETECTOR_SIDE * ECL_DETECTOR_SIDE; i++) counts[i] = 20u + (uint32_t)(i * 7919 % 9);
    CHECK(ecl_trigger_process(NULL, counts, 20.0f, &alert) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_trigger_process(trigger, NULL, 20.0f, &alert) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_trigger_process(trigger, counts, 20.0f, NULL) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_trigger_process(trigger, counts, 0.0f, &alert) == ECL_E_INPUT_RANGE);
    CHECK(ecl_trigger_process(trigger, counts, -1.0f, &alert) == ECL_E_INPUT_RANGE);
    CHECK(ecl_trigger_process(trigger, counts, NAN, &alert) == ECL_E_INPUT_RANGE);
    CHECK(ecl_trigger_process(trigger, counts, INFINITY, &alert) == ECL_E_INPUT_RANGE);
    CHECK(ecl_trigger_process(trigger, counts, 20.0f, &alert) == ECL_OK);
    CHECK(alert.raised == 0 || alert.raised == 1);
    CHECK(alert.raised == (alert.quality_flags == 0 ? 1 : 0));
    CHECK(alert.subimage_mask[28 * ECL_SUBIMAGE_SIDE + 28] == ECL_MASK_TRIGGER);
    CHECK(alert.sky_y >= 0 && alert.sky_y < side && alert.sky_z >= 0 && alert.sky_z < side);
    for (i = 0; i < ECL_SUBIMAGE_PIXELS; i++) {
        if (alert.subimage_mask[i] > 3 || !isfinite(alert.subimage_snr[i])) break;
    }
    CHECK(i == ECL_SUBIMAGE_PIXELS);

    CHECK(ecl_trigger_copy_sky(NULL, sky, 199 * 199) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_trigger_copy_sky(trigger, NULL, 199 * 199) == ECL_E_NULL_ARGUMENT);
    CHECK(ecl_trigger_copy_sky(trigger, sky, 199 * 199 - 1) == ECL_E_BAD_LENGTH);
    CHECK(ecl_trigger_copy_sky(trigger, sky, 199 * 199) == ECL_OK);
    CHECK(sky[alert.sky_z * side + alert.sky_y] == alert.peak_snr);
    ecl_trigger_free(trigger);
}

int main(int argc, char **argv)
{
    size_t length = 0;
    uint8_t *file;
    if (argc != 3) {
        fprintf(stderr, "usage: %s <model.eclw> <expected parameter count>\n", argv[0]);
        return 2;
    }
    file = read_file(argv[1], &length);
    if (file == NULL) {
        fprintf(stderr, "abi_test: cannot read %s\n", argv[1]);
        return 2;
    }
    test_library();
    test_model_errors(file, length);
    test_load_options(file, length);
    test_classifier(argv[1], strtoull(argv[2], NULL, 10));
    test_trigger();
    free(file);
    printf("abi: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
