#!/usr/bin/env bash
# Where the time goes, for Benchmarks/RESULTS.md: per-statement times and EXPLAIN QUERY PLAN of
# the sqlite3 queries, DuckDB's profile (operators by time) of the DuckDB ones.
#
#   Benchmarks/cohort/profile.sh 100000 [poor_control three_rules]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=$1; shift
W=Benchmarks/work; Q=Benchmarks/cohort
DUCKDB=$W/venv/bin/duckdb
out=$W/cohort-out/profile-$n; mkdir -p "$out"
queries=${*:-poor_control three_rules}
for q in $queries; do
  echo "=== sqlite3 $q N=$n: statement times (.timer on; rows to /dev/null)"
  { echo ".timer on"; echo ".output /dev/null"; cat $Q/$q.sql; } | sed 's/^\.headers on$//; s/^\.mode csv$//' |
    sqlite3 -readonly $W/cohort-$n.sqlite 2>&1 | grep "^Run Time" | nl
  echo "=== sqlite3 $q N=$n: EXPLAIN QUERY PLAN of each statement"
  python3 - "$Q/$q.sql" <<'PY' | sqlite3 -readonly $W/cohort-$n.sqlite
import re, sys
s = re.sub(r"(?m)^(--.*|\..*)$", "", open(sys.argv[1]).read())
for st in (x.strip() for x in s.split(";")):
    if not st: continue
    if st.startswith("CREATE TEMP TABLE"):
        print(f".print -- {' '.join(st.split()[:4])}")
        print("EXPLAIN QUERY PLAN " + st.split(" AS", 1)[1] + ";")
        print(st + ";")  # later statements read the table
    else:
        print(f".print -- {' '.join(st.split()[:3])} …")
        print("EXPLAIN QUERY PLAN " + st + ";")
PY
  for v in parquet native; do
    echo "=== DuckDB ($v) $q N=$n: operators by time, summed over the statements"
    # the profile file keeps the last statement's profile only: one file per statement
    python3 - "$DUCKDB" "$W/cohort-$n-$v.duckdb" "$Q/$q.duckdb.sql" "$out/$q-$v" <<'PY'
import json, re, subprocess, sys, collections
duckdb, db, path, prefix = sys.argv[1:]
s = re.sub(r"(?m)^--.*$", "", open(path).read())
stmts = [x.strip() for x in s.split(";") if x.strip()]
totals = collections.Counter(); rows = {}
def walk(node, acc):
    name = node.get("operator_name") or node.get("operator_type") or "?"
    t = node.get("operator_timing", 0.0)
    extra = node.get("extra_info", {})
    label = name.strip()
    if isinstance(extra, dict):
        f = extra.get("Function") or extra.get("Table") or ""
        if f == "READ_PARQUET" or name.strip() in ("TABLE_SCAN", "READ_PARQUET"):
            files = extra.get("Filename(s)", "") or extra.get("Table", "")
            label += " " + str(files).split("/")[-1]
        elif extra.get("Table"):
            label += " " + str(extra.get("Table"))
    acc[label] += t
    rows[label] = rows.get(label, 0) + node.get("operator_cardinality", 0)
    for c in node.get("children", []):
        walk(c, acc)
script = []
for i, st in enumerate(stmts):
    script.append(f"PRAGMA enable_profiling = 'json'; PRAGMA profiling_output = '{prefix}.{i}.json';")
    script.append(st + ";")
subprocess.run([duckdb, "-readonly", db], input="\n".join(script), text=True, check=True, stdout=subprocess.DEVNULL)
for i, st in enumerate(stmts):
    p = json.load(open(f"{prefix}.{i}.json"))
    acc = collections.Counter()
    for c in p.get("children", []):
        walk(c, acc)
    lat = p.get("latency", 0.0)
    print(f"  statement {i + 1} ({' '.join(st.split()[:4])} …): latency {lat:.3f} s, CPU in operators {sum(acc.values()):.3f} s")
    for label, t in acc.most_common(6):
        if t >= 0.001: print(f"      {t:7.3f} s  {label}  ({rows[label]:,} rows out)")
PY
  done
done
