import StratumStore

// Column sets of the tables the FHIR mapper fills: only the columns it sets.
//
// Event rows nothing references (conditions, measurements, observations, drug exposures,
// procedures, device exposures, service requests) keep the resource's hashed id in `source_id`
// and take a sequential row id: hashed primary keys arrive in random order, and inserting them
// touches a random B-tree page per row — 1.4× slower at 20,000 patients and worse as tables
// outgrow the page cache. Visits, persons,
// providers and care sites, which other rows reference, keep the hashed id as their key.

struct AliasColumns: FHIRColumnSet {
    static var schema: TableSchema { ReferenceAliasSchema.table }
    let alias, target, kind: Int
    init(_ t: TableInserter) {
        alias = t.column("alias_id"); target = t.column("target_id"); kind = t.column("kind")
    }
}

struct EventCodeColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.eventCode }
    let table, event, system, code: Int
    init(_ t: TableInserter) {
        table = t.column("event_table"); event = t.column("event_id")
        system = t.column("source_system"); code = t.column("source_code")
    }
}

struct PersonColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.person }
    let id, gender, year, month, day, birthDatetime, birthDate, race, ethnicity, provider, careSite: Int
    let sourceValue, genderSource, raceSource, ethnicitySource: Int
    init(_ t: TableInserter) {
        id = t.column("person_id"); gender = t.column("gender_concept_id")
        year = t.column("year_of_birth"); month = t.column("month_of_birth"); day = t.column("day_of_birth")
        birthDatetime = t.column("birth_datetime"); birthDate = t.column("birth_date")
        race = t.column("race_concept_id"); ethnicity = t.column("ethnicity_concept_id")
        provider = t.column("provider_id"); careSite = t.column("care_site_id")
        sourceValue = t.column("person_source_value"); genderSource = t.column("gender_source_value")
        raceSource = t.column("race_source_value"); ethnicitySource = t.column("ethnicity_source_value")
    }
}

struct DeathColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.death }
    let person, date, datetime, type: Int
    init(_ t: TableInserter) {
        person = t.column("person_id"); date = t.column("death_date"); datetime = t.column("death_datetime")
        type = t.column("death_type_concept_id")
    }
}

struct VisitColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.visitOccurrence }
    let id, person, concept, startDate, startDatetime, endDate, endDatetime, type, provider, careSite: Int
    let sourceValue, admittedFrom, dischargedTo, system, code, status: Int
    init(_ t: TableInserter) {
        id = t.column("visit_occurrence_id"); person = t.column("person_id"); concept = t.column("visit_concept_id")
        startDate = t.column("visit_start_date"); startDatetime = t.column("visit_start_datetime")
        endDate = t.column("visit_end_date"); endDatetime = t.column("visit_end_datetime")
        type = t.column("visit_type_concept_id"); provider = t.column("provider_id"); careSite = t.column("care_site_id")
        sourceValue = t.column("visit_source_value")
        admittedFrom = t.column("admitted_from_source_value"); dischargedTo = t.column("discharged_to_source_value")
        system = t.column("source_system"); code = t.column("source_code"); status = t.column("status_source_value")
    }
}

struct ConditionColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.conditionOccurrence }
    let id, person, concept, startDate, startDatetime, endDate, endDatetime, type, status, provider, visit: Int
    let sourceValue, system, code, verification: Int
    init(_ t: TableInserter) {
        id = t.column("source_id"); person = t.column("person_id"); concept = t.column("condition_concept_id")
        startDate = t.column("condition_start_date"); startDatetime = t.column("condition_start_datetime")
        endDate = t.column("condition_end_date"); endDatetime = t.column("condition_end_datetime")
        type = t.column("condition_type_concept_id"); status = t.column("condition_status_source_value")
        provider = t.column("provider_id"); visit = t.column("visit_occurrence_id")
        sourceValue = t.column("condition_source_value"); system = t.column("source_system"); code = t.column("source_code")
        verification = t.column("verification_status_source_value")
    }
}

struct MeasurementColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.measurement }
    let id, person, concept, date, datetime, type, operatorConcept, value, unit, rangeLow, rangeHigh, provider, visit: Int
    let sourceValue, valueSource, system, code, status, category, endDate, endDatetime: Int
    init(_ t: TableInserter) {
        id = t.column("source_id"); person = t.column("person_id"); concept = t.column("measurement_concept_id")
        date = t.column("measurement_date"); datetime = t.column("measurement_datetime")
        type = t.column("measurement_type_concept_id"); operatorConcept = t.column("operator_concept_id")
        value = t.column("value_as_number"); unit = t.column("unit_source_value")
        rangeLow = t.column("range_low"); rangeHigh = t.column("range_high")
        provider = t.column("provider_id"); visit = t.column("visit_occurrence_id")
        sourceValue = t.column("measurement_source_value"); valueSource = t.column("value_source_value")
        system = t.column("source_system"); code = t.column("source_code")
        status = t.column("status_source_value"); category = t.column("category_source_value")
        endDate = t.column("measurement_end_date"); endDatetime = t.column("measurement_end_datetime")
    }
}

