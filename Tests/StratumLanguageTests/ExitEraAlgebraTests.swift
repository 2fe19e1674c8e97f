import Foundation
import StratumQuery
import StratumStore
import XCTest

/// Exits, era collapse, cohort algebra, attrition and parameters.
final class ExitEraAlgebraTests: XCTestCase {
    /// `exit 30 days after entry` ends 30 days after the entry date, but never after the end of
    /// the observation period.
    func testExitThirtyDaysAfterEntryIsClippedToObservation() throws {
        let f = try Fixture()
        try f.person(1, born: "1960-01-01")
        try f.person(2, born: "1960-01-01", observed: ("2015-01-01", "2024-01-20"))
        for p: Int64 in [1, 2] { try f.condition(p, "44054006", on: "2024-01-10") }
        try f.run("""
            valueset DM = snomed:44054006
            cohort Month
              entry first condition in DM
              exit 30 days after entry
            """)
        XCTAssertEqual(try f.rows("Month"), ["1 2024-01-10…2024-02-09", "2 2024-01-10…2024-01-20"])
    }

    /// `collapse pad N days` joins eras whose gap is at most N days: two one-day eras ten days
    /// apart are one era with pad 10 and stay two with pad 9 (or no pad).
    func testCollapsePadJoinsErasWithinThePad() throws {
        let f = try Fixture()
        try f.person(1, born: "1960-01-01")
        try f.condition(1, "44054006", on: "2024-01-01")
        try f.condition(1, "44054006", on: "2024-01-11")
        func script(_ name: String, _ collapse: String) -> String {
            "cohort \(name)\n  entry all condition in snomed:44054006\n  exit 0 days after entry\n  \(collapse)\n"
        }
        try f.run(script("Pad10", "collapse pad 10 days") + script("Pad9", "collapse pad 9 days") + script("NoPad", ""))
        XCTAssertEqual(try f.rows("Pad10"), ["1 2024-01-01…2024-01-11"])
        XCTAssertEqual(try f.rows("Pad9"), ["1 2024-01-01…2024-01-01", "1 2024-01-11…2024-01-11"])
        XCTAssertEqual(try f.rows("NoPad"), try f.rows("Pad9"))
    }

    /// A (code 111) and B (code 222) are 60-day eras:
    ///   person 1: A 01-01…03-01, B 02-01…04-01 (overlapping)
    ///   person 2: A only; person 3: B only; person 4: A 01-01…03-01 and B 06-01…07-31 (apart).
    /// union joins overlapping eras; intersect keeps the overlap; minus drops the A eras that
    /// overlap any B era (whole eras, not days).
    func testUnionIntersectMinus() throws {
        let f = try Fixture()
        for p: Int64 in 1...4 { try f.person(p, born: "1960-01-01") }
        try f.condition(1, "111", on: "2024-01-01"); try f.condition(1, "222", on: "2024-02-01")
        try f.condition(2, "111", on: "2024-01-01")
        try f.condition(3, "222", on: "2024-05-01")
        try f.condition(4, "111", on: "2024-01-01"); try f.condition(4, "222", on: "2024-06-01")
        try f.run("""
            cohort A
              entry all condition in snomed:111
              exit 60 days after entry
            cohort B
              entry all condition in snomed:222
              exit 60 days after entry
            cohort AorB = A union B
            cohort AandB = A intersect B
            cohort AnotB = A minus B
            """)
        XCTAssertEqual(try f.rows("A"), ["1 2024-01-01…2024-03-01", "2 2024-01-01…2024-03-01", "4 2024-01-01…2024-03-01"])
        XCTAssertEqual(try f.rows("B"), ["1 2024-02-01…2024-04-01", "3 2024-05-01…2024-06-30", "4 2024-06-01…2024-07-31"])
        XCTAssertEqual(try f.rows("AorB"), ["1 2024-01-01…2024-04-01", "2 2024-01-01…2024-03-01", "3 2024-05-01…2024-06-30",
                                            "4 2024-01-01…2024-03-01", "4 2024-06-01…2024-07-31"])
        XCTAssertEqual(try f.rows("AandB"), ["1 2024-02-01…2024-03-01"])
        XCTAssertEqual(try f.rows("AnotB"), ["2 2024-01-01…2024-03-01", "4 2024-01-01…2024-03-01"])
    }

