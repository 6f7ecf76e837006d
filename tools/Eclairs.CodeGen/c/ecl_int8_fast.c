/* The fast int8 kernels (`eclairs codegen --kernels fast`, docs/leon3.md): exact integer Winograd F(2x2, 3x3) and
 * F(4x4, 3x3) for 3x3 stride-1 convolutions, and a dense layer that packs two products into one multiply.
 * Bit-exact with the small kernels and the engine: every sum below is the reference's int32 sum, computed with fewer
 * multiplies. Integer only; no branch depends on the data. */
#include <stdbool.h>

#include "ecl_int8_kernels.h"
#include "ecl_int8_bits.h"

/* Kept out of line where inlining would take the accumulators of a register-blocked loop out of SPARC's 24 free
 * registers (GCC -Os inlines a static function called once); inlined where a constant argument specialises a loop. */
#if defined(__GNUC__)
#define ECL_I8_NOINLINE __attribute__((noinline))
#define ECL_I8_INLINE __attribute__((always_inline)) inline
#else
#define ECL_I8_NOINLINE
#define ECL_I8_INLINE inline
#endif

/* ---- Integer Winograd -------------------------------------------------------------------------------------------
 * The input is the raw int8 code x, with pixels outside the input set to the input zero point; the generator folds
 * the zero point into the bias (bias' = bias - zp * sum(w), mod 2^32), so bias' + Y(x) = bias + sum of w * (x - zp)
 * mod 2^32: the reference's accumulator, once Y(x), the convolution of the raw codes, is exact. All the Winograd sums
 * are computed modulo 2^32 (uint32) and the last step recovers Y exactly (bounds at each kernel).
 * Working memory: band[ci][column][row] holds the input rows of one tile row, so the (tile + 2)^2 codes of one tile and
 * channel are consecutive; v[position][ci][t] the transformed input of ECL_I8_WT tiles; m[position][t][c] their
 * products with the transformed weights of ECL_I8_WC output channels, u[position][cout / 8][ci][8]. */

/* Input rows tile * ty - pad .. tile * ty - pad + tile + 1, columns -pad .. tile * tiles_x + 1 - pad, padded with the
 * zero point. */
static void fill_band(const ecl_i8_step *s, const int8_t *input, int32_t tile, int32_t ty, int8_t *band)
{
    const int32_t cin = s->in.channels;
    const int32_t rows = tile + 2;
    const int32_t columns = (tile * s->tiles_x) + 2;
    const int32_t plane = columns * rows;
    const int8_t zero_point = (int8_t)s->requantize.input_zero_point;
    for (int32_t r = 0; r < rows; r++) {
        const int32_t iy = ((tile * ty) + r) - s->pad;
        const bool row_inside = (iy >= 0) && (iy < s->in.height);
        for (int32_t col = 0; col < columns; col++) {
            const int32_t ix = col - s->pad;
            int8_t *b = &band[(col * rows) + r];
            if (row_inside && (ix >= 0) && (ix < s->in.width)) {
                const int8_t *x = &input[((iy * s->in.width) + ix) * cin];
                for (int32_t ci = 0; ci < cin; ci++) {
                    b[ci * plane] = x[ci];
                }
            } else {
                for (int32_t ci = 0; ci < cin; ci++) {
                    b[ci * plane] = zero_point;
                }
            }
        }
    }
}

/* m[t][c] = sum over ci of v[ci][t] * u[ci][c] for one position, modulo 2^32: ECL_I8_WT tiles x ECL_I8_WC channels,
 * the 16 sums in registers, each weight loaded once for both tiles. u_end is u after cin channels (cin >= 1).
 * Tested: at -Os GCC 12 keeps all 16 sums, both inputs, the weight and three pointers in registers (45 instructions
 * per channel, none of them a spill; -O2's scheduling spills five sums). */
