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

-- ===== cohort HTN "Adults with hypertension" — definition 1

-- value set Hypertension
CREATE TEMP TABLE s1_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set Hypertension
CREATE TEMP TABLE s1_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set Hypertension
INSERT OR IGNORE INTO s1_vs1_codes (code, system) VALUES (?, ?), (?, ?), (?, ?);
-- parameters: 'I10', 'icd10cm', '38341003', 'snomed', '59621000', 'snomed'

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

-- ===== cohort HTNDenominator "Adults 18–85 with hypertension diagnosed by mid-period, seen in the period" — definition 2

-- value set Hypertension
CREATE TEMP TABLE s2_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set Hypertension
CREATE TEMP TABLE s2_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set Hypertension
INSERT OR IGNORE INTO s2_vs1_codes (code, system) VALUES (?, ?), (?, ?), (?, ?);
-- parameters: 'I10', 'icd10cm', '38341003', 'snomed', '59621000', 'snomed'

-- value set OfficeVisit
CREATE TEMP TABLE s2_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set OfficeVisit
CREATE TEMP TABLE s2_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set OfficeVisit
INSERT OR IGNORE INTO s2_vs2_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '185349003', 'snomed', '390906007', 'snomed'

-- value set OfficeVisit
INSERT OR IGNORE INTO s2_vs2_concepts (concept_id) VALUES (?);
-- parameters: 9202

-- entry events
CREATE TEMP TABLE s2_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY s.person_id) AS event_id, s.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, ? AS start_seconds
  FROM (
    SELECT DISTINCT c.subject_id AS person_id
    FROM cohort c
    WHERE ((c.cohort_definition_id = ?) AND (c.cohort_start_date <= ?))) s;
-- parameters: 20453, 20453, NULL, NULL, NULL, 1767139200, 1, 20453

-- rules: age at entry between 18 and 85; diagnosed before the second half of the period; seen in an office visit in the period; died by the end of the period
CREATE TEMP TABLE s2_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce(e.person_id IN (SELECT p1.person_id
    FROM person p1
    WHERE CASE WHEN p1.birth_date IS NOT NULL THEN ((p1.birth_date <= ?) AND (p1.birth_date > ?)) ELSE ((p1.year_of_birth <= ?) AND (p1.year_of_birth >= ?)) END), 0) THEN ? WHEN NOT coalesce(e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x2.person_id AS person_id, x2.condition_occurrence_id AS event_id
      FROM condition_occurrence x2
      WHERE ((x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s2_vs1_codes) AND (x2.condition_start_date <= ?))
      UNION ALL
      SELECT x2.person_id AS person_id, x2.condition_occurrence_id AS event_id
      FROM condition_occurrence x2
      WHERE (x2.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s2_vs1_codes))) AND (x2.condition_start_date <= ?))) r), 0) THEN ? WHEN NOT coalesce(e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x3.person_id AS person_id, x3.visit_occurrence_id AS event_id
      FROM visit_occurrence x3
      WHERE (((x3.source_code, x3.source_system) IN (SELECT code, system
    FROM s2_vs2_codes) AND (x3.visit_start_date >= ?)) AND (x3.visit_start_date <= ?))
      UNION ALL
      SELECT x3.person_id AS person_id, x3.visit_occurrence_id AS event_id
      FROM visit_occurrence x3
      WHERE ((x3.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s2_vs2_codes))) AND (x3.visit_start_date >= ?)) AND (x3.visit_start_date <= ?))
      UNION ALL
      SELECT x3.person_id AS person_id, x3.visit_occurrence_id AS event_id
      FROM visit_occurrence x3
      WHERE ((x3.visit_concept_id IN (SELECT concept_id
    FROM s2_vs2_concepts) AND (x3.visit_start_date >= ?)) AND (x3.visit_start_date <= ?))) r), 0) THEN ? WHEN NOT coalesce(NOT e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x4.person_id AS person_id, x4.person_id AS event_id
      FROM death x4
      WHERE (x4.death_date <= ?)) r), 0) THEN ? ELSE ? END AS passed
  FROM s2_entry e;
