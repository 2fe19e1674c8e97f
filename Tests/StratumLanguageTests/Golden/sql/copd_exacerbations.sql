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

-- param period = 2025-01-01 .. 2025-12-31

-- ===== cohort COPDPatients "Adults 40+ with COPD" — definition 1

-- value set COPD
CREATE TEMP TABLE s1_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set COPD
CREATE TEMP TABLE s1_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set COPD
INSERT OR IGNORE INTO s1_vs1_codes (code, system) VALUES (?, ?);
-- parameters: '13645005', 'snomed'

-- value set COPD: icd10cm:J44.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'J44.', 'J44.\u{10FFFF}', 'icd10cm'

-- value set COPD: icd10cm:J44.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'J44.', 'J44.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

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

-- rules: age at entry >= 40
CREATE TEMP TABLE s1_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce(EXISTS (SELECT ?
    FROM person p2
    WHERE ((p2.person_id = e.person_id) AND ((CASE WHEN p2.birth_date IS NOT NULL THEN CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - CAST(strftime('%Y', (p2.birth_date) * 86400, 'unixepoch') AS INTEGER) - (strftime('%m%d', (e.start_date) * 86400, 'unixepoch') < strftime('%m%d', (p2.birth_date) * 86400, 'unixepoch')) ELSE CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - p2.year_of_birth END) >= ?))), 0) THEN ? ELSE ? END AS passed
  FROM s1_entry e;
-- parameters: 1, 40.0, 0, 1

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

-- attrition: age at entry >= 40
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s1_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- ===== cohort COPDInCare "Adults with COPD in care during the period" — definition 2

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

-- ===== cohort COPDExacerbators "COPD with an exacerbation in the past year" — definition 3

-- value set COPD
CREATE TEMP TABLE s3_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set COPD
CREATE TEMP TABLE s3_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set COPD
INSERT OR IGNORE INTO s3_vs1_codes (code, system) VALUES (?, ?);
-- parameters: '13645005', 'snomed'

-- value set COPD: icd10cm:J44.*
INSERT OR IGNORE INTO s3_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'J44.', 'J44.\u{10FFFF}', 'icd10cm'

-- value set COPD: icd10cm:J44.*
INSERT OR IGNORE INTO s3_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'J44.', 'J44.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set AcuteCareVisit
CREATE TEMP TABLE s3_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set AcuteCareVisit
CREATE TEMP TABLE s3_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set AcuteCareVisit
INSERT OR IGNORE INTO s3_vs2_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '32485007', 'snomed', '50849002', 'snomed'

-- value set AcuteCareVisit
INSERT OR IGNORE INTO s3_vs2_concepts (concept_id) VALUES (?), (?);
-- parameters: 9201, 9203

-- value set SystemicCorticosteroids
CREATE TEMP TABLE s3_vs3_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set SystemicCorticosteroids
CREATE TEMP TABLE s3_vs3_concepts (concept_id INTEGER PRIMARY KEY);

-- value set SystemicCorticosteroids
INSERT OR IGNORE INTO s3_vs3_codes (code, system) VALUES (?, ?);
-- parameters: '312615', 'rxnorm'

-- entry events
CREATE TEMP TABLE s3_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY s.person_id) AS event_id, s.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, ? AS start_seconds
  FROM (
    SELECT DISTINCT c.subject_id AS person_id
    FROM cohort c
    WHERE ((c.cohort_definition_id = ?) AND (c.cohort_start_date <= ?))) s;
-- parameters: 20453, 20453, NULL, NULL, NULL, 1767139200, 2, 20453

-- rules: exacerbation in the past year
CREATE TEMP TABLE s3_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce((EXISTS (SELECT ?
    FROM condition_occurrence x1
    WHERE (((((x1.person_id = e.person_id) AND ((x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s3_vs1_codes) OR x1.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs1_codes))))) AND (x1.condition_start_date >= (e.start_date + ?))) AND (x1.condition_start_date <= e.start_date)) AND x1.visit_occurrence_id IN (SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE (x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s3_vs2_codes)
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs2_codes)))
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_concept_id IN (SELECT concept_id
    FROM s3_vs2_concepts)))) OR EXISTS (SELECT ?
    FROM drug_exposure x3
    WHERE (((((x3.person_id = e.person_id) AND ((x3.source_code, x3.source_system) IN (SELECT code, system
    FROM s3_vs3_codes) OR x3.drug_exposure_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs3_codes))))) AND (x3.drug_exposure_start_date >= (e.start_date + ?))) AND (x3.drug_exposure_start_date <= e.start_date)) AND (x3.days_supply <= ?)))), 0) THEN ? ELSE ? END AS passed
  FROM s3_entry e;
-- parameters: 1, 'condition_occurrence', -365, 'visit_occurrence', 1, 'drug_exposure', -365, 14, 0, 1

