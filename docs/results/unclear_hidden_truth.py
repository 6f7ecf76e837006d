#!/usr/bin/env python3
"""Scores unclear alerts against the simulator's hidden truth.

Unclear alerts (label 2) are the deck's undecidable cases, but the simulator knows whether a new source
(not in the catalogue) shone within 2 sky pixels of the alert -- the rule that would have labelled it true
(docs/simulation.md, Labels). This prints, per cause and per scorer, the fraction of such alerts called true
(recall on the hidden true ones), the fraction of the others called true, and the AUC of the scores.

usage: unclear_hidden_truth.py <data>.truth.json <report>/scores.csv
"""
import csv
import json
import sys


def auc(pos, neg):
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main(truth_path, scores_path):
    truth = json.load(open(truth_path))
    rows = list(csv.DictReader(open(scores_path)))
    assert len(truth) == len(rows), "truth and scores must list the same alerts in the same order"
    hidden = []
    for t in truth:
        near = any(s["IsNew"] and s["RateCountsPerS"] > 0 and s.get("VisibleFraction", 1) > 0
                   and (s["Y"] - t["SkyY"]) ** 2 + (s["Z"] - t["SkyZ"]) ** 2 <= 4 for s in t["NewSources"])
        hidden.append(near)
    scorers = [k[:-6] for k in rows[0] if k.endswith("_score")]
    print("| cause | new source there / not | " + " | ".join(f"{s}: called true (there / not), AUC" for s in scorers) + " |")
    print("|---|---:|" + "---:|" * len(scorers))
    for cause in sorted({r["cause"] for r in rows if r["label"] == "2"}, key=int):
        idx = [i for i, r in enumerate(rows) if r["label"] == "2" and r["cause"] == cause]
        there = [i for i in idx if hidden[i]]
        not_there = [i for i in idx if not hidden[i]]
        cells = []
        for s in scorers:
            frac = lambda ids: sum(rows[i][s + "_decision"] == "1" for i in ids) / max(len(ids), 1)
            a = auc([float(rows[i][s + "_score"]) for i in there], [float(rows[i][s + "_score"]) for i in not_there])
            cells.append(f"{frac(there):.1%} / {frac(not_there):.1%}, {a:.3f}")
        print(f"| {cause} | {len(there)} / {len(not_there)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
