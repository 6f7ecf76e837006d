#!/usr/bin/env bash
# The project's test command (README, .ci/run): every xunit project of the solution, then the native
# library's C tests on linux-x64 and, where the cross toolchain and qemu are installed, linux-arm64.
# Ends with one line "tests: N passed, M failed" summing every stage; exits non-zero on any failure.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
log="$(mktemp)"
status=0

# The ground service's tests run on SQLite and on a real PostgreSQL server: a private cluster started here
# (tests/ground/postgres.sh) for the whole run; without Debian's postgresql their PostgreSQL cases are skipped.
if source tests/ground/postgres.sh start; then
  trap 'tests/ground/postgres.sh stop "$ECLAIRS_TEST_POSTGRES_DIR"' EXIT
else
  echo "== ground service: PostgreSQL cases skipped, no postgresql server (.ci/run installs postgresql)"
fi
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
  || echo "== ground service: browser test skipped, no chromium/chromium-driver (.ci/run installs them)"

echo "== dotnet test"
dotnet test Eclairs.Onboard.sln -c Release 2>&1 | tee "$log" || status=1

run_native() {
  echo "== native tests ($1)"
  tests/native/run.sh "$1" 2>&1 | tee -a "$log" || status=1
}
run_native linux-x64
if command -v aarch64-linux-gnu-gcc >/dev/null && command -v qemu-aarch64 >/dev/null && command -v clang-14 >/dev/null \
   && command -v llvm-objcopy-14 >/dev/null && [ -d /usr/aarch64-linux-gnu/lib ]; then
  run_native linux-arm64
else
  echo "== native tests (linux-arm64): skipped, no aarch64 cross toolchain, clang-14/llvm-14 or qemu-user (.ci/run installs them)"
fi

# The ground service classifies exactly as the C ABI's ecl_classify, now that the NativeAOT library is built.
echo "== ground service: stored classifications against the native library's ecl_classify"
ECLAIRS_NATIVE_LIB="$root/artifacts/native/linux-x64/libeclairs_onboard.so" \
  dotnet test tests/Eclairs.Ground.Tests -c Release --no-build --filter "FullyQualifiedName~EclClassifyParity" 2>&1 | tee -a "$log" || status=1

# Generated C (eclairs codegen) on the host and bare metal on LEON3 (qemu-system-sparc) and Cortex-M4 (qemu-system-arm),
# then its static checks (compiler warnings, MISRA C:2012 with cppcheck) and its structural coverage (gcov); each
# target or tool is skipped with a message when it is not installed.
echo "== codegen tests (host gcc, LEON3 under qemu-system-sparc, Cortex-M4 under qemu-system-arm)"
tests/codegen/run.sh 2>&1 | tee -a "$log" || status=1
echo "== codegen static checks (gcc, clang-14, cppcheck MISRA C:2012)"
tests/codegen/static.sh 2>&1 | tee -a "$log" || status=1
echo "== codegen coverage (gcov)"
tests/codegen/coverage.sh 2>&1 | tee -a "$log" || status=1
# Fuzzing (docs/robustness.md), bounded: the model loader with SharpFuzz + AFL++ (120 s), the C ABI with libFuzzer
# (60 s). Each fails on any crash or hang. Skipped when afl-fuzz or clang-14's libFuzzer runtime is missing.
if command -v afl-fuzz >/dev/null; then
  echo "== fuzz: model loader (SharpFuzz + AFL++)"
  tests/fuzz/run.sh 120 2>&1 | tee -a "$log" || status=1
else
  echo "== fuzz: model loader skipped, no afl-fuzz (.ci/run installs afl++)"
fi
if command -v clang-14 >/dev/null && ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "== fuzz: C ABI (libFuzzer)"
  tests/fuzz/run-abi.sh 60 2>&1 | tee -a "$log" || status=1
else
  echo "== fuzz: C ABI skipped, no clang-14 libFuzzer runtime (.ci/run installs libclang-rt-14-dev)"
fi

# The Slurm array example (tools/slurm) run as three array tasks by hand, merged, compared with the unsharded run.
echo "== slurm array example (3 shards + dataset merge vs one run)"
tests/slurm/run.sh 2>&1 | tee -a "$log" || status=1

# Sum "Passed: N" / "Failed: N" of dotnet test's summaries and "N passed, M failed" of the C programs.
passed=$(grep -hoE '(Passed: +[0-9]+|[0-9]+ passed)' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
failed=$(grep -hoE '(Failed: +[0-9]+|[0-9]+ failed)' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
# CI shows only the end of the output: repeat what failed there, each dotnet test failure with its message and each
# C stage's failing count with the lines that led to it.
if [ "${failed:-0}" -ne 0 ] || [ "$status" -ne 0 ]; then
  echo "== what failed"
  grep -E -A 8 '^ +Failed [A-Za-z_][A-Za-z0-9_.]*' "$log" | cut -c1-400
  grep -E -B 4 '(^|[^0-9])[1-9][0-9]* failed' "$log" | grep -vE '^ +Failed |Failed: ' | cut -c1-400
fi
rm -f "$log"
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
