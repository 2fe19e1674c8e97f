import Foundation
import XCTest
@testable import StratumReports

final class ScheduleEvaluatorTests: XCTestCase {
    private let evaluator = ScheduleEvaluator(timeZone: ScheduleFixture.zone)

    private func job(_ every: Recurrence, at: String = "06:00", enabled: Bool = true) -> ScheduledJob {
        ScheduledJob(name: "j", measures: ["cms122"], period: .previousMonth, every: every, at: TimeOfDay(at)!,
                     outputTemplate: "/tmp/{name}", formats: ["html"], retention: nil, databasePath: "/tmp/x.sqlite",
                     valueSetsDirectory: nil, minCell: 11, enabled: enabled)
    }

    private func at(_ text: String) -> Date { ScheduleFixture.at(text) }

    private func latest(_ job: ScheduledJob, _ now: String) -> String { evaluator.latestSlot(for: job, atOrBefore: at(now)).description }
    private func next(_ job: ScheduledJob, _ now: String) -> String { evaluator.nextSlot(for: job, after: at(now)).description }

    private func run(_ slot: String, _ status: ScheduleRunStatus, id: Int64 = 1, job: String = "j") -> ScheduleRunRecord {
        ScheduleRunRecord(id: id, job: job, slot: slot, periodStart: "", periodEnd: "", measures: [], formats: [], outputDirectory: "",
                          status: status, startedAt: "", finishedAt: nil, error: nil, inputs: "{}", pid: 42)
    }

    func testSlotsAreLocalTimes() {
        // 06:00 at +01:00 is 05:00 UTC.
        let slot = evaluator.latestSlot(for: job(.daily), atOrBefore: at("2025-03-03T06:00"))
        XCTAssertEqual(slot.instant, ISO8601DateFormatter().date(from: "2025-03-03T05:00:00Z"))
        XCTAssertEqual(slot.date.iso, "2025-03-03")
    }

    func testDailyBeforeAndAfterAt() {
        let daily = job(.daily)
        XCTAssertEqual(latest(daily, "2025-03-03T05:59:59"), "2025-03-02 06:00")
        XCTAssertEqual(latest(daily, "2025-03-03T06:00"), "2025-03-03 06:00")   // at the slot is due
        XCTAssertEqual(latest(daily, "2025-03-03T23:59"), "2025-03-03 06:00")
        XCTAssertEqual(latest(daily, "2025-01-01T00:30"), "2024-12-31 06:00")   // across the year
        XCTAssertEqual(next(daily, "2025-03-03T05:59"), "2025-03-03 06:00")
        XCTAssertEqual(next(daily, "2025-03-03T06:00"), "2025-03-04 06:00")
        XCTAssertEqual(next(daily, "2024-12-31T23:00"), "2025-01-01 06:00")
        let midnight = job(.daily, at: "00:00")
        XCTAssertEqual(latest(midnight, "2025-03-03T00:00"), "2025-03-03 00:00")
        XCTAssertEqual(latest(midnight, "2025-03-02T23:59:59"), "2025-03-02 00:00")
        let late = job(.daily, at: "23:59")
        XCTAssertEqual(latest(late, "2025-03-03T23:58"), "2025-03-02 23:59")
    }

    func testWeeklyAcrossTheWeekBoundary() {
        let monday = job(.weekly(weekday: 1))   // 2025-03-03 is a Monday
        XCTAssertEqual(latest(monday, "2025-03-03T05:59"), "2025-02-24 06:00")
        XCTAssertEqual(latest(monday, "2025-03-03T06:00"), "2025-03-03 06:00")
        XCTAssertEqual(latest(monday, "2025-03-09T23:59"), "2025-03-03 06:00")   // Sunday
        XCTAssertEqual(latest(monday, "2025-03-10T06:01"), "2025-03-10 06:00")
        XCTAssertEqual(next(monday, "2025-03-03T06:00"), "2025-03-10 06:00")
        XCTAssertEqual(next(monday, "2025-03-02T12:00"), "2025-03-03 06:00")
        let sunday = job(.weekly(weekday: 7), at: "22:30")
        XCTAssertEqual(latest(sunday, "2025-03-03T06:00"), "2025-03-02 22:30")
        XCTAssertEqual(latest(sunday, "2025-03-02T22:29"), "2025-02-23 22:30")
        XCTAssertEqual(latest(sunday, "2025-01-01T10:00"), "2024-12-29 22:30")   // across the year
    }

