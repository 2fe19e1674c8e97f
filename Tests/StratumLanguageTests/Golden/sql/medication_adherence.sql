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

-- ===== cohort AdherenceEligible "Adults 18 or over, not in hospice and without ESRD in the period" — definition 1

-- value set Hospice
CREATE TEMP TABLE s1_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set Hospice
CREATE TEMP TABLE s1_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set Hospice
INSERT OR IGNORE INTO s1_vs1_codes (code, system) VALUES (?, ?), (?, ?);
-- parameters: '170935008', 'snomed', '385763009', 'snomed'

-- value set ESRD
CREATE TEMP TABLE s1_vs2_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set ESRD
CREATE TEMP TABLE s1_vs2_concepts (concept_id INTEGER PRIMARY KEY);

-- value set ESRD
INSERT OR IGNORE INTO s1_vs2_codes (code, system) VALUES (?, ?), (?, ?), (?, ?);
-- parameters: 'N18.6', 'icd10cm', 'Z99.2', 'icd10cm', '46177005', 'snomed'

-- entry events
CREATE TEMP TABLE s1_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY s.person_id) AS event_id, s.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, ? AS start_seconds
  FROM (
    SELECT p.person_id AS person_id
    FROM person p) s;
-- parameters: 20453, 20453, NULL, NULL, NULL, 1767139200

-- rules: age at entry >= 18; hospice; ESRD or dialysis
CREATE TEMP TABLE s1_rules1 AS 
SELECT e.event_id AS event_id, e.person_id AS person_id, e.start_date AS start_date, e.end_date AS end_date, e.visit_id AS visit_id, e.op_start AS op_start, e.op_end AS op_end, e.start_seconds AS start_seconds, CASE WHEN NOT coalesce(e.person_id IN (SELECT p1.person_id
    FROM person p1
    WHERE CASE WHEN p1.birth_date IS NOT NULL THEN (p1.birth_date <= ?) ELSE (p1.year_of_birth <= ?) END), 0) THEN ? WHEN NOT coalesce(NOT (e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x2.person_id AS person_id, x2.condition_occurrence_id AS event_id
      FROM condition_occurrence x2
      WHERE (((x2.source_code, x2.source_system) IN (SELECT code, system
    FROM s1_vs1_codes) AND (x2.condition_start_date >= ?)) AND (x2.condition_start_date <= ?))
      UNION ALL
      SELECT x2.person_id AS person_id, x2.condition_occurrence_id AS event_id
      FROM condition_occurrence x2
      WHERE ((x2.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s1_vs1_codes))) AND (x2.condition_start_date >= ?)) AND (x2.condition_start_date <= ?))) r) OR e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x3.person_id AS person_id, x3.procedure_occurrence_id AS event_id
      FROM procedure_occurrence x3
      WHERE (((x3.source_code, x3.source_system) IN (SELECT code, system
    FROM s1_vs1_codes) AND (x3.procedure_date >= ?)) AND (x3.procedure_date <= ?))
      UNION ALL
      SELECT x3.person_id AS person_id, x3.procedure_occurrence_id AS event_id
      FROM procedure_occurrence x3
      WHERE ((x3.procedure_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s1_vs1_codes))) AND (x3.procedure_date >= ?)) AND (x3.procedure_date <= ?))) r)), 0) THEN ? WHEN NOT coalesce(NOT e.person_id IN (SELECT r.person_id
    FROM (
      SELECT x4.person_id AS person_id, x4.condition_occurrence_id AS event_id
      FROM condition_occurrence x4
      WHERE ((x4.source_code, x4.source_system) IN (SELECT code, system
    FROM s1_vs2_codes) AND (x4.condition_start_date <= ?))
      UNION ALL
      SELECT x4.person_id AS person_id, x4.condition_occurrence_id AS event_id
      FROM condition_occurrence x4
      WHERE (x4.condition_occurrence_id IN (SELECT ec.event_id
    FROM event_code ec
    WHERE ((ec.event_table = ?) AND (ec.source_code, ec.source_system) IN (SELECT code, system
    FROM s1_vs2_codes))) AND (x4.condition_start_date <= ?))) r), 0) THEN ? ELSE ? END AS passed
  FROM s1_entry e;
-- parameters: 13878, 2007, 0, 20089, 20453, 'condition_occurrence', 20089, 20453, 20089, 20453, 'procedure_occurrence', 20089, 20453, 1, 20453, 'condition_occurrence', 20453, 2, 3

-- events passing every rule
CREATE TEMP TABLE s1_kept1 AS 
SELECT t.event_id AS event_id, t.person_id AS person_id, t.start_date AS start_date, t.end_date AS end_date, t.visit_id AS visit_id, t.op_start AS op_start, t.op_end AS op_end, t.start_seconds AS start_seconds
  FROM s1_rules1 t
  WHERE (t.passed = ?);
-- parameters: 3

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

-- attrition: age at entry >= 18
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s1_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- attrition: hospice
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s1_rules1 t
WHERE (t.passed >= ?);
-- parameters: 2

-- attrition: ESRD or dialysis
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s1_rules1 t
WHERE (t.passed >= ?);
-- parameters: 3

-- ===== cohort DiabetesAdherenceEligible "Eligible, and no insulin in the period" — definition 2

-- value set Insulin
CREATE TEMP TABLE s2_vs1_codes (code TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (code, system));

-- value set Insulin
CREATE TEMP TABLE s2_vs1_concepts (concept_id INTEGER PRIMARY KEY);

-- value set Insulin
INSERT OR IGNORE INTO s2_vs1_codes (code, system) VALUES (?, ?), (?, ?), (?, ?);
-- parameters: '285018', 'rxnorm', '311034', 'rxnorm', '311041', 'rxnorm'

-- entry events
CREATE TEMP TABLE s2_entry AS 
SELECT ROW_NUMBER() OVER (ORDER BY s.person_id) AS event_id, s.person_id AS person_id, ? AS start_date, ? AS end_date, ? AS visit_id, ? AS op_start, ? AS op_end, ? AS start_seconds
  FROM (
    SELECT DISTINCT c.subject_id AS person_id
    FROM cohort c
    WHERE ((c.cohort_definition_id = ?) AND (c.cohort_start_date <= ?))) s;
-- parameters: 20453, 20453, NULL, NULL, NULL, 1767139200, 1, 20453

-- rules: insulin
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

-- attrition: insulin
SELECT COUNT(*) AS events, COUNT(DISTINCT t.person_id) AS persons
FROM s2_rules1 t
WHERE (t.passed >= ?);
-- parameters: 1

-- ===== adherence Statins for AdherenceEligible (fills read at run time)

-- ===== adherence RASAntagonists for AdherenceEligible (fills read at run time)

-- ===== adherence DiabetesOralMeds for DiabetesAdherenceEligible (fills read at run time)

-- ===== count StatinNonAdherent by provider

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
-- parameters: 1, '(unattributed)', NULL, NULL, NULL, 86400, 3
