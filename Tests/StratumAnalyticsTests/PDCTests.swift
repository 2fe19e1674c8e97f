import XCTest
@testable import StratumAnalytics
import StratumStore

/// PDC as the PQA measures it, one rule per test, on fills whose coverage is worked out by hand.
final class PDCTests: XCTestCase {
    func d(_ iso: String) -> Int {
        let p = iso.split(separator: "-").map { Int($0)! }
        return CivilDate.days(year: p[0], month: p[1], day: p[2])
    }
    var year2018: ClosedRange<Int> { d("2018-01-01")...d("2018-12-31") }

    /// PQA's worked example: 2018-07-05 for 90 days and a refill on 2018-09-25 for 90 days cover
    /// 2018-07-05…2018-10-02 and, shifted to start when the first supply ends, 2018-10-03…2018-12-31.
    func testPQAWorkedExample() {
        let r = PDCCalculator.compute(fills: [PDCFill(drug: "atorvastatin", day: d("2018-07-05"), daysSupply: 90),
                                              PDCFill(drug: "atorvastatin", day: d("2018-09-25"), daysSupply: 90)], period: year2018)
        XCTAssertNil(r.ineligibility)
        XCTAssertEqual(r.indexDay, d("2018-07-05"))
        XCTAssertEqual(d("2018-07-05") + 89, d("2018-10-02"))
        XCTAssertEqual(d("2018-10-03") + 89, d("2018-12-31"))
        XCTAssertEqual(r.coveredRuns, [d("2018-07-05")...d("2018-12-31")])
        XCTAssertEqual(r.treatmentDays, 180)
        XCTAssertEqual(r.coveredDays, 180)
        XCTAssertEqual(r.pdc, 1.0)
        XCTAssertEqual(r.isAdherent(), true)
    }

    /// An early refill of the same drug waits for the supply on hand: Jan 1 (30 days) and Jan 20
    /// (30 days) cover Jan 1–Jan 30 and Jan 31–Mar 1: 60 days, not the 49 of Jan 1–Feb 18.
    func testEarlyRefillOfTheSameDrugIsShifted() {
        let r = PDCCalculator.compute(fills: [PDCFill(drug: "a", day: d("2018-01-01"), daysSupply: 30),
                                              PDCFill(drug: "a", day: d("2018-01-20"), daysSupply: 30)], period: year2018)
        XCTAssertEqual(r.coveredDays, 60)
        XCTAssertEqual(r.coveredRuns, [d("2018-01-01")...d("2018-03-01")])
        XCTAssertEqual(r.treatmentDays, 365)
    }

    /// Different drugs of the class are not shifted; their days are unioned: Jan 1–Jan 30 and
    /// Jan 20–Feb 18 cover Jan 1–Feb 18, 49 days.
    func testDifferentDrugsAreUnionedNotShifted() {
        let r = PDCCalculator.compute(fills: [PDCFill(drug: "a", day: d("2018-01-01"), daysSupply: 30),
                                              PDCFill(drug: "b", day: d("2018-01-20"), daysSupply: 30)], period: year2018)
        XCTAssertEqual(r.coveredDays, 49)
        XCTAssertEqual(r.coveredRuns, [d("2018-01-01")...d("2018-02-18")])
    }

    /// Supply running past the period's end is cut at the end: Sep 1 (90 days: Sep 1–Nov 29) and a
    /// refill on Oct 15 (shifted: Nov 30–Feb 27) cover Sep 1–Dec 31, all 122 days.
    func testCoverageIsTruncatedAtThePeriodsEnd() {
        let r = PDCCalculator.compute(fills: [PDCFill(drug: "a", day: d("2018-09-01"), daysSupply: 90),
                                              PDCFill(drug: "a", day: d("2018-10-15"), daysSupply: 90)], period: year2018)
        XCTAssertEqual(r.treatmentDays, 122)
        XCTAssertEqual(r.coveredDays, 122)
        XCTAssertEqual(r.coveredRuns.last?.upperBound, d("2018-12-31"))
    }

    /// The index date must leave a treatment period of at least 91 days: Oct 2 does (Oct 2–Dec 31
    /// is 91 days), Oct 3 does not.
    func testIndexDateCutOff() {
        func result(_ first: String) -> PDCResult {
            PDCCalculator.compute(fills: [PDCFill(drug: "a", day: d(first), daysSupply: 30),
                                          PDCFill(drug: "a", day: d("2018-11-15"), daysSupply: 30)], period: year2018)
        }
        XCTAssertNil(result("2018-10-02").ineligibility)
        XCTAssertEqual(result("2018-10-02").treatmentDays, 91)
        XCTAssertEqual(result("2018-10-03").ineligibility, .lateIndexDate)
    }

