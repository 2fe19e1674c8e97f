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

-- ===== cohort T2DInCare "Adults with type 2 diabetes in care during the period" — definition 2

-- entry events
CREATE TEMP TABLE s2_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY s.person_id) AS event_id, s.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, ? AS start_seconds
  FROM (
    SELECT DISTINCT c.subject_id AS person_id
    FROM cohort c
    WHERE ((c.cohort_definition_id = ?) AND (c.cohort_start_date <= ?))) s;
-- parameters: 20453, 20453, NULL, NULL, NULL, 1767139200, 1, 20453

-- rules: seen in the period; died by the end of the period
CREATE TEMP TABLE s2_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce(e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x1.person_id AS person_id, x1.visit_occurrence_id AS event_id
      FROM visit_occurrence x1
      WHERE ((x1.visit_start_date >= ?) AND (x1.visit_start_date <= ?))) r), 0) THEN ? WHEN NOT coalesce(NOT e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x2.person_id AS person_id, x2.person_id AS event_id
      FROM death x2
      WHERE (x2.death_date <= ?)) r), 0) THEN ? ELSE ? END AS passed
  FROM s2_entry e;
-- parameters: 20089, 20453, 0, 20453, 1, 2

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

-- attrition: seen in the period
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s2_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- attrition: died by the end of the period
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s2_rules1 t
WHERE (t.passed >= ?);
-- parameters: 2

-- ===== count T2D by sex, age band 10

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
-- parameters: 8532, 'female', 8507, 'male', 'unknown', 10, 10, NULL, NULL, NULL, 86400, 1

-- ===== count T2DInCare by sex, age band 10

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
-- parameters: 8532, 'female', 8507, 'male', 'unknown', 10, 10, NULL, NULL, NULL, 86400, 2

-- ===== count T2DInCare by condition in Diabetes during period as "diagnosed in period"

-- value set Diabetes
CREATE TEMP TABLE s5_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set Diabetes
CREATE TEMP TABLE s5_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set Diabetes
INSERT OR IGNORE INTO s5_vs1_codes (code, system) VALUES (?, ?);
-- parameters: '44054006', 'snomed'

-- value set Diabetes: icd10cm:E11.*
INSERT OR IGNORE INTO s5_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'E11.', 'E11.\u{10FFFF}', 'icd10cm'

-- value set Diabetes: icd10cm:E11.*
INSERT OR IGNORE INTO s5_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'E11.', 'E11.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- result columns: diagnosed in period, persons, eras
SELECT r.d1 AS d1, COUNT(DISTINCT r.person_id) AS persons, COUNT(*) AS eras
FROM (
  SELECT e.person_id AS person_id, CASE WHEN e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x1.person_id AS person_id, x1.condition_occurrence_id AS event_id
      FROM condition_occurrence x1
      WHERE (((x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s5_vs1_codes) AND (x1.condition_start_date >= ?)) AND (x1.condition_start_date <= ?))
      UNION ALL
      SELECT x1.person_id AS person_id, x1.condition_occurrence_id AS event_id
      FROM condition_occurrence x1
      WHERE ((x1.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s5_vs1_codes))) AND (x1.condition_start_date >= ?)) AND (x1.condition_start_date <= ?))) r) THEN ? ELSE ? END AS d1
  FROM (
    SELECT pr.person_id AS person_id, pr.start_date AS start_date, pr.end_date AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, (pr.start_date * ?) AS start_seconds
    FROM (
      SELECT c.subject_id AS person_id, c.cohort_start_date AS start_date, c.cohort_end_date AS end_date
      FROM cohort c
      WHERE (c.cohort_definition_id = ?)) pr) e
  LEFT JOIN person p ON (p.person_id = e.person_id)) r
GROUP BY r.d1
ORDER BY r.d1;
-- parameters: 20089, 20453, 'condition_occurrence', 20089, 20453, 'yes', 'no', NULL, NULL, NULL, 86400, 2
