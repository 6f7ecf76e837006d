#!/usr/bin/env bash
# Instructions per MAC of the tight scalar loops of tools/budget/leon-inner-loops.c compiled for LEON3 (SPARC V8):
# counts the instructions of each function's innermost loop body in GCC's assembly (label .. branch back, plus the
# branch's delay slot) and divides by the 4 MACs one pass does. Static count: the loop runs cin times per 4 outputs,
# so this is the per-MAC cost once outer-loop overhead (1/cin of it per MAC) is neglected.
#   tools/budget/leon-inner-loops.sh        (needs gcc-sparc64-linux-gnu; a second)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
asm="$(mktemp)"
sparc64-linux-gnu-gcc -m32 -mcpu=leon3 -O2 -ffp-contract=off -ffreestanding -S -o "$asm" "$here/leon-inner-loops.c"
awk '
  /^[a-z_0-9]+:$/ { fn = substr($1, 1, length($1) - 1) }
  /^\.L[0-9]+:$/ { label = substr($1, 1, length($1) - 1); n = 0; body = 1; next }
  delay { n++; printf "%s: inner loop %d instructions for 4 MACs = %.2f per MAC\n", fn, n, n / 4; delay = 0; body = 0; next }
  body && /^\t/ { n++ }
  body && $1 ~ /^b/ && $2 == label { delay = 1 }
' "$asm"
rm -f "$asm"