static ECL_I8_NOINLINE void gemm(const int16_t *v, const int16_t *u, const int16_t *u_end, uint32_t *m)
{
    /* The first channel sets the sums. The products are the int32 products modulo 2^32 (|v| <= 12800 and
     * |u| <= 6223: each fits int32), multiplied in uint32: the same low 32 bits, no signed overflow anywhere. */
    const uint32_t y0 = (uint32_t)v[0];
    const uint32_t y1 = (uint32_t)v[1];
    uint32_t w = (uint32_t)u[0];
    uint32_t a0 = y0 * w;
    uint32_t b0 = y1 * w;
    w = (uint32_t)u[1];
    uint32_t a1 = y0 * w;
    uint32_t b1 = y1 * w;
    w = (uint32_t)u[2];
    uint32_t a2 = y0 * w;
    uint32_t b2 = y1 * w;
    w = (uint32_t)u[3];
    uint32_t a3 = y0 * w;
    uint32_t b3 = y1 * w;
    w = (uint32_t)u[4];
    uint32_t a4 = y0 * w;
    uint32_t b4 = y1 * w;
    w = (uint32_t)u[5];
    uint32_t a5 = y0 * w;
    uint32_t b5 = y1 * w;
    w = (uint32_t)u[6];
    uint32_t a6 = y0 * w;
    uint32_t b6 = y1 * w;
    w = (uint32_t)u[7];
    uint32_t a7 = y0 * w;
    uint32_t b7 = y1 * w;
    const int16_t *vc = &v[ECL_I8_WT];
    const int16_t *uc = &u[ECL_I8_WC];
    while (uc != u_end) {
        const uint32_t x0 = (uint32_t)vc[0];
        const uint32_t x1 = (uint32_t)vc[1];
        w = (uint32_t)uc[0];
        a0 += x0 * w;
        b0 += x1 * w;
        w = (uint32_t)uc[1];
        a1 += x0 * w;
        b1 += x1 * w;
        w = (uint32_t)uc[2];
        a2 += x0 * w;
        b2 += x1 * w;
        w = (uint32_t)uc[3];
        a3 += x0 * w;
        b3 += x1 * w;
        w = (uint32_t)uc[4];
        a4 += x0 * w;
        b4 += x1 * w;
        w = (uint32_t)uc[5];
        a5 += x0 * w;
        b5 += x1 * w;
        w = (uint32_t)uc[6];
        a6 += x0 * w;
        b6 += x1 * w;
        w = (uint32_t)uc[7];
        a7 += x0 * w;
        b7 += x1 * w;
        vc = &vc[ECL_I8_WT];
        uc = &uc[ECL_I8_WC];
    }
    m[0] = a0;
    m[1] = a1;
    m[2] = a2;
    m[3] = a3;
    m[4] = a4;
    m[5] = a5;
    m[6] = a6;
    m[7] = a7;
    m[ECL_I8_WC] = b0;
    m[ECL_I8_WC + 1] = b1;
    m[ECL_I8_WC + 2] = b2;
    m[ECL_I8_WC + 3] = b3;
    m[ECL_I8_WC + 4] = b4;
    m[ECL_I8_WC + 5] = b5;
    m[ECL_I8_WC + 6] = b6;
    m[ECL_I8_WC + 7] = b7;
}

/* The products of every position for the channel block whose weights start at u. */
static void multiply(const int16_t *v, const int16_t *u, int32_t positions, int32_t cin, int32_t position_stride, uint32_t *m)
{
    for (int32_t p = 0; p < positions; p++) {
        const int16_t *up = &u[p * position_stride];
        gemm(&v[p * cin * ECL_I8_WT], up, &up[cin * ECL_I8_WC], &m[p * ECL_I8_WT * ECL_I8_WC]);
    }
}

/* Requantizes, and pools where the step pools, the tile x tile sums y (row-major) of the tile at tile row ty and
 * column tx, channel c. Outputs beyond the output (a tile that overhangs it) are not stored. */
