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

-- let HasASCVD (a criterion)

-- let HighLDL (a criterion)

-- let HasDiabetes (a criterion)

-- ===== cohort StatinEligible "Adults 40–75 in a statin benefit group, seen in the period" — definition 1

-- value set ASCVD
CREATE TEMP TABLE s1_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set ASCVD
CREATE TEMP TABLE s1_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set ASCVD
INSERT OR IGNORE INTO s1_vs1_codes (code, system) VALUES (?, ?), (?, ?), (?, ?);
-- parameters: '22298006', 'snomed', '230690007', 'snomed', '53741008', 'snomed'

-- value set ASCVD: icd10cm:I21.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'I21.', 'I21.\u{10FFFF}', 'icd10cm'

-- value set ASCVD: icd10cm:I21.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'I21.', 'I21.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set ASCVD: icd10cm:I22.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'I22.', 'I22.\u{10FFFF}', 'icd10cm'

-- value set ASCVD: icd10cm:I22.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'I22.', 'I22.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set ASCVD: icd10cm:I25.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'I25.', 'I25.\u{10FFFF}', 'icd10cm'

-- value set ASCVD: icd10cm:I25.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'I25.', 'I25.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set ASCVD: icd10cm:I63.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'I63.', 'I63.\u{10FFFF}', 'icd10cm'

-- value set ASCVD: icd10cm:I63.*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'I63.', 'I63.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set ASCVD: icd10cm:I70.2*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'I70.2', 'I70.2\u{10FFFF}', 'icd10cm'

-- value set ASCVD: icd10cm:I70.2*
INSERT OR IGNORE INTO s1_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'I70.2', 'I70.2\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set LDL
CREATE TEMP TABLE s1_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set LDL
CREATE TEMP TABLE s1_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set LDL
INSERT OR IGNORE INTO s1_vs2_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '13457-7', 'loinc', '18262-6', 'loinc'

-- value set Diabetes
CREATE TEMP TABLE s1_vs3_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set Diabetes
CREATE TEMP TABLE s1_vs3_concepts (concept_id INTEGER PRIMARY KEY);

-- value set Diabetes
INSERT OR IGNORE INTO s1_vs3_codes (code, system) VALUES (?, ?);
-- parameters: '44054006', 'snomed'

-- value set Diabetes: icd10cm:E11.*
INSERT OR IGNORE INTO s1_vs3_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'E11.', 'E11.\u{10FFFF}', 'icd10cm'

-- value set Diabetes: icd10cm:E11.*
INSERT OR IGNORE INTO s1_vs3_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'E11.', 'E11.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- entry events
CREATE TEMP TABLE s1_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY s.person_id) AS event_id, s.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, ? AS start_seconds
  FROM (
    SELECT p.person_id AS person_id
    FROM person p) s;
-- parameters: 20453, 20453, NULL, NULL, NULL, 1767139200