    func testMonthlyAcrossMonthsAndYears() {
        let first = job(.monthly(day: 1))
        XCTAssertEqual(latest(first, "2025-01-01T05:59"), "2024-12-01 06:00")
        XCTAssertEqual(latest(first, "2025-01-01T06:00"), "2025-01-01 06:00")
        XCTAssertEqual(latest(first, "2025-03-31T23:00"), "2025-03-01 06:00")
        XCTAssertEqual(next(first, "2025-01-01T06:00"), "2025-02-01 06:00")
        XCTAssertEqual(next(first, "2024-12-31T12:00"), "2025-01-01 06:00")
        let twentyEighth = job(.monthly(day: 28))
        XCTAssertEqual(latest(twentyEighth, "2024-03-27T12:00"), "2024-02-28 06:00")
        XCTAssertEqual(latest(twentyEighth, "2025-03-01T12:00"), "2025-02-28 06:00")
        XCTAssertEqual(next(twentyEighth, "2025-02-28T06:00"), "2025-03-28 06:00")
        XCTAssertEqual(latest(twentyEighth, "2025-01-27T12:00"), "2024-12-28 06:00")
    }

    func testDueUntilTheSlotSucceeds() {
        let monday = job(.weekly(weekday: 1))
        let now = at("2025-03-05T12:00")
        let slot = "2025-03-03"
        // Never run: due at its latest slot.
        XCTAssertEqual(evaluator.decision(for: monday, at: now, runs: []), .due(evaluator.latestSlot(for: monday, atOrBefore: now)))
        // Only failed runs: due again (retried).
        XCTAssertTrue(evaluator.decision(for: monday, at: now, runs: [run(slot, .failed), run(slot, .failed, id: 2)]).isDue)
        // A success in the slot: done.
        guard case .done(_, let id) = evaluator.decision(for: monday, at: now, runs: [run(slot, .failed), run(slot, .succeeded, id: 7)]) else {
            return XCTFail("expected done")
        }
        XCTAssertEqual(id, 7)
        // A run in progress: not due.
        guard case .running(_, 3, 42) = evaluator.decision(for: monday, at: now, runs: [run(slot, .running, id: 3)]) else {
            return XCTFail("expected running")
        }
        // A success of the previous slot, or of another job, does not count.
        XCTAssertTrue(evaluator.decision(for: monday, at: now, runs: [run("2025-02-24", .succeeded), run(slot, .succeeded, job: "other")]).isDue)
        // Disabled.
        guard case .disabled = evaluator.decision(for: job(.weekly(weekday: 1), enabled: false), at: now, runs: []) else {
            return XCTFail("expected disabled")
        }
    }

    func testCrossingIntoTheNextSlotMakesItDueAgain() {
        let monday = job(.weekly(weekday: 1))
        let runs = [run("2025-03-03", .succeeded)]
        XCTAssertFalse(evaluator.decision(for: monday, at: at("2025-03-10T05:59"), runs: runs).isDue)
        XCTAssertTrue(evaluator.decision(for: monday, at: at("2025-03-10T06:00"), runs: runs).isDue)
    }

    func testMissedSlotsCollapseIntoTheLatest() {
        // Last success three weeks ago; the machine was off since.
        let monday = job(.weekly(weekday: 1))
        let decision = evaluator.decision(for: monday, at: at("2025-03-26T09:00"), runs: [run("2025-03-03", .succeeded)])
        XCTAssertEqual(decision, .due(evaluator.latestSlot(for: monday, atOrBefore: at("2025-03-26T09:00"))))
        XCTAssertEqual(decision.slot.date.iso, "2025-03-24")
    }