static void store_tile(const ecl_i8_step *s, const int32_t *y, int32_t tile, int32_t ty, int32_t tx, int32_t c, int8_t *output)
{
    const ecl_i8_requantize *rq = &s->requantize;
    const int32_t bias = rq->bias[c];
    if (s->pool == ECL_I8_POOL_NONE) {
        for (int32_t i = 0; i < tile; i++) {
            for (int32_t j = 0; j < tile; j++) {
                const int32_t oy = (tile * ty) + i;
                const int32_t ox = (tile * tx) + j;
                if ((oy < s->out.height) && (ox < s->out.width)) {
                    output[(((oy * s->out.width) + ox) * s->out.channels) + c] =
                        ecl_i8_requantize_channel(rq, ecl_i8_wrapping_add(bias, y[(i * tile) + j]), c);
                }
            }
        }
    } else {
        const int32_t windows = tile / 2;
        for (int32_t a = 0; a < windows; a++) {
            for (int32_t b = 0; b < windows; b++) {
                const int32_t py = (windows * ty) + a;
                const int32_t px = (windows * tx) + b;
                const int32_t k = (2 * a * tile) + (2 * b);
                int32_t top;
                if (s->pool == ECL_I8_POOL_MAX_OF_SUMS) {
                    /* |Y| < 2^25: the differences in max2 cannot overflow */
                    const int32_t sum = ecl_i8_max(ecl_i8_max(y[k], y[k + 1]), ecl_i8_max(y[k + tile], y[k + tile + 1]));
                    top = (int32_t)ecl_i8_requantize_channel(rq, ecl_i8_wrapping_add(bias, sum), c);
                } else {
                    top = -128;
                    for (int32_t q = 0; q < 4; q++) {
                        const int32_t sum = y[(k + ((q / 2) * tile)) + (q % 2)];
                        top = ecl_i8_max(top, (int32_t)ecl_i8_requantize_channel(rq, ecl_i8_wrapping_add(bias, sum), c));
                    }
                }
                if ((py < s->out.height) && (px < s->out.width)) {
                    output[(((py * s->out.width) + px) * s->out.channels) + c] = (int8_t)top;
                }
            }
        }
    }
}

/* F(2x2, 3x3) (Lavin) with the engine's scaling (docs/int8.md): G' = 2G = [2 0 0; 1 1 1; 1 -1 1; 0 0 2], so the
 * weights U' = G' g G'^T = 4 G g G^T are integers (|U'| <= 9 * 127), transformed by the generator. V = B^T d B
 * (|V| <= 4 * 128), M = sum over cin of U' V per position (mod 2^32), 4Y = A^T M A, then Y = 4Y >> 2: exact while
 * |4Y| < 2^31, which the generator's bound cin <= 3669 guarantees (|Y| <= 9 * cin * 127 * 128). */

/* V = B^T d B of tiles tx .. tx + n - 1 of the band; tiles n .. ECL_I8_WT - 1 get 0. */
static void transform_input2(const int8_t *band, int32_t columns, int32_t cin, int32_t tx, int32_t n, int16_t *v)
{
    const int32_t stride = cin * ECL_I8_WT; /* between positions */
    for (int32_t t = 0; t < ECL_I8_WT; t++) {
        for (int32_t ci = 0; ci < cin; ci++) {
            int16_t *o = &v[(ci * ECL_I8_WT) + t];
            if (t < n) {
                const int8_t *d = &band[((ci * columns) + (2 * (tx + t))) * 4]; /* d[4 * column + row] */
                int32_t b[16];                                                  /* B^T d, [row][column] */
                for (int32_t c = 0; c < 4; c++) {
                    const int32_t d0 = (int32_t)d[4 * c];
                    const int32_t d1 = (int32_t)d[(4 * c) + 1];
                    const int32_t d2 = (int32_t)d[(4 * c) + 2];
                    const int32_t d3 = (int32_t)d[(4 * c) + 3];
                    b[c] = d0 - d2;
                    b[4 + c] = d1 + d2;
                    b[8 + c] = d2 - d1;
                    b[12 + c] = d1 - d3;
                }
                for (int32_t r = 0; r < 4; r++) {
                    const int32_t e0 = b[4 * r];
                    const int32_t e1 = b[(4 * r) + 1];
                    const int32_t e2 = b[(4 * r) + 2];
                    const int32_t e3 = b[(4 * r) + 3];
                    o[(4 * r) * stride] = (int16_t)(e0 - e2);
                    o[((4 * r) + 1) * stride] = (int16_t)(e1 + e2);
                    o[((4 * r) + 2) * stride] = (int16_t)(e2 - e1);
                    o[((4 * r) + 3) * stride] = (int16_t)(e1 - e3);
                }
            } else {
                for (int32_t p = 0; p < 16; p++) {
                    o[p * stride] = 0;
                }
            }
        }
    }
}