-- rules: age at entry between 40 and 75; seen in the period; died by the end of the period; ASCVD, LDL >= 190 mg/dL or diabetes
CREATE TEMP TABLE s1_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce(e.person_id IN (SELECT p1.person_id
    FROM person p1
    WHERE CASE WHEN p1.birth_date IS NOT NULL THEN ((p1.birth_date <= ?) AND (p1.birth_date > ?)) ELSE ((p1.year_of_birth <= ?) AND (p1.year_of_birth >= ?)) END), 0) THEN ? WHEN NOT coalesce(e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x2.person_id AS person_id, x2.visit_occurrence_id AS event_id
      FROM visit_occurrence x2
      WHERE ((x2.visit_start_date >= ?) AND (x2.visit_start_date <= ?))) r), 0) THEN ? WHEN NOT coalesce(NOT e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x3.person_id AS person_id, x3.person_id AS event_id
      FROM death x3
      WHERE (x3.death_date <= ?)) r), 0) THEN ? WHEN NOT coalesce(((EXISTS (SELECT ?
    FROM condition_occurrence x4
    WHERE (((x4.person_id = e.person_id) AND ((x4.source_code, x4.source_system) IN (SELECT code, system
    FROM s1_vs1_codes) OR x4.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s1_vs1_codes))))) AND (x4.condition_start_date <= e.start_date))) OR EXISTS (SELECT ?
    FROM measurement x5
    WHERE ((((x5.person_id = e.person_id) AND ((x5.source_code, x5.source_system) IN (SELECT code, system
    FROM s1_vs2_codes) OR x5.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s1_vs2_codes))))) AND (x5.measurement_date <= e.start_date)) AND (CASE WHEN x5.unit_source_value IS NULL THEN x5.value_as_number WHEN lower(x5.unit_source_value) IN (?) THEN (x5.value_as_number * ?) WHEN lower(x5.unit_source_value) IN (?) THEN x5.value_as_number WHEN lower(x5.unit_source_value) IN (?) THEN (x5.value_as_number * ?) WHEN lower(x5.unit_source_value) IN (?) THEN (x5.value_as_number * ?) WHEN (replace(replace(replace(replace(replace(replace(lower(x5.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') = ?) THEN x5.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x5.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x5.value_as_number * ?) WHEN replace(replace(replace(replace(replace(replace(lower(x5.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN x5.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x5.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x5.value_as_number * ?) WHEN replace(replace(replace(replace(replace(replace(lower(x5.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x5.value_as_number * ?) END >= ?)))) OR EXISTS (SELECT ?
    FROM condition_occurrence x6
    WHERE (((x6.person_id = e.person_id) AND ((x6.source_code, x6.source_system) IN (SELECT code, system
    FROM s1_vs3_codes) OR x6.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s1_vs3_codes))))) AND (x6.condition_start_date <= e.start_date)))), 0) THEN ? ELSE ? END AS passed
  FROM s1_entry e;
-- parameters: 5843, -7306, 1985, 1950, 0, 20089, 20453, 1, 20453, 2, 1, 'condition_occurrence', 1, 'measurement', 'mg/l', 0.1, 'mg/dl', 'g/l', 100.0, 'g/dl', 1000.0, '', 'mg/l', 0.1, 'mg/dl', 'g/l', 100.0, 'g/dl', 1000.0, 190.0, 1, 'condition_occurrence', 3, 4

-- events passing every rule
CREATE TEMP TABLE s1_kept1 AS 
SELECT t.event_id AS event_id, t.person_id AS person_id, t.start_date AS start_date, t.end_date AS end_date, t.visit_id AS visit_id, t.op_start AS op_start, t.op_end AS op_end, t.start_seconds AS start_seconds
  FROM s1_rules1 t
  WHERE (t.passed = ?);
-- parameters: 4

-- exit dates
CREATE TEMP TABLE s1_exit AS 
SELECT e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date
  FROM s1_kept1 e;

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

-- attrition: age at entry between 40 and 75
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s1_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- attrition: seen in the period
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s1_rules1 t
WHERE (t.passed >= ?);
-- parameters: 2

-- attrition: died by the end of the period
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s1_rules1 t
WHERE (t.passed >= ?);
-- parameters: 3

-- attrition: ASCVD, LDL >= 190 mg/dL or diabetes
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s1_rules1 t
WHERE (t.passed >= ?);
-- parameters: 4

-- ===== cohort StatinGap "Statin-eligible adults without a statin in the period" — definition 2

-- value set Statins
CREATE TEMP TABLE s2_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set Statins
CREATE TEMP TABLE s2_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set Statins
INSERT OR IGNORE INTO s2_vs1_codes (code, system) VALUES (?, ?), (?, ?), (?, ?);
-- parameters: '259255', 'rxnorm', '312961', 'rxnorm', '617312', 'rxnorm'

-- entry events
CREATE TEMP TABLE s2_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY s.person_id) AS event_id, s.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, ? AS start_seconds
  FROM (
    SELECT DISTINCT c.subject_id AS person_id
    FROM cohort c
    WHERE ((c.cohort_definition_id = ?) AND (c.cohort_start_date <= ?))) s;
-- parameters: 20453, 20453, NULL, NULL, NULL, 1767139200, 1, 20453

-- rules: statin in the period
CREATE TEMP TABLE s2_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce(NOT e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x1.person_id AS person_id, x1.drug_exposure_id AS event_id
      FROM drug_exposure x1
      WHERE (((x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s2_vs1_codes) AND (x1.drug_exposure_start_date >= ?)) AND (x1.drug_exposure_start_date <= ?))
      UNION ALL
      SELECT x1.person_id AS person_id, x1.drug_exposure_id AS event_id
      FROM drug_exposure x1
      WHERE ((x1.drug_exposure_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s2_vs1_codes))) AND (x1.drug_exposure_start_date >= ?)) AND (x1.drug_exposure_start_date <= ?))) r), 0) THEN ? ELSE ? END AS passed
  FROM s2_entry e;
