/* The extreme inputs every harness classifies (tools/leon3/main.c on the targets, tests/codegen/replay.c on the host,
 * which must agree): every pixel at the SNR limits the input accepts (the codes clip at -128 and 127), alternating
 * limits, all mask 0 (NaN SNR, ignored), all mask 3 at SNR 0, all mask 0 at SNR 0. Needs model.h. */
#ifndef ECL_EXTREMES_H
#define ECL_EXTREMES_H

#include <stdint.h>

#define ECL_EXTREMES 6

static void ecl_extreme(int kind, float *snr, uint8_t *mask)
{
    union { uint32_t u; float f; } nan;
    nan.u = 0x7FC00000u;
    for (uint32_t i = 0; i < MODEL_INPUT_PIXELS; i++) {
        const float limit = ECL_I8_MAX_ABS_SNR;
        switch (kind) {
        case 0: snr[i] = limit; mask[i] = 3u; break;
        case 1: snr[i] = -limit; mask[i] = 3u; break;
        case 2: snr[i] = ((i + i / MODEL_INPUT_WIDTH) % 2u == 0u) ? limit : -limit; mask[i] = 1u; break;
        case 3: snr[i] = nan.f; mask[i] = 0u; break;
        case 4: snr[i] = 0.0f; mask[i] = 3u; break;
        default: snr[i] = 0.0f; mask[i] = 0u; break;
        }
    }
}

#endif
