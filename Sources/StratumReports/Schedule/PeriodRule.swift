/// How a job's measurement period follows from its run date (the local date of the scheduled
/// slot). "To date" rules end on the last complete day, the day before the run date, so a run on
/// the first day of a year or quarter covers the whole year or quarter that just ended rather
/// than an empty one; every other rule is a whole calendar unit.
public enum PeriodRule: String, CaseIterable, Sendable {
    /// From January 1 of the year of the day before the run date, through that day.
    case yearToDate = "year-to-date"
    /// The whole calendar year before the run date's year.
    case previousYear = "previous-year"
    /// The whole calendar year of the run date (the current year; eCQM periods are calendar years).
    case calendarYear = "calendar-year"
    /// The whole calendar quarter before the run date's quarter.
    case previousQuarter = "previous-quarter"
    /// From the first day of the quarter of the day before the run date, through that day.
    case quarterToDate = "quarter-to-date"
    /// The whole calendar month before the run date's month.
    case previousMonth = "previous-month"
    /// The twelve months that end the day before the run date: from the same day a year before the
    /// run date (March 1 when that would be February 29) through the day before the run date.
    case rolling12Months = "rolling-12-months"

    /// The measurement period for a run on `runDate`.
    public func period(runDate: LocalDate) -> MeasurementPeriod {
        let yesterday = runDate.adding(days: -1)
        switch self {
        case .yearToDate:
            return MeasurementPeriod(start: LocalDate(year: yesterday.year, month: 1, day: 1)!, end: yesterday)
        case .previousYear:
            return Self.year(runDate.year - 1)
        case .calendarYear:
            return Self.year(runDate.year)
        case .previousQuarter:
            let start = runDate.firstOfMonth(addingMonths: -((runDate.month - 1) % 3) - 3)
            return MeasurementPeriod(start: start, end: start.firstOfMonth(addingMonths: 2).lastOfMonth)
        case .quarterToDate:
            let start = yesterday.firstOfMonth(addingMonths: -((yesterday.month - 1) % 3))
            return MeasurementPeriod(start: start, end: yesterday)
        case .previousMonth:
            let start = runDate.firstOfMonth(addingMonths: -1)
            return MeasurementPeriod(start: start, end: start.lastOfMonth)
        case .rolling12Months:
            let start = LocalDate(year: runDate.year - 1, month: runDate.month, day: runDate.day)
                ?? LocalDate(year: runDate.year - 1, month: 3, day: 1)!
            return MeasurementPeriod(start: start, end: yesterday)
        }
    }

    private static func year(_ year: Int) -> MeasurementPeriod {
        MeasurementPeriod(start: LocalDate(year: year, month: 1, day: 1)!, end: LocalDate(year: year, month: 12, day: 31)!)
    }
}
