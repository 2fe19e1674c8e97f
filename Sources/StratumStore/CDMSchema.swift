/// The store's tables: OMOP CDM v5.4 in shape, with two additions on every clinical table:
/// `source_system` / `source_code` (the code as the source sent it, e.g. `snomed` / `44054006`,
/// so FHIR and Synthea data are queryable without a licensed vocabulary) and `import_id`
/// (the provenance row that brought it); event tables also have `source_id`, a hash of the
/// source's own record id where that is a string (FHIR), kept for tracing a row to its resource.
/// Dates are INTEGER days since 1970-01-01.
///
/// Clinical tables end with Stratum's extension columns (`extensions`): FHIR workflow
/// attributes OMOP has no place for — a resource's `status`, a request's `intent` and
/// `doNotPerform`, an Observation's `category` — which eCQM logic filters on (QI-Core's
/// `Status` library: only final/amended/corrected results, only active/completed orders). They
/// come after `import_id` because a store made before them gets them by `ALTER TABLE ADD COLUMN`,
/// which appends: placed last here, a fresh store and an upgraded one have the same column order.
public enum CDMSchema {
    private static func clinical(_ name: String, id: String, _ columns: [Column], date: String, concept: String,
                                 extensions: [Column] = []) -> TableSchema {
        TableSchema(
            name: name,
            columns: [Column(id, .integer), Column("person_id", .integer, notNull: true)] + columns + [
                Column("source_system", .text), Column("source_code", .text),
                Column("source_id", .integer), Column("import_id", .integer),
            ] + extensions,
            primaryKey: [id],
            indexes: [
                IndexSchema(name: "\(name)_person", columns: ["person_id", date]),
                IndexSchema(name: "\(name)_code", columns: ["source_code", "source_system", date]),
                IndexSchema(name: "\(name)_concept", columns: [concept, date]),
            ],
            isClinical: true,
            eventDate: date)
    }

    public static let person = TableSchema(
        name: "person",
        columns: [
            Column("person_id", .integer), Column("gender_concept_id", .integer),
            Column("year_of_birth", .integer), Column("month_of_birth", .integer), Column("day_of_birth", .integer),
            Column("birth_datetime", .datetime), Column("birth_date", .date),
            Column("race_concept_id", .integer), Column("ethnicity_concept_id", .integer),
            Column("location_id", .integer), Column("provider_id", .integer), Column("care_site_id", .integer),
            Column("person_source_value", .text), Column("gender_source_value", .text),
            Column("race_source_value", .text), Column("ethnicity_source_value", .text),
            Column("import_id", .integer),
        ],
        primaryKey: ["person_id"],
        indexes: [IndexSchema(name: "person_source", columns: ["person_source_value"])],
        isClinical: true)

    public static let observationPeriod = TableSchema(
        name: "observation_period",
        columns: [
            Column("observation_period_id", .integer), Column("person_id", .integer, notNull: true),
            Column("observation_period_start_date", .date), Column("observation_period_end_date", .date),
            Column("period_type_concept_id", .integer), Column("import_id", .integer),
        ],
        primaryKey: ["observation_period_id"],
        indexes: [IndexSchema(name: "observation_period_person", columns: ["person_id", "observation_period_start_date"])],
        isClinical: true,
        eventDate: "observation_period_start_date")

    public static let visitOccurrence = clinical("visit_occurrence", id: "visit_occurrence_id", [
        Column("visit_concept_id", .integer),
        Column("visit_start_date", .date), Column("visit_start_datetime", .datetime),
        Column("visit_end_date", .date), Column("visit_end_datetime", .datetime),
        Column("visit_type_concept_id", .integer), Column("provider_id", .integer), Column("care_site_id", .integer),
        Column("visit_source_value", .text), Column("visit_source_concept_id", .integer),
        Column("admitted_from_source_value", .text), Column("discharged_to_source_value", .text),
        Column("preceding_visit_occurrence_id", .integer),
    ], date: "visit_start_date", concept: "visit_concept_id", extensions: [
        // Encounter.status (`finished`, `in-progress`, `cancelled`, …).
        Column("status_source_value", .text),
    ])

