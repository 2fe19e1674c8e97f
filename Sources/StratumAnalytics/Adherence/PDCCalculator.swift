/// Proportion of days covered as the Pharmacy Quality Alliance measures it (PDC-DR, PDC-RASA,
/// PDC-STA), for one patient and one drug class:
///
/// 1. Only fills dispensed within the measurement period count (supply carried in from earlier
///    fills does not).
/// 2. The index prescription start date (IPSD) is the first fill; the patient needs fills on at
///    least two distinct dates, and a treatment period (IPSD through the period's end) of at least
///    91 days.
/// 3. A refill of the **same drug** that arrives while supply is on hand starts the day after that
///    supply runs out (early refills are shifted). Fills of **different drugs** of the class are not
///    shifted: their covered days are unioned (a day counts once, covered by any).
/// 4. Coverage is truncated at the period's end.
/// 5. Inpatient stays (where the data shows them): the stay's days leave the treatment period, and
///    supply is not used during a stay — it resumes after discharge (the days are shifted forward).
/// PDC = covered days / treatment days; adherent at 80% or more.
public enum PDCCalculator {
    public static func compute(fills: [PDCFill], period: ClosedRange<Int>, inpatientStays: [ClosedRange<Int>] = []) -> PDCResult {
        let inPeriod = fills.filter { period.contains($0.day) && $0.daysSupply > 0 }
            .sorted { ($0.day, $0.drug, $0.daysSupply) < ($1.day, $1.drug, $1.daysSupply) }
        guard let first = inPeriod.first else {
            return PDCResult(ineligibility: .noFills, indexDay: nil, treatmentDays: 0, coveredDays: 0, coveredRuns: [], inpatientDays: 0)
        }
        let index = first.day
        let end = period.upperBound
        guard Set(inPeriod.map(\.day)).count >= 2 else {
            return PDCResult(ineligibility: .fewerThanTwoFillDates, indexDay: index, treatmentDays: 0, coveredDays: 0, coveredRuns: [], inpatientDays: 0)
        }
        let length = end - index + 1
        guard length >= 91 else {
            return PDCResult(ineligibility: .lateIndexDate, indexDay: index, treatmentDays: 0, coveredDays: 0, coveredRuns: [], inpatientDays: 0)
        }
        // Day offsets 0..<length from the index date.
        var inpatient = [Bool](repeating: false, count: length)
        for stay in inpatientStays {
            let lo = max(stay.lowerBound, index), hi = min(stay.upperBound, end)
            if lo <= hi { for d in lo...hi { inpatient[d - index] = true } }
        }
        var covered = [Bool](repeating: false, count: length)
        var byDrug: [String: [PDCFill]] = [:]
        for fill in inPeriod { byDrug[fill.drug, default: []].append(fill) }
        for (_, drugFills) in byDrug {
            var nextFree = Int.min
            for fill in drugFills {   // already in date order
                var day = max(fill.day, nextFree)
                var remaining = fill.daysSupply
                while remaining > 0 && day <= end {
                    let offset = day - index
                    if !inpatient[offset] {
                        covered[offset] = true
                        remaining -= 1
                    }
                    day += 1
                }
                // Supply past the period's end still occupies those days for later fills.
                nextFree = day + remaining
            }
        }
        var coveredDays = 0, inpatientDays = 0
        var runs: [ClosedRange<Int>] = []
        var runStart: Int?
        for offset in 0..<length {
            if inpatient[offset] { inpatientDays += 1 }
            if covered[offset] {
                coveredDays += 1
                if runStart == nil { runStart = offset }
            } else if let s = runStart {
                runs.append((index + s)...(index + offset - 1))
                runStart = nil
            }
        }
        if let s = runStart { runs.append((index + s)...(index + length - 1)) }
        return PDCResult(ineligibility: nil, indexDay: index, treatmentDays: length - inpatientDays, coveredDays: coveredDays,
                         coveredRuns: runs, inpatientDays: inpatientDays)
    }
}
