#!/usr/bin/env bash
# Requantizes the shipped int8 models from the float32 ones in weights/ and regenerates the replay vectors of the
# native harness (tests/native/vectors). Rerun after any change to weights/*.f32.eclw (weights or decision
# threshold): the int8 integer threshold is derived from the float file's threshold by the quantizer, and the
# vectors carry each model's CRC. Calibration: the training set (preset large, seed 1), never the test split.
# The quantizer and the golden-vector writer are the ground tools project tools/Eclairs.Quantization (via the CLI).
# Usage: tools/quantize-shipped.sh [data-dir]   (default data/ of the repository: large.npz and
# large-test-seed2.npz, made by the `eclairs dataset` commands of weights/MODEL_CARD.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-$root/data}
cd "$root"
dotnet build tools/Eclairs.Cli/Eclairs.Cli.csproj -c Release --nologo -v q >/dev/null
cli=(dotnet tools/Eclairs.Cli/bin/Release/net10.0/eclairs.dll)
# Per-layer golden vectors (ECLG, docs/int8.md) of the first test alerts: 8 of compact-v1 (115 KB each), 2 of
# cnn-v1 (201 KB each), to keep the committed total small; the .eclv files hold the final logits of 64 alerts.
declare -A golden=([cnn]=2 [compact]=8)
for m in cnn compact; do
  echo "== eclairs-$m-v1"
  "${cli[@]}" quantize --model "weights/eclairs-$m-v1.f32.eclw" --calibration "$data/large.npz" --max-calibration 2000 \
    --out "weights/eclairs-$m-v1.int8.eclw" --test "$data/large-test-seed2.npz" --sqnr-count 256 \
    --golden "tests/native/vectors/eclairs-$m-v1.int8.eclg" --golden-count "${golden[$m]}"
  "${cli[@]}" vectors --model "weights/eclairs-$m-v1.int8.eclw" --data "$data/large-test-seed2.npz" --count 64 \
    --out "tests/native/vectors/eclairs-$m-v1.int8.eclv"
done
# The float vectors carry the float file's CRC, which a new threshold also changes.
"${cli[@]}" vectors --model weights/eclairs-compact-v1.f32.eclw --data "$data/large-test-seed2.npz" --count 64 \
  --out tests/native/vectors/eclairs-compact-v1.f32.eclv
