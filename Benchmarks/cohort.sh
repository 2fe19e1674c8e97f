#!/usr/bin/env bash
# Cohort execution (issue #3): two cohort definitions run by the sqlite3 shell (hand-written SQL
# against the store, the baseline), DuckDB (the same queries in DuckDB SQL over Parquet exports of
# the store, and over the same tables loaded into DuckDB's own format) and Stratum (the cohort
# language), on synthetic stores of 100,000 and 1,000,000 patients. Prints one table: engine,
# query, N, persons, median wall seconds (min–max), CPU seconds, ratio to the sqlite3 shell, peak RSS.
#
#   Benchmarks/run.sh cohort                      # or Benchmarks/cohort.sh
#   SIZES=100000 RUNS=5 Benchmarks/cohort.sh
#   ENGINES="sqlite3 duckdb" Benchmarks/cohort.sh
#   STRATUM_COHORT_CMD='.build/release/stratum run <file> --db <db> --format csv' Benchmarks/cohort.sh
#
# Queries: Benchmarks/cohort/<name>.sql (sqlite3), <name>.duckdb.sql (DuckDB), <name>.stratum
# (Stratum); Benchmarks/cohort/README.md defines them. Every engine's output (cohort rows, and
# the count or attrition) must equal the sqlite3 shell's, after normalising CSV quoting and line
# ends (Stratum's attrition is read from the store's cohort_attrition); a difference is reported,
# not hidden. `stratum run` writes its cohorts into the store (cohort, cohort_definition,
# cohort_attrition); the SQL engines only read. Missing data is made once under Benchmarks/work/
# (`stratum synth --seed 42` + `stratum import`, then Benchmarks/cohort/export.sh for DuckDB);
# making it is not timed here. Timing: hyperfine (1 warm-up, RUNS runs, warm page cache) when it
# is installed, else a loop of RUNS runs of wall time; the median is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
W=Benchmarks/work
Q=Benchmarks/cohort
BIN=.build/release/stratum
SIZES=${SIZES:-100000 1000000}
RUNS=${RUNS:-7}
ENGINES=${ENGINES:-sqlite3 duckdb duckdb-native stratum}
QUERIES=${QUERIES:-poor_control three_rules}
DUCKDB=$W/venv/bin/duckdb
DUCKDB_VERSION=1.5.6
# ---- Stratum hook -------------------------------------------------------------------------------
# The command that runs one cohort script; <file> is Benchmarks/cohort/<name>.stratum, <name> the
# query's name, <db> the store. It must print the same CSV as <name>.sql (see README.md). It is
# run when the .stratum file exists and the binary has a `run` command (or STRATUM_COHORT_CMD is
# set); otherwise the table says "pending (language not merged)". Before the language is merged
# into this branch, a binary built from main can be named here:
#   STRATUM_COHORT_CMD='/path/to/main/.build/release/stratum run <file> --db <db> --format csv'
# (the store must be writable: a run saves its cohorts in it).
STRATUM_COHORT_CMD_DEFAULT="$BIN run <file> --db <db> --format csv"
STRATUM_COHORT_CMD=${STRATUM_COHORT_CMD:-}
# --------------------------------------------------------------------------------------------------
mkdir -p $W/cohort-out
results=$W/cohort-out/results.tsv
: > "$results"
nice_=(nice -n "${NICE:-0}")

note() { echo "$*" >&2; }
has() { [[ " $ENGINES " == *" $1 "* ]]; }

