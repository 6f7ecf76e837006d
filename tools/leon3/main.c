/* Bare-metal test program (LEON3 here; tools/cortex-m4 builds the same file with its own start-up and UART): replays the
 * embedded .eclv vectors (vectors.S) through the generated model (`eclairs codegen --prefix model`), then classifies
 * the extreme inputs, and prints on the console:
 *   "N passed, M failed"                      the vectors, raw logit and decision bit for bit
 *   "extremes: r1 r2 ..."                     raw logits of the extreme inputs (tests/codegen/run.sh compares them with
 *                                             the host build's)
 *   "stack: peak P bytes, bound B bytes"      the deepest stack any classification reached, measured by painting,
 *                                             against the generated worst-case bound (a peak above it fails)
 * Every classification is bracketed by calls to ecl_mark(), where the instruction-counting plugin (tools/qemu-plugin,
 * mark=<address of ecl_mark>) records its running count: the count of each inference, from one run. The first
 * classification is a warm-up, so that every later one starts from the same call state (on LEON3 the register
 * windows the callers hold: a window overflow trap runs instructions); the last one is called with every window full
 * (from a call chain deeper than the windows), the worst case of the window traps.
 * -DECL_HARNESS_VECTORS=n replays at most n vectors. */
#include <stdint.h>

#include "model.h"
#include "target.h"
#include "uart.h"
#include "extremes.h"

#define PIXELS MODEL_INPUT_PIXELS
#define RECORD_BYTES (PIXELS * 5u + 12u) /* f32 snr[], u8 mask[], f32 logit, i32 raw logit, i32 decision */
#define PAINT_BYTES 16384u               /* painted below the stack pointer: far more than any bound here */
#define PAINT_GAP 64u                    /* left unpainted just below it, for paint's own frame if it has one */
#define PAINT_WORD 0x5AA5C33Cu

extern const unsigned char ecl_vectors[];     /* the .eclv file, little-endian (SPARC is big-endian) */
extern const unsigned char ecl_vectors_end[];

static float snr[PIXELS];
static uint8_t mask[PIXELS];

/* Where the counting plugin records its count. Out of line and not removable. */
__attribute__((noinline)) void ecl_mark(void)
{
    __asm__ volatile("" ::: "memory");
}

