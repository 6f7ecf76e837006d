/*
 * Tight scalar inner loops of a 3x3 convolution (HWIO weights, NHWC input), four output channels per pass so that
 * each input value is loaded once for four multiply-accumulates, accumulators in registers. Not a kernel of the
 * engine: the yardstick tools/budget/leon-inner-loops.sh compiles for SPARC V8 (LEON3) to say how many instructions
 * a MAC costs on a core without SIMD, against the ~11 of the engine's scalar reference (docs/budget.md).
 * Freestanding C99: no headers.
 */
typedef short i16;
typedef signed char i8;
typedef int i32;

/* float32: acc[0..3] += sum over ci of x[ci] * k[ci * cout + 0..3] */
void mac4_float(const float *restrict x, const float *restrict k, int cin, int cout, float *restrict acc)
{
    float a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    for (int ci = 0; ci < cin; ci++, k += cout) {
        float v = x[ci];
        a0 += v * k[0];
        a1 += v * k[1];
        a2 += v * k[2];
        a3 += v * k[3];
    }
    acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

/* int8 (docs/int8.md): the input already widened to (x - zp_in) as int16, weights int8, int32 accumulators. */
void mac4_int8(const i16 *restrict x, const i8 *restrict k, int cin, int cout, i32 *restrict acc)
{
    i32 a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    for (int ci = 0; ci < cin; ci++, k += cout) {
        i32 v = x[ci];
        a0 += v * k[0];
        a1 += v * k[1];
        a2 += v * k[2];
        a3 += v * k[3];
    }
    acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}
