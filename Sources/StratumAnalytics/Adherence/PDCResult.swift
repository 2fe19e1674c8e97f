/// Proportion of days covered for one patient and one drug class over a measurement period.
public struct PDCResult: Sendable, Equatable {
    /// Why a patient is not in the measure's denominator.
    public enum Ineligibility: String, Sendable, Equatable {
        /// No fill of the class in the period.
        case noFills = "no fills in the period"
        /// Fills on fewer than two distinct dates in the period.
        case fewerThanTwoFillDates = "fewer than two fill dates"
        /// The first fill is less than 91 days before the period ends (treatment period < 91 days).
        case lateIndexDate = "first fill less than 91 days before the period ends"
    }

    /// Nil when eligible.
    public var ineligibility: Ineligibility?
    /// The index prescription start date: the first fill of the class in the period.
    public var indexDay: Int?
    /// Days from the index date to the end of the period, less inpatient days.
    public var treatmentDays: Int
    /// Days in the treatment period with a supply on hand (any drug of the class), inpatient days excluded.
    public var coveredDays: Int
    /// The covered days as runs of consecutive days (for timelines), within the treatment period.
    public var coveredRuns: [ClosedRange<Int>]
    /// Inpatient days within the treatment period (removed from both counts).
    public var inpatientDays: Int

    public var isEligible: Bool { ineligibility == nil }
    /// coveredDays / treatmentDays, for eligible patients.
    public var pdc: Double? { isEligible && treatmentDays > 0 ? Double(coveredDays) / Double(treatmentDays) : nil }
    /// PQA's threshold: PDC ≥ 80%.
    public func isAdherent(threshold: Double = 0.8) -> Bool? { pdc.map { $0 >= threshold } }
}