-- events passing every rule
CREATE TEMP TABLE s3_kept1 AS 
SELECT t.event_id AS event_id, t.person_id AS person_id, t.start_date AS start_date, t.end_date AS end_date, t.visit_id AS visit_id, t.op_start AS op_start, t.op_end AS op_end, t.start_seconds AS start_seconds
  FROM s3_rules1 t
  WHERE (t.passed = ?);
-- parameters: 1

-- exit dates
CREATE TEMP TABLE s3_exit AS 
SELECT e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date
  FROM s3_kept1 e;

-- replace cohort rows
DELETE FROM cohort WHERE (cohort_definition_id = ?);
-- parameters: 3

-- collapse into eras (pad 0 days)
INSERT INTO cohort (cohort_definition_id, subject_id, cohort_start_date, cohort_end_date)
SELECT ?, g.person_id, MIN(g.start_date), MAX(g.end_date)
FROM (
  SELECT f.person_id AS person_id, f.start_date AS start_date, f.end_date AS end_date, SUM(f.is_start) OVER (PARTITION BY f.person_id ORDER BY f.start_date, f.end_date ROWS UNBOUNDED PRECEDING) AS era
  FROM (
    SELECT r.person_id AS person_id, r.start_date AS start_date, r.end_date AS end_date, CASE WHEN ((MAX(r.end_date) OVER (PARTITION BY r.person_id ORDER BY r.start_date, r.end_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + ?) >= r.start_date) THEN ? ELSE ? END AS is_start
    FROM (
      SELECT x.person_id, x.start_date, x.end_date
      FROM s3_exit x) r) f) g
GROUP BY g.person_id, g.era;
-- parameters: 3, 0, 0, 1

-- attrition: entry events
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s3_entry t;

-- attrition: exacerbation in the past year
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s3_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- ===== cohort FrequentExacerbators "COPD with two or more exacerbation visits in the past year" — definition 4

-- value set COPD
CREATE TEMP TABLE s4_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set COPD
CREATE TEMP TABLE s4_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set COPD
INSERT OR IGNORE INTO s4_vs1_codes (code, system) VALUES (?, ?);
-- parameters: '13645005', 'snomed'

-- value set COPD: icd10cm:J44.*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'J44.', 'J44.\u{10FFFF}', 'icd10cm'

-- value set COPD: icd10cm:J44.*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'J44.', 'J44.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set AcuteCareVisit
CREATE TEMP TABLE s4_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set AcuteCareVisit
CREATE TEMP TABLE s4_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set AcuteCareVisit
INSERT OR IGNORE INTO s4_vs2_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '32485007', 'snomed', '50849002', 'snomed'

-- value set AcuteCareVisit
INSERT OR IGNORE INTO s4_vs2_concepts (concept_id) VALUES (?), (?);
-- parameters: 9201, 9203

-- entry events
CREATE TEMP TABLE s4_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY s.person_id) AS event_id, s.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, ? AS start_seconds
  FROM (
    SELECT DISTINCT c.subject_id AS person_id
    FROM cohort c
    WHERE ((c.cohort_definition_id = ?) AND (c.cohort_start_date <= ?))) s;
-- parameters: 20453, 20453, NULL, NULL, NULL, 1767139200, 2, 20453

-- rules: at least 2 condition in COPD within 365 days before entry at visit in AcuteCareVisit distinct by visit
CREATE TEMP TABLE s4_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce(((SELECT COUNT(DISTINCT x1.visit_occurrence_id)
    FROM condition_occurrence x1
    WHERE (((((x1.person_id = e.person_id) AND ((x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s4_vs1_codes) OR x1.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s4_vs1_codes))))) AND (x1.condition_start_date >= (e.start_date + ?))) AND (x1.condition_start_date <= e.start_date)) AND x1.visit_occurrence_id IN (SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE (x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s4_vs2_codes)
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s4_vs2_codes)))
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_concept_id IN (SELECT concept_id
    FROM s4_vs2_concepts)))) >= ?), 0) THEN ? ELSE ? END AS passed
  FROM s4_entry e;
-- parameters: 'condition_occurrence', -365, 'visit_occurrence', 2, 0, 1

-- events passing every rule
CREATE TEMP TABLE s4_kept1 AS 
SELECT t.event_id AS event_id, t.person_id AS person_id, t.start_date AS start_date, t.end_date AS end_date, t.visit_id AS visit_id, t.op_start AS op_start, t.op_end AS op_end, t.start_seconds AS start_seconds
  FROM s4_rules1 t
  WHERE (t.passed = ?);
-- parameters: 1

-- exit dates
CREATE TEMP TABLE s4_exit AS 
SELECT e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date
  FROM s4_kept1 e;

-- replace cohort rows
DELETE FROM cohort WHERE (cohort_definition_id = ?);
-- parameters: 4

