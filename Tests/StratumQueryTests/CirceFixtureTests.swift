import Foundation
import StratumStore
import XCTest

/// Proves the Circe fixture loader before any cohort is checked against it: a conformance failure
/// must mean the query language is wrong, not that the fixture was loaded short or misread.
final class CirceFixtureTests: XCTestCase {
    private func day(_ y: Int, _ m: Int, _ d: Int) -> Int { CivilDate.days(year: y, month: m, day: d) }

    func testListsEveryCase() throws {
        let fixture = try CirceFixture.open(self)
        XCTAssertEqual(try fixture.cases().map(\.description), [
            "conditionOccurrence/conditionStatusTest", "correlatedCriteria/countsTest", "eraDupes/eraDupes",
            "exits/continuousExposure", "exits/fixedOffset", "firstOccurrence/firstOccurrenceTest",
            "inclusionRules/simpleInclusionRule", "limits/limitTest",
        ])
        for c in try fixture.cases() {
            // conditionOccurrence's definitions are built in Java; every other case has its JSON.
            XCTAssertEqual(try fixture.expression(c) == nil, c.folder == "conditionOccurrence", "\(c)")
        }
        XCTAssertEqual(try fixture.expressionURL(CirceCase(folder: "limits", name: "limitTest"))?.lastPathComponent, "limitExpression.json")
        XCTAssertEqual(try fixture.expressionURL(CirceCase(folder: "exits", name: "fixedOffset"))?.lastPathComponent, "fixedOffsetExpression.json")
    }

    /// Every PREP row of a table the store has is in the store (duplicate keys included); every
    /// other table is reported as skipped with its row count.
    func testLoadsEveryCaseWithThePrepRowCounts() throws {
        let fixture = try CirceFixture.open(self)
        for c in try fixture.cases() {
            let (store, report) = try fixture.makeStore(for: c)
            let prep = try fixture.prepTables(c)
            XCTAssertFalse(prep.isEmpty, "\(c)")
            for (key, rows) in prep {
                let name = String(key.dropFirst("cdm.".count))
                if CDMSchema.table(named: name) != nil {
                    XCTAssertEqual(try store.count(name), rows.count, "\(c) \(name)")
                    XCTAssertEqual(report.inserted[name], rows.count, "\(c) \(name)")
                } else {
                    XCTAssertEqual(report.skippedTables[name], rows.count, "\(c) \(name)")
                }
            }
            XCTAssertEqual(try store.count("concept"), 3, "\(c)")
            XCTAssertFalse(try fixture.expectedRows(c).isEmpty, "\(c)")
        }
    }

    /// The gaps CIRCE.md documents: tables and columns the store lacks, and duplicate keys.
    func testReportsWhatTheStoreCannotHold() throws {
        let fixture = try CirceFixture.open(self)
        let first = try fixture.makeStore(for: CirceCase(folder: "firstOccurrence", name: "firstOccurrenceTest")).report
        XCTAssertEqual(first.skippedTables, ["condition_era": 3, "drug_era": 3, "specimen": 3])

        let status = try fixture.makeStore(for: CirceCase(folder: "conditionOccurrence", name: "conditionStatusTest")).report
        XCTAssertEqual(status.ignoredColumns["condition_occurrence"], ["condition_status_concept_id"])
        XCTAssertEqual(status.ignoredColumns["observation_period"], ["observation_period_start_datetime", "observation_period_end_datetime"])

        let counts = try fixture.makeStore(for: CirceCase(folder: "correlatedCriteria", name: "countsTest"))
        XCTAssertEqual(counts.report.reassignedIDs["visit_occurrence"]?.map { [$0.old, $0.new] }, [[1, 2]])
        XCTAssertEqual(try counts.store.db.scalar(
            "SELECT visit_start_date FROM visit_occurrence WHERE visit_occurrence_id = 2").int, Int64(day(2000, 8, 31)))

        let dupes = try fixture.makeStore(for: CirceCase(folder: "eraDupes", name: "eraDupes"))
        XCTAssertEqual(dupes.report.reassignedIDs["condition_occurrence"]?.map { [$0.old, $0.new] }, [[1, 3], [1, 4], [1, 5]])
        XCTAssertEqual(try dupes.store.db.scalar("SELECT group_concat(condition_concept_id) FROM (SELECT condition_concept_id FROM condition_occurrence ORDER BY condition_occurrence_id)").text,
                       "2,2,3,4,5")
    }