/* Y = (A^T M A) / 4 of tile t, channel c, A^T = [1 1 1 0; 0 1 -1 -1]. */
static void transform_output2(const uint32_t *m, int32_t t, int32_t c, int32_t y[4])
{
    const int32_t stride = ECL_I8_WT * ECL_I8_WC;
    const uint32_t *mt = &m[(t * ECL_I8_WC) + c];
    uint32_t r0[4];
    uint32_t r1[4];
    /* A^T M (mod 2^32) */
    for (int32_t j = 0; j < 4; j++) {
        const uint32_t m0 = mt[j * stride];
        const uint32_t m1 = mt[(4 + j) * stride];
        const uint32_t m2 = mt[(8 + j) * stride];
        const uint32_t m3 = mt[(12 + j) * stride];
        r0[j] = (m0 + m1) + m2;
        r1[j] = (m1 - m2) - m3;
    }
    const uint32_t q0 = (r0[0] + r0[1]) + r0[2];
    const uint32_t q1 = (r0[1] - r0[2]) - r0[3];
    const uint32_t q2 = (r1[0] + r1[1]) + r1[2];
    const uint32_t q3 = (r1[1] - r1[2]) - r1[3];
    y[0] = ecl_i8_shift_right((int32_t)q0, 2u);
    y[1] = ecl_i8_shift_right((int32_t)q1, 2u);
    y[2] = ecl_i8_shift_right((int32_t)q2, 2u);
    y[3] = ecl_i8_shift_right((int32_t)q3, 2u);
}

/* F(4x4, 3x3) with the engine's integer scheme (docs/int8.md): B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0;
 * 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1] (|V| <= 100 * 128); the rows of G scaled by (4, 6, 6, 24, 24, 1) to the
 * integer G'' = [1 0 0; -1 -1 -1; -1 1 -1; 1 2 4; 1 -2 4; 0 0 1] (|U''| <= 49 * 127, transformed by the generator); the
 * output transform A'' = [6 4 4 1 1 0; 0 2 -2 1 -1 0; 0 1 1 1 1 0; 0 1 -1 2 -2 6] (A^T diag(6, 4, 4, 1, 1, 24) with
 * its rows divided by c = (1, 2, 4, 4)) gives R = 576 Y / (c_i c_j) mod 2^32. Times 9^-1 mod 2^32 that is
 * 2^k Y mod 2^32, k = 6 - log2(c_i c_j), which is 2^k Y itself while |Y| < 2^25 (the generator's bound cin <= 229);
 * an arithmetic shift by k gives Y. */
#define ECL_I8_INVERSE_OF_9 0x38E38E39u

/* V = B^T d B of tiles tx .. tx + n - 1 of the band; tiles n .. ECL_I8_WT - 1 get 0. The one-dimensional transforms are
 * written out so that their six values stay in registers (GCC -Os keeps small loops over arrays in memory and does
 * not inline a helper called several times). */
