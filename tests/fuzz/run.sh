#!/usr/bin/env bash
# Coverage-guided fuzzing of the .eclw model loader: SharpFuzz 2.3.0 instruments Eclairs.Onboard.Inference.dll for
# AFL++, which mutates a seed corpus of real model files (tools/Eclairs.Fuzz, docs/robustness.md).
#   tests/fuzz/run.sh [seconds=120]
# Needs afl++ (apt) and the SharpFuzz.CommandLine dotnet tool (installed here into artifacts/ if missing).
# Replays tests/fuzz/regressions/* first, then fuzzes; fails on any crash or hang. Prints "N passed, M failed".
set -euo pipefail
seconds="${1:-120}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/artifacts/fuzz"
rm -rf "$work/plain" "$work/bin" "$work/corpus" "$work/findings"
mkdir -p "$work"

# Two copies: instrumented code only runs under AFL++ (its coverage map comes from afl-fuzz), so seeding and
# replaying use the plain build.
dotnet build "$root/tools/Eclairs.Fuzz/Eclairs.Fuzz.csproj" -c Release -o "$work/plain" --nologo -v quiet | grep -E "error|warn" || true
cp -r "$work/plain" "$work/bin"
[ -x "$work/tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$work/tools" >/dev/null
"$work/tools/sharpfuzz" "$work/bin/Eclairs.Onboard.Inference.dll" >/dev/null
fuzz=(dotnet "$work/plain/eclairs-fuzz.dll")

# Regressions: every input that ever crashed the loader stays here, replayed outside AFL.
shopt -s nullglob
regressions=("$root"/tests/fuzz/regressions/loader-*)
[ "${#regressions[@]}" -eq 0 ] || "${fuzz[@]}" replay "${regressions[@]}"

"${fuzz[@]}" seed "$work/corpus" "$root/weights/eclairs-compact-v1.int8.eclw"
"${fuzz[@]}" replay "$work/corpus"/* | tail -1 | sed 's/^fuzz replay/fuzz seed corpus/'

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_FORKSRV_INIT_TMOUT=60000
afl-fuzz -i "$work/corpus" -o "$work/findings" -t 5000 -m none -V "$seconds" -- dotnet "$work/bin/eclairs-fuzz.dll" > "$work/afl.log" 2>&1 \
  || { tail -30 "$work/afl.log"; echo "fuzz loader: 0 passed, 1 failed"; exit 1; }

stats="$work/findings/default/fuzzer_stats"
field() { awk -F' *: *' -v k="$1" '$1 == k {print $2}' "$stats"; }
crashes="$(field saved_crashes)" hangs="$(field saved_hangs)" execs="$(field execs_done)"
echo "fuzz loader: ${seconds} s, $execs executions, $(field execs_per_sec) per s, corpus $(field corpus_count) inputs," \
     "coverage $(field bitmap_cvg) of the map, $(field edges_found) edges, crashes $crashes, hangs $hangs"
if [ "$crashes" != 0 ] || [ "$hangs" != 0 ] || [ "${execs:-0}" -eq 0 ]; then
  for f in "$work"/findings/default/crashes/id* "$work"/findings/default/hangs/id*; do
    echo "finding: $f"; "${fuzz[@]}" replay "$f" || true
  done
  echo "fuzz loader: 0 passed, 1 failed"
  exit 1
fi
echo "fuzz loader: 1 passed, 0 failed"