-- parameters: 13878, -10959, 2007, 1940, 0, 20269, 'condition_occurrence', 20269, 1, 20089, 20453, 'visit_occurrence', 20089, 20453, 20089, 20453, 2, 20453, 3, 4

-- events passing every rule
CREATE TEMP TABLE s2_kept1 AS 
SELECT t.event_id AS event_id, t.person_id AS person_id, t.start_date AS start_date, t.end_date AS end_date, t.visit_id AS visit_id, t.op_start AS op_start, t.op_end AS op_end, t.start_seconds AS start_seconds
  FROM s2_rules1 t
  WHERE (t.passed = ?);
-- parameters: 4

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

-- attrition: age at entry between 18 and 85
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s2_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- attrition: diagnosed before the second half of the period
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s2_rules1 t
WHERE (t.passed >= ?);
-- parameters: 2

-- attrition: seen in an office visit in the period
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s2_rules1 t
WHERE (t.passed >= ?);
-- parameters: 3

-- attrition: died by the end of the period
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s2_rules1 t
WHERE (t.passed >= ?);
-- parameters: 4

-- ===== cohort UncontrolledBP "Most recent office BP in the period 140/90 or higher" — definition 3

-- value set OfficeVisit
CREATE TEMP TABLE s3_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set OfficeVisit
CREATE TEMP TABLE s3_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set OfficeVisit
INSERT OR IGNORE INTO s3_vs1_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '185349003', 'snomed', '390906007', 'snomed'

-- value set OfficeVisit
INSERT OR IGNORE INTO s3_vs1_concepts (concept_id) VALUES (?);
-- parameters: 9202

-- value set SystolicBP
CREATE TEMP TABLE s3_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set SystolicBP
CREATE TEMP TABLE s3_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set SystolicBP
INSERT OR IGNORE INTO s3_vs2_codes (code, system) VALUES (?, ?);
-- parameters: '8480-6', 'loinc'

-- lowest on last day measurement per person
CREATE TEMP TABLE s3_sel1 AS 
SELECT k.person_id AS person_id, MIN(k.value) AS value, MAX(k.day) AS day
  FROM (
    SELECT r.person_id AS person_id, r.value AS value, r.day AS day, MAX(r.day) OVER (PARTITION BY r.person_id) AS last_day
    FROM (
      SELECT v.person_id AS person_id, v.value AS value, v.day AS day, v.event_id AS event_id
      FROM (
        SELECT x1.person_id AS person_id, CASE WHEN x1.unit_source_value IS NULL THEN x1.value_as_number WHEN lower(x1.unit_source_value) IN (?, ?, ?) THEN x1.value_as_number WHEN lower(x1.unit_source_value) IN (?) THEN (x1.value_as_number * ?) WHEN (replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') = ?) THEN x1.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN x1.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x1.value_as_number * ?) END AS value, x1.measurement_date AS day, x1.measurement_id AS event_id
        FROM measurement x1
        WHERE ((((x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s3_vs2_codes) AND (x1.measurement_date >= ?)) AND (x1.measurement_date <= ?)) AND x1.visit_occurrence_id IN (SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE (x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s3_vs1_codes)
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs1_codes)))
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_concept_id IN (SELECT concept_id
    FROM s3_vs1_concepts)))
        UNION ALL
        SELECT x1.person_id AS person_id, CASE WHEN x1.unit_source_value IS NULL THEN x1.value_as_number WHEN lower(x1.unit_source_value) IN (?, ?, ?) THEN x1.value_as_number WHEN lower(x1.unit_source_value) IN (?) THEN (x1.value_as_number * ?) WHEN (replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') = ?) THEN x1.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN x1.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x1.value_as_number * ?) END AS value, x1.measurement_date AS day, x1.measurement_id AS event_id
        FROM measurement x1
        WHERE (((x1.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs2_codes))) AND (x1.measurement_date >= ?)) AND (x1.measurement_date <= ?)) AND x1.visit_occurrence_id IN (SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE (x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s3_vs1_codes)
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs1_codes)))
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_concept_id IN (SELECT concept_id
    FROM s3_vs1_concepts)))) v
      WHERE v.value IS NOT NULL) r) k
  WHERE (k.day = k.last_day)
  GROUP BY k.person_id;
