#!/usr/bin/env bash
# Runs tools/slurm/dataset-array.sbatch as three Slurm array tasks would (SLURM_ARRAY_* set by hand; no Slurm here),
# merges the parts with `eclairs dataset merge` and checks the .npz and .truth.json are the unsharded run's bytes.
# Prints "N passed, M failed" for tests/run.sh.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dll="$root/tools/Eclairs.Cli/bin/Release/net10.0/eclairs.dll"
[ -f "$dll" ] || dotnet build "$root/tools/Eclairs.Cli/Eclairs.Cli.csproj" -c Release -v q >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
passed=0 failed=0
for k in 0 1 2; do
  SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=3 PRESET=seed SCALE=0.03 SEED=9 OUT="$out" \
    ECLAIRS="dotnet $dll" bash "$root/tools/slurm/dataset-array.sbatch" >/dev/null || { echo "array task $k failed"; failed=$((failed + 1)); }
done
dotnet "$dll" dataset merge "$out"/part-2.npz "$out"/part-0.npz "$out"/part-1.npz --out "$out/all.npz" || failed=$((failed + 1))
dotnet "$dll" dataset --preset seed --scale 0.03 --seed 9 --threads 2 --out "$out/whole.npz" >/dev/null || failed=$((failed + 1))
for f in npz truth.json; do
  if cmp -s "$out/all.$f" "$out/whole.$f"; then
    echo "merged .$f is the unsharded run's bytes"; passed=$((passed + 1))
  else
    echo "merged .$f differs from the unsharded run"; failed=$((failed + 1))
  fi
done
if dotnet "$dll" dataset merge "$out"/part-0.npz "$out"/part-2.npz --out "$out/bad.npz" 2>/dev/null; then
  echo "a merge with a missing shard was accepted"; failed=$((failed + 1))
else
  echo "a merge with a missing shard is refused"; passed=$((passed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
