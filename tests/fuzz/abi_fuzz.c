/* libFuzzer harness over the C ABI of libeclairs_onboard (tests/fuzz/run-abi.sh, docs/robustness.md).
 *
 * The first byte of each input picks what the rest feeds:
 *   even        ecl_model_load(rest): as given, then with the file-length field and the CRC-32 repaired (random
 *               bytes rarely keep a valid CRC, which is checked first); an accepted model must report its info,
 *               verify, and classify a fixed alert. With bit 1 set, ecl_model_load_with_options instead, the
 *               options taken from the first 32 bytes of the rest: raw when bit 2 is set, else folded to valid codes.
 *   odd         ecl_classify on the models named by ECL_FUZZ_MODELS (colon-separated paths, loaded once): the rest
 *               gives the raw bit patterns of the SNR pixels (NaN, infinities, denormals, 1e38 ...) and the masks
 *               (raw 0..255 when bit 1 of the first byte is set, else folded to 0..3 so most inputs pass the checks).
 * Every status must be one the ICD documents for that call; an ECL_OK result must be a probability in [0, 1] and a
 * decision of 0 or 1. Anything else aborts (a crash for libFuzzer), as does any crash inside the library.
 * The harness is compiled with -fsanitize=fuzzer,address; the NativeAOT library is not coverage-instrumented, so the
 * coverage that guides libFuzzer is the harness's own (the status and result paths), not the managed loader's:
 * tests/fuzz/run.sh fuzzes the loader itself with coverage (SharpFuzz + AFL++).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "eclairs_onboard.h"

#define MAX_MODELS 4
static ecl_model *models[MAX_MODELS];
static ecl_context *contexts[MAX_MODELS];
static int model_count;
static float snr[ECL_SUBIMAGE_PIXELS];
static uint8_t mask[ECL_SUBIMAGE_PIXELS];

static void fail(const char *what, ecl_status s)
{
    fprintf(stderr, "abi_fuzz: %s (status %d, %s)\n", what, (int)s, ecl_status_string(s));
    abort();
}

static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void check_result(ecl_status s, const ecl_result *r)
{
    if (s == ECL_OK) {
        if (!(r->probability >= 0.0f && r->probability <= 1.0f)) fail("probability outside [0, 1]", s);
        if (r->is_true_alert != 0 && r->is_true_alert != 1) fail("decision not 0 or 1", s);
    } else if (s != ECL_E_INPUT_MASK && s != ECL_E_INPUT_NONFINITE && s != ECL_E_INPUT_RANGE) {
        fail("ecl_classify returned a status the ICD does not give it", s);
    }
}

static void fixed_alert(void)
{
    for (int i = 0; i < ECL_SUBIMAGE_PIXELS; i++) {
        snr[i] = (float)((i * 37) % 11) / 5.0f - 1.0f;
        mask[i] = (uint8_t)(i % 23 == 0 ? 2 : 1);
    }
    mask[28 * ECL_SUBIMAGE_SIDE + 28] = ECL_MASK_TRIGGER;
    snr[28 * ECL_SUBIMAGE_SIDE + 28] = 9.0f;
}

/* The header's rule for ecl_load_options before the file is read. */
static int options_valid(const ecl_load_options *o)
{
    for (int k = 0; k < 6; k++)
        if (o->reserved[k] != 0) return 0;
    return o->kernel_path <= 4
        && (o->winograd == ECL_WINOGRAD_DEFAULT || o->winograd == ECL_WINOGRAD_OFF || o->winograd == ECL_WINOGRAD_UP_TO_F2
            || o->winograd == ECL_WINOGRAD_UP_TO_F4);
}

