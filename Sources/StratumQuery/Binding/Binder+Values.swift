import StratumStore

extension Binder {
    mutating func bindValue(_ expr: ValueExpr) -> BoundValue? {
        switch expr {
        case .number(let v, let unit, let range):
            guard let unit else { return .number(v, unit: nil) }
            guard let def = Units.lookup(unit) else {
                let notes = Suggestions.closest(to: unit, among: Units.all.map(\.canonical)).map { ["did you mean '\($0)'?"] } ?? []
                error(.unknownUnit(unit), range, notes: notes + ["known units: " + Units.all.map(\.canonical).joined(separator: ", ")])
                return nil
            }
            return .number(v, unit: def)
        case .string(let s, _): return .string(s)
        case .date(let y, let m, let d, _): return .date(CivilDate.days(year: y, month: m, day: d))
        case .range(let a, let b, let range):
            guard let lo = bindValue(a), let hi = bindValue(b) else { return nil }
            guard let start = startDay(lo), let end = endDay(hi) else {
                error(.other("a range needs dates at both ends, e.g. 2024-01-01 .. 2024-12-31"), range)
                return nil
            }
            if end < start { error(.other("this range ends before it starts"), range); return nil }
            return .period(start, end)
        case .name(let name):
            let key = Environment.key(name.text)
            if let v = environment.values[key] { return v.value }
            if let p = environment.params[key] { return p.value }
            if let p = environment.overrides[key] { return p }
            unknown("parameter", name, candidates: environment.params.values.map(\.name) + environment.values.values.map(\.name))
            return nil
        case .startOf(let inner, let range):
            guard let v = bindValue(inner) else { return nil }
            guard let d = startDay(v) else { error(.other("'start of' needs a period or a date"), range); return nil }
            return .date(d)
        case .endOf(let inner, let range):
            guard let v = bindValue(inner) else { return nil }
            guard let d = endDay(v) else { error(.other("'end of' needs a period or a date"), range); return nil }
            return .date(d)
        case .offset(let amount, let unit, let before, let base, let range):
            guard let v = bindValue(base) else { return nil }
            guard case .date(let day) = v else { error(.other("an offset such as '30 days before' needs a date after it"), range); return nil }
            let shifted = Binder.shift(day, by: before ? -amount : amount, unit: unit)
            // Offsets chained through `let`s would otherwise grow without bound, until the
            // compiler's seconds (days × 86400) overflow.
            guard (1...9999).contains(CivilDate.civil(days: shifted).year) else {
                error(.other("this date is out of range: years 1 to 9999"), range)
                return nil
            }
            return .date(shifted)
        }
    }

    func startDay(_ v: BoundValue) -> Int? {
        switch v {
        case .date(let d): return d
        case .period(let a, _): return a
        case .number(let n, nil) where n.rounded() == n && n > 1800 && n < 2300: return CivilDate.days(year: Int(n), month: 1, day: 1)
        default: return nil
        }
    }

    func endDay(_ v: BoundValue) -> Int? {
        switch v {
        case .date(let d): return d
        case .period(_, let b): return b
        case .number(let n, nil) where n.rounded() == n && n > 1800 && n < 2300: return CivilDate.days(year: Int(n), month: 12, day: 31)
        default: return nil
        }
    }

    /// Calendar arithmetic on constant dates: months and years move the calendar date (clamping
    /// the 31st to the month's end), days and weeks add days.
    static func shift(_ day: Int, by amount: Int, unit: TimeUnit) -> Int {
        switch unit {
        case .days: return day + amount
        case .weeks: return day + 7 * amount
        case .hours: return day + amount / 24
        case .months, .years:
            let (y, m, d) = CivilDate.civil(days: day)
            let months = (unit == .years ? 12 * amount : amount) + (y * 12 + (m - 1))
            let ny = Int((Double(months) / 12).rounded(.down)), nm = months - ny * 12 + 1
            return CivilDate.days(year: ny, month: nm, day: min(d, CivilDate.daysInMonth(year: ny, month: nm)))
        }
    }

    mutating func bindDate(_ expr: ValueExpr) -> Int? {
        guard let v = bindValue(expr) else { return nil }
        if case .date(let d) = v { return d }
        error(.other("a date is needed here (e.g. 2024-12-31 or 'end of period'), not \(v.display)"), expr.range)
        return nil
    }

    mutating func bindAnchor(_ anchor: Anchor?, inCohort: Bool) -> BoundAnchor? {
        guard let anchor else { return .entryStart }
        switch anchor {
        case .entryStart: return .entryStart
        case .entryEnd: return .entryEnd
        case .value(let expr): return bindDate(expr).map(BoundAnchor.date)
        }
    }

    mutating func bindBound(_ bound: Window.Bound, isUpper: Bool) -> BoundBound?? {
        switch bound {
        case .unbounded: return .some(nil)
        case .relative(let amount, let unit, let after, let anchor, let exclusive):
            guard let a = bindAnchor(anchor, inCohort: true) else { return nil }
            let signed = after ? amount : -amount
            var seconds: Int?
            var days: Int
            switch unit {
            case .hours: seconds = signed * 3600; days = 0
            case .days: days = signed
            case .weeks: days = signed * 7
            case .months, .years:
                if case .date(let d) = a {
                    return .some(BoundBound(anchor: .date(Binder.shift(d, by: signed, unit: unit) + (exclusive ? (isUpper ? -1 : 1) : 0)),
                                            offsetDays: 0, offsetSeconds: nil))
                }
                // Relative to an event, months and years are counted as 30 and 365 days.
                days = unit == .months ? signed * 30 : signed * 365
            }
            if exclusive {
                if seconds != nil { seconds! += isUpper ? -1 : 1 } else { days += isUpper ? -1 : 1 }
            }
            return .some(BoundBound(anchor: a, offsetDays: days, offsetSeconds: seconds))
        }
    }

    mutating func bindWindow(_ window: Window) -> BoundWindow? {
        guard let lower = bindBound(window.lower, isUpper: false), let upper = bindBound(window.upper, isUpper: true) else { return nil }
        if let l = lower, let u = upper, case .date(let a) = l.anchor, case .date(let b) = u.anchor,
           a + l.offsetDays > b + u.offsetDays {
            diagnostics.append(Diagnostic(.other("this window is empty: it ends before it starts"), range: window.range, severity: .warning, file: file))
        }
        var bound = BoundWindow(eventEnd: window.eventEnd, lower: lower, upper: upper)
        bound.overlaps = window.overlaps
        return bound
    }
}
