#!/usr/bin/env bash
# Structural coverage of the generated C on the host (docs/leon3.md, "Coverage"): gcc --coverage builds of the kernel
# files (compiled once, so every program adds to the same counts) and of each generated model, driven by
# tests/codegen/replay.c: the golden vectors of both shipped int8 models and the coverage fixtures
# and the residual network (tests/codegen/fixtures, vectors recorded at test time by `eclairs vectors` from the
# managed reference), each with
# both kernel sets, plus the refused and extreme inputs replay.c adds. Then gcov: every line of the kernel files and
# the generated models executed, at least 95 % of the branches taken, and each branch never taken listed.
#   tests/codegen/coverage.sh          prints "N passed, M failed" per program and for the two goals
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/artifacts/codegen-coverage"
if ! command -v gcov >/dev/null; then
  echo "== codegen coverage: skipped, no gcov (Debian's gcc ships it)"; exit 0
fi
rm -rf "$work"; mkdir -p "$work/kernels"
status=0
dotnet build "$root/tools/Eclairs.Cli/Eclairs.Cli.csproj" -c Release -v q -nologo >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
cli=(dotnet "$root/tools/Eclairs.Cli/bin/Release/net10.0/eclairs.dll")
cflags=(-std=c99 -O0 --coverage -ffp-contract=off -Wall -Wextra -Werror)

models=(
  "eclairs-compact-v1.int8|$root/weights/eclairs-compact-v1.int8.eclw|$root/tests/native/vectors/eclairs-compact-v1.int8.eclv"
  "eclairs-cnn-v1.int8|$root/weights/eclairs-cnn-v1.int8.eclw|$root/tests/native/vectors/eclairs-cnn-v1.int8.eclv"
)
for fixture in "$root"/tests/codegen/fixtures/coverage*.int8.eclw "$root"/tests/codegen/fixtures/residual-tame.int8.eclw; do
  name="$(basename "$fixture" .eclw)"
  "${cli[@]}" vectors --model "$fixture" --count 4 --seed 11 --out "$work/$name.eclv" >/dev/null || { echo "0 passed, 1 failed"; status=1; }
  models+=("$name|$fixture|$work/$name.eclv")
done

# The kernel files, once (they do not depend on the model); generated from the residual fixture with --kernels fast,
# the one combination whose output carries every hand-written file (ecl_int8_fast.c and ecl_int8_residual.c).
"${cli[@]}" codegen --model "$root/tests/codegen/fixtures/residual-tame.int8.eclw" --out "$work/kernels" --prefix model --kernels fast >/dev/null
rm -f "$work/kernels/model.c" "$work/kernels/model.h"
(cd "$work/kernels" && for src in ecl_int8_*.c; do gcc "${cflags[@]}" -c "$src" -o "${src%.c}.o" || exit 1; done) || { echo "0 passed, 1 failed"; exit 1; }

for entry in "${models[@]}"; do
  IFS='|' read -r name model vectors <<<"$entry"
  for kernels in small fast; do
    dir="$work/$name-$kernels"
    echo "== codegen coverage: $name, --kernels $kernels"
    "${cli[@]}" codegen --model "$model" --out "$dir" --prefix model --kernels "$kernels" >/dev/null \
      && (cd "$dir" && gcc "${cflags[@]}" -I"$work/kernels" -c model.c -o model.o) \
      && gcc -std=c99 -O1 -I"$dir" -I"$root/tools/leon3" "$root/tests/codegen/replay.c" "$dir/model.o" "$work"/kernels/ecl_int8_*.o --coverage -o "$dir/replay" \
      || { echo "0 passed, 1 failed"; status=1; continue; }
    "$dir/replay" "$vectors" | grep -v '^extremes:' || status=1
  done
done

# gcov: per source, "Lines executed:P% of N" and "Taken at least once:P% of N"; the .gcov files mark lines never
# executed with ##### and branches never taken with "never executed" or "taken 0%".
report="$work/gcov.txt"; : > "$report"
(cd "$work/kernels" && gcov -b -c -o . ecl_int8_*.c >> "$report" 2>&1)
for dir in "$work"/*-small "$work"/*-fast; do
  (cd "$dir" && gcov -b -c -o . model.c >> "$report" 2>&1)
done
python3 - "$work" "$report" <<'PY'
import glob, os, re, sys
work, report = sys.argv[1], sys.argv[2]
lines = branches = lines_hit = branches_hit = 0
missed_lines, missed_branches = [], []
for path in sorted(glob.glob(os.path.join(work, "kernels", "*.gcov")) + glob.glob(os.path.join(work, "*-*", "model.c.gcov"))):
    source = os.path.basename(path)[:-5]
    if not source.startswith(("ecl_int8_", "model.c")):
        continue
    where = source if "kernels" in path else os.path.basename(os.path.dirname(path)) + "/" + source
    current = None
    for text in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"\s*([^:]+):\s*(\d+):(.*)", text)
        if m:
            count, number, code = m.group(1).strip(), int(m.group(2)), m.group(3)
            if number == 0:
                continue
            current = (where, number, code.strip())
            if count == "-":
                continue
            lines += 1
            if count.startswith("#####") or count.startswith("====="):
                missed_lines.append(current)
            else:
                lines_hit += 1
            continue
        b = re.match(r"branch\s+(\d+)\s+(never executed|taken (\d+)%?.*)", text)
        if b and current is not None:
            branches += 1
            taken = b.group(2) != "never executed" and not re.match(r"taken 0\b", b.group(2))
            if taken:
                branches_hit += 1
            else:
                missed_branches.append((current, b.group(1)))
print(f"coverage: lines {lines_hit} of {lines} ({100.0 * lines_hit / max(lines, 1):.2f} %), "
      f"branches taken {branches_hit} of {branches} ({100.0 * branches_hit / max(branches, 1):.2f} %)")
for where, number, code in missed_lines:
    print(f"  line never executed: {where}:{number}: {code}")
for (where, number, code), branch in missed_branches:
    print(f"  branch {branch} never taken: {where}:{number}: {code}")
ok_lines = lines_hit == lines and lines > 0
ok_branches = branches > 0 and branches_hit * 100 >= 95 * branches
print("1 passed, 0 failed" if ok_lines else "0 passed, 1 failed", "(every line executed)")
print("1 passed, 0 failed" if ok_branches else "0 passed, 1 failed", "(at least 95 % of the branches taken)")
sys.exit(0 if ok_lines and ok_branches else 1)
PY
[ $? -eq 0 ] || status=1
exit $status