static void transform_input4(const int8_t *band, int32_t columns, int32_t cin, int32_t tx, int32_t n, int16_t *v)
{
    const int32_t stride = cin * ECL_I8_WT;
    for (int32_t t = 0; t < ECL_I8_WT; t++) {
        for (int32_t ci = 0; ci < cin; ci++) {
            int16_t *o = &v[(ci * ECL_I8_WT) + t];
            if (t < n) {
                const int8_t *d = &band[((ci * columns) + (4 * (tx + t))) * 6]; /* d[6 * column + row] */
                int32_t b[36];                                                  /* B^T d, [row][column] */
                for (int32_t c = 0; c < 6; c++) {
                    const int8_t *dc = &d[6 * c];
                    const int32_t d0 = (int32_t)dc[0];
                    const int32_t d1 = (int32_t)dc[1];
                    const int32_t d2 = (int32_t)dc[2];
                    const int32_t d3 = (int32_t)dc[3];
                    const int32_t d4 = (int32_t)dc[4];
                    const int32_t d5 = (int32_t)dc[5];
                    const int32_t p = d4 - (4 * d2);
                    const int32_t q = (4 * d1) - d3;
                    const int32_t u = d4 - d2;
                    const int32_t e = 2 * (d1 - d3);
                    int32_t *bc = &b[c];
                    bc[0] = ((4 * d0) - (5 * d2)) + d4;
                    bc[6] = p - q;
                    bc[12] = p + q;
                    bc[18] = u - e;
                    bc[24] = u + e;
                    bc[30] = ((4 * d1) - (5 * d3)) + d5;
                }
                for (int32_t r = 0; r < 6; r++) {
                    const int32_t *br = &b[6 * r];
                    const int32_t d0 = br[0];
                    const int32_t d1 = br[1];
                    const int32_t d2 = br[2];
                    const int32_t d3 = br[3];
                    const int32_t d4 = br[4];
                    const int32_t d5 = br[5];
                    const int32_t p = d4 - (4 * d2);
                    const int32_t q = (4 * d1) - d3;
                    const int32_t u = d4 - d2;
                    const int32_t e = 2 * (d1 - d3);
                    int16_t *orow = &o[6 * r * stride];
                    orow[0] = (int16_t)(((4 * d0) - (5 * d2)) + d4);
                    orow[stride] = (int16_t)(p - q);
                    orow[2 * stride] = (int16_t)(p + q);
                    orow[3 * stride] = (int16_t)(u - e);
                    orow[4 * stride] = (int16_t)(u + e);
                    orow[5 * stride] = (int16_t)(((4 * d1) - (5 * d3)) + d5);
                }
            } else {
                for (int32_t p = 0; p < 36; p++) {
                    o[p * stride] = 0;
                }
            }
        }
    }
}

/* Y of tile t, channel c (16 values, row-major): A'' M A''^T (mod 2^32), times 9^-1, shifted. */
static void transform_output4(const uint32_t *m, int32_t t, int32_t c, int32_t y[16])
{
    const int32_t stride = ECL_I8_WT * ECL_I8_WC; /* between positions */
    const uint32_t *mt = &m[(t * ECL_I8_WC) + c];
    uint32_t a[24]; /* A'' M, [row][column] */
    for (int32_t j = 0; j < 6; j++) {
        const uint32_t *mj = &mt[j * stride];
        const uint32_t m0 = mj[0];
        const uint32_t m1 = mj[6 * stride];
        const uint32_t m2 = mj[12 * stride];
        const uint32_t m3 = mj[18 * stride];
        const uint32_t m4 = mj[24 * stride];
        const uint32_t m5 = mj[30 * stride];
        const uint32_t s12 = m1 + m2;
        const uint32_t d12 = m1 - m2;
        const uint32_t s34 = m3 + m4;
        const uint32_t d34 = m3 - m4;
        uint32_t *aj = &a[j];
        aj[0] = ((6u * m0) + (4u * s12)) + s34;
        aj[6] = (2u * d12) + d34;
        aj[12] = s12 + s34;
        aj[18] = (d12 + (2u * d34)) + (6u * m5);
    }
    for (int32_t i = 0; i < 4; i++) {
        /* pixel (i, j) is 2^k Y with k = 6 - log2(c_i c_j), log2 c = (0, 1, 2, 2) */
        static const uint32_t row_shift[4] = { 6u, 5u, 4u, 4u };
        const uint32_t k = row_shift[i];
        const uint32_t *ai = &a[6 * i];
        const uint32_t m1 = ai[1];
        const uint32_t m2 = ai[2];
        const uint32_t m3 = ai[3];
        const uint32_t m4 = ai[4];
        const uint32_t s12 = m1 + m2;
        const uint32_t d12 = m1 - m2;
        const uint32_t s34 = m3 + m4;
        const uint32_t d34 = m3 - m4;
        const uint32_t r0 = (((6u * ai[0]) + (4u * s12)) + s34) * ECL_I8_INVERSE_OF_9;
        const uint32_t r1 = ((2u * d12) + d34) * ECL_I8_INVERSE_OF_9;
        const uint32_t r2 = (s12 + s34) * ECL_I8_INVERSE_OF_9;
        const uint32_t r3 = ((d12 + (2u * d34)) + (6u * ai[5])) * ECL_I8_INVERSE_OF_9;
        int32_t *yi = &y[4 * i];
        yi[0] = ecl_i8_shift_right((int32_t)r0, k);
        yi[1] = ecl_i8_shift_right((int32_t)r1, k - 1u);
        yi[2] = ecl_i8_shift_right((int32_t)r2, k - 2u);
        yi[3] = ecl_i8_shift_right((int32_t)r3, k - 2u);
    }
}

