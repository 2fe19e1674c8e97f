/// Civil dates as day numbers (days since 1970-01-01, proleptic Gregorian) and a small strptime for
/// the date formats medication files use (`%Y`, `%m`, `%d` and literal separators).
public enum CMADate {
    /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
    public static func day(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// (year, month, day) of a day number.
    public static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO 8601 (YYYY-MM-DD).
    public static func iso(_ days: Int) -> String {
        let c = civil(days)
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    /// True when the format uses only `%Y`, `%m`, `%d`, `%%` and literal characters.
    public static func isSupported(format: String) -> Bool {
        var it = format.utf8.makeIterator()
        var seen = Set<UInt8>()
        while let c = it.next() {
            if c == 37 {
                guard let f = it.next(), [89, 109, 100, 37].contains(f) else { return false }
                seen.insert(f)
            }
        }
        return seen.isSuperset(of: [89, 109, 100])
    }

    /// Parses `bytes` with `format`; nil when it does not match or the date does not exist.
    /// `%m` and `%d` take one or two digits, `%Y` four.
    public static func parse<C: Collection>(_ bytes: C, format: String) -> Int? where C.Element == UInt8 {
        var i = bytes.startIndex
        var year = 0, month = 0, dayOfMonth = 0
        var f = format.utf8.makeIterator()
        func digits(_ maxCount: Int, _ minCount: Int) -> Int? {
            var v = 0, n = 0
            while n < maxCount, i != bytes.endIndex, bytes[i] >= 48, bytes[i] <= 57 {
                v = v * 10 + Int(bytes[i] - 48); n += 1; i = bytes.index(after: i)
            }
            return n >= minCount ? v : nil
        }
        while let c = f.next() {
            if c == 37, let spec = f.next(), spec != 37 {
                switch spec {
                case 89: guard let v = digits(4, 4) else { return nil }; year = v
                case 109: guard let v = digits(2, 1) else { return nil }; month = v
                case 100: guard let v = digits(2, 1) else { return nil }; dayOfMonth = v
                default: return nil
                }
            } else {
                guard i != bytes.endIndex, bytes[i] == c else { return nil }
                i = bytes.index(after: i)
            }
        }
        guard i == bytes.endIndex, (1...12).contains(month), dayOfMonth >= 1 else { return nil }
        let n = day(year: year, month: month, day: dayOfMonth)
        let back = civil(n)
        return back.month == month && back.day == dayOfMonth ? n : nil
    }
}
