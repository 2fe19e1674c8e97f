-- compiled for sqlite; cohort definition ids are numbered in order of definition

-- valueset Diabetes: 1 code, 1 pattern

-- valueset Hypertension: 3 codes

-- valueset HeartFailure: 3 codes, 1 pattern

-- valueset COPD: 1 code, 1 pattern

-- valueset COPDExacerbation: 2 codes

-- valueset ESRD: 3 codes

-- valueset Hospice: 2 codes

-- valueset ASCVD: 3 codes, 5 patterns

-- valueset HbA1c: 2 codes

-- valueset SystolicBP: 1 code

-- valueset DiastolicBP: 1 code

-- valueset LDL: 2 codes

-- valueset BMI: 1 code

-- valueset EGFR: 2 codes

-- valueset OfficeVisit: 2 codes, 1 concept id

-- valueset EmergencyVisit: 1 code, 1 concept id

-- valueset InpatientVisit: 1 code, 1 concept id

-- valueset AcuteCareVisit: 2 codes, 2 concept ids

-- valueset Statins: 3 codes

-- valueset BetaBlockersHF: 1 code

-- valueset RASAntagonists: 3 codes

-- valueset DiabetesOralMeds: 2 codes

-- valueset Insulin: 3 codes

-- valueset SystemicCorticosteroids: 1 code

-- ===== cohort T2D "Adults with type 2 diabetes" — definition 1

-- value set Diabetes
CREATE TEMP TABLE s1_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set Diabetes
CREATE TEMP TABLE s1_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set Diabetes
INSERT OR IGNORE INTO s1_vs1_codes (code, system) VALUES (?, ?);
-- parameters: '44054006', 'snomed'

-- value set Diabetes: icd10cm:E11.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'E11.', 'E11.\u{10FFFF}', 'icd10cm'

-- value set Diabetes: icd10cm:E11.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'E11.', 'E11.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- entry events
CREATE TEMP TABLE s1_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY q.person_id, q.start_date, q.rank, q.source_id) AS event_id, q.person_id AS person_id, q.start_date AS start_date, q.end_date AS end_date, q.visit_id AS visit_id, q.op_start AS op_start, q.op_end AS op_end, q.start_seconds AS start_seconds
  FROM (
    SELECT ev.person_id AS person_id, ev.start_date AS start_date, ev.end_date AS end_date, ev.visit_id AS visit_id, op.observation_period_start_date AS op_start, op.observation_period_end_date AS op_end, ev.start_seconds AS start_seconds, ev.rank AS rank, ev.source_id AS source_id, ROW_NUMBER() OVER (PARTITION BY ev.person_id ORDER BY ev.start_date, ev.rank, ev.source_id) AS ordinal
    FROM (
      SELECT x1.person_id AS person_id, x1.condition_start_date AS start_date, coalesce(x1.condition_end_date, (x1.condition_start_date + ?)) AS end_date, x1.visit_occurrence_id AS visit_id, coalesce(x1.condition_start_datetime, (x1.condition_start_date * ?)) AS start_seconds, ? AS rank, x1.condition_occurrence_id AS source_id
      FROM condition_occurrence x1
      WHERE (x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s1_vs1_codes)
      UNION
      SELECT x1.person_id AS person_id, x1.condition_start_date AS start_date, coalesce(x1.condition_end_date, (x1.condition_start_date + ?)) AS end_date, x1.visit_occurrence_id AS visit_id, coalesce(x1.condition_start_datetime, (x1.condition_start_date * ?)) AS start_seconds, ? AS rank, x1.condition_occurrence_id AS source_id
      FROM condition_occurrence x1
      WHERE x1.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s1_vs1_codes)))) ev
    JOIN observation_period op ON (((op.person_id = ev.person_id) AND (ev.start_date >= op.observation_period_start_date)) AND (ev.start_date <= op.observation_period_end_date))) q
  WHERE (q.ordinal = ?);
-- parameters: 1, 86400, 0, 1, 86400, 0, 'condition_occurrence', 1

