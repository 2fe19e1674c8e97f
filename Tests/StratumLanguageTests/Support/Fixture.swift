import Foundation
import StratumQuery
import StratumStore
import XCTest

/// A store in memory with a handful of hand-made persons, for tests that prove what a piece of
/// the language means. Dates are written as ISO text and stored as day numbers, as import does.
final class Fixture {
    let store: Store
    private var nextVisit: Int64 = 1000

    init() throws {
        store = try Store(path: ":memory:")
    }

    static func day(_ iso: String) -> Int {
        let parts = iso.split(separator: "-").map { Int($0)! }
        return CivilDate.days(year: parts[0], month: parts[1], day: parts[2])
    }

    enum Sex { case female, male }

    func insert(_ table: TableSchema, _ values: [String: SQLValue]) throws {
        let inserter = try store.inserter(for: table, importID: nil)
        for (column, value) in values { inserter.set(inserter.column(column), value) }
        try inserter.insert()
    }

    /// A person observed from `observed.from` to `observed.to` (one observation period).
    func person(_ id: Int64, born: String, sex: Sex = .female, observed: (from: String, to: String) = ("2015-01-01", "2025-12-31")) throws {
        let (y, m, d) = CivilDate.civil(days: Fixture.day(born))
        try insert(CDMSchema.person, [
            "person_id": .integer(id), "gender_concept_id": .integer(sex == .female ? 8532 : 8507),
            "year_of_birth": .integer(Int64(y)), "month_of_birth": .integer(Int64(m)), "day_of_birth": .integer(Int64(d)),
            "birth_date": .integer(Int64(Fixture.day(born))),
        ])
        try insert(CDMSchema.observationPeriod, [
            "observation_period_id": .integer(id), "person_id": .integer(id),
            "observation_period_start_date": .integer(Int64(Fixture.day(observed.from))),
            "observation_period_end_date": .integer(Int64(Fixture.day(observed.to))),
        ])
    }

    func condition(_ person: Int64, _ code: String, system: String = "snomed", on date: String, visit: Int64? = nil) throws {
        try insert(CDMSchema.conditionOccurrence, [
            "person_id": .integer(person), "condition_start_date": .integer(Int64(Fixture.day(date))),
            "source_system": .text(system), "source_code": .text(code),
            "visit_occurrence_id": visit.map { .integer($0) } ?? .null,
        ])
    }

    func measurement(_ person: Int64, _ code: String, on date: String, value: Double, unit: String?) throws {
        try insert(CDMSchema.measurement, [
            "person_id": .integer(person), "measurement_date": .integer(Int64(Fixture.day(date))),
            "source_system": .text("loinc"), "source_code": .text(code),
            "value_as_number": .real(value), "unit_source_value": unit.map { .text($0) } ?? .null,
        ])
    }

    /// A visit coded with a SNOMED CT encounter type; returns its id.
    @discardableResult
    func visit(_ person: Int64, _ code: String, on date: String) throws -> Int64 {
        nextVisit += 1
        try insert(CDMSchema.visitOccurrence, [
            "visit_occurrence_id": .integer(nextVisit), "person_id": .integer(person),
            "visit_start_date": .integer(Int64(Fixture.day(date))), "visit_end_date": .integer(Int64(Fixture.day(date))),
            "source_system": .text("snomed"), "source_code": .text(code),
        ])
        return nextVisit
    }

    func drug(_ person: Int64, _ code: String, on date: String, daysSupply: Int) throws {
        try insert(CDMSchema.drugExposure, [
            "person_id": .integer(person), "drug_exposure_start_date": .integer(Int64(Fixture.day(date))),
            "days_supply": .integer(Int64(daysSupply)), "source_system": .text("rxnorm"), "source_code": .text(code),
        ])
    }

    func death(_ person: Int64, on date: String) throws {
        try insert(CDMSchema.death, ["person_id": .integer(person), "death_date": .integer(Int64(Fixture.day(date)))])
    }

    /// Runs a script in a fresh session (so `--param` overrides apply) and returns its results.
    @discardableResult
    func run(_ script: String, parameters: [String: String] = [:]) throws -> [StatementResult] {
        let session = try Session(store: store, parameters: parameters)
        do {
            return try session.run(SourceFile(name: "fixture.stratum", text: script))
        } catch let error as QueryError {
            XCTFail("the script has errors:\n\(error.description)")
            throw error
        }
    }

    /// A cohort's rows as `person start…end`, ordered, for exact comparison.
    func rows(_ cohort: String) throws -> [String] {
        try store.db.query("""
            SELECT c.subject_id, c.cohort_start_date, c.cohort_end_date FROM cohort c
            JOIN cohort_definition d ON d.cohort_definition_id = c.cohort_definition_id
            WHERE d.name = ? ORDER BY 1, 2, 3
            """, [.text(cohort)]).map { row in
            "\(row[0].int!) \(CivilDate.iso(days: Int(row[1].int!)))…\(CivilDate.iso(days: Int(row[2].int!)))"
        }
    }

    /// The persons in a cohort, sorted.
    func persons(_ cohort: String) throws -> [Int64] {
        Array(Set(try rows(cohort).map { Int64($0.split(separator: " ")[0])! })).sorted()
    }
}

extension Array where Element == StatementResult {
    /// The summary of the cohort `name` in a run's results.
    func summary(_ name: String) -> CohortSummary? {
        for result in self { if case .cohort(let s) = result, s.name == name { return s } }
        return nil
    }

    /// The result tables, in order.
    var tables: [ResultTable] {
        compactMap { if case .table(let t) = $0 { return t } else { return nil } }
    }
}
