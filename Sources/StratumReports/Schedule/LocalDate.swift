import StratumStore

/// A calendar date with no time and no zone (a "run date", a period bound), on the proleptic
/// Gregorian calendar. Arithmetic goes through `CivilDate` (whole days since 1970-01-01).
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date, or nil (2025-02-29, month 13).
    public init?(year: Int, month: Int, day: Int) {
        guard CivilDate.isValid(year: year, month: month, day: day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        let (y, m, d) = CivilDate.civil(days: days)
        year = y
        month = m
        day = d
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var daysSinceEpoch: Int { CivilDate.days(year: year, month: month, day: day) }

    /// `YYYY-MM-DD`.
    public var iso: String { CivilDate.iso(days: daysSinceEpoch) }
    public var description: String { iso }

    /// The date `count` days later (earlier when negative).
    public func adding(days count: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + count) }

    /// The first day of the month `count` months later (earlier when negative).
    public func firstOfMonth(addingMonths count: Int = 0) -> LocalDate {
        let index = year * 12 + (month - 1) + count
        let y = index >= 0 ? index / 12 : (index - 11) / 12
        return LocalDate(year: y, month: index - y * 12 + 1, day: 1)!
    }

    /// The last day of this date's month.
    public var lastOfMonth: LocalDate {
        LocalDate(year: year, month: month, day: CivilDate.daysInMonth(year: year, month: month))!
    }

    /// 1 = Monday … 7 = Sunday (ISO 8601). 1970-01-01 was a Thursday.
    public var isoWeekday: Int {
        let d = daysSinceEpoch
        return ((d + 3) % 7 + 7) % 7 + 1
    }

    /// 1…4.
    public var quarter: Int { (month - 1) / 3 + 1 }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
}
