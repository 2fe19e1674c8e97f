-- Cohort benchmark (b), hand-written for the sqlite3 shell against the Stratum store:
-- a three-rule cohort with attrition.
--
--   sqlite3 -readonly STORE.sqlite < Benchmarks/cohort/three_rules.sql
--
-- * entry: each person's first type 2 diabetes diagnosis (condition coded snomed 44054006 or
--   icd10cm E11.*, own code or another coding in event_code), kept when an observation period
--   contains it and started at least 365 days before it (start <= entry - 365 <= entry <= end);
-- * rule 1 "adult": aged >= 18 on the entry date (whole years: birthday reached);
-- * rule 2 "HbA1c checked": an HbA1c (loinc 4548-4 or 17856-6) dated entry - 365 .. entry + 30;
-- * rule 3 "no prior heart failure": no condition snomed 84114007 or icd10cm I50.* starting
--   before the entry date.
-- Output, shaped like `stratum run --format csv` of `list NewT2D` followed by its attrition
-- (`explain`, or the store's cohort_attrition): the cohort rows sorted by person (person,
-- start = entry, end = end of the observation period containing the entry; ISO dates), a blank
-- line, then the attrition: persons and events remaining after each step, rules in order
-- (step 0 = entry events, step 1 = the 365-day observation requirement, 2–4 = rules 1–3).
.headers on
.mode csv
CREATE TEMP TABLE entry AS
WITH t2d_event AS (
  SELECT person_id, condition_start_date AS d FROM condition_occurrence
   WHERE source_code = '44054006' AND source_system = 'snomed'
  UNION ALL
  SELECT person_id, condition_start_date FROM condition_occurrence
   WHERE source_code GLOB 'E11.*' AND source_system = 'icd10cm'
  UNION ALL
  SELECT c.person_id, c.condition_start_date
    FROM event_code e JOIN condition_occurrence c ON c.condition_occurrence_id = e.event_id
   WHERE e.event_table = 'condition_occurrence'
     AND ((e.source_code = '44054006' AND e.source_system = 'snomed')
       OR (e.source_code GLOB 'E11.*' AND e.source_system = 'icd10cm'))
)
SELECT person_id, min(d) AS entry_date FROM t2d_event GROUP BY person_id;

CREATE TEMP TABLE event AS
SELECT e.person_id, e.entry_date, op.observation_period_end_date AS end_date,
       -- rule 1: age in whole years on the entry date
       (  strftime('%Y', e.entry_date * 86400, 'unixepoch') - strftime('%Y', p.birth_date * 86400, 'unixepoch')
        - (strftime('%m%d', e.entry_date * 86400, 'unixepoch') < strftime('%m%d', p.birth_date * 86400, 'unixepoch'))
       ) >= 18 AS adult,
       -- rule 2
       (EXISTS (SELECT 1 FROM measurement m
                 WHERE m.person_id = e.person_id
                   AND m.measurement_date BETWEEN e.entry_date - 365 AND e.entry_date + 30
                   AND m.source_code IN ('4548-4', '17856-6') AND m.source_system = 'loinc')
        OR EXISTS (SELECT 1 FROM event_code x JOIN measurement m ON m.measurement_id = x.event_id
                    WHERE x.event_table = 'measurement' AND x.source_code IN ('4548-4', '17856-6')
                      AND x.source_system = 'loinc' AND m.person_id = e.person_id
                      AND m.measurement_date BETWEEN e.entry_date - 365 AND e.entry_date + 30)
       ) AS hba1c_checked,
       -- rule 3
       NOT (EXISTS (SELECT 1 FROM condition_occurrence c
                     WHERE c.person_id = e.person_id AND c.condition_start_date < e.entry_date
                       AND ((c.source_code = '84114007' AND c.source_system = 'snomed')
                         OR (c.source_code GLOB 'I50.*' AND c.source_system = 'icd10cm')))
            OR EXISTS (SELECT 1 FROM event_code x JOIN condition_occurrence c ON c.condition_occurrence_id = x.event_id
                        WHERE x.event_table = 'condition_occurrence'
                          AND ((x.source_code = '84114007' AND x.source_system = 'snomed')
                            OR (x.source_code GLOB 'I50.*' AND x.source_system = 'icd10cm'))
                          AND c.person_id = e.person_id AND c.condition_start_date < e.entry_date)
       ) AS no_prior_hf
  FROM entry e
  JOIN observation_period op ON op.person_id = e.person_id
   AND op.observation_period_start_date <= e.entry_date - 365
   AND op.observation_period_end_date >= e.entry_date
  JOIN person p ON p.person_id = e.person_id;

SELECT person_id AS person, date(entry_date * 86400, 'unixepoch') AS start, date(end_date * 86400, 'unixepoch') AS "end"
  FROM event WHERE adult AND hba1c_checked AND no_prior_hf ORDER BY person_id;
.print ""
SELECT 0 AS step, 'entry events' AS rule, count(DISTINCT person_id) AS persons, count(*) AS events FROM entry
UNION ALL SELECT 1, 'observation 365 days before entry', count(DISTINCT person_id), count(*) FROM event
UNION ALL SELECT 2, 'adult', count(DISTINCT person_id), count(*) FROM event WHERE adult
UNION ALL SELECT 3, 'HbA1c checked', count(DISTINCT person_id), count(*) FROM event WHERE adult AND hba1c_checked
UNION ALL SELECT 4, 'prior heart failure', count(DISTINCT person_id), count(*) FROM event WHERE adult AND hba1c_checked AND no_prior_hf
ORDER BY step;
