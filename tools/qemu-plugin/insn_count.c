/*
 * Eclairs.Onboard instruction counter: a QEMU TCG plugin that counts every guest instruction executed,
 * for machines without hardware counters (TOOLCHAIN.md). Works with qemu-user (qemu-aarch64) and
 * qemu-system (qemu-system-sparc -M leon3_generic) of the same QEMU version as the header it was built with.
 *
 * Counting is an inline add of each translation block's instruction count when the block starts, so a
 * block left early by an exception is counted whole: counts repeat run to run within a few tens of
 * instructions. Per-inference figures are therefore taken as differences of two runs (N and 0 inferences).
 *
 * Output at exit, through QEMU's log (-d plugin): "insn_count: <total>".
 * Argument "outfile=<path>" also writes the bare number to that file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static uint64_t executed;
static char outfile[512];

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed,
                                             qemu_plugin_tb_n_insns(tb));
}

static void on_exit(qemu_plugin_id_t id, void *data)
{
    (void)id;
    (void)data;
    char line[64];
    snprintf(line, sizeof line, "insn_count: %" PRIu64 "\n", executed);
    qemu_plugin_outs(line);
    if (outfile[0] != '\0') {
        FILE *f = fopen(outfile, "w");
        if (f != NULL) {
            fprintf(f, "%" PRIu64 "\n", executed);
            fclose(f);
        }
    }
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "outfile=", 8) == 0 && strlen(argv[i] + 8) < sizeof outfile) {
            strcpy(outfile, argv[i] + 8);
        } else {
            fprintf(stderr, "insn_count: unknown argument '%s'\n", argv[i]);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_exit, NULL);
    return 0;
}
