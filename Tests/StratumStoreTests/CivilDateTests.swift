import StratumStore
import XCTest

final class CivilDateTests: XCTestCase {
    func testDaysRoundTripAcrossCenturiesAndLeapDays() {
        XCTAssertEqual(CivilDate.days(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(CivilDate.days(year: 2000, month: 3, day: 1), 11_017)
        XCTAssertEqual(CivilDate.days(year: 1969, month: 12, day: 31), -1)
        for days in stride(from: -200_000, through: 200_000, by: 97) {
            let (y, m, d) = CivilDate.civil(days: days)
            XCTAssertEqual(CivilDate.days(year: y, month: m, day: d), days)
        }
        XCTAssertEqual(CivilDate.iso(days: CivilDate.days(year: 2024, month: 2, day: 29)), "2024-02-29")
    }

    func testParsesTheShapesSourcesUse() {
        let day = CivilDate.days(year: 2023, month: 1, day: 27)
        XCTAssertEqual(TimestampParser.parse("2023-01-27"), ParsedTimestamp(days: day, seconds: nil))
        XCTAssertEqual(TimestampParser.parse("20230127"), ParsedTimestamp(days: day, seconds: nil))
        XCTAssertEqual(TimestampParser.parse("2023-01-27T16:17:47Z")?.seconds, day * 86_400 + 16 * 3600 + 17 * 60 + 47)
        XCTAssertEqual(TimestampParser.parse("2023-01-27 00:00:00")?.seconds, day * 86_400)
        // An offset moves the instant, not the calendar date the source wrote.
        let local = TimestampParser.parse("2023-01-27T23:30:00-05:00")
        XCTAssertEqual(local?.days, day)
        XCTAssertEqual(local?.seconds, (day + 1) * 86_400 + 4 * 3600 + 30 * 60)
        XCTAssertEqual(TimestampParser.parse("2023-01-27T10:00:00.123+01:00")?.seconds, day * 86_400 + 9 * 3600)
        XCTAssertEqual(TimestampParser.parse("2023-01")?.days, CivilDate.days(year: 2023, month: 1, day: 1))
        XCTAssertEqual(TimestampParser.parse("2023")?.days, CivilDate.days(year: 2023, month: 1, day: 1))
    }

    func testRejectsImpossibleAndMalformedDates() {
        for text in ["2023-02-29", "2024-02-30", "2023-13-01", "2023-00-10", "2023-04-31", "", "abc", "2023-1-5",
                     "2023-01-27T25:00:00Z", "2023-01-27X", "2023-01-27T10:00:00Zjunk", "0000-01-01"] {
            XCTAssertNil(TimestampParser.parse(text), text)
        }
        XCTAssertNotNil(TimestampParser.parse("2024-02-29"))
    }
}
