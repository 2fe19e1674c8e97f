import Foundation
import StratumQuery
import StratumStore
import XCTest

/// Lab values with units, the selectors that pick one result, and occurrence counts.
final class ValueAndCountTests: XCTestCase {
    /// `last … value > 9 %`: the latest result in a compatible unit is compared. A result without
    /// a unit is taken to be in %; one in mmol/mol (IFCC, another dimension) is not comparable
    /// and is skipped, even when it is the latest and its number is above 9.
    func testLastValueAbove9PercentSkipsIncompatibleUnitsAndReadsUnitlessAsPercent() throws {
        let f = try Fixture()
        for p: Int64 in 1...5 { try f.person(p, born: "1960-01-01") }
        try f.measurement(1, "4548-4", on: "2024-03-01", value: 8.0, unit: "%")
        try f.measurement(1, "4548-4", on: "2024-09-01", value: 9.5, unit: "%")        // latest 9.5 %: in
        try f.measurement(2, "4548-4", on: "2024-03-01", value: 8.0, unit: "%")
        try f.measurement(2, "4548-4", on: "2024-09-01", value: 80, unit: "mmol/mol")  // latest in %: 8.0: out
        try f.measurement(3, "4548-4", on: "2024-09-01", value: 9.5, unit: nil)        // no unit, read as %: in
        try f.measurement(4, "4548-4", on: "2024-09-01", value: 9.0, unit: "%")        // not above 9: out
        try f.measurement(5, "4548-4", on: "2024-05-01", value: 10.0, unit: "%")
        try f.measurement(5, "4548-4", on: "2024-10-01", value: 8.5, unit: "%")        // the latest counts: out
        try f.run("""
            valueset HbA1c = loinc:4548-4
            param period = 2024
            cohort Poor
              entry on end of period for everyone
              require last measurement in HbA1c during period value > 9 %
            """)
        XCTAssertEqual(try f.persons("Poor"), [1, 3])
    }

    /// CMS165's representative reading: the most recent day, and the lowest value on that day.
    func testLowestOnLastDayTakesTheLowestReadingOfTheMostRecentDay() throws {
        let f = try Fixture()
        for p: Int64 in 1...3 { try f.person(p, born: "1960-01-01") }
        try f.measurement(1, "8480-6", on: "2024-11-01", value: 150, unit: "mm[Hg]")
        try f.measurement(1, "8480-6", on: "2024-11-01", value: 135, unit: "mm[Hg]")  // repeat reading, lower
        try f.measurement(2, "8480-6", on: "2024-06-01", value: 120, unit: "mm[Hg]")
        try f.measurement(2, "8480-6", on: "2024-11-01", value: 145, unit: "mm[Hg]")
        try f.measurement(2, "8480-6", on: "2024-11-01", value: 150, unit: "mm[Hg]")
        try f.measurement(3, "8480-6", on: "2024-06-01", value: 160, unit: "mm[Hg]")
        try f.measurement(3, "8480-6", on: "2024-11-01", value: 130, unit: "mm[Hg]")
        try f.run("""
            valueset SBP = loinc:8480-6
            param period = 2024
            cohort HighOnLastDay
              entry on end of period for everyone
              require lowest on last day measurement in SBP during period value >= 140 mmHg
            cohort PeakOnLastDay
              entry on end of period for everyone
              require highest on last day measurement in SBP during period value >= 140 mmHg
            cohort LowestEver
              entry on end of period for everyone
              require lowest measurement in SBP during period value >= 140 mmHg
            """)
        XCTAssertEqual(try f.persons("HighOnLastDay"), [2])
        XCTAssertEqual(try f.persons("PeakOnLastDay"), [1, 2])
        XCTAssertEqual(try f.persons("LowestEver"), [])
    }

    /// `at least 2 … distinct by day`: two records on one day are one day.
    func testAtLeastTwoDistinctByDayCountsDaysNotRecords() throws {
        let f = try Fixture()
        for p: Int64 in 1...3 { try f.person(p, born: "1960-01-01") }
        try f.condition(1, "44054006", on: "2024-02-01")
        try f.condition(1, "E11.9", system: "icd10cm", on: "2024-02-01")   // the same diagnosis, coded twice
        try f.condition(2, "44054006", on: "2024-02-01")
        try f.condition(2, "44054006", on: "2024-03-01")
        try f.condition(3, "44054006", on: "2024-02-01")
        try f.run("""
            valueset DM = snomed:44054006, icd10cm:E11.9
            param period = 2024
            cohort TwoDays
              entry on end of period for everyone
              require at least 2 condition in DM during period distinct by day
            cohort TwoRecords
              entry on end of period for everyone
              require at least 2 condition in DM during period
            """)
        XCTAssertEqual(try f.persons("TwoDays"), [2])
        XCTAssertEqual(try f.persons("TwoRecords"), [1, 2])
    }

    /// `distinct by code` counts different drugs, not fills: the polypharmacy count.
    func testDistinctByCodeCountsDifferentDrugs() throws {
        let f = try Fixture()
        for p: Int64 in 1...2 { try f.person(p, born: "1950-01-01") }
        for (code, date) in [("617312", "2024-01-05"), ("617312", "2024-02-05"), ("314076", "2024-02-10")] {
            try f.drug(1, code, on: date, daysSupply: 30)
        }
        for (code, date) in [("617312", "2024-01-05"), ("314076", "2024-02-10"), ("861007", "2024-04-01")] {
            try f.drug(2, code, on: date, daysSupply: 30)
        }
        try f.run("""
            param period = 2024
            cohort ThreeDrugs
              entry all drug during period
              require at least 3 drug distinct by code within 90 days after entry
              keep first
              exit 90 days after entry
            """)
        XCTAssertEqual(try f.rows("ThreeDrugs"), ["2 2024-01-05…2024-04-04"])
    }

    /// `exclude` keeps the entries for which the criterion is false.
    func testExcludeRemovesEntriesThatMatch() throws {
        let f = try Fixture()
        for p: Int64 in 1...3 { try f.person(p, born: "1960-01-01") }
        for p: Int64 in 1...3 { try f.condition(p, "44054006", on: "2022-01-01") }
        try f.condition(2, "84114007", on: "2023-01-01")     // heart failure after the entry
        try f.condition(3, "84114007", on: "2021-01-01")     // and before it
        try f.run("""
            valueset DM = snomed:44054006
            valueset HF = snomed:84114007
            cohort DiabetesWithoutHF
              entry first condition in DM
              exclude condition in HF
            cohort DiabetesWithoutPriorHF
              entry first condition in DM
              exclude condition in HF before entry
            """)
        XCTAssertEqual(try f.persons("DiabetesWithoutHF"), [1])
        XCTAssertEqual(try f.persons("DiabetesWithoutPriorHF"), [1, 2])
    }
}