# ---- data ------------------------------------------------------------------------------------------
prepare() {
  local n=$1 db=$W/cohort-$1.sqlite
  if [ ! -f "$db" ]; then
    [ -x "$BIN" ] || { note "build first: swift build -c release"; exit 1; }
    [ -f $W/cohort-$n.tar.gz ] || { note "== synthesising $n patients (seed 42)"; nice -n 15 $BIN synth --patients "$n" --seed 42 -o $W/cohort-$n.tar.gz --quiet; }
    note "== importing $n patients into $db (1,000,000 takes about 20 minutes)"
    nice -n 15 $BIN import $W/cohort-$n.tar.gz --db "$db.partial" --quiet
    mv "$db.partial" "$db"
  fi
  if has duckdb || has duckdb-native; then
    if [ ! -x "$DUCKDB" ]; then
      note "== installing DuckDB $DUCKDB_VERSION (CLI and Python) into $W/venv"
      { python3 -m venv $W/venv && $W/venv/bin/pip install -q "duckdb==$DUCKDB_VERSION" "duckdb-cli==$DUCKDB_VERSION"; } >&2 ||
        { note "DuckDB not installable: skipping the DuckDB engines"; ENGINES=${ENGINES//duckdb-native/}; ENGINES=${ENGINES//duckdb/}; return 0; }
    fi
    [ -f $W/cohort-$n-native.duckdb ] || { note "== exporting $db for DuckDB (Benchmarks/cohort/export.sh)"; nice -n 15 $Q/export.sh "$db" >&2; }
  fi
}

# ---- engines -----------------------------------------------------------------------------------------
# command <engine> <query> <n>: prints the shell command, or nothing when the engine cannot run it.
command_for() {
  local engine=$1 q=$2 n=$3 db=$W/cohort-$3.sqlite
  case $engine in
    sqlite3) echo "sqlite3 -readonly $db < $Q/$q.sql" ;;
    duckdb) echo "$DUCKDB -readonly -csv $W/cohort-$n-parquet.duckdb < $Q/$q.duckdb.sql" ;;
    duckdb-native) echo "$DUCKDB -readonly -csv $W/cohort-$n-native.duckdb < $Q/$q.duckdb.sql" ;;
    stratum)
      local cmd=${STRATUM_COHORT_CMD:-$STRATUM_COHORT_CMD_DEFAULT}
      cmd=${cmd//<file>/$Q/$q.stratum}; cmd=${cmd//<name>/$q}; cmd=${cmd//<db>/$db}
      echo "$cmd" ;;
  esac
}

stratum_ready() {
  local q=$1
  [ -f "$Q/$q.stratum" ] || return 1
  [ -n "$STRATUM_COHORT_CMD" ] && return 0
  # (an unknown subcommand's --help prints the top-level help and exits 0, so look at the usage line)
  [ -x "$BIN" ] && "$BIN" run --help 2>&1 | grep -q "USAGE: stratum run"
}

normalise() { tr -d '\r"' < "$1"; }

# What is compared with the sqlite3 shell's output (normalised: no quotes, no CR). The SQL files
# print what `stratum run --format csv` prints: (a) the `list` table, a blank line, the `count`
# table; (b) the `list` table, a blank line, the attrition. Stratum's CSV of (b) has the `list`
# table and then `explain`'s SQL, so its attrition is read from the store's cohort_attrition.
comparable() {  # engine query output db
  local engine=$1 q=$2 out=$3 db=$4
  if [ "$engine" != stratum ]; then normalise "$out"; return; fi
  case $q in
    poor_control) normalise "$out" | awk 'BEGIN { blank = 0 } /^$/ { blank++ } blank < 2' ;;
    three_rules)
      # (the list table ends at a blank line or, with --format csv, where explain's SQL begins)
      normalise "$out" | awk '/^$/ || /^--/ { done = 1 } !done'
      echo
      sqlite3 -readonly -csv -header "$db" "SELECT a.rule_index AS step, a.rule_name AS rule, a.persons, a.events
        FROM cohort_attrition a JOIN cohort_definition d USING (cohort_definition_id)
        WHERE d.name = 'NewT2D' ORDER BY a.rule_index" | tr -d '\r"' ;;
    *) normalise "$out" ;;
  esac
}

# persons in the cohort: the count table of (a), the last attrition row of (b)
persons_of() {  # query, comparable text on stdin
  case $1 in
    poor_control) awk -F, 'prev == "persons,eras" { print $1 } { prev = $0 }' ;;
    three_rules) tail -1 | cut -d, -f3 ;;
    *) echo "?" ;;
  esac
}

median_of_loop() {  # fallback without hyperfine: RUNS wall times of `bash -c CMD`
  local cmd=$1 t0 t1 times=()
  bash -c "$cmd" > /dev/null  # warm-up
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s.%N); bash -c "$cmd" > /dev/null; t1=$(date +%s.%N)
    times+=("$(awk "BEGIN { print $t1 - $t0 }")")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.4f\t%.4f\t%.4f\t-\n", m, a[1], a[NR] }'
}

