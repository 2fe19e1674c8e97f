import StratumStore

/// The schema of a store made by Stratum before migration 3 (schema v2), as `sqlite_schema`
/// held it (less SQLite's own sqlite_sequence): dumped from such a store, not derived from
/// today's `CDMSchema`, so an upgrade test starts from what users really have on disk.
enum StoreV2Fixture {
    static let schema = """
        CREATE TABLE stratum_migration (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT);
        CREATE TABLE care_site ( care_site_id INTEGER, care_site_name TEXT, place_of_service_concept_id INTEGER,
          location_id INTEGER, care_site_source_value TEXT, place_of_service_source_value TEXT, import_id INTEGER, PRIMARY
          KEY (care_site_id) );
        CREATE TABLE provider ( provider_id INTEGER, provider_name TEXT, npi TEXT, specialty_concept_id INTEGER,
          care_site_id INTEGER, year_of_birth INTEGER, gender_concept_id INTEGER, provider_source_value TEXT,
          specialty_source_value TEXT, gender_source_value TEXT, import_id INTEGER, PRIMARY KEY (provider_id) );
        CREATE TABLE person ( person_id INTEGER, gender_concept_id INTEGER, year_of_birth INTEGER, month_of_birth
          INTEGER, day_of_birth INTEGER, birth_datetime INTEGER, birth_date INTEGER, race_concept_id INTEGER,
          ethnicity_concept_id INTEGER, location_id INTEGER, provider_id INTEGER, care_site_id INTEGER,
          person_source_value TEXT, gender_source_value TEXT, race_source_value TEXT, ethnicity_source_value TEXT,
          import_id INTEGER, PRIMARY KEY (person_id) );
        CREATE TABLE observation_period ( observation_period_id INTEGER, person_id INTEGER NOT NULL,
          observation_period_start_date INTEGER, observation_period_end_date INTEGER, period_type_concept_id INTEGER,
          import_id INTEGER, PRIMARY KEY (observation_period_id) );
        CREATE TABLE visit_occurrence ( visit_occurrence_id INTEGER, person_id INTEGER NOT NULL, visit_concept_id
          INTEGER, visit_start_date INTEGER, visit_start_datetime INTEGER, visit_end_date INTEGER, visit_end_datetime
          INTEGER, visit_type_concept_id INTEGER, provider_id INTEGER, care_site_id INTEGER, visit_source_value TEXT,
          visit_source_concept_id INTEGER, admitted_from_source_value TEXT, discharged_to_source_value TEXT,
          preceding_visit_occurrence_id INTEGER, source_system TEXT, source_code TEXT, source_id INTEGER, import_id
          INTEGER, PRIMARY KEY (visit_occurrence_id) );
        CREATE TABLE condition_occurrence ( condition_occurrence_id INTEGER, person_id INTEGER NOT NULL,
          condition_concept_id INTEGER, condition_start_date INTEGER, condition_start_datetime INTEGER, condition_end_date
          INTEGER, condition_end_datetime INTEGER, condition_type_concept_id INTEGER, condition_status_source_value TEXT,
          stop_reason TEXT, provider_id INTEGER, visit_occurrence_id INTEGER, condition_source_value TEXT,
          condition_source_concept_id INTEGER, source_system TEXT, source_code TEXT, source_id INTEGER, import_id INTEGER,
          PRIMARY KEY (condition_occurrence_id) );
        CREATE TABLE drug_exposure ( drug_exposure_id INTEGER, person_id INTEGER NOT NULL, drug_concept_id INTEGER,
          drug_exposure_start_date INTEGER, drug_exposure_start_datetime INTEGER, drug_exposure_end_date INTEGER,
          drug_exposure_end_datetime INTEGER, verbatim_end_date INTEGER, drug_type_concept_id INTEGER, stop_reason TEXT,
          refills INTEGER, quantity REAL, days_supply INTEGER, sig TEXT, route_source_value TEXT, provider_id INTEGER,
          visit_occurrence_id INTEGER, drug_source_value TEXT, drug_source_concept_id INTEGER, source_system TEXT,
          source_code TEXT, source_id INTEGER, import_id INTEGER, PRIMARY KEY (drug_exposure_id) );
        CREATE TABLE measurement ( measurement_id INTEGER, person_id INTEGER NOT NULL, measurement_concept_id INTEGER,
          measurement_date INTEGER, measurement_datetime INTEGER, measurement_type_concept_id INTEGER, operator_concept_id
          INTEGER, value_as_number REAL, value_as_concept_id INTEGER, unit_concept_id INTEGER, range_low REAL, range_high
          REAL, provider_id INTEGER, visit_occurrence_id INTEGER, measurement_source_value TEXT,
          measurement_source_concept_id INTEGER, unit_source_value TEXT, value_source_value TEXT, source_system TEXT,
          source_code TEXT, source_id INTEGER, import_id INTEGER, PRIMARY KEY (measurement_id) );
        CREATE TABLE observation ( observation_id INTEGER, person_id INTEGER NOT NULL, observation_concept_id INTEGER,
          observation_date INTEGER, observation_datetime INTEGER, observation_type_concept_id INTEGER, value_as_number
          REAL, value_as_string TEXT, value_as_concept_id INTEGER, unit_source_value TEXT, provider_id INTEGER,
          visit_occurrence_id INTEGER, observation_source_value TEXT, observation_source_concept_id INTEGER,
          value_source_system TEXT, value_source_code TEXT, source_system TEXT, source_code TEXT, source_id INTEGER,
          import_id INTEGER, PRIMARY KEY (observation_id) );
        CREATE TABLE procedure_occurrence ( procedure_occurrence_id INTEGER, person_id INTEGER NOT NULL,
          procedure_concept_id INTEGER, procedure_date INTEGER, procedure_datetime INTEGER, procedure_end_date INTEGER,
          procedure_end_datetime INTEGER, procedure_type_concept_id INTEGER, quantity INTEGER, provider_id INTEGER,
          visit_occurrence_id INTEGER, procedure_source_value TEXT, procedure_source_concept_id INTEGER, source_system
          TEXT, source_code TEXT, source_id INTEGER, import_id INTEGER, PRIMARY KEY (procedure_occurrence_id) );
        CREATE TABLE death ( person_id INTEGER NOT NULL, death_date INTEGER, death_datetime INTEGER,
          death_type_concept_id INTEGER, cause_concept_id INTEGER, cause_source_value TEXT, cause_source_concept_id
          INTEGER, import_id INTEGER, PRIMARY KEY (person_id) );
        CREATE TABLE payer_plan_period ( payer_plan_period_id INTEGER, person_id INTEGER NOT NULL,
          payer_plan_period_start_date INTEGER, payer_plan_period_end_date INTEGER, payer_source_value TEXT,
          plan_source_value TEXT, import_id INTEGER, PRIMARY KEY (payer_plan_period_id) );
        CREATE TABLE concept ( concept_id INTEGER, concept_name TEXT, domain_id TEXT, vocabulary_id TEXT,
          concept_class_id TEXT, standard_concept TEXT, concept_code TEXT, valid_start_date INTEGER, valid_end_date
          INTEGER, invalid_reason TEXT, PRIMARY KEY (concept_id) );
        CREATE TABLE concept_ancestor ( ancestor_concept_id INTEGER NOT NULL, descendant_concept_id INTEGER NOT NULL,
          min_levels_of_separation INTEGER, max_levels_of_separation INTEGER, PRIMARY KEY (ancestor_concept_id,
          descendant_concept_id) );
        CREATE TABLE event_code ( event_table TEXT NOT NULL, event_id INTEGER NOT NULL, source_system TEXT, source_code
          TEXT, import_id INTEGER );
        CREATE TABLE cohort ( cohort_definition_id INTEGER NOT NULL, subject_id INTEGER NOT NULL, cohort_start_date
          INTEGER NOT NULL, cohort_end_date INTEGER NOT NULL );
        CREATE TABLE import_run ( import_id INTEGER PRIMARY KEY AUTOINCREMENT, file_name TEXT NOT NULL, sha256 TEXT NOT
          NULL, size_bytes INTEGER, format TEXT, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,
          engine_version TEXT, options TEXT, rows_total INTEGER );
        CREATE INDEX import_run_sha ON import_run (sha256);
        CREATE TABLE import_table_rows ( import_id INTEGER NOT NULL, table_name TEXT NOT NULL, rows_inserted INTEGER NOT
          NULL, duplicates INTEGER NOT NULL, PRIMARY KEY (import_id, table_name) );
        CREATE TABLE import_issue ( import_id INTEGER NOT NULL, severity TEXT NOT NULL, -- skipped | kept | not imported
          kind TEXT NOT NULL, reason TEXT NOT NULL, count INTEGER NOT NULL, examples TEXT, PRIMARY KEY (import_id,
          severity, kind, reason) );
        CREATE TABLE run_log ( run_id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, subject TEXT, started_at
          TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, engine_version TEXT, details TEXT );
        CREATE TABLE reference_alias ( alias_id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL, kind TEXT NOT NULL );
        CREATE INDEX person_source ON person (person_source_value);
        CREATE INDEX observation_period_person ON observation_period (person_id, observation_period_start_date);
        CREATE INDEX visit_occurrence_person ON visit_occurrence (person_id, visit_start_date);
        CREATE INDEX visit_occurrence_code ON visit_occurrence (source_code, source_system, visit_start_date);
        CREATE INDEX visit_occurrence_concept ON visit_occurrence (visit_concept_id, visit_start_date);
        CREATE INDEX condition_occurrence_person ON condition_occurrence (person_id, condition_start_date);
        CREATE INDEX condition_occurrence_code ON condition_occurrence (source_code, source_system,
          condition_start_date);
        CREATE INDEX condition_occurrence_concept ON condition_occurrence (condition_concept_id, condition_start_date);
        CREATE INDEX drug_exposure_person ON drug_exposure (person_id, drug_exposure_start_date);
        CREATE INDEX drug_exposure_code ON drug_exposure (source_code, source_system, drug_exposure_start_date);
        CREATE INDEX drug_exposure_concept ON drug_exposure (drug_concept_id, drug_exposure_start_date);
        CREATE INDEX measurement_person ON measurement (person_id, measurement_date);
        CREATE INDEX measurement_code ON measurement (source_code, source_system, measurement_date);
        CREATE INDEX measurement_concept ON measurement (measurement_concept_id, measurement_date);
        CREATE INDEX observation_person ON observation (person_id, observation_date);
        CREATE INDEX observation_code ON observation (source_code, source_system, observation_date);
        CREATE INDEX observation_concept ON observation (observation_concept_id, observation_date);
        CREATE INDEX procedure_occurrence_person ON procedure_occurrence (person_id, procedure_date);
        CREATE INDEX procedure_occurrence_code ON procedure_occurrence (source_code, source_system, procedure_date);
        CREATE INDEX procedure_occurrence_concept ON procedure_occurrence (procedure_concept_id, procedure_date);
        CREATE INDEX payer_plan_period_person ON payer_plan_period (person_id, payer_plan_period_start_date);
        CREATE INDEX concept_code ON concept (concept_code, vocabulary_id);
        CREATE INDEX concept_ancestor_descendant ON concept_ancestor (descendant_concept_id);
        CREATE INDEX event_code_code ON event_code (source_code, source_system, event_table, event_id);
        CREATE INDEX cohort_subject ON cohort (cohort_definition_id, subject_id, cohort_start_date);
        CREATE TABLE cohort_definition ( cohort_definition_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE
          NOCASE, title TEXT, source_file TEXT, definition TEXT, checksum TEXT NOT NULL, engine_version TEXT, created_at
          TEXT NOT NULL, updated_at TEXT NOT NULL, persons INTEGER, eras INTEGER );
        CREATE TABLE cohort_attrition ( cohort_definition_id INTEGER NOT NULL, rule_index INTEGER NOT NULL, rule_name
          TEXT NOT NULL, persons INTEGER NOT NULL, events INTEGER NOT NULL, PRIMARY KEY (cohort_definition_id, rule_index)
          );
        """

    /// Creates the v2 schema in `db` and records migrations 1 and 2 as applied.
    static func create(in db: Database) throws {
        try db.execute(schema)
        for (version, name) in [(1, "OMOP CDM v5.4-shaped tables and provenance"), (2, "cohort definitions and attrition")] {
            try db.run("INSERT INTO stratum_migration (version, name, applied_at) VALUES (?, ?, '2025-01-01T00:00:00Z')",
                       [.integer(Int64(version)), .text(name)])
        }
    }
}
