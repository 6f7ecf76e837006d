/* Bare-metal LEON3 test program: replays the embedded .eclv vectors (vectors.S) through the generated model
 * (`eclairs codegen --prefix model`) and prints "N passed, M failed" on the APBUART.
 * -DECL_LEON3_VECTORS=n replays at most n vectors; -DECL_LEON3_RUNS=n instead classifies vector 0 n times
 * (for instruction counting: the difference between n runs and 0 runs, docs/leon3.md). */
#include <stdint.h>

#include "model.h"
#include "uart.h"

#define PIXELS MODEL_INPUT_PIXELS
#define RECORD_BYTES (PIXELS * 5u + 12u) /* f32 snr[], u8 mask[], f32 logit, i32 raw logit, i32 decision */

extern const unsigned char ecl_vectors[];     /* the .eclv file, little-endian (SPARC is big-endian) */
extern const unsigned char ecl_vectors_end[];

static float snr[PIXELS];

static uint32_t u32le(const unsigned char *b)
{
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

static float f32le(const unsigned char *b)
{
    union { uint32_t u; float f; } v;
    v.u = u32le(b);
    return v.f;
}

static const unsigned char *load_vector(uint32_t index)
{
    const unsigned char *record = ecl_vectors + 20u + index * RECORD_BYTES;
    for (uint32_t i = 0; i < PIXELS; i++) {
        snr[i] = f32le(record + 4u * i);
    }
    return record;
}

static int check_header(uint32_t *count)
{
    if ((uint32_t)(ecl_vectors_end - ecl_vectors) < 20u || ecl_vectors[0] != 'E' || ecl_vectors[1] != 'C'
        || ecl_vectors[2] != 'L' || ecl_vectors[3] != 'V' || u32le(ecl_vectors + 4) != 1u) {
        uart_puts("leon3: the embedded vectors are not a version 1 .eclv file\n");
        return 0;
    }
    if (u32le(ecl_vectors + 12) != 1u || u32le(ecl_vectors + 16) != MODEL_CHECKSUM) {
        uart_puts("leon3: the embedded vectors are for another model\n");
        return 0;
    }
    *count = u32le(ecl_vectors + 8);
    if ((uint32_t)(ecl_vectors_end - ecl_vectors) < 20u + *count * RECORD_BYTES) {
        uart_puts("leon3: the embedded vectors are cut short\n");
        return 0;
    }
    return 1;
}

#ifdef ECL_LEON3_RUNS
int main(void)
{
    uint32_t count = 0;
    if (!check_header(&count) || count == 0u) {
        return 1;
    }
    const unsigned char *record = load_vector(0);
    ecl_i8_result r = { 0, 0 };
    const uint32_t runs = (uint32_t)(ECL_LEON3_RUNS);
    for (uint32_t run = 0; run != runs; run++) {
        model_classify(snr, record + 4u * PIXELS, &r);
    }
    uart_puts("runs ");
    uart_putu(runs);
    uart_puts(", raw logit ");
    uart_puti(r.raw_logit);
    uart_putc('\n');
    return 0;
}
#else
int main(void)
{
    uint32_t count = 0, passed = 0, failed = 0;
    if (!check_header(&count)) {
        uart_puts("0 passed, 1 failed\n");
        return 1;
    }
#ifdef ECL_LEON3_VECTORS
    if (count > (uint32_t)(ECL_LEON3_VECTORS)) {
        count = (uint32_t)(ECL_LEON3_VECTORS);
    }
#endif
    for (uint32_t v = 0; v < count; v++) {
        const unsigned char *record = load_vector(v);
        const unsigned char *tail = record + 5u * PIXELS;
        ecl_i8_result r = { 0, 0 };
        int32_t status = model_classify(snr, record + 4u * PIXELS, &r);
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
    uart_putu(passed);
    uart_puts(" passed, ");
    uart_putu(failed);
    uart_puts(" failed\n");
    return 0;
}
#endif