static void load(const uint8_t *data, size_t size, const ecl_load_options *options)
{
    ecl_model *m = (ecl_model *)(uintptr_t)1; /* must be set to NULL on failure */
    ecl_status s = options ? ecl_model_load_with_options(data, size, options, &m) : ecl_model_load(data, size, &m);
    if (options && !options_valid(options) && s != ECL_E_INPUT_RANGE)
        fail("ecl_model_load_with_options accepted options outside the header's codes, or checked the file first", s);
    /* After the file is read, only a forced SIMD path (2..4) the CPU lacks is a range error. */
    if (options && options_valid(options) && s == ECL_E_INPUT_RANGE && options->kernel_path < 2)
        fail("ecl_model_load_with_options refused valid options", s);
    if (s != ECL_OK) {
        if (s != ECL_E_MODEL_FORMAT && s != ECL_E_MODEL_CHECKSUM && s != ECL_E_MODEL_UNSUPPORTED && s != ECL_E_OUT_OF_MEMORY
            && !(options && s == ECL_E_INPUT_RANGE))
            fail("ecl_model_load returned a status the ICD does not give it", s);
        if (m != NULL) fail("ecl_model_load failed without setting *out to NULL", s);
        return;
    }
    ecl_model_info info;
    ecl_context *ctx;
    ecl_result r;
    if ((s = ecl_model_get_info(m, &info)) != ECL_OK) fail("ecl_model_get_info on an accepted model", s);
    if (info.numeric_format > 1 || memchr(info.name, 0, sizeof info.name) == NULL) fail("ecl_model_info inconsistent", s);
    if ((s = ecl_model_verify(m)) != ECL_OK) fail("an accepted model does not verify", s);
    if ((s = ecl_context_create(m, &ctx)) != ECL_OK) fail("ecl_context_create on an accepted model", s);
    fixed_alert();
    s = ecl_classify(ctx, snr, mask, &r);
    check_result(s, &r);
    ecl_context_free(ctx);
    ecl_model_free(m);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (ecl_init() != ECL_OK) fail("ecl_init", ECL_E_INTERNAL);
    const char *list = getenv("ECL_FUZZ_MODELS");
    char paths[4096];
    snprintf(paths, sizeof paths, "%s", list ? list : "");
    for (char *p = strtok(paths, ":"); p && model_count < MAX_MODELS; p = strtok(NULL, ":")) {
        ecl_status s = ecl_model_load_file(p, &models[model_count]);
        if (s != ECL_OK) fail(p, s);
        if ((s = ecl_context_create(models[model_count], &contexts[model_count])) != ECL_OK) fail("context", s);
        model_count++;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    uint8_t mode = data[0];
    data++;
    size--;
    if ((mode & 1) == 0) {
        ecl_load_options options, *chosen = NULL;
        if ((mode & 2) && size >= sizeof options) {
            memcpy(&options, data, sizeof options);
            data += sizeof options;
            size -= sizeof options;
            if ((mode & 4) == 0) {
                static const uint32_t winograd[] = { ECL_WINOGRAD_DEFAULT, ECL_WINOGRAD_OFF, ECL_WINOGRAD_UP_TO_F2, ECL_WINOGRAD_UP_TO_F4 };
                options.kernel_path %= 5u;
                options.winograd = winograd[options.winograd % 4u];
                memset(options.reserved, 0, sizeof options.reserved);
            }
            chosen = &options;
        }
        load(data, size, chosen);
        if (size >= 68 && size < (1u << 24)) {
            uint8_t *repaired = malloc(size);
            if (!repaired) return 0;
            memcpy(repaired, data, size);
            put_u32(repaired + 8, (uint32_t)size);
            put_u32(repaired + size - 4, crc32_ieee(repaired, size - 4));
            load(repaired, size, chosen);
            free(repaired);
        }
        return 0;
    }
    if (model_count == 0) return 0;
    /* SNR bit patterns from the first 4 x 3136 bytes (cycled), masks from what follows (cycled). */
    size_t snr_bytes = size < sizeof snr ? size : sizeof snr;
    memset(snr, 0, sizeof snr);
    for (size_t off = 0; snr_bytes > 0 && off < sizeof snr; off += snr_bytes)
        memcpy((uint8_t *)snr + off, data, off + snr_bytes <= sizeof snr ? snr_bytes : sizeof snr - off);
    const uint8_t *m = data + snr_bytes;
    size_t mask_bytes = size - snr_bytes;
    for (int i = 0; i < ECL_SUBIMAGE_PIXELS; i++) {
        uint8_t v = mask_bytes ? m[(size_t)i % mask_bytes] : (uint8_t)(i % 4);
        mask[i] = (mode & 2) ? v : (uint8_t)(v & 3);
    }
    ecl_result r;
    memset(&r, 0x5A, sizeof r);
    int which = (mode >> 2) % model_count;
    check_result(ecl_classify(contexts[which], snr, mask, &r), &r);
    /* Contract checks that need no oracle: a refusal leaves the result untouched; NULL arguments are refused. */
    if (ecl_classify(contexts[which], NULL, mask, &r) != ECL_E_NULL_ARGUMENT) fail("NULL snr accepted", ECL_OK);
    return 0;
}
