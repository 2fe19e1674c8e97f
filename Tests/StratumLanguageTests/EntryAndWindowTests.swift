import Foundation
import StratumQuery
import StratumStore
import XCTest

/// Entry events and time windows, each proved on a few hand-made persons.
final class EntryAndWindowTests: XCTestCase {
    static let diabetes = "valueset DM = snomed:44054006\n"

    func testEntryFirstTakesTheEarliestEventAllTakesEveryLastTakesTheLatest() throws {
        let f = try Fixture()
        try f.person(1, born: "1960-01-01")
        try f.person(2, born: "1960-01-01")
        for date in ["2021-05-01", "2020-03-01", "2022-07-01"] { try f.condition(1, "44054006", on: date) }
        try f.condition(2, "44054006", on: "2023-01-10")
        try f.run(Self.diabetes + """
            cohort First
              entry first condition in DM
              exit 0 days after entry
            cohort Every
              entry all condition in DM
              exit 0 days after entry
            cohort Latest
              entry last condition in DM
              exit 0 days after entry
            """)
        XCTAssertEqual(try f.rows("First"), ["1 2020-03-01…2020-03-01", "2 2023-01-10…2023-01-10"])
        XCTAssertEqual(try f.rows("Every"), ["1 2020-03-01…2020-03-01", "1 2021-05-01…2021-05-01", "1 2022-07-01…2022-07-01",
                                             "2 2023-01-10…2023-01-10"])
        XCTAssertEqual(try f.rows("Latest"), ["1 2022-07-01…2022-07-01", "2 2023-01-10…2023-01-10"])
    }

    /// `first … during period` is the first event inside the window; `first ever … during period`
    /// is the first event of the person's history, kept only if it falls inside the window.
    func testFirstInWindowDiffersFromFirstEver() throws {
        let f = try Fixture()
        try f.person(1, born: "1960-01-01")
        try f.person(2, born: "1960-01-01")
        try f.condition(1, "44054006", on: "2020-03-01")
        try f.condition(1, "44054006", on: "2024-04-01")
        try f.condition(2, "44054006", on: "2024-02-01")
        try f.run(Self.diabetes + """
            param period = 2024-01-01 .. 2024-12-31
            cohort FirstInPeriod
              entry first condition in DM during period
              exit 0 days after entry
            cohort NewInPeriod
              entry first ever condition in DM during period
              exit 0 days after entry
            """)
        XCTAssertEqual(try f.rows("FirstInPeriod"), ["1 2024-04-01…2024-04-01", "2 2024-02-01…2024-02-01"])
        XCTAssertEqual(try f.rows("NewInPeriod"), ["2 2024-02-01…2024-02-01"])
    }

    /// `within 365 days before entry` includes both ends: the day 365 days earlier and the entry day.
    func testWithin365DaysBeforeEntryIncludesBothEnds() throws {
        let f = try Fixture()
        let entry = Fixture.day("2024-06-30")
        let offsets = [1: -365, 2: -366, 3: 0, 4: 1]   // person: HbA1c date relative to entry
        for (person, offset) in offsets {
            try f.person(Int64(person), born: "1960-01-01")
            try f.condition(Int64(person), "44054006", on: "2024-06-30")
            try f.measurement(Int64(person), "4548-4", on: CivilDate.iso(days: entry + offset), value: 7, unit: "%")
        }
        XCTAssertEqual(CivilDate.iso(days: entry - 365), "2023-07-01")
        try f.run(Self.diabetes + """
            valueset HbA1c = loinc:4548-4
            cohort TestedBefore
              entry first condition in DM
              require measurement in HbA1c within 365 days before entry
            """)
        XCTAssertEqual(try f.persons("TestedBefore"), [1, 3])
    }

    /// Age in whole years on the entry date: 18 on the 18th birthday, 17 the day before it.
    func testAgeAtEntryCountsWholeYearsFromTheBirthDate() throws {
        let f = try Fixture()
        try f.person(1, born: "2006-06-30")
        try f.person(2, born: "2006-07-01")
        try f.person(3, born: "2004-02-29")    // 20 on 2024-06-30 whatever leap-day rule is used
        for p: Int64 in [1, 2, 3] { try f.condition(p, "44054006", on: "2024-06-30") }
        try f.run(Self.diabetes + """
            cohort Adults
              entry first condition in DM
              require age at entry >= 18
            """)
        XCTAssertEqual(try f.persons("Adults"), [1, 3])
    }

