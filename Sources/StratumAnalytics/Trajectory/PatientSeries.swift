/// One patient's results in date order, one value per day: same-day results are averaged.
/// Time in the model is years since the patient's first result (``originDay``).
public struct PatientSeries: Sendable, Equatable {
    public let personID: Int64
    /// Distinct result days, ascending.
    public let days: [Int]
    /// The value on each day (the mean of that day's results).
    public let values: [Double]
    /// Results before same-day averaging.
    public let resultCount: Int

    public init(personID: Int64, days: [Int], values: [Double], resultCount: Int? = nil) {
        precondition(!days.isEmpty && days.count == values.count, "a series needs equal, non-empty days and values")
        self.personID = personID
        self.days = days
        self.values = values
        self.resultCount = resultCount ?? days.count
    }

    /// The first result day: t = 0 of this patient's trajectory.
    public var originDay: Int { days[0] }
    public var lastDay: Int { days[days.count - 1] }
    public var lastValue: Double { values[values.count - 1] }
    public var count: Int { days.count }

    /// Years from the origin to `day` (365.25 days a year).
    public func years(at day: Int) -> Double { Double(day - originDay) / 365.25 }

    /// The series without results after `day`; nil when none is left.
    public func truncated(through day: Int) -> PatientSeries? {
        if lastDay <= day { return self }
        var n = 0
        while n < days.count && days[n] <= day { n += 1 }
        guard n > 0 else { return nil }
        return PatientSeries(personID: personID, days: Array(days[..<n]), values: Array(values[..<n]), resultCount: n)
    }

    /// The series without its last result (nil for a one-result series).
    public var droppingLast: PatientSeries? {
        guard days.count > 1 else { return nil }
        return PatientSeries(personID: personID, days: Array(days.dropLast()), values: Array(values.dropLast()))
    }

    /// Groups rows into series, ordered by person id; same-day results are averaged. Rows with a
    /// non-finite value are ignored.
    public static func build(from rows: [TrajectoryObservation]) -> [PatientSeries] {
        let order = rows.indices.filter { rows[$0].value.isFinite }.sorted {
            let (l, r) = (rows[$0], rows[$1])
            return l.personID != r.personID ? l.personID < r.personID : l.day < r.day
        }
        var result: [PatientSeries] = []
        var i = 0
        while i < order.count {
            let person = rows[order[i]].personID
            var days: [Int] = [], values: [Double] = []
            var raw = 0
            while i < order.count && rows[order[i]].personID == person {
                let day = rows[order[i]].day
                var sum = 0.0, n = 0
                while i < order.count && rows[order[i]].personID == person && rows[order[i]].day == day {
                    sum += rows[order[i]].value
                    n += 1
                    i += 1
                }
                days.append(day)
                values.append(sum / Double(n))
                raw += n
            }
            result.append(PatientSeries(personID: person, days: days, values: values, resultCount: raw))
        }
        return result
    }
}
