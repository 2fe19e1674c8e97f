-- Cohort benchmark (a), hand-written for the sqlite3 shell against the Stratum store:
--   adults with type 2 diabetes whose latest HbA1c in the measurement period is above 9.
--
--   sqlite3 -readonly STORE.sqlite < Benchmarks/cohort/poor_control.sql
--
-- Measurement period: calendar year 2025 (the last full year of `stratum synth`'s default
-- 2015–2025 data) = days 20089 .. 20453 since 1970-01-01.
-- * type 2 diabetes: a condition coded snomed 44054006 or icd10cm E11.* — as the row's own
--   (source_system, source_code) or as another coding of the row in event_code — starting on or
--   before the period end (any earlier year counts);
-- * adult: aged >= 18 on the period end, i.e. born on or before 2007-12-31 = day 13878;
-- * the most recent HbA1c (loinc 4548-4 or 17856-6, own code or event_code) dated in the period
--   (ties on the date broken by the larger measurement_id) has value_as_number > 9.
-- Output, shaped like `stratum run --format csv` of `list PoorControl` and `count PoorControl`:
-- one row per person sorted by person (person, start, end; start = end = the period end, ISO
-- dates: a cohort indexed "at end of period"), a blank line, then persons and eras.
.headers on
.mode csv
CREATE TEMP TABLE poor_control AS
WITH t2d_event AS (
  SELECT person_id, condition_start_date AS d FROM condition_occurrence
   WHERE source_code = '44054006' AND source_system = 'snomed' AND condition_start_date <= 20453
  UNION ALL
  SELECT person_id, condition_start_date FROM condition_occurrence
   WHERE source_code GLOB 'E11.*' AND source_system = 'icd10cm' AND condition_start_date <= 20453
  UNION ALL
  SELECT c.person_id, c.condition_start_date
    FROM event_code e JOIN condition_occurrence c ON c.condition_occurrence_id = e.event_id
   WHERE e.event_table = 'condition_occurrence'
     AND ((e.source_code = '44054006' AND e.source_system = 'snomed')
       OR (e.source_code GLOB 'E11.*' AND e.source_system = 'icd10cm'))
     AND c.condition_start_date <= 20453
),
t2d AS (SELECT DISTINCT person_id FROM t2d_event),
hba1c AS (
  SELECT person_id, measurement_date, measurement_id, value_as_number FROM measurement
   WHERE source_code IN ('4548-4', '17856-6') AND source_system = 'loinc'
     AND measurement_date BETWEEN 20089 AND 20453
  UNION ALL
  SELECT m.person_id, m.measurement_date, m.measurement_id, m.value_as_number
    FROM event_code e JOIN measurement m ON m.measurement_id = e.event_id
   WHERE e.event_table = 'measurement' AND e.source_code IN ('4548-4', '17856-6') AND e.source_system = 'loinc'
     AND m.measurement_date BETWEEN 20089 AND 20453
),
latest AS (
  SELECT person_id, value_as_number,
         row_number() OVER (PARTITION BY person_id ORDER BY measurement_date DESC, measurement_id DESC) AS rn
    FROM hba1c
)
SELECT t.person_id
  FROM t2d t
  JOIN person p ON p.person_id = t.person_id
  JOIN latest l ON l.person_id = t.person_id AND l.rn = 1
 WHERE p.birth_date <= 13878 AND l.value_as_number > 9;

SELECT person_id AS person, '2025-12-31' AS start, '2025-12-31' AS "end" FROM poor_control ORDER BY person_id;
.print ""
SELECT count(*) AS persons, count(*) AS eras FROM poor_control;
