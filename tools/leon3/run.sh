#!/usr/bin/env bash
# Runs a harness image (tools/leon3/build.sh) under qemu-system-sparc -M leon3_generic and prints its console.
#   tools/leon3/run.sh <image.elf> [marks-file]
# With a marks file, the counting plugin (tools/qemu-plugin) records the instruction count at every call of the
# harness's ecl_mark() into it (tools/budget/inference-counts.sh turns it into counts per inference).
# Exit status: qemu's (a trap with traps disabled stops it with 134); a hang is cut after 600 s.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
elf="${1:?image.elf}"
plugin=()
if [ $# -ge 2 ]; then
  arguments="$("$here/../qemu-plugin/mark-arguments.sh" sparc64-linux-gnu-nm "$elf" "$2")" || exit 1
  read -r -a plugin <<<"$arguments"
fi
timeout 600 qemu-system-sparc -M leon3_generic -nographic -monitor none "${plugin[@]}" -kernel "$elf" </dev/null
