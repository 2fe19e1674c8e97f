import StratumStore

/// Civil dates as day numbers (days since 1970-01-01, proleptic Gregorian) and a small strptime for
/// the date formats medication files use (`%Y`, `%m`, `%d` and literal separators).
public enum CMADate {
    /// Days since 1970-01-01 (the store's `CivilDate`).
    public static func day(year: Int, month: Int, day: Int) -> Int { CivilDate.days(year: year, month: month, day: day) }

    /// (year, month, day) of a day number.
    public static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) { CivilDate.civil(days: days) }

    /// ISO 8601 (YYYY-MM-DD).
    public static func iso(_ days: Int) -> String { CivilDate.iso(days: days) }

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
