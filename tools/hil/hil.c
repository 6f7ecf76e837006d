/*
 * hil — hardware-in-the-loop harness for libeclairs_onboard (C99).
 *
 *   hil vectors <model.eclw> <vectors.eclv> [tolerance] [repeat] [winograd]
 *       Replays recorded alerts (the whole file `repeat` times, default 1) through ecl_classify, the model planned
 *       by ecl_model_load_with_options with `winograd` default, off, f2 or f4 (ECL_WINOGRAD_*; default: default). int8 models must give the recorded raw logit and
 *       decision bit for bit; float models the recorded logit within `tolerance` (default 1e-4, relative
 *       to max(1, |logit|)) and the recorded decision unless the probability lies within 1e-6 of the
 *       threshold. Times every call; fails if the library allocates or collects garbage meanwhile. Ends with
 *       "N passed, M failed".
 *   hil stream <model.eclw>
 *       Reads request frames on stdin and writes result frames on stdout until end of input, for rigs
 *       that pipe a serial link (framing in docs/integration.md). Diagnostics go to stderr.
 *   hil trigger <model.eclw> <counts.bin> [exposure_s]
 *       Feeds each 80 x 80 uint32 detector image of counts.bin through ecl_trigger_process (default
 *       configuration, empty catalogue) and classifies every alert raised.
 *
 * All files are little-endian. Exit status: 0 on success, 1 on a failed check, 2 on a usage or I/O error.
 */
