#!/usr/bin/env bash
# Care gaps (issue #4): all seven measures, end to end (evaluation + HTML, CSV and FHIR), on the
# synthetic stores of 100,000 and 1,000,000 patients that Benchmarks/cohort.sh makes
# (Benchmarks/work/cohort-N.sqlite; `stratum synth --seed 42` + `stratum import`). Prints, per
# size: wall and CPU seconds and peak RSS (GNU time), the time of each measure, and the rate per
# patient per measure next to the ~15 s per patient per measure that CQL engine users report
# (cql-execution issue 297) — a cited figure, not a run: no CQL engine installs from Debian or
# PyPI on this machine.
#
#   Benchmarks/run.sh caregaps            # or Benchmarks/caregaps.sh
#   SIZES=100000 Benchmarks/caregaps.sh
set -euo pipefail
cd "$(dirname "$0")/.."
W=Benchmarks/work
BIN=.build/release/stratum
SIZES=${SIZES:-100000 1000000}
CQL_SECONDS_PER_PATIENT_MEASURE=15
[ -x "$BIN" ] || { echo "build first: swift build -c release" >&2; exit 1; }
for n in $SIZES; do
  db=$W/cohort-$n.sqlite
  [ -f "$db" ] || { echo "no $db: run Benchmarks/cohort.sh once to make it (SIZES=$n)" >&2; exit 1; }
  out=$W/caregaps-$n
  rm -rf "$out"
  /usr/bin/time -v -o $W/caregaps-$n.time $BIN caregaps --db "$db" --measures all --period 2025 --out "$out" --json > $W/caregaps-$n.json
  python3 - "$n" $W/caregaps-$n.json $W/caregaps-$n.time "$CQL_SECONDS_PER_PATIENT_MEASURE" "$out" <<'PY'
import json, sys, re, os
n, jpath, tpath, cql, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
doc = json.load(open(jpath)); t = open(tpath).read()
wall = doc["seconds"]
user = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1)); sysc = float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
measures = sorted({m["measure"] for m in doc["measures"]})
evaluation = sum({m["measure"]: m["seconds"] for m in doc["measures"]}.values())
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs) / 1e6
print(f"== {n:,} patients: {len(measures)} measures, wall {wall:.1f} s (evaluation {evaluation:.1f} s, writing {wall - evaluation:.1f} s), "
      f"CPU {user + sysc:.1f} s, peak RSS {rss:.0f} MB, reports {size:.0f} MB")
seen = set()
for m in doc["measures"]:
    if m["measure"] in seen: continue
    seen.add(m["measure"])
    ip = sum(g["counts"].get("initial-population", 0) for g in doc["measures"] if g["measure"] == m["measure"])
    print(f"   {m['cms']:<10} {m['seconds']:7.1f} s   initial population {ip:>9,}")
per = wall / (n * len(measures))
print(f"   rate: {per * 1e6:.2f} µs per patient per measure; CQL engine users report ~{cql:.0f} s "
      f"(cql-execution#297): {cql / per:,.0f}× that time")
PY
done
