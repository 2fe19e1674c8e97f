/// A measurement period: first and last day, both inclusive.
public struct MeasurementPeriod: Hashable, Sendable, CustomStringConvertible {
    public let start: LocalDate
    public let end: LocalDate

    public init(start: LocalDate, end: LocalDate) {
        precondition(start <= end, "a measurement period ends on or after its start")
        self.start = start
        self.end = end
    }

    /// `YYYY-MM-DD..YYYY-MM-DD`, the form `--param period=` takes.
    public var description: String { "\(start.iso)..\(end.iso)" }
}