    /// The vocabulary has concepts 1 (parent), 2 and 3 (children); the loader adds self rows.
    func testLoadsTheVocabularyWithSelfAncestors() throws {
        let fixture = try CirceFixture.open(self)
        let store = try Store(path: fixture.directory.appendingPathComponent("vocabulary.sqlite").path)
        let report = try fixture.loadVocabulary(into: store)
        XCTAssertEqual(report.inserted, ["concept": 3, "concept_ancestor": 2])
        XCTAssertEqual(report.derived, ["concept_ancestor": 3])
        XCTAssertEqual(try store.db.query(
            "SELECT descendant_concept_id FROM concept_ancestor WHERE ancestor_concept_id = 1 ORDER BY 1").compactMap { $0[0].int }, [1, 2, 3])
        XCTAssertEqual(try store.db.scalar("SELECT valid_end_date FROM concept WHERE concept_id = 2").int, Int64(day(2099, 1, 1)))
    }

    /// Dates become days and datetimes epoch seconds, by the store column's type.
    func testConvertsDatesByColumnType() throws {
        let fixture = try CirceFixture.open(self)
        let store = try fixture.makeStore(for: CirceCase(folder: "conditionOccurrence", name: "conditionStatusTest")).store
        let row = try XCTUnwrap(try store.db.query(
            "SELECT condition_start_date, condition_start_datetime, condition_end_date FROM condition_occurrence WHERE condition_occurrence_id = 2").first)
        XCTAssertEqual(row[0].int, Int64(day(2000, 7, 1)))
        XCTAssertEqual(row[1].int, Int64(day(2000, 7, 1) * 86_400))
        XCTAssertTrue(row[2].isNull)
        XCTAssertEqual(try store.db.scalar("SELECT observation_period_end_date FROM observation_period WHERE person_id = 2").int,
                       Int64(day(2001, 1, 1)))
        let drugs = try fixture.makeStore(for: CirceCase(folder: "exits", name: "fixedOffset")).store
        XCTAssertEqual(try drugs.db.scalar("SELECT days_supply FROM drug_exposure WHERE drug_exposure_id = 8").int, 7)
    }

    /// VERIFY files: every cohort row, sorted, with the ids CIRCE.md explains.
    func testParsesTheExpectedRows() throws {
        let fixture = try CirceFixture.open(self)
        var ids: [String: [Int64]] = [:]
        for c in try fixture.cases() {
            let rows = try fixture.expectedRows(c)
            XCTAssertEqual(rows, rows.sorted(), "\(c)")
            ids[c.description] = rows.map(\.definitionID)
        }
        XCTAssertEqual(ids, [
            "conditionOccurrence/conditionStatusTest": [1, 1, 2, 2, 3],
            "correlatedCriteria/countsTest": [1, 2, 3, 4],
            "eraDupes/eraDupes": [1],
            "exits/continuousExposure": [1, 1, 2],
            "exits/fixedOffset": [1, 1, 1],
            "firstOccurrence/firstOccurrenceTest": Array(1...11),
            "inclusionRules/simpleInclusionRule": [1],
            "limits/limitTest": [1, 1, 1, 2, 3, 5],
        ])
        let fixed = try fixture.expectedRows(CirceCase(folder: "exits", name: "fixedOffset"))
        XCTAssertEqual(fixed.last, CohortRow(definitionID: 1, subjectID: 2, startDay: day(2000, 10, 1), endDay: day(2000, 11, 8)))
        let inclusion = try fixture.expectedInclusionResults(CirceCase(folder: "inclusionRules", name: "simpleInclusionRule"))
        XCTAssertEqual(Set(inclusion), [
            InclusionResultRow(definitionID: 1, ruleMask: 0, personCount: 1, modeID: 0),
            InclusionResultRow(definitionID: 1, ruleMask: 1, personCount: 1, modeID: 0),
            InclusionResultRow(definitionID: 1, ruleMask: 0, personCount: 1, modeID: 1),
            InclusionResultRow(definitionID: 1, ruleMask: 1, personCount: 1, modeID: 1),
        ])
    }
}