    public static let conditionOccurrence = clinical("condition_occurrence", id: "condition_occurrence_id", [
        Column("condition_concept_id", .integer),
        Column("condition_start_date", .date), Column("condition_start_datetime", .datetime),
        Column("condition_end_date", .date), Column("condition_end_datetime", .datetime),
        Column("condition_type_concept_id", .integer), Column("condition_status_source_value", .text),
        Column("stop_reason", .text), Column("provider_id", .integer), Column("visit_occurrence_id", .integer),
        Column("condition_source_value", .text), Column("condition_source_concept_id", .integer),
    ], date: "condition_start_date", concept: "condition_concept_id", extensions: [
        // The code of Condition.verificationStatus (`confirmed`, `provisional`, …); the clinical
        // status (`active`, `resolved`, …) is the CDM's condition_status_source_value.
        Column("verification_status_source_value", .text),
    ])

    public static let drugExposure = clinical("drug_exposure", id: "drug_exposure_id", [
        Column("drug_concept_id", .integer),
        Column("drug_exposure_start_date", .date), Column("drug_exposure_start_datetime", .datetime),
        Column("drug_exposure_end_date", .date), Column("drug_exposure_end_datetime", .datetime),
        Column("verbatim_end_date", .date), Column("drug_type_concept_id", .integer),
        Column("stop_reason", .text), Column("refills", .integer), Column("quantity", .real),
        Column("days_supply", .integer), Column("sig", .text), Column("route_source_value", .text),
        Column("provider_id", .integer), Column("visit_occurrence_id", .integer),
        Column("drug_source_value", .text), Column("drug_source_concept_id", .integer),
    ], date: "drug_exposure_start_date", concept: "drug_concept_id", extensions: orderAttributes)

    public static let measurement = clinical("measurement", id: "measurement_id", [
        Column("measurement_concept_id", .integer),
        Column("measurement_date", .date), Column("measurement_datetime", .datetime),
        Column("measurement_type_concept_id", .integer), Column("operator_concept_id", .integer),
        Column("value_as_number", .real), Column("value_as_concept_id", .integer),
        Column("unit_concept_id", .integer), Column("range_low", .real), Column("range_high", .real),
        Column("provider_id", .integer), Column("visit_occurrence_id", .integer),
        Column("measurement_source_value", .text), Column("measurement_source_concept_id", .integer),
        Column("unit_source_value", .text), Column("value_source_value", .text),
    ], date: "measurement_date", concept: "measurement_concept_id", extensions: [
        Column("status_source_value", .text), Column("category_source_value", .text),
        // The instant a result is dated by (CQL's `latest()` of its effective time, as eCQMs date
        // results), which is also measurement_date: a result is a point in time.
        Column("measurement_end_date", .date), Column("measurement_end_datetime", .datetime),
    ])

    public static let observation = clinical("observation", id: "observation_id", [
        Column("observation_concept_id", .integer),
        Column("observation_date", .date), Column("observation_datetime", .datetime),
        Column("observation_type_concept_id", .integer),
        Column("value_as_number", .real), Column("value_as_string", .text), Column("value_as_concept_id", .integer),
        Column("unit_source_value", .text), Column("provider_id", .integer), Column("visit_occurrence_id", .integer),
        Column("observation_source_value", .text), Column("observation_source_concept_id", .integer),
        Column("value_source_system", .text), Column("value_source_code", .text),
    ], date: "observation_date", concept: "observation_concept_id", extensions: [
        Column("status_source_value", .text), Column("category_source_value", .text),
        // The end of an effective period (an assessment made over a span); NULL for an instant.
        Column("observation_end_date", .date), Column("observation_end_datetime", .datetime),
    ])

