#!/usr/bin/env bash
# What the time stage (issue 3) costs extraction: instructions of `mercato extract -j1`
# with the stage and with a copy of the same commit whose stage is cut out.
#
# Usage (from the repository root, with ../shared beside it and valgrind installed):
#     scripts/time_stage_cost.sh [CORPUS.jsonl]      # default: ../shared/corpus/pool.jsonl x 8
#
# The copy without the stage finds no time expressions and no ages and infers no dates
# (facts still run, with no times to read); everything else is the same code. The script
# counts instructions (callgrind, deterministic) for the corpus and for its first ten
# articles, and reports the difference of the two, so that the one-time costs cancel out
# (KB load; the KB's moves index and name index, built on the first article that needs
# them: an undated one for date inference, a dated one naming a KB player for the
# retired-player check; ten pool articles have both).
set -euo pipefail
root=$(pwd)
corpus=${1:-}
work=$(mktemp -d /tmp/mercato-timecost.XXXXXX)
trap 'git -C "$root" worktree remove --force "$work/notime" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
if [ -z "$corpus" ]; then
    corpus=$work/pool8.jsonl
    for _ in 1 2 3 4 5 6 7 8; do cat ../shared/corpus/pool.jsonl; done > "$corpus"
fi
head -n 10 "$corpus" > "$work/first.jsonl"

cargo build --release -q -p mercato
cp target/release/mercato "$work/with"

git worktree add -q --detach "$work/notime" HEAD
python3 - "$work/notime/crates/mercato-extract/src/lib.rs" <<'EOF'
import sys
path = sys.argv[1]
src = open(path).read()
cuts = [
    ("let mut times = self.time.find_from(&doc.masked, body_start, anchor, style);\n        let ages = facts::ages(&doc, &rec);",
     "let mut times: Vec<TimeExpr> = Vec::new();\n        let _ = body_start;\n        let ages: Vec<facts::Age> = Vec::new();"),
    ("if anchor.is_none() {\n            clues = dating::constraints", "if false {\n            clues = dating::constraints"),
    ("        if anchor.is_none() {\n            // the players' completed moves", "        if false {\n            // the players' completed moves"),
]
for old, new in cuts:
    if old not in src:
        sys.exit(f"time_stage_cost.sh: the code changed, update the cut: {old[:60]!r}")
    src = src.replace(old, new)
open(path, "w").write(src)
EOF
(cd "$work/notime" && CARGO_TARGET_DIR="$root/target/timecost" cargo build --release -q -p mercato)
cp target/timecost/release/mercato "$work/without"

count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" extract -j1 "$2" 2>&1 >/dev/null \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
with=$(( $(count "$work/with" "$corpus") - $(count "$work/with" "$work/first.jsonl") ))
without=$(( $(count "$work/without" "$corpus") - $(count "$work/without" "$work/first.jsonl") ))
python3 -c "w, o = $with, $without; print(f'instructions without the time stage {o/1e6:,.0f} M, with it {w/1e6:,.0f} M: +{100*(w/o-1):.1f}%')"
