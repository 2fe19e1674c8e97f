-- Cohort benchmark (b) in DuckDB SQL: the same three-rule cohort with attrition as
-- three_rules.sql (read its header for the definition), over the tables
-- Benchmarks/cohort/export.sh exported (dates stay INTEGER days since 1970-01-01).
--
--   duckdb -readonly -csv Benchmarks/work/cohort-N-parquet.duckdb < Benchmarks/cohort/three_rules.duckdb.sql
CREATE TEMP TABLE entry AS
WITH t2d_event AS (
  SELECT person_id, condition_start_date AS d FROM condition_occurrence
   WHERE (source_system = 'snomed' AND source_code = '44054006')
      OR (source_system = 'icd10cm' AND source_code LIKE 'E11.%')
  UNION ALL
  SELECT c.person_id, c.condition_start_date
    FROM event_code e JOIN condition_occurrence c ON c.condition_occurrence_id = e.event_id
   WHERE e.event_table = 'condition_occurrence'
     AND ((e.source_system = 'snomed' AND e.source_code = '44054006')
       OR (e.source_system = 'icd10cm' AND e.source_code LIKE 'E11.%'))
)
SELECT person_id, min(d) AS entry_date FROM t2d_event GROUP BY person_id;

CREATE TEMP TABLE event AS
WITH qualified AS (
  SELECT e.person_id, e.entry_date, op.observation_period_end_date AS end_date,
         DATE '1970-01-01' + e.entry_date AS entry_day, DATE '1970-01-01' + p.birth_date AS birth_day
    FROM entry e
    JOIN observation_period op ON op.person_id = e.person_id
     AND op.observation_period_start_date <= e.entry_date - 365
     AND op.observation_period_end_date >= e.entry_date
    JOIN person p ON p.person_id = e.person_id
),
hba1c AS (
  SELECT person_id, measurement_date FROM measurement
   WHERE source_system = 'loinc' AND source_code IN ('4548-4', '17856-6')
  UNION ALL
  SELECT m.person_id, m.measurement_date
    FROM event_code x JOIN measurement m ON m.measurement_id = x.event_id
   WHERE x.event_table = 'measurement' AND x.source_system = 'loinc' AND x.source_code IN ('4548-4', '17856-6')
),
heart_failure AS (
  SELECT person_id, condition_start_date FROM condition_occurrence
   WHERE (source_system = 'snomed' AND source_code = '84114007')
      OR (source_system = 'icd10cm' AND source_code LIKE 'I50.%')
  UNION ALL
  SELECT c.person_id, c.condition_start_date
    FROM event_code x JOIN condition_occurrence c ON c.condition_occurrence_id = x.event_id
   WHERE x.event_table = 'condition_occurrence'
     AND ((x.source_system = 'snomed' AND x.source_code = '84114007')
       OR (x.source_system = 'icd10cm' AND x.source_code LIKE 'I50.%'))
)
SELECT q.person_id, q.entry_date, q.end_date,
       -- rule 1: age in whole years on the entry date (birthday reached)
       year(entry_day) - year(birth_day)
         - CASE WHEN month(entry_day) * 100 + day(entry_day) < month(birth_day) * 100 + day(birth_day) THEN 1 ELSE 0 END >= 18 AS adult,
       -- rule 2
       EXISTS (SELECT 1 FROM hba1c h WHERE h.person_id = q.person_id
                  AND h.measurement_date BETWEEN q.entry_date - 365 AND q.entry_date + 30) AS hba1c_checked,
       -- rule 3
       NOT EXISTS (SELECT 1 FROM heart_failure f WHERE f.person_id = q.person_id
                      AND f.condition_start_date < q.entry_date) AS no_prior_hf
  FROM qualified q;

SELECT person_id AS person, DATE '1970-01-01' + entry_date AS start, DATE '1970-01-01' + end_date AS "end"
  FROM event WHERE adult AND hba1c_checked AND no_prior_hf ORDER BY person_id;
.print ""
SELECT 0 AS step, 'entry events' AS rule, count(DISTINCT person_id) AS persons, count(*) AS events FROM entry
UNION ALL SELECT 1, 'observation 365 days before entry', count(DISTINCT person_id), count(*) FROM event
UNION ALL SELECT 2, 'adult', count(DISTINCT person_id), count(*) FROM event WHERE adult
UNION ALL SELECT 3, 'HbA1c checked', count(DISTINCT person_id), count(*) FROM event WHERE adult AND hba1c_checked
UNION ALL SELECT 4, 'prior heart failure', count(DISTINCT person_id), count(*) FROM event WHERE adult AND hba1c_checked AND no_prior_hf
ORDER BY step;