#define _POSIX_C_SOURCE 199309L
#include "eclairs_onboard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PIXELS ECL_SUBIMAGE_PIXELS
#define DETECTOR_PIXELS (ECL_DETECTOR_SIDE * ECL_DETECTOR_SIDE)

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static uint32_t crc32_update(uint32_t crc, const uint8_t *data, size_t length)
{
    size_t i;
    int k;
    crc = ~crc;
    for (i = 0; i < length; i++) {
        crc ^= data[i];
        for (k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static int read_exact(FILE *f, void *buffer, size_t length)
{
    return fread(buffer, 1, length, f) == length;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static float get_f32(const uint8_t *p)
{
    uint32_t bits = get_u32(p);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static void put_f32(uint8_t *p, float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    put_u32(p, bits);
}

/* The whole file at `path` in a malloc'd buffer, or NULL (*out_of_memory set when malloc failed). */
static uint8_t *read_whole(const char *path, size_t *length, int *out_of_memory)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    long size;
    if (f == NULL) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        data = malloc(size > 0 ? (size_t)size : 1);
        *out_of_memory = data == NULL;
        if (data != NULL && !read_exact(f, data, (size_t)size)) {
            free(data);
            data = NULL;
        }
        *length = (size_t)size;
    }
    fclose(f);
    return data;
}

/* `options` NULL: ecl_model_load_file, the plain load; otherwise the file is read here and planned with them. */
static int open_model(const char *path, const ecl_load_options *options, ecl_model **model, ecl_context **ctx, ecl_model_info *info)
{
    ecl_status s = ecl_init();
    if (s == ECL_OK && options == NULL) s = ecl_model_load_file(path, model);
    if (s == ECL_OK && options != NULL) {
        size_t length = 0;
        int out_of_memory = 0;
        uint8_t *data = read_whole(path, &length, &out_of_memory);
        s = data == NULL ? (out_of_memory ? ECL_E_OUT_OF_MEMORY : ECL_E_IO) : ecl_model_load_with_options(data, length, options, model);
        free(data);
    }
    if (s == ECL_OK) s = ecl_model_get_info(*model, info);
    if (s == ECL_OK) s = ecl_context_create(*model, ctx);
    if (s != ECL_OK) {
        fprintf(stderr, "hil: %s: %s\n", path, ecl_status_string(s));
        ecl_model_free(*model);
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------ vectors */

/* .eclv: "ECLV" u32 version=1, u32 count, u32 numeric_format, u32 model CRC-32, then per record
 * snr f32[3136], mask u8[3136], expected logit f32, expected raw_logit i32, expected is_true_alert i32. */
static int run_vectors(const char *model_path, const char *vectors_path, double tolerance, long repeat, const ecl_load_options *options)
{
    ecl_model *model = NULL;
    ecl_context *ctx = NULL;
    ecl_model_info info;
    FILE *f;
    uint8_t header[20], tail[12];
    static float snr[PIXELS];
    static uint8_t mask[PIXELS];
    uint32_t count, format, crc, i;
    long pass;
    int passed = 0, failed = 0;
    double total_us = 0, worst_us = 0;
    uint64_t collections, allocated;

    if (!open_model(model_path, options, &model, &ctx, &info)) return 2;
    collections = ecl_diag_gc_collections();
    allocated = ecl_diag_thread_allocated_bytes();
    f = fopen(vectors_path, "rb");
    if (f == NULL || !read_exact(f, header, sizeof header) || memcmp(header, "ECLV", 4) != 0 || get_u32(header + 4) != 1) {
        fprintf(stderr, "hil: %s is not a version-1 vector file\n", vectors_path);
        if (f != NULL) fclose(f);
        return 2;
    }
    count = get_u32(header + 8);
    format = get_u32(header + 12);
    crc = get_u32(header + 16);
    if (format != info.numeric_format || crc != info.checksum) {
        fprintf(stderr, "hil: the vectors were recorded with another model (format %u, CRC %08X; loaded %u, %08X)\n",
                (unsigned)format, (unsigned)crc, (unsigned)info.numeric_format, (unsigned)info.checksum);
        fclose(f);
        return 2;
    }
    for (pass = 0; pass < repeat; pass++) {
    if (fseek(f, (long)sizeof header, SEEK_SET) != 0) break;
    for (i = 0; i < count; i++) {
        ecl_result r;
        ecl_status s;
        double t0, dt;
        float logit;
        int32_t raw, decision;
        int ok;
        int k;
        uint8_t raw_snr[4 * PIXELS];
        if (!read_exact(f, raw_snr, sizeof raw_snr) || !read_exact(f, mask, sizeof mask) || !read_exact(f, tail, sizeof tail)) {
            fprintf(stderr, "hil: %s ends after %u of %u records\n", vectors_path, (unsigned)i, (unsigned)count);
            fclose(f);
            return 2;
        }
        for (k = 0; k < PIXELS; k++) snr[k] = get_f32(raw_snr + 4 * k);
        logit = get_f32(tail);
        raw = (int32_t)get_u32(tail + 4);
        decision = (int32_t)get_u32(tail + 8);
        memset(&r, 0, sizeof r); /* a failed call leaves it untouched */
        t0 = now_us();
        s = ecl_classify(ctx, snr, mask, &r);
        dt = now_us() - t0;
        total_us += dt;
        if (dt > worst_us) worst_us = dt;
        if (s != ECL_OK) {
            ok = 0;
        } else if (info.numeric_format == 1) {
            ok = r.raw_logit == raw && r.is_true_alert == decision;
        } else {
            double scale = fabs((double)logit) > 1.0 ? fabs((double)logit) : 1.0;
            int near_threshold = fabs((double)r.probability - info.decision_threshold) < 1e-6;
            ok = fabs((double)r.logit - logit) <= tolerance * scale && (r.is_true_alert == decision || near_threshold);
        }
        if (ok) {
            passed++;
        } else {
            failed++;
            fprintf(stderr, "hil: vector %u: status %d, logit %.9g raw %d decision %d; expected logit %.9g raw %d decision %d\n",
                    (unsigned)i, (int)s, (double)r.logit, (int)r.raw_logit, (int)r.is_true_alert, (double)logit, (int)raw, (int)decision);
        }
    }
    }
    fclose(f);
    collections = ecl_diag_gc_collections() - collections;
    allocated = ecl_diag_thread_allocated_bytes() - allocated;
    if (collections != 0 || allocated != 0) {
        failed++;
        fprintf(stderr, "hil: the runtime allocated %llu bytes and collected garbage %llu times during the replay\n",
                (unsigned long long)allocated, (unsigned long long)collections);
    }
    printf("hil: model %s, %s, %u vectors x %ld, %llu garbage collections, mean %.1f us, worst %.1f us per ecl_classify\n",
           info.name, info.numeric_format == 1 ? "int8" : "float32", (unsigned)count, repeat, (unsigned long long)collections,
           count ? total_us / ((double)count * (double)repeat) : 0.0, worst_us);
    ecl_context_free(ctx);
    ecl_model_free(model);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------ stream */

/* Request: "ECLQ", u32 sequence, f32 snr[3136], u8 mask[3136], u32 CRC-32 of everything before it.
 * Result:  "ECLR", u32 sequence, i32 status, f32 probability, f32 logit, i32 raw_logit,
 *          i32 is_true_alert, u32 elapsed microseconds, u32 CRC-32 of everything before it.
 * A request whose CRC does not match is answered with status ECL_E_IO (the frame arrived damaged) and nothing classified. */
#define REQUEST_BYTES (4 + 4 + 4 * PIXELS + PIXELS + 4)
#define RESULT_BYTES (4 * 9)

static int run_stream(const char *model_path)
{
    ecl_model *model = NULL;
    ecl_context *ctx = NULL;
    ecl_model_info info;
    static uint8_t request[REQUEST_BYTES];
    static float snr[PIXELS];
    uint8_t result[RESULT_BYTES];
    unsigned long frames = 0;

    if (!open_model(model_path, NULL, &model, &ctx, &info)) return 2;
    for (;;) {
        size_t got = fread(request, 1, REQUEST_BYTES, stdin);
        ecl_result r;
        ecl_status s;
        double t0, dt = 0;
        int k;
        if (got == 0) break;
        if (got != REQUEST_BYTES || memcmp(request, "ECLQ", 4) != 0) {
            fprintf(stderr, "hil: frame %lu is truncated or has no ECLQ marker; stopping\n", frames);
            ecl_context_free(ctx);
            ecl_model_free(model);
            return 1;
        }
        memset(&r, 0, sizeof r);
        if (crc32_update(0, request, REQUEST_BYTES - 4) != get_u32(request + REQUEST_BYTES - 4)) {
            s = ECL_E_IO;
        } else {
            for (k = 0; k < PIXELS; k++) snr[k] = get_f32(request + 8 + 4 * k);
            t0 = now_us();
            s = ecl_classify(ctx, snr, request + 8 + 4 * PIXELS, &r);
            dt = now_us() - t0;
        }
        memcpy(result, "ECLR", 4);
        memcpy(result + 4, request + 4, 4);
        put_u32(result + 8, (uint32_t)s);
        put_f32(result + 12, r.probability);
        put_f32(result + 16, r.logit);
        put_u32(result + 20, (uint32_t)r.raw_logit);
        put_u32(result + 24, (uint32_t)r.is_true_alert);
        put_u32(result + 28, (uint32_t)(dt + 0.5));
        put_u32(result + 32, crc32_update(0, result, RESULT_BYTES - 4));
        if (fwrite(result, 1, RESULT_BYTES, stdout) != RESULT_BYTES) return 2;
        fflush(stdout);
        frames++;
    }
    fprintf(stderr, "hil: %lu frames answered\n", frames);
    ecl_context_free(ctx);
    ecl_model_free(model);
    return 0;
}

/* ------------------------------------------------------------------ trigger */

static int run_trigger(const char *model_path, const char *counts_path, float exposure)
{
    ecl_model *model = NULL;
    ecl_context *ctx = NULL;
    ecl_model_info info;
    ecl_trigger *trigger = NULL;
    static uint32_t counts[DETECTOR_PIXELS];
    static uint8_t raw[4 * DETECTOR_PIXELS];
    static ecl_alert alert;
    FILE *f;
    unsigned images = 0, alerts = 0;
    int failures = 0;
    ecl_status s;
    uint64_t collections, allocated;

    if (!open_model(model_path, NULL, &model, &ctx, &info)) return 2;
    s = ecl_trigger_create(NULL, NULL, 0, &trigger);
    collections = ecl_diag_gc_collections();
    allocated = ecl_diag_thread_allocated_bytes();
    f = fopen(counts_path, "rb");
    if (s != ECL_OK || f == NULL) {
        fprintf(stderr, "hil: %s\n", s != ECL_OK ? ecl_status_string(s) : "cannot open the counts file");
        if (f != NULL) fclose(f);
        ecl_context_free(ctx);
        ecl_model_free(model);
        return 2;
    }
    printf("image  raised  flags  peak_snr  sky_y  sky_z  probability  decision  trigger_us  classify_us\n");
    while (read_exact(f, raw, sizeof raw)) {
        int k;
        double t0, t_trigger, t_classify = 0;
        ecl_result r;
        for (k = 0; k < DETECTOR_PIXELS; k++) counts[k] = get_u32(raw + 4 * k);
        t0 = now_us();
        s = ecl_trigger_process(trigger, counts, exposure, &alert);
        t_trigger = now_us() - t0;
        if (s != ECL_OK) {
            fprintf(stderr, "hil: image %u: %s\n", images, ecl_status_string(s));
            failures++;
            images++;
            continue;
        }
        memset(&r, 0, sizeof r);
        if (alert.raised) {
            t0 = now_us();
            s = ecl_classify(ctx, alert.subimage_snr, alert.subimage_mask, &r);
            t_classify = now_us() - t0;
            if (s != ECL_OK) {
                fprintf(stderr, "hil: image %u: classify: %s\n", images, ecl_status_string(s));
                failures++;
            }
            alerts++;
        }
        printf("%5u  %6d  %5u  %8.2f  %5d  %5d  %11.4f  %8d  %10.0f  %11.0f\n", images, (int)alert.raised,
               (unsigned)alert.quality_flags, (double)alert.peak_snr, (int)alert.sky_y, (int)alert.sky_z,
               (double)r.probability, (int)r.is_true_alert, t_trigger, t_classify);
        images++;
    }
    fclose(f);
    collections = ecl_diag_gc_collections() - collections;
    allocated = ecl_diag_thread_allocated_bytes() - allocated;
    if (collections != 0 || allocated != 0) {
        failures++;
        fprintf(stderr, "hil: the runtime allocated %llu bytes and collected garbage %llu times while processing\n",
                (unsigned long long)allocated, (unsigned long long)collections);
    }
    printf("hil: %u images, %u alerts raised and classified, %llu garbage collections\n", images, alerts,
           (unsigned long long)collections);
    ecl_trigger_free(trigger);
    ecl_context_free(ctx);
    ecl_model_free(model);
    return failures == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && argc <= 7 && strcmp(argv[1], "vectors") == 0) {
        long repeat = argc > 5 ? atol(argv[5]) : 1;
        ecl_load_options options;
        memset(&options, 0, sizeof options);
        if (argc > 6) {
            const char *names[] = { "default", "off", "f2", "f4" };
            const uint32_t codes[] = { ECL_WINOGRAD_DEFAULT, ECL_WINOGRAD_OFF, ECL_WINOGRAD_UP_TO_F2, ECL_WINOGRAD_UP_TO_F4 };
            int k, known = 0;
            for (k = 0; k < 4; k++) {
                if (strcmp(argv[6], names[k]) == 0) {
                    options.winograd = codes[k];
                    known = 1;
                }
            }
            if (!known) {
                fprintf(stderr, "hil: winograd must be default, off, f2 or f4, not %s\n", argv[6]);
                return 2;
            }
        }
        return run_vectors(argv[2], argv[3], argc > 4 ? atof(argv[4]) : 1e-4, repeat > 0 ? repeat : 1, argc > 6 ? &options : NULL);
    }
    if (argc == 3 && strcmp(argv[1], "stream") == 0) {
        return run_stream(argv[2]);
    }
    if (argc >= 4 && strcmp(argv[1], "trigger") == 0) {
        return run_trigger(argv[2], argv[3], argc > 4 ? (float)atof(argv[4]) : 20.0f);
    }
    fprintf(stderr, "usage: hil vectors <model.eclw> <vectors.eclv> [tolerance] [repeat] [default|off|f2|f4]\n"
                    "       hil stream <model.eclw>   (frames on stdin/stdout)\n"
                    "       hil trigger <model.eclw> <counts.bin> [exposure_s]\n");
    return 2;
}
