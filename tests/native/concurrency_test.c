/* Determinism, concurrency and soak through the native library (POSIX threads).
 *
 *   concurrency_test <model.eclw> <alerts.eclv|-> threads <n_threads> <total_calls>
 *       One shared model, one context per thread, all threads released together; every ecl_result must equal, bit
 *       for bit (memcmp), what one context on the main thread computed first for the same input. Also checks that no
 *       garbage collection runs and that no thread allocates a managed byte while classifying.
 *   concurrency_test <model.eclw> <alerts.eclv|-> soak <total_calls>
 *       One context, `total_calls` classifications over 64 inputs, compared with the first answers; prints the
 *       resident set size (VmRSS), the GC count and the thread's managed allocations at ten checkpoints and fails if
 *       any answer differs, a collection runs, a byte is allocated, or VmRSS grows by more than 1 MiB after the first
 *       checkpoint.
 *
 * Inputs: the 64 simulated alerts of a replay-vector file (docs/integration.md, .eclv; only its inputs are used), or
 * with "-" 64 synthetic ones (xorshift): SNR in [-4, 8], masks 0..2 with the trigger pixel (mask 3) at (28, 28), NaN
 * and infinities in some mask-0 pixels (ignored by contract). Prints "<mode> <model>: N passed, M failed".
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include "eclairs_onboard.h"

#define INPUTS 64
#define MAX_THREADS 64

static float snr[INPUTS][ECL_SUBIMAGE_PIXELS];
static uint8_t mask[INPUTS][ECL_SUBIMAGE_PIXELS];
static ecl_result expected[INPUTS];

typedef struct {
    ecl_context *ctx;
    int index;
    uint64_t calls;
    uint64_t mismatches, errors, allocated;
    pthread_barrier_t *start;
} worker;

static uint64_t next_random(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static void make_inputs(void)
{
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    for (int a = 0; a < INPUTS; a++) {
        for (int i = 0; i < ECL_SUBIMAGE_PIXELS; i++) {
            uint64_t r = next_random(&s);
            snr[a][i] = (float)((double)(r >> 11) / 9007199254740992.0 * 12.0 - 4.0);
            unsigned m = (unsigned)(next_random(&s) % 10);
            mask[a][i] = (uint8_t)(m < 2 ? 0 : m < 9 ? 1 : 2);
            if (mask[a][i] == 0 && (r & 3) == 0) snr[a][i] = (r & 4) ? NAN : -INFINITY;
        }
        /* A burst-like bump around the trigger pixel on half the alerts, so the answers spread out. */
        if (a % 2 == 0)
            for (int dy = -3; dy <= 3; dy++)
                for (int dx = -3; dx <= 3; dx++) {
                    int i = (28 + dy) * ECL_SUBIMAGE_SIDE + 28 + dx;
                    if (mask[a][i] == 0) { mask[a][i] = 1; snr[a][i] = 0.0f; }
                    snr[a][i] += (float)(a % 9) * expf(-(float)(dx * dx + dy * dy) / 4.0f);
                }
        if (mask[a][28 * ECL_SUBIMAGE_SIDE + 28] == 0) snr[a][28 * ECL_SUBIMAGE_SIDE + 28] = 0.0f;
        mask[a][28 * ECL_SUBIMAGE_SIDE + 28] = ECL_MASK_TRIGGER;
    }
}

