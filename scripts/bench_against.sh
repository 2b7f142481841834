#!/usr/bin/env bash
# Is the package's NumPy training slower than at another commit? The benchmark of that commit
# (in a temporary git worktree, its own scripts/benchmark_lstm.py and its own rnnbook/) and of
# this tree take turns, ROUNDS times each, in one session on one machine, so that the machine's
# load hits both alike; prints each contender's median characters per second and this/other.
#   bash scripts/bench_against.sh COMMIT [ROUNDS]   (after make install; ROUNDS defaults to 6)
# Keras' rows are a control: the same code in both trees, so their ratio shows the drift.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
    echo "usage: bash scripts/bench_against.sh COMMIT [ROUNDS]: a commit to compare with" >&2
    exit 2
fi
other=$(git rev-parse --verify "$1^{commit}") || { echo "not a commit: $1" >&2; exit 2; }
rounds=${2:-6}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive integer; got $rounds" >&2; exit 2; }
here=$PWD
tree=$(mktemp -d)
git worktree add --quiet --detach "$tree" "$other"
trap 'git -C "$here" worktree remove --force "$tree"' EXIT
log=$(mktemp)
for round in $(seq "$rounds"); do
    for side in other this; do
        dir=$here; [ "$side" = other ] && dir=$tree
        echo "== $side" >> "$log"
        # as make bench: NumPy and OpenBLAS may use their fastest kernels
        (cd "$dir" && env -u OPENBLAS_CORETYPE -u NPY_DISABLE_CPU_FEATURES PYTHONPATH="$dir" \
            "$here/.venv/bin/python" scripts/benchmark_lstm.py --repeats 3 2>/dev/null \
            | grep -E '^  (NumPy|Keras)') >> "$log"
    done
done
"$here/.venv/bin/python" - "$log" "$rounds" "${other:0:7}" <<'PY'
import re, statistics, sys
runs = {"other": {}, "this": {}}
side = None
for line in open(sys.argv[1]):
    if line.startswith("== "):
        side = line.split()[1]
    elif m := re.match(r"\s+((?:NumPy|Keras), \d threads?)\s+([\d,]+)", line):
        runs[side].setdefault(m[1], []).append(int(m[2].replace(",", "")))
print(f"median characters per second over {sys.argv[2]} turns each; other = {sys.argv[3]}")
for name in runs["this"]:
    other, this = (statistics.median(runs[s][name]) for s in ("other", "this"))
    print(f"  {name:18} other {other:9,.0f}  this {this:9,.0f}  this/other {this / other:.3f}")
PY
rm -f "$log"
