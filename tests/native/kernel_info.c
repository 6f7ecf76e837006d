/* Prints how a model runs in the library loaded (ecl_model_get_kernel_info) and checks it against expectations:
 *
 *   kernel_info <model.eclw> [<instruction set> <kernel path> [<kernel of step 1> ...]]
 *
 * e.g. `kernel_info cnn.int8.eclw x86-64-v3 3 6 0 5 0 12 12` (Vector256: pair Winograd + fused pool, F(4x4) + fused
 * pool, two dense layers). Prints "kernel info <model>: 1 passed, 0 failed" when every given expectation holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "eclairs_onboard.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: kernel_info <model.eclw> [<instruction set> <kernel path> [<kernel> ...]]\n");
        return 2;
    }
    const char *name = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
    ecl_model *model = NULL;
    ecl_kernel_info info;
    int ok = ecl_model_load_file(argv[1], &model) == ECL_OK
             && ecl_model_get_kernel_info(NULL, &info) == ECL_E_NULL_ARGUMENT
             && ecl_model_get_kernel_info(model, NULL) == ECL_E_NULL_ARGUMENT
             && ecl_model_get_kernel_info(model, &info) == ECL_OK;
    if (ok) {
        ok = memchr(info.instruction_set, '\0', sizeof info.instruction_set) != NULL && memchr(info.lanes, '\0', sizeof info.lanes) != NULL
             && info.kernel_path >= 1 && info.kernel_path <= 4 && info.step_count >= 1 && info.step_count <= 64;
    }
    if (ok) {
        printf("%s: %s, kernel path %u (%s), %u steps:", name, info.instruction_set, info.kernel_path, info.lanes, info.step_count);
        for (uint32_t i = 0; i < info.step_count; i++) printf(" %u", info.step_kernel[i]);
        printf("\n");
        for (uint32_t i = info.step_count; i < 64; i++) ok &= info.step_kernel[i] == 0;
        if (argc > 2 && strcmp(argv[2], info.instruction_set) != 0) {
            fprintf(stderr, "instruction set %s, expected %s\n", info.instruction_set, argv[2]);
            ok = 0;
        }
        if (argc > 3 && strtoul(argv[3], NULL, 10) != info.kernel_path) {
            fprintf(stderr, "kernel path %u, expected %s\n", info.kernel_path, argv[3]);
            ok = 0;
        }
        if (argc > 4 && (uint32_t)(argc - 4) != info.step_count) {
            fprintf(stderr, "%u steps, expected %d\n", info.step_count, argc - 4);
            ok = 0;
        }
        for (int i = 4; ok && i < argc; i++) {
            if (strtoul(argv[i], NULL, 10) != info.step_kernel[i - 4]) {
                fprintf(stderr, "step %d runs kernel %u, expected %s\n", i - 4, info.step_kernel[i - 4], argv[i]);
                ok = 0;
            }
        }
    }
    ecl_model_free(model);
    printf("kernel info %s: %d passed, %d failed\n", name, ok ? 1 : 0, ok ? 0 : 1);
    return ok ? 0 : 1;
}