-- rules: age at entry >= 18
CREATE TEMP TABLE s1_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce(EXISTS (SELECT ?
    FROM person p2
    WHERE ((p2.person_id = e.person_id) AND ((CASE WHEN p2.birth_date IS NOT NULL THEN CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - CAST(strftime('%Y', (p2.birth_date) * 86400, 'unixepoch') AS INTEGER) - (strftime('%m%d', (e.start_date) * 86400, 'unixepoch') < strftime('%m%d', (p2.birth_date) * 86400, 'unixepoch')) ELSE CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - p2.year_of_birth END) >= ?))), 0) THEN ? ELSE ? END AS passed
  FROM s1_entry e;
-- parameters: 1, 18.0, 0, 1

-- events passing every rule
CREATE TEMP TABLE s1_kept1 AS 
SELECT t.event_id AS event_id, t.person_id AS person_id, t.start_date AS start_date, t.end_date AS end_date, t.visit_id AS visit_id, t.op_start AS op_start, t.op_end AS op_end, t.start_seconds AS start_seconds
  FROM s1_rules1 t
  WHERE (t.passed = ?);
-- parameters: 1

-- exit dates
CREATE TEMP TABLE s1_exit AS 
SELECT e.person_id AS person_id, e.start_date AS start_date, coalesce(e.op_end, (SELECT opx.observation_period_end_date
    FROM observation_period opx
    WHERE (((opx.person_id = e.person_id) AND (opx.observation_period_start_date <= e.start_date)) AND (opx.observation_period_end_date >= e.start_date))
    LIMIT ?), e.start_date) AS end_date
  FROM s1_kept1 e;
-- parameters: 1

-- replace cohort rows
DELETE FROM cohort WHERE (cohort_definition_id = ?);
-- parameters: 1

-- collapse into eras (pad 0 days)
INSERT INTO cohort (cohort_definition_id, subject_id, cohort_start_date, cohort_end_date)
SELECT ?, g.person_id, MIN(g.start_date), MAX(g.end_date)
FROM (
  SELECT f.person_id AS person_id, f.start_date AS start_date, f.end_date AS end_date, SUM(f.is_start) OVER (PARTITION BY f.person_id ORDER BY f.start_date, f.end_date ROWS UNBOUNDED PRECEDING) AS era
  FROM (
    SELECT r.person_id AS person_id, r.start_date AS start_date, r.end_date AS end_date, CASE WHEN ((MAX(r.end_date) OVER (PARTITION BY r.person_id ORDER BY r.start_date, r.end_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + ?) >= r.start_date) THEN ? ELSE ? END AS is_start
    FROM (
      SELECT x.person_id, x.start_date, x.end_date
      FROM s1_exit x) r) f) g
GROUP BY g.person_id, g.era;
-- parameters: 1, 0, 0, 1

-- attrition: entry events
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s1_entry t;

-- attrition: age at entry >= 18
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s1_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- param period = 2025-01-01 .. 2025-12-31

-- ===== cohort T2DSeen "Adults with type 2 diabetes seen in the last two years" — definition 2

-- entry events
CREATE TEMP TABLE s2_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY s.person_id) AS event_id, s.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, ? AS start_seconds
  FROM (
    SELECT DISTINCT c.subject_id AS person_id
    FROM cohort c
    WHERE ((c.cohort_definition_id = ?) AND (c.cohort_start_date <= ?))) s;
-- parameters: 20453, 20453, NULL, NULL, NULL, 1767139200, 1, 20453

-- rules: seen in the last two years; died by the end of the period
CREATE TEMP TABLE s2_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce(EXISTS (SELECT ?
    FROM visit_occurrence x1
    WHERE (((x1.person_id = e.person_id) AND (x1.visit_start_date >= (e.start_date + ?))) AND (x1.visit_start_date <= e.start_date))), 0) THEN ? WHEN NOT coalesce(NOT e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x2.person_id AS person_id, x2.person_id AS event_id
      FROM death x2
      WHERE (x2.death_date <= ?)) r), 0) THEN ? ELSE ? END AS passed
  FROM s2_entry e;
