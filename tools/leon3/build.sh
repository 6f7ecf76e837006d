#!/usr/bin/env bash
# Builds a bare-metal LEON3 ELF that replays golden vectors through a generated int8 model.
#   tools/leon3/build.sh <model-dir> <vectors.eclv> <out.elf> [extra cflags, e.g. -DECL_HARNESS_VECTORS=16]
# <model-dir> holds `eclairs codegen --prefix model` output (model.h/.c and the kernel files).
# Needs Debian's gcc-sparc64-linux-gnu (docs/leon3.md): -m32 -mcpu=leon3 gives SPARC V8 with the LEON3 integer
# multiply/divide and FPU; -fno-pie -no-pie because Debian's gcc defaults to PIE, which would leave absolute
# addresses unrelocated in a bare-metal image. -Os: the small kernels run 3 % more instructions than at -O2 in 0.9 KB
# less code, which keeps the compact classifier in 64 KB, and GCC 12's -O2 scheduling spills the fast GEMM's sums
# (docs/leon3.md). The code-generation flags are CStackTarget.Leon3's (the stack bound is computed with the same).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
model="$(cd "${1:?model dir}" && pwd)"
vectors="${2:?vectors.eclv}"
out="${3:?out.elf}"
shift 3
cc=sparc64-linux-gnu-gcc
flags=(-m32 -mcpu=leon3 -ffreestanding -fno-pie -std=c99 -Os -ffp-contract=off
       -nostdlib -static -no-pie -Wall -Wextra -Werror -I"$model" -I"$here" -Wl,--build-id=none "$@")
build="$(dirname "$out")/$(basename "$out" .elf).build"
rm -rf "$build"; mkdir -p "$build"
cp "$vectors" "$build/vectors.eclv"
objects=()
for src in "$model"/ecl_int8_*.c "$model/model.c" "$here/uart.c" "$here/console.c" "$here/main.c"; do
  "$cc" "${flags[@]}" -c "$src" -o "$build/$(basename "$src" .c).o"
  objects+=("$build/$(basename "$src" .c).o")
done
"$cc" "${flags[@]}" -c "$here/crt0.S" -o "$build/crt0.o"
(cd "$build" && "$cc" "${flags[@]}" -c "$here/vectors.S" -o vectors.o)
"$cc" "${flags[@]}" -T "$here/leon3.ld" "$build"/crt0.o "${objects[@]}" "$build"/vectors.o -o "$out"
