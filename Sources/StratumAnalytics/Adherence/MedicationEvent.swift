/// One medication event (a prescription or dispensing) as AdhereR sees it.
///
/// `day` is the event date as a day number (days since 1970-01-01, see `CMADate`); `duration` is the
/// supply in days; `dose` (daily dose) and `medication` (class) are optional and only matter for
/// `carryOnlyForSameMedication`, `considerDosageChange` and medication-change episode splits.
public struct MedicationEvent: Sendable, Equatable {
    public var patient: String
    public var day: Int
    public var duration: Double
    public var dose: Double?
    public var medication: String?

    public init(patient: String, day: Int, duration: Double, dose: Double? = nil, medication: String? = nil) {
        self.patient = patient
        self.day = day
        self.duration = duration
        self.dose = dose
        self.medication = medication
    }
}