    /// Attrition: entry events, then each rule in order counting the entries that pass it and
    /// every rule before it, in persons and events; stored in cohort_attrition too.
    func testAttritionCountsEachRuleCumulatively() throws {
        let f = try Fixture()
        try f.person(1, born: "1960-01-01")   // passes every rule
        try f.person(2, born: "2010-01-01")   // a child
        try f.person(3, born: "1960-01-01")   // never tested
        try f.person(4, born: "1960-01-01")   // tested, but has heart failure
        try f.person(5, born: "1960-01-01")   // no diabetes: never enters
        for p: Int64 in 1...4 { try f.condition(p, "44054006", on: "2022-01-01") }
        try f.condition(1, "44054006", on: "2023-01-01")    // a second entry event for person 1
        for p: Int64 in [1, 2, 4] { try f.measurement(p, "4548-4", on: "2023-06-01", value: 7, unit: "%") }
        try f.condition(4, "84114007", on: "2022-06-01")
        let results = try f.run("""
            valueset DM = snomed:44054006
            valueset HbA1c = loinc:4548-4
            valueset HF = snomed:84114007
            cohort Followed "Adult diabetics with an HbA1c and no heart failure"
              entry all condition in DM
              require age at entry >= 18
              require "has HbA1c" measurement in HbA1c
              exclude "heart failure" condition in HF
            """)
        let summary = try XCTUnwrap(results.summary("Followed"))
        XCTAssertEqual(summary.attrition.map(\.rule), ["entry events", "age at entry >= 18", "has HbA1c", "heart failure"])
        XCTAssertEqual(summary.attrition.map(\.persons), [4, 3, 2, 1])
        XCTAssertEqual(summary.attrition.map(\.events), [5, 4, 3, 2])
        XCTAssertEqual(summary.persons, 1)
        XCTAssertEqual(summary.eras, 1)   // person 1's two entries run to the end of observation: one era
        let stored = try f.store.db.query("""
            SELECT a.rule_name, a.persons, a.events FROM cohort_attrition a
            JOIN cohort_definition d ON d.cohort_definition_id = a.cohort_definition_id
            WHERE d.name = 'Followed' ORDER BY a.rule_index
            """).map { "\($0[0].text!) \($0[1].int!)/\($0[2].int!)" }
        XCTAssertEqual(stored, ["entry events 4/5", "age at entry >= 18 3/4", "has HbA1c 2/3", "heart failure 1/2"])
    }

    /// `--param period=…` overrides the script's default; a bare year means that calendar year.
    func testParameterOverrideReplacesTheDefault() throws {
        let f = try Fixture()
        try f.person(1, born: "1960-01-01")
        try f.person(2, born: "1960-01-01")
        try f.measurement(1, "4548-4", on: "2023-05-01", value: 7, unit: "%")
        try f.measurement(2, "4548-4", on: "2024-05-01", value: 7, unit: "%")
        let script = """
            valueset HbA1c = loinc:4548-4
            param period = 2024-01-01 .. 2024-12-31
            cohort Tested
              entry first measurement in HbA1c during period
            """
        try f.run(script)
        XCTAssertEqual(try f.persons("Tested"), [2])
        try f.run(script, parameters: ["period": "2023"])
        XCTAssertEqual(try f.persons("Tested"), [1])
        try f.run(script, parameters: ["period": "2023-01-01..2024-12-31"])
        XCTAssertEqual(try f.persons("Tested"), [1, 2])
    }

    /// `count … by sex, age band 10` counts persons per cell, age on the row's start date.
    func testCountBySexAndAgeBand() throws {
        let f = try Fixture()
        try f.person(1, born: "1980-06-01", sex: .female)   // 44 at the end of 2024
        try f.person(2, born: "1975-01-01", sex: .female)   // 49
        try f.person(3, born: "1970-12-31", sex: .male)     // 54
        let results = try f.run("""
            cohort Everyone
              entry on 2024-12-31 for everyone
            count Everyone by sex, age band 10
            """)
        let table = try XCTUnwrap(results.tables.first)
        XCTAssertEqual(table.columns, ["sex", "age band", "persons", "eras"])
        XCTAssertEqual(table.rows.map { $0.map(\.description) }, [["female", "40–49", "2", "2"], ["male", "50–59", "1", "1"]])
    }
}
