/// A CMA over one dated window: a treatment episode or a sliding window.
public struct CMAWindowValue: Sendable, Equatable {
    public var patient: String
    /// 1-based window (or episode) number within the patient.
    public var index: Int
    public var startDay: Int
    /// Exclusive end day.
    public var endDay: Int
    /// CMA1…CMA9 (index 0 = CMA1); nil where undefined or not requested.
    public var values: [Double?]
    /// For episodes: the gap days after the episode; nil for sliding windows.
    public var endGapDays: Double?

    public init(patient: String, index: Int, startDay: Int, endDay: Int, values: [Double?], endGapDays: Double? = nil) {
        self.patient = patient
        self.index = index
        self.startDay = startDay
        self.endDay = endDay
        self.values = values
        self.endGapDays = endGapDays
    }
}
