/*
 * ecl_classify of the native library against ONNX Runtime's C API, one thread, batch 1, interleaved in one process:
 *
 *   ecl_vs_ort [--alerts <file.eclv>] <rounds> <calls> <name> <model.eclw> <model.onnx> [<name> <model.eclw> <model.onnx> ...]
 *
 * With --alerts, the calls cycle through the inputs of the file's records (golden vectors: up to 64 recorded test-split
 * alerts), call k of round r on alert (r * calls + k) mod n, engine and ORT alike: the engine's dense layers skip zero inputs, so its time
 * depends on the alert, and one synthetic alert is not what it meets. Without, every call classifies one synthetic alert.
 *
 * Each pair is a model in the engine's format and the ONNX graph `eclairs export-onnx` writes for it (float32: a
 * float graph; int8: a QDQ graph, which ORT fuses into QLinearConv / QGemm). An ONNX path prefixed "precise:" sets
 * ORT's session.x64quantprecision = 1 (uint8 x uint8 products: no PMADDUBSW saturation on CPUs without VNNI,
 * docs/onnx.md). Every round times <calls> classifications of every engine and every ORT session in turn, on the same
 * alert, so load on the machine hits all of them alike; per entry it prints the median and the minimum of the
 * per-call times over the rounds, and the ratio of medians to the first ORT session (the float graph). ORT is set up
 * as OrtSingleThread.cs does: 1 intra-op and 1 inter-op thread, sequential, ORT_ENABLE_ALL, inputs and output bound
 * once with IoBinding; each ORT call includes copying the SNR and widening the mask to float (the engine's call
 * includes validating them). Before timing, each pair must agree: decisions equal, logits within 0.05 (int8 graphs
 * requantize in float: up to a code or two of difference, docs/onnx.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "eclairs_onboard.h"
#include "onnxruntime_c_api.h"

#define MAX_PAIRS 8
#define PIXELS ECL_SUBIMAGE_PIXELS

static const OrtApi *ort;

static void ort_check(OrtStatus *s, const char *what)
{
    if (s != NULL) {
        fprintf(stderr, "ONNX Runtime: %s: %s\n", what, ort->GetErrorMessage(s));
        ort->ReleaseStatus(s);
        exit(1);
    }
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

typedef struct {
    const char *name;
    ecl_model *model;
    ecl_context *context;
    ecl_kernel_info kernels;
    OrtSession *session;
    OrtIoBinding *binding;
    float ort_snr[PIXELS], ort_mask[PIXELS], ort_logit;
    double *ecl_times, *ort_times;
} pair;

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A deterministic alert: background SNR noise, a point-like peak at the trigger pixel, a known source, masked edges. */
static void make_alert(float *snr, uint8_t *mask)
{
    uint64_t state = 88172645463325252ull;
    for (int i = 0; i < PIXELS; i++) {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17;
        double u1 = ((state >> 11) + 1) * (1.0 / 9007199254740993.0);
        state ^= state << 13; state ^= state >> 7; state ^= state << 17;
        double u2 = ((state >> 11) + 1) * (1.0 / 9007199254740993.0);
        int y = i / ECL_SUBIMAGE_SIDE, x = i % ECL_SUBIMAGE_SIDE;
        double dy = y - 28, dx = x - 28;
        snr[i] = (float)(sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2) + 7.0 * exp(-(dx * dx + dy * dy) / 3.0));
        mask[i] = (uint8_t)(y < 3 ? ECL_MASK_IGNORE : ((x - 10) * (x - 10) + (y - 40) * (y - 40) < 9 ? ECL_MASK_KNOWN_SOURCE : ECL_MASK_BACKGROUND));
        if (mask[i] == ECL_MASK_IGNORE) snr[i] = NAN; /* must be ignored */
    }
    mask[28 * ECL_SUBIMAGE_SIDE + 28] = ECL_MASK_TRIGGER;
}

#define MAX_ALERTS 64
static float alert_snr[MAX_ALERTS][PIXELS];
static uint8_t alert_mask[MAX_ALERTS][PIXELS];

