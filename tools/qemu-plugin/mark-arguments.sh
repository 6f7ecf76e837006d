#!/usr/bin/env bash
# The qemu arguments that load the counting plugin with a mark at the harness's ecl_mark() (tools/leon3/main.c):
#   tools/qemu-plugin/mark-arguments.sh <nm tool> <image.elf> <marks-file>
# prints "-plugin <insn_count.so>,mark=0x<address>,marks=<marks-file> -d plugin" (bit 0 of a Thumb symbol cleared).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
so="$("$here/build.sh" | tail -1)"
symbol="$("${1:?nm tool}" "${2:?image.elf}" | awk '$3 == "ecl_mark" { print $1 }')"
[ -n "$symbol" ] || { echo "mark-arguments.sh: no ecl_mark in $2" >&2; exit 1; }
printf -- '-plugin %s,mark=0x%x,marks=%s -d plugin\n' "$so" $(( 0x$symbol & ~1 )) "${3:?marks file}"