/* The tile loop of both Winograd kernels (tile = 2 or 4): per tile row the band, per group of ECL_I8_WT tiles the
 * input transform, per block of ECL_I8_WC output channels the products and the output transform. Inlined into each
 * kernel, where the tile is a constant (one copy of the loop with a variable tile costs LEON3 2.5 % more). */
static ECL_I8_INLINE void winograd(const ecl_i8_step *s, const int8_t *input, int8_t *output, const ecl_i8_workspace *w, int32_t tile)
{
    int8_t *const band = w->band;
    int16_t *const v = w->v;
    uint32_t *const m = w->m;
    const int32_t cin = s->in.channels;
    const int32_t cout = s->out.channels;
    const int32_t columns = (tile * s->tiles_x) + 2;
    const int32_t positions = (tile + 2) * (tile + 2);
    const int32_t blocks = (cout + (ECL_I8_WC - 1)) / ECL_I8_WC;
    for (int32_t ty = 0; ty < s->tiles_y; ty++) {
        fill_band(s, input, tile, ty, band);
        for (int32_t tx = 0; tx < s->tiles_x; tx += ECL_I8_WT) {
            const int32_t n = ecl_i8_min(ECL_I8_WT, s->tiles_x - tx);
            if (tile == 2) {
                transform_input2(band, columns, cin, tx, n, v);
            } else {
                transform_input4(band, columns, cin, tx, n, v);
            }
            for (int32_t co = 0; co < cout; co += ECL_I8_WC) {
                multiply(v, &s->transformed[co * cin], positions, cin, blocks * cin * ECL_I8_WC, m);
                for (int32_t t = 0; t < n; t++) {
                    for (int32_t c = co; c < ecl_i8_min(co + ECL_I8_WC, cout); c++) {
                        int32_t y[16];
                        if (tile == 2) {
                            transform_output2(m, t, c - co, y);
                        } else {
                            transform_output4(m, t, c - co, y);
                        }
                        store_tile(s, y, tile, ty, tx + t, c, output);
                    }
                }
            }
        }
    }
}

void ecl_i8_conv2d_winograd2(const ecl_i8_step *s, const int8_t *input, int8_t *output, const ecl_i8_workspace *w)
{
    winograd(s, input, output, w, 2);
}

void ecl_i8_conv2d_winograd4(const ecl_i8_step *s, const int8_t *input, int8_t *output, const ecl_i8_workspace *w)
{
    winograd(s, input, output, w, 4);
}

