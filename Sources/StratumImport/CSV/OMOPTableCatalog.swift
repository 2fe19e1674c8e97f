import StratumStore

/// One OMOP CDM table as a CSV file: which store table it fills (nil when Stratum recognises the
/// file but does not keep it), which header columns prove the file is that table, and how to
/// tell a reused id from a repeated row.
struct OMOPTableSpec: Sendable {
    /// The CDM table name, lower case (the file's stem).
    let name: String
    let schema: TableSchema?
    /// Columns the header must have (any case) for the file to be taken as this table.
    let keyColumns: [String]
    /// For event tables nothing else refers to: the columns that identify an event besides its
    /// id. Real exports reuse ids (GiBleed's drug_exposure has 4,384 ids held by two different
    /// rows); such a row is kept under a new (negative) id instead of being dropped. Tables whose ids other
    /// rows refer to (person, visit_occurrence, provider, …) keep first-wins duplicates instead.
    let eventIdentity: [String]?
}

/// The OMOP CDM tables Stratum reads from CSV (v5.3 and v5.4), and those it only recognises.
enum OMOPTableCatalog {
    /// v5.3 column names that v5.4 renamed, mapped to the store's (v5.4) names.
    static let renamedColumns: [String: String] = [
        "admitting_source_value": "admitted_from_source_value",
        "discharge_to_source_value": "discharged_to_source_value",
        "admitting_source_concept_id": "admitted_from_concept_id",
        "discharge_to_concept_id": "discharged_to_concept_id",
    ]

    private static func kept(_ schema: TableSchema, _ keys: [String], identity: [String]? = nil) -> OMOPTableSpec {
        OMOPTableSpec(name: schema.name, schema: schema, keyColumns: keys, eventIdentity: identity)
    }

    private static let keptTables: [OMOPTableSpec] = [
        kept(CDMSchema.person, ["person_id", "gender_concept_id", "year_of_birth"]),
        kept(CDMSchema.observationPeriod, ["observation_period_id", "person_id", "observation_period_start_date"],
             identity: ["person_id", "observation_period_start_date", "observation_period_end_date"]),
        kept(CDMSchema.visitOccurrence, ["visit_occurrence_id", "person_id", "visit_concept_id"]),
        kept(CDMSchema.conditionOccurrence, ["condition_occurrence_id", "person_id", "condition_concept_id"],
             identity: ["person_id", "condition_start_date", "condition_concept_id"]),
        kept(CDMSchema.drugExposure, ["drug_exposure_id", "person_id", "drug_concept_id"],
             identity: ["person_id", "drug_exposure_start_date", "drug_concept_id"]),
        kept(CDMSchema.measurement, ["measurement_id", "person_id", "measurement_concept_id"],
             identity: ["person_id", "measurement_date", "measurement_concept_id"]),
        kept(CDMSchema.observation, ["observation_id", "person_id", "observation_concept_id"],
             identity: ["person_id", "observation_date", "observation_concept_id"]),
        kept(CDMSchema.procedureOccurrence, ["procedure_occurrence_id", "person_id", "procedure_concept_id"],
             identity: ["person_id", "procedure_date", "procedure_concept_id"]),
        kept(CDMSchema.death, ["person_id", "death_date"]),
        kept(CDMSchema.provider, ["provider_id", "provider_name"]),
        kept(CDMSchema.careSite, ["care_site_id", "care_site_name"]),
        kept(CDMSchema.concept, ["concept_id", "vocabulary_id", "concept_code"]),
        kept(CDMSchema.conceptAncestor, ["ancestor_concept_id", "descendant_concept_id"]),
        kept(CDMSchema.payerPlanPeriod, ["payer_plan_period_id", "person_id", "payer_plan_period_start_date"],
             identity: ["person_id", "payer_plan_period_start_date", "payer_plan_period_end_date"]),
    ]

    /// CDM tables (v5.3 and v5.4) that are recognised and counted but not kept: derived eras,
    /// the rest of the vocabulary, costs, notes, metadata. One key column each suffices, with
    /// the file name, to tell them from an unrelated CSV.
    private static let recognisedTables: [String: [String]] = [
        "condition_era": ["condition_era_id"], "drug_era": ["drug_era_id"], "dose_era": ["dose_era_id"],
        "concept_relationship": ["concept_id_1"], "concept_synonym": ["concept_synonym_name"],
        "concept_class": ["concept_class_id"], "relationship": ["relationship_id"], "vocabulary": ["vocabulary_id"],
        "domain": ["domain_id"], "drug_strength": ["drug_concept_id"], "source_to_concept_map": ["source_code"],
        "cdm_source": ["cdm_source_name"], "metadata": ["metadata_concept_id"], "cost": ["cost_id"],
        "location": ["location_id"], "note": ["note_id"], "note_nlp": ["note_nlp_id"], "specimen": ["specimen_id"],
        "visit_detail": ["visit_detail_id"], "device_exposure": ["device_exposure_id"],
        "fact_relationship": ["domain_concept_id_1"], "cohort": ["cohort_definition_id"],
        "cohort_definition": ["cohort_definition_id"], "cohort_attribute": ["cohort_definition_id"],
        "attribute_definition": ["attribute_definition_id"], "episode": ["episode_id"], "episode_event": ["episode_id"],
        "location_history": ["location_id"], "survey_conduct": ["survey_conduct_id"],
    ]

    /// Every table by name.
    static let byName: [String: OMOPTableSpec] = {
        var tables: [String: OMOPTableSpec] = [:]
        for spec in keptTables { tables[spec.name] = spec }
        for (name, keys) in recognisedTables {
            tables[name] = OMOPTableSpec(name: name, schema: nil, keyColumns: keys, eventIdentity: nil)
        }
        return tables
    }()

    /// The store column a CSV column fills, after v5.3 renames; nil for columns the store lacks.
    static func storeColumn(for header: String, in schema: TableSchema) -> Int? {
        let name = renamedColumns[header] ?? header
        // Provenance and resolved codes are the store's own: a file never sets them.
        if name == "import_id" || name == "source_system" || name == "source_code" { return nil }
        return schema.index(of: name)
    }
}