-- parameters: 'mm hg', 'mm[hg]', 'mmhg', 'kpa', 7.50062, '', 'mmhg', 'kpa', 7.50062, 20089, 20453, 'visit_occurrence', 'mm hg', 'mm[hg]', 'mmhg', 'kpa', 7.50062, '', 'mmhg', 'kpa', 7.50062, 'measurement', 20089, 20453, 'visit_occurrence'

-- index
CREATE INDEX s3_sel1_person ON s3_sel1 (person_id);

-- value set DiastolicBP
CREATE TEMP TABLE s3_vs3_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set DiastolicBP
CREATE TEMP TABLE s3_vs3_concepts (concept_id INTEGER PRIMARY KEY);

-- value set DiastolicBP
INSERT OR IGNORE INTO s3_vs3_codes (code, system) VALUES (?, ?);
-- parameters: '8462-4', 'loinc'

-- lowest on last day measurement per person
CREATE TEMP TABLE s3_sel2 AS 
SELECT k.person_id AS person_id, MIN(k.value) AS value, MAX(k.day) AS day
  FROM (
    SELECT r.person_id AS person_id, r.value AS value, r.day AS day, MAX(r.day) OVER (PARTITION BY r.person_id) AS last_day
    FROM (
      SELECT v.person_id AS person_id, v.value AS value, v.day AS day, v.event_id AS event_id
      FROM (
        SELECT x3.person_id AS person_id, CASE WHEN x3.unit_source_value IS NULL THEN x3.value_as_number WHEN lower(x3.unit_source_value) IN (?, ?, ?) THEN x3.value_as_number WHEN lower(x3.unit_source_value) IN (?) THEN (x3.value_as_number * ?) WHEN (replace(replace(replace(replace(replace(replace(lower(x3.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') = ?) THEN x3.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x3.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN x3.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x3.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x3.value_as_number * ?) END AS value, x3.measurement_date AS day, x3.measurement_id AS event_id
        FROM measurement x3
        WHERE ((((x3.source_code, x3.source_system) IN (SELECT code, system
    FROM s3_vs3_codes) AND (x3.measurement_date >= ?)) AND (x3.measurement_date <= ?)) AND x3.visit_occurrence_id IN (SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE (x4.source_code, x4.source_system) IN (SELECT code, system
    FROM s3_vs1_codes)
    UNION ALL
    SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE x4.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs1_codes)))
    UNION ALL
    SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE x4.visit_concept_id IN (SELECT concept_id
    FROM s3_vs1_concepts)))
        UNION ALL
        SELECT x3.person_id AS person_id, CASE WHEN x3.unit_source_value IS NULL THEN x3.value_as_number WHEN lower(x3.unit_source_value) IN (?, ?, ?) THEN x3.value_as_number WHEN lower(x3.unit_source_value) IN (?) THEN (x3.value_as_number * ?) WHEN (replace(replace(replace(replace(replace(replace(lower(x3.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') = ?) THEN x3.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x3.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN x3.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x3.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x3.value_as_number * ?) END AS value, x3.measurement_date AS day, x3.measurement_id AS event_id
        FROM measurement x3
        WHERE (((x3.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs3_codes))) AND (x3.measurement_date >= ?)) AND (x3.measurement_date <= ?)) AND x3.visit_occurrence_id IN (SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE (x4.source_code, x4.source_system) IN (SELECT code, system
    FROM s3_vs1_codes)
    UNION ALL
    SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE x4.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s3_vs1_codes)))
    UNION ALL
    SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE x4.visit_concept_id IN (SELECT concept_id
    FROM s3_vs1_concepts)))) v
      WHERE v.value IS NOT NULL) r) k
  WHERE (k.day = k.last_day)
  GROUP BY k.person_id;
-- parameters: 'mm hg', 'mm[hg]', 'mmhg', 'kpa', 7.50062, '', 'mmhg', 'kpa', 7.50062, 20089, 20453, 'visit_occurrence', 'mm hg', 'mm[hg]', 'mmhg', 'kpa', 7.50062, '', 'mmhg', 'kpa', 7.50062, 'measurement', 20089, 20453, 'visit_occurrence'

-- index
CREATE INDEX s3_sel2_person ON s3_sel2 (person_id);

-- entry events
CREATE TEMP TABLE s3_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY s.person_id) AS event_id, s.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, ? AS start_seconds
  FROM (
    SELECT DISTINCT c.subject_id AS person_id
    FROM cohort c
    WHERE ((c.cohort_definition_id = ?) AND (c.cohort_start_date <= ?))) s;
-- parameters: 20453, 20453, NULL, NULL, NULL, 1767139200, 2, 20453

-- rules: systolic >= 140 or diastolic >= 90
CREATE TEMP TABLE s3_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce((coalesce(((SELECT s.value
    FROM s3_sel1 s
    WHERE (s.person_id = e.person_id)
    LIMIT ?) >= ?), 0) OR coalesce(((SELECT s.value
    FROM s3_sel2 s
    WHERE (s.person_id = e.person_id)
    LIMIT ?) >= ?), 0)), 0) THEN ? ELSE ? END AS passed
  FROM s3_entry e;
-- parameters: 1, 140.0, 1, 90.0, 0, 1

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

-- attrition: systolic >= 140 or diastolic >= 90
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s3_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- ===== cohort NoBPReading "No office BP reading in the period" — definition 4

-- value set OfficeVisit
CREATE TEMP TABLE s4_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set OfficeVisit
CREATE TEMP TABLE s4_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set OfficeVisit
INSERT OR IGNORE INTO s4_vs1_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '185349003', 'snomed', '390906007', 'snomed'

-- value set OfficeVisit
INSERT OR IGNORE INTO s4_vs1_concepts (concept_id) VALUES (?);
-- parameters: 9202

-- value set SystolicBP
CREATE TEMP TABLE s4_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set SystolicBP
CREATE TEMP TABLE s4_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set SystolicBP
INSERT OR IGNORE INTO s4_vs2_codes (code, system) VALUES (?, ?);
-- parameters: '8480-6', 'loinc'

-- entry events
CREATE TEMP TABLE s4_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY s.person_id) AS event_id, s.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, ? AS start_seconds
  FROM (
    SELECT DISTINCT c.subject_id AS person_id
    FROM cohort c
    WHERE ((c.cohort_definition_id = ?) AND (c.cohort_start_date <= ?))) s;
-- parameters: 20453, 20453, NULL, NULL, NULL, 1767139200, 2, 20453

-- rules: no measurement in SystolicBP during period at visit in OfficeVisit
CREATE TEMP TABLE s4_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce(e.person_id NOT IN (SELECT r.person_id
    FROM (
      SELECT x1.person_id AS person_id, x1.measurement_id AS event_id
      FROM measurement x1
      WHERE ((((x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s4_vs2_codes) AND (x1.measurement_date >= ?)) AND (x1.measurement_date <= ?)) AND x1.visit_occurrence_id IN (SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE (x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s4_vs1_codes)
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s4_vs1_codes)))
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_concept_id IN (SELECT concept_id
    FROM s4_vs1_concepts)))
      UNION ALL
      SELECT x1.person_id AS person_id, x1.measurement_id AS event_id
      FROM measurement x1
      WHERE (((x1.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s4_vs2_codes))) AND (x1.measurement_date >= ?)) AND (x1.measurement_date <= ?)) AND x1.visit_occurrence_id IN (SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE (x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s4_vs1_codes)
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s4_vs1_codes)))
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_concept_id IN (SELECT concept_id
    FROM s4_vs1_concepts)))) r), 0) THEN ? ELSE ? END AS passed
  FROM s4_entry e;