/* ---- Dense, two products per multiply ---------------------------------------------------------------------------
 * The generator packs the weights of output channels 2j and 2j + 1 into one int32, W = w0 + w1 * 2^24 (|w| <= 127, so
 * W fits), and folds the input zero point into the bias, so the input is the raw int8 code x. One 32 x 32 -> 64-bit
 * multiply x * W = x w0 + x w1 2^24 gives both products; summed in int64 over at most ECL_I8_PAIR_CHUNK inputs the low
 * field S0 = sum x w0 stays within |S0| <= 512 * 128 * 127 < 2^23, so it never carries into S1: S0 is the sign-extended
 * low 24 bits and S1 = (A - S0) / 2^24 exactly. Each is then added to its channel's int32 accumulator (mod 2^32). */
#define ECL_I8_PAIR_CHUNK 512
#define ECL_I8_PAIRS 4 /* pairs per pass, 8 output channels: the 4 int64 sums stay in registers on SPARC and Cortex-M4 */

/* acc[p] = sum over the inputs x .. x_end - 1 of x * w[p] (w steps ECL_I8_PAIRS per input; x_end > x). */
static ECL_I8_NOINLINE void pair_chunk(const int8_t *x, const int8_t *x_end, const int32_t *w, int64_t acc[ECL_I8_PAIRS])
{
    const int8_t *xi = x;
    const int32_t *wi = w;
    int64_t p0 = 0;
    int64_t p1 = 0;
    int64_t p2 = 0;
    int64_t p3 = 0;
    do {
        const int64_t v = (int64_t)*xi;
        p0 += v * (int64_t)wi[0];
        p1 += v * (int64_t)wi[1];
        p2 += v * (int64_t)wi[2];
        p3 += v * (int64_t)wi[3];
        wi = &wi[ECL_I8_PAIRS];
        xi = &xi[1];
    } while (xi != x_end);
    acc[0] = p0;
    acc[1] = p1;
    acc[2] = p2;
    acc[3] = p3;
}

void ecl_i8_dense_pairs(const ecl_i8_step *s, const int8_t *input, int8_t *output)
{
    const int32_t inputs = s->in.height * s->in.width * s->in.channels;
    const int32_t units = s->out.channels;
    for (int32_t first = 0; first < units; first += 2 * ECL_I8_PAIRS) {
        const int32_t *w = &s->packed[first * inputs / 2];
        const int32_t count = ecl_i8_min(2 * ECL_I8_PAIRS, units - first);
        uint32_t acc[2 * ECL_I8_PAIRS];
        for (int32_t c = 0; c < (2 * ECL_I8_PAIRS); c++) {
            acc[c] = (c < count) ? (uint32_t)s->requantize.bias[first + c] : 0u;
        }
        for (int32_t start = 0; start < inputs; start += ECL_I8_PAIR_CHUNK) {
            const int32_t end = ecl_i8_min(start + ECL_I8_PAIR_CHUNK, inputs);
            int64_t sums[ECL_I8_PAIRS];
            pair_chunk(&input[start], &input[end], &w[start * ECL_I8_PAIRS], sums);
            for (int32_t p = 0; p < ECL_I8_PAIRS; p++) {
                /* S0: the low 24 bits, sign-extended; S1 = (A - S0) / 2^24, whose low 32 bits are those of the
                 * logical shift of A - S0 (a multiple of 2^24) */
                const uint32_t low = (uint32_t)(uint64_t)sums[p] << 8;
                const int32_t s0 = ecl_i8_shift_right((int32_t)low, 8u);
                const int64_t difference = sums[p] - (int64_t)s0;
                const uint64_t rest = (uint64_t)difference;
                acc[2 * p] += (uint32_t)s0;
                acc[(2 * p) + 1] += (uint32_t)(rest >> 24);
            }
        }
        for (int32_t c = 0; c < count; c++) {
            output[first + c] = ecl_i8_requantize_channel(&s->requantize, (int32_t)acc[c], first + c);
        }
    }
}
