#!/usr/bin/env bash
# Export what the cohort benchmark reads from a Stratum store to Parquet, for DuckDB.
#
#   Benchmarks/cohort/export.sh Benchmarks/work/cohort-100000.sqlite
#
# DuckDB's sqlite extension would read the store directly, but `INSTALL sqlite` downloads it and
# this machine reaches no extension repository (only package registries), so the store goes
# through CSV: the sqlite3 shell writes each table (the columns the queries read, all rows) as
# CSV to a temporary file, DuckDB reads it with declared column types and writes Parquet (zstd).
# Then two DuckDB databases are made beside the store:
#   STORE.parquet/*.parquet   the tables
#   STORE-parquet.duckdb      views over those Parquet files (what `cohort.sh` times as "duckdb")
#   STORE-native.duckdb       the same tables loaded into DuckDB's own format ("duckdb-native")
# Times of each step go to stdout and STORE.export.log; they are not part of the benchmark.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=$1
base=${db%.sqlite}
W=Benchmarks/work
DUCKDB=${DUCKDB:-$W/venv/bin/duckdb}
[ -x "$DUCKDB" ] || { echo "no DuckDB CLI at $DUCKDB: python3 -m venv $W/venv && $W/venv/bin/pip install duckdb==1.5.6 duckdb-cli==1.5.6" >&2; exit 1; }
pq=$base.parquet
mkdir -p "$pq"
log=$base.export.log
: > "$log"
now() { date +%s.%N; }
step() { printf '%-22s %-28s %8.2f s\n' "$1" "$2" "$3" | tee -a "$log"; }

# table | sqlite SELECT list | DuckDB column types (read_csv)
tables=(
  "person|person_id, birth_date, year_of_birth, gender_source_value|{'person_id':'BIGINT','birth_date':'INTEGER','year_of_birth':'INTEGER','gender_source_value':'VARCHAR'}"
  "observation_period|observation_period_id, person_id, observation_period_start_date, observation_period_end_date|{'observation_period_id':'BIGINT','person_id':'BIGINT','observation_period_start_date':'INTEGER','observation_period_end_date':'INTEGER'}"
  "condition_occurrence|condition_occurrence_id, person_id, condition_start_date, condition_end_date, source_system, source_code|{'condition_occurrence_id':'BIGINT','person_id':'BIGINT','condition_start_date':'INTEGER','condition_end_date':'INTEGER','source_system':'VARCHAR','source_code':'VARCHAR'}"
  "measurement|measurement_id, person_id, measurement_date, value_as_number, source_system, source_code|{'measurement_id':'BIGINT','person_id':'BIGINT','measurement_date':'INTEGER','value_as_number':'DOUBLE','source_system':'VARCHAR','source_code':'VARCHAR'}"
  "event_code|event_table, event_id, source_system, source_code|{'event_table':'VARCHAR','event_id':'BIGINT','source_system':'VARCHAR','source_code':'VARCHAR'}"
)
views=""; native=""
total_csv=0; total_pq=0
for spec in "${tables[@]}"; do
  IFS='|' read -r t cols types <<<"$spec"
  csv=$pq/$t.csv
  t0=$(now)
  sqlite3 -readonly -csv "$db" "SELECT $cols FROM $t" > "$csv"
  t1=$(now)
  "$DUCKDB" -c "COPY (SELECT * FROM read_csv('$csv', header = false, columns = $types)) TO '$pq/$t.parquet' (FORMAT parquet, COMPRESSION zstd)"
  t2=$(now)
  rm -f "$csv"
  step "$t" "sqlite3 -csv" "$(awk "BEGIN { print $t1 - $t0 }")"
  step "$t" "DuckDB CSV -> Parquet" "$(awk "BEGIN { print $t2 - $t1 }")"
  total_csv=$(awk "BEGIN { print $total_csv + $t1 - $t0 }"); total_pq=$(awk "BEGIN { print $total_pq + $t2 - $t1 }")
  views+="CREATE VIEW $t AS SELECT * FROM read_parquet('$PWD/$pq/$t.parquet');"
  native+="CREATE TABLE $t AS SELECT * FROM read_parquet('$PWD/$pq/$t.parquet');"
done
rm -f "$base-parquet.duckdb" "$base-native.duckdb"
"$DUCKDB" "$base-parquet.duckdb" -c "$views"
t0=$(now)
"$DUCKDB" "$base-native.duckdb" -c "$native CHECKPOINT;" > /dev/null
t1=$(now)
step "all" "sqlite3 -csv" "$total_csv"
step "all" "DuckDB CSV -> Parquet" "$total_pq"
step "all" "Parquet -> native DuckDB" "$(awk "BEGIN { print $t1 - $t0 }")"
du -sh "$pq" "$base-native.duckdb" | tee -a "$log"