    /// `at visit in X`: the event was recorded at a visit coded in X (the same encounter).
    func testAtVisitInLooksAtTheEventsOwnVisit() throws {
        let f = try Fixture()
        for p: Int64 in [1, 2, 3] { try f.person(p, born: "1950-01-01") }
        let er = try f.visit(1, "50849002", on: "2024-03-01")
        let office = try f.visit(2, "185349003", on: "2024-03-01")
        try f.visit(3, "50849002", on: "2024-03-01")                    // an ER visit, but the
        try f.condition(1, "13645005", on: "2024-03-01", visit: er)       // diagnosis of person 3
        try f.condition(2, "13645005", on: "2024-03-01", visit: office)   // is not recorded at it
        try f.condition(3, "13645005", on: "2024-03-01")
        try f.run("""
            valueset COPD = snomed:13645005
            valueset Emergency = snomed:50849002
            cohort AcuteCOPD
              entry on 2024-12-31 for everyone
              require condition in COPD within 365 days before entry at visit in Emergency
            """)
        XCTAssertEqual(try f.persons("AcuteCOPD"), [1])
    }

    /// A bare cohort name as a criterion: the person is in that cohort on the entry date.
    func testACohortAsACriterionMeansMemberOnTheEntryDate() throws {
        let f = try Fixture()
        try f.person(1, born: "1960-01-01")
        try f.person(2, born: "1960-01-01")
        try f.condition(1, "44054006", on: "2024-01-01")
        for date in ["2023-06-01", "2024-06-01", "2025-06-01"] { try f.measurement(1, "4548-4", on: date, value: 7, unit: "%") }
        try f.measurement(2, "4548-4", on: "2024-06-01", value: 7, unit: "%")
        try f.run(Self.diabetes + """
            valueset HbA1c = loinc:4548-4
            cohort Diabetic
              entry first condition in DM
              exit 365 days after entry
            cohort TestedWhileDiabetic
              entry all measurement in HbA1c
              require Diabetic
              exit 0 days after entry
            """)
        XCTAssertEqual(try f.rows("Diabetic"), ["1 2024-01-01…2024-12-31"])
        XCTAssertEqual(try f.rows("TestedWhileDiabetic"), ["1 2024-06-01…2024-06-01"])
    }

    /// `from X at D` takes everyone who entered X on or before D, also when their era of X
    /// ended before D (moved away, died): the scripts in Cohorts/ therefore exclude deaths and
    /// require a visit in the period themselves. Unlike a bare cohort name as a criterion, it
    /// does not ask for membership on D.
    func testFromCohortAtDateTakesEveryoneWhoEnteredByThatDate() throws {
        let f = try Fixture()
        try f.person(1, born: "1960-01-01")
        try f.person(2, born: "1960-01-01", observed: ("2015-01-01", "2024-03-31"))
        try f.person(3, born: "1960-01-01")
        try f.condition(1, "44054006", on: "2023-01-01")
        try f.condition(2, "44054006", on: "2023-01-01")
        try f.condition(3, "44054006", on: "2025-01-01")
        try f.death(2, on: "2024-03-31")
        try f.run(Self.diabetes + """
            param period = 2024
            cohort T2D
              entry first condition in DM
            cohort AtYearEnd from T2D at end of period
            cohort AliveAtYearEnd from T2D at end of period
              exclude death on or before end of period
            """)
        XCTAssertEqual(try f.rows("T2D"), ["1 2023-01-01…2025-12-31", "2 2023-01-01…2024-03-31", "3 2025-01-01…2025-12-31"])
        XCTAssertEqual(try f.rows("AtYearEnd"), ["1 2024-12-31…2024-12-31", "2 2024-12-31…2024-12-31"])
        XCTAssertEqual(try f.persons("AliveAtYearEnd"), [1])
    }
}
