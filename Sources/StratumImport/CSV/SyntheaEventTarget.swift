import StratumStore

/// The columns every Synthea event file shares, and where they land in a clinical table:
/// PATIENT → person_id, ENCOUNTER → visit_occurrence_id, start/stop → dates and datetimes,
/// CODE → source_code (and `*_source_value`), with the file's code system. Concept ids are 0,
/// OMOP's "no matching concept": Synthea brings no vocabulary, and the (system, code) pair is
/// what cohorts match on.
struct SyntheaEventTarget {
    let inserter: TableInserter
    private let person, visit, concept, type, sourceValue, sourceConcept, system, code: Int
    private let startDate, startDatetime: Int
    private let endDate, endDatetime: Int?
    private let patientField, codeField: Int
    private let encounterField, startField, stopField: Int?
    private let startName: String

    /// - Parameters:
    ///   - prefix: the table's column prefix (`condition`, `drug`, `procedure`, …).
    ///   - start: the start date column without `_date` (`condition_start`, `procedure`).
    ///   - end: the end date column without `_date`, when the table has one.
    ///   - startColumns: the file's start column, by alternative names.
    init(_ table: TableSchema, prefix: String, start: String, end: String?, header: CSVHeader,
         startColumns: [String], context: ImportContext) throws {
        inserter = try context.inserter(table)
        let c = inserter.column
        person = c("person_id")
        visit = c("visit_occurrence_id")
        concept = c("\(prefix)_concept_id")
        type = c("\(prefix)_type_concept_id")
        sourceValue = c("\(prefix)_source_value")
        sourceConcept = c("\(prefix)_source_concept_id")
        system = c("source_system")
        code = c("source_code")
        startDate = c("\(start)_date")
        startDatetime = c("\(start)_datetime")
        endDate = end.map { c("\($0)_date") }
        endDatetime = end.map { c("\($0)_datetime") }
        patientField = try Self.require(header, "PATIENT")
        codeField = try Self.require(header, "CODE")
        encounterField = header.index("ENCOUNTER")
        startField = header.index(anyOf: startColumns)
        stopField = end == nil ? nil : header.index("STOP")
        startName = startColumns[0]
    }

    static func require(_ header: CSVHeader, _ name: String) throws -> Int {
        guard let index = header.index(name) else { throw CSVRowError(reason: "header lacks \(name)") }
        return index
    }

    /// Binds the shared columns of `record`; returns the start, which the caller may need.
    @discardableResult
    func bind(_ record: CSVRecord, system codeSystem: String?, typeConcept: Int64) throws -> ParsedTimestamp {
        guard let patient = record.stableID(patientField) else { throw CSVRowError.missing("PATIENT") }
        guard let codeBytes = record.nonEmpty(codeField) else { throw CSVRowError.missing("CODE") }
        guard let start = try record.timestamp(startField, startName) else { throw CSVRowError.missing(startName) }
        let stop = try record.timestamp(stopField, "STOP")
        inserter.set(person, patient)
        inserter.set(visit, record.stableID(encounterField))
        inserter.set(concept, 0 as Int64)
        inserter.set(sourceConcept, 0 as Int64)
        inserter.set(type, typeConcept)
        inserter.set(startDate, Int64(start.days))
        inserter.set(startDatetime, Int64(start.secondsOrMidnight))
        if let stop, let endDate, let endDatetime {
            inserter.set(endDate, Int64(stop.days))
            inserter.set(endDatetime, Int64(stop.secondsOrMidnight))
        }
        inserter.setText(sourceValue, codeBytes)
        inserter.setText(code, codeBytes)
        inserter.set(system, codeSystem)
        return start
    }
}
