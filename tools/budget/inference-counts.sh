#!/usr/bin/env bash
# Instructions per inference from a marks file of the counting plugin (tools/qemu-plugin, mark=<ecl_mark>): the
# harness (tools/leon3/main.c) marks before and after each classification, so consecutive pairs bracket one
# inference each; its first is a warm-up (another call state), its last is called with every register window full
# (the worst case of the window traps).
#   tools/budget/inference-counts.sh <marks-file>
# Prints "inferences N, instructions per inference min A, max B, worst case W" over the N between the first and the
# last (A = B: the count does not depend on the input), W the largest of all. Exits 1 when A != B.
set -euo pipefail
awk 'NR % 2 == 1 { start = $1; next }
     { n[++count] = $1 - start }
     END {
       if (count < 3 || NR % 2 != 0) { print "inference-counts: no complete pairs of marks" > "/dev/stderr"; exit 1 }
       min = max = n[2]
       for (i = 3; i < count; i++) { if (n[i] < min) min = n[i]; if (n[i] > max) max = n[i] }
       worst = max
       for (i = 1; i <= count; i++) if (n[i] > worst) worst = n[i]
       printf "inferences %d, instructions per inference min %d, max %d, worst case %d\n", count - 2, min, max, worst
       if (min != max) exit 1
     }' "${1:?marks file}"
