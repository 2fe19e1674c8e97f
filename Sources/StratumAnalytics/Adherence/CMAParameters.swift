/// The windows and carry-over switches of AdhereR's simple CMAs (all in days).
///
/// The follow-up window (FUW) starts `followUpStart` days after the patient's first event and lasts
/// `followUpDays`; the observation window (OW) starts `observationStart` days after the FUW start
/// (AdhereR's rule; identical to "after the first event" when `followUpStart` is 0) and lasts
/// `observationDays`. The OW must lie inside the FUW, otherwise the patient's CMA is undefined (AdhereR
/// stops with an error). The carry-over within/into the OW is fixed by the CMA type, as in AdhereR.
public struct CMAParameters: Sendable, Equatable {
    public var followUpStart: Int
    public var followUpDays: Int
    public var observationStart: Int
    public var observationDays: Int
    /// Carry-over is reset when the next event is another medication (AdhereR `carry.only.for.same.medication`).
    public var carryOnlyForSameMedication: Bool
    /// Carry-over is rescaled by the ratio of daily doses (AdhereR `consider.dosage.change`).
    public var considerDosageChange: Bool

    /// The AdhereR defaults (FUW 0 + 730 days, OW 0 + 365 days, no medication or dose rules).
    public init(followUpStart: Int = 0, followUpDays: Int = 730, observationStart: Int = 0, observationDays: Int = 365,
                carryOnlyForSameMedication: Bool = false, considerDosageChange: Bool = false) {
        self.followUpStart = followUpStart
        self.followUpDays = followUpDays
        self.observationStart = observationStart
        self.observationDays = observationDays
        self.carryOnlyForSameMedication = carryOnlyForSameMedication
        self.considerDosageChange = considerDosageChange
    }
}
