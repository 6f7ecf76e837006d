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
 * Arguments "mark=<hex address>" and "marks=<path>": each time the instruction at that guest address executes, the
 * running count is recorded; at exit the counts go to <path>, one per line. Differences between consecutive marks are
 * the instructions executed between them, exactly (both counts include whole blocks the same way), so a harness that
 * calls a marker function before and after each inference gets every inference's count from one run.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static uint64_t executed;
static char outfile[512];
static char marksfile[512];
static uint64_t mark_address;
static int marking;
static uint64_t *marks;
static size_t mark_count;
static size_t mark_capacity;

static void on_mark(unsigned int vcpu, void *data)
{
    (void)vcpu;
    (void)data;
    if (mark_count == mark_capacity) {
        size_t capacity = mark_capacity == 0 ? 1024 : 2 * mark_capacity;
        uint64_t *grown = realloc(marks, capacity * sizeof *grown);
        if (grown == NULL) {
            return;
        }
        marks = grown;
        mark_capacity = capacity;
    }
    marks[mark_count++] = executed;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed,
                                             qemu_plugin_tb_n_insns(tb));
    if (marking) {
        for (size_t i = 0; i < qemu_plugin_tb_n_insns(tb); i++) {
            struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
            if (qemu_plugin_insn_vaddr(insn) == mark_address) {
                qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
            }
        }
    }
}

static void on_plugin_exit(qemu_plugin_id_t id, void *data)
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
    if (marksfile[0] != '\0') {
        FILE *f = fopen(marksfile, "w");
        if (f != NULL) {
            for (size_t i = 0; i < mark_count; i++) {
                fprintf(f, "%" PRIu64 "\n", marks[i]);
            }
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
        } else if (strncmp(argv[i], "marks=", 6) == 0 && strlen(argv[i] + 6) < sizeof marksfile) {
            strcpy(marksfile, argv[i] + 6);
        } else if (strncmp(argv[i], "mark=", 5) == 0) {
            mark_address = strtoull(argv[i] + 5, NULL, 16);
            marking = 1;
        } else {
            fprintf(stderr, "insn_count: unknown argument '%s'\n", argv[i]);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_plugin_exit, NULL);
    return 0;
}