-- parameters: 1, -730, 0, 20453, 1, 2

-- events passing every rule
CREATE TEMP TABLE s2_kept1 AS 
SELECT t.event_id AS event_id, t.person_id AS person_id, t.start_date AS start_date, t.end_date AS end_date, t.visit_id AS visit_id, t.op_start AS op_start, t.op_end AS op_end, t.start_seconds AS start_seconds
  FROM s2_rules1 t
  WHERE (t.passed = ?);
-- parameters: 2

-- exit dates
CREATE TEMP TABLE s2_exit AS 
SELECT e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date
  FROM s2_kept1 e;

-- replace cohort rows
DELETE FROM cohort WHERE (cohort_definition_id = ?);
-- parameters: 2

-- collapse into eras (pad 0 days)
INSERT INTO cohort (cohort_definition_id, subject_id, cohort_start_date, cohort_end_date)
SELECT ?, g.person_id, MIN(g.start_date), MAX(g.end_date)
FROM (
  SELECT f.person_id AS person_id, f.start_date AS start_date, f.end_date AS end_date, SUM(f.is_start) OVER (PARTITION BY f.person_id ORDER BY f.start_date, f.end_date ROWS UNBOUNDED PRECEDING) AS era
  FROM (
    SELECT r.person_id AS person_id, r.start_date AS start_date, r.end_date AS end_date, CASE WHEN ((MAX(r.end_date) OVER (PARTITION BY r.person_id ORDER BY r.start_date, r.end_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + ?) >= r.start_date) THEN ? ELSE ? END AS is_start
    FROM (
      SELECT x.person_id, x.start_date, x.end_date
      FROM s2_exit x) r) f) g
GROUP BY g.person_id, g.era;
-- parameters: 2, 0, 0, 1

-- attrition: entry events
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s2_entry t;

-- attrition: seen in the last two years
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s2_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- attrition: died by the end of the period
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s2_rules1 t
WHERE (t.passed >= ?);
-- parameters: 2

-- ===== features DiabetesFeatures: age, female, hba1c_last, hba1c_mean, hba1c_slope, hba1c_missing, hba1c_slope_missing, sbp_mean, sbp_missing, bmi_mean, bmi_missing, egfr_last, egfr_missing, conditions_hypertension, conditions_heartfailure, drugs, visits_inpatient, visits_outpatient, visits_emergency

-- value set HbA1c
CREATE TEMP TABLE s3_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set HbA1c
CREATE TEMP TABLE s3_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set HbA1c
INSERT OR IGNORE INTO s3_vs1_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '17856-6', 'loinc', '4548-4', 'loinc'

-- value set SystolicBP
CREATE TEMP TABLE s3_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set SystolicBP
CREATE TEMP TABLE s3_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set SystolicBP
INSERT OR IGNORE INTO s3_vs2_codes (code, system) VALUES (?, ?);
-- parameters: '8480-6', 'loinc'

-- value set BMI
CREATE TEMP TABLE s3_vs3_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set BMI
CREATE TEMP TABLE s3_vs3_concepts (concept_id INTEGER PRIMARY KEY);

-- value set BMI
INSERT OR IGNORE INTO s3_vs3_codes (code, system) VALUES (?, ?);
-- parameters: '39156-5', 'loinc'

-- value set EGFR
CREATE TEMP TABLE s3_vs4_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set EGFR
CREATE TEMP TABLE s3_vs4_concepts (concept_id INTEGER PRIMARY KEY);

-- value set EGFR
INSERT OR IGNORE INTO s3_vs4_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '33914-3', 'loinc', '62238-1', 'loinc'

-- value set Hypertension
CREATE TEMP TABLE s3_vs5_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set Hypertension
CREATE TEMP TABLE s3_vs5_concepts (concept_id INTEGER PRIMARY KEY);

-- value set Hypertension
INSERT OR IGNORE INTO s3_vs5_codes (code, system) VALUES (?, ?), (?, ?), (?, ?);
-- parameters: 'I10', 'icd10cm', '38341003', 'snomed', '59621000', 'snomed'

-- value set HeartFailure
CREATE TEMP TABLE s3_vs6_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set HeartFailure
CREATE TEMP TABLE s3_vs6_concepts (concept_id INTEGER PRIMARY KEY);

-- value set HeartFailure
INSERT OR IGNORE INTO s3_vs6_codes (code, system) VALUES (?, ?), (?, ?), (?, ?);
-- parameters: '42343007', 'snomed', '84114007', 'snomed', '88805009', 'snomed'

-- value set HeartFailure: icd10cm:I50.*
INSERT OR IGNORE INTO s3_vs6_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'I50.', 'I50.\u{10FFFF}', 'icd10cm'

-- value set HeartFailure: icd10cm:I50.*
INSERT OR IGNORE INTO s3_vs6_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'I50.', 'I50.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- index dates of T2DSeen
CREATE TEMP TABLE s3_idx AS 
SELECT pr.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, (? * ?) AS start_seconds
  FROM (
    SELECT pr.person_id AS person_id, pr.start_date AS start_date, pr.end_date AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, (pr.start_date * ?) AS start_seconds
    FROM (
      SELECT c.subject_id AS person_id, c.cohort_start_date AS start_date, c.cohort_end_date AS end_date
      FROM cohort c
      WHERE (c.cohort_definition_id = ?)) pr) pr
  WHERE (pr.start_date <= ?)
  GROUP BY pr.person_id;
-- parameters: 20453, 20453, NULL, NULL, NULL, 20453, 86400, NULL, NULL, NULL, 86400, 2, 20453

-- index on s3_idx
CREATE INDEX s3_idx_person ON s3_idx (person_id);

-- persons
SELECT e.person_id AS person_id, e.start_date AS index_day, (CASE WHEN p.birth_date IS NOT NULL THEN CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - CAST(strftime('%Y', (p.birth_date) * 86400, 'unixepoch') AS INTEGER) - (strftime('%m%d', (e.start_date) * 86400, 'unixepoch') < strftime('%m%d', (p.birth_date) * 86400, 'unixepoch')) ELSE CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - p.year_of_birth END) AS age, CASE WHEN (p.gender_concept_id = ?) THEN ? WHEN (p.gender_concept_id = ?) THEN ? END AS female
FROM s3_idx e
LEFT JOIN person p ON (p.person_id = e.person_id)
ORDER BY e.person_id;
-- parameters: 8532, 1, 8507, 0

-- item 3
SELECT e.person_id AS person_id, x1.measurement_date AS day, CASE WHEN x1.unit_source_value IS NULL THEN x1.value_as_number WHEN lower(x1.unit_source_value) IN (?, ?, ?) THEN x1.value_as_number WHEN (replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') = ?) THEN x1.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?, ?, ?) THEN x1.value_as_number END AS value
FROM s3_idx e
CROSS JOIN measurement x1 ON (((((x1.person_id = e.person_id) AND ((x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s3_vs1_codes) OR x1.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs1_codes))))) AND (x1.measurement_date >= (e.start_date + ?))) AND (x1.measurement_date <= e.start_date)) AND CASE WHEN x1.unit_source_value IS NULL THEN x1.value_as_number WHEN lower(x1.unit_source_value) IN (?, ?, ?) THEN x1.value_as_number WHEN (replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') = ?) THEN x1.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?, ?, ?) THEN x1.value_as_number END IS NOT NULL)
ORDER BY e.person_id, x1.measurement_date, x1.measurement_id;
-- parameters: '%', 'pct', 'percent', '', '%', 'pct', 'percent', 'measurement', -730, '%', 'pct', 'percent', '', '%', 'pct', 'percent'

-- item 4
SELECT e.person_id AS person_id, x2.measurement_date AS day, x2.value_as_number AS value
FROM s3_idx e
CROSS JOIN measurement x2 ON (((((x2.person_id = e.person_id) AND ((x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s3_vs2_codes) OR x2.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs2_codes))))) AND (x2.measurement_date >= (e.start_date + ?))) AND (x2.measurement_date <= e.start_date)) AND x2.value_as_number IS NOT NULL)
ORDER BY e.person_id, x2.measurement_date, x2.measurement_id;
-- parameters: 'measurement', -730