    func testDaylightSavingTransitions() throws {
        let newYork = try XCTUnwrap(TimeZone(identifier: "America/New_York"))
        let evaluator = ScheduleEvaluator(timeZone: newYork)
        let utc = ISO8601DateFormatter()
        // 2025-03-09: clocks jump from 02:00 EST to 03:00 EDT; 02:30 does not exist and runs at 03:30 EDT.
        let gap = job(.daily, at: "02:30")
        let slot = evaluator.latestSlot(for: gap, atOrBefore: utc.date(from: "2025-03-09T07:30:00Z")!)
        XCTAssertEqual(slot.date.iso, "2025-03-09")
        XCTAssertEqual(slot.instant, utc.date(from: "2025-03-09T07:30:00Z"))
        XCTAssertEqual(evaluator.latestSlot(for: gap, atOrBefore: utc.date(from: "2025-03-09T07:29:59Z")!).date.iso, "2025-03-08")
        // The day before (EST) and after (EDT) keep 02:30 local.
        XCTAssertEqual(evaluator.slot(for: gap, on: LocalDate(iso: "2025-03-08")!).instant, utc.date(from: "2025-03-08T07:30:00Z"))
        XCTAssertEqual(evaluator.slot(for: gap, on: LocalDate(iso: "2025-03-10")!).instant, utc.date(from: "2025-03-10T06:30:00Z"))
        // A 06:00 job on the transition day: 06:00 EDT = 10:00 UTC.
        XCTAssertEqual(evaluator.slot(for: job(.daily), on: LocalDate(iso: "2025-03-09")!).instant, utc.date(from: "2025-03-09T10:00:00Z"))
        // 2025-11-02: 01:30 happens twice; the slot is the first (EDT, 05:30 UTC), and there is one slot that day.
        let repeated = job(.daily, at: "01:30")
        XCTAssertEqual(evaluator.slot(for: repeated, on: LocalDate(iso: "2025-11-02")!).instant, utc.date(from: "2025-11-02T05:30:00Z"))
        XCTAssertEqual(evaluator.latestSlot(for: repeated, atOrBefore: utc.date(from: "2025-11-02T06:45:00Z")!).date.iso, "2025-11-02")
        XCTAssertEqual(evaluator.nextSlot(for: repeated, after: utc.date(from: "2025-11-02T05:30:00Z")!).date.iso, "2025-11-03")
        // The local date of an instant follows the zone: 03:00 UTC on Nov 2 is still Nov 1 in New York.
        XCTAssertEqual(evaluator.localDate(of: utc.date(from: "2025-11-02T03:00:00Z")!).iso, "2025-11-01")
    }

    func testParseNow() {
        let utc = ISO8601DateFormatter()
        XCTAssertEqual(evaluator.parseInstant("2025-03-03T06:00"), utc.date(from: "2025-03-03T05:00:00Z"))
        XCTAssertEqual(evaluator.parseInstant("2025-03-03T06:00:30"), utc.date(from: "2025-03-03T05:00:30Z"))
        XCTAssertEqual(evaluator.parseInstant("2025-03-03 06:00"), utc.date(from: "2025-03-03T05:00:00Z"))
        XCTAssertEqual(evaluator.parseInstant("2025-03-03T06:00:00Z"), utc.date(from: "2025-03-03T06:00:00Z"))
        XCTAssertEqual(evaluator.parseInstant("2025-03-03T06:00:00+02:00"), utc.date(from: "2025-03-03T04:00:00Z"))
        XCTAssertEqual(evaluator.parseInstant("2025-03-03T06:00:00-05:00"), utc.date(from: "2025-03-03T11:00:00Z"))
        XCTAssertNil(evaluator.parseInstant("2025-03-03"))
        XCTAssertNil(evaluator.parseInstant("next monday"))
        XCTAssertNil(evaluator.parseInstant("2025-02-30T06:00"))
    }

    func testTimeOfDay() {
        XCTAssertEqual(TimeOfDay("06:00")?.description, "06:00")
        XCTAssertEqual(TimeOfDay("23:59")?.description, "23:59")
        for bad in ["6:00", "24:00", "12:60", "0600", "06:00:00", "ab:cd", ""] { XCTAssertNil(TimeOfDay(bad), bad) }
    }
}
