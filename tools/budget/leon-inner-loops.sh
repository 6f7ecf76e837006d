#!/usr/bin/env bash
# Instructions per MAC of the tight scalar loops of tools/budget/leon-inner-loops.c compiled for LEON3 (SPARC V8):
# counts the instructions of each function's innermost loop body in GCC's assembly (label .. branch back, plus the
# branch's delay slot) and divides by the 4 MACs one pass does. Static count: the loop runs cin times per 4 outputs,
# so this is the per-MAC cost once outer-loop overhead (1/cin of it per MAC) is neglected.
# Then, where qemu-sparc and the TCG plugin (tools/qemu-plugin) are there, the dynamic count: each loop called
# 1 and 101 times over 288 taps by leon-inner-loops-driver.c, difference / (100 x 288 x 4 MACs).
#   tools/budget/leon-inner-loops.sh        (needs gcc-sparc64-linux-gnu; qemu-user for the dynamic count)
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

root="$(cd "$here/../.." && pwd)"
plugin="$root/artifacts/budget/qemu-plugin/insn_count.so"
[ -f "$plugin" ] || plugin="$("$root/tools/qemu-plugin/build.sh" "$root/artifacts/budget/qemu-plugin" | tail -1)"
command -v qemu-sparc >/dev/null || { echo "qemu-sparc missing: dynamic count skipped"; exit 0; }
work="$(mktemp -d)"
for kind in float int8; do
    define=(); [ "$kind" = int8 ] && define=(-DINT8)
    for repeat in 1 101; do
        sparc64-linux-gnu-gcc -m32 -mcpu=leon3 -O2 -ffp-contract=off -ffreestanding -nostdlib -static -DREPEAT=$repeat \
            "${define[@]}" -o "$work/p$repeat" "$here/leon-inner-loops-driver.c" "$here/leon-inner-loops.c"
        qemu-sparc -plugin "$plugin" -d plugin "$work/p$repeat" 2>&1 | awk '/insn_count:/ { print $2 }' >"$work/n$repeat"
    done
    awk -v k="$kind" -v a="$(cat "$work/n1")" -v b="$(cat "$work/n101")" \
        'BEGIN { printf "mac4_%s: dynamic %d instructions for 100 calls x 288 taps x 4 MACs = %.3f per MAC\n", k, b - a, (b - a) / 115200 }'
done
rm -rf "$work"
