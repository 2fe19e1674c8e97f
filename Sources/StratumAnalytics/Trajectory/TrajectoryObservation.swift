/// One result of one patient: the input row of the trajectory model. `day` counts days since
/// 1970-01-01 (the store's `measurement_date`); `value` is HbA1c in % (NGSP) — convert other
/// units first (``HbA1cUnit``).
public struct TrajectoryObservation: Sendable, Hashable {
    public var personID: Int64
    public var day: Int
    public var value: Double

    public init(personID: Int64, day: Int, value: Double) {
        self.personID = personID
        self.day = day
        self.value = value
    }
}
