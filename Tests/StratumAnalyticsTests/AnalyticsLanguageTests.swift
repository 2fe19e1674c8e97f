import Foundation
import XCTest
import Stratum

/// The language's `forecast` and `cluster` statements end to end: a store, a script, the
/// analytics module behind the session, and the cohorts they save.
final class AnalyticsLanguageTests: XCTestCase {
    /// An in-memory store with `persons` diabetics; `a1c(person, k)` gives the k-th of eight
    /// quarterly HbA1c results from 2023-01-15.
    func store(persons: Int, a1c: (Int, Int) -> Double) throws -> Store {
        let store = try Store(path: ":memory:")
        func insert(_ table: TableSchema, _ values: [String: SQLValue]) throws {
            let inserter = try store.inserter(for: table, importID: nil)
            for (column, value) in values { inserter.set(inserter.column(column), value) }
            try inserter.insert()
        }
        let first = CivilDate.days(year: 2023, month: 1, day: 15)
        for p in 1...persons {
            try insert(CDMSchema.person, ["person_id": .integer(Int64(p)), "gender_concept_id": .integer(8532), "year_of_birth": .integer(1960),
                                          "birth_date": .integer(Int64(CivilDate.days(year: 1960, month: 1, day: 1)))])
            try insert(CDMSchema.observationPeriod, ["observation_period_id": .integer(Int64(p)), "person_id": .integer(Int64(p)),
                                                    "observation_period_start_date": .integer(Int64(first - 400)),
                                                    "observation_period_end_date": .integer(Int64(first + 1200))])
            try insert(CDMSchema.conditionOccurrence, ["person_id": .integer(Int64(p)), "condition_start_date": .integer(Int64(first - 300)),
                                                       "source_system": .text("snomed"), "source_code": .text("44054006")])
            for k in 0..<8 {
                try insert(CDMSchema.measurement, ["person_id": .integer(Int64(p)), "measurement_date": .integer(Int64(first + 91 * k)),
                                                   "source_system": .text("loinc"), "source_code": .text("4548-4"),
                                                   "value_as_number": .real(a1c(p, k)), "unit_source_value": .text("%")])
            }
        }
        return store
    }

    static let header = """
        valueset Diabetes = snomed:44054006
        valueset HbA1c = loinc:4548-4
        cohort T2D
          entry first condition in Diabetes

        """

    func run(_ store: Store, _ script: String) throws -> [StatementResult] {
        let session = try Session.withAnalytics(store: store)
        return try session.run(SourceFile(name: "analytics.stratum", text: AnalyticsLanguageTests.header + script))
    }

    func members(_ store: Store, _ cohort: String) throws -> [Int64] {
        try store.db.query("""
            SELECT DISTINCT c.subject_id FROM cohort c JOIN cohort_definition d USING (cohort_definition_id) WHERE d.name = ? ORDER BY 1
            """, [.text(cohort)]).compactMap { $0[0].int }
    }