-- item 5
SELECT e.person_id AS person_id, x3.measurement_date AS day, x3.value_as_number AS value
FROM s3_idx e
CROSS JOIN measurement x3 ON (((((x3.person_id = e.person_id) AND ((x3.source_code, x3.source_system) IN (SELECT code, system
    FROM s3_vs3_codes) OR x3.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs3_codes))))) AND (x3.measurement_date >= (e.start_date + ?))) AND (x3.measurement_date <= e.start_date)) AND x3.value_as_number IS NOT NULL)
ORDER BY e.person_id, x3.measurement_date, x3.measurement_id;
-- parameters: 'measurement', -730

-- item 6
SELECT e.person_id AS person_id, x4.measurement_date AS day, x4.value_as_number AS value
FROM s3_idx e
CROSS JOIN measurement x4 ON (((((x4.person_id = e.person_id) AND ((x4.source_code, x4.source_system) IN (SELECT code, system
    FROM s3_vs4_codes) OR x4.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs4_codes))))) AND (x4.measurement_date >= (e.start_date + ?))) AND (x4.measurement_date <= e.start_date)) AND x4.value_as_number IS NOT NULL)
ORDER BY e.person_id, x4.measurement_date, x4.measurement_id;
-- parameters: 'measurement', -730

-- item 7
SELECT e.person_id AS person_id, COUNT(*) AS n
FROM s3_idx e
CROSS JOIN condition_occurrence x5 ON (((x5.person_id = e.person_id) AND ((x5.source_code, x5.source_system) IN (SELECT code, system
    FROM s3_vs5_codes) OR x5.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs5_codes))))) AND (x5.condition_start_date <= e.start_date))