time_it() {  # prints median, min, max wall seconds and mean CPU seconds (user + system; "-" without hyperfine)
  local cmd=$1 tag=$2
  if command -v hyperfine > /dev/null; then
    "${nice_[@]}" hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$W/cohort-out/$tag.json" "$cmd" > /dev/null
    python3 -c 'import json, sys, statistics as s
r = json.load(open(sys.argv[1]))["results"][0]["times"]
d = json.load(open(sys.argv[1]))["results"][0]
cpu = d["user"] + d["system"]
print(f"{s.median(r):.4f}\t{min(r):.4f}\t{max(r):.4f}\t{cpu:.4f}")' "$W/cohort-out/$tag.json"
  else
    median_of_loop "$cmd"
  fi
}

run_one() {  # engine query n
  local engine=$1 q=$2 n=$3 tag=$1-$2-$3
  local out=$W/cohort-out/$tag.csv ref=$W/cohort-out/sqlite3-$q-$n.csv
  if [ "$engine" = stratum ] && ! stratum_ready "$q"; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' stratum "$q" "$n" - pending - - - - "pending (language not merged)" >> "$results"
    return
  fi
  local cmd; cmd=$(command_for "$engine" "$q" "$n")
  note "-- $engine $q N=$n: $cmd"
  local status=0
  /usr/bin/time -f %M -o "$W/cohort-out/$tag.rss" bash -c "$cmd" > "$out" 2> "$W/cohort-out/$tag.err" || status=$?
  if [ $status -ne 0 ]; then
    note "   failed (exit $status): $(head -c 300 "$W/cohort-out/$tag.err")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$q" "$n" - failed - - - - "exit $status, see $W/cohort-out/$tag.err" >> "$results"
    return
  fi
  local db=$W/cohort-$n.sqlite check="reference"
  comparable "$engine" "$q" "$out" "$db" > "$out.cmp"
  if [ "$engine" != sqlite3 ]; then
    if cmp -s "$out.cmp" "$ref.cmp"; then check="same output as sqlite3"; else check="DIFFERS from sqlite3 (diff $out.cmp $ref.cmp)"; fi
  fi
  local persons; persons=$(persons_of "$q" < "$out.cmp")
  local t; t=$(time_it "$cmd" "$tag")
  local rss; rss=$(awk '/^[0-9]+$/ { printf "%d", $1 / 1024 }' "$W/cohort-out/$tag.rss")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$q" "$n" "$persons" "$t" "$rss" "$check" >> "$results"
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
command -v hyperfine > /dev/null || note "hyperfine not installed (apt-get install hyperfine): timing with a shell loop"
for n in $SIZES; do
  prepare "$n"
  for q in $QUERIES; do
    for engine in sqlite3 duckdb duckdb-native stratum; do
      has "$engine" || [ "$engine" = sqlite3 ] || continue
      run_one "$engine" "$q" "$n"
    done
  done
done

echo
echo "Cohort execution: median of $RUNS runs (warm cache), $(nproc) cores, load average $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end, sqlite3 $(sqlite3 --version | cut -d' ' -f1)$([ -x "$DUCKDB" ] && echo ", DuckDB $($DUCKDB --version | cut -d' ' -f1)")"
python3 - "$results" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
base = {(r[1], r[2]): float(r[4]) for r in rows if r[0] == "sqlite3" and r[4] not in ("pending", "failed")}
print(f"| {'engine':<13} | {'query':<12} | {'N':>9} | {'persons':>7} | {'median s':>8} | {'min–max s':>13} | {'CPU s':>5} | {'ratio':>5} | {'RSS MB':>6} | check")
print(f"|{'-'*15}|{'-'*14}|{'-'*11}|{'-'*9}|{'-'*10}|{'-'*15}|{'-'*7}|{'-'*7}|{'-'*8}|------")
for e, q, n, persons, med, lo, hi, cpu, rss, check in rows:
    if med in ("pending", "failed"):
        print(f"| {e:<13} | {q:<12} | {int(n):>9,} | {persons:>7} | {med:>8} | {'':>13} | {'':>5} | {'':>5} | {'':>6} | {check}")
        continue
    ratio = float(med) / base[(q, n)] if (q, n) in base else float("nan")
    cpu = f"{float(cpu):.2f}" if cpu != "-" else "-"
    print(f"| {e:<13} | {q:<12} | {int(n):>9,} | {persons:>7} | {float(med):>8.3f} | {float(lo):>6.3f}–{float(hi):<6.3f} | {cpu:>5} | {ratio:>5.2f} | {rss:>6} | {check}")
EOF
