import Foundation
import StratumQuery
import StratumStore
import XCTest

/// `features`: one row per person as of an index date, on hand-made rows whose aggregates are
/// worked out by hand, and the guarantee that nothing after the index date is read.
final class FeatureLanguageTests: XCTestCase {
    static let header = """
        valueset Diabetes = snomed:44054006
        valueset HbA1c = loinc:4548-4
        valueset Hypertension = snomed:38341003
        cohort T2D
          entry first condition in Diabetes

        """

    /// Runs `script` in a new session and returns the feature table `name`.
    func table(_ f: Fixture, _ script: String, name: String = "F") throws -> FeatureTable {
        let session = try Session(store: f.store)
        do {
            try session.run(SourceFile(name: "features.stratum", text: FeatureLanguageTests.header + script))
        } catch let error as QueryError {
            XCTFail("the script has errors:\n\(error.description)")
            throw error
        }
        return try XCTUnwrap(session.featureTable(named: name))
    }

    func value(_ t: FeatureTable, _ person: Int64, _ column: String, file: StaticString = #filePath, line: UInt = #line) -> Double {
        guard let r = t.personIDs.firstIndex(of: person), let c = t.columns.firstIndex(of: column) else {
            XCTFail("no \(column) for person \(person) (columns: \(t.columns))", file: file, line: line)
            return .nan
        }
        return t.values[c][r]
    }

    func visit(_ f: Fixture, _ person: Int64, concept: Int64, on date: String) throws {
        try f.insert(CDMSchema.visitOccurrence, [
            "visit_occurrence_id": .integer(Int64.random(in: 1...Int64.max)), "person_id": .integer(person), "visit_concept_id": .integer(concept),
            "visit_start_date": .integer(Int64(Fixture.day(date))), "visit_end_date": .integer(Int64(Fixture.day(date))),
        ])
    }

    /// Three persons with diabetes: 1 with four HbA1c results (one after the index date and one
    /// in mmol/mol), 2 with one result, 3 with none.
    func diabetics() throws -> Fixture {
        let f = try Fixture()
        try f.person(1, born: "1960-06-30", sex: .female)
        try f.person(2, born: "1970-01-01", sex: .male)
        try f.person(3, born: "1980-01-01", sex: .female)
        for p: Int64 in 1...3 { try f.condition(p, "44054006", on: "2020-01-01") }
        try f.measurement(1, "4548-4", on: "2023-01-01", value: 7.0, unit: "%")
        try f.measurement(1, "4548-4", on: "2024-01-01", value: 8.0, unit: "%")
        try f.measurement(1, "4548-4", on: "2024-07-01", value: 60, unit: "mmol/mol")  // another dimension: skipped with `in %`
        try f.measurement(1, "4548-4", on: "2025-01-01", value: 9.0, unit: "%")
        try f.measurement(1, "4548-4", on: "2025-06-01", value: 14.0, unit: "%")       // after the index date
        try f.measurement(2, "4548-4", on: "2024-10-01", value: 6.5, unit: "%")
        return f
    }