    public static let procedureOccurrence = clinical("procedure_occurrence", id: "procedure_occurrence_id", [
        Column("procedure_concept_id", .integer),
        Column("procedure_date", .date), Column("procedure_datetime", .datetime),
        Column("procedure_end_date", .date), Column("procedure_end_datetime", .datetime),
        Column("procedure_type_concept_id", .integer), Column("quantity", .integer),
        Column("provider_id", .integer), Column("visit_occurrence_id", .integer),
        Column("procedure_source_value", .text), Column("procedure_source_concept_id", .integer),
    ], date: "procedure_date", concept: "procedure_concept_id", extensions: [Column("status_source_value", .text)])

    /// Devices ordered for or used by a person (FHIR DeviceRequest: a wheelchair, a walker).
    public static let deviceExposure = clinical("device_exposure", id: "device_exposure_id", [
        Column("device_concept_id", .integer),
        Column("device_exposure_start_date", .date), Column("device_exposure_start_datetime", .datetime),
        Column("device_exposure_end_date", .date), Column("device_exposure_end_datetime", .datetime),
        Column("device_type_concept_id", .integer), Column("quantity", .integer),
        Column("provider_id", .integer), Column("visit_occurrence_id", .integer),
        Column("device_source_value", .text), Column("device_source_concept_id", .integer),
    ], date: "device_exposure_start_date", concept: "device_concept_id", extensions: orderAttributes)

    /// Orders for a service (FHIR ServiceRequest: a referral, hospice care, a lab test). A Stratum
    /// extension: OMOP has no table for orders (it keeps what was done, not what was asked for),
    /// but eCQMs count an order as evidence (an ambulatory hospice order excludes a patient).
    /// Shaped like the CDM's event tables; dated by `authoredOn`, else the requested occurrence.
    public static let serviceRequest = clinical("service_request", id: "service_request_id", [
        Column("service_request_concept_id", .integer),
        Column("service_request_date", .date), Column("service_request_datetime", .datetime),
        Column("service_request_type_concept_id", .integer),
        Column("provider_id", .integer), Column("visit_occurrence_id", .integer),
        Column("service_request_source_value", .text), Column("service_request_source_concept_id", .integer),
    ], date: "service_request_date", concept: "service_request_concept_id",
       extensions: orderAttributes + [Column("category_source_value", .text)])

    /// Workflow attributes of a request or a record of use (FHIR MedicationRequest, DeviceRequest,
    /// ServiceRequest; MedicationDispense/Statement fill the status only): `status` (`active`,
    /// `completed`, …), `intent` (`order`, `plan`, `proposal`, …) and `do_not_perform` (1 when the
    /// request says *not* to do it, 0 when it says to, NULL when it does not say).
    private static let orderAttributes = [
        Column("status_source_value", .text), Column("intent_source_value", .text), Column("do_not_perform", .integer),
    ]

    public static let death = TableSchema(
        name: "death",
        columns: [
            Column("person_id", .integer, notNull: true), Column("death_date", .date), Column("death_datetime", .datetime),
            Column("death_type_concept_id", .integer), Column("cause_concept_id", .integer),
            Column("cause_source_value", .text), Column("cause_source_concept_id", .integer),
            Column("import_id", .integer),
        ],
        primaryKey: ["person_id"],
        isClinical: true,
        eventDate: "death_date")

    public static let payerPlanPeriod = TableSchema(
        name: "payer_plan_period",
        columns: [
            Column("payer_plan_period_id", .integer), Column("person_id", .integer, notNull: true),
            Column("payer_plan_period_start_date", .date), Column("payer_plan_period_end_date", .date),
            Column("payer_source_value", .text), Column("plan_source_value", .text), Column("import_id", .integer),
        ],
        primaryKey: ["payer_plan_period_id"],
        indexes: [IndexSchema(name: "payer_plan_period_person", columns: ["person_id", "payer_plan_period_start_date"])],
        isClinical: true,
        eventDate: "payer_plan_period_start_date")

