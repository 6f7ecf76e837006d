#!/usr/bin/env python3
"""Turns BenchmarkDotNet's CSV of PathComparisonBenchmarks into the merged table of docs/benchmarks.md.

  dotnet run -c Release --project bench/Eclairs.Onboard.Benchmarks -- --filter '*PathComparison*' --job short
  python3 tools/budget/paths-table.py [report.csv] [--ghz 2.6]

Per path: median and min time, ratio to ONNX Runtime (medians, same run), MACs per ns, and the fraction of the core's
peak for the SIMD width the path uses; then per model the int8 best / float best ratios (the int8 acceptance figure). Peaks (AMD Zen 4, per core and cycle; the figures are stated in the table's notes):
  float32: two FMA pipes of 256 bits: scalar 2, 128-bit 8, 256-bit 16, 512-bit 16 (double-pumped on the same pipes).
  int8:    (V)PMADDWD, two int16 products per int32 lane, assumed 2 per cycle like the FMA pipes: 128-bit 16,
           256-bit 32, 512-bit 32 (double-pumped); scalar: one integer multiply per cycle.
"""
import csv
import glob
import re
import sys

MACS = {"cnn-v1": 17_862_784, "compact-v1": 8_242_976}
# Products the float SIMD paths execute: 3x3 convolutions with cin >= 8 and an even output size run as Winograd
# F(2x2,3x3), 16 products per 2x2 tile instead of 36 (x 4/9); the others direct (docs/engine.md).
#   cnn-v1:     conv1 1,806,336 (cin 2) + conv2 14,450,688 x 4/9 + dense 1,605,632 + 128
#   compact-v1: conv1 903,168 (cin 2) + conv2 3,612,672 x 4/9 + conv3 2,709,504 x 4/9 + conv4 1,016,064 (7x7) + 1,568
FLOAT_WINOGRAD_PRODUCTS = {"cnn-v1": 1_806_336 + 14_450_688 * 4 // 9 + 1_605_632 + 128,
                           "compact-v1": 903_168 + 3_612_672 * 4 // 9 + 2_709_504 * 4 // 9 + 1_016_064 + 1_568}
# The int8 SIMD paths (docs/int8.md): conv1 (cin 2, pool fused) as the one-pair F(2x2) (x 4/9), 28x28 convolutions as
# F(4x4,3x3) (36 products per 4x4 tile instead of 144: x 1/4), compact-v1's 14x14 conv3 as F(2x2), the rest direct.
#   cnn-v1:     conv1 1,806,336 x 4/9 + conv2 14,450,688 / 4 + dense 1,605,632 + 128
#   compact-v1: conv1 903,168 x 4/9 + conv2 3,612,672 / 4 + conv3 2,709,504 x 4/9 + conv4 1,016,064 + 1,568
INT8_WINOGRAD_PRODUCTS = {"cnn-v1": 1_806_336 * 4 // 9 + 14_450_688 // 4 + 1_605_632 + 128,
                          "compact-v1": 903_168 * 4 // 9 + 3_612_672 // 4 + 2_709_504 * 4 // 9 + 1_016_064 + 1_568}
# (label in the CSV, what it runs, peak MACs per cycle, products executed per model, None = every MAC)
PATHS = [
    ("'ONNX Runtime, 1 thread'", "ONNX Runtime 1.31.1 (MLAS, AVX-512)", 16, None),
    ("'float scalar'", "float32 scalar reference", 2, None),
    ("'float Vector128'", "float32 Vector128", 8, FLOAT_WINOGRAD_PRODUCTS),
    ("'float best'", "float32 best (Vector512)", 16, FLOAT_WINOGRAD_PRODUCTS),
    ("'int8 scalar'", "int8 scalar reference", 1, None),
    ("'int8 Vector128'", "int8 Vector128 (PMADDWD, integer Winograd)", 16, INT8_WINOGRAD_PRODUCTS),
    ("'int8 best'", "int8 best (Auto: Vector512 or Vector256, integer Winograd, fused pooling)", 32, INT8_WINOGRAD_PRODUCTS),
]
UNITS = {"ns": 1e-3, "μs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}


def microseconds(cell):
    number, unit = re.match(r"([\d,.]+)\s*(\S+)", cell.strip()).groups()
    return float(number.replace(",", "")) * UNITS[unit]


def main(argv):
    ghz = 2.6
    if "--ghz" in argv:
        i = argv.index("--ghz")
        ghz = float(argv[i + 1])
        del argv[i:i + 2]
    path = argv[1] if len(argv) > 1 else glob.glob("BenchmarkDotNet.Artifacts/results/*PathComparisonBenchmarks-report.csv")[0]
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    print(f"| model | path | median | min | vs ONNX Runtime (median) | MACs/ns (min) | products/ns (min) | peak MACs/cycle | % of peak at {ghz} GHz (min) | allocated |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for model in MACS:
        by_method = {r["Method"].strip('"'): r for r in rows if r["Model"] == model}
        ort = microseconds(by_method[PATHS[0][0]]["Median"])
        for label, what, peak, executed in PATHS:
            r = by_method.get(label)
            if r is None:
                continue
            median, least = microseconds(r["Median"]), microseconds(r["Min"])
            products = executed[model] if executed else MACS[model]
            per_ns = MACS[model] / (least * 1000)
            products_per_ns = products / (least * 1000)
            share = 100 * products_per_ns / (peak * ghz)
            print(f"| {model} | {what} | {median:,.0f} us | {least:,.0f} us | {median / ort:.2f} | {per_ns:.2f} | "
                  f"{products_per_ns:.2f} | {peak} | {share:.0f} % | {r['Allocated']} |")
    print()
    for model in MACS:
        by_method = {r["Method"].strip('"'): r for r in rows if r["Model"] == model}
        if "'int8 best'" in by_method and "'float best'" in by_method:
            i8, f32 = by_method["'int8 best'"], by_method["'float best'"]
            print(f"{model}: int8 best / float best = {microseconds(i8['Median']) / microseconds(f32['Median']):.3f} (medians), "
                  f"{microseconds(i8['Min']) / microseconds(f32['Min']):.3f} (minima), "
                  f"{microseconds(i8['Mean']) / microseconds(f32['Mean']):.3f} (means)")


if __name__ == "__main__":
    main(sys.argv)
