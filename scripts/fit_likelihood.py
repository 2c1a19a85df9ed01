#!/usr/bin/env python3
"""Fits the likelihood model's weights (data/scores/likelihood.tsv) on annotated articles.

Usage:
    cargo run --release -p mercato -- forecast ../shared/corpus/dev.jsonl > /tmp/forecasts.jsonl
    python3 scripts/fit_likelihood.py /tmp/forecasts.jsonl ../shared/corpus/dev_outcomes.jsonl \
        [--write data/scores/likelihood.tsv]

What it does:
  * joins mercato's forecasts (one per extracted `to` link, made with only what was known on
    the article's day) with the outcomes on (article id, folded player, folded club);
    outcomes other than joined/not_joined are left out;
  * rows whose thread was already resolved on the article's day (completed: 1,
    superseded: 0) are scored as they are and not used for fitting;
  * fits an L2-regularised logistic regression (Newton's method) on the features that
    mercato writes as components (stage, corroboration, sources, credibility, denied,
    rivals, hedged, fee);
  * reports 10-fold cross-validation grouped by article (every link of an article in the
    same fold) for: the stage rate alone, and the fitted model; then fits on everything and
    writes the weights with --write.

Standard library only, deterministic (folds from a hash of the article id).
"""
import argparse
import hashlib
import json
import math
import os
import sys
import unicodedata

FEATURES = ["stage", "corroboration", "sources", "credibility", "denied", "rivals", "hedged", "fee"]
L2 = 1.0
FOLDS = 10