GROUP BY e.person_id;
-- parameters: 'condition_occurrence'

-- item 8
SELECT e.person_id AS person_id, COUNT(*) AS n
FROM s3_idx e
CROSS JOIN condition_occurrence x6 ON (((x6.person_id = e.person_id) AND ((x6.source_code, x6.source_system) IN (SELECT code, system
    FROM s3_vs6_codes) OR x6.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs6_codes))))) AND (x6.condition_start_date <= e.start_date))
GROUP BY e.person_id;
-- parameters: 'condition_occurrence'

-- item 9
SELECT e.person_id AS person_id, COUNT(DISTINCT coalesce(x7.source_code, x7.drug_concept_id)) AS n
FROM s3_idx e
CROSS JOIN drug_exposure x7 ON (((x7.person_id = e.person_id) AND (coalesce(x7.drug_exposure_end_date, (x7.drug_exposure_start_date + x7.days_supply), (x7.drug_exposure_start_date + ?)) >= (e.start_date + ?))) AND (x7.drug_exposure_start_date <= e.start_date))
GROUP BY e.person_id;
-- parameters: 1, -90

-- item 10
SELECT e.person_id AS person_id, SUM(CASE WHEN x8.visit_concept_id IN (?, ?, ?) THEN ? ELSE ? END) AS inpatient, SUM(CASE WHEN x8.visit_concept_id IN (?, ?, ?) THEN ? ELSE ? END) AS outpatient, SUM(CASE WHEN x8.visit_concept_id IN (?, ?) THEN ? ELSE ? END) AS emergency
FROM s3_idx e
CROSS JOIN visit_occurrence x8 ON (((x8.person_id = e.person_id) AND (x8.visit_start_date >= (e.start_date + ?))) AND (x8.visit_start_date <= e.start_date))
GROUP BY e.person_id;
-- parameters: 9201, 262, 8717, 1, 0, 9202, 581477, 5083, 1, 0, 9203, 262, 1, 0, -365

-- ===== cluster Phenotypes: kmeans k 2...5 on DiabetesFeatures (numerics, no SQL)

-- ===== count Phenotypes_1 by sex, age band 20