-- parameters: 20089, 20453, 'visit_occurrence', 'measurement', 20089, 20453, 'visit_occurrence', 0, 1

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

-- attrition: no measurement in SystolicBP during period at visit in OfficeVisit
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s4_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- ===== count HTNDenominator by sex, age band 10

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

-- ===== count UncontrolledBP by sex, age band 10

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

-- ===== count NoBPReading by sex, age band 10

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

-- ===== list UncontrolledBP with age, sex, lowest on last day measurement in SystolicBP during period at visit in OfficeVisit as systolic, lowest on last day measurement in DiastolicBP during period at visit in OfficeVisit as diastolic limit 10

-- value set OfficeVisit
CREATE TEMP TABLE s8_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set OfficeVisit
CREATE TEMP TABLE s8_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set OfficeVisit
INSERT OR IGNORE INTO s8_vs1_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '185349003', 'snomed', '390906007', 'snomed'

-- value set OfficeVisit
INSERT OR IGNORE INTO s8_vs1_concepts (concept_id) VALUES (?);
-- parameters: 9202

-- value set SystolicBP
CREATE TEMP TABLE s8_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set SystolicBP
CREATE TEMP TABLE s8_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set SystolicBP
INSERT OR IGNORE INTO s8_vs2_codes (code, system) VALUES (?, ?);
-- parameters: '8480-6', 'loinc'