static uint32_t u32le(const unsigned char *b)
{
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

static float f32(uint32_t bits)
{
    union { uint32_t u; float f; } v;
    v.u = bits;
    return v.f;
}

static const unsigned char *load_vector(uint32_t index)
{
    const unsigned char *record = ecl_vectors + 20u + index * RECORD_BYTES;
    for (uint32_t i = 0; i < PIXELS; i++) {
        snr[i] = f32(u32le(record + 4u * i));
        mask[i] = record[4u * PIXELS + i];
    }
    return record;
}

static int check_header(uint32_t *count)
{
    if ((uint32_t)(ecl_vectors_end - ecl_vectors) < 20u || ecl_vectors[0] != 'E' || ecl_vectors[1] != 'C'
        || ecl_vectors[2] != 'L' || ecl_vectors[3] != 'V' || u32le(ecl_vectors + 4) != 1u) {
        uart_puts("harness: the embedded vectors are not a version 1 .eclv file\n");
        return 0;
    }
    if (u32le(ecl_vectors + 12) != 1u || u32le(ecl_vectors + 16) != MODEL_CHECKSUM) {
        uart_puts("harness: the embedded vectors are for another model\n");
        return 0;
    }
    *count = u32le(ecl_vectors + 8);
    if ((uint32_t)(ecl_vectors_end - ecl_vectors) < 20u + *count * RECORD_BYTES) {
        uart_puts("harness: the embedded vectors are cut short\n");
        return 0;
    }
    return 1;
}

static uint32_t stack_peak;

static void paint(uint32_t *bottom, uint32_t words);
static uint32_t painted_peak(const uint32_t *bottom, uint32_t words);

/* One classification between two marks, with the stack below this frame painted before and scanned after: the bytes
 * model_classify and its callees used (a call frame starts at the caller's stack pointer on both targets). */
static int32_t classify(ecl_i8_result *r)
{
    const uintptr_t top = target_stack_pointer() & ~(uintptr_t)7u;
    uint32_t *bottom = (uint32_t *)(top - PAINT_BYTES);
    const uint32_t words = (PAINT_BYTES - PAINT_GAP) / 4u;
    paint(bottom, words);
    ecl_mark();
    int32_t status = model_classify(snr, mask, r);
    ecl_mark();
    const uint32_t used = painted_peak(bottom, words) + PAINT_GAP;
    if (used > stack_peak) {
        stack_peak = used;
    }
    return status;
}

/* Fills words from bottom up (a leaf function: its frame, if any, is in the unpainted gap). */
static void paint(uint32_t *bottom, uint32_t words)
{
    volatile uint32_t *p = bottom;
    for (uint32_t i = 0; i < words; i++) {
        p[i] = PAINT_WORD;
    }
}

/* Bytes from the top of the painted area down to the lowest word overwritten. */
static uint32_t painted_peak(const uint32_t *bottom, uint32_t words)
{
    const volatile uint32_t *p = bottom;
    uint32_t i = 0;
    while (i < words && p[i] == PAINT_WORD) {
        i++;
    }
    return (words - i) * 4u;
}

/* classify() from `depth` nested calls (not tail calls: each keeps a frame and a register window). */
static __attribute__((noinline)) int32_t classify_deep(uint32_t depth, ecl_i8_result *r)
{
    volatile uint32_t keep = depth;
    int32_t status = depth == 0u ? classify(r) : classify_deep(depth - 1u, r);
    return status + (int32_t)(keep - depth);
}

int main(void)
{
    uint32_t count = 0, passed = 0, failed = 0;
    if (!check_header(&count) || count == 0u) {
        uart_puts("0 passed, 1 failed\n");
        return 1;
    }
    {
        ecl_i8_result warm = { 0, 0 };
        (void)load_vector(0);
        (void)classify(&warm);
    }
#ifdef ECL_HARNESS_VECTORS
    if (count > (uint32_t)(ECL_HARNESS_VECTORS)) {
        count = (uint32_t)(ECL_HARNESS_VECTORS);
    }
#endif
    for (uint32_t v = 0; v < count; v++) {
        const unsigned char *tail = load_vector(v) + 5u * PIXELS;
        ecl_i8_result r = { 0, 0 };
        int32_t status = classify(&r);
        if (status == ECL_I8_OK && r.raw_logit == (int32_t)u32le(tail + 4) && r.is_true_alert == (int32_t)u32le(tail + 8)) {
            passed++;
        } else {
            failed++;
            uart_puts("vector ");
            uart_putu(v);
            uart_puts(": raw logit ");
            uart_puti(r.raw_logit);
            uart_puts(", expected ");
            uart_puti((int32_t)u32le(tail + 4));
            uart_putc('\n');
        }
    }
    uart_puts("extremes:");
    for (int kind = 0; kind < ECL_EXTREMES; kind++) {
        ecl_i8_result r = { 0, 0 };
        ecl_extreme(kind, snr, mask);
        if (classify(&r) != ECL_I8_OK) {
            failed++;
        }
        uart_putc(' ');
        uart_puti(r.raw_logit);
    }
    uart_putc('\n');
    {
        ecl_i8_result r = { 0, 0 };
        ecl_extreme(0, snr, mask);
        if (classify_deep(16u, &r) != ECL_I8_OK) {
            failed++;
        }
    }
    const uint32_t peak = stack_peak;
    uart_puts("stack: peak ");
    uart_putu(peak);
#ifdef TARGET_STACK_BOUND
    uart_puts(" bytes, bound ");
    uart_putu((uint32_t)(TARGET_STACK_BOUND));
    uart_puts(" bytes\n");
    if (peak > (uint32_t)(TARGET_STACK_BOUND) || peak == 0u) {
        uart_puts("stack: the painted peak is above the bound (or nothing was measured)\n");
        failed++;
    }
#else
    uart_puts(" bytes, no bound generated (eclairs codegen --stack)\n");
#endif
    uart_putu(passed);
    uart_puts(" passed, ");
    uart_putu(failed);
    uart_puts(" failed\n");
    return 0;
}
