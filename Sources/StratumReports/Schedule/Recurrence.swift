/// Which days a job runs on (its `every`): `daily`, `weekly:monday` … `weekly:sunday`, or
/// `monthly:1` … `monthly:28` (no 29–31, so every month has the day).
public enum Recurrence: Hashable, Sendable, CustomStringConvertible {
    case daily
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    case weekly(weekday: Int)
    /// Day of the month, 1…28.
    case monthly(day: Int)

    /// Weekday names as `weekly:` takes them, Monday first.
    public static let weekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// Parses the config form; nil when it is not one.
    public init?(_ text: String) {
        if text == "daily" {
            self = .daily
        } else if text.hasPrefix("weekly:"), let index = Self.weekdayNames.firstIndex(of: String(text.dropFirst(7))) {
            self = .weekly(weekday: index + 1)
        } else if text.hasPrefix("monthly:"), let day = Int(text.dropFirst(8)), (1...28).contains(day),
                  !text.dropFirst(8).hasPrefix("+"), !text.dropFirst(8).hasPrefix("0") {
            self = .monthly(day: day)
        } else {
            return nil
        }
    }

    /// The config form.
    public var description: String {
        switch self {
        case .daily: "daily"
        case .weekly(let weekday): "weekly:\(Self.weekdayNames[weekday - 1])"
        case .monthly(let day): "monthly:\(day)"
        }
    }

    /// Whether the job has a slot on `date`.
    public func includes(_ date: LocalDate) -> Bool {
        switch self {
        case .daily: true
        case .weekly(let weekday): date.isoWeekday == weekday
        case .monthly(let day): date.day == day
        }
    }

    /// The longest gap between two slot days (bounds the search for the latest and next slot).
    var maximumGapDays: Int {
        switch self {
        case .daily: 1
        case .weekly: 7
        case .monthly: 31
        }
    }
}
