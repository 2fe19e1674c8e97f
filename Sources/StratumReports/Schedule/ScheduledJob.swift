import Foundation

/// One `[[job]]` of a schedule config, with the defaults applied and paths made absolute.
public struct ScheduledJob: Sendable, Equatable {
    /// Unique within the config, `[a-z0-9_-]+`; half of the idempotency key.
    public var name: String
    /// Measure ids, e.g. `["cms122", "cms165"]`.
    public var measures: [String]
    public var period: PeriodRule
    public var every: Recurrence
    /// Local time of day the job's slots begin (default 06:00).
    public var at: TimeOfDay
    /// The output folder as an absolute path with `{name}`, `{period_start}`, `{period_end}` and
    /// `{run_date}` placeholders still in it.
    public var outputTemplate: String
    public var formats: [String]
    /// Keep this many most recent successful output folders; nil keeps all.
    public var retention: Int?
    public var databasePath: String
    public var valueSetsDirectory: String?
    public var minCell: Int
    /// A disabled job is listed but never run.
    public var enabled: Bool
    /// The line of the job's `[[job]]` header.
    public var line: Int

    public init(name: String, measures: [String], period: PeriodRule, every: Recurrence, at: TimeOfDay, outputTemplate: String,
                formats: [String], retention: Int?, databasePath: String, valueSetsDirectory: String?, minCell: Int,
                enabled: Bool = true, line: Int = 0) {
        self.name = name
        self.measures = measures
        self.period = period
        self.every = every
        self.at = at
        self.outputTemplate = outputTemplate
        self.formats = formats
        self.retention = retention
        self.databasePath = databasePath
        self.valueSetsDirectory = valueSetsDirectory
        self.minCell = minCell
        self.enabled = enabled
        self.line = line
    }

    /// The placeholders `out` may use.
    public static let placeholders = ["name", "period_start", "period_end", "run_date"]

    /// The output folder of the run for `slot` (whose date is the run date) over `period`.
    public func outputDirectory(runDate: LocalDate, period: MeasurementPeriod) -> URL {
        let path = outputTemplate
            .replacingOccurrences(of: "{name}", with: name)
            .replacingOccurrences(of: "{period_start}", with: period.start.iso)
            .replacingOccurrences(of: "{period_end}", with: period.end.iso)
            .replacingOccurrences(of: "{run_date}", with: runDate.iso)
        return URL(fileURLWithPath: path).standardizedFileURL
    }
}
