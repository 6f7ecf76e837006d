/*
 * eclairs_onboard_loader.c — the x64 libeclairs_onboard.so: a small loader in front of several NativeAOT builds of
 * the same library, so the library a user links runs the widest kernels the CPU has (docs/native-paths.md).
 *
 * NativeAOT fixes Vector256/Vector512 acceleration when it compiles (IlcInstructionSet): one binary cannot use AVX2
 * or AVX-512 where present and still run where not. tools/build-native.sh therefore builds the library three times,
 *   libeclairs_onboard-x86-64-v4.so   (AVX-512: the int8 and float Vector512 kernels)
 *   libeclairs_onboard-x86-64-v3.so   (AVX2 + FMA: the Vector256 kernels)
 *   libeclairs_onboard-x86-64.so      (the baseline every x64 CPU runs: Vector128 float, scalar int8)
 * and links this file with generated trampolines (one `jmp *slot` per ecl_* export of the baseline build, so every
 * export is forwarded whatever its signature, and an export added to the managed library is forwarded without an
 * edit here). At load time (an ELF constructor, before any call) it reads CPUID and XGETBV, picks the widest
 * variant whose instruction set the CPU and the OS support, dlopens it from this library's own directory, and fills
 * the slots with its entry points. Each call then costs one indirect jump.
 *
 * ECLAIRS_ONBOARD_FLAVOUR=x86-64-v3 (or -v4, or x86-64) forces a variant, for tests replaying golden vectors on
 * every path a machine runs; a variant the CPU cannot run is refused (a NativeAOT binary would abort on it) and the
 * best one is taken instead, with a message on stderr. If no variant can be loaded, every call aborts with a message
 * naming the directory searched: a deployment error, not something a caller can recover from.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* From the generated trampolines file: the export names and one slot per export. */
extern const char *const ecl_loader_names[];
extern const unsigned ecl_loader_count;
extern void *ecl_loader_slots[];

typedef struct {
    const char *name;
    int (*supported)(void);
} flavour;

static uint64_t xgetbv0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

/* x86-64-v3: AVX, AVX2, BMI1, BMI2, F16C, FMA, LZCNT, MOVBE, with the OS saving the YMM state. */
static int supports_v3(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    unsigned ecx1 = c;
    int osxsave = (ecx1 >> 27) & 1, avx = (ecx1 >> 28) & 1, fma = (ecx1 >> 12) & 1, movbe = (ecx1 >> 22) & 1, f16c = (ecx1 >> 29) & 1;
    if (!osxsave || !avx || !fma || !movbe || !f16c) return 0;
    if ((xgetbv0() & 0x6) != 0x6) return 0; /* XMM and YMM state */
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int avx2 = (b >> 5) & 1, bmi1 = (b >> 3) & 1, bmi2 = (b >> 8) & 1;
    if (!avx2 || !bmi1 || !bmi2) return 0;
    if (!__get_cpuid(0x80000001, &a, &b, &c, &d)) return 0;
    int lzcnt = (c >> 5) & 1; /* ABM */
    return lzcnt;
}

/* x86-64-v4: v3 plus AVX-512 F, BW, CD, DQ, VL, with the OS saving the opmask and ZMM state. */
static int supports_v4(void)
{
    unsigned a, b, c, d;
    if (!supports_v3()) return 0;
    if ((xgetbv0() & 0xE6) != 0xE6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int f = (b >> 16) & 1, dq = (b >> 17) & 1, cd = (b >> 28) & 1, bw = (b >> 30) & 1, vl = (b >> 31) & 1;
    return f && dq && cd && bw && vl;
}

static int supports_baseline(void)
{
    return 1;
}

/* Widest first. */
static const flavour flavours[] = {
    { "x86-64-v4", supports_v4 },
    { "x86-64-v3", supports_v3 },
    { "x86-64", supports_baseline },
};
#define FLAVOUR_COUNT (sizeof flavours / sizeof flavours[0])

static char directory[4096];

static void unloaded(void)
{
    fprintf(stderr, "eclairs_onboard: no compiled variant (libeclairs_onboard-x86-64*.so) could be loaded from %s\n", directory);
    abort();
}

static int load(const flavour *f)
{
    char path[4096 + 64];
    if (snprintf(path, sizeof path, "%s/libeclairs_onboard-%s.so", directory, f->name) >= (int)sizeof path) return 0;
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return 0;
    for (unsigned i = 0; i < ecl_loader_count; i++) {
        void *entry = dlsym(library, ecl_loader_names[i]);
        if (entry == NULL) {
            fprintf(stderr, "eclairs_onboard: %s lacks %s\n", path, ecl_loader_names[i]);
            return 0; /* the library stays open (NativeAOT libraries are never unloaded); nothing of it is used */
        }
        ecl_loader_slots[i] = entry;
    }
    return 1;
}

__attribute__((constructor)) static void eclairs_onboard_choose(void)
{
    for (unsigned i = 0; i < ecl_loader_count; i++) ecl_loader_slots[i] = (void *)unloaded;
    Dl_info self;
    if (dladdr((void *)eclairs_onboard_choose, &self) && self.dli_fname != NULL) {
        snprintf(directory, sizeof directory, "%s", self.dli_fname);
        char *slash = strrchr(directory, '/');
        if (slash != NULL) *slash = '\0'; else snprintf(directory, sizeof directory, ".");
    } else {
        snprintf(directory, sizeof directory, ".");
    }
    const char *forced = getenv("ECLAIRS_ONBOARD_FLAVOUR");
    if (forced != NULL && *forced != '\0') {
        for (unsigned k = 0; k < FLAVOUR_COUNT; k++) {
            if (strcmp(forced, flavours[k].name) != 0) continue;
            if (!flavours[k].supported()) {
                fprintf(stderr, "eclairs_onboard: ECLAIRS_ONBOARD_FLAVOUR=%s is not supported by this CPU; taking the best variant\n", forced);
            } else if (load(&flavours[k])) {
                return;
            }
        }
    }
    for (unsigned k = 0; k < FLAVOUR_COUNT; k++) {
        if (flavours[k].supported() && load(&flavours[k])) return;
    }
}
