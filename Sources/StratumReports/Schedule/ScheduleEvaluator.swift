import Foundation
import StratumStore

/// Works out a job's slots and whether it is due, in one time zone.
///
/// A job's slots are the days its `every` names, at its `at` local time. The job is due at `now`
/// when its latest slot at or before `now` has no successful run (and none in progress): a failed
/// run is retried by the next `run-due`, a job never run is due at its latest slot, and slots
/// missed while the machine was off collapse into that one latest slot — no catch-up storm.
public struct ScheduleEvaluator: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone = .current) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The local calendar date of `instant`.
    public func localDate(of instant: Date) -> LocalDate {
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// The instant local `time` begins on `date`. A time skipped by a DST change is taken as the
    /// first instant after the gap (02:30 on a spring-forward day is 03:30 new time); a time that
    /// happens twice is its first occurrence.
    public func instant(of date: LocalDate, at time: TimeOfDay) -> Date {
        let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute)
        if let instant = calendar.date(from: components) { return instant }
        // Not expected from Foundation; fall back to the zone's offset at that wall time read as UTC.
        let naive = Double(date.daysSinceEpoch * 86_400 + time.hour * 3600 + time.minute * 60)
        return Date(timeIntervalSince1970: naive - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: naive))))
    }

    /// The slot `job` has on `date` (whether or not `every` includes the date).
    public func slot(for job: ScheduledJob, on date: LocalDate) -> ScheduleSlot {
        ScheduleSlot(job: job.name, date: date, time: job.at, instant: instant(of: date, at: job.at))
    }

    /// The job's latest slot that begins at or before `now`.
    public func latestSlot(for job: ScheduledJob, atOrBefore now: Date) -> ScheduleSlot {
        let today = localDate(of: now)
        for back in 0...(job.every.maximumGapDays + 1) {
            let date = today.adding(days: -back)
            guard job.every.includes(date) else { continue }
            let slot = slot(for: job, on: date)
            if slot.instant <= now { return slot }
        }
        preconditionFailure("every recurrence has a slot within \(job.every.maximumGapDays + 1) days")
    }

    /// The job's first slot that begins after `now`.
    public func nextSlot(for job: ScheduledJob, after now: Date) -> ScheduleSlot {
        let today = localDate(of: now)
        for ahead in -1...(job.every.maximumGapDays + 1) {
            let date = today.adding(days: ahead)
            guard job.every.includes(date) else { continue }
            let slot = slot(for: job, on: date)
            if slot.instant > now { return slot }
        }
        preconditionFailure("every recurrence has a slot within \(job.every.maximumGapDays + 1) days")
    }

    /// Whether `job` is due at `now`, given the run log's rows for the job's latest slot (rows of
    /// other slots are ignored). Stale `running` rows must have been marked failed before.
    public func decision(for job: ScheduledJob, at now: Date, runs: [ScheduleRunRecord]) -> DueDecision {
        let slot = latestSlot(for: job, atOrBefore: now)
        if !job.enabled { return .disabled(slot) }
        let mine = runs.filter { $0.job == job.name && $0.slot == slot.date.iso }
        if let done = mine.first(where: { $0.status == .succeeded }) { return .done(slot, runID: done.id) }
        if let running = mine.first(where: { $0.status == .running }) { return .running(slot, runID: running.id, pid: running.pid) }
        return .due(slot)
    }

    /// Parses `--now`: `YYYY-MM-DDTHH:MM[:SS]` in this evaluator's zone, or with `Z` or an offset
    /// (`+01:00`) as that instant. A date alone is not accepted (which slot it means depends on `at`).
    public func parseInstant(_ text: String) -> Date? {
        guard let parsed = TimestampParser.parse(text), let seconds = parsed.seconds else { return nil }
        let timePart = text.drop { $0 != "T" && $0 != " " }
        if timePart.contains("Z") || timePart.contains("+") || timePart.contains("-") {
            return Date(timeIntervalSince1970: Double(seconds))
        }
        let secondOfDay = seconds - parsed.days * 86_400
        let date = LocalDate(daysSinceEpoch: parsed.days)
        let components = DateComponents(year: date.year, month: date.month, day: date.day,
                                        hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60)
        return calendar.date(from: components)
    }
}