-- result columns: sex, age band, persons, eras
SELECT r.d1 AS d1, r.d2 AS d2, COUNT(DISTINCT r.person_id) AS persons, COUNT(*) AS eras
FROM (
  SELECT e.person_id AS person_id, CASE WHEN (p.gender_concept_id = ?) THEN ? WHEN (p.gender_concept_id = ?) THEN ? ELSE ? END AS d1, (((CASE WHEN p.birth_date IS NOT NULL THEN CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - CAST(strftime('%Y', (p.birth_date) * 86400, 'unixepoch') AS INTEGER) - (strftime('%m%d', (e.start_date) * 86400, 'unixepoch') < strftime('%m%d', (p.birth_date) * 86400, 'unixepoch')) ELSE CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - p.year_of_birth END) / ?) * ?) AS d2
  FROM (
    SELECT pr.person_id AS person_id, pr.start_date AS start_date, pr.end_date AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, (pr.start_date * ?) AS start_seconds
    FROM (
      SELECT c.subject_id AS person_id, c.cohort_start_date AS start_date, c.cohort_end_date AS end_date
      FROM cohort c
      WHERE (c.cohort_definition_id = ?)) pr) e
  LEFT JOIN person p ON (p.person_id = e.person_id)) r
GROUP BY r.d1, r.d2
ORDER BY r.d1, r.d2;
-- parameters: 8532, 'female', 8507, 'male', 'unknown', 20, 20, NULL, NULL, NULL, 86400, 3

-- ===== count Phenotypes_2 by sex, age band 20

-- result columns: sex, age band, persons, eras
SELECT r.d1 AS d1, r.d2 AS d2, COUNT(DISTINCT r.person_id) AS persons, COUNT(*) AS eras
FROM (
  SELECT e.person_id AS person_id, CASE WHEN (p.gender_concept_id = ?) THEN ? WHEN (p.gender_concept_id = ?) THEN ? ELSE ? END AS d1, (((CASE WHEN p.birth_date IS NOT NULL THEN CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - CAST(strftime('%Y', (p.birth_date) * 86400, 'unixepoch') AS INTEGER) - (strftime('%m%d', (e.start_date) * 86400, 'unixepoch') < strftime('%m%d', (p.birth_date) * 86400, 'unixepoch')) ELSE CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - p.year_of_birth END) / ?) * ?) AS d2
  FROM (
    SELECT pr.person_id AS person_id, pr.start_date AS start_date, pr.end_date AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, (pr.start_date * ?) AS start_seconds
    FROM (
      SELECT c.subject_id AS person_id, c.cohort_start_date AS start_date, c.cohort_end_date AS end_date
      FROM cohort c
      WHERE (c.cohort_definition_id = ?)) pr) e
  LEFT JOIN person p ON (p.person_id = e.person_id)) r
GROUP BY r.d1, r.d2
ORDER BY r.d1, r.d2;
-- parameters: 8532, 'female', 8507, 'male', 'unknown', 20, 20, NULL, NULL, NULL, 86400, 4

-- ===== forecast HbA1c for T2DSeen (numerics, no SQL)

-- ===== count RisingHbA1c by provider

-- result columns: provider, persons, eras
SELECT r.d1 AS d1, COUNT(DISTINCT r.person_id) AS persons, COUNT(*) AS eras
FROM (
  SELECT e.person_id AS person_id, coalesce((SELECT n.provider_name
    FROM provider n
    WHERE (n.provider_id = p.provider_id)
    LIMIT ?), ?) AS d1
  FROM (
    SELECT pr.person_id AS person_id, pr.start_date AS start_date, pr.end_date AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, (pr.start_date * ?) AS start_seconds
    FROM (
      SELECT c.subject_id AS person_id, c.cohort_start_date AS start_date, c.cohort_end_date AS end_date
      FROM cohort c
      WHERE (c.cohort_definition_id = ?)) pr) e
  LEFT JOIN person p ON (p.person_id = e.person_id)) r
GROUP BY r.d1
ORDER BY r.d1;
-- parameters: 1, '(unattributed)', NULL, NULL, NULL, 86400, 5
