/// Day arithmetic on the proleptic Gregorian calendar, without Foundation (hot path of import).
/// A date is stored as whole days since 1970-01-01; a datetime as seconds since 1970-01-01T00:00:00Z.
public enum CivilDate {
    /// Days since 1970-01-01 for a valid civil date (H. Hinnant's `days_from_civil`).
    @inline(__always)
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// (year, month, day) for days since 1970-01-01.
    public static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year: year, month: month)
    }

    /// `YYYY-MM-DD` for days since 1970-01-01.
    public static func iso(days: Int) -> String {
        let (y, m, d) = civil(days: days)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the epoch.
    public static func iso(seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        return iso(days: days) + "T" + pad(rest / 3600, 2) + ":" + pad(rest / 60 % 60, 2) + ":" + pad(rest % 60, 2) + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// A parsed date or datetime: days since the epoch, and seconds when a time was present.
public struct ParsedTimestamp: Equatable, Sendable {
    public var days: Int
    public var seconds: Int?

    public init(days: Int, seconds: Int?) {
        self.days = days
        self.seconds = seconds
    }
}

/// Parses ISO 8601 dates as they occur in FHIR, Synthea and OMOP files, from raw UTF-8 bytes.
public enum TimestampParser {
    /// Accepts `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DD[T ]hh:mm[:ss[.fff]][Z|±hh:mm]`, and
    /// `YYYYMMDD`. Partial dates (FHIR allows them) take the first day of the period. A time with
    /// an offset is converted to UTC for `seconds`; `days` is the local calendar date as written,
    /// which is what a clinician means by "the date of the visit". Returns nil when the text is not
    /// a date or names an impossible day.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> ParsedTimestamp? {
        let n = bytes.count
        guard n >= 4 else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            guard i < n else { return nil }
            let c = bytes[i]
            return c >= 48 && c <= 57 ? Int(c - 48) : nil
        }
        @inline(__always) func number(_ i: Int, _ width: Int) -> Int? {
            var v = 0
            for k in 0..<width {
                guard let d = digit(i + k) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let year = number(0, 4) else { return nil }
        var month = 1, day = 1, i = 4
        if n == 8, let m = number(4, 2), let d = number(6, 2) {
            guard CivilDate.isValid(year: year, month: m, day: d) else { return nil }
            return ParsedTimestamp(days: CivilDate.days(year: year, month: m, day: d), seconds: nil)
        }
        if i < n {
            guard bytes[i] == UInt8(ascii: "-"), let m = number(5, 2) else { return nil }
            month = m
            i = 7
            if i < n {
                guard bytes[i] == UInt8(ascii: "-"), let d = number(8, 2) else { return nil }
                day = d
                i = 10
            }
        }
        guard CivilDate.isValid(year: year, month: month, day: day) else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        if i >= n { return ParsedTimestamp(days: days, seconds: nil) }
        guard bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: " ") else { return nil }
        guard let hh = number(i + 1, 2), i + 3 < n, bytes[i + 3] == UInt8(ascii: ":"), let mm = number(i + 4, 2) else { return nil }
        i += 6
        var ss = 0
        if i < n && bytes[i] == UInt8(ascii: ":") {
            guard let s = number(i + 1, 2) else { return nil }
            ss = s
            i += 3
            if i < n && bytes[i] == UInt8(ascii: ".") {
                i += 1
                while i < n, digit(i) != nil { i += 1 }
            }
        }
        guard hh < 24 || (hh == 24 && mm == 0 && ss == 0), mm < 60, ss < 61 else { return nil }
        var offset = 0
        if i < n {
            let c = bytes[i]
            if c == UInt8(ascii: "Z") {
                i += 1
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                guard let oh = number(i + 1, 2) else { return nil }
                var om = 0
                if i + 3 < n && bytes[i + 3] == UInt8(ascii: ":") {
                    guard let m = number(i + 4, 2) else { return nil }
                    om = m
                    i += 6
                } else if let m = number(i + 3, 2) {
                    om = m
                    i += 5
                } else {
                    i += 3
                }
                offset = (oh * 3600 + om * 60) * (c == UInt8(ascii: "+") ? 1 : -1)
            } else {
                return nil
            }
            guard i == n else { return nil }
        }
        let seconds = days * 86_400 + hh * 3600 + mm * 60 + min(ss, 59) - offset
        return ParsedTimestamp(days: days, seconds: seconds)
    }

    public static func parse(_ text: String) -> ParsedTimestamp? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }
}
