#!/usr/bin/env bash
# Runs a harness image (tools/cortex-m4/build.sh) under qemu-system-arm -M mps2-an386 and prints its console
# (UART0 on stdout). The image ends the emulation through semihosting: exit status 0, or 1 on a fault.
#   tools/cortex-m4/run.sh <image.elf> [marks-file]
# With a marks file, the counting plugin (tools/qemu-plugin) records the instruction count at every call of the
# harness's ecl_mark() into it (tools/budget/inference-counts.sh turns it into counts per inference).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
elf="${1:?image.elf}"
plugin=()
if [ $# -ge 2 ]; then
  arguments="$("$here/../qemu-plugin/mark-arguments.sh" arm-none-eabi-nm "$elf" "$2")" || exit 1
  read -r -a plugin <<<"$arguments"
fi
timeout 600 qemu-system-arm -M mps2-an386 -nographic -monitor none -semihosting-config enable=on,target=native \
  "${plugin[@]}" -kernel "$elf" </dev/null