-- lowest on last day measurement per person
CREATE TEMP TABLE s8_sel1 AS 
SELECT k.person_id AS person_id, MIN(k.value) AS value, MAX(k.day) AS day
  FROM (
    SELECT r.person_id AS person_id, r.value AS value, r.day AS day, MAX(r.day) OVER (PARTITION BY r.person_id) AS last_day
    FROM (
      SELECT x1.person_id AS person_id, x1.value_as_number AS value, x1.measurement_date AS day, x1.measurement_id AS event_id
      FROM measurement x1
      WHERE ((((x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s8_vs2_codes) AND (x1.measurement_date >= ?)) AND (x1.measurement_date <= ?)) AND x1.visit_occurrence_id IN (SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE (x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s8_vs1_codes)
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s8_vs1_codes)))
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_concept_id IN (SELECT concept_id
    FROM s8_vs1_concepts)))
      UNION ALL
      SELECT x1.person_id AS person_id, x1.value_as_number AS value, x1.measurement_date AS day, x1.measurement_id AS event_id
      FROM measurement x1
      WHERE (((x1.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s8_vs2_codes))) AND (x1.measurement_date >= ?)) AND (x1.measurement_date <= ?)) AND x1.visit_occurrence_id IN (SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE (x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s8_vs1_codes)
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s8_vs1_codes)))
    UNION ALL
    SELECT x2.visit_occurrence_id AS visit_id
    FROM visit_occurrence x2
    WHERE x2.visit_concept_id IN (SELECT concept_id
    FROM s8_vs1_concepts)))) r) k
  WHERE (k.day = k.last_day)
  GROUP BY k.person_id;
-- parameters: 20089, 20453, 'visit_occurrence', 'measurement', 20089, 20453, 'visit_occurrence'

-- index
CREATE INDEX s8_sel1_person ON s8_sel1 (person_id);

-- value set DiastolicBP
CREATE TEMP TABLE s8_vs3_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set DiastolicBP
CREATE TEMP TABLE s8_vs3_concepts (concept_id INTEGER PRIMARY KEY);

-- value set DiastolicBP
INSERT OR IGNORE INTO s8_vs3_codes (code, system) VALUES (?, ?);
-- parameters: '8462-4', 'loinc'

