import XCTest
@testable import StratumReports

final class PeriodRuleTests: XCTestCase {
    private func d(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    /// (run date, expected start, expected end) for `rule`.
    private func check(_ rule: PeriodRule, _ cases: [(String, String, String)], file: StaticString = #filePath, line: UInt = #line) {
        for (run, start, end) in cases {
            let period = rule.period(runDate: d(run))
            XCTAssertEqual("\(period.start.iso)..\(period.end.iso)", "\(start)..\(end)", "\(rule.rawValue) on \(run)", file: file, line: line)
        }
    }

    func testYearToDateEndsTheDayBeforeAndCoversLastYearOnJanuaryFirst() {
        check(.yearToDate, [
            ("2025-01-01", "2024-01-01", "2024-12-31"),   // nothing of 2025 is complete yet
            ("2025-01-02", "2025-01-01", "2025-01-01"),
            ("2025-03-03", "2025-01-01", "2025-03-02"),
            ("2024-03-01", "2024-01-01", "2024-02-29"),   // leap year
            ("2025-03-01", "2025-01-01", "2025-02-28"),
            ("2025-12-31", "2025-01-01", "2025-12-30"),
        ])
    }

    func testPreviousYear() {
        check(.previousYear, [
            ("2025-01-01", "2024-01-01", "2024-12-31"),
            ("2025-12-31", "2024-01-01", "2024-12-31"),
            ("2000-02-29", "1999-01-01", "1999-12-31"),
        ])
    }

    func testCalendarYearIsTheRunDatesYear() {
        check(.calendarYear, [
            ("2025-01-01", "2025-01-01", "2025-12-31"),
            ("2025-12-31", "2025-01-01", "2025-12-31"),
            ("2024-02-29", "2024-01-01", "2024-12-31"),
        ])
    }

    func testPreviousQuarterAcrossQuarterAndYearBoundaries() {
        check(.previousQuarter, [
            ("2025-01-01", "2024-10-01", "2024-12-31"),
            ("2025-03-31", "2024-10-01", "2024-12-31"),
            ("2025-04-01", "2025-01-01", "2025-03-31"),
            ("2025-06-30", "2025-01-01", "2025-03-31"),
            ("2025-07-01", "2025-04-01", "2025-06-30"),
            ("2025-10-01", "2025-07-01", "2025-09-30"),
            ("2025-12-31", "2025-07-01", "2025-09-30"),
            ("2024-04-15", "2024-01-01", "2024-03-31"),
        ])
    }

    func testQuarterToDateEndsTheDayBeforeAndCoversLastQuarterOnItsFirstDay() {
        check(.quarterToDate, [
            ("2025-01-01", "2024-10-01", "2024-12-31"),
            ("2025-01-02", "2025-01-01", "2025-01-01"),
            ("2025-03-31", "2025-01-01", "2025-03-30"),
            ("2025-04-01", "2025-01-01", "2025-03-31"),
            ("2025-04-02", "2025-04-01", "2025-04-01"),
            ("2024-03-01", "2024-01-01", "2024-02-29"),
            ("2025-12-31", "2025-10-01", "2025-12-30"),
        ])
    }

    func testPreviousMonthAcrossYearAndLeapFebruary() {
        check(.previousMonth, [
            ("2025-01-01", "2024-12-01", "2024-12-31"),
            ("2025-01-31", "2024-12-01", "2024-12-31"),
            ("2024-03-01", "2024-02-01", "2024-02-29"),
            ("2025-03-15", "2025-02-01", "2025-02-28"),
            ("2100-03-01", "2100-02-01", "2100-02-28"),   // not a leap year
            ("2000-03-01", "2000-02-01", "2000-02-29"),   // a leap year
            ("2025-12-31", "2025-11-01", "2025-11-30"),
        ])
    }

    func testRolling12MonthsAcrossLeapDays() {
        check(.rolling12Months, [
            ("2025-03-03", "2024-03-03", "2025-03-02"),
            ("2025-01-01", "2024-01-01", "2024-12-31"),
            ("2025-12-31", "2024-12-31", "2025-12-30"),
            ("2024-02-29", "2023-03-01", "2024-02-28"),   // no 2023-02-29: the window starts the day after Feb 28
            ("2024-03-01", "2023-03-01", "2024-02-29"),
            ("2025-03-01", "2024-03-01", "2025-02-28"),
            ("2025-02-28", "2024-02-28", "2025-02-27"),   // includes 2024-02-29
        ])
        // Twelve months is 365 or 366 days, never anything else.
        var day = d("2023-01-01")
        while day <= d("2026-12-31") {
            let p = PeriodRule.rolling12Months.period(runDate: day)
            let length = p.end.daysSinceEpoch - p.start.daysSinceEpoch + 1
            XCTAssertTrue(length == 365 || length == 366, "\(day): \(p) is \(length) days")
            day = day.adding(days: 1)
        }
    }

    func testEveryRuleGivesAValidPeriodEveryDayOfALeapAndACommonYear() {
        var day = d("2023-12-25")
        while day <= d("2025-01-05") {
            for rule in PeriodRule.allCases {
                let p = rule.period(runDate: day)
                XCTAssertLessThanOrEqual(p.start, p.end, "\(rule.rawValue) on \(day)")
                if rule != .calendarYear { XCTAssertLessThan(p.end, day, "\(rule.rawValue) on \(day) ends before the run date") }
            }
            day = day.adding(days: 1)
        }
    }

    func testRuleNamesAreTheConfigNames() {
        XCTAssertEqual(PeriodRule.allCases.map(\.rawValue), ["year-to-date", "previous-year", "calendar-year", "previous-quarter",
                                                             "quarter-to-date", "previous-month", "rolling-12-months"])
    }

    func testLocalDateHelpers() {
        XCTAssertEqual(d("1970-01-01").isoWeekday, 4)
        XCTAssertEqual(d("2025-03-03").isoWeekday, 1)
        XCTAssertEqual(d("2025-03-09").isoWeekday, 7)
        XCTAssertEqual(d("1969-12-29").isoWeekday, 1)
        XCTAssertEqual(d("2025-01-15").firstOfMonth(addingMonths: -13).iso, "2023-12-01")
        XCTAssertEqual(d("2024-02-10").lastOfMonth.iso, "2024-02-29")
        XCTAssertNil(LocalDate(iso: "2025-02-29"))
        XCTAssertNil(LocalDate(iso: "2025-1-01"))
        XCTAssertNil(LocalDate(iso: "20250101"))
    }
}