    public static let provider = TableSchema(
        name: "provider",
        columns: [
            Column("provider_id", .integer), Column("provider_name", .text), Column("npi", .text),
            Column("specialty_concept_id", .integer), Column("care_site_id", .integer),
            Column("year_of_birth", .integer), Column("gender_concept_id", .integer),
            Column("provider_source_value", .text), Column("specialty_source_value", .text),
            Column("gender_source_value", .text), Column("import_id", .integer),
        ],
        primaryKey: ["provider_id"])

    public static let careSite = TableSchema(
        name: "care_site",
        columns: [
            Column("care_site_id", .integer), Column("care_site_name", .text),
            Column("place_of_service_concept_id", .integer), Column("location_id", .integer),
            Column("care_site_source_value", .text), Column("place_of_service_source_value", .text),
            Column("import_id", .integer),
        ],
        primaryKey: ["care_site_id"])

    public static let concept = TableSchema(
        name: "concept",
        columns: [
            Column("concept_id", .integer), Column("concept_name", .text), Column("domain_id", .text),
            Column("vocabulary_id", .text), Column("concept_class_id", .text), Column("standard_concept", .text),
            Column("concept_code", .text), Column("valid_start_date", .date), Column("valid_end_date", .date),
            Column("invalid_reason", .text),
        ],
        primaryKey: ["concept_id"],
        indexes: [IndexSchema(name: "concept_code", columns: ["concept_code", "vocabulary_id"])])

    public static let conceptAncestor = TableSchema(
        name: "concept_ancestor",
        columns: [
            Column("ancestor_concept_id", .integer, notNull: true), Column("descendant_concept_id", .integer, notNull: true),
            Column("min_levels_of_separation", .integer), Column("max_levels_of_separation", .integer),
        ],
        primaryKey: ["ancestor_concept_id", "descendant_concept_id"],
        indexes: [IndexSchema(name: "concept_ancestor_descendant", columns: ["descendant_concept_id"])])

    public static let cohort = TableSchema(
        name: "cohort",
        columns: [
            Column("cohort_definition_id", .integer, notNull: true), Column("subject_id", .integer, notNull: true),
            Column("cohort_start_date", .date, notNull: true), Column("cohort_end_date", .date, notNull: true),
        ],
        primaryKey: [],
        indexes: [IndexSchema(name: "cohort_subject", columns: ["cohort_definition_id", "subject_id", "cohort_start_date"])])

    /// Codes of an event beyond its `source_code`: a FHIR CodeableConcept may code one condition
    /// in SNOMED CT and ICD-10-CM at once, and a value set in either system must find it. The
    /// row's own (system, code) is the first coding in a known terminology; the others are here,
    /// keyed by table name and the row's id.
    public static let eventCode = TableSchema(
        name: "event_code",
        columns: [
            Column("event_table", .text, notNull: true), Column("event_id", .integer, notNull: true),
            Column("source_system", .text), Column("source_code", .text), Column("import_id", .integer),
        ],
        primaryKey: [],
        indexes: [IndexSchema(name: "event_code_code", columns: ["source_code", "source_system", "event_table", "event_id"])])

    /// Every data table, in an order that keeps references pointing backwards.
    public static let dataTables: [TableSchema] = [
        careSite, provider, person, observationPeriod, visitOccurrence, conditionOccurrence, drugExposure,
        measurement, observation, procedureOccurrence, deviceExposure, serviceRequest, death, payerPlanPeriod, concept,
        conceptAncestor, eventCode,
    ]

    /// Tables holding events of a person, which data-quality checks look at.
    public static let eventTables: [TableSchema] = [
        visitOccurrence, conditionOccurrence, drugExposure, measurement, observation, procedureOccurrence, deviceExposure,
        serviceRequest,
    ]

    public static func table(named name: String) -> TableSchema? {
        (dataTables + [cohort]).first { $0.name == name }
    }
}