-- lowest on last day measurement per person
CREATE TEMP TABLE s8_sel2 AS 
SELECT k.person_id AS person_id, MIN(k.value) AS value, MAX(k.day) AS day
  FROM (
    SELECT r.person_id AS person_id, r.value AS value, r.day AS day, MAX(r.day) OVER (PARTITION BY r.person_id) AS last_day
    FROM (
      SELECT x3.person_id AS person_id, x3.value_as_number AS value, x3.measurement_date AS day, x3.measurement_id AS event_id
      FROM measurement x3
      WHERE ((((x3.source_code, x3.source_system) IN (SELECT code, system
    FROM s8_vs3_codes) AND (x3.measurement_date >= ?)) AND (x3.measurement_date <= ?)) AND x3.visit_occurrence_id IN (SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE (x4.source_code, x4.source_system) IN (SELECT code, system
    FROM s8_vs1_codes)
    UNION ALL
    SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE x4.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s8_vs1_codes)))
    UNION ALL
    SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE x4.visit_concept_id IN (SELECT concept_id
    FROM s8_vs1_concepts)))
      UNION ALL
      SELECT x3.person_id AS person_id, x3.value_as_number AS value, x3.measurement_date AS day, x3.measurement_id AS event_id
      FROM measurement x3
      WHERE (((x3.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s8_vs3_codes))) AND (x3.measurement_date >= ?)) AND (x3.measurement_date <= ?)) AND x3.visit_occurrence_id IN (SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE (x4.source_code, x4.source_system) IN (SELECT code, system
    FROM s8_vs1_codes)
    UNION ALL
    SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE x4.visit_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s8_vs1_codes)))
    UNION ALL
    SELECT x4.visit_occurrence_id AS visit_id
    FROM visit_occurrence x4
    WHERE x4.visit_concept_id IN (SELECT concept_id
    FROM s8_vs1_concepts)))) r) k
  WHERE (k.day = k.last_day)
  GROUP BY k.person_id;
-- parameters: 20089, 20453, 'visit_occurrence', 'measurement', 20089, 20453, 'visit_occurrence'

-- index
CREATE INDEX s8_sel2_person ON s8_sel2 (person_id);

-- result columns: person, age, sex, systolic, systolic date, diastolic, diastolic date
SELECT e.person_id AS c1, (CASE WHEN p.birth_date IS NOT NULL THEN CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - CAST(strftime('%Y', (p.birth_date) * 86400, 'unixepoch') AS INTEGER) - (strftime('%m%d', (e.start_date) * 86400, 'unixepoch') < strftime('%m%d', (p.birth_date) * 86400, 'unixepoch')) ELSE CAST(strftime('%Y', (e.start_date) * 86400, 'unixepoch') AS INTEGER) - p.year_of_birth END) AS c2, CASE WHEN (p.gender_concept_id = ?) THEN ? WHEN (p.gender_concept_id = ?) THEN ? ELSE ? END AS c3, (SELECT s.value
    FROM s8_sel1 s
    WHERE (s.person_id = e.person_id)
    LIMIT ?) AS c4, (SELECT s.day
    FROM s8_sel1 s
    WHERE (s.person_id = e.person_id)
    LIMIT ?) AS c5, (SELECT s.value
    FROM s8_sel2 s
    WHERE (s.person_id = e.person_id)
    LIMIT ?) AS c6, (SELECT s.day
    FROM s8_sel2 s
    WHERE (s.person_id = e.person_id)
    LIMIT ?) AS c7
FROM (
  SELECT pr.person_id AS person_id, pr.start_date AS start_date, pr.end_date AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, (pr.start_date * ?) AS start_seconds
  FROM (
    SELECT c.subject_id AS person_id, c.cohort_start_date AS start_date, c.cohort_end_date AS end_date
    FROM cohort c
    WHERE (c.cohort_definition_id = ?)) pr) e
LEFT JOIN person p ON (p.person_id = e.person_id)
ORDER BY e.person_id, e.start_date
LIMIT ?;
-- parameters: 8532, 'female', 8507, 'male', 'unknown', 1, 1, 1, 1, NULL, NULL, NULL, 86400, 3, 10
