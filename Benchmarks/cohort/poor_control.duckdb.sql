-- Cohort benchmark (a) in DuckDB SQL: the same cohort as poor_control.sql (read its header for
-- the definition), over the tables Benchmarks/cohort/export.sh exported (dates stay INTEGER days
-- since 1970-01-01, as in the store).
--
--   duckdb -readonly -csv Benchmarks/work/cohort-N-parquet.duckdb < Benchmarks/cohort/poor_control.duckdb.sql
--
-- Period 2025-01-01 .. 2025-12-31 = days 20089 .. 20453; adult at period end <=> birth_date <= 13878.
CREATE TEMP TABLE poor_control AS
WITH t2d_event AS (
  SELECT person_id, condition_start_date AS d FROM condition_occurrence
   WHERE ((source_system = 'snomed' AND source_code = '44054006')
       OR (source_system = 'icd10cm' AND source_code LIKE 'E11.%'))
     AND condition_start_date <= 20453
  UNION ALL
  SELECT c.person_id, c.condition_start_date
    FROM event_code e JOIN condition_occurrence c ON c.condition_occurrence_id = e.event_id
   WHERE e.event_table = 'condition_occurrence'
     AND ((e.source_system = 'snomed' AND e.source_code = '44054006')
       OR (e.source_system = 'icd10cm' AND e.source_code LIKE 'E11.%'))
     AND c.condition_start_date <= 20453
),
t2d AS (SELECT DISTINCT person_id FROM t2d_event),
hba1c AS (
  SELECT person_id, measurement_date, measurement_id, value_as_number FROM measurement
   WHERE source_system = 'loinc' AND source_code IN ('4548-4', '17856-6')
     AND measurement_date BETWEEN 20089 AND 20453
  UNION ALL
  SELECT m.person_id, m.measurement_date, m.measurement_id, m.value_as_number
    FROM event_code e JOIN measurement m ON m.measurement_id = e.event_id
   WHERE e.event_table = 'measurement' AND e.source_system = 'loinc' AND e.source_code IN ('4548-4', '17856-6')
     AND m.measurement_date BETWEEN 20089 AND 20453
),
latest AS (
  SELECT person_id, arg_max(value_as_number, (measurement_date, measurement_id)) AS value_as_number
    FROM hba1c GROUP BY person_id
)
SELECT t.person_id
  FROM t2d t
  JOIN person p ON p.person_id = t.person_id
  JOIN latest l ON l.person_id = t.person_id
 WHERE p.birth_date <= 13878 AND l.value_as_number > 9;

SELECT person_id AS person, DATE '2025-12-31' AS start, DATE '2025-12-31' AS "end" FROM poor_control ORDER BY person_id;
.print ""
SELECT count(*) AS persons, count(*) AS eras FROM poor_control;
