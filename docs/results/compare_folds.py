#!/usr/bin/env python3
"""Compares crossval set-ups run with the same --seed (hence the same folds) from their folds.csv files.

usage: compare_folds.py NAME=REPORT_DIR [NAME=REPORT_DIR ...]
The first set-up is the reference. Only the (repeat, fold) pairs present in every report are used, so a 5 x 3 run
compares with a 5 x 1 run on repeat 1's folds. Per figure: mean ± sample sd [min, max] over those folds, and for
every other set-up the paired difference to the reference (mean ± sd over folds, and on how many folds it is higher).
"""
import csv
import statistics
import sys

FIGURES = [("test_auc", "AUC, test fold", 1), ("test_rejection", "rejected at 99 % recall, test fold", 100),
           ("test_accuracy", "accuracy at 0.5, test fold", 100), ("heldout_auc", "AUC, held-out", 1),
           ("heldout_rejection", "rejected at 99 % recall, held-out", 100),
           ("heldout_accuracy", "accuracy at 0.5, held-out", 100)]


def read(folder):
    with open(f"{folder}/folds.csv", newline="") as f:
        return {(r["repeat"], r["fold"]): r for r in csv.DictReader(f)}


def spread(values, scale):
    v = [x * scale for x in values]
    sd = statistics.stdev(v) if len(v) > 1 else 0.0
    digits = 4 if scale == 1 else 1
    return f"{statistics.mean(v):.{digits}f} ± {sd:.{digits}f} [{min(v):.{digits}f}, {max(v):.{digits}f}]"


def main(argv):
    setups = [(a.split("=", 1)[0], read(a.split("=", 1)[1])) for a in argv]
    keys = sorted(set.intersection(*(set(rows) for _, rows in setups)))
    print(f"{len(keys)} common folds: " + ", ".join(f"r{int(r) + 1}f{int(f) + 1}" for r, f in keys))
    print()
    print("| figure | " + " | ".join(name for name, _ in setups) + " |")
    print("|---|" + "---:|" * len(setups))
    for column, label, scale in FIGURES:
        ref = [float(setups[0][1][k][column]) for k in keys]
        cells = [spread(ref, scale)]
        for _, rows in setups[1:]:
            values = [float(rows[k][column]) for k in keys]
            diff = [b - a for a, b in zip(ref, values)]
            higher = sum(d > 0 for d in diff)
            cells.append(f"{spread(values, scale)}; Δ {spread(diff, scale).split(' [')[0]}, higher on {higher}/{len(keys)}")
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