def key(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return " ".join(s.split())


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def solve(a, b):
    """Solves a x = b by Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[c][c] != 0:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def fit(xs, ys, l2=L2):
    """Logistic regression; the intercept (first weight) is not penalised."""
    d = len(xs[0]) + 1
    w = [0.0] * d
    for _ in range(50):
        grad = [0.0] * d
        hess = [[0.0] * d for _ in range(d)]
        for x, y in zip(xs, ys):
            v = [1.0] + x
            p = sigmoid(sum(wi * vi for wi, vi in zip(w, v)))
            for i in range(d):
                grad[i] += (p - y) * v[i]
                for j in range(d):
                    hess[i][j] += p * (1 - p) * v[i] * v[j]
        for i in range(1, d):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        step = solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w


def predict(w, x):
    return sigmoid(w[0] + sum(wi * xi for wi, xi in zip(w[1:], x)))


def auc(pairs):
    pairs = sorted(pairs)
    rank_sum, k, n = 0.0, 0, len(pairs)
    while k < n:
        j = k
        while j < n and pairs[j][0] == pairs[k][0]:
            j += 1
        rank_sum += (k + 1 + j) / 2.0 * sum(1 for p in pairs[k:j] if p[1])
        k = j
    pos = sum(1 for p in pairs if p[1])
    neg = n - pos
    return (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg) if pos and neg else float("nan")


def brier(pairs):
    return sum((p - y) ** 2 for p, y in pairs) / len(pairs)


def fold_of(article):
    return int(hashlib.sha1(article.encode()).hexdigest(), 16) % FOLDS


def read_rates(path):
    """The `stage<TAB>rate` rows of data/scores/stage_rates.tsv, the table mercato reads."""
    rates = {}
    for line in open(path, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            stage, rate = line.rstrip("\n").split("\t")
            rates[stage] = float(rate)
    return rates


STAGE_RATES = read_rates(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "scores", "stage_rates.tsv"))


def logit(p):
    p = min(0.99, max(0.01, p))
    return math.log(p / (1 - p))


def gold_report(path, rows, fixed):
    """The same cross-validation with the annotators' stage of each rumour as the stage feature:
    what mercato adds over the stage, with the stage as good as the annotators'."""
    gold = {}
    for line in open(path, encoding="utf-8"):
        a = json.loads(line)
        for l in a.get("gold", {}).get("links", []):
            if l.get("kind") == "to" and l.get("stage") in STAGE_RATES:
                gold[(a["id"], key(l["player"]), key(l["club"]))] = logit(STAGE_RATES[l["stage"]])
    have = [(a, [gold[k]] + x[1:], y) for a, x, y, k in rows if k in gold]
    print(f"with the annotators' stages ({len(have)} of {len(rows)} rows have one; measurement only):")
    stage = [(sigmoid(x[0]), y) for _, x, y in have]
    full = []
    for k in range(FOLDS):
        train = [r for r in have if fold_of(r[0]) != k]
        test = [r for r in have if fold_of(r[0]) == k]
        if test:
            w = fit([x for _, x, _ in train], [y for _, _, y in train])
            full += [(predict(w, x), y) for _, x, y in test]
    print(f"  {'gold stage rate':<18} {auc(stage):6.3f} {brier(stage):6.3f}")
    print(f"  {'full, gold stage':<18} {auc(full):6.3f} {brier(full):6.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("forecasts")
    ap.add_argument("outcomes")
    ap.add_argument("--write", metavar="TSV")
    ap.add_argument(
        "--gold-stages",
        metavar="DEV.jsonl",
        help="also report, for measurement only, the stage-only baseline and the model with the "
        "annotators' stage in place of the extracted one (on the same rows)",
    )
    args = ap.parse_args()
    outcomes = {}
    for line in open(args.outcomes, encoding="utf-8"):
        if line.strip():
            o = json.loads(line)
            if o["outcome"] in ("joined", "not_joined"):
                outcomes.setdefault((o["id"], key(o["player"]), key(o["club"])), o["outcome"] == "joined")
    rows, fixed, seen = [], [], set()
    for line in open(args.forecasts, encoding="utf-8"):
        f = json.loads(line)
        k = (f["id"], key(f["player"]), key(f["club"]))
        if k not in outcomes or k in seen:
            continue
        seen.add(k)
        y = 1.0 if outcomes[k] else 0.0
        comps = {c["name"]: c["value"] for c in f["components"]}
        if all(n in comps for n in FEATURES):
            rows.append((f["id"], [comps[n] for n in FEATURES], y, k))
        else:
            fixed.append((f["likelihood"], y))
    print(f"{len(rows) + len(fixed)} forecasts with outcomes ({len(fixed)} already resolved on their day)")
    stage_rate = [(sigmoid(x[0]), y) for _, x, y, _ in rows]
    results = {"stage rate alone": [], "stage refitted": [], "full model": []}
    for k in range(FOLDS):
        train = [r for r in rows if fold_of(r[0]) != k]
        test = [r for r in rows if fold_of(r[0]) == k]
        if not test:
            continue
        w_stage = fit([[x[0]] for _, x, _, _ in train], [y for _, _, y, _ in train])
        w_full = fit([x for _, x, _, _ in train], [y for _, _, y, _ in train])
        results["stage refitted"] += [(predict(w_stage, [x[0]]), y) for _, x, y, _ in test]
        results["full model"] += [(predict(w_full, x), y) for _, x, y, _ in test]
    results["stage rate alone"] = stage_rate
    base = sum([r[2] for r in rows] + [y for _, y in fixed]) / (len(rows) + len(fixed))
    print(f"base rate {base:.3f}; {FOLDS}-fold cross-validation grouped by article:")
    print(f"  {'':<18} {'AUC':>6} {'Brier':>6}")
    for name, pairs in results.items():
        pairs = pairs + fixed
        print(f"  {name:<18} {auc(pairs):6.3f} {brier(pairs):6.3f}")
    print(f"  {'base rate':<18} {0.5:6.3f} {brier([(base, r[2]) for r in rows] + [(base, y) for _, y in fixed]):6.3f}")
    if args.gold_stages:
        gold_report(args.gold_stages, rows, fixed)
    w = fit([r[1] for r in rows], [r[2] for r in rows])
    centres = [sum(r[1][i] for r in rows) / len(rows) for i in range(len(FEATURES))]
    print("weights on all rows: " + ", ".join(f"{n} {v:+.3f}" for n, v in zip(["intercept"] + FEATURES, w)))
    if args.write:
        with open(args.write, "w", encoding="utf-8") as out:
            out.write("# Weights of the likelihood model (crates/mercato-threads/src/likelihood.rs), written by\n")
            out.write("# scripts/fit_likelihood.py on the dev forecasts and dev_outcomes.jsonl (L2 = %.1f,\n" % L2)
            out.write("# %d rows). Do not edit by hand: re-run the script. The centre is the feature's mean\n" % len(rows))
            out.write("# on those rows: components are shown against it.\n# name<TAB>weight<TAB>centre\n")
            out.write(f"intercept\t{w[0]:.4f}\n")
            for n, v, c in zip(FEATURES, w[1:], centres):
                out.write(f"{n}\t{v:.4f}\t{c:.4f}\n")
        print(f"wrote {args.write}", file=sys.stderr)


if __name__ == "__main__":
    main()