    /// Two fills on one date, or fills only before the period, do not make a denominator; supply
    /// carried in from a fill before the period is not counted.
    func testTwoFillDatesInThePeriodAreNeeded() {
        XCTAssertEqual(PDCCalculator.compute(fills: [PDCFill(drug: "a", day: d("2018-02-01"), daysSupply: 30),
                                                     PDCFill(drug: "b", day: d("2018-02-01"), daysSupply: 30)], period: year2018).ineligibility,
                       .fewerThanTwoFillDates)
        XCTAssertEqual(PDCCalculator.compute(fills: [PDCFill(drug: "a", day: d("2017-12-01"), daysSupply: 90)], period: year2018).ineligibility,
                       .noFills)
        let carried = PDCCalculator.compute(fills: [PDCFill(drug: "a", day: d("2017-12-15"), daysSupply: 90),
                                                    PDCFill(drug: "a", day: d("2018-03-01"), daysSupply: 30),
                                                    PDCFill(drug: "a", day: d("2018-06-01"), daysSupply: 30)], period: year2018)
        XCTAssertEqual(carried.indexDay, d("2018-03-01"))
        XCTAssertEqual(carried.coveredDays, 60)
        XCTAssertEqual(carried.treatmentDays, d("2018-12-31") - d("2018-03-01") + 1)
    }

    /// An inpatient stay leaves the treatment period and pauses the supply: a 30-day fill on Jan 1
    /// with a stay Jan 10–19 covers Jan 1–9 and Jan 20–Feb 9; the Feb 1 refill then starts Feb 10.
    func testInpatientStayIsRemovedAndSupplyResumesAfterDischarge() {
        let r = PDCCalculator.compute(fills: [PDCFill(drug: "a", day: d("2018-01-01"), daysSupply: 30),
                                              PDCFill(drug: "a", day: d("2018-02-01"), daysSupply: 30)],
                                      period: year2018, inpatientStays: [d("2018-01-10")...d("2018-01-19")])
        XCTAssertEqual(r.inpatientDays, 10)
        XCTAssertEqual(r.treatmentDays, 355)
        XCTAssertEqual(r.coveredDays, 60)
        XCTAssertEqual(r.coveredRuns, [d("2018-01-01")...d("2018-01-09"), d("2018-01-20")...d("2018-03-11")])
    }

    /// 80% is adherent; just below is not.
    func testThreshold() {
        // Treatment Jan 1–Apr 10 (100 days); covered 80 days (Jan 1–Feb 9 and Feb 20–Mar 31), then a gap.
        let period = d("2018-01-01")...d("2018-04-10")
        let r = PDCCalculator.compute(fills: [PDCFill(drug: "a", day: d("2018-01-01"), daysSupply: 40),
                                              PDCFill(drug: "a", day: d("2018-02-20"), daysSupply: 40)], period: period)
        XCTAssertEqual(r.treatmentDays, 100)
        XCTAssertEqual(r.coveredDays, 80)
        XCTAssertEqual(r.isAdherent(), true)
        let below = PDCCalculator.compute(fills: [PDCFill(drug: "a", day: d("2018-01-01"), daysSupply: 40),
                                                  PDCFill(drug: "a", day: d("2018-02-20"), daysSupply: 39)], period: period)
        XCTAssertEqual(below.isAdherent(), false)
    }

    /// The timeline draws every fill, the covered runs and the stays, and says the PDC.
    func testTimelineShowsFillsCoverageAndPDC() {
        let fills = [PDCFill(drug: "a", day: d("2018-01-01"), daysSupply: 30), PDCFill(drug: "a", day: d("2018-02-01"), daysSupply: 30)]
        let stays = [d("2018-01-10")...d("2018-01-19")]
        let result = PDCCalculator.compute(fills: fills, period: year2018, inpatientStays: stays)
        let svg = AdherenceTimeline.svg(title: "Person 7", fills: fills, result: result, period: year2018, inpatientStays: stays)
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertFalse(svg.contains("<script"))
        XCTAssertTrue(svg.contains("Person 7 — PDC 17% (60 of 355 days), below 80%"), svg)
        XCTAssertEqual(svg.components(separatedBy: "fill=\"#6b9bd1\"").count - 1, 2 + 1, "one bar per fill, and the legend")
        XCTAssertEqual(svg.components(separatedBy: "fill=\"#3c8d5a\"").count - 1, 2 + 1, "one bar per covered run, and the legend")
        XCTAssertEqual(svg.components(separatedBy: "fill=\"#8c6bb1\"").count - 1, 1, "one bar per stay")
    }
}
