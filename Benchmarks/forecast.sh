#!/usr/bin/env bash
# HbA1c trajectory forecasts: `stratum forecast hba1c --input` (fit + forecasts for everyone,
# CSV out) against statsmodels MixedLM (Benchmarks/peers/mixedlm_peer.py: the same REML model,
# fit + BLUP forecasts) on the same simulated CSV (person,date,value; ~8 results a patient,
# written once under Benchmarks/work). Each side is one whole process under /usr/bin/time -v:
# wall seconds and peak RSS, and the ratio. statsmodels runs under a time cap
# (PEER_TIMEOUT seconds, default 900); PEER_SIZES picks the sizes it runs at (default 10000 only:
# MixedLM took ~52 CPU-seconds at 10,000 patients and scales linearly, so ~10 minutes at 100,000).
#
#   Benchmarks/run.sh forecast            # or Benchmarks/forecast.sh
#   SIZES="10000 100000" PEER_SIZES="10000 100000" PEER_TIMEOUT=900 Benchmarks/forecast.sh
set -euo pipefail
cd "$(dirname "$0")/.."
W=Benchmarks/work
BIN=.build/release/stratum
PY=${STRATUM_PEER_PYTHON:-.venv-peers/bin/python}
SIZES=${SIZES:-10000 100000}
PEER_SIZES=${PEER_SIZES:-10000}
PEER_TIMEOUT=${PEER_TIMEOUT:-900}
[ -x "$BIN" ] || { echo "build first: swift build -c release" >&2; exit 1; }
[ -x "$PY" ] || { echo "no peer Python: make peers" >&2; exit 1; }
mkdir -p $W
measure() {  # measure NAME TIMEFILE: prints wall seconds and peak RSS (MB) from GNU time output
  python3 - "$2" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t)
wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1)) + float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
print(f"{wall:.2f} {rss:.0f} {cpu:.2f}")
PY
}
for n in $SIZES; do
  csv=$W/hba1c-$n.csv
  if [ ! -f "$csv" ]; then
    echo "simulating $n patients → $csv" >&2
    "$PY" - "$n" "$csv" <<'PY'
import sys, numpy as np
n, path = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(42)
k = np.clip(rng.poisson(8, n), 1, 20)
b0 = rng.normal(8.0, 1.2, n); b1 = rng.normal(0.12, 0.25, n)
start = 16000 + rng.integers(0, 2000, n)
person = np.repeat(np.arange(1, n + 1), k)
gaps = rng.integers(60, 240, k.sum())
idx = np.cumsum(k) - k
gaps[idx] = 0
offset = np.cumsum(gaps)
offset -= np.repeat(offset[idx], k)
day = np.repeat(start, k) + offset
t = offset / 365.25
value = np.repeat(b0, k) + np.repeat(b1, k) * t + rng.normal(0, 0.3, k.sum())
date = (np.datetime64("1970-01-01") + day.astype("timedelta64[D]")).astype(str)
with open(path, "w") as f:
    f.write("person,date,value\n")
    f.writelines(f"{p},{d},{v:.2f}\n" for p, d, v in zip(person, date, value))
PY
  fi
  rows=$(($(wc -l < "$csv") - 1))
  /usr/bin/time -v -o $W/forecast-stratum-$n.time $BIN forecast hba1c --input "$csv" --output $W/forecast-stratum-$n.csv --json > $W/forecast-stratum-$n.json
  read s_wall s_rss s_cpu < <(measure stratum $W/forecast-stratum-$n.time)
  echo "== $n patients, $rows results"
  echo "   stratum forecast hba1c   wall ${s_wall} s   CPU ${s_cpu} s   peak RSS ${s_rss} MB   (fit $(python3 -c "import json;d=json.load(open('$W/forecast-stratum-$n.json'));print(f\"{d['seconds']:.2f} s in process, {d['iterations']} simplex iterations, beta {d['fixed_effects']['intercept']['estimate']:.4f} {d['fixed_effects']['slope_per_year']['estimate']:.4f}\")"))"
  if [[ " $PEER_SIZES " == *" $n "* ]]; then
    if timeout "$PEER_TIMEOUT" /usr/bin/time -v -o $W/forecast-mixedlm-$n.time "$PY" Benchmarks/peers/mixedlm_peer.py "$csv" $W/forecast-mixedlm-$n.csv > $W/forecast-mixedlm-$n.json; then
      read p_wall p_rss p_cpu < <(measure mixedlm $W/forecast-mixedlm-$n.time)
      echo "   statsmodels MixedLM      wall ${p_wall} s   CPU ${p_cpu} s   peak RSS ${p_rss} MB   ($(python3 -c "import json;d=json.load(open('$W/forecast-mixedlm-$n.json'));print(f\"fit {d['seconds_fit']:.1f} s, converged {d['converged']}, beta {d['fe'][0]:.4f} {d['fe'][1]:.4f}\")"))"
      python3 -c "print(f'   ratio: statsmodels / stratum = {$p_wall / $s_wall:.1f}x wall, {$p_cpu / $s_cpu:.1f}x CPU, {$p_rss / $s_rss:.1f}x RSS')"
    else
      echo "   statsmodels MixedLM      did not finish within ${PEER_TIMEOUT} s (stopped); ratio > $(python3 -c "print(f'{$PEER_TIMEOUT / $s_wall:.0f}')")x"
    fi
  fi
done
