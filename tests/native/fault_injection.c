/* Single-event-upset injection at the C ABI: flips bits of a loaded model's memory (reached through the test-only
 * export ecl_diag_model_parameters: region 0 is the plan, header and steps; region 1 the parameters), one at a time,
 * and checks that ecl_model_verify reports every flip with ECL_E_MODEL_CHECKSUM, then flips the bit back and
 * (periodically) checks the model verifies again. Every bit of the plan region is always flipped; then
 *
 *   fault_injection <model.eclw> all            every bit of every region
 *   fault_injection <model.eclw> <n> [seed]     n bits drawn uniformly (seeded xorshift64*, with replacement)
 *
 * Also times ecl_model_verify on the intact model (mean and best of 200 calls, after a warm-up) for the scrubbing
 * schedule of docs/robustness.md. Prints "fault injection <model>: 1 passed, 0 failed" (one verdict per model).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "eclairs_onboard.h"

#define MAX_REGIONS 4096

static unsigned char *region_data[MAX_REGIONS];
static size_t region_bytes[MAX_REGIONS];
static uint64_t region_first_bit[MAX_REGIONS + 1];

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Region holding global bit index `bit` (binary search over the cumulative bit counts). */
static int region_of(uint64_t bit, int regions)
{
    int lo = 0, hi = regions - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (region_first_bit[mid] <= bit) lo = mid; else hi = mid - 1;
    }
    return lo;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: fault_injection <model.eclw> all|<n> [seed]\n");
        return 2;
    }
    const char *path = argv[1];
    int all = strcmp(argv[2], "all") == 0;
    uint64_t samples = all ? 0 : strtoull(argv[2], NULL, 10);
    uint64_t state = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    if (state == 0) state = 1;
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

    ecl_model *model = NULL;
    ecl_status s = ecl_model_load_file(path, &model);
    if (s != ECL_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path, ecl_status_string(s));
        printf("fault injection %s: 0 passed, 1 failed\n", name);
        return 1;
    }

    int regions = 0;
    region_first_bit[0] = 0;
    for (;;) {
        void *data;
        size_t bytes;
        s = ecl_diag_model_parameters(model, (uint32_t)regions, &data, &bytes);
        if (s == ECL_E_INPUT_RANGE) break;
        if (s != ECL_OK || data == NULL || bytes == 0 || regions == MAX_REGIONS) {
            fprintf(stderr, "region %d: %s\n", regions, ecl_status_string(s));
            printf("fault injection %s: 0 passed, 1 failed\n", name);
            return 1;
        }
        region_data[regions] = data;
        region_bytes[regions] = bytes;
        region_first_bit[regions + 1] = region_first_bit[regions] + (uint64_t)bytes * 8u;
        regions++;
    }
    uint64_t total_bits = region_first_bit[regions];
    if (regions == 0 || ecl_model_verify(model) != ECL_OK) {
        fprintf(stderr, "no parameter regions, or the intact model does not verify\n");
        printf("fault injection %s: 0 passed, 1 failed\n", name);
        return 1;
    }

    /* Cost of one scrub on the intact model. */
    for (int i = 0; i < 20; i++) (void)ecl_model_verify(model);
    double best = 1e30, sum = 0;
    for (int i = 0; i < 200; i++) {
        double t0 = now_us();
        s = ecl_model_verify(model);
        double dt = now_us() - t0;
        sum += dt;
        if (dt < best) best = dt;
    }
    printf("%s: %d regions, %llu bytes (plan and parameters); ecl_model_verify mean %.1f us, best %.1f us (200 calls)\n",
           name, regions, (unsigned long long)(total_bits / 8), sum / 200, best);

    uint64_t plan_bits = (uint64_t)region_bytes[0] * 8u, plan_missed = 0;
    double t0 = now_us();
    for (uint64_t bit = 0; bit < plan_bits; bit++) {
        unsigned char *byte = region_data[0] + bit / 8;
        unsigned char flip = (unsigned char)(1u << (bit % 8));
        *(volatile unsigned char *)byte ^= flip;
        s = ecl_model_verify(model);
        *(volatile unsigned char *)byte ^= flip;
        if (s != ECL_E_MODEL_CHECKSUM) {
            if (plan_missed < 10)
                fprintf(stderr, "NOT DETECTED: plan byte %llu bit %u (status %d)\n", (unsigned long long)(bit / 8), (unsigned)(bit % 8), (int)s);
            plan_missed++;
        }
    }
    printf("%s: detected %llu of %llu single-bit flips of the plan (every bit of %zu bytes), %.1f s\n", name,
           (unsigned long long)(plan_bits - plan_missed), (unsigned long long)plan_bits, region_bytes[0], (now_us() - t0) / 1e6);

    uint64_t flips = all ? total_bits : samples, missed = plan_missed, wrong_after_restore = 0;
    t0 = now_us();
    for (uint64_t k = 0; k < flips; k++) {
        uint64_t bit = all ? k : next_random(&state) % total_bits;
        int r = region_of(bit, regions);
        uint64_t offset = bit - region_first_bit[r];
        unsigned char *byte = region_data[r] + offset / 8;
        unsigned char flip = (unsigned char)(1u << (offset % 8));
        *(volatile unsigned char *)byte ^= flip;
        s = ecl_model_verify(model);
        *(volatile unsigned char *)byte ^= flip;
        if (s != ECL_E_MODEL_CHECKSUM) {
            if (missed < 10)
                fprintf(stderr, "NOT DETECTED: region %d byte %llu bit %u (status %d)\n", r,
                        (unsigned long long)(offset / 8), (unsigned)(offset % 8), (int)s);
            missed++;
        }
        if ((k & 1023) == 1023 || k + 1 == flips) {
            if (ecl_model_verify(model) != ECL_OK) wrong_after_restore++;
        }
    }
    double seconds = (now_us() - t0) / 1e6;
    printf("%s: detected %llu of %llu single-bit flips (%s), %.1f s\n", name,
           (unsigned long long)(flips - (missed - plan_missed)), (unsigned long long)flips, all ? "every bit" : "seeded sample", seconds);
    ecl_model_free(model);
    int ok = missed == 0 && wrong_after_restore == 0 && flips > 0;
    if (wrong_after_restore) fprintf(stderr, "the restored model failed to verify %llu times\n", (unsigned long long)wrong_after_restore);
    printf("fault injection %s: %d passed, %d failed\n", name, ok ? 1 : 0, ok ? 0 : 1);
    return ok ? 0 : 1;
}