-- parameters: 20089, 20453, 'drug_exposure', 20089, 20453, 0, 1

-- events passing every rule
CREATE TEMP TABLE s2_kept1 AS 
SELECT t.event_id AS event_id, t.person_id AS person_id, t.start_date AS start_date, t.end_date AS end_date, t.visit_id AS visit_id, t.op_start AS op_start, t.op_end AS op_end, t.start_seconds AS start_seconds
  FROM s2_rules1 t
  WHERE (t.passed = ?);
-- parameters: 1

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

-- attrition: statin in the period
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s2_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- ===== count StatinEligible by sex, age band 10

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

-- ===== count StatinEligible by HasASCVD as "ASCVD", HighLDL as "LDL >= 190", HasDiabetes as "diabetes"

-- value set ASCVD
CREATE TEMP TABLE s4_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set ASCVD
CREATE TEMP TABLE s4_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set ASCVD
INSERT OR IGNORE INTO s4_vs1_codes (code, system) VALUES (?, ?), (?, ?), (?, ?);
-- parameters: '22298006', 'snomed', '230690007', 'snomed', '53741008', 'snomed'

-- value set ASCVD: icd10cm:I21.*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'I21.', 'I21.\u{10FFFF}', 'icd10cm'

-- value set ASCVD: icd10cm:I21.*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'I21.', 'I21.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set ASCVD: icd10cm:I22.*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'I22.', 'I22.\u{10FFFF}', 'icd10cm'

-- value set ASCVD: icd10cm:I22.*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'I22.', 'I22.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set ASCVD: icd10cm:I25.*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'I25.', 'I25.\u{10FFFF}', 'icd10cm'

-- value set ASCVD: icd10cm:I25.*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'I25.', 'I25.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set ASCVD: icd10cm:I63.*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'I63.', 'I63.\u{10FFFF}', 'icd10cm'

-- value set ASCVD: icd10cm:I63.*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'I63.', 'I63.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set ASCVD: icd10cm:I70.2*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'I70.2', 'I70.2\u{10FFFF}', 'icd10cm'

-- value set ASCVD: icd10cm:I70.2*
INSERT OR IGNORE INTO s4_vs1_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'I70.2', 'I70.2\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- value set LDL
CREATE TEMP TABLE s4_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set LDL
CREATE TEMP TABLE s4_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set LDL
INSERT OR IGNORE INTO s4_vs2_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '13457-7', 'loinc', '18262-6', 'loinc'

-- value set Diabetes
CREATE TEMP TABLE s4_vs3_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set Diabetes
CREATE TEMP TABLE s4_vs3_concepts (concept_id INTEGER PRIMARY KEY);

-- value set Diabetes
INSERT OR IGNORE INTO s4_vs3_codes (code, system) VALUES (?, ?);
-- parameters: '44054006', 'snomed'

