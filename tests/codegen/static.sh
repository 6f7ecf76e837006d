#!/usr/bin/env bash
# Static checks of the generated C and the kernel files (docs/leon3.md, "Coding standard"), both kernel sets:
# 1. warnings: gcc -Wall -Wextra -Wconversion -Wsign-conversion -Wcast-align -Wshadow -pedantic -Werror, and
#    clang-14 -Weverything -Werror minus the justified list below;
# 2. MISRA C:2012 with Debian's cppcheck misra addon. The rule texts are licensed by MISRA and not public, so the
#    addon runs without --rule-texts and reports rules by number; tests/codegen/misra-c2012-categories.tsv gives each
#    rule's category. Fails on any mandatory rule, and on any required or advisory rule that is not a deviation of
#    the table in docs/leon3.md ("MISRA C:2012 deviations").
# The generated models are the fixtures Tiny's and ResidualSmall's (tests/codegen/fixtures: every kind of step, both
# kernel sets; the same template as every model's, with few enough parameters for cppcheck to read quickly). Each check is skipped with a message when its tool is missing.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/artifacts/codegen-static"
rm -rf "$work"; mkdir -p "$work"
status=0
dotnet build "$root/tools/Eclairs.Cli/Eclairs.Cli.csproj" -c Release -v q -nologo >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
cli=(dotnet "$root/tools/Eclairs.Cli/bin/Release/net10.0/eclairs.dll")
model="$root/tests/codegen/fixtures/tiny-tame.int8.eclw"
residual="$root/tests/codegen/fixtures/residualsmall-tame.int8.eclw" # every residual step (Add, Branch, average pool, strided)

# clang-14 -Weverything, minus:
#   -Wpadded: struct padding after 32-bit members on 64-bit hosts (the pointer members are 8 bytes there); the 32-bit
#             flight targets have none, and explicit fillers would cost parameter memory on them;
#   -Wdeclaration-after-statement: a C89 compatibility warning; the code is C99, which MISRA C:2012 allows, and
#             declaring values where they are computed keeps them const.
clang_off=(-Wno-padded -Wno-declaration-after-statement)
gcc_on=(-Wall -Wextra -Wconversion -Wsign-conversion -Wcast-align -Wshadow -pedantic -Werror)

for kernels in small fast; do
  dir="$work/$kernels"
  "${cli[@]}" codegen --model "$model" --out "$dir" --prefix model --kernels "$kernels" >/dev/null || { echo "0 passed, 1 failed"; status=1; continue; }
  "${cli[@]}" codegen --model "$residual" --out "$dir" --prefix residual --kernels "$kernels" >/dev/null || { echo "0 passed, 1 failed"; status=1; continue; }
  sources=("$dir/model.c" "$dir/residual.c" "$dir"/ecl_int8_*.c)
  echo "== codegen static: gcc ${gcc_on[*]}, --kernels $kernels"
  ok=1
  for src in "${sources[@]}"; do gcc -std=c99 -O2 "${gcc_on[@]}" -I"$dir" -c "$src" -o /dev/null || ok=0; done
  [ $ok -eq 1 ] && echo "1 passed, 0 failed" || { echo "0 passed, 1 failed"; status=1; }
  if command -v clang-14 >/dev/null; then
    echo "== codegen static: clang-14 -Weverything ${clang_off[*]}, --kernels $kernels"
    ok=1
    for src in "${sources[@]}"; do clang-14 -std=c99 -O2 -Weverything "${clang_off[@]}" -Werror -I"$dir" -c "$src" -o /dev/null || ok=0; done
    [ $ok -eq 1 ] && echo "1 passed, 0 failed" || { echo "0 passed, 1 failed"; status=1; }
  else
    echo "== codegen static: clang-14 skipped, not installed (.ci/run installs clang-14)"
  fi
done

if ! command -v cppcheck >/dev/null || ! cppcheck --addon=misra --version >/dev/null 2>&1; then
  echo "== codegen MISRA: skipped, no cppcheck (.ci/run installs cppcheck, whose misra addon this uses)"
  exit $status
fi
echo "== codegen MISRA C:2012 (cppcheck $(cppcheck --version | awk '{print $2}') misra addon, rules by number)"
for kernels in small fast; do
  dir="$work/$kernels"
  cppcheck --addon=misra --std=c99 --quiet -I"$dir" "$dir/model.c" "$dir/residual.c" "$dir"/ecl_int8_*.c > "$work/misra-$kernels.txt" 2>&1
done
python3 - "$root" "$work" <<'PY'
import glob, os, re, sys
root, work = sys.argv[1], sys.argv[2]
category = {}
for line in open(os.path.join(root, "tests/codegen/misra-c2012-categories.tsv")):
    if line.strip() and not line.startswith("#"):
        rule, cat = line.split()
        category[rule] = {"M": "Mandatory", "R": "Required", "A": "Advisory"}[cat]
# The deviation table of docs/leon3.md: rows "| D<n> | <rule> | <category> | ... |".
deviations = {}
for line in open(os.path.join(root, "docs/leon3.md"), encoding="utf-8"):
    m = re.match(r"\|\s*(D\d+)\s*\|\s*(\d+\.\d+)\s*\|\s*(\w+)\s*\|", line)
    if m:
        deviations[m.group(2)] = m.group(1)
found = {}
for path in sorted(glob.glob(os.path.join(work, "misra-*.txt"))):
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.search(r"([^/\s]+):(\d+):\d+: .*\[misra-c2012-(\d+\.\d+)\]", line)
        if m:
            found.setdefault(m.group(3), set()).add(f"{m.group(1)}:{m.group(2)}")
failures = 0
for rule in sorted(found, key=lambda r: tuple(int(x) for x in r.split("."))):
    cat = category.get(rule, "unknown")
    where = ", ".join(sorted(found[rule]))
    if cat in ("Mandatory", "unknown"):
        print(f"  rule {rule} ({cat}) violated at {where}: not allowed")
        failures += 1
    elif rule not in deviations:
        print(f"  rule {rule} ({cat}) violated at {where}: no deviation recorded in docs/leon3.md")
        failures += 1
    else:
        print(f"  rule {rule} ({cat}): deviation {deviations[rule]}, at {where}")
for rule, d in sorted(deviations.items()):
    if rule not in found:
        print(f"  deviation {d} (rule {rule}) is no longer needed: cppcheck reports no violation of it")
print(f"{'1 passed, 0 failed' if failures == 0 else '0 passed, 1 failed'} (no mandatory rule violated, every other violation a recorded deviation)")
sys.exit(1 if failures else 0)
PY
[ $? -eq 0 ] || status=1
exit $status