-- collapse into eras (pad 0 days)
INSERT INTO cohort (cohort_definition_id, subject_id, cohort_start_date, cohort_end_date)
SELECT ?, g.person_id, MIN(g.start_date), MAX(g.end_date)
FROM (
  SELECT f.person_id AS person_id, f.start_date AS start_date, f.end_date AS end_date, SUM(f.is_start) OVER (PARTITION BY f.person_id ORDER BY f.start_date, f.end_date ROWS UNBOUNDED PRECEDING) AS era
  FROM (
    SELECT r.person_id AS person_id, r.start_date AS start_date, r.end_date AS end_date, CASE WHEN ((MAX(r.end_date) OVER (PARTITION BY r.person_id ORDER BY r.start_date, r.end_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + ?) >= r.start_date) THEN ? ELSE ? END AS is_start
    FROM (
      SELECT x.person_id, x.start_date, x.end_date
      FROM s4_exit x) r) f) g
GROUP BY g.person_id, g.era;
-- parameters: 4, 0, 0, 1

-- attrition: entry events
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s4_entry t;

-- attrition: at least 2 condition in COPD within 365 days before entry at visit in AcuteCareVisit distinct by visit
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s4_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- ===== count COPDInCare by sex, age band 10

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

-- ===== count COPDExacerbators by sex, age band 10

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
-- parameters: 8532, 'female', 8507, 'male', 'unknown', 10, 10, NULL, NULL, NULL, 86400, 3

-- ===== count FrequentExacerbators by sex, age band 10

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
-- parameters: 8532, 'female', 8507, 'male', 'unknown', 10, 10, NULL, NULL, NULL, 86400, 4

-- ===== count COPDExacerbators by condition in COPD within 365 days before entry at visit in AcuteCareVisit as "acute visit", drug in SystemicCorticosteroids within 365 days before entry where days_supply <= 14 as "steroid burst"

-- value set COPD
CREATE TEMP TABLE s8_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set COPD
CREATE TEMP TABLE s8_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set COPD
INSERT OR IGNORE INTO s8_vs1_codes (code, system) VALUES (?, ?);
-- parameters: '13645005', 'snomed'

-- value set COPD: icd10cm:J44.*
INSERT OR IGNORE INTO s8_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'J44.', 'J44.\u{10FFFF}', 'icd10cm'

-- value set COPD: icd10cm:J44.*
INSERT OR IGNORE INTO s8_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'J44.', 'J44.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set AcuteCareVisit
CREATE TEMP TABLE s8_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set AcuteCareVisit
CREATE TEMP TABLE s8_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set AcuteCareVisit
INSERT OR IGNORE INTO s8_vs2_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '32485007', 'snomed', '50849002', 'snomed'

-- value set AcuteCareVisit
INSERT OR IGNORE INTO s8_vs2_concepts (concept_id) VALUES (?), (?);
-- parameters: 9201, 9203

-- value set SystemicCorticosteroids
CREATE TEMP TABLE s8_vs3_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set SystemicCorticosteroids
CREATE TEMP TABLE s8_vs3_concepts (concept_id INTEGER PRIMARY KEY);

-- value set SystemicCorticosteroids
INSERT OR IGNORE INTO s8_vs3_codes (code, system) VALUES (?, ?);
-- parameters: '312615', 'rxnorm'

-- result columns: acute visit, steroid burst, persons, eras
SELECT r.d1 AS d1, r.d2 AS d2, COUNT(DISTINCT r.person_id) AS persons, COUNT(*) AS eras
FROM (
  SELECT e.person_id AS person_id, CASE WHEN EXISTS (SELECT ?
    FROM condition_occurrence x1
    WHERE (((((x1.person_id = e.person_id) AND ((x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s8_vs1_codes) OR x1.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s8_vs1_codes))))) AND (x1.condition_start_date >= (e.start_date + ?))) AND (x1.condition_start_date <= e.start_date)) AND x1.visit_occurrence_id IN (SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE (x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s8_vs2_codes)
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s8_vs2_codes)))
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_concept_id IN (SELECT concept_id
    FROM s8_vs2_concepts)))) THEN ? ELSE ? END AS d1, CASE WHEN EXISTS (SELECT ?
    FROM drug_exposure x3
    WHERE (((((x3.person_id = e.person_id) AND ((x3.source_code, x3.source_system) IN (SELECT code, system
    FROM s8_vs3_codes) OR x3.drug_exposure_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s8_vs3_codes))))) AND (x3.drug_exposure_start_date >= (e.start_date + ?))) AND (x3.drug_exposure_start_date <= e.start_date)) AND (x3.days_supply <= ?))) THEN ? ELSE ? END AS d2
  FROM (
    SELECT pr.person_id AS person_id, pr.start_date AS start_date, pr.end_date AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, (pr.start_date * ?) AS start_seconds
    FROM (
      SELECT c.subject_id AS person_id, c.cohort_start_date AS start_date, c.cohort_end_date AS end_date
      FROM cohort c
      WHERE (c.cohort_definition_id = ?)) pr) e
  LEFT JOIN person p ON (p.person_id = e.person_id)) r
GROUP BY r.d1, r.d2
ORDER BY r.d1, r.d2;
-- parameters: 1, 'condition_occurrence', -365, 'visit_occurrence', 'yes', 'no', 1, 'drug_exposure', -365, 14, 'yes', 'no', NULL, NULL, NULL, 86400, 3