    func testMeasurementAggregatesAreWorkedOutByHand() throws {
        let f = try diabetics()
        let t = try table(f, """
            features F for T2D at 2025-01-01
              age, sex
              measurement HbA1c in %: last, mean, min, max, count, slope, days since last over 1000 days as a1c
            """)
        XCTAssertEqual(t.personIDs, [1, 2, 3])
        XCTAssertEqual(t.columns, ["age", "female", "a1c_last", "a1c_mean", "a1c_min", "a1c_max", "a1c_count", "a1c_slope",
                                   "a1c_days_since_last", "a1c_missing", "a1c_slope_missing"])
        XCTAssertEqual(value(t, 1, "age"), 64)
        XCTAssertEqual(value(t, 2, "age"), 55)
        XCTAssertEqual(value(t, 1, "female"), 1)
        XCTAssertEqual(value(t, 2, "female"), 0)
        // Person 1: 7.0 (2023-01-01), 8.0 (2024-01-01), 9.0 (2025-01-01, the index day itself).
        XCTAssertEqual(value(t, 1, "a1c_last"), 9.0)
        XCTAssertEqual(value(t, 1, "a1c_mean"), 8.0, accuracy: 1e-12)
        XCTAssertEqual(value(t, 1, "a1c_min"), 7.0)
        XCTAssertEqual(value(t, 1, "a1c_max"), 9.0)
        XCTAssertEqual(value(t, 1, "a1c_count"), 3)
        // Least squares on t = days / 365.25 from the first result: days 0, 365, 731.
        let years = [0.0, 365, 731].map { $0 / 365.25 }, ys = [7.0, 8, 9]
        let mt = years.reduce(0, +) / 3, my = ys.reduce(0, +) / 3
        let slope = zip(years, ys).reduce(0) { $0 + ($1.0 - mt) * ($1.1 - my) } / years.reduce(0) { $0 + ($1 - mt) * ($1 - mt) }
        XCTAssertEqual(value(t, 1, "a1c_slope"), slope, accuracy: 1e-12)
        XCTAssertEqual(value(t, 1, "a1c_days_since_last"), 0)
        XCTAssertEqual(value(t, 1, "a1c_missing"), 0)
        XCTAssertEqual(value(t, 1, "a1c_slope_missing"), 0)
        // Person 2: one result, so no slope.
        XCTAssertEqual(value(t, 2, "a1c_last"), 6.5)
        XCTAssertTrue(value(t, 2, "a1c_slope").isNaN)
        XCTAssertEqual(value(t, 2, "a1c_slope_missing"), 1)
        XCTAssertEqual(value(t, 2, "a1c_days_since_last"), Double(Fixture.day("2025-01-01") - Fixture.day("2024-10-01")))
        // Person 3: nothing; counts are 0, the rest missing, and the indicator says so.
        XCTAssertTrue(value(t, 3, "a1c_last").isNaN)
        XCTAssertEqual(value(t, 3, "a1c_count"), 0)
        XCTAssertEqual(value(t, 3, "a1c_missing"), 1)
    }

    func testWindowStartsNDaysBeforeTheIndexDate() throws {
        let f = try diabetics()
        let t = try table(f, """
            features F for T2D at 2025-01-01
              measurement HbA1c in %: count, mean over 366 days as a1c
            """)
        // 2024-01-01 is 366 days before 2025-01-01 (2024 is a leap year): in; 2023-01-01: out.
        XCTAssertEqual(value(t, 1, "a1c_count"), 2)
        XCTAssertEqual(value(t, 1, "a1c_mean"), 8.5)
    }

    /// Adding events after the index date — results, diagnoses, drugs, visits, a later cohort
    /// entry — changes nothing in the table.
    func testNothingAfterTheIndexDateIsRead() throws {
        let f = try diabetics()
        try f.condition(1, "38341003", on: "2024-05-01")
        try f.drug(1, "860975", on: "2024-12-01", daysSupply: 90)
        try visit(f, 1, concept: 9201, on: "2024-11-01")
        let script = """
            features F for T2D at 2025-01-01
              age, sex
              measurement HbA1c: last, mean, min, max, count, slope, days since last as a1c
              conditions Hypertension
              count condition in Hypertension over 365 days as htn_recent
              distinct drugs over 90 days as polypharmacy
              visits by class over 365 days
            """
        let before = try table(f, script)
        for p: Int64 in 1...3 {
            try f.measurement(p, "4548-4", on: "2025-01-02", value: 12.0, unit: "%")
            try f.condition(p, "38341003", on: "2025-01-02")
            try f.drug(p, "197361", on: "2025-01-02", daysSupply: 30)
            try visit(f, p, concept: 9203, on: "2025-01-02")
        }
        // A person who enters the cohort after the index date is not a row either.
        try f.person(4, born: "1950-01-01")
        try f.condition(4, "44054006", on: "2025-03-01")
        try f.run(FeatureLanguageTests.header)
        let after = try table(f, script)
        XCTAssertEqual(after.personIDs, before.personIDs)
        XCTAssertEqual(after.columns, before.columns)
        for c in before.columns.indices {
            for r in before.personIDs.indices {
                let a = before.values[c][r], b = after.values[c][r]
                XCTAssertTrue(a == b || (a.isNaN && b.isNaN), "\(before.columns[c]) of person \(before.personIDs[r]): \(a) became \(b)")
            }
        }
        XCTAssertEqual(value(before, 1, "conditions_hypertension"), 1)
        XCTAssertEqual(value(before, 1, "polypharmacy"), 1)
        XCTAssertEqual(value(before, 1, "visits_inpatient"), 1)
        XCTAssertEqual(value(before, 1, "visits_emergency"), 0)
        XCTAssertEqual(value(before, 1, "a1c_last"), 9.0, "without a unit every value counts, the mmol/mol one too")
        XCTAssertEqual(value(before, 1, "a1c_count"), 4)
    }