    /// Persons 1–3 rise by 0.45 % a quarter to about 8.2 %; the others are flat near 7 % with
    /// noise. The risers are forecast to pass 9 % within 180 days; nobody flat is.
    func testForecastSavesThePersonsForecastToCrossTheThreshold() throws {
        let noise = [0.1, -0.2, 0.15, -0.05, 0.2, -0.1, 0.0, -0.15]
        let s = try store(persons: 30) { p, k in p <= 3 ? 5.0 + 0.45 * Double(k) + noise[(k + p) % 8] / 4 : 6.8 + 0.02 * Double(p % 7) + noise[(k + p) % 8] }
        let charts = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-forecast-charts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: charts) }
        let results = try run(s, "forecast HbA1c in % for T2D at 2024-12-31 horizon 180 days threshold 9 as Rising charts \"\(charts)\"\n")
        XCTAssertEqual(try members(s, "Rising"), [1, 2, 3])
        // The cohort's trajectories and one chart per flagged person.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: charts).sorted(),
                       ["person-1.svg", "person-2.svg", "person-3.svg", "trajectories.svg"])
        XCTAssertTrue(try String(contentsOfFile: charts + "/person-2.svg", encoding: .utf8).contains("<svg"))
        guard case .text(let line)? = results.first(where: { if case .text = $0 { return true }; return false }) else {
            return XCTFail("no summary line")
        }
        XCTAssertTrue(line.contains("30 persons as of 2024-12-31"), line)
        XCTAssertTrue(line.contains("3 forecast to reach 9"), line)
    }

    /// Results after the as-of date change nothing.
    func testForecastReadsNothingAfterTheAsOfDate() throws {
        let noise = [0.1, -0.2, 0.15, -0.05, 0.2, -0.1, 0.0, -0.15]
        let s = try store(persons: 12) { p, k in 6.0 + 0.1 * Double(p) + 0.05 * Double(k * (p % 3)) + noise[(k * 3 + p) % 8] }
        let script = "forecast HbA1c for T2D at 2024-06-30 horizon 90 days\n"
        func forecastRows() throws -> [[SQLValue]] {
            try run(s, script).compactMap { if case .table(let t) = $0, t.columns.contains("forecast") { return t } else { return nil } }.first!.rows
        }
        let before = try forecastRows()
        try s.db.run("UPDATE measurement SET value_as_number = value_as_number + 5 WHERE measurement_date > ?",
                     [.integer(Int64(CivilDate.days(year: 2024, month: 6, day: 30)))])
        XCTAssertEqual(try forecastRows().map { $0.map(\.description) }, before.map { $0.map(\.description) })
    }

    func testDiagnosticsOfAnalyticsStatements() throws {
        let session = try Session(store: try Store(path: ":memory:"))
        func errors(_ script: String) -> String {
            let (d, sources) = session.check(SourceFile(name: "a.stratum", text: AnalyticsLanguageTests.header + script))
            return DiagnosticRenderer(sources: sources).render(d)
        }
        XCTAssertTrue(errors("forecast HbA1c for T2D at 2024-12-31 horizon 180 days as X\n").contains("add 'threshold X'"))
        XCTAssertTrue(errors("cluster T2D using Nope method kmeans k 3 as P\n").contains("unknown feature set 'Nope'"))
        let f = "features F for T2D at 2024-12-31\n  age\n"
        XCTAssertTrue(errors(f + "cluster T2D using F method kmenas k 3 as P\n").contains("did you mean 'kmeans'?"))
        XCTAssertTrue(errors(f + "cluster T2D using F method kmeans k 1..4 as P\n").contains("a range of k starts at 2"))
        XCTAssertTrue(errors(f + "cluster T2D using F method kmeans covariance full k 3 as P\n").contains("applies to gmm only"))
        XCTAssertTrue(errors(f + "cluster T2D using F method kmeans as P\n").contains("'k' and a number of clusters"))
        // The phenotype cohorts are known to the statements that follow.
        XCTAssertEqual(errors(f + "cluster T2D using F method kmeans k 2..3 seed 1 as P\ncount P_3\n"), "")
        // Without the analytics module, running says what is missing.
        XCTAssertThrowsError(try session.run(SourceFile(name: "a.stratum", text: AnalyticsLanguageTests.header + "forecast HbA1c for T2D horizon 10 days\n"))) {
            XCTAssertTrue("\($0)".contains("needs the analytics module"), "\($0)")
        }
    }

    /// `adherence`: PQA's worked example through the store (two dispensings of 90 days, the refill
    /// shifted), a patient whose refills stop (PDC below 80%), one with a single fill date (not in
    /// the denominator), and one with only a prescription — never picked up, in data that has
    /// dispensings; taken as filled on time for its refills in data that has none.
    func testAdherenceStatementComputesPDCFromTheStoresFills() throws {
        let s = try store(persons: 4) { _, k in 7.0 + 0.01 * Double(k) }
        func fill(_ person: Int64, _ iso: String, _ days: Int, type: Int64 = 32825, refills: Int64? = nil, in s: Store) throws {
            let p = iso.split(separator: "-").map { Int($0)! }
            let inserter = try s.inserter(for: CDMSchema.drugExposure, importID: nil)  // the store given
            let values: [String: SQLValue] = [
                "person_id": .integer(person), "drug_exposure_start_date": .integer(Int64(CivilDate.days(year: p[0], month: p[1], day: p[2]))),
                "days_supply": .integer(Int64(days)), "drug_type_concept_id": .integer(type), "refills": refills.map { .integer($0) } ?? .null,
                "source_system": .text("rxnorm"), "source_code": .text("617312"),
            ]
            for (column, value) in values { inserter.set(inserter.column(column), value) }
            try inserter.insert()
        }
        try fill(1, "2024-07-05", 90, in: s); try fill(1, "2024-09-25", 90, in: s)
        try fill(2, "2024-02-01", 30, in: s); try fill(2, "2024-03-01", 30, in: s)
        try fill(3, "2024-05-01", 90, in: s)
        try fill(4, "2024-01-10", 30, type: 32838, refills: 11, in: s)
        let script = """
            valueset Statins = rxnorm:617312
            adherence Statins for T2D during 2024-01-01 .. 2024-12-31 threshold 80 % as Below
            """
        func rows(_ s: Store) throws -> [Int64: [SQLValue]] {
            let table = try XCTUnwrap(try run(s, script).compactMap { if case .table(let t) = $0 { return t } else { return nil } }.first)
            return Dictionary(uniqueKeysWithValues: table.rows.map { ($0[0].int!, $0) })
        }
        let byPerson = try rows(s)
        XCTAssertEqual(byPerson[1]?[6].double, 1.0)
        XCTAssertEqual(byPerson[1]?[4].int, 180)
        XCTAssertEqual(byPerson[2]?[6].double ?? 0, 60.0 / 335, accuracy: 0.001)
        XCTAssertEqual(byPerson[3]?[7].text, "fewer than two fill dates")
        XCTAssertEqual(byPerson[4]?[1].text, "none dispensed")
        XCTAssertEqual(try members(s, "Below"), [2])
        // Data with prescriptions only: the fallback.
        let requestsOnly = try store(persons: 1) { _, k in 7.0 + 0.01 * Double(k) }
        try fill(1, "2024-01-10", 30, type: 32838, refills: 11, in: requestsOnly)
        let fallback = try rows(requestsOnly)
        XCTAssertEqual(fallback[1]?[1].text, "prescriptions")
        XCTAssertEqual(fallback[1]?[6].double ?? 0, 1.0, accuracy: 1e-9)
    }
}
