/// Where each event domain lives in the store and how its dates are read. End dates follow the
/// OHDSI convention where the source has none: a condition or drug without an end lasts one
/// day (a drug: its days of supply), other events end when they start.
struct DomainTable {
    var table: String
    var id: String
    var start: String
    var startDateTime: String?
    var end: String?
    var concept: String?
    var visit: String?
    var hasCodes: Bool

    static func of(_ domain: Domain) -> DomainTable {
        switch domain {
        case .condition:
            return DomainTable(table: "condition_occurrence", id: "condition_occurrence_id", start: "condition_start_date",
                               startDateTime: "condition_start_datetime", end: "condition_end_date",
                               concept: "condition_concept_id", visit: "visit_occurrence_id", hasCodes: true)
        case .drug:
            return DomainTable(table: "drug_exposure", id: "drug_exposure_id", start: "drug_exposure_start_date",
                               startDateTime: "drug_exposure_start_datetime", end: "drug_exposure_end_date",
                               concept: "drug_concept_id", visit: "visit_occurrence_id", hasCodes: true)
        case .measurement:
            return DomainTable(table: "measurement", id: "measurement_id", start: "measurement_date",
                               startDateTime: "measurement_datetime", end: "measurement_end_date",
                               concept: "measurement_concept_id", visit: "visit_occurrence_id", hasCodes: true)
        case .procedure:
            return DomainTable(table: "procedure_occurrence", id: "procedure_occurrence_id", start: "procedure_date",
                               startDateTime: "procedure_datetime", end: "procedure_end_date",
                               concept: "procedure_concept_id", visit: "visit_occurrence_id", hasCodes: true)
        case .observation:
            return DomainTable(table: "observation", id: "observation_id", start: "observation_date",
                               startDateTime: "observation_datetime", end: "observation_end_date",
                               concept: "observation_concept_id", visit: "visit_occurrence_id", hasCodes: true)
        case .visit:
            return DomainTable(table: "visit_occurrence", id: "visit_occurrence_id", start: "visit_start_date",
                               startDateTime: "visit_start_datetime", end: "visit_end_date",
                               concept: "visit_concept_id", visit: "visit_occurrence_id", hasCodes: true)
        case .device:
            return DomainTable(table: "device_exposure", id: "device_exposure_id", start: "device_exposure_start_date",
                               startDateTime: "device_exposure_start_datetime", end: "device_exposure_end_date",
                               concept: "device_concept_id", visit: "visit_occurrence_id", hasCodes: true)
        case .order:
            return DomainTable(table: "service_request", id: "service_request_id", start: "service_request_date",
                               startDateTime: "service_request_datetime", end: nil,
                               concept: "service_request_concept_id", visit: "visit_occurrence_id", hasCodes: true)
        case .death:
            return DomainTable(table: "death", id: "person_id", start: "death_date", startDateTime: "death_datetime",
                               end: nil, concept: "cause_concept_id", visit: nil, hasCodes: false)
        case .cohort:
            return DomainTable(table: "cohort", id: "rowid", start: "cohort_start_date", startDateTime: nil,
                               end: "cohort_end_date", concept: nil, visit: nil, hasCodes: false)
        }
    }

    var personColumn: String { table == "cohort" ? "subject_id" : "person_id" }

    func startExpr(_ alias: String) -> SQLExpr { .col(alias, start) }

    /// The event's end date with the OHDSI defaults for missing ends.
    func endExpr(_ alias: String, daysSupplyOverride: Int? = nil) -> SQLExpr {
        let s = startExpr(alias)
        switch table {
        case "condition_occurrence":
            return .call(.coalesce, [.col(alias, "condition_end_date"), .addDays(s, .int(1))])
        case "drug_exposure":
            if let days = daysSupplyOverride { return .addDays(s, .int(days)) }
            return .call(.coalesce, [.col(alias, "drug_exposure_end_date"), .addDays(s, .col(alias, "days_supply")), .addDays(s, .int(1))])
        default:
            if let end { return .call(.coalesce, [.col(alias, end), s]) }
            return s
        }
    }

    /// The end of the event's span for `overlapping`: as `endExpr`, except that a condition
    /// without an end date is ongoing (CQL's prevalence period) unless its clinical status says
    /// it is over (inactive, remission, resolved): then it ends when it starts.
    func spanEndExpr(_ alias: String) -> SQLExpr {
        guard table == "condition_occurrence" else { return endExpr(alias) }
        let status = SQLExpr.col(alias, "condition_status_source_value")
        let ongoing = SQLExpr.isNull(status, negated: false) || .inList(status, ["active", "recurrence", "relapse"].map { SQLExpr.text($0) })
        return .call(.coalesce, [.col(alias, "condition_end_date"),
                                 .caseWhen([(ongoing, .date(DomainTable.endOfTime))], otherwise: startExpr(alias))])
    }

    /// 9999-12-31 as a day number: the end of an ongoing span.
    static let endOfTime = 2_932_896

    /// Seconds since 1970 of the event start, from the datetime column where the data has one.
    func startSecondsExpr(_ alias: String) -> SQLExpr {
        let fromDate = SQLExpr.binary(startExpr(alias), .times, .int(86400))
        guard let startDateTime else { return fromDate }
        return .call(.coalesce, [.col(alias, startDateTime), fromDate])
    }
}
