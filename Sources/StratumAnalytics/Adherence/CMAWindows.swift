/// Absolute follow-up and observation windows of one patient, as day numbers; ends are exclusive for
/// durations (`end - start` days) but, as in AdhereR, an event dated exactly on an end day belongs to it.
public struct CMAWindows: Sendable, Equatable {
    public var followUpStart: Int
    public var followUpEnd: Int
    public var observationStart: Int
    public var observationEnd: Int

    public init(followUpStart: Int, followUpEnd: Int, observationStart: Int, observationEnd: Int) {
        self.followUpStart = followUpStart
        self.followUpEnd = followUpEnd
        self.observationStart = observationStart
        self.observationEnd = observationEnd
    }

    /// True when the OW lies inside the FUW (AdhereR refuses other patients).
    public var isValid: Bool {
        followUpStart <= observationStart && observationEnd <= followUpEnd && observationStart < observationEnd
    }
}
