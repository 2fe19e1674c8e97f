-- The same feature table in hand-written SQL for the sqlite3 shell, from the T2D cohort rows
-- Stratum saved (Benchmarks/features.sh runs the Stratum script first). 20453 = 2025-12-31.
.mode csv
.headers on
.once Benchmarks/work/features-out/sqlite3.csv
WITH idx AS (
  SELECT subject_id AS person_id, 20453 AS d FROM cohort
  WHERE cohort_definition_id = (SELECT cohort_definition_id FROM cohort_definition WHERE name = 'T2D')
    AND cohort_start_date <= 20453
  GROUP BY subject_id
),
a1c AS (
  SELECT i.person_id, m.measurement_date AS day, m.value_as_number AS v, m.measurement_id AS id
  FROM idx i JOIN measurement m ON m.person_id = i.person_id
  WHERE m.source_system = 'loinc' AND m.source_code IN ('4548-4', '17856-6')
    AND m.measurement_date BETWEEN i.d - 730 AND i.d AND m.value_as_number IS NOT NULL
),
a1c_ranked AS (
  SELECT *, row_number() OVER (PARTITION BY person_id ORDER BY day DESC, id DESC) AS rn,
         min(day) OVER (PARTITION BY person_id) AS first_day FROM a1c
),
a1c_agg AS (
  SELECT person_id, count(*) AS n, avg(v) AS mean, min(v) AS mn, max(v) AS mx, max(day) AS last_day,
         max(CASE WHEN rn = 1 THEN v END) AS last,
         (count(*) * sum((day - first_day) * v) - sum(day - first_day) * sum(v))
           / NULLIF(count(*) * sum((day - first_day) * (day - first_day)) - sum(day - first_day) * sum(day - first_day), 0) * 365.25 AS slope
  FROM a1c_ranked GROUP BY person_id
),
sbp AS (
  SELECT i.person_id, m.measurement_date AS day, m.value_as_number AS v, m.measurement_id AS id
  FROM idx i JOIN measurement m ON m.person_id = i.person_id
  WHERE m.source_system = 'loinc' AND m.source_code = '8480-6'
    AND m.measurement_date BETWEEN i.d - 730 AND i.d AND m.value_as_number IS NOT NULL
),
sbp_agg AS (
  SELECT person_id, avg(v) AS mean,
         max(CASE WHEN rn = 1 THEN v END) AS last
  FROM (SELECT *, row_number() OVER (PARTITION BY person_id ORDER BY day DESC, id DESC) AS rn FROM sbp) GROUP BY person_id
),
drugs AS (
  SELECT i.person_id, count(DISTINCT coalesce(x.source_code, x.drug_concept_id)) AS n
  FROM idx i JOIN drug_exposure x ON x.person_id = i.person_id
  WHERE x.drug_exposure_start_date <= i.d
    AND coalesce(x.drug_exposure_end_date, x.drug_exposure_start_date + x.days_supply, x.drug_exposure_start_date + 1) >= i.d - 90
  GROUP BY i.person_id
),
visits AS (
  SELECT i.person_id, sum(v.visit_concept_id IN (9201, 262, 8717)) AS inpatient,
         sum(v.visit_concept_id IN (9202, 581477, 5083)) AS outpatient, sum(v.visit_concept_id IN (9203, 262)) AS emergency
  FROM idx i JOIN visit_occurrence v ON v.person_id = i.person_id
  WHERE v.visit_start_date BETWEEN i.d - 365 AND i.d GROUP BY i.person_id
)
SELECT i.person_id, i.d AS index_day,
       (strftime('%Y', date(i.d * 86400, 'unixepoch')) - strftime('%Y', date(p.birth_date * 86400, 'unixepoch'))
         - (strftime('%m-%d', date(i.d * 86400, 'unixepoch')) < strftime('%m-%d', date(p.birth_date * 86400, 'unixepoch')))) AS age,
       CASE p.gender_concept_id WHEN 8532 THEN 1 WHEN 8507 THEN 0 END AS female,
       a.last AS hba1c_last, a.mean AS hba1c_mean, a.mn AS hba1c_min, a.mx AS hba1c_max, coalesce(a.n, 0) AS hba1c_count,
       a.slope AS hba1c_slope, i.d - a.last_day AS hba1c_days_since_last, a.person_id IS NULL AS hba1c_missing,
       a.slope IS NULL AS hba1c_slope_missing,
       s.last AS sbp_last, s.mean AS sbp_mean, s.person_id IS NULL AS sbp_missing,
       coalesce(dr.n, 0) AS drugs,
       coalesce(v.inpatient, 0) AS visits_inpatient, coalesce(v.outpatient, 0) AS visits_outpatient, coalesce(v.emergency, 0) AS visits_emergency
FROM idx i JOIN person p ON p.person_id = i.person_id
LEFT JOIN a1c_agg a ON a.person_id = i.person_id
LEFT JOIN sbp_agg s ON s.person_id = i.person_id
LEFT JOIN drugs dr ON dr.person_id = i.person_id
LEFT JOIN visits v ON v.person_id = i.person_id
ORDER BY i.person_id;