struct ObservationColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.observation }
    let id, person, concept, date, datetime, type, valueNumber, valueString, unit, provider, visit: Int
    let sourceValue, valueSystem, valueCode, system, code, status, category, endDate, endDatetime: Int
    init(_ t: TableInserter) {
        id = t.column("source_id"); person = t.column("person_id"); concept = t.column("observation_concept_id")
        date = t.column("observation_date"); datetime = t.column("observation_datetime")
        type = t.column("observation_type_concept_id")
        valueNumber = t.column("value_as_number"); valueString = t.column("value_as_string")
        unit = t.column("unit_source_value"); provider = t.column("provider_id"); visit = t.column("visit_occurrence_id")
        sourceValue = t.column("observation_source_value")
        valueSystem = t.column("value_source_system"); valueCode = t.column("value_source_code")
        system = t.column("source_system"); code = t.column("source_code")
        status = t.column("status_source_value"); category = t.column("category_source_value")
        endDate = t.column("observation_end_date"); endDatetime = t.column("observation_end_datetime")
    }
}

struct DrugColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.drugExposure }
    let id, person, concept, startDate, startDatetime, endDate, endDatetime, type, refills, quantity, daysSupply: Int
    let sig, route, provider, visit, sourceValue, system, code, status, intent, doNotPerform: Int
    init(_ t: TableInserter) {
        id = t.column("source_id"); person = t.column("person_id"); concept = t.column("drug_concept_id")
        startDate = t.column("drug_exposure_start_date"); startDatetime = t.column("drug_exposure_start_datetime")
        endDate = t.column("drug_exposure_end_date"); endDatetime = t.column("drug_exposure_end_datetime")
        type = t.column("drug_type_concept_id"); refills = t.column("refills"); quantity = t.column("quantity")
        daysSupply = t.column("days_supply"); sig = t.column("sig"); route = t.column("route_source_value")
        provider = t.column("provider_id"); visit = t.column("visit_occurrence_id")
        sourceValue = t.column("drug_source_value"); system = t.column("source_system"); code = t.column("source_code")
        status = t.column("status_source_value"); intent = t.column("intent_source_value"); doNotPerform = t.column("do_not_perform")
    }
}

struct ProcedureColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.procedureOccurrence }
    let id, person, concept, date, datetime, endDate, endDatetime, type, provider, visit, sourceValue, system, code, status: Int
    init(_ t: TableInserter) {
        id = t.column("source_id"); person = t.column("person_id"); concept = t.column("procedure_concept_id")
        date = t.column("procedure_date"); datetime = t.column("procedure_datetime")
        endDate = t.column("procedure_end_date"); endDatetime = t.column("procedure_end_datetime")
        type = t.column("procedure_type_concept_id"); provider = t.column("provider_id")
        visit = t.column("visit_occurrence_id"); sourceValue = t.column("procedure_source_value")
        system = t.column("source_system"); code = t.column("source_code"); status = t.column("status_source_value")
    }
}

struct DeviceColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.deviceExposure }
    let id, person, concept, startDate, startDatetime, endDate, endDatetime, type, quantity, provider, visit: Int
    let sourceValue, system, code, status, intent, doNotPerform: Int
    init(_ t: TableInserter) {
        id = t.column("source_id"); person = t.column("person_id"); concept = t.column("device_concept_id")
        startDate = t.column("device_exposure_start_date"); startDatetime = t.column("device_exposure_start_datetime")
        endDate = t.column("device_exposure_end_date"); endDatetime = t.column("device_exposure_end_datetime")
        type = t.column("device_type_concept_id"); quantity = t.column("quantity")
        provider = t.column("provider_id"); visit = t.column("visit_occurrence_id")
        sourceValue = t.column("device_source_value"); system = t.column("source_system"); code = t.column("source_code")
        status = t.column("status_source_value"); intent = t.column("intent_source_value"); doNotPerform = t.column("do_not_perform")
    }
}

struct ServiceRequestColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.serviceRequest }
    let id, person, concept, date, datetime, type, provider, visit, sourceValue, system, code: Int
    let status, intent, category, doNotPerform: Int
    init(_ t: TableInserter) {
        id = t.column("source_id"); person = t.column("person_id"); concept = t.column("service_request_concept_id")
        date = t.column("service_request_date"); datetime = t.column("service_request_datetime")
        type = t.column("service_request_type_concept_id"); provider = t.column("provider_id")
        visit = t.column("visit_occurrence_id"); sourceValue = t.column("service_request_source_value")
        system = t.column("source_system"); code = t.column("source_code")
        status = t.column("status_source_value"); intent = t.column("intent_source_value")
        category = t.column("category_source_value"); doNotPerform = t.column("do_not_perform")
    }
}

struct ProviderColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.provider }
    let id, name, npi, gender, sourceValue, genderSource: Int
    init(_ t: TableInserter) {
        id = t.column("provider_id"); name = t.column("provider_name"); npi = t.column("npi")
        gender = t.column("gender_concept_id"); sourceValue = t.column("provider_source_value")
        genderSource = t.column("gender_source_value")
    }
}

struct CareSiteColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.careSite }
    let id, name, sourceValue, placeOfService: Int
    init(_ t: TableInserter) {
        id = t.column("care_site_id"); name = t.column("care_site_name")
        sourceValue = t.column("care_site_source_value"); placeOfService = t.column("place_of_service_source_value")
    }
}

struct PayerPlanColumns: FHIRColumnSet {
    static var schema: TableSchema { CDMSchema.payerPlanPeriod }
    let id, person, startDate, endDate, payer, plan: Int
    init(_ t: TableInserter) {
        id = t.column("payer_plan_period_id"); person = t.column("person_id")
        startDate = t.column("payer_plan_period_start_date"); endDate = t.column("payer_plan_period_end_date")
        payer = t.column("payer_source_value"); plan = t.column("plan_source_value")
    }
}