/* The inputs of the first records of an .eclv file (20-byte header; per record snr, mask, logit, raw logit, decision). */
static int read_alerts(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char header[20];
    int n = 0;
    if (f == NULL || fread(header, 1, sizeof header, f) != sizeof header || memcmp(header, "ECLV", 4) != 0) {
        if (f) fclose(f);
        return 0;
    }
    while (n < MAX_ALERTS) {
        unsigned char tail[12];
        if (fread(alert_snr[n], sizeof(float), PIXELS, f) != PIXELS || fread(alert_mask[n], 1, PIXELS, f) != PIXELS
            || fread(tail, 1, sizeof tail, f) != sizeof tail) break;
        n++;
    }
    fclose(f);
    return n;
}

static float ort_classify(pair *p, const float *snr, const uint8_t *mask)
{
    for (int i = 0; i < PIXELS; i++) {
        p->ort_snr[i] = snr[i]; /* the graph's Where(mask == 0, 0, snr) drops the NaN of masked pixels, as the engine does */
        p->ort_mask[i] = (float)mask[i];
    }
    ort_check(ort->RunWithBinding(p->session, NULL, p->binding), "RunWithBinding");
    return p->ort_logit;
}

int main(int argc, char **argv)
{
    int alerts = 1;
    if (argc > 2 && strcmp(argv[1], "--alerts") == 0) {
        alerts = read_alerts(argv[2]);
        if (alerts == 0) {
            fprintf(stderr, "cannot read alerts from %s\n", argv[2]);
            return 2;
        }
        argc -= 2;
        argv += 2;
    }
    if (argc < 6 || (argc - 3) % 3 != 0 || (argc - 3) / 3 > MAX_PAIRS) {
        fprintf(stderr, "usage: ecl_vs_ort [--alerts <file.eclv>] <rounds> <calls> <name> <model.eclw> <[precise:]model.onnx> [...]\n");
        return 2;
    }
    int rounds = atoi(argv[1]), calls = atoi(argv[2]), pairs = (argc - 3) / 3;
    ort = OrtGetApiBase()->GetApi(ORT_API_VERSION);
    if (ecl_init() != ECL_OK || ort == NULL) return 1;
    OrtEnv *env;
    ort_check(ort->CreateEnv(ORT_LOGGING_LEVEL_WARNING, "ecl_vs_ort", &env), "CreateEnv");
    OrtMemoryInfo *cpu;
    ort_check(ort->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &cpu), "CreateCpuMemoryInfo");
    if (alerts == 1) make_alert(alert_snr[0], alert_mask[0]);
    const float *snr = alert_snr[0];
    const uint8_t *mask = alert_mask[0];
    static pair all[MAX_PAIRS];
    const int64_t image[4] = { 1, 1, ECL_SUBIMAGE_SIDE, ECL_SUBIMAGE_SIDE }, scalar[2] = { 1, 1 };
    for (int k = 0; k < pairs; k++) {
        pair *p = &all[k];
        p->name = argv[3 + 3 * k];
        if (ecl_model_load_file(argv[4 + 3 * k], &p->model) != ECL_OK || ecl_context_create(p->model, &p->context) != ECL_OK
            || ecl_model_get_kernel_info(p->model, &p->kernels) != ECL_OK) {
            fprintf(stderr, "cannot load %s\n", argv[4 + 3 * k]);
            return 1;
        }
        const char *onnx = argv[5 + 3 * k];
        OrtSessionOptions *options;
        ort_check(ort->CreateSessionOptions(&options), "CreateSessionOptions");
        ort_check(ort->SetIntraOpNumThreads(options, 1), "SetIntraOpNumThreads");
        ort_check(ort->SetInterOpNumThreads(options, 1), "SetInterOpNumThreads");
        ort_check(ort->SetSessionExecutionMode(options, ORT_SEQUENTIAL), "SetSessionExecutionMode");
        ort_check(ort->SetSessionGraphOptimizationLevel(options, ORT_ENABLE_ALL), "SetSessionGraphOptimizationLevel");
        if (strncmp(onnx, "precise:", 8) == 0) {
            onnx += 8;
            ort_check(ort->AddSessionConfigEntry(options, "session.x64quantprecision", "1"), "x64quantprecision");
        }
        ort_check(ort->CreateSession(env, onnx, options, &p->session), onnx);
        ort->ReleaseSessionOptions(options);
        ort_check(ort->CreateIoBinding(p->session, &p->binding), "CreateIoBinding");
        OrtValue *in_snr, *in_mask, *out_logit;
        ort_check(ort->CreateTensorWithDataAsOrtValue(cpu, p->ort_snr, sizeof p->ort_snr, image, 4, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &in_snr), "snr");
        ort_check(ort->CreateTensorWithDataAsOrtValue(cpu, p->ort_mask, sizeof p->ort_mask, image, 4, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &in_mask), "mask");
        ort_check(ort->CreateTensorWithDataAsOrtValue(cpu, &p->ort_logit, sizeof p->ort_logit, scalar, 2, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &out_logit), "logit");
        ort_check(ort->BindInput(p->binding, "snr", in_snr), "BindInput snr");
        ort_check(ort->BindInput(p->binding, "mask", in_mask), "BindInput mask");
        ort_check(ort->BindOutput(p->binding, "logit", out_logit), "BindOutput logit");
        p->ecl_times = calloc((size_t)rounds, sizeof(double));
        p->ort_times = calloc((size_t)rounds, sizeof(double));
        ecl_result r;
        if (ecl_classify(p->context, snr, mask, &r) != ECL_OK) return 1;
        float logit = ort_classify(p, snr, mask);
        printf("%s: engine logit %.4f (%s, %s, kernel path %u, %s), ONNX Runtime logit %.4f\n", p->name, r.logit,
               r.is_true_alert ? "true" : "false", p->kernels.instruction_set, p->kernels.kernel_path, p->kernels.lanes, logit);
        if (fabsf(logit - r.logit) > 0.05f + 0.02f * fabsf(r.logit)) {
            fprintf(stderr, "%s: the engine and ONNX Runtime disagree (%f, %f)\n", p->name, r.logit, logit);
            return 1;
        }
        int decisions = 0;
        for (int a = 0; a < alerts; a++) {
            if (ecl_classify(p->context, alert_snr[a], alert_mask[a], &r) != ECL_OK) return 1;
            decisions += (ort_classify(p, alert_snr[a], alert_mask[a]) >= 0.0f) != (r.logit >= 0.0f);
        }
        if (alerts > 1) printf("%s: %d alerts, logit signs differ on %d\n", p->name, alerts, decisions);
    }
    /* Warm-up: one round untimed. */
    for (int k = 0; k < pairs; k++) {
        ecl_result r;
        for (int c = 0; c < calls; c++) {
            ecl_classify(all[k].context, alert_snr[c % alerts], alert_mask[c % alerts], &r);
            ort_classify(&all[k], alert_snr[c % alerts], alert_mask[c % alerts]);
        }
    }
    uint64_t gcs = ecl_diag_gc_collections();
    for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < pairs; k++) {
            pair *p = &all[k];
            ecl_result r;
            double t0 = now_ns();
            int base = round * calls; /* engine and ORT see the same alerts, and the rounds walk through all of them */
            for (int c = 0; c < calls; c++) ecl_classify(p->context, alert_snr[(base + c) % alerts], alert_mask[(base + c) % alerts], &r);
            double t1 = now_ns();
            for (int c = 0; c < calls; c++) ort_classify(p, alert_snr[(base + c) % alerts], alert_mask[(base + c) % alerts]);
            double t2 = now_ns();
            p->ecl_times[round] = (t1 - t0) / calls / 1e3;
            p->ort_times[round] = (t2 - t1) / calls / 1e3;
        }
    }
    double reference = 0;
    printf("| model | ecl_classify median | min | ONNX Runtime median | min | engine / this ORT | engine / first ORT |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (int k = 0; k < pairs; k++) {
        pair *p = &all[k];
        double emin = 1e30, omin = 1e30;
        for (int i = 0; i < rounds; i++) { if (p->ecl_times[i] < emin) emin = p->ecl_times[i]; if (p->ort_times[i] < omin) omin = p->ort_times[i]; }
        double e = median(p->ecl_times, rounds), o = median(p->ort_times, rounds);
        if (k == 0) reference = o;
        printf("| %s | %.1f us | %.1f us | %.1f us | %.1f us | %.2f | %.2f |\n", p->name, e, emin, o, omin, e / o, e / reference);
    }
    printf("rounds %d x %d calls per entry, interleaved, %s; garbage collections during timing: %llu\n", rounds, calls,
           alerts > 1 ? "cycling through the recorded alerts" : "one synthetic alert", (unsigned long long)(ecl_diag_gc_collections() - gcs));
    return 0;
}