/* The inputs of the first 64 records of an .eclv file: 20-byte header, then snr, mask, logit, raw logit, decision. */
static int read_vectors(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char header[20];
    int ok = f != NULL && fread(header, 1, sizeof header, f) == sizeof header && memcmp(header, "ECLV", 4) == 0;
    for (int a = 0; a < INPUTS && ok; a++) {
        unsigned char tail[12];
        ok = fread(snr[a], sizeof(float), ECL_SUBIMAGE_PIXELS, f) == ECL_SUBIMAGE_PIXELS
             && fread(mask[a], 1, ECL_SUBIMAGE_PIXELS, f) == ECL_SUBIMAGE_PIXELS && fread(tail, 1, sizeof tail, f) == sizeof tail;
    }
    if (f) fclose(f);
    return ok;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    ecl_result r;
    pthread_barrier_wait(w->start);
    uint64_t before = ecl_diag_thread_allocated_bytes();
    for (uint64_t k = 0; k < w->calls; k++) {
        int a = (int)((k * 7 + (uint64_t)w->index * 13) % INPUTS);
        if (ecl_classify(w->ctx, snr[a], mask[a], &r) != ECL_OK) w->errors++;
        else if (memcmp(&r, &expected[a], sizeof r) != 0) w->mismatches++;
    }
    w->allocated = ecl_diag_thread_allocated_bytes() - before;
    return NULL;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kib = strtol(line + 6, NULL, 10);
    fclose(f);
    return kib;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int threads_mode(ecl_model *model, int n, uint64_t total, const char *name)
{
    worker w[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (int t = 0; t < n; t++) {
        memset(&w[t], 0, sizeof w[t]);
        w[t].index = t;
        w[t].calls = total / (uint64_t)n + ((uint64_t)t < total % (uint64_t)n ? 1 : 0);
        w[t].start = &start;
        if (ecl_context_create(model, &w[t].ctx) != ECL_OK) return 1;
    }
    uint64_t gc_before = ecl_diag_gc_collections();
    double t0 = now_s();
    for (int t = 0; t < n; t++) pthread_create(&tid[t], NULL, run_worker, &w[t]);
    for (int t = 0; t < n; t++) pthread_join(tid[t], NULL);
    double seconds = now_s() - t0;
    uint64_t gcs = ecl_diag_gc_collections() - gc_before;
    uint64_t mismatches = 0, errors = 0, allocated = 0;
    for (int t = 0; t < n; t++) {
        mismatches += w[t].mismatches;
        errors += w[t].errors;
        allocated += w[t].allocated;
        ecl_context_free(w[t].ctx);
    }
    pthread_barrier_destroy(&start);
    printf("%s: %llu classifications on %d threads in %.1f s: %llu differ from the single-threaded pass, %llu errors, "
           "%llu managed bytes allocated, %llu collections\n", name, (unsigned long long)total, n, seconds,
           (unsigned long long)mismatches, (unsigned long long)errors, (unsigned long long)allocated, (unsigned long long)gcs);
    return mismatches || errors || allocated || gcs;
}

static int soak_mode(ecl_model *model, uint64_t total, const char *name)
{
    ecl_context *ctx;
    ecl_result r;
    if (ecl_context_create(model, &ctx) != ECL_OK) return 1;
    uint64_t mismatches = 0, errors = 0;
    uint64_t gc0 = ecl_diag_gc_collections(), alloc0 = ecl_diag_thread_allocated_bytes();
    long rss_first = -1, rss_max = 0;
    double t0 = now_s();
    for (int checkpoint = 1; checkpoint <= 10; checkpoint++) {
        uint64_t end = total * (uint64_t)checkpoint / 10;
        for (uint64_t k = total * (uint64_t)(checkpoint - 1) / 10; k < end; k++) {
            int a = (int)(k % INPUTS);
            if (ecl_classify(ctx, snr[a], mask[a], &r) != ECL_OK) errors++;
            else if (memcmp(&r, &expected[a], sizeof r) != 0) mismatches++;
        }
        long rss = rss_kib();
        if (rss_first < 0) rss_first = rss;
        if (rss > rss_max) rss_max = rss;
        printf("soak %s: %llu calls, %.1f s, VmRSS %ld KiB, collections %llu, managed bytes allocated %llu\n", name,
               (unsigned long long)end, now_s() - t0, rss, (unsigned long long)(ecl_diag_gc_collections() - gc0),
               (unsigned long long)(ecl_diag_thread_allocated_bytes() - alloc0));
        fflush(stdout);
    }
    uint64_t gcs = ecl_diag_gc_collections() - gc0, allocated = ecl_diag_thread_allocated_bytes() - alloc0;
    ecl_context_free(ctx);
    printf("soak %s: %llu classifications, %.1f us mean, %llu differ, %llu errors, VmRSS growth after the first "
           "checkpoint %ld KiB\n", name, (unsigned long long)total, (now_s() - t0) * 1e6 / (double)total,
           (unsigned long long)mismatches, (unsigned long long)errors, rss_max - rss_first);
    return mismatches || errors || gcs || allocated || rss_max - rss_first > 1024;
}

int main(int argc, char **argv)
{
    if (argc < 5 || (strcmp(argv[3], "threads") == 0 && argc < 6)) {
        fprintf(stderr, "usage: concurrency_test <model.eclw> <alerts.eclv|-> threads <n> <total> | soak <total>\n");
        return 2;
    }
    const char *name = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
    int soak = strcmp(argv[3], "soak") == 0;
    ecl_model *model;
    if (ecl_init() != ECL_OK || ecl_model_load_file(argv[1], &model) != ECL_OK) {
        fprintf(stderr, "cannot load %s\n", argv[1]);
        printf("%s %s: 0 passed, 1 failed\n", argv[3], name);
        return 1;
    }
    if (strcmp(argv[2], "-") == 0) {
        make_inputs();
    } else if (!read_vectors(argv[2])) {
        fprintf(stderr, "cannot read 64 alerts from %s\n", argv[2]);
        printf("%s %s: 0 passed, 1 failed\n", argv[3], name);
        return 1;
    }

    /* The reference: one context on this thread, each input once; then a repeat must give the same bits. */
    ecl_context *ctx;
    int failed = ecl_context_create(model, &ctx) != ECL_OK;
    int distinct = 0;
    for (int a = 0; a < INPUTS && !failed; a++) {
        ecl_status s = ecl_classify(ctx, snr[a], mask[a], &expected[a]);
        if (s != ECL_OK) fprintf(stderr, "input %d: %s\n", a, ecl_status_string(s));
        failed |= s != ECL_OK;
        int seen = 0;
        for (int b = 0; b < a; b++) seen |= memcmp(&expected[a], &expected[b], sizeof expected[a]) == 0;
        distinct += !seen;
    }
    for (int a = 0; a < INPUTS && !failed; a++) {
        ecl_result again;
        failed |= ecl_classify(ctx, snr[a], mask[a], &again) != ECL_OK || memcmp(&again, &expected[a], sizeof again) != 0;
    }
    ecl_context_free(ctx);
    if (distinct < 8) {
        fprintf(stderr, "only %d distinct answers over %d inputs: the comparison would mean little\n", distinct, INPUTS);
        failed = 1;
    }

    if (!failed) {
        if (soak) {
            failed = soak_mode(model, strtoull(argv[4], NULL, 10), name);
        } else {
            int n = atoi(argv[4]);
            if (n < 1 || n > MAX_THREADS) n = 4;
            failed = threads_mode(model, n, strtoull(argv[5], NULL, 10), name);
        }
    }
    ecl_model_free(model);
    printf("%s %s: %d passed, %d failed\n", soak ? "soak" : "concurrency", name, failed ? 0 : 1, failed ? 1 : 0);
    return failed;
}