-- value set Diabetes: icd10cm:E11.*
INSERT OR IGNORE INTO s4_vs3_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'E11.', 'E11.\u{10FFFF}', 'icd10cm'

-- value set Diabetes: icd10cm:E11.*
INSERT OR IGNORE INTO s4_vs3_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'E11.', 'E11.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- result columns: ASCVD, LDL >= 190, diabetes, persons, eras
SELECT r.d1 AS d1, r.d2 AS d2, r.d3 AS d3, COUNT(DISTINCT r.person_id) AS persons, COUNT(*) AS eras
FROM (
  SELECT e.person_id AS person_id, CASE WHEN EXISTS (SELECT ?
    FROM condition_occurrence x1
    WHERE (((x1.person_id = e.person_id) AND ((x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s4_vs1_codes) OR x1.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s4_vs1_codes))))) AND (x1.condition_start_date <= e.start_date))) THEN ? ELSE ? END AS d1, CASE WHEN EXISTS (SELECT ?
    FROM measurement x2
    WHERE ((((x2.person_id = e.person_id) AND ((x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s4_vs2_codes) OR x2.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s4_vs2_codes))))) AND (x2.measurement_date <= e.start_date)) AND (CASE WHEN x2.unit_source_value IS NULL THEN x2.value_as_number WHEN lower(x2.unit_source_value) IN (?) THEN (x2.value_as_number * ?) WHEN lower(x2.unit_source_value) IN (?) THEN x2.value_as_number WHEN lower(x2.unit_source_value) IN (?) THEN (x2.value_as_number * ?) WHEN lower(x2.unit_source_value) IN (?) THEN (x2.value_as_number * ?) WHEN (replace(replace(replace(replace(replace(replace(lower(x2.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') = ?) THEN x2.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x2.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x2.value_as_number * ?) WHEN replace(replace(replace(replace(replace(replace(lower(x2.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN x2.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x2.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x2.value_as_number * ?) WHEN replace(replace(replace(replace(replace(replace(lower(x2.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x2.value_as_number * ?) END >= ?))) THEN ? ELSE ? END AS d2, CASE WHEN EXISTS (SELECT ?
    FROM condition_occurrence x3
    WHERE (((x3.person_id = e.person_id) AND ((x3.source_code, x3.source_system) IN (SELECT code, system
    FROM s4_vs3_codes) OR x3.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s4_vs3_codes))))) AND (x3.condition_start_date <= e.start_date))) THEN ? ELSE ? END AS d3
  FROM (
    SELECT pr.person_id AS person_id, pr.start_date AS start_date, pr.end_date AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, (pr.start_date * ?) AS start_seconds
    FROM (
      SELECT c.subject_id AS person_id, c.cohort_start_date AS start_date, c.cohort_end_date AS end_date
      FROM cohort c
      WHERE (c.cohort_definition_id = ?)) pr) e
  LEFT JOIN person p ON (p.person_id = e.person_id)) r
GROUP BY r.d1, r.d2, r.d3
ORDER BY r.d1, r.d2, r.d3;
-- parameters: 1, 'condition_occurrence', 'yes', 'no', 1, 'measurement', 'mg/l', 0.1, 'mg/dl', 'g/l', 100.0, 'g/dl', 1000.0, '', 'mg/l', 0.1, 'mg/dl', 'g/l', 100.0, 'g/dl', 1000.0, 190.0, 'yes', 'no', 1, 'condition_occurrence', 'yes', 'no', NULL, NULL, NULL, 86400, 1

-- ===== count StatinGap by sex, age band 10

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

-- ===== count StatinGap by HighLDL as "LDL >= 190", HasDiabetes as "diabetes"

-- value set LDL
CREATE TEMP TABLE s6_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set LDL
CREATE TEMP TABLE s6_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set LDL
INSERT OR IGNORE INTO s6_vs1_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '13457-7', 'loinc', '18262-6', 'loinc'

-- value set Diabetes
CREATE TEMP TABLE s6_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set Diabetes
CREATE TEMP TABLE s6_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set Diabetes
INSERT OR IGNORE INTO s6_vs2_codes (code, system) VALUES (?, ?);
-- parameters: '44054006', 'snomed'

-- value set Diabetes: icd10cm:E11.*
INSERT OR IGNORE INTO s6_vs2_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM condition_occurrence t
WHERE (((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?));
-- parameters: 'E11.', 'E11.\u{10FFFF}', 'icd10cm'

-- value set Diabetes: icd10cm:E11.*
INSERT OR IGNORE INTO s6_vs2_codes (code, system)
SELECT DISTINCT t.source_code, t.source_system
FROM event_code t
WHERE ((((t.source_code >= ?) AND (t.source_code < ?)) AND (t.source_system = ?)) AND (t.event_table = ?));
-- parameters: 'E11.', 'E11.\u{10FFFF}', 'icd10cm', 'condition_occurrence'

-- result columns: LDL >= 190, diabetes, persons, eras
SELECT r.d1 AS d1, r.d2 AS d2, COUNT(DISTINCT r.person_id) AS persons, COUNT(*) AS eras
FROM (
  SELECT e.person_id AS person_id, CASE WHEN EXISTS (SELECT ?
    FROM measurement x1
    WHERE ((((x1.person_id = e.person_id) AND ((x1.source_code, x1.source_system) IN (SELECT code, system
    FROM s6_vs1_codes) OR x1.measurement_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s6_vs1_codes))))) AND (x1.measurement_date <= e.start_date)) AND (CASE WHEN x1.unit_source_value IS NULL THEN x1.value_as_number WHEN lower(x1.unit_source_value) IN (?) THEN (x1.value_as_number * ?) WHEN lower(x1.unit_source_value) IN (?) THEN x1.value_as_number WHEN lower(x1.unit_source_value) IN (?) THEN (x1.value_as_number * ?) WHEN lower(x1.unit_source_value) IN (?) THEN (x1.value_as_number * ?) WHEN (replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') = ?) THEN x1.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x1.value_as_number * ?) WHEN replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN x1.value_as_number WHEN replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x1.value_as_number * ?) WHEN replace(replace(replace(replace(replace(replace(lower(x1.unit_source_value), '[', ''), ']', ''), '{', ''), '}', ''), '_', ''), ' ', '') IN (?) THEN (x1.value_as_number * ?) END >= ?))) THEN ? ELSE ? END AS d1, CASE WHEN EXISTS (SELECT ?
    FROM condition_occurrence x2
    WHERE (((x2.person_id = e.person_id) AND ((x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s6_vs2_codes) OR x2.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s6_vs2_codes))))) AND (x2.condition_start_date <= e.start_date))) THEN ? ELSE ? END AS d2
  FROM (
    SELECT pr.person_id AS person_id, pr.start_date AS start_date, pr.end_date AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, (pr.start_date * ?) AS start_seconds
    FROM (
      SELECT c.subject_id AS person_id, c.cohort_start_date AS start_date, c.cohort_end_date AS end_date
      FROM cohort c
      WHERE (c.cohort_definition_id = ?)) pr) e
  LEFT JOIN person p ON (p.person_id = e.person_id)) r
GROUP BY r.d1, r.d2
ORDER BY r.d1, r.d2;
-- parameters: 1, 'measurement', 'mg/l', 0.1, 'mg/dl', 'g/l', 100.0, 'g/dl', 1000.0, '', 'mg/l', 0.1, 'mg/dl', 'g/l', 100.0, 'g/dl', 1000.0, 190.0, 'yes', 'no', 1, 'condition_occurrence', 'yes', 'no', NULL, NULL, NULL, 86400, 2
