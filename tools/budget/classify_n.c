/*
 * classify_n — the workload the instruction counters measure (C99, linked against libeclairs_onboard).
 *
 *   classify_n <model.eclw> <vectors.eclv> <calls>
 *
 * Loads the model, creates a context, reads the FIRST alert of a .eclv vector file (a real simulated alert; the
 * model's CRC is not checked, so one file serves every model), classifies it once to warm up, then `calls` more
 * times (0 allowed). Instructions per inference = (count with N calls - count with 0 calls) / N: the difference
 * removes start-up, loading and the warm-up call. Prints the last result so runs can be compared.
 */
#include "eclairs_onboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIXELS ECL_SUBIMAGE_PIXELS

static float snr[PIXELS];
static uint8_t mask[PIXELS];

static int read_first_alert(const char *path)
{
    uint8_t header[20], raw[4 * PIXELS];
    int k;
    FILE *f = fopen(path, "rb");
    int ok = f != NULL && fread(header, 1, sizeof header, f) == sizeof header && memcmp(header, "ECLV", 4) == 0
             && fread(raw, 1, sizeof raw, f) == sizeof raw && fread(mask, 1, sizeof mask, f) == sizeof mask;
    if (f != NULL) fclose(f);
    if (!ok) return 0;
    for (k = 0; k < PIXELS; k++) {
        uint32_t bits = (uint32_t)raw[4 * k] | (uint32_t)raw[4 * k + 1] << 8 | (uint32_t)raw[4 * k + 2] << 16
                        | (uint32_t)raw[4 * k + 3] << 24;
        memcpy(&snr[k], &bits, sizeof bits);
    }
    return 1;
}

int main(int argc, char **argv)
{
    ecl_model *model = NULL;
    ecl_context *ctx = NULL;
    ecl_result r;
    ecl_status s;
    char *end;
    long calls, i;

    if (argc != 4) {
        fprintf(stderr, "usage: classify_n <model.eclw> <vectors.eclv> <calls>\n");
        return 2;
    }
    calls = strtol(argv[3], &end, 10);
    if (*end != '\0' || calls < 0) {
        fprintf(stderr, "classify_n: calls must be a count >= 0\n");
        return 2;
    }
    if (!read_first_alert(argv[2])) {
        fprintf(stderr, "classify_n: cannot read an alert from %s\n", argv[2]);
        return 2;
    }
    s = ecl_init();
    if (s == ECL_OK) s = ecl_model_load_file(argv[1], &model);
    if (s == ECL_OK) s = ecl_context_create(model, &ctx);
    if (s == ECL_OK) s = ecl_classify(ctx, snr, mask, &r);
    for (i = 0; i < calls && s == ECL_OK; i++) s = ecl_classify(ctx, snr, mask, &r);
    if (s != ECL_OK) {
        fprintf(stderr, "classify_n: %s\n", ecl_status_string(s));
        return 1;
    }
    printf("logit %.9g raw %d decision %d after %ld calls\n", (double)r.logit, (int)r.raw_logit, (int)r.is_true_alert, calls + 1);
    ecl_context_free(ctx);
    ecl_model_free(model);
    return 0;
}
