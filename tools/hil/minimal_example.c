/* The smallest complete use of libeclairs_onboard: boot, load, classify one alert, clean up.
 * Build: cc -std=c99 -I<include> minimal_example.c -L<lib> -leclairs_onboard -o minimal_example
 * Run:   ./minimal_example model.eclw */
#include "eclairs_onboard.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    static float snr[ECL_SUBIMAGE_PIXELS];
    static uint8_t mask[ECL_SUBIMAGE_PIXELS];
    ecl_model *model = NULL;
    ecl_context *ctx = NULL;
    ecl_result result;
    ecl_status s;
    int i;

    if (argc != 2) {
        fprintf(stderr, "usage: %s model.eclw\n", argv[0]);
        return 2;
    }
    if (ecl_abi_version() != ECL_ABI_VERSION) {
        fprintf(stderr, "library ABI %u, header ABI %u\n", ecl_abi_version(), ECL_ABI_VERSION);
        return 1;
    }

    /* At boot: start the runtime, load and check the model, make one context per thread. */
    s = ecl_init();
    if (s == ECL_OK) s = ecl_model_load_file(argv[1], &model);
    if (s == ECL_OK) s = ecl_context_create(model, &ctx);
    if (s != ECL_OK) {
        fprintf(stderr, "setup failed: %s\n", ecl_status_string(s));
        ecl_model_free(model);
        return 1;
    }

    /* Per alert: the 56 x 56 SNR sub-image and its mask, trigger pixel at row 28, column 28. */
    for (i = 0; i < ECL_SUBIMAGE_PIXELS; i++) {
        snr[i] = 0.0f;
        mask[i] = ECL_MASK_BACKGROUND;
    }
    snr[28 * ECL_SUBIMAGE_SIDE + 28] = 9.0f;
    mask[28 * ECL_SUBIMAGE_SIDE + 28] = ECL_MASK_TRIGGER;

    s = ecl_classify(ctx, snr, mask, &result);
    if (s != ECL_OK) {
        fprintf(stderr, "classify failed: %s\n", ecl_status_string(s));
    } else {
        printf("P(true alert) = %.4f, logit %.4f, decision: %s\n", (double)result.probability,
               (double)result.logit, result.is_true_alert ? "true alert" : "false alert");
    }

    /* Between alerts, scrub: re-check the parameters for bit flips. */
    if (ecl_model_verify(model) != ECL_OK) fprintf(stderr, "model corrupted in memory: reload it\n");

    ecl_context_free(ctx);
    ecl_model_free(model);
    return s == ECL_OK ? 0 : 1;
}
