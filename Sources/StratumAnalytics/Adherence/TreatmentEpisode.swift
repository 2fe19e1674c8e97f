/// One treatment episode (AdhereR `compute.treatment.episodes`) and, when computed per episode, its CMA.
public struct TreatmentEpisode: Sendable, Equatable {
    public var patient: String
    /// 1-based episode number within the patient.
    public var index: Int
    public var startDay: Int
    /// Exclusive end day (`endDay - startDay` = episode duration).
    public var endDay: Int
    /// Gap days after the episode's last supply (to the next episode, or to the FUW end).
    public var endGapDays: Double
    /// Indices, into the patient's sorted events, of the episode's events.
    public var eventRange: Range<Int>

    public var durationDays: Int { endDay - startDay }

    public init(patient: String, index: Int, startDay: Int, endDay: Int, endGapDays: Double, eventRange: Range<Int>) {
        self.patient = patient
        self.index = index
        self.startDay = startDay
        self.endDay = endDay
        self.endGapDays = endGapDays
        self.eventRange = eventRange
    }
}
