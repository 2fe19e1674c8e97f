#!/usr/bin/env bash
# Phenotype clustering: `stratum cluster --method kmeans` against scikit-learn's KMeans
# (algorithm="lloyd", both cores through OpenMP; Benchmarks/peers/kmeans_peer.py) on one matrix of
# 1,000,000 rows × 10 features with 5 planted Gaussian clusters (numpy, seed 20261125), made once as
# CSV under Benchmarks/work/cluster-1000000x10.csv: a header `id,f1..f10`, integer ids, values
# printed with 6 decimals (about 100 MB). Both sides read that CSV, fit k = 5 with the same number
# of restarts (RESTARTS, default "1 10"), and write id,cluster. Each run is a whole process under
# /usr/bin/time -v (wall seconds, peak RSS); each side also reports its own read and fit time.
# Runs are interleaved (stratum, peer, stratum, …), RUNS each (default 3); medians are printed,
# with the ratio stratum / scikit-learn and the ARI between the two labellings of the last run.
#
#   Benchmarks/run.sh cluster            # or Benchmarks/cluster.sh
#   RUNS=5 RESTARTS=10 Benchmarks/cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
W=Benchmarks/work
BIN=.build/release/stratum
PY=${PEER_PYTHON:-.venv-peers/bin/python}
RUNS=${RUNS:-3}
RESTARTS=${RESTARTS:-1 10}
N=${N:-1000000}
DATA=$W/cluster-${N}x10.csv
[ -x "$BIN" ] || { echo "build first: swift build -c release" >&2; exit 1; }
[ -x "$PY" ] || { echo "no peer Python: make peers" >&2; exit 1; }
mkdir -p $W
if [ ! -f "$DATA" ]; then
  echo "making $DATA (once)…" >&2
  "$PY" - "$N" "$DATA" <<'PY'
import sys, numpy as np, pandas as pd
n, path = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(20261125)
centres = rng.normal(0, 6, size=(5, 10))
labels = rng.integers(0, 5, size=n)
X = centres[labels] + rng.normal(0, 1.5, size=(n, 10))
frame = pd.DataFrame(X, columns=[f"f{j + 1}" for j in range(10)])
frame.insert(0, "id", np.arange(1, n + 1))
frame.to_csv(path, index=False, float_format="%.6f")
PY
fi
results=$W/cluster-results.txt
: > $results
for r in $RESTARTS; do
  for run in $(seq 1 "$RUNS"); do
    /usr/bin/time -v -o $W/cluster-stratum.time $BIN cluster --input "$DATA" --id id --method kmeans --k 5 --seed 1 \
      --restarts "$r" --output $W/cluster-stratum-out.csv --json > $W/cluster-stratum.json
    echo "stratum $r $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); t=d["timings"]; print(t["read_seconds"], t["fit_seconds"], d["inertia"], d["iterations"])' $W/cluster-stratum.json) $(grep -E 'Elapsed|Maximum resident' $W/cluster-stratum.time | awk '{print $NF}' | tr '\n' ' ')" >> $results
    /usr/bin/time -v -o $W/cluster-peer.time "$PY" Benchmarks/peers/kmeans_peer.py "$DATA" 5 "$r" $W/cluster-peer-out.csv > $W/cluster-peer.json
    echo "sklearn $r $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["read_seconds"], d["fit_seconds"], d["inertia"], d["iterations"])' $W/cluster-peer.json) $(grep -E 'Elapsed|Maximum resident' $W/cluster-peer.time | awk '{print $NF}' | tr '\n' ' ')" >> $results
  done
  echo "ARI stratum vs scikit-learn labels (restarts $r): $("$PY" -c 'import sys, pandas as pd; from sklearn.metrics import adjusted_rand_score as a; print(round(a(pd.read_csv(sys.argv[1]).cluster, pd.read_csv(sys.argv[2]).cluster), 6))' $W/cluster-stratum-out.csv $W/cluster-peer-out.csv)"
done
python3 - $results <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
def secs(t):  # h:mm:ss or m:ss.ss
    parts = [float(p) for p in t.split(":")]
    return sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
table = {}
for tool, r, read, fit, inertia, iters, wall, rss in rows:
    table.setdefault((tool, int(r)), []).append((secs(wall), float(read), float(fit), int(rss) / 1024, float(inertia), int(iters)))
print(f"{'tool':<8} {'restarts':>8} {'wall s':>8} {'(min–max)':>13} {'read s':>7} {'fit s':>7} {'peak MB':>8} {'inertia':>14} {'iters':>5}")
for (tool, r), v in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0] != "stratum")):
    walls = [x[0] for x in v]
    print(f"{tool:<8} {r:>8} {st.median(walls):8.2f} {min(walls):6.2f}–{max(walls):<6.2f} {st.median(x[1] for x in v):7.2f} "
          f"{st.median(x[2] for x in v):7.2f} {max(x[3] for x in v):8.0f} {v[-1][4]:14.6g} {v[-1][5]:5d}")
for r in sorted({k[1] for k in table}):
    s, p = table.get(("stratum", r)), table.get(("sklearn", r))
    if s and p:
        w = st.median(x[0] for x in s) / st.median(x[0] for x in p)
        f = st.median(x[2] for x in s) / st.median(x[2] for x in p)
        print(f"restarts {r}: stratum / scikit-learn — whole process {w:.2f}×, fit {f:.2f}×; "
              f"peak RSS {max(x[3] for x in s):.0f} MB vs {max(x[3] for x in p):.0f} MB (matrix: 80 MB)")
PY
