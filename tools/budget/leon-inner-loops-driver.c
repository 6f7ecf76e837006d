/*
 * Freestanding SPARC V8 (Linux user-mode ABI) driver for leon-inner-loops.c: calls one loop REPEAT times over
 * cin = 288 taps (3 x 3 x 32, a conv2 output of the deck network) and exits through the Linux exit trap. Built twice
 * with different REPEAT by leon-inner-loops.sh; the difference of the two instruction counts under qemu-sparc with
 * the TCG plugin, divided by the MACs, is the dynamic cost per MAC, call and loop set-up included.
 */
void mac4_float(const float *x, const float *k, int cin, int cout, float *acc);
void mac4_int8(const short *x, const signed char *k, int cin, int cout, int *acc);

#define CIN 288
#define COUT 64
static float xf[CIN], kf[CIN * COUT], af[4];
static short xq[CIN];
static signed char kq[CIN * COUT];
static int aq[4];

int run(void);
int run(void)
{
    int r;
    for (r = 0; r < CIN; r++) {
        xf[r] = (float)r;
        xq[r] = (short)r;
    }
    for (r = 0; r < REPEAT; r++) {
#ifdef INT8
        mac4_int8(xq, kq, CIN, COUT, aq);
#else
        mac4_float(xf, kf, CIN, COUT, af);
#endif
    }
    return (int)af[0] + aq[0];
}

__asm__(".global _start\n_start:\n\tcall run\n\tnop\n\tmov 1, %g1\n\tta 0x10\n\tnop\n");