    func testIndexAtEntryUsesEachPersonsFirstEntry() throws {
        let f = try diabetics()
        let t = try table(f, """
            features F for T2D at entry
              measurement HbA1c: count as a1c
            """)
        XCTAssertEqual(t.indexDays, Array(repeating: Fixture.day("2020-01-01"), count: 3))
        XCTAssertEqual(t.values[0], [0, 0, 0])
    }

    func testStandardisationIsKeptAndReusedByLike() throws {
        let f = try diabetics()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("features-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try table(f, """
            features F for T2D at 2025-01-01 standardize zscore to "\(path)"
              age
              measurement HbA1c in %: last over 730 days as a1c
            """)
        let scaling = try XCTUnwrap(t.scaling)
        // Ages 64, 55, 45 on 2025-01-01; population sd.
        let ages = [64.0, 55, 45], mean = ages.reduce(0, +) / 3
        let sd = (ages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 3).squareRoot()
        XCTAssertEqual(scaling.centers[0], mean, accuracy: 1e-12)
        XCTAssertEqual(scaling.scales[0], sd, accuracy: 1e-12)
        // Last values 9.0 and 6.5 (person 3 missing): mean 7.75, sd 1.25.
        XCTAssertEqual(scaling.centers[1], 7.75, accuracy: 1e-12)
        XCTAssertEqual(scaling.scales[1], 1.25, accuracy: 1e-12)
        let csv = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv[0], "person_id,index_date,age,a1c_last,a1c_missing")
        XCTAssertEqual(csv.count, 4)
        XCTAssertTrue(csv[3].hasPrefix("3,2025-01-01,"))
        XCTAssertTrue(csv[3].contains(",,"), "a missing value is an empty cell: \(csv[3])")
        // The model matrix fills a missing value with the centre: 0 after scaling.
        let matrix = t.modelMatrix()
        XCTAssertEqual(matrix[2 * 3 + 1], 0)
        XCTAssertEqual(matrix[0 * 3 + 1], (9.0 - 7.75) / 1.25, accuracy: 1e-12)

        // A later session, other data, the same transform: `standardize like F` from the store.
        try f.measurement(3, "4548-4", on: "2025-12-01", value: 11.0, unit: "%")
        let g = try table(f, """
            features G for T2D at 2025-12-31 standardize like F
              age
              measurement HbA1c in %: last over 730 days as a1c
            """, name: "G")
        XCTAssertEqual(g.scaling?.centers ?? [], scaling.centers)
        XCTAssertEqual(g.scaling?.scales ?? [], scaling.scales)
        XCTAssertEqual(g.outputValue(row: 2, column: 1), (11.0 - 7.75) / 1.25, accuracy: 1e-12)
    }

    func testRobustScalingUsesMedianAndInterquartileRange() {
        let s = FeatureScaling.fit(.robust, columns: ["x"], values: [[1, 2, 3, 4, 100, .nan]])
        XCTAssertEqual(s.centers, [3])
        XCTAssertEqual(s.scales, [2])   // numpy: q75 4 − q25 2
    }

    func testDiagnostics() throws {
        func errors(_ script: String) throws -> String {
            let session = try Session(store: try Fixture().store)
            let (diagnostics, sources) = session.check(SourceFile(name: "f.stratum", text: FeatureLanguageTests.header + script))
            return DiagnosticRenderer(sources: sources).render(diagnostics)
        }
        XCTAssertTrue(try errors("features F for T2 at 2025-01-01\n  age\n").contains("unknown cohort 'T2'"))
        XCTAssertTrue(try errors("features F for T2D at 2025-01-01\n  measurement HbA1c: meen\n").contains("did you mean 'mean'?"))
        XCTAssertTrue(try errors("features F for T2D at 2025-01-01\n  age, age\n").contains("feature column 'age' is already defined"))
        XCTAssertTrue(try errors("features F for T2D at 2025-01-01\n  measurement HbA1c in furlongs: last\n").contains("a unit after 'in'"))
        XCTAssertTrue(try errors("features F for T2D at 2025-01-01 standardize like Nope\n  age\n").contains("unknown feature set 'Nope'"))
        XCTAssertTrue(try errors("features F for T2D at 2025-01-01\n").contains("expected a feature"))
    }
}
